// The Due screen's calls and emails: what a logged touch takes off the stored desk plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deskFetched, deskTotal, deskView } from '../src/lib/desk-plan.js';

const TZ = 'Europe/Berlin';
const item = (account_id, touch_type, minutes, reason = 'due today') => ({
  account_id, account_name: `Account ${account_id}`, tier: 'A', touch_type, minutes, due_date: '2026-12-04', reason,
});
const stored = {
  user_id: 7,
  fetched_at: '2026-12-04T08:05:00+00:00',
  plan: {
    date: '2026-12-04',
    minutes: 90,
    minutes_left: 30,
    today: [item(1, 'email', 5), item(2, 'call', 10), item(3, 'call', 10)],
    later: [item(1, 'call', 10, 'planned for Thursday 10 Dec'), item(4, 'email', 5, 'planned for Monday 7 Dec')],
    unplanned: [item(5, 'call', 10, 'no desk time left by 31 Dec')],
  },
};

test('the stored plan shows whole, in its order, with the minutes it takes', () => {
  const v = deskView(stored, [], 7, TZ);
  assert.deepEqual(v.today.map((t) => [t.account_id, t.touch_type]), [[1, 'email'], [2, 'call'], [3, 'call']]);
  assert.equal(deskTotal(v), '25 of 90 minutes');
  assert.equal(v.later.length, 2);
  assert.equal(v.unplanned.length, 1);
});

test('a call logged today (sent or not) leaves the list; older touches and other types do not', () => {
  const touches = [
    { account_id: 2, type: 'call', occurred_at: '2026-12-03T23:30:00Z' }, // 00:30 on the 4th in Berlin
    { account_id: 3, type: 'email', occurred_at: '2026-12-04T09:00:00Z', _pending: 1 }, // other type
    { account_id: 1, type: 'email', occurred_at: '2026-12-03T10:00:00Z' }, // yesterday, synced: counted already
    { account_id: 4, type: 'email', occurred_at: '2026-12-02T10:00:00Z', _pending: 1 }, // backdated, unsent
  ];
  const v = deskView(stored, touches, 7, TZ);
  assert.deepEqual(v.today.map((t) => t.account_id), [1, 3]);
  assert.equal(v.logged, 1);
  assert.equal(deskTotal(v), '15 of 90 minutes · 1 logged');
  assert.deepEqual(v.later.map((t) => t.account_id), [1]);
});

test("another user's stored list is never shown", () => {
  assert.equal(deskView(stored, [], 8, TZ), null);
  assert.equal(deskView(null, [], 7, TZ), null);
});

test('the note says when the list was fetched, and when it is an old day', () => {
  assert.equal(deskFetched(stored, '2026-12-04', true, TZ), 'Fetched at 09:05.');
  assert.equal(deskFetched(stored, '2026-12-04', false, TZ), 'Offline: the list as fetched at 09:05.');
  assert.match(deskFetched(stored, '2026-12-05', false, TZ), /^This list is from 2026-12-04 \(fetched 2026-12-04 at 09:05\)/);
});
