// Manager reporting helpers: fetch the compliance report (GET /api/reports/compliance), normalise
// it into one row shape, and grade it. Thresholds are stated once here and shown in the legend.
import { api } from './api.js';

export const GREEN_AT = 0.9;
export const AMBER_AT = 0.7;

/** 'green' (>= 90 %), 'amber' (>= 70 %) or 'red' (below), or 'none' when nothing was required. */
export function grade(rate) {
  if (rate == null || Number.isNaN(rate)) return 'none';
  if (rate >= GREEN_AT) return 'green';
  if (rate >= AMBER_AT) return 'amber';
  return 'red';
}

export const GRADE_LABEL = { green: 'on track', amber: 'behind', red: 'off track', none: 'no plan' };

function rateOf(r) {
  if (r.rate != null) return Number(r.rate);
  if (r.percent != null) return Number(r.percent) / 100;
  return r.required > 0 ? Math.min(1, (r.credited ?? r.done) / r.required) : null;
}

/** Report rows ({rows: [...]} or a bare list) in one shape; `credited` caps over-delivery per account. */
export function normaliseRows(body) {
  const list = Array.isArray(body) ? body : body?.rows || [];
  return list.map((r) => {
    const required = Number(r.required ?? 0);
    const done = Number(r.done ?? 0);
    const credited = Number(r.credited ?? Math.min(done, required));
    return {
      rep_id: r.rep_id ?? null,
      rep_name: r.rep_name ?? (r.rep_id != null ? `Rep ${r.rep_id}` : 'Unassigned'),
      tier: r.tier ?? '—',
      touch_type: r.touch_type ?? '—',
      required,
      done,
      credited,
      overdue_accounts: r.overdue_accounts ?? null,
      rate: rateOf({ ...r, required, done, credited }),
      // The pro-rated target: touches due by the as-of day under the due rule.
      expected: r.expected ?? null,
      on_track: r.on_track ?? null,
      expected_rate: r.expected_rate ?? null,
    };
  });
}

/** The weekly trend points of a report: [{week, rate}] (cumulative within the period). */
export function normaliseTrend(body) {
  return (body?.trend || []).map((t) => ({
    week: t.week,
    rate: t.percent != null ? t.percent / 100 : t.required ? t.credited / t.required : null,
  }));
}

/** {period, rows, trend, total} for a period such as 2026-11. */
export async function fetchReport(period, extra = {}) {
  const qs = new URLSearchParams({ period, group_by: 'rep,tier,touch_type', ...extra });
  const body = await api('GET', `/api/reports/compliance?${qs}`);
  return { period: body?.period ?? period, rows: normaliseRows(body), trend: normaliseTrend(body), total: body?.total ?? null };
}

/** Pivot rows into {reps: [{id, name, cells: {"A:visit": row}, rate}], columns: ["A:visit", ...]}. */
export function pivot(rows) {
  const tiers = [...new Set(rows.map((r) => r.tier))].sort();
  const types = ['visit', 'call', 'email'].filter((t) => rows.some((r) => r.touch_type === t));
  const columns = tiers.flatMap((t) => types.map((ty) => `${t}:${ty}`)).filter((c) => rows.some((r) => `${r.tier}:${r.touch_type}` === c));
  const reps = new Map();
  for (const r of rows) {
    const key = r.rep_id ?? r.rep_name;
    if (!reps.has(key)) reps.set(key, { id: r.rep_id, name: r.rep_name, cells: {}, required: 0, credited: 0, expected: 0, on_track: 0 });
    const rep = reps.get(key);
    rep.cells[`${r.tier}:${r.touch_type}`] = r;
    rep.required += r.required;
    rep.credited += r.credited;
    rep.expected += r.expected ?? 0;
    rep.on_track += r.on_track ?? 0;
  }
  for (const rep of reps.values()) {
    rep.rate = rep.required ? rep.credited / rep.required : null;
    rep.expected_rate = rep.expected ? rep.on_track / rep.expected : null;
  }
  // Worst first: the manager's attention goes to the top of the table.
  const key = (rep) => rep.expected_rate ?? rep.rate ?? 2;
  return { columns, reps: [...reps.values()].sort((a, b) => key(a) - key(b)) };
}

/** Overall rate of a row set. */
export function overall(rows) {
  const req = rows.reduce((s, r) => s + r.required, 0);
  const credited = rows.reduce((s, r) => s + r.credited, 0);
  return req ? credited / req : null;
}

/** Accounts behind plan for one rep in a period (the table's drill-down). */
export async function fetchOverdue(period, repId) {
  const qs = new URLSearchParams({ period, rep_id: String(repId), page_size: '100' });
  return api('GET', `/api/reports/compliance/overdue?${qs}`);
}
