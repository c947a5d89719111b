// The outbox, the local mutators and the handling of a push answer, on a real IndexedDB
// implementation (fake-indexeddb) with the app's own Dexie schema: node --test test/
import 'fake-indexeddb/auto';
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';

const { db, setMeta } = await import('../src/lib/db.js');
const { mutate, mutateAll, pendingFor } = await import('../src/lib/outbox.js');
const { applyResults } = await import('../src/lib/sync-core.js');
const { logVisitAndCheckOut, updateStop, keepMine, takeServer, updateFollowUp } = await import('../src/lib/actions.js');
const { listRejected, rejectedText, dismissRejected } = await import('../src/lib/rejected.js');

const REP = { id: 7, role: 'rep', name: 'Rita' };
const ROUTE = {
  id: 40,
  rep_id: 7,
  date: '2026-11-24',
  version: 3,
  stops: [
    { seq: 1, account_id: 11, name: 'Shop 11', status: 'arrived', arrived_at: '2026-11-24T09:00:00Z' },
    { seq: 2, account_id: 12, name: 'Shop 12', status: 'planned', arrived_at: null },
  ],
};

beforeEach(async () => {
  await Promise.all(db.tables.map((t) => t.clear()));
  await setMeta('user', REP);
  await db.routes.put(structuredClone(ROUTE));
  await db.accounts.bulkPut([{ id: 11, name: 'Shop 11', version: 2, notes: '' }, { id: 12, name: 'Shop 12', version: 1 }]);
});

const stopOf = async (accountId) => (await db.routes.get(ROUTE.id)).stops.find((s) => s.account_id === accountId);

test('each write is applied locally and queued with gap-free mutation ids per user', async () => {
  await mutate('account.update', { account_id: 11, base_version: 2, base: { notes: '' }, changes: { notes: 'Call Tue' } });
  await updateStop({ route_id: ROUTE.id, account_id: 12, status: 'skipped', skip_reason: 'Closed' });
  const queued = await pendingFor(REP.id);
  assert.deepEqual(queued.map((m) => m.mutation_id), [1, 2]);
  assert.equal((await db.accounts.get(11)).notes, 'Call Tue');
  assert.equal((await stopOf(12)).status, 'skipped');
  // The stop update carries what the device saw, so the server can tell a merge from a conflict.
  assert.equal(queued[1].args.base_version, 3);
  assert.equal(queued[1].args.base_status, 'planned');
});

test('check out & log writes the visit and the done stop together, in send order', async () => {
  const id = await logVisitAndCheckOut({ route_id: ROUTE.id, account_id: 11, outcome: 'positive', notes: 'Ordered' });
  const queued = await pendingFor(REP.id);
  assert.deepEqual(queued.map((m) => m.name), ['touch.log', 'stop.update']);
  assert.equal(queued[0].args.id, id);
  assert.equal(queued[1].args.status, 'done');
  assert.equal(queued[1].args.base_status, 'arrived');
  assert.equal((await db.touches.get(id)).notes, 'Ordered');
  const stop = await stopOf(11);
  assert.equal(stop.status, 'done');
  assert.equal(stop.arrived_at, '2026-11-24T09:00:00Z'); // the check-in time is kept
});

test('a group of writes is all or nothing: one failing leaves no stop done and no queue entry', async () => {
  await assert.rejects(mutateAll([
    ['stop.update', { route_id: ROUTE.id, account_id: 11, status: 'done', at: '2026-11-24T10:00:00Z' }],
    ['touch.log', { account_id: 11, type: 'visit' }], // no id: IndexedDB refuses the row
  ]));
  assert.equal((await stopOf(11)).status, 'arrived');
  assert.equal((await pendingFor(REP.id)).length, 0);
  // The counter did not move either: the next write still gets mutation id 1.
  assert.equal((await mutate('stop.update', { route_id: ROUTE.id, account_id: 12, status: 'arrived', at: 'x' })).mutation_id, 1);
});

test('a stop that goes straight to done gets an arrival time', async () => {
  await updateStop({ route_id: ROUTE.id, account_id: 12, status: 'done' });
  const stop = await stopOf(12);
  assert.equal(stop.status, 'done');
  assert.ok(stop.arrived_at && stop.arrived_at === stop.done_at);
});

