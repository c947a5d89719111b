// Domain writes used by the screens. Each goes through outbox.mutate(), which applies the change
// locally and queues it in one transaction.
import { db } from './db.js';
import { mutate, mutateAll } from './outbox.js';
import { uuid } from './uuid.js';

export const TOUCH_TYPES = ['visit', 'call', 'email'];
export const OUTCOMES = [
  { value: 'positive', label: 'Positive' },
  { value: 'neutral', label: 'Neutral' },
  { value: 'negative', label: 'Negative' },
  { value: 'no_contact', label: 'No contact' },
];
export const SKIP_REASONS = ['Closed', 'Contact not available', 'Out of time', 'Traffic', 'Other'];
export const EDITABLE_FIELDS = ['name', 'address', 'notes', 'tier', 'kare', 'status', 'contacts', 'opening_hours'];

function touchArgs({ account_id, type, outcome, notes = '', next_step = '', next_step_on = null, duration_minutes = null, checkin = null, occurred_at }) {
  return {
    id: uuid(),
    account_id,
    type,
    occurred_at: occurred_at || new Date().toISOString(),
    outcome,
    notes,
    next_step,
    // A date makes the next step a follow-up task: shown on Today and reminded on that day.
    next_step_on: next_step_on || null,
    duration_minutes,
    checkin,
  };
}

/** Log a visit, call or email; returns the new touch id. */
export async function logTouch(fields) {
  const args = touchArgs(fields);
  await mutate('touch.log', args);
  return args.id;
}

// The stop as this device sees it (its own unsent changes included) is the base the server
// checks: if someone else changed the same stop since, the rep gets a conflict, not an overwrite.
async function stopArgs({ route_id, account_id, status, skip_reason = null }) {
  const route = await db.routes.get(route_id);
  const stop = route?.stops?.find((s) => s.account_id === account_id);
  const args = { route_id, account_id, status, at: new Date().toISOString(), skip_reason };
  if (route?.version != null) args.base_version = route.version;
  if (stop) args.base_status = stop.status || 'planned';
  return args;
}

export async function updateStop(fields) {
  return mutate('stop.update', await stopArgs(fields));
}

/**
 * "Check out & log": the visit and the stop's "done" are written together, in one outbox
 * transaction, when the rep saves the visit (never a done stop without its visit).
 */
export async function logVisitAndCheckOut({ route_id, ...touch }) {
  const args = touchArgs({ ...touch, type: 'visit' });
  const stop = await stopArgs({ route_id, account_id: touch.account_id, status: 'done' });
  await mutateAll([['touch.log', args], ['stop.update', stop]]);
  return args.id;
}

/** Edit account fields; the base (values this device saw) lets the server detect real conflicts. */
export async function updateAccount(accountId, changes) {
  const current = await db.accounts.get(accountId);
  if (!current) throw new Error('Unknown account');
  const fields = Object.keys(changes).filter((f) => EDITABLE_FIELDS.includes(f));
  const real = fields.filter((f) => JSON.stringify(current[f]) !== JSON.stringify(changes[f]));
  if (!real.length) return null;
  return mutate('account.update', {
    account_id: accountId,
    base_version: current.version,
    base: Object.fromEntries(real.map((f) => [f, current[f] ?? null])),
    changes: Object.fromEntries(real.map((f) => [f, changes[f]])),
  });
}

const FOLLOW_UP_FIELDS = ['follow_up_done', 'next_step_on'];

function followUpOf(touch) {
  return { follow_up_done: Boolean(touch.follow_up_done), next_step_on: touch.next_step_on ?? null };
}

/**
 * Mark a follow-up done ({follow_up_done: true}, or false to reopen it) or move it to another day
 * ({next_step_on: 'YYYY-MM-DD'}), offline like the touch; the base lets the server spot a clash.
 */
export async function updateFollowUp(touchId, changes) {
  const touch = await db.touches.get(touchId);
  if (!touch) throw new Error('Unknown follow-up');
  const current = followUpOf(touch);
  const real = FOLLOW_UP_FIELDS.filter((f) => f in changes && changes[f] !== current[f]);
  if (!real.length) return null;
  return mutate('follow_up.update', {
    touch_id: touchId,
    base: Object.fromEntries(real.map((f) => [f, current[f]])),
    changes: Object.fromEntries(real.map((f) => [f, changes[f]])),
    at: new Date().toISOString(),
  });
}

/** Conflict resolution: keep my values, re-sent with the server's row as the new base. */
export async function keepMine(conflict) {
  const server = conflict.server || {};
  await db.transaction('rw', [db.conflicts, db.accounts, db.routes, db.touches, db.outbox, db.meta], async () => {
    await db.conflicts.delete(conflict.id);
    if (conflict.name === 'follow_up.update') {
      await mutate('follow_up.update', {
        touch_id: server.id,
        base: Object.fromEntries(conflict.fields.map((f) => [f, followUpOf(server)[f]])),
        changes: conflict.mine,
        at: new Date().toISOString(),
      });
      return;
    }
    if (conflict.name === 'stop.update') {
      await mutate('stop.update', {
        route_id: conflict.route_id,
        account_id: conflict.account_id,
        ...conflict.mine,
        at: new Date().toISOString(),
        base_version: conflict.route_version,
        base_status: server.status,
      });
      return;
    }
    if (conflict.name === 'route.reorder') {
      await mutate('route.reorder', { route_id: conflict.route_id, base_version: server.version, order: conflict.mine.order });
      return;
    }
    await mutate('account.update', {
      account_id: conflict.account_id,
      base_version: server.version,
      base: Object.fromEntries(conflict.fields.map((f) => [f, server[f] ?? null])),
      changes: conflict.mine,
    });
  });
}

/** Conflict resolution: take the server's values (already stored locally) and forget mine. */
export async function takeServer(conflict) {
  await db.transaction('rw', [db.conflicts, db.accounts, db.routes, db.touches], async () => {
    // A stop conflict stored the server's whole route when it arrived; nothing more to write.
    if (conflict.server && conflict.name !== 'stop.update') {
      const table = { 'route.reorder': db.routes, 'follow_up.update': db.touches }[conflict.name] || db.accounts;
      await table.put(conflict.server);
    }
    await db.conflicts.delete(conflict.id);
  });
}
