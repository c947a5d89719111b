// Unit tests for the pure helpers (no browser needed): node --test test/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grade, normaliseRows, pivot, overall } from '../src/lib/compliance.js';
import { mondayOf, isoWeek, weekdayKey, formatWindows, todayIn } from '../src/lib/dates.js';

test('grade thresholds match the legend (>= 90 green, >= 70 amber, else red)', () => {
  assert.equal(grade(0.9), 'green');
  assert.equal(grade(0.8999), 'amber');
  assert.equal(grade(0.7), 'amber');
  assert.equal(grade(0.6999), 'red');
  assert.equal(grade(null), 'none');
});

test('normaliseRows reads percent, computes missing rates, caps with credited', () => {
  const rows = normaliseRows({ rows: [{ rep_id: 1, rep_name: 'Ann', tier: 'A', touch_type: 'visit', required: 4, done: 3 },
    { rep_id: 1, rep_name: 'Ann', tier: 'A', touch_type: 'call', required: 2, done: 3, credited: 2, percent: 100 }] });
  assert.equal(rows[0].rate, 0.75);
  assert.equal(rows[1].rate, 1);
  const p = pivot(rows);
  assert.deepEqual(p.columns, ['A:visit', 'A:call']);
  assert.equal(p.reps[0].rate, 5 / 6);
  assert.equal(overall(rows), 5 / 6);
});

test('dates: monday, ISO week, weekday keys', () => {
  assert.equal(mondayOf('2026-11-29'), '2026-11-23'); // Sunday -> previous Monday
  assert.equal(mondayOf('2026-11-23'), '2026-11-23');
  assert.equal(isoWeek('2026-01-01'), '2026-W01');
  assert.equal(isoWeek('2027-01-01'), '2026-W53');
  assert.equal(weekdayKey('2026-11-24'), 'tue');
  assert.equal(formatWindows([]), 'Closed');
  assert.equal(formatWindows([['08:00', '12:00'], ['13:00', '17:00']]), '08:00–12:00, 13:00–17:00');
  assert.equal(todayIn('UTC', new Date('2026-11-24T23:30:00Z')), '2026-11-24');
  assert.equal(todayIn('Europe/Berlin', new Date('2026-11-24T23:30:00Z')), '2026-11-25');
});

// --- issue 14: search, stops, re-plan diff, pending words ---------------------------------------
import { searchAccounts, fold, distanceM, formatDistance } from '../src/lib/search.js';
import { stopRows } from '../src/lib/stops.js';
import { diffRoutes, moveInOrder } from '../src/lib/replan.js';
import { pendingText } from '../src/lib/pending.js';

const ACCOUNTS = [
  { id: 1, name: 'Bäckerei Huber', address: 'Marienplatz 1, München', tier: 'A', lat: 48.137, lon: 11.575 },
  { id: 2, name: 'Metzgerei Maier', address: 'Leopoldstraße 9, München', tier: 'B', lat: 48.16, lon: 11.586 },
  { id: 3, name: 'Café Sonne', address: 'Sendlinger Str. 3, München', tier: 'C', lat: 48.135, lon: 11.569 },
  { id: 4, name: 'Gone GmbH', address: 'x', tier: 'A', lat: 48, lon: 11, deleted_at: '2026-01-01T00:00:00Z' },
];
const DUE = [
  { account_id: 2, touch_type: 'visit', status: 'overdue', reason: 'tier B: 0 of 1 visit' },
  { account_id: 2, touch_type: 'call', status: 'upcoming', reason: 'call later' },
  { account_id: 3, touch_type: 'email', status: 'due', reason: 'email due' },
];

test('search: accent-free words over name and address, tier and due status filters', () => {
  assert.equal(fold('Bäckerei Straße'), 'backerei strasse');
  assert.deepEqual(searchAccounts(ACCOUNTS, DUE, { q: 'backerei' }).map((r) => r.account.id), [1]);
  assert.deepEqual(searchAccounts(ACCOUNTS, DUE, { q: 'münchen leopold' }).map((r) => r.account.id), [2]);
  assert.deepEqual(searchAccounts(ACCOUNTS, DUE, { tier: 'C' }).map((r) => r.account.id), [3]);
  assert.deepEqual(searchAccounts(ACCOUNTS, DUE, { due: 'overdue' }).map((r) => [r.account.id, r.reason]), [[2, 'tier B: 0 of 1 visit']]);
  assert.deepEqual(searchAccounts(ACCOUNTS, DUE, { due: 'ok' }).map((r) => r.account.id), [1]);
  // Every live account is reachable: no filter lists all of them, most pressing first.
  assert.deepEqual(searchAccounts(ACCOUNTS, DUE).map((r) => r.account.id), [2, 3, 1]);
});

test('search: near me sorts by distance and says how far', () => {
  const near = { lat: 48.1605, lon: 11.586 };
  const rows = searchAccounts(ACCOUNTS, DUE, { near });
  assert.deepEqual(rows.map((r) => r.account.id), [2, 1, 3]);
  assert.ok(rows[0].distance_m < 100);
  assert.ok(Math.abs(distanceM({ lat: 0, lon: 0 }, { lat: 0, lon: 1 }) - 111_195) < 50);
  assert.equal(formatDistance(349), '350 m');
  assert.equal(formatDistance(4240), '4.2 km');
});