test('a touch arriving from the server replaces the pending local copy, and re-applying is a no-op', async () => {
  const args = { id: 'b1c7', account_id: 11, type: 'call', outcome: 'neutral', occurred_at: '2026-11-24T08:00:00Z' };
  await mutate('touch.log', args);
  assert.equal((await db.touches.get('b1c7'))._pending, 1);
  await db.touches.put({ ...args, rep_id: 7, notes: 'server copy' });
  const { mutators } = await import('../src/lib/mutators.js');
  await mutators['touch.log'].apply(args, { repId: 7 });
  assert.equal((await db.touches.get('b1c7')).notes, 'server copy');
});

test('push results: applied, rejected (content kept with its reason), conflict, and the queue acknowledged', async () => {
  const visit = await logVisitAndCheckOut({ route_id: ROUTE.id, account_id: 11, outcome: 'positive', notes: 'Big order' });
  await mutate('account.update', { account_id: 12, base_version: 1, base: { name: 'Shop 12' }, changes: { name: 'Shop Twelve' } });
  const later = await mutate('touch.log', { id: 'later', account_id: 12, type: 'email', outcome: 'neutral', occurred_at: '2026-11-24T11:00:00Z' });
  const batch = await pendingFor(REP.id);
  const [touch, stop, edit] = batch;
  const summary = await applyResults(REP.id, batch, {
    last_mutation_id: 3,
    results: [
      { id: touch.id, mutation_id: 1, status: 'rejected', reason: 'not_in_scope', message: 'Account moved to another rep.' },
      { id: stop.id, mutation_id: 2, status: 'applied' },
      { id: edit.id, mutation_id: 3, status: 'conflict', fields: ['name'], server: { id: 12, name: 'Shop 12 GmbH', version: 2 } },
      { id: later.id, mutation_id: 4, status: 'deferred' },
    ],
  });
  assert.deepEqual(summary, { conflicts: 1, rejected: 1 });
  // Acknowledged entries leave the outbox; the deferred one stays queued.
  assert.deepEqual((await pendingFor(REP.id)).map((m) => m.mutation_id), [4]);
  // The rejected visit is gone from the visit list but its content and reason are kept.
  assert.equal(await db.touches.get(visit), undefined);
  const rejected = await listRejected();
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0].args.notes, 'Big order');
  assert.equal(rejected[0].reason, 'No longer your account');
  assert.equal(rejected[0].message, 'Account moved to another rep.');
  assert.equal(rejectedText(rejected), '1 visit not accepted: No longer your account');
  // The conflict is stored for the rep, and the server's row replaces the local one.
  const conflict = (await db.conflicts.toArray())[0];
  assert.deepEqual(conflict.mine, { name: 'Shop Twelve' });
  assert.equal((await db.accounts.get(12)).name, 'Shop 12 GmbH');
  // The still-pending email is re-applied on top of the server rows.
  assert.equal((await db.touches.get('later'))._pending, 1);
  await dismissRejected(rejected[0].id);
  assert.equal((await listRejected()).length, 0);
});

test('a stop conflict keeps my status and the server stop side by side', async () => {
  await updateStop({ route_id: ROUTE.id, account_id: 12, status: 'skipped', skip_reason: 'Closed' });
  const batch = await pendingFor(REP.id);
  const server = { ...structuredClone(ROUTE), version: 4 };
  server.stops[1] = { ...server.stops[1], status: 'done', version: 4 };
  await applyResults(REP.id, batch, {
    last_mutation_id: 1,
    results: [{ id: batch[0].id, mutation_id: 1, status: 'conflict', fields: ['status'], server }],
  });
  const conflict = (await db.conflicts.toArray())[0];
  assert.deepEqual(conflict.mine, { status: 'skipped', skip_reason: 'Closed' });
  assert.equal(conflict.server.status, 'done');
  assert.equal(conflict.route_version, 4);
  assert.equal((await stopOf(12)).status, 'done'); // the screen shows the server's state

  // "Keep mine" re-sends my status against the server's version and stop, so it now applies.
  await keepMine(conflict);
  assert.equal(await db.conflicts.count(), 0);
  const [again] = await pendingFor(REP.id);
  assert.equal(again.name, 'stop.update');
  assert.equal(again.args.status, 'skipped');
  assert.equal(again.args.base_version, 4);
  assert.equal(again.args.base_status, 'done');
  assert.equal((await stopOf(12)).status, 'skipped');
});

test('"take server\'s" on a stop conflict keeps the server stop and queues nothing', async () => {
  await db.conflicts.put({ id: 'c1', name: 'stop.update', route_id: ROUTE.id, account_id: 11, fields: ['status'],
    mine: { status: 'skipped', skip_reason: 'Closed' }, server: { account_id: 11, status: 'arrived' }, route_version: 3, created_at: 'x' });
  await takeServer(await db.conflicts.get('c1'));
  assert.equal(await db.conflicts.count(), 0);
  assert.equal((await pendingFor(REP.id)).length, 0);
  assert.equal((await stopOf(11)).status, 'arrived');
});

