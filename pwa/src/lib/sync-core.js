// Push and pull, one pass each, per docs/sync-protocol.md. No DOM here: the service worker runs
// pushAll() itself on a Background Sync event when no page is open. Scheduling, backoff and
// triggers live in sync.js.
import { db, getMeta, setMeta, CACHE_TABLES } from './db.js';
import { request, ApiError, setCsrfToken } from './api.js';
import { getClientId, peek, rebasePending, dropAcknowledged } from './outbox.js';
import { mutators } from './mutators.js';
import { PUSH_BATCH, PULL_LIMIT, SCHEMA_VERSION } from './config.js';

/** A stop that retrying soon will not fix (app update, new login, a client bug). */
export class SyncStop extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind; // 'update' (426) | 'auth' (401/403) | 'blocked' (422 and other 4xx)
  }
}

const ENTITY_TABLE = { account: 'accounts', touch: 'touches', route: 'routes', due: 'due' };
const ALL_TABLES = ['outbox', 'meta', 'conflicts', 'rejected', ...CACHE_TABLES];

function retryAfterMs(res) {
  const v = res.headers?.get?.('Retry-After');
  if (!v) return null;
  const s = Number(v);
  return Number.isFinite(s) ? s * 1000 : Math.max(0, Date.parse(v) - Date.now()) || null;
}

function checkStatus(res) {
  if (res.ok) return;
  if (res.status === 426) throw new SyncStop('update', res.data?.message || 'Update the app to keep syncing.');
  if (res.status === 401 || res.status === 403) throw new SyncStop('auth', 'Sign in again to sync.');
  if (res.status >= 500 || res.status === 429) {
    const err = new ApiError(res.status, res.data);
    err.retryAfterMs = retryAfterMs(res);
    throw err;
  }
  throw new SyncStop('blocked', res.data?.message || `Server answered ${res.status}`);
}

// A 403 on a push is most often a stale CSRF token (the session was renewed elsewhere): refresh it
// once from /api/me before giving up. Never drop queued data for a whole-request error.
async function refreshCsrf() {
  const me = await request('GET', '/api/me');
  if (me.ok && me.data?.csrf_token) {
    await setCsrfToken(me.data.csrf_token);
    return true;
  }
  return false;
}

