// Manager drill-down: every account behind its plan in a period, page by page (the total is the
// server's, nothing is cut off), filtered by rep, tier and touch type, each linked to the account,
// with the whole list as a CSV download.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { navigate } from '../../lib/router.js';
import { csvHref, fetchAll, fetchPage, qs } from '../../lib/manager-api.js';
import { periodChoices } from '../../lib/periods.js';
import { todayIn } from '../../lib/dates.js';

const PAGE_SIZE = 50;
const TYPES = [['', 'All types'], ['visit', 'Visits'], ['call', 'Calls'], ['email', 'Emails']];
const TIERS = ['A', 'B', 'C'];

function useReps() {
  const [reps, setReps] = useState([]);
  useEffect(() => {
    fetchAll('/api/users').then((list) => setReps(list.filter((u) => u.role === 'rep'))).catch(() => setReps([]));
  }, []);
  return reps;
}

export function Overdue({ params, query, user }) {
  const today = todayIn(user.time_zone);
  const filters = {
    period: query.get('period') || today.slice(0, 7),
    rep_id: query.get('rep_id') || params.id || '',
    tier: query.get('tier') || '',
    touch_type: query.get('touch_type') || '',
  };
  const page = Math.max(1, Number(query.get('page')) || 1);
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const reps = useReps();
  usePageTitle('Overdue accounts');
  const key = qs({ ...filters, page });
  useEffect(() => {
    setError('');
    fetchPage('/api/reports/compliance/overdue', filters, page, PAGE_SIZE)
      .then(setData)
      .catch((e) => setError(e.status === 0 ? 'Offline: the drill-down needs a connection.' : e.message));
  }, [key]);

  const go = (change) => navigate(`/manager/overdue?${qs({ ...filters, page, ...change })}`, { replace: !('page' in change) });
  const setFilter = (name) => (e) => go({ [name]: e.target.value, page: 1 });
  const choices = periodChoices(today);
  if (!choices.some((c) => c.value === filters.period)) choices.push({ value: filters.period, label: filters.period });
  const first = data ? (data.page - 1) * PAGE_SIZE + 1 : 0;
  return html`
    <p><a href="/manager">← Compliance</a></p>
    <h1 tabindex="-1">Overdue accounts</h1>
    <form class="filters" onSubmit=${(e) => e.preventDefault()} aria-label="Filters">
      <span><label for="f-period">Period</label>
        <select id="f-period" value=${filters.period} onChange=${setFilter('period')}>
          ${choices.map((c) => html`<option value=${c.value}>${c.label}</option>`)}</select></span>
      <span><label for="f-rep">Rep</label>
        <select id="f-rep" value=${filters.rep_id} onChange=${setFilter('rep_id')}>
          <option value="">All reps</option>
          ${reps.map((r) => html`<option value=${String(r.id)}>${r.name}</option>`)}
          ${filters.rep_id && !reps.some((r) => String(r.id) === filters.rep_id) && html`<option value=${filters.rep_id}>Rep ${filters.rep_id}</option>`}</select></span>
      <span><label for="f-tier">Tier</label>
        <select id="f-tier" value=${filters.tier} onChange=${setFilter('tier')}>
          <option value="">All tiers</option>${TIERS.map((t) => html`<option value=${t}>Tier ${t}</option>`)}</select></span>
      <span><label for="f-type">Touch type</label>
        <select id="f-type" value=${filters.touch_type} onChange=${setFilter('touch_type')}>
          ${TYPES.map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select></span>
      <a class="btn btn--small" href=${csvHref('/api/reports/compliance/overdue', filters)} download data-testid="overdue-csv">Export CSV (all)</a>
    </form>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!data && !error && html`<p class="muted">Loading…</p>`}
    ${data && html`
      <p role="status" data-testid="overdue-total" data-total=${data.total}>
        ${data.total === 0 ? 'Nothing overdue.' : `${data.total} overdue, showing ${first}–${first + data.items.length - 1}`}</p>
      ${data.items.length > 0 && html`
        <div class="table-scroll" tabindex="0" role="region" aria-label="Overdue accounts">
          <table class="data-table" data-testid="overdue-table">
            <thead><tr><th scope="col">Account</th><th scope="col">Tier</th><th scope="col">Type</th>
              <th scope="col">Done</th><th scope="col">Due</th><th scope="col">Days overdue</th></tr></thead>
            <tbody>${data.items.map((d) => html`<tr data-account=${d.account_id}>
              <th scope="row"><a href=${`/manager/accounts/${d.account_id}`}>${d.account_name}</a></th>
              <td>${d.tier}</td><td>${d.touch_type}</td><td>${d.done} of ${d.required}</td>
              <td>${d.due_date}</td><td class="num">${d.overdue_days}</td></tr>`)}</tbody>
          </table>
        </div>
        <nav class="pager" aria-label="Pages">
          <button type="button" class="btn btn--small" disabled=${data.page <= 1} onClick=${() => go({ page: data.page - 1 })}>Previous page</button>
          <span data-testid="overdue-page">Page ${data.page} of ${data.totalPages}</span>
          <button type="button" class="btn btn--small" disabled=${data.page >= data.totalPages} onClick=${() => go({ page: data.page + 1 })}>Next page</button>
        </nav>`}`}
  `;
}
