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
