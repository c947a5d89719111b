// The outbox: every local write is recorded here in the SAME IndexedDB transaction as the change
// it makes, so a crash or a closed tab can never keep one without the other.
import { db, getMeta, setMeta } from './db.js';
import { mutators, MUTATED_TABLES } from './mutators.js';
import { uuid } from './uuid.js';
import { emit } from './events.js';

/** This device's stable id; created on first use and kept across logouts and resets. */
export async function getClientId() {
  let id = await getMeta('client_id');
  if (!id) {
    id = uuid();
    await setMeta('client_id', id);
  }
  return id;
}

/**
 * Apply mutation `name` locally and queue it for the server, atomically.
 * Returns the queued mutation ({id, mutation_id, name, args}).
 */
export async function mutate(name, args, context = {}) {
  const m = mutators[name];
  if (!m) throw new Error(`unknown mutation ${name}`);
  const user = await getMeta('user');
  const queued = await db.transaction('rw', [db.outbox, db.meta, ...m.tables.map((t) => db[t])], async () => {
    await m.apply(args, { repId: user?.id, ...context });
    // The counter lives in meta and is read+written inside this transaction, so two tabs
    // writing at once still get distinct, increasing ids (IndexedDB serialises rw transactions).
    const mutation_id = (await getMeta('next_mutation_id', 1));
    await setMeta('next_mutation_id', mutation_id + 1);
    const row = { id: uuid(), mutation_id, name, args, created_at: new Date().toISOString() };
    await db.outbox.add(row);
    return row;
  });
  emit('outbox-changed', { reason: 'write' });
  return queued;
}

/** The oldest `limit` pending mutations, in send order. */
export function peek(limit) {
  return db.outbox.orderBy('mutation_id').limit(limit).toArray();
}

export function pendingCount() {
  return db.outbox.count();
}

/** Re-apply every pending mutation on top of freshly pulled server rows (call inside a tx). */
export async function rebasePending(context = {}) {
  const pending = await db.outbox.orderBy('mutation_id').toArray();
  for (const row of pending) await mutators[row.name]?.apply(row.args, context);
}

/** Tables a rebase transaction has to include. */
export const REBASE_TABLES = ['outbox', 'meta', ...MUTATED_TABLES];
