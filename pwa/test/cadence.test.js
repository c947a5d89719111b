// The JS due rule against the same cases as the Python engine (see src/lib/cadence.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cadenceStatus, periodContaining, accountDue, localDate } from '../src/lib/cadence.js';

const cases = JSON.parse(readFileSync(new URL('./fixtures/cadence-cases.json', import.meta.url), 'utf8'));

test('the shared cases are there', () => {
  assert.ok(cases.length >= 20);
});

for (const { input, expect } of cases) {
  const [tier, type, count, period, touches, asOf] = input;
  test(`cadence ${tier} ${count} ${type}/${period} on ${asOf} after [${touches.join(', ')}]`, () => {
    const st = cadenceStatus({ tier, touch_type: type, count, period }, touches, asOf);
    const got = Object.fromEntries(Object.keys(expect).map((k) => [k, st[k]]));
    assert.deepEqual(got, expect);
  });
}

test('ISO week labels across New Year', () => {
  assert.equal(periodContaining('week', '2027-01-01').label, '2026-W53');
  assert.equal(periodContaining('week', '2026-12-28').first, '2026-12-28');
  assert.equal(periodContaining('quarter', '2028-02-29').days, 91);
});

test('a visit logged today moves an overdue account off the overdue list', () => {
  const account = { id: 7, name: 'Bäckerei', tier: 'B', kare: 'keep' };
  const before = accountDue(account, null, { visit: [] }, '2026-11-25');
  const visitBefore = before.put.find((r) => r.touch_type === 'visit');
  assert.equal(visitBefore.status, 'overdue');
  assert.equal(visitBefore.id, '7:visit');
  const after = accountDue(account, null, { visit: ['2026-11-25'] }, '2026-11-25');
  assert.ok(!after.put.some((r) => r.touch_type === 'visit'));
  assert.ok(after.remove.includes('7:visit'));
});

test('local dates follow the rep\u2019s zone, and offset-less timestamps are UTC', () => {
  assert.equal(localDate('2026-11-24T23:30:00Z', 'Europe/Berlin'), '2026-11-25');
  assert.equal(localDate('2026-11-24T23:30:00', 'UTC'), '2026-11-24');
});
