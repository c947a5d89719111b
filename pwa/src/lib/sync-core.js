// Push and pull, one pass each, per docs/api-contract.md. No DOM here: the service worker runs
// pushAll() itself on a Background Sync event when no page is open. Scheduling, backoff and
// triggers live in sync.js.
import { db, getMeta, setMeta, CACHE_TABLES } from './db.js';
import { request, ApiError, setCsrfToken } from './api.js';
import { getClientId, peek, rebasePending } from './outbox.js';
import { PUSH_BATCH, PULL_LIMIT, SCHEMA_VERSION } from './config.js';

/** A stop that retrying will not fix until something changes (app update, new login). */
export class SyncStop extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind; // 'update' (426) | 'auth' (401) | 'blocked' (other 4xx for a whole request)
  }
}

const ENTITY_TABLE = { account: 'accounts', touch: 'touches', route: 'routes', due: 'due' };
const ALL_TABLES = ['outbox', 'meta', 'conflicts', ...CACHE_TABLES];
const MAX_REJECTIONS = 20;

async function userContext() {
  const user = await getMeta('user');
  return { repId: user?.id };
}

function checkStatus(res) {
  if (res.ok) return;
  if (res.status === 426) throw new SyncStop('update', res.data?.message || 'Update the app to keep syncing.');
  if (res.status === 401) throw new SyncStop('auth', 'Sign in again to sync.');
  if (res.status >= 500 || res.status === 429) throw new ApiError(res.status, res.data);
  throw new SyncStop('blocked', res.data?.message || `Server answered ${res.status}`);
}

// A whole-request 400/403 is most often a stale CSRF token (session renewed elsewhere): refresh it
// once from /api/me before giving up. Never drop queued data for a whole-request error.
async function refreshCsrf() {
  const me = await request('GET', '/api/me');
  if (me.ok && me.data?.csrf_token) {
    await setCsrfToken(me.data.csrf_token);
    return true;
  }
  return false;
}

async function recordRejection(m, reason) {
  const list = await getMeta('rejections', []);
  list.unshift({ id: m.id, name: m.name, args: m.args, reason, at: new Date().toISOString() });
  await setMeta('rejections', list.slice(0, MAX_REJECTIONS));
}

async function dropRejected(m, reason) {
  await db.outbox.delete(m.mutation_id);
  // A rejected touch never reached the server: remove the optimistic copy so history is honest.
  if (m.name === 'touch.log') await db.touches.delete(m.args.id);
  await recordRejection(m, reason || 'Rejected by the server');
}

function pick(obj, fields) {
  return Object.fromEntries(fields.map((f) => [f, obj?.[f]]));
}

async function applyResults(batch, body, ctx) {
  const results = new Map((body?.results || []).map((r) => [r.mutation_id, r]));
  const acked = Number(body?.last_mutation_id ?? 0);
  const tables = ALL_TABLES.map((t) => db[t]);
  const summary = { applied: 0, conflicts: 0, rejected: 0 };
  await db.transaction('rw', tables, async () => {
    for (const m of batch) {
      const r = results.get(m.mutation_id);
      if (!r) {
        // No answer but at/below the acknowledged id: the server has it (an earlier duplicate).
        if (m.mutation_id <= acked) await db.outbox.delete(m.mutation_id);
        continue;
      }
      await db.outbox.delete(m.mutation_id);
      if (r.status === 'applied' || r.status === 'duplicate') {
        summary.applied++;
        if (m.name === 'touch.log') await db.touches.update(m.args.id, { _pending: undefined });
      } else if (r.status === 'conflict') {
        summary.conflicts++;
        const fields = r.fields?.length ? r.fields : Object.keys(m.args.changes || {});
        await db.conflicts.put({
          id: m.id,
          name: m.name,
          account_id: m.args.account_id ?? null,
          fields,
          mine: pick(m.args.changes, fields),
          base: pick(m.args.base, fields),
          server: r.server || null,
          reason: r.reason || null,
          created_at: new Date().toISOString(),
        });
        if (r.server && m.name === 'account.update') await db.accounts.put(r.server);
      } else {
        summary.rejected++;
        await dropRejected(m, r.reason);
      }
    }
    await rebasePending(ctx);
  });
  return summary;
}

