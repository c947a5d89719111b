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
  // Device-owned: the queue of mutations not yet acknowledged by the server. Entries are tagged
  // with their user (the server keys client state by (user, client_id)), and within one user the
  // mutation_id gives send order.
  outbox: '++seq, &id, user_id, [user_id+mutation_id]',
  // Key/value: user, csrf_token, cursor, last_sync_at, "client:<user id>" = {client_id, next}, ...
  meta: 'key',
  // Mutations the server answered "conflict" for, kept until the rep decides.
  conflicts: 'id, account_id, created_at',
});

// v2: mutations the server answered "rejected" keep their content here (never silently dropped):
// the rep sees each with the server's reason until they dismiss it. Device-owned and tagged with
// the user, like the outbox, so logout keeps them. The v1 list in meta moves in.
db.version(2)
  .stores({ rejected: 'id, user_id, name, account_id, at' })
  .upgrade(async (tx) => {
    const old = await tx.table('meta').get('rejections');
    for (const r of old?.value || []) {
      const user = (await tx.table('meta').get('user'))?.value;
      await tx.table('rejected').put({ ...r, user_id: user?.id ?? null, account_id: r.args?.account_id ?? null, message: null });
    }
    await tx.table('meta').delete('rejections');
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
