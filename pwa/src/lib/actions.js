// Domain writes used by the screens. Each goes through outbox.mutate(), which applies the change
// locally and queues it in one transaction.
import { db } from './db.js';
import { mutate } from './outbox.js';
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

/** Log a visit, call or email; returns the new touch id. */
export async function logTouch({ account_id, type, outcome, notes = '', next_step = '', duration_minutes = null, checkin = null, occurred_at }) {
  const id = uuid();
  await mutate('touch.log', {
    id,
    account_id,
    type,
    occurred_at: occurred_at || new Date().toISOString(),
    outcome,
    notes,
    next_step,
    duration_minutes,
    checkin,
  });
  return id;
}

export function updateStop({ route_id, account_id, status, skip_reason = null }) {
  return mutate('stop.update', { route_id, account_id, status, at: new Date().toISOString(), skip_reason });
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

/** Conflict resolution: keep my values, re-sent with the server's row as the new base. */
export async function keepMine(conflict) {
  const server = conflict.server || {};
  await db.transaction('rw', [db.conflicts, db.accounts, db.routes, db.outbox, db.meta], async () => {
    await db.conflicts.delete(conflict.id);
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
  await db.transaction('rw', [db.conflicts, db.accounts, db.routes], async () => {
    if (conflict.server) await (conflict.name === 'route.reorder' ? db.routes : db.accounts).put(conflict.server);
    await db.conflicts.delete(conflict.id);
  });
}