/** Send the whole outbox in batches. Returns counts; throws ApiError (transient) or SyncStop. */
export async function pushAll() {
  const client_id = await getClientId();
  const ctx = await userContext();
  const total = { sent: 0, applied: 0, conflicts: 0, rejected: 0 };
  let size = PUSH_BATCH;
  let csrfRetried = false;
  for (;;) {
    const batch = await peek(size);
    if (!batch.length) return total;
    const mutations = batch.map(({ id, mutation_id, name, args }) => ({ id, mutation_id, name, args }));
    const res = await request('POST', '/api/sync/push', {
      json: { client_id, schema_version: SCHEMA_VERSION, mutations },
    });
    if (res.status === 413) {
      // Too large: halve until it fits; a single mutation that can never fit is dropped with a
      // visible reason rather than blocking everything queued behind it.
      if (batch.length === 1) {
        await db.transaction('rw', [db.outbox, db.meta, db.touches], () => dropRejected(batch[0], 'Too large to send'));
        total.rejected++;
      } else {
        size = Math.max(1, Math.floor(batch.length / 2));
      }
      continue;
    }
    if ((res.status === 400 || res.status === 403) && !csrfRetried) {
      csrfRetried = true;
      if (await refreshCsrf()) continue;
    }
    checkStatus(res);
    const s = await applyResults(batch, res.data, ctx);
    total.sent += batch.length;
    total.applied += s.applied;
    total.conflicts += s.conflicts;
    total.rejected += s.rejected;
  }
}

async function clearCaches() {
  await db.transaction('rw', CACHE_TABLES.map((t) => db[t]).concat(db.meta), async () => {
    for (const t of CACHE_TABLES) await db[t].clear();
    await setMeta('cursor', '');
  });
}

async function applyChanges(changes, cursor, ctx) {
  await db.transaction('rw', ALL_TABLES.map((t) => db[t]), async () => {
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
        // The account moved out of this rep's scope: forget it and what hangs off it, but keep
        // touches the rep logged (they stay credited to the rep).
        await table.delete(c.id);
        if (c.entity === 'account') await db.due.where('account_id').equals(c.id).delete();
      }
    }
    await rebasePending(ctx);
    await setMeta('cursor', cursor);
  });
}

/** Pull every page since the stored cursor. Handles reset by clearing caches once and restarting. */
export async function pullAll() {
  const ctx = await userContext();
  let cursor = await getMeta('cursor', '');
  let resets = 0;
  let count = 0;
  for (;;) {
    const qs = new URLSearchParams({ cursor: cursor || '', limit: String(PULL_LIMIT), schema_version: String(SCHEMA_VERSION) });
    const res = await request('GET', `/api/sync/pull?${qs}`);
    checkStatus(res);
    const body = res.data || {};
    if (body.reset) {
      if (resets++ > 0) throw new ApiError(500, null, 'Server asked to reset twice in one pull');
      await clearCaches();
      cursor = '';
      continue;
    }
    const changes = body.changes || [];
    count += changes.length;
    cursor = body.cursor ?? cursor;
    await applyChanges(changes, cursor, ctx);
    if (!body.has_more) break;
  }
  await setMeta('last_sync_at', new Date().toISOString());
  return { changes: count };
}

/** Store rows fetched over plain REST (today's route, the week) with pending changes re-applied. */
export async function storeServerRows(entity, rows) {
  const ctx = await userContext();
  const table = db[ENTITY_TABLE[entity]];
  await db.transaction('rw', ALL_TABLES.map((t) => db[t]), async () => {
    await table.bulkPut(rows);
    await rebasePending(ctx);
  });
}
