// Manager dashboard: territory (or rep) KPIs, the team's funnel, quota attainment, flags for a
// realignment review, and the profitability ranking; every table as the backend's CSV.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { api } from '../../lib/api.js';
import { navigate } from '../../lib/router.js';
import { csvHref, qs } from '../../lib/manager-api.js';
import { quarterLabel } from '../../lib/periods.js';
import { todayIn } from '../../lib/dates.js';

const pct = (x) => (x == null ? '–' : `${Number(x).toFixed(1)} %`);
const money = (x) => (x == null ? '–' : Math.round(Number(x)).toLocaleString('en-GB'));
const num = (x, d = 1) => (x == null ? '–' : Number(x).toFixed(d));
// The report's rates (conversion, win rate, attainment, margin, compliance) are percents.
const rate = pct;

function Funnel({ team }) {
  const steps = [['Leads', team.leads], ['Opportunities', team.opportunities], ['Won deals', team.won], ['New customers', team.new_customers]];
  const top = Math.max(1, ...steps.map(([, v]) => v || 0));
  return html`<figure class="funnel" data-testid="funnel">
    <ul class="list">${steps.map(([label, v]) => html`<li class="funnel__step">
      <span class="funnel__label">${label}</span>
      <span class="funnel__bar" aria-hidden="true"><span class=${`funnel__fill funnel__fill--w${Math.round(((v || 0) / top) * 10)}`}></span></span>
      <span class="funnel__value">${v ?? 0}</span></li>`)}</ul>
    <figcaption class="muted">Conversion ${rate(team.conversion_rate)} · win rate ${rate(team.win_rate)}</figcaption>
  </figure>`;
}

function Kpis({ report, groupBy }) {
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Key figures">
    <table class="data-table" data-testid="kpi-table">
      <thead><tr><th scope="col">${groupBy === 'rep' ? 'Rep' : 'Territory'}</th><th scope="col" class="num">Leads</th><th scope="col" class="num">Opps</th>
        <th scope="col" class="num">Won</th><th scope="col" class="num">Win rate</th><th scope="col" class="num">Avg deal</th>
        <th scope="col" class="num">Cycle days</th><th scope="col" class="num">Velocity / day</th><th scope="col" class="num">Open pipeline</th>
        <th scope="col" class="num">Quota</th><th scope="col" class="num">Attainment</th><th scope="col" class="num">Compliance</th></tr></thead>
      <tbody>${[...report.rows, { ...report.team, name: 'Team', isTeam: true }].map((r) => html`<tr class=${r.isTeam ? 'is-total' : ''} data-name=${r.name}>
        <th scope="row">${r.name}</th><td class="num">${r.leads}</td><td class="num">${r.opportunities}</td><td class="num">${r.won}</td>
        <td class="num" data-kpi="win_rate">${rate(r.win_rate)}</td><td class="num" data-kpi="average_deal_size">${money(r.average_deal_size)}</td>
        <td class="num">${num(r.sales_cycle_days)}</td><td class="num">${money(r.sales_velocity)}</td><td class="num">${money(r.open_pipeline)}</td>
        <td class="num">${money(r.quota)}</td><td class="num" data-kpi="attainment">${pct(r.attainment)}</td>
        <td class="num">${pct(r.compliance)}</td></tr>`)}</tbody>
    </table></div>`;
}

function Attainment({ rows }) {
  const withQuota = rows.filter((r) => r.quota);
  if (!withQuota.length) return html`<p class="muted">No quotas set for this period.</p>`;
  return html`<ul class="list" data-testid="attainment">${withQuota.map((r) => html`<li class="list__item list__row">
    <span class="list__main"><span class="list__title">${r.name}</span><span class="muted">${money(r.won_amount)} of ${money(r.quota)}</span></span>
    <meter min="0" max="150" low="70" high="99" optimum="100" value=${Math.min(150, r.attainment ?? 0)} aria-label=${`${r.name} attainment`}></meter>
    <span>${pct(r.attainment)}</span></li>`)}</ul>`;
}

function Profitability({ period }) {
  const [data, setData] = useState(null);
  useEffect(() => {
    api('GET', `/api/reports/profitability?${qs({ period })}`).then(setData).catch(() => setData({ rows: [] }));
  }, [period]);
  if (!data) return html`<p class="muted">Loading…</p>`;
  if (!data.rows.length) return html`<p class="muted">No accounts to rank.</p>`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Profitability ranking">
    <table class="data-table" data-testid="profit-table">
      <thead><tr><th scope="col" class="num">Rank</th><th scope="col">Account</th><th scope="col" class="num">Revenue</th><th scope="col" class="num">Cost</th>
        <th scope="col" class="num">Net profit</th><th scope="col" class="num">Margin</th><th scope="col">Suggestion</th></tr></thead>
      <tbody>${data.rows.slice(0, 25).map((r) => html`<tr data-account=${r.account_id}><td class="num">${r.rank}</td>
        <th scope="row"><a href=${`/manager/accounts/${r.account_id}`}>${r.name}</a></th><td class="num">${money(r.revenue)}</td>
        <td class="num">${money(r.total_cost)}</td><td class="num" data-kpi="net_profit">${money(r.net_profit)}</td><td class="num">${rate(r.margin)}</td>
        <td>${r.suggested_kare}${r.suggested_tier ? `, tier ${r.suggested_tier}` : ''}</td></tr>`)}</tbody>
    </table></div>
    ${data.rows.length > 25 && html`<p class="muted">Top 25 of ${data.rows.length}; the CSV has every account.</p>`}`;
}

