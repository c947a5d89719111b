// Manager reporting helpers: fetch the compliance report, normalise it into one row shape, and
// grade it. Thresholds are stated once here and shown in the legend.
import { api } from './api.js';
import { addDays, isoWeek } from './dates.js';

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

/** Accepts a bare list or {rows|items|data: [...]}; rates as 0..1 or as percentages. */
export function normaliseRows(body) {
  const list = Array.isArray(body) ? body : body?.rows || body?.items || body?.data || [];
  return list.map((r) => {
    const required = Number(r.required ?? r.expected ?? 0);
    const done = Number(r.done ?? r.actual ?? r.count ?? 0);
    let rate = r.rate ?? r.compliance ?? r.ratio ?? r.percent ?? null;
    if (rate != null) rate = Number(rate) > 1.0001 ? Number(rate) / 100 : Number(rate);
    else rate = required > 0 ? Math.min(1, done / required) : null;
    return {
      rep_id: r.rep_id ?? r.rep?.id ?? null,
      rep_name: r.rep_name ?? r.rep?.name ?? r.rep_email ?? String(r.rep_id ?? '—'),
      tier: r.tier ?? '—',
      touch_type: r.touch_type ?? r.type ?? '—',
      required,
      done,
      rate,
    };
  });
}

export async function fetchCompliance(period, extra = {}) {
  const qs = new URLSearchParams({ period, group_by: 'rep,tier,touch_type', ...extra });
  return normaliseRows(await api('GET', `/api/reports/compliance?${qs}`));
}

/** Pivot rows into {reps: [{id, name, cells: {"A:visit": row}}], columns: ["A:visit", ...]}. */
export function pivot(rows) {
  const tiers = [...new Set(rows.map((r) => r.tier))].sort();
  const types = ['visit', 'call', 'email'].filter((t) => rows.some((r) => r.touch_type === t));
  const columns = tiers.flatMap((t) => types.map((ty) => `${t}:${ty}`));
  const reps = new Map();
  for (const r of rows) {
    const key = r.rep_id ?? r.rep_name;
    if (!reps.has(key)) reps.set(key, { id: r.rep_id, name: r.rep_name, cells: {}, required: 0, done: 0 });
    const rep = reps.get(key);
    rep.cells[`${r.tier}:${r.touch_type}`] = r;
    rep.required += r.required;
    rep.done += Math.min(r.done, r.required);
  }
  for (const rep of reps.values()) rep.rate = rep.required ? rep.done / rep.required : null;
  return { columns, reps: [...reps.values()].sort((a, b) => (a.rate ?? 2) - (b.rate ?? 2)) };
}

/** Overall rate of a row set (capped per row so over-delivery in one cell can't hide another). */
export function overall(rows) {
  const req = rows.reduce((s, r) => s + r.required, 0);
  const done = rows.reduce((s, r) => s + Math.min(r.done, r.required), 0);
  return req ? done / req : null;
}

/** Weekly trend: the team's overall rate for each of the last `weeks` ISO weeks, oldest first. */
export async function fetchWeeklyTrend(today, weeks = 8, extra = {}) {
  const labels = Array.from({ length: weeks }, (_, i) => isoWeek(addDays(today, -7 * (weeks - 1 - i))));
  const results = await Promise.all(
    labels.map((w) => fetchCompliance(w, extra).then(overall).catch(() => null)),
  );
  return labels.map((week, i) => ({ week, rate: results[i] }));
}
