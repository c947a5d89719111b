// The outbox: every local write is recorded here in the SAME IndexedDB transaction as the change
// it makes, so a crash or a closed tab can never keep one without the other.
import { db, getMeta, setMeta } from './db.js';
import { mutators } from './mutators.js';
import { uuid } from './uuid.js';
import { emit } from './events.js';

// The server keeps sync state per (user, client_id) and expects mutation ids 1, 2, 3... with no
// holes per pair, so each user on this device gets their own client id and counter. Both survive
// logout and cache resets: reusing an id for a new mutation would be answered "duplicate".
const clientKey = (userId) => `client:${userId}`;

/** {client_id, next} for this user on this device, created on first use (call inside a tx). */
async function clientFor(userId) {
  let c = await getMeta(clientKey(userId));
  if (!c) {
    c = { client_id: uuid(), next: 1 };
    await setMeta(clientKey(userId), c);
  }
  return c;
}

export async function getClientId(userId) {
  return db.transaction('rw', db.meta, async () => (await clientFor(userId)).client_id);
}

/**
 * Apply mutation `name` locally and queue it for the server, atomically.
 * Returns the queued entry ({id, mutation_id, name, args, user_id}).
 */
export async function mutate(name, args) {
  return (await mutateAll([[name, args]]))[0];
}

/**
 * Apply several mutations and queue them, in order, in ONE IndexedDB transaction: either all of
 * them are on the device or none is (e.g. "visit logged" and "stop done" go together).
 */
export async function mutateAll(list) {
  const defs = list.map(([name]) => {
    const m = mutators[name];
    if (!m) throw new Error(`unknown mutation ${name}`);
    return m;
  });
  const tables = new Set(defs.flatMap((m) => m.tables));
  const queued = await db.transaction('rw', [db.outbox, db.meta, ...[...tables].map((t) => db[t])], async () => {
    const user = await getMeta('user');
    if (!user) throw new Error('not signed in');
    const rows = [];
    for (const [i, [name, args]] of list.entries()) {
      await defs[i].apply(args, { repId: user.id });
      // Read and bumped inside this transaction: two tabs writing at once still get distinct,
      // gap-free ids because IndexedDB serialises overlapping read-write transactions.
      const client = await clientFor(user.id);
      await setMeta(clientKey(user.id), { ...client, next: client.next + 1 });
      const row = { id: uuid(), user_id: user.id, mutation_id: client.next, name, args, created_at: new Date().toISOString() };
      await db.outbox.add(row);
      rows.push(row);
    }
    return rows;
  });
  emit('outbox-changed', { reason: 'write' });
  return queued;
}

function forUser(userId) {
  return db.outbox.where('[user_id+mutation_id]').between([userId, 0], [userId, Infinity]);
}

/** The oldest `limit` pending mutations of this user, in send order. */
export function peek(userId, limit) {
  return forUser(userId).limit(limit).toArray();
}

export function pendingFor(userId) {
  return forUser(userId).toArray();
}

export function pendingCount(userId) {
  return forUser(userId).count();
}

/** Drop every entry the server has processed (mutation_id <= last_mutation_id). */
export function dropAcknowledged(userId, lastMutationId) {
  return db.outbox.where('[user_id+mutation_id]').between([userId, 0], [userId, lastMutationId], true, true).delete();
}

/** Re-apply this user's pending mutations on top of freshly pulled server rows (inside a tx). */
export async function rebasePending(userId) {
  if (userId == null) return;
  for (const row of await pendingFor(userId)) await mutators[row.name]?.apply(row.args, { repId: userId });
}
