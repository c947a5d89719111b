// Manager and admin data helpers: paged lists (flask-smorest's X-Pagination header), CSV download
// links, the current week/month/quarter compliance blocks, background jobs and the CSV import.
import { api, request, ApiError } from './api.js';

/** The query string of `params` without empty values. */
export function qs(params) {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') out.set(k, String(v));
  return out.toString();
}

/** A link the browser downloads: the backend's own CSV (format=csv), never one made in the page. */
export function csvHref(path, params) {
  const q = qs({ ...params, format: 'csv' });
  return `${path}?${q}`;
}

/** One page of a paginated list: {items, total, page, totalPages}. */
export async function fetchPage(path, params, page = 1, pageSize = 50) {
  const res = await request('GET', `${path}?${qs({ ...params, page, page_size: pageSize })}`);
  if (!res.ok) throw new ApiError(res.status, res.data);
  let meta = {};
  try {
    meta = JSON.parse(res.headers.get('X-Pagination') || '{}');
  } catch {
    meta = {};
  }
  const items = res.data || [];
  return {
    items,
    total: meta.total ?? items.length,
    page: meta.page ?? page,
    totalPages: Math.max(1, meta.total_pages ?? 1),
  };
}

/** Every item of a paginated list (admin tables are small: users, territories). */
export async function fetchAll(path, params = {}) {
  const first = await fetchPage(path, params, 1, 100);
  const items = [...first.items];
  for (let p = 2; p <= first.totalPages; p++) items.push(...(await fetchPage(path, params, p, 100)).items);
  return items;
}

/** The current week, month and quarter reports grouped by rep: {as_of, blocks: [...]}. */
export function fetchCurrent(params = {}) {
  return api('GET', `/api/reports/compliance/current?${qs({ group_by: 'rep', ...params })}`);
}

const KIND_NAME = { week: 'This week', month: 'This month', quarter: 'This quarter' };
export const kindName = (kind) => KIND_NAME[kind] || kind;

/** Pivot current blocks into rows per rep: [{id, name, byKind: {week: row, ...}}] plus totals. */
export function pivotCurrent(body) {
  const blocks = body?.blocks || [];
  const reps = new Map();
  for (const block of blocks) {
    for (const r of block.rows || []) {
      const key = r.rep_id ?? 'none';
      if (!reps.has(key)) reps.set(key, { id: r.rep_id ?? null, name: r.rep_name || 'Unassigned', byKind: {} });
      reps.get(key).byKind[block.kind] = r;
    }
  }
  const rows = [...reps.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { blocks, rows, totals: Object.fromEntries(blocks.map((b) => [b.kind, b.total])) };
}

/** A short human sentence for the pro-rated figure: "3 of 5 expected by today". */
export function expectedText(r) {
  if (!r || !r.required) return 'no plan';
  if (!r.expected) return 'nothing expected yet';
  return `${r.on_track} of ${r.expected} expected by today`;
}

/** Upload a CSV file for an import as a background job; answers the Job (with its url). */
export async function startImport(file, { dryRun = false } = {}) {
  const form = new FormData();
  form.append('file', file, file.name || 'accounts.csv');
  const res = await request('POST', `/api/accounts/import?${qs({ async: 1, dry_run: dryRun ? 1 : '' })}`, { body: form });
  if (!res.ok) throw new ApiError(res.status, res.data);
  return res.data;
}

const FINISHED = new Set(['done', 'failed']);

/** Poll a job until it is done or failed, calling onUpdate with each answer. Returns a stop(). */
export function pollJob(url, onUpdate, { intervalMs = 700, onError } = {}) {
  let stopped = false;
  let timer = null;
  const tick = async () => {
    if (stopped) return;
    try {
      const job = await api('GET', url);
      if (stopped) return;
      onUpdate(job);
      if (FINISHED.has(job.state)) return;
    } catch (err) {
      // A dropped poll is retried; a 404 (expired or not ours) ends the polling.
      if (err.status === 404 || err.status === 401) {
        onError?.(err);
        return;
      }
    }
    timer = setTimeout(tick, intervalMs);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Percent 0..100 of a job (0 while queued). */
export function jobPercent(job) {
  if (!job) return 0;
  if (job.state === 'done') return 100;
  return Math.max(0, Math.min(100, Math.round((job.progress || 0) * 100)));
}

/** What the month simulator offers: {policies, scenarios, exclusive, figures, max_seeds}. */
export function fetchSimulationChoices() {
  return api('GET', '/api/simulations');
}

/** Start a month simulation on the team; answers the Job (with its url). 422: field messages. */
export function startSimulation({ month, policies, seeds, scenario }) {
  return api('POST', '/api/simulations', { month, policies, seeds, scenario });
}
