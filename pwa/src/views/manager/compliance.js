// Manager: cadence compliance, rep x tier x touch type, graded green/amber/red, with the weekly
// trend. Online data (managers are rarely offline; nothing here is needed in the field).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { TrendChart } from './trend-chart.js';
import { fetchReport, pivot, grade, GRADE_LABEL, GREEN_AT, AMBER_AT } from '../../lib/compliance.js';
import { todayIn } from '../../lib/dates.js';

const pct = (r) => (r == null ? '–' : `${Math.round(r * 100)} %`);
const ICON = { green: '●', amber: '▲', red: '■', none: '·' };

export function Legend() {
  return html`
    <ul class="legend" aria-label="Legend">
      <li><span class="cell cell--green">${ICON.green} ≥ ${GREEN_AT * 100} %</span> on track</li>
      <li><span class="cell cell--amber">${ICON.amber} ≥ ${AMBER_AT * 100} %</span> behind</li>
      <li><span class="cell cell--red">${ICON.red} below ${AMBER_AT * 100} %</span> off track</li>
    </ul>`;
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
    fetchReport(period).then(setReport).catch((e) => setError(e.status === 0 ? 'Offline: compliance needs a connection.' : e.message));
  }, [period]);

  const rows = report?.rows;
  const trend = report?.trend;
  const table = rows ? pivot(rows) : null;
  return html`
    <h1 tabindex="-1">Cadence compliance</h1>
    <label for="period">Period</label>
    <input id="period" type="month" value=${period} onChange=${(e) => e.target.value && setPeriod(e.target.value)} />
    <${Legend} />
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
              <th scope="row"><a href=${`/manager/reps/${rep.id}?name=${encodeURIComponent(rep.name)}&period=${period}`}>${rep.name}</a></th>
              <td class=${`cell cell--${grade(rep.rate)}`}>${ICON[grade(rep.rate)]} ${pct(rep.rate)}</td>
              ${table.columns.map((c) => {
                const cell = rep.cells[c];
                const g = grade(cell?.rate);
                return html`<td class=${`cell cell--${g}`} title=${cell ? `${cell.done} of ${cell.required}, ${GRADE_LABEL[g]}` : 'no plan'}>
                  ${cell ? html`${ICON[g]} ${pct(cell.rate)}<span class="sr-only">, ${GRADE_LABEL[g]}</span>` : '–'}</td>`;
              })}
            </tr>`)}
          </tbody>
        </table>
      </div>`)}
    <section aria-labelledby="trend-h">
      <h2 id="trend-h">Weekly trend, ${period}</h2>
      <p class="muted">Share of the period's required touches done by the end of each week.</p>
      ${trend ? html`<${TrendChart} points=${trend} />` : !error && html`<p class="muted">Loading…</p>`}
    </section>
  `;
}
