// The month simulator's pure helpers: the form's seeds and scenarios, and the comparison the
// backend answers (backend/simulation/service.py `compare`) turned into rows a manager reads.

/** This month as YYYY-MM in the browser's time zone. */
export function currentMonth(now = new Date()) {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

/**
 * Seeds from what the manager typed: a count ("5": seeds 1 to 5), a range ("3-7") or a list
 * ("2, 7, 11"), ranges and numbers mixed. {seeds} or {error} in words. The server checks how
 * many it takes (and says so in a 422).
 */
export function parseSeeds(text) {
  const parts = String(text || '').split(/[\s,;]+/).filter(Boolean);
  if (!parts.length) return { error: 'Give a number of seeds, such as 5, or a list such as 1, 4, 9.' };
  if (parts.length === 1 && /^\d+$/.test(parts[0])) {
    const n = Number(parts[0]);
    if (n < 1) return { error: 'Run at least one seed.' };
    return { seeds: Array.from({ length: Math.min(n, 1000) }, (_, k) => k + 1) };
  }
  const seeds = [];
  for (const part of parts) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return { error: `"${part}" is not a seed: use whole numbers, such as 1, 4, 9 or 1-5.` };
    const [lo, hi] = [Number(m[1]), Number(m[2] ?? m[1])];
    if (hi < lo) return { error: `"${part}" counts backwards: write the smaller seed first.` };
    if (hi - lo > 1000) return { error: `"${part}" is far too many seeds.` };
    for (let s = lo; s <= hi; s++) if (!seeds.includes(s)) seeds.push(s);
  }
  return { seeds };
}

/** "1, 2, 3, 4, 5" as "1–5"; other lists as they are. */
export function seedsText(seeds) {
  const run = seeds.length > 2 && seeds.every((s, k) => k === 0 || s === seeds[k - 1] + 1);
  return run ? `${seeds[0]}–${seeds[seeds.length - 1]}` : seeds.join(', ');
}

/** The scenarios chosen after ticking or unticking `name`: ticking one of an exclusive group
 * unticks the others (as the API refuses two of them). */
export function toggleScenario(chosen, name, on, exclusive = []) {
  let next = chosen.filter((n) => n !== name);
  if (on) {
    const group = exclusive.find((g) => g.includes(name)) || [];
    next = next.filter((n) => !group.includes(n));
    next.push(name);
  }
  return next;
}

/** A 422's field messages, one string per field (list items' messages included). */
export function fieldMessages(err) {
  const flat = (v) => (Array.isArray(v) ? v.flatMap(flat) : v && typeof v === 'object' ? Object.values(v).flatMap(flat) : [String(v)]);
  const out = {};
  for (const [k, v] of Object.entries(err?.body?.errors?.json || {})) out[k] = [...new Set(flat(v))].join(' ');
  return out;
}

/** A figure as the terminal table writes it (backend/simulation/report.py `_num`). */
export function num(v, signed = false) {
  if (v == null) return '–';
  const a = Math.abs(v);
  const text = a >= 1000 ? Math.round(v).toLocaleString('en-GB') : v.toFixed(a >= 10 ? 1 : 2);
  return signed && v > 0 ? `+${text}` : text.replace('-', '−');
}

/** "[min, max]" of a stats cell, or '' when every seed gave the same. */
export function rangeText(stats, signed = false) {
  if (!stats || stats.min === stats.max) return '';
  return `[${num(stats.min, signed)}, ${num(stats.max, signed)}]`;
}

/**
 * What a paired difference (first policy minus another) says, for a figure where lower or
 * higher is better: {word: 'better' | 'worse' | 'same', sure} where sure means every seed agrees.
 */
export function verdict(diff, lowerIsBetter) {
  if (!diff || diff.mean === 0) return { word: 'same', sure: !diff || (diff.min === 0 && diff.max === 0) };
  const gain = lowerIsBetter ? -diff.mean : diff.mean;
  // Every seed agrees when the whole range lies on the mean's side of zero.
  return { word: gain > 0 ? 'better' : 'worse', sure: diff.mean > 0 ? diff.min > 0 : diff.max < 0 };
}

/** The verdict in a sentence: "better on every seed", "worse on average, not on every seed". */
export function verdictText({ word, sure }) {
  if (word === 'same') return sure ? 'no difference' : 'no difference on average, the seeds vary';
  return sure ? `${word} on every seed` : `${word} on average, not on every seed`;
}

/**
 * The comparison as rows: per figure the stats of each policy and each difference with its
 * verdict. `figures` as GET /api/simulations names them ({name, label, lower_is_better}).
 */
export function comparisonRows(result, figures) {
  const others = Object.keys(result?.differences?.vs || {});
  return figures.map((f) => ({
    ...f,
    cells: result.policies.map((p) => ({ policy: p, stats: result.summary[p]?.[f.name] ?? null })),
    diffs: others.map((o) => {
      const stats = result.differences.vs[o]?.[f.name] ?? null;
      return { other: o, stats, verdict: verdict(stats, f.lower_is_better) };
    }),
  }));
}