test('rejections of another user on this device are not shown to the signed-in rep', async () => {
  await db.rejected.put({ id: 'x', user_id: 99, name: 'touch.log', args: { type: 'visit' }, reason: 'Invalid data', at: '2026-11-24T08:00:00Z' });
  assert.equal((await listRejected()).length, 0);
  assert.equal(rejectedText([{ name: 'touch.log', args: { type: 'call' }, reason: 'r' }, { name: 'touch.log', args: { type: 'call' }, reason: 's' }]), '2 calls not accepted: r');
});

test('a follow-up marked done and moved offline is queued with its base and survives a rebase', async () => {
  const task = { id: 'f1', account_id: 11, rep_id: 7, type: 'call', next_step: 'Send the quote', next_step_on: '2026-11-24', follow_up_done: false, follow_up_done_at: null };
  await db.touches.put(task);
  await updateFollowUp('f1', { follow_up_done: true });
  assert.equal(await updateFollowUp('f1', { follow_up_done: true }), null); // already done: nothing queued
  await updateFollowUp('f1', { next_step_on: '2026-11-26' });
  const queued = await pendingFor(REP.id);
  assert.deepEqual(queued.map((m) => [m.name, m.args.base, m.args.changes]), [
    ['follow_up.update', { follow_up_done: false }, { follow_up_done: true }],
    ['follow_up.update', { next_step_on: '2026-11-24' }, { next_step_on: '2026-11-26' }],
  ]);
  // A pull brings the server's (older) copy; the pending edits are re-applied on top of it.
  const { rebasePending } = await import('../src/lib/outbox.js');
  await db.touches.put(task);
  await rebasePending(REP.id);
  const local = await db.touches.get('f1');
  assert.equal(local.follow_up_done, true);
  assert.ok(local.follow_up_done_at);
  assert.equal(local.next_step_on, '2026-11-26');
});

test('a follow-up conflict shows both days; "keep mine" re-sends against the server row, "take server\'s" keeps it', async () => {
  await db.touches.put({ id: 'f2', account_id: 12, rep_id: 7, next_step: 'Call back', next_step_on: '2026-11-24', follow_up_done: false });
  await updateFollowUp('f2', { next_step_on: '2026-11-25' });
  const batch = await pendingFor(REP.id);
  const server = { id: 'f2', account_id: 12, rep_id: 7, next_step: 'Call back', next_step_on: '2026-11-27', follow_up_done: false, follow_up_done_at: null };
  await applyResults(REP.id, batch, {
    last_mutation_id: 1,
    results: [{ id: batch[0].id, mutation_id: 1, status: 'conflict', fields: ['next_step_on'], server }],
  });
  const conflict = (await db.conflicts.toArray())[0];
  assert.equal(conflict.account_id, 12);
  assert.deepEqual(conflict.mine, { next_step_on: '2026-11-25' });
  assert.equal(conflict.server.next_step_on, '2026-11-27');
  assert.equal((await db.touches.get('f2')).next_step_on, '2026-11-27');
  await keepMine(conflict);
  const [again] = await pendingFor(REP.id);
  assert.deepEqual([again.args.base, again.args.changes], [{ next_step_on: '2026-11-27' }, { next_step_on: '2026-11-25' }]);
  assert.equal((await db.touches.get('f2')).next_step_on, '2026-11-25');
  await db.conflicts.put({ ...conflict, id: 'c2' });
  await takeServer(await db.conflicts.get('c2'));
  assert.equal((await db.touches.get('f2')).next_step_on, '2026-11-27');
});

test('a follow-up change the server refused is undone on the device and kept with its reason', async () => {
  await db.touches.put({ id: 'f3', account_id: 11, rep_id: 7, next_step: '', next_step_on: '2026-11-24', follow_up_done: false });
  await updateFollowUp('f3', { follow_up_done: true });
  const batch = await pendingFor(REP.id);
  await applyResults(REP.id, batch, {
    last_mutation_id: 1,
    results: [{ id: batch[0].id, mutation_id: 1, status: 'rejected', reason: 'invalid', errors: { 'args.touch_id': ['The touch has no next step to follow up.'] } }],
  });
  assert.equal((await db.touches.get('f3')).follow_up_done, false);
  assert.equal(rejectedText(await listRejected()).startsWith('1 follow-up change not accepted'), true);
});
