// The one owner of the IndexedDB schema. Every version bump is appended here, never edited in
// place, so phones that skipped releases upgrade step by step.
import Dexie from 'dexie';

export const db = new Dexie('fieldrep');

db.version(1).stores({
  // Server-owned copies (replaced by pull, patched locally by pending mutations).
  accounts: 'id, owner_id, name, tier',
  touches: 'id, account_id, occurred_at, [account_id+occurred_at]',
  routes: 'id, date, [rep_id+date]',
  due: 'id, account_id, status, due_date',
  // Device-owned: the queue of mutations not yet acknowledged by the server. Keyed by the
  // per-device mutation_id so iteration order is send order.
  outbox: 'mutation_id, &id, name',
  // Key/value: client_id, next_mutation_id, cursor, user, csrf_token, last_sync_at, ...
  meta: 'key',
  // Mutations the server answered "conflict" for, kept until the rep decides.
  conflicts: 'id, account_id, created_at',
});

/** Tables that hold server copies; "reset" and logout clear these. */
export const CACHE_TABLES = ['accounts', 'touches', 'routes', 'due'];

export async function getMeta(key, fallback = undefined) {
  const row = await db.meta.get(key);
  return row === undefined ? fallback : row.value;
}

export function setMeta(key, value) {
  return db.meta.put({ key, value });
}
