// The current week, month and quarter side by side per rep: "expected by today" (pro-rated under
// the due rule, graded) next to the full-period target (plain), so early in a period nothing is
// red for touches that are not due yet, and quarterly rules are as visible as monthly ones.
import { html } from '../html.js';
import { grade, GRADE_LABEL } from '../../lib/compliance.js';
import { expectedText, kindName } from '../../lib/manager-api.js';

const ICON = { green: '●', amber: '▲', red: '■', none: '·' };
const pct = (r) => (r == null ? '–' : `${Math.round(r * 100)} %`);

function ExpectedCell({ r, kind }) {
  const g = r && r.expected ? grade(r.expected_rate) : 'none';
  return html`<td class=${`cell cell--${g}`} data-cell=${`${kind}-expected`}>
    ${r && r.expected ? html`${ICON[g]} ${pct(r.expected_rate)}<span class="sr-only">, ${GRADE_LABEL[g]}</span>` : '–'}
    <span class="cell__sub">${expectedText(r)}</span></td>`;
}

function FullCell({ r, kind }) {
  return html`<td data-cell=${`${kind}-full`}>${r && r.required ? html`${r.credited} of ${r.required}
    <span class="cell__sub">${pct(r.rate)} of the period</span>` : '–'}</td>`;
}

function repLink(rep, period) {
  if (rep.id == null) return rep.name;
  return html`<a href=${`/manager/overdue?rep_id=${rep.id}&period=${period}`}>${rep.name}</a>`;
}

export function CurrentTable({ data }) {
  const { blocks, rows, totals } = data;
  const month = blocks.find((b) => b.kind === 'month')?.period || blocks[0]?.period;
  return html`
    <div class="table-scroll" tabindex="0" role="region" aria-label="Compliance this week, month and quarter">
      <table class="compliance compliance--current" data-testid="current-table">
        <thead>
          <tr><td></td>${blocks.map((b) => html`<th scope="colgroup" colspan="2">${kindName(b.kind)}<br /><span class="cell__sub">${b.period} · ${b.first} to ${b.last}</span></th>`)}</tr>
          <tr><th scope="col">Rep</th>${blocks.map((b) => html`<th scope="col" data-kind=${b.kind}>Expected by today</th><th scope="col">Full target</th>`)}</tr>
        </thead>
        <tbody>
          ${rows.map((rep) => html`<tr data-rep=${rep.id ?? ''}>
            <th scope="row">${repLink(rep, month)}</th>
            ${blocks.map((b) => html`<${ExpectedCell} r=${rep.byKind[b.kind]} kind=${b.kind} /><${FullCell} r=${rep.byKind[b.kind]} kind=${b.kind} />`)}
          </tr>`)}
        </tbody>
        <tfoot>
          <tr data-testid="current-total"><th scope="row">Team</th>
            ${blocks.map((b) => html`<${ExpectedCell} r=${totals[b.kind]} kind=${b.kind} /><${FullCell} r=${totals[b.kind]} kind=${b.kind} />`)}</tr>
        </tfoot>
      </table>
    </div>`;
}
