// What each stop of the day shows, derived from the stored route (pure, unit-tested): the
// labelled visit time range, "be there at" when the rep would wait, drive minutes from the
// previous stop, the value rank, and where the lunch break falls in the list.
import { distanceM } from './search.js';

// The straight-line model's defaults (backend PlanningSettings): 40 km/h, circuity 1.3. Used only
// when the rep's own reordering has made the stored legs stale.
const SPEED_MPS = 40_000 / 3600;
const CIRCUITY = 1.3;

const hhmm = (t) => (t ? String(t).slice(0, 5) : '');
const clockOf = (sec) => `${String(Math.floor(sec / 3600) % 24).padStart(2, '0')}:${String(Math.floor(sec / 60) % 60).padStart(2, '0')}:00`;
const secs = (t) => {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(t || '');
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] || 0) : null;
};

/**
 * Rows for the stop list, in seq order: {kind: 'stop', stop, drive_minutes, drive_estimated,
 * value_rank, visit: 'HH:MM–HH:MM', arrive, be_there_at, wait_minutes} and at most one
 * {kind: 'break', start, end} between the stops where the planner put the break.
 */
export function stopRows(route) {
  const stops = retime([...(route?.stops || [])].sort((a, b) => a.seq - b.seq), route);
  const legs = new Map((route?.legs || []).map((l) => [`${l.from}>${l.to}`, l]));
  const ranked = [...stops].filter((s) => s.value != null).sort((a, b) => b.value - a.value);
  const rank = new Map(ranked.map((s, i) => [s.account_id, i + 1]));
  const rows = [];
  let prevId = 'start';
  let prevPos = route?.start || null;
  const brk = route?.break || null;
  let breakPlaced = !brk?.start;
  const breakEnd = secs(brk?.end);
  for (const s of stops) {
    const start = secs(s.start);
    if (!breakPlaced && start != null && breakEnd != null && start >= breakEnd) {
      rows.push({ kind: 'break', start: hhmm(brk.start), end: hhmm(brk.end) });
      breakPlaced = true;
    }
    const leg = legs.get(`${prevId}>${s.account_id}`);
    let drive = leg ? Math.round(leg.travel_seconds / 60) : null;
    let estimated = false;
    if (drive == null && prevPos?.lat != null && s.lat != null) {
      drive = Math.round((distanceM(prevPos, s) * CIRCUITY) / SPEED_MPS / 60);
      estimated = true;
    }
    const arrival = secs(s.arrival);
    const wait = arrival != null && start != null ? Math.round((start - arrival) / 60) : 0;
    rows.push({
      kind: 'stop',
      stop: s,
      drive_minutes: drive,
      drive_estimated: estimated,
      value_rank: rank.get(s.account_id) ?? null,
      visit: s.start && s.departure ? `${s.estimated ? '≈' : ''}${hhmm(s.start)}–${hhmm(s.departure)}` : '',
      estimated: Boolean(s.estimated),
      arrive: hhmm(s.arrival),
      be_there_at: wait >= 1 ? hhmm(s.start) : null,
      wait_minutes: wait >= 1 ? wait : 0,
    });
    prevId = String(s.account_id);
    prevPos = s;
  }
  if (!breakPlaced) rows.push({ kind: 'break', start: hhmm(brk.start), end: hhmm(brk.end) });
  return rows;
}

// After the rep's own reorder (offline, no planner) the stored times no longer follow the order.
// Then the open stops are re-timed here: drive by the straight-line model, wait for the next
// opening window, keep each visit's planned length. Marked `estimated` so the screen says "≈".
function retime(stops, route) {
  const open = stops.filter((s) => (s.status || 'planned') === 'planned');
  const starts = open.map((s) => secs(s.start));
  if (starts.every((t, i) => t != null && (i === 0 || t >= starts[i - 1]))) return stops;
  let t = Math.min(...starts.filter((x) => x != null));
  let prev = route?.start || null;
  const done = stops.filter((s) => (s.status || 'planned') !== 'planned' && secs(s.departure) != null);
  if (done.length) {
    const last = done[done.length - 1];
    t = secs(last.departure);
    prev = last;
  }
  const timed = new Map();
  for (const s of open) {
    const drive = prev?.lat != null && s.lat != null ? Math.round((distanceM(prev, s) * CIRCUITY) / SPEED_MPS) : 0;
    const arrival = t + drive;
    const windows = (s.windows || []).map(([a, b]) => [secs(a), secs(b)]).filter(([a, b]) => a != null && b != null);
    const fit = windows.find(([, b]) => b >= arrival);
    const start = fit ? Math.max(arrival, fit[0]) : arrival;
    const length = Math.max(0, (secs(s.departure) ?? 0) - (secs(s.start) ?? 0));
    timed.set(s.account_id, { ...s, arrival: clockOf(arrival), start: clockOf(start), departure: clockOf(start + length), estimated: true });
    t = start + length;
    prev = s;
  }
  return stops.map((s) => timed.get(s.account_id) || s);
}