const ROUTE = {
  start: { lat: 48.137, lon: 11.575 },
  break: { start: '12:00:00', end: '12:30:00' },
  legs: [{ from: 'start', to: '11', travel_seconds: 600 }, { from: '11', to: '12', travel_seconds: 900 }],
  stops: [
    { seq: 2, account_id: 12, name: 'B', value: 90, arrival: '12:40:00', start: '13:00:00', departure: '13:30:00', lat: 48.15, lon: 11.6 },
    { seq: 1, account_id: 11, name: 'A', value: 120, arrival: '08:10:00', start: '08:10:00', departure: '08:55:00', lat: 48.14, lon: 11.58 },
    { seq: 3, account_id: 13, name: 'C', value: 100, arrival: '13:50:00', start: '13:50:00', departure: '14:20:00', lat: 48.16, lon: 11.61 },
  ],
};

test('stop rows: one labelled visit range, be there at when waiting, drive minutes, value rank, break in place', () => {
  const rows = stopRows(ROUTE);
  assert.deepEqual(rows.map((r) => (r.kind === 'break' ? 'break' : r.stop.account_id)), [11, 'break', 12, 13]);
  const [a, brk, b, c] = rows;
  assert.equal(a.visit, '08:10–08:55');
  assert.equal(a.be_there_at, null);
  assert.equal(a.drive_minutes, 10);
  assert.equal(a.value_rank, 1);
  assert.deepEqual([brk.start, brk.end], ['12:00', '12:30']);
  assert.equal(b.be_there_at, '13:00');
  assert.equal(b.wait_minutes, 20);
  assert.equal(b.drive_minutes, 15);
  assert.equal(b.value_rank, 3);
  // No stored leg 12 -> 13 (the rep reordered): estimated from the straight line.
  assert.equal(c.drive_estimated, true);
  assert.ok(c.drive_minutes >= 1 && c.drive_minutes < 10);
});

test('re-plan diff: moves, adds, drops and before/after totals', () => {
  const cur = { travel_seconds: 3600, stops: [
    { seq: 1, account_id: 1, name: 'One', value: 10, status: 'done' },
    { seq: 2, account_id: 2, name: 'Two', value: 20 },
    { seq: 3, account_id: 3, name: 'Three', value: 30 },
    { seq: 4, account_id: 4, name: 'Four', value: 40 }] };
  const next = { travel_seconds: 3000, stops: [
    { seq: 1, account_id: 1, name: 'One', value: 10, status: 'done' },
    { seq: 2, account_id: 5, name: 'Five', value: 50 },
    { seq: 3, account_id: 4, name: 'Four', value: 40 },
    { seq: 4, account_id: 2, name: 'Two', value: 20 }] };
  const d = diffRoutes(cur, next);
  assert.deepEqual(d.added.map((s) => s.name), ['Five']);
  assert.deepEqual(d.dropped.map((s) => s.name), ['Three']);
  assert.deepEqual(d.moved.map((m) => [m.stop.name, m.from, m.to]), [['Four', 3, 2], ['Two', 1, 3]]);
  assert.deepEqual(d.before, { stops: 3, value: 90, drive_minutes: 60 });
  assert.deepEqual(d.after, { stops: 3, value: 110, drive_minutes: 50 });
  assert.equal(diffRoutes(cur, cur).changed, false);
  assert.deepEqual(moveInOrder([1, 2, 3], 0, 1), [2, 1, 3]);
  const same = [1, 2, 3];
  assert.equal(moveInOrder(same, 0, -1), same);
});

test('pending words speak of visits, calls and emails', () => {
  assert.equal(pendingText([]), '');
  assert.equal(pendingText([{ name: 'touch.log', args: { type: 'visit' } }, { name: 'touch.log', args: { type: 'visit' } },
    { name: 'touch.log', args: { type: 'call' } }, { name: 'stop.update', args: {} }]), '2 visits, 1 call, 1 stop update not sent yet');
  assert.equal(pendingText([{ name: 'touch.log', args: { type: 'email' } }]), '1 email not sent yet');
});

test('stop rows: after the rep reorders offline, open stops are re-timed in the new order (marked estimated)', () => {
  const reordered = { ...ROUTE, stops: ROUTE.stops.map((s) => (s.account_id === 13 ? { ...s, seq: 1 } : s.account_id === 11 ? { ...s, seq: 3 } : s)) };
  const rows = stopRows(reordered).filter((r) => r.kind === 'stop');
  assert.deepEqual(rows.map((r) => r.stop.account_id), [13, 12, 11]);
  assert.ok(rows.every((r) => r.estimated));
  const starts = rows.map((r) => r.visit.slice(1, 6));
  assert.deepEqual([...starts].sort(), starts); // in order again
  assert.ok(rows.every((r) => r.visit.startsWith('≈')));
});

import { checkinVerdict } from '../src/lib/checkin.js';
import { iosNeedsHomeScreen } from '../src/lib/platform.js';

test('check-in: distance to the account, a warning only beyond the radius', () => {
  const stop = { lat: 48.137, lon: 11.575 };
  assert.deepEqual(checkinVerdict({ lat: 48.137, lon: 11.575 }, stop, 300), { distance_m: 0, beyond: false, radius_m: 300 });
  const far = checkinVerdict({ lat: 48.147, lon: 11.575 }, stop, 300);
  assert.ok(far.beyond && far.distance_m > 1000 && far.distance_m < 1200);
  assert.deepEqual(checkinVerdict(null, stop, 300), { distance_m: null, beyond: false, radius_m: 300 });
});

test('iPhone outside the Home Screen needs the hint; installed or Android does not', () => {
  const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1';
  assert.equal(iosNeedsHomeScreen(iphone, false), true);
  assert.equal(iosNeedsHomeScreen(iphone, true), false);
  assert.equal(iosNeedsHomeScreen('Mozilla/5.0 (Linux; Android 14) Chrome/120 Mobile', false), false);
});
