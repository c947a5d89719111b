// Manager: each rep's P.A.C.E. rating for a period (passion, awareness, curiosity, energy; 1 to 5,
// recorded by their manager) next to the rep's figures from the performance report, sortable by
// any column, with what the letters mean.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { api } from '../../lib/api.js';
import { fetchAll, qs } from '../../lib/manager-api.js';
import { navigate } from '../../lib/router.js';
import { quotaPeriods } from './quotas.js';
import { todayIn } from '../../lib/dates.js';

const QUALITIES = [
  ['passion', 'P', 'Passion', 'cares about the customers and the results; keeps going after a no'],
  ['awareness', 'A', 'Awareness', 'knows the accounts, the market and their own numbers'],
  ['curiosity', 'C', 'Curiosity', 'asks, listens and finds the need behind the request'],
  ['energy', 'E', 'Energy', 'the pace of work: visits made, follow-ups kept'],
];
const pct = (x) => (x == null ? '–' : `${Number(x).toFixed(1)} %`);
const money = (x) => (x == null ? '–' : Math.round(Number(x)).toLocaleString('en-GB'));
const score = (x) => (x == null ? '–' : Number(x).toFixed(x % 1 ? 2 : 0));

const COLUMNS = [
  ['name', 'Rep', (r) => r.name],
  ...QUALITIES.map(([key, , label]) => [key, label, (r) => r.rating?.[key], score]),
  ['average', 'Average', (r) => r.average, score],
  ['won_amount', 'Won', (r) => r.kpi?.won_amount, money],
  ['win_rate', 'Win rate', (r) => r.kpi?.win_rate, pct],
  ['attainment', 'Attainment', (r) => r.kpi?.attainment, pct],
  ['visits', 'Visits', (r) => r.kpi?.touches?.visit, (x) => (x == null ? '–' : String(x))],
  ['compliance', 'Compliance', (r) => r.kpi?.compliance, pct],
];

/** Rows sorted by a column; blanks (no rating, no figures) always last. */
function sorted(rows, key, dir) {
  const get = COLUMNS.find((c) => c[0] === key)[2];
  return [...rows].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    if (x == null || y == null) return x == null && y == null ? a.name.localeCompare(b.name) : x == null ? 1 : -1;
    const c = typeof x === 'string' ? x.localeCompare(y) : x - y;
    return (dir === 'asc' ? c : -c) || a.name.localeCompare(b.name);
  });
}

function Legend() {
  return html`<dl class="pace-legend" data-testid="pace-legend">${QUALITIES.map(([, letter, label, text]) => html`<div>
    <dt><abbr title=${label}>${letter}</abbr> ${label}</dt><dd>${text}</dd></div>`)}</dl>
    <p class="muted">Each quality is rated 1 (weak) to 5 (strong) by the rep's manager for the period; the average is of the four. Won, win rate, quota attainment, visits and cadence compliance are the rep's figures for the period from the performance report.</p>`;
}

export function Pace({ user, query }) {
  const today = todayIn(user.time_zone);
  const choices = quotaPeriods(today);
  const period = query.get('period') || choices[0][0];
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const [sort, setSort] = useState(['average', 'desc']);
  usePageTitle('P.A.C.E.');
  useEffect(() => {
    if (user.role === 'rep') return;
    setData(null);
    setError('');
    Promise.all([
      fetchAll('/api/users'),
      fetchAll('/api/pace', { period }),
      api('GET', `/api/reports/performance?${qs({ period, group_by: 'rep' })}`),
    ]).then(([users, ratings, report]) => {
      const rating = new Map(ratings.map((r) => [r.rep_id, r]));
      const kpi = new Map(report.rows.filter((r) => r.rep_id != null).map((r) => [r.rep_id, r]));
      setData(users.filter((u) => u.role === 'rep').map((u) => {
        const r = rating.get(u.id);
        const average = r ? QUALITIES.reduce((s, [k]) => s + r[k], 0) / QUALITIES.length : null;
        return { id: u.id, name: u.name, rating: r, average, kpi: kpi.get(u.id) };
      }));
    }).catch((e) => setError(e.status === 0 ? 'Offline: P.A.C.E. needs a connection.' : e.message));
  }, [period]);
  if (user.role === 'rep') return html`<h1 tabindex="-1">P.A.C.E.</h1><p class="error" role="alert">P.A.C.E. ratings are for managers.</p>`;

  const [key, dir] = sort;
  const sortBy = (k) => setSort(k === key ? [k, dir === 'asc' ? 'desc' : 'asc'] : [k, k === 'name' ? 'asc' : 'desc']);
  const rows = data ? sorted(data, key, dir) : [];
  return html`
    <h1 tabindex="-1">P.A.C.E. by rep</h1>
    <div class="toolbar">
      <span><label for="p-period">Period</label>
        <select id="p-period" value=${period} onChange=${(e) => navigate(`/manager/pace?${qs({ period: e.target.value })}`, { replace: true })}>
          ${choices.map(([v, l]) => html`<option value=${v}>${l} (${v})</option>`)}</select></span>
    </div>
    <section aria-labelledby="legend-h"><h2 id="legend-h">What the letters mean</h2><${Legend} /></section>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!data && !error && html`<p class="muted">Loading…</p>`}
    ${data && html`<section aria-labelledby="pace-h"><h2 id="pace-h">Ratings and figures, ${period}</h2>
      <div class="table-scroll" tabindex="0" role="region" aria-label="P.A.C.E. ratings by rep">
      <table class="data-table" data-testid="pace-table">
        <thead><tr>${COLUMNS.map(([k, label]) => html`<th scope="col" class=${k === 'name' ? '' : 'num'}
          aria-sort=${k === key ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
          <button type="button" class="sort-btn" data-sort=${k} onClick=${() => sortBy(k)}>${label}<span aria-hidden="true">${k === key ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span></button></th>`)}
          <th scope="col">Manager's note</th></tr></thead>
        <tbody>${rows.map((r) => html`<tr data-rep=${r.id}>${COLUMNS.map(([k, , get, fmt], i) => (i === 0
          ? html`<th scope="row">${r.name}</th>`
          : html`<td class="num" data-col=${k}>${fmt(get(r))}</td>`))}
          <td>${r.rating?.note || (r.rating ? '' : html`<span class="muted">not rated</span>`)}</td></tr>`)}</tbody>
      </table></div></section>
      ${!data.length && html`<p class="muted">No reps in your territories.</p>`}`}
  `;
}
