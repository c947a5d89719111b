// Steering the day: reorder (offline, through the outbox), and the server-timed changes (add to
// today, remove, pin, accept a re-plan preview, undo), which need a connection because the new
// arrival times come from the planner.
import { db } from './db.js';
import { api, ApiError } from './api.js';
import { mutate } from './outbox.js';
import { storeServerRows } from './sync-core.js';
import { todayIn } from './dates.js';
import { currentPosition } from './geo.js';
import { diffRoutes, moveInOrder, openStops } from './replan.js';

/** A message a rep can act on; never the browser's or the server's raw error text. */
export function friendlyError(err, what = 'That did not work') {
  if (!(err instanceof ApiError)) return `${what}. Try again.`;
  if (err.status === 0) return `${what}: you are offline. This needs a connection.`;
  if (err.status === 401 || err.status === 403) return `${what}: sign in again.`;
  if (err.status === 404) return `${what}: ${err.body?.message?.includes('plan it first') ? 'plan your day first' : 'not found'}.`;
  if (err.status === 409) return `${what}: the route changed meanwhile. Wait for the sync and try again.`;
  if (err.status === 422) {
    const first = firstText(err.body?.errors?.json);
    return `${what}: ${first || 'check the input'}`;
  }
  if (err.status === 429) return `${what}: too many requests. Wait a moment.`;
  return `${what}: the server had a problem. Try again later.`;
}

// The first field message of a 422 envelope (nested for lists and objects), or null.
function firstText(errors) {
  if (typeof errors === 'string') return errors;
  for (const v of Object.values(errors || {})) {
    const found = firstText(v);
    if (found) return found;
  }
  return null;
}

/** Today's route of the user on this device. */
export function todaysRoute(user) {
  const today = todayIn(user.time_zone);
  return db.routes.where('date').equals(today).filter((r) => r.rep_id === user.id).first();
}

// route.reorder is checked against the route version (a stale base is a conflict). Each route
// write the server applies bumps the version by one, so a reorder queued behind this device's
// own unsent route writes is based on the version those will have made, not on the stale copy:
// two reorders in a row offline must not conflict with each other.
// Read in one transaction with the outbox: the screen's copy of the route may lag a sync step.
async function current(routeId) {
  return db.transaction('r', db.routes, db.outbox, async () => {
    const route = await db.routes.get(routeId);
    const mine = await db.outbox.filter((m) => m.args?.route_id === routeId && (m.name === 'route.reorder' || m.name === 'stop.update')).count();
    const order = [...(route?.stops || [])].sort((a, b) => a.seq - b.seq).map((x) => x.account_id);
    return { order, base: (route?.version ?? 0) + (route?._acked || 0) + mine };
  });
}

/** Move one stop up (-1) or down (+1); works offline (route.reorder goes through the outbox). */
export async function moveStop(route, accountId, delta) {
  const { order, base } = await current(route.id);
  const next = moveInOrder(order, order.indexOf(accountId), delta);
  if (next === order) return null;
  return mutate('route.reorder', { route_id: route.id, base_version: base, order: next });
}

/** Put `accountId` at the place of `targetId` (drag and drop). */
export async function dropStop(route, accountId, targetId) {
  const { order, base } = await current(route.id);
  const from = order.indexOf(accountId);
  const to = order.indexOf(targetId);
  if (from < 0 || to < 0 || from === to) return null;
  return mutate('route.reorder', { route_id: route.id, base_version: base, order: moveInOrder(order, from, to - from) });
}

const pinsOf = (route) => (route.stops || []).filter((s) => s.pinned && (s.status || 'planned') === 'planned').map((s) => s.account_id);

/** PUT the rest of the day; stores the answer. */
export async function setSequence(route, order, pinned = pinsOf(route)) {
  const fresh = await api('PUT', `/api/routes/${route.date}/stops`, { order, base_version: route.version, pinned });
  if (fresh?.id) await storeServerRows('route', [fresh]);
  return fresh;
}

export async function addToToday(user, accountId) {
  const route = await todaysRoute(user);
  if (!route) throw new ApiError(404, { message: 'No route planned; plan it first.' });
  const order = openStops(route).map((s) => s.account_id);
  if (order.includes(accountId)) return route;
  return setSequence(route, [...order, accountId]);
}

export function removeStop(route, accountId) {
  return setSequence(route, openStops(route).map((s) => s.account_id).filter((id) => id !== accountId),
    pinsOf(route).filter((id) => id !== accountId));
}

export function togglePin(route, accountId) {
  const pins = pinsOf(route);
  return setSequence(route, openStops(route).map((s) => s.account_id),
    pins.includes(accountId) ? pins.filter((id) => id !== accountId) : [...pins, accountId]);
}

/** Ask the server what a re-plan from here would do; nothing is stored. */
export async function previewReplan(user, route) {
  const pos = (await currentPosition({ timeout: 4000 })) || lastHandled(route) || user.home;
  const body = await api('POST', `/api/routes/${route.date}/reoptimize/preview`, { lat: pos.lat, lon: pos.lon, at: new Date().toISOString() });
  return { ...body, diff: diffRoutes(body.current, body.proposed) };
}

/** Apply a previewed re-plan; returns what undo needs (the open stops and pins before). */
export async function acceptPreview(route, preview) {
  const undo = { order: openStops(route).map((s) => s.account_id), pinned: pinsOf(route) };
  const proposed = openStops(preview.proposed);
  await setSequence(route, proposed.map((s) => s.account_id), proposed.filter((s) => s.pinned).map((s) => s.account_id));
  return undo;
}

export async function undoReplan(user, undo) {
  const route = await todaysRoute(user);
  return setSequence(route, undo.order, undo.pinned);
}

function lastHandled(route) {
  const handled = (route.stops || []).filter((s) => s.status === 'done' || s.status === 'arrived');
  const s = handled[handled.length - 1];
  return s ? { lat: s.lat, lon: s.lon } : null;
}

/** Move a planned stop to another day of the week (the server re-times both days). */
export async function moveToDay(route, accountId, to) {
  const moved = await api('POST', `/api/routes/${route.date}/stops/${accountId}/move`, { to, base_version: route.version });
  await storeServerRows('route', [moved.from, moved.to].filter((r) => r?.id));
  return moved;
}

/** Book a fixed-time visit; that day's stored route (if any) gets it as a fixed stop. */
export async function bookAppointment(fields) {
  const booked = await api('POST', '/api/appointments', fields);
  if (booked?.route?.id) await storeServerRows('route', [booked.route]);
  return booked;
}
