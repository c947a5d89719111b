// What a re-plan would change, in the rep's words: which stops move, which are added, which
// drop, and the route's value and drive time before and after. Pure (unit-tested).

/** Stops still to visit (the part of the day a re-plan or the rep can change), in order. */
export function openStops(route) {
  return [...(route?.stops || [])].filter((s) => (s.status || 'planned') === 'planned').sort((a, b) => a.seq - b.seq);
}

function totals(route) {
  const stops = openStops(route);
  return {
    stops: stops.length,
    value: stops.reduce((n, s) => n + (Number(s.value) || 0), 0),
    drive_minutes: Math.round((Number(route?.travel_seconds) || 0) / 60),
  };
}

/**
 * Compare the open part of two routes. Returns
 * {added: [stop], dropped: [stop], moved: [{stop, from, to}], before, after, changed}
 * where from/to are 1-based positions among the open stops.
 */
export function diffRoutes(current, proposed) {
  const a = openStops(current);
  const b = openStops(proposed);
  const posA = new Map(a.map((s, i) => [s.account_id, i]));
  const posB = new Map(b.map((s, i) => [s.account_id, i]));
  const added = b.filter((s) => !posA.has(s.account_id));
  const dropped = a.filter((s) => !posB.has(s.account_id));
  // A stop "moves" when its order relative to the other kept stops changes, not merely because
  // something before it was added or dropped.
  const keptA = a.filter((s) => posB.has(s.account_id)).map((s) => s.account_id);
  const keptB = b.filter((s) => posA.has(s.account_id)).map((s) => s.account_id);
  const moved = keptB
    .map((id, i) => ({ id, i, was: keptA.indexOf(id) }))
    .filter((m) => m.i !== m.was)
    .map((m) => ({ stop: b[posB.get(m.id)], from: posA.get(m.id) + 1, to: posB.get(m.id) + 1 }));
  const before = totals(current);
  const after = totals(proposed);
  return { added, dropped, moved, before, after, changed: Boolean(added.length || dropped.length || moved.length) };
}

/** A new order with the stop at `index` moved by `delta` places (clamped); same array if no move. */
export function moveInOrder(order, index, delta) {
  const to = Math.max(0, Math.min(order.length - 1, index + delta));
  if (to === index) return order;
  const next = [...order];
  const [item] = next.splice(index, 1);
  next.splice(to, 0, item);
  return next;
}