function reasonText(r) {
  const fields = Object.entries(r.errors || {}).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`);
  const base = { invalid: 'Invalid data', not_in_scope: 'No longer your account', not_found: 'Not found on the server',
    not_editable: 'That field cannot be edited', invalid_transition: 'Stop already finished' }[r.reason] || r.reason || 'Rejected by the server';
  return fields.length ? `${base} (${fields.join('; ')})` : base;
}

// What the server would not take stays on the device, content and reason, until the rep has
// seen it and dismissed it (a visit is never silently dropped).
async function recordRejection(userId, m, r) {
  await db.rejected.put({
    id: m.id,
    user_id: userId,
    name: m.name,
    args: m.args,
    account_id: m.args?.account_id ?? null,
    reason: reasonText(r),
    code: r.reason || null,
    message: r.message || null,
    at: new Date().toISOString(),
  });
}

function pick(obj, fields) {
  return Object.fromEntries(fields.map((f) => [f, obj?.[f] ?? null]));
}

/** Apply one push answer: per-item results, then drop what the server acknowledged (in one tx). */
export async function applyResults(userId, batch, body) {
  const acked = Number(body?.last_mutation_id ?? 0);
  const summary = { conflicts: 0, rejected: 0 };
  await db.transaction('rw', ALL_TABLES.map((t) => db[t]), async () => {
    for (const r of body?.results || []) {
      const m = batch.find((x) => x.mutation_id === r.mutation_id && x.id === r.id) || batch.find((x) => x.mutation_id === r.mutation_id);
      if (!m || r.status === 'deferred') continue;
      // A duplicate whose first answer was lost carries that answer as `outcome`.
      const status = r.status === 'duplicate' && (r.outcome === 'conflict' || r.outcome === 'rejected') ? r.outcome : r.status;
      if (status === 'applied' || status === 'duplicate') {
        if (m.name === 'touch.log') await db.touches.update(m.args.id, { _pending: undefined });
        // The server's route moved one version on; until its copy arrives (the pull replaces the
        // whole row, dropping this count) later reorders must be based on that version.
        if (status === 'applied' && (m.name === 'route.reorder' || m.name === 'stop.update')) {
          await db.routes.where('id').equals(m.args.route_id).modify((row) => { row._acked = (row._acked || 0) + 1; });
        }
      } else if (status === 'conflict') {
        summary.conflicts++;
        const fields = r.fields?.length ? r.fields : Object.keys(m.args.changes || {});
        const isStop = m.name === 'stop.update';
        await db.conflicts.put({
          id: m.id,
          name: m.name,
          account_id: m.args.account_id ?? r.server?.account_id ?? null,
          route_id: m.args.route_id ?? null,
          fields,
          mine: m.name === 'route.reorder' ? { order: m.args.order }
            : isStop ? { status: m.args.status, skip_reason: m.args.skip_reason ?? null }
              : pick(m.args.changes, fields),
          // For a stop, the server's stop (what the conflict screen compares) and its route version.
          server: isStop ? r.server?.stops?.find((s) => s.account_id === m.args.account_id) || null : r.server || null,
          route_version: isStop ? r.server?.version ?? null : undefined,
          created_at: new Date().toISOString(),
        });
        if (r.server && m.name === 'account.update') await db.accounts.put(r.server);
        if (r.server && (m.name === 'route.reorder' || isStop)) await db.routes.put(r.server);
        if (r.server && m.name === 'follow_up.update') await db.touches.put(r.server);
      } else if (status === 'rejected') {
        summary.rejected++;
        // Undo the optimistic change: a rejected touch never reached the server.
        if (m.name === 'touch.log') await db.touches.delete(m.args.id);
        // A follow-up edit the server refused: back to what the device had before it.
        if (m.name === 'follow_up.update') await mutators['follow_up.update'].apply({ ...m.args, changes: m.args.base, at: null });
        await recordRejection(userId, m, r);
      }
    }
    // The protocol's one rule for the queue: everything at or below last_mutation_id is done.
    await dropAcknowledged(userId, acked);
    await rebasePending(userId);
  });
  return summary;
}

/** Send this user's outbox in batches. Returns counts; throws ApiError (transient) or SyncStop. */
export async function pushAll() {
  const user = await getMeta('user');
  if (!user) return { sent: 0 };
  const client_id = await getClientId(user.id);
  const total = { sent: 0, conflicts: 0, rejected: 0 };
  let size = PUSH_BATCH;
  let csrfRetried = false;
  for (let rounds = 0; rounds < 1000; rounds++) {
    const batch = await peek(user.id, size);
    if (!batch.length) return total;
    const mutations = batch.map(({ id, mutation_id, name, args }) => ({ id, mutation_id, name, args }));
    const res = await request('POST', '/api/sync/push', { json: { client_id, schema_version: SCHEMA_VERSION, mutations } });
    if (res.status === 413 && batch.length > 1) {
      size = Math.max(1, Math.floor(batch.length / 2)); // too large: halve and try again
      continue;
    }
    if (res.status === 403 && !csrfRetried) {
      csrfRetried = true;
      if (await refreshCsrf()) continue;
    }
    checkStatus(res);
    const before = batch[0].mutation_id;
    const s = await applyResults(user.id, batch, res.data);
    total.sent += batch.length;
    total.conflicts += s.conflicts;
    total.rejected += s.rejected;
    // Nothing acknowledged (all deferred): the server is waiting for an id we do not have. Stop
    // rather than loop; the entries stay queued and the sync screen shows them.
    if (Number(res.data?.last_mutation_id ?? 0) < before) throw new SyncStop('blocked', 'The server is waiting for an earlier change.');
  }
  return total;
}

async function clearCaches() {
  for (const t of CACHE_TABLES) await db[t].clear();
}

async function applyChanges(userId, changes) {
  for (const c of changes) {
    if (c.entity === 'plan') {
      if (c.op === 'put') await setMeta('plan', c.data);
      continue;
    }
    const table = db[ENTITY_TABLE[c.entity]];
    if (!table) continue; // an entity this client version does not know: ignore, don't fail
    if (c.op === 'put') await table.put({ ...c.data, id: c.data?.id ?? c.id });
    else if (c.op === 'delete') await table.delete(c.id);
    else if (c.op === 'leave') {
      await table.delete(c.id);
      if (c.entity === 'account') await forgetAccount(c.id);
    }
  }
  await rebasePending(userId);
}

// An account left the rep's scope: drop its due items and the route stops not yet done; keep the
// rep's own touches (they stay credited to the rep).
async function forgetAccount(accountId) {
  await db.due.where('account_id').equals(accountId).delete();
  await db.routes.toCollection().modify((r) => {
    r.stops = (r.stops || []).filter((s) => s.account_id !== accountId || s.status === 'done');
  });
}

/** Pull every page since the stored cursor; a reset clears local copies (not the outbox). */
export async function pullAll() {
  const user = await getMeta('user');
  if (!user) return { changes: 0 };
  let cursor = await getMeta('cursor', '');
  let count = 0;
  for (let pages = 0; pages < 10_000; pages++) {
    const qs = new URLSearchParams({ limit: String(PULL_LIMIT), schema_version: String(SCHEMA_VERSION) });
    if (cursor) qs.set('cursor', cursor);
    const res = await request('GET', `/api/sync/pull?${qs}`);
    checkStatus(res);
    const body = res.data || {};
    const changes = body.changes || [];
    count += changes.length;
    // One IndexedDB transaction per page: its rows, the re-applied outbox and the new cursor.
    await db.transaction('rw', ALL_TABLES.map((t) => db[t]), async () => {
      if (body.reset) await clearCaches(); // the page already starts from the beginning
      await applyChanges(user.id, changes);
      await setMeta('cursor', body.cursor ?? cursor);
    });
    cursor = body.cursor ?? cursor;
    if (!body.has_more) break;
  }
  await setMeta('last_sync_at', new Date().toISOString());
  return { changes: count };
}

/** Store rows fetched over plain REST (today's route, the week) with pending changes re-applied. */
export async function storeServerRows(entity, rows) {
  const user = await getMeta('user');
  const table = db[ENTITY_TABLE[entity]];
  await db.transaction('rw', ALL_TABLES.map((t) => db[t]), async () => {
    await table.bulkPut(rows);
    await rebasePending(user?.id);
  });
}

/** Replace the due list with the server's, then re-apply pending touches (their due effect). */
export async function replaceDue(rows) {
  const user = await getMeta('user');
  await db.transaction('rw', ALL_TABLES.map((t) => db[t]), async () => {
    await db.due.clear();
    await db.due.bulkPut(rows);
    await rebasePending(user?.id);
  });
}
