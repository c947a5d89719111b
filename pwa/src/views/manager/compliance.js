// Manager: cadence compliance. First the current week, month and quarter side by side ("expected
// by today" next to the full target), then one period in detail by rep x tier x touch type with
// its weekly trend. Online data (managers are rarely offline; nothing here is needed in the field).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { TrendChart } from './trend-chart.js';
import { CurrentTable } from './current-table.js';
import { fetchReport, pivot, grade, GRADE_LABEL, GREEN_AT, AMBER_AT } from '../../lib/compliance.js';
import { csvHref, fetchCurrent, pivotCurrent } from '../../lib/manager-api.js';
import { periodChoices } from '../../lib/periods.js';
import { todayIn } from '../../lib/dates.js';

const pct = (r) => (r == null ? '–' : `${Math.round(r * 100)} %`);
const ICON = { green: '●', amber: '▲', red: '■', none: '·' };
const offline = (e) => (e.status === 0 ? 'Offline: compliance needs a connection.' : e.message);

export function Legend() {
  return html`
    <ul class="legend" aria-label="Legend">
      <li><span class="cell cell--green">${ICON.green} ≥ ${GREEN_AT * 100} %</span> on track</li>
      <li><span class="cell cell--amber">${ICON.amber} ≥ ${AMBER_AT * 100} %</span> behind</li>
      <li><span class="cell cell--red">${ICON.red} below ${AMBER_AT * 100} %</span> off track</li>
    </ul>`;
}

function cellTitle(cell, g) {
  const full = `${cell.credited} of ${cell.required} done in the period`;
  return cell.expected != null ? `${full}; ${cell.on_track} of ${cell.expected} expected by today, ${GRADE_LABEL[g]}` : `${full}, ${GRADE_LABEL[g]}`;
}

function Cell({ cell }) {
  if (!cell) return html`<td class="cell cell--none" title="no plan">–</td>`;
  // Graded on the pro-rated target; a closed period expects its full target.
  const rate = cell.expected ? cell.expected_rate : cell.expected === 0 ? null : cell.rate;
  const g = grade(rate);
  return html`<td class=${`cell cell--${g}`} title=${cellTitle(cell, g)}>
    ${rate == null ? '·' : html`${ICON[g]} ${pct(rate)}`}<span class="sr-only">, ${rate == null ? 'nothing expected yet' : GRADE_LABEL[g]}</span>
    <span class="cell__sub">${cell.credited}/${cell.required} · ${pct(cell.rate)}</span></td>`;
}

function Current({ today }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    fetchCurrent().then((b) => setData(pivotCurrent(b))).catch((e) => setError(offline(e)));
  }, [today]);
  return html`
    <section aria-labelledby="now-h">
      <h2 id="now-h">This week, month and quarter</h2>
      <p class="muted">“Expected by today” counts the touches the plan has made due by now; the full target is the whole period's.</p>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${!data && !error && html`<p class="muted">Loading…</p>`}
      ${data && (data.rows.length === 0 ? html`<p class="muted">No plan data yet.</p>` : html`<${CurrentTable} data=${data} />`)}
    </section>`;
}

export function Compliance({ user }) {
  const today = todayIn(user.time_zone);
  const [period, setPeriod] = useState(today.slice(0, 7));
  const [report, setReport] = useState(null);
  const [error, setError] = useState('');
  usePageTitle('Compliance');

  useEffect(() => {
    setReport(null);
    setError('');
    fetchReport(period).then(setReport).catch((e) => setError(offline(e)));
  }, [period]);

  const rows = report?.rows;
  const trend = report?.trend;
  const table = rows ? pivot(rows) : null;
  const choices = periodChoices(today);
  return html`
    <h1 tabindex="-1">Cadence compliance</h1>
    <${Legend} />
    <${Current} today=${today} />
    <section aria-labelledby="detail-h">
      <h2 id="detail-h">By rep, tier and touch type</h2>
      <div class="toolbar">
        <span><label for="period">Period</label>
          <select id="period" value=${period} onChange=${(e) => setPeriod(e.target.value)}>
            ${choices.map((c) => html`<option value=${c.value}>${c.label}</option>`)}
          </select></span>
        <a class="btn btn--small" href=${`/manager/overdue?period=${period}`}>Overdue accounts</a>
        <a class="btn btn--small" href=${csvHref('/api/reports/compliance', { period, group_by: 'rep,tier,touch_type' })} download
           data-testid="compliance-csv">Export CSV</a>
      </div>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${!rows && !error && html`<p class="muted">Loading…</p>`}
      ${table && (table.reps.length === 0 ? html`<p class="muted">No plan data for this period.</p>` : html`
        <div class="table-scroll" tabindex="0" role="region" aria-label="Compliance by rep, tier and touch type">
          <table class="compliance" data-testid="compliance-table">
            <thead>
              <tr><th scope="col">Rep</th><th scope="col">All</th>
                ${table.columns.map((c) => { const [t, ty] = c.split(':'); return html`<th scope="col">${t}<br />${ty}</th>`; })}</tr>
            </thead>
            <tbody>
              ${table.reps.map((rep) => html`<tr>
                <th scope="row">${rep.id == null ? rep.name : html`<a href=${`/manager/overdue?rep_id=${rep.id}&period=${period}`}>${rep.name}</a>`}</th>
                <${Cell} cell=${rep} />
                ${table.columns.map((c) => html`<${Cell} cell=${rep.cells[c]} />`)}
              </tr>`)}
            </tbody>
          </table>
        </div>`)}
    </section>
    <section aria-labelledby="trend-h">
      <h2 id="trend-h">Weekly trend, ${period}</h2>
      <p class="muted">Share of the period's required touches done by the end of each week.</p>
      ${trend ? html`<${TrendChart} points=${trend} />` : !error && html`<p class="muted">Loading…</p>`}
    </section>
  `;
}
