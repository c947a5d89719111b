// What each stop of the day shows, derived from the stored route (pure, unit-tested): the
// labelled visit time range, "be there at" when the rep would wait, drive minutes from the
// previous stop, the value rank, and where the lunch break falls in the list.
import { distanceM } from './search.js';

// The straight-line model's defaults (backend PlanningSettings): 40 km/h, circuity 1.3. Used only
// when the rep's own reordering has made the stored legs stale.
const SPEED_MPS = 40_000 / 3600;
const CIRCUITY = 1.3;

const hhmm = (t) => (t ? String(t).slice(0, 5) : '');
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
  const stops = [...(route?.stops || [])].sort((a, b) => a.seq - b.seq);
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
      visit: s.start && s.departure ? `${hhmm(s.start)}–${hhmm(s.departure)}` : '',
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