export function Dashboard({ user, query }) {
  const today = todayIn(user.time_zone);
  const period = query.get('period') || quarterLabel(today);
  const groupBy = query.get('group_by') === 'rep' ? 'rep' : 'territory';
  const [report, setReport] = useState(null);
  const [error, setError] = useState('');
  usePageTitle('Dashboard');
  useEffect(() => {
    setReport(null);
    api('GET', `/api/reports/performance?${qs({ period, group_by: groupBy })}`).then(setReport)
      .catch((e) => setError(e.status === 0 ? 'Offline: the dashboard needs a connection.' : e.message));
  }, [period, groupBy]);
  const go = (change) => navigate(`/manager/dashboard?${qs({ period, group_by: groupBy, ...change })}`, { replace: true });
  const choices = [[quarterLabel(today), 'This quarter'], [today.slice(0, 7), 'This month'], [today.slice(0, 4), 'This year']];
  return html`
    <h1 tabindex="-1">Dashboard</h1>
    <div class="toolbar">
      <span><label for="dash-period">Period</label>
        <select id="dash-period" value=${period} onChange=${(e) => go({ period: e.target.value })}>
          ${choices.map(([v, l]) => html`<option value=${v}>${l} (${v})</option>`)}</select></span>
      <span><label for="dash-group">Rows</label>
        <select id="dash-group" value=${groupBy} onChange=${(e) => go({ group_by: e.target.value })}>
          <option value="territory">Territories</option><option value="rep">Reps</option></select></span>
      <a class="btn btn--small" href=${csvHref('/api/reports/performance', { period, group_by: groupBy })} download data-testid="kpi-csv">Export KPIs (CSV)</a>
      <a class="btn btn--small" href=${csvHref('/api/reports/profitability', { period })} download data-testid="profit-csv">Export profitability (CSV)</a>
    </div>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!report && !error && html`<p class="muted">Loading…</p>`}
    ${report && html`
      <section aria-labelledby="flags-h"><h2 id="flags-h">Flags for a realignment review</h2>
        ${report.flags?.length ? html`<ul class="list" data-testid="flags">${report.flags.map((f) => html`<li class="list__item list__row">
          <span class="chip chip--overdue">${f.kind.replace(/_/g, ' ')}</span><span class="list__main">${f.message}</span></li>`)}</ul>`
          : html`<p class="muted" data-testid="flags">No flags: every ${groupBy} is within 10 points of the team.</p>`}</section>
      <div class="dash-grid">
        <section aria-labelledby="funnel-h"><h2 id="funnel-h">Funnel</h2><${Funnel} team=${report.team} /></section>
        <section aria-labelledby="quota-h"><h2 id="quota-h">Quota attainment</h2><${Attainment} rows=${report.rows} /></section>
      </div>
      <section aria-labelledby="kpi-h"><h2 id="kpi-h">Key figures by ${groupBy}</h2><${Kpis} report=${report} groupBy=${groupBy} /></section>`}
    <section aria-labelledby="profit-h"><h2 id="profit-h">Profitability ranking</h2><${Profitability} period=${period} /></section>
  `;
}
