// Manager: one rebalancing proposal (team figures and each rep before/after, the moves, apply)
// and several side by side (compare).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { api } from '../../lib/api.js';
import { fetchAll } from '../../lib/manager-api.js';
import { hours, pctOf } from './territories.js';

const METRICS = [['parity', 'Parity', pctOf], ['max_min_ratio', 'Max / min', (x) => (x == null ? '–' : x.toFixed(2))], ['cv', 'CV', pctOf]];

/** Account names of the moves: one paged list per giving rep (not one request per account). */
function useAccountNames(moves) {
  const [names, setNames] = useState(new Map());
  const reps = [...new Set((moves || []).map((m) => m.from_rep))].sort().join(',');
  useEffect(() => {
    if (!reps) return;
    Promise.all(reps.split(',').map((id) => fetchAll('/api/accounts', { owner_id: id }).catch(() => [])))
      .then((lists) => setNames(new Map(lists.flat().map((a) => [a.id, a.name]))));
  }, [reps]);
  return names;
}

function Moves({ proposal }) {
  const names = new Map((proposal.per_rep || []).map((r) => [r.rep_id, r.name]));
  const accounts = useAccountNames(proposal.status === 'open' ? proposal.moves : []);
  if (!proposal.moves?.length) return html`<p class="muted" data-testid="no-moves">No account moves: the team is within the target.</p>`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Moves">
    <table class="data-table" data-testid="moves-table">
      <thead><tr><th scope="col">Account</th><th scope="col">From</th><th scope="col">To</th></tr></thead>
      <tbody>${proposal.moves.map((m) => html`<tr data-account=${m.account_id}>
        <th scope="row"><a href=${`/manager/accounts/${m.account_id}`}>${accounts.get(m.account_id) || `Account ${m.account_id}`}</a></th>
        <td>${names.get(m.from_rep) || `Rep ${m.from_rep}`}</td><td>${names.get(m.to_rep) || `Rep ${m.to_rep}`}</td></tr>`)}</tbody>
    </table></div>`;
}

export function ProposalView({ params }) {
  const [p, setP] = useState(null);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  usePageTitle(`Proposal ${params.id}`);
  useEffect(() => {
    api('GET', `/api/territories/proposals/${params.id}`).then(setP).catch((e) => setError(e.message));
  }, [params.id]);
  async function apply() {
    setError('');
    try {
      setP(await api('POST', `/api/territories/proposals/${params.id}/apply`));
      setNote('Applied: the accounts have their new owners.');
    } catch (e) {
      setError(e.status === 409 ? `Not applied: ${e.message}` : e.message);
    }
  }
  if (error && !p) return html`<h1 tabindex="-1">Proposal ${params.id}</h1><p class="error" role="alert">${error}</p>`;
  if (!p) return html`<h1 tabindex="-1">Proposal ${params.id}</h1><p class="muted">Loading…</p>`;
  return html`
    <p><a href="/manager/territories">← Workload</a></p>
    <h1 tabindex="-1">Proposal ${p.id}</h1>
    <p class="muted" data-testid="proposal-status">${p.period} · ${p.status}${p.solver?.reached_target === false ? ' · target parity out of reach' : ''} · ${p.moves.length} moves · driving ${hours(p.travel_before)} → ${hours(p.travel_after)}</p>
    <div class="table-scroll narrow" tabindex="0" role="region" aria-label="Team before and after"><table class="data-table" data-testid="proposal-metrics">
      <thead><tr><th scope="col">Team</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
      <tbody>${METRICS.map(([k, label, f]) => html`<tr><th scope="row">${label}</th><td>${f(p.before?.[k])}</td><td>${f(p.after?.[k])}</td></tr>`)}</tbody>
    </table></div>
    <h2>Each rep</h2>
    <div class="table-scroll" tabindex="0" role="region" aria-label="Each rep before and after"><table class="data-table" data-testid="per-rep">
      <thead><tr><th scope="col">Rep</th><th scope="col" class="num">Workload before</th><th scope="col" class="num">After</th>
        <th scope="col" class="num">Accounts before</th><th scope="col" class="num">After</th></tr></thead>
      <tbody>${(p.per_rep || []).map((r) => html`<tr><th scope="row">${r.name}</th><td class="num">${hours(r.before_minutes)}</td>
        <td class="num">${hours(r.after_minutes)}</td><td class="num">${r.accounts_before}</td><td class="num">${r.accounts_after}</td></tr>`)}</tbody>
    </table></div>
    <h2>Moves</h2>
    <${Moves} proposal=${p} />
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${note && html`<p class="notice notice--ok" role="status">${note}</p>`}
    ${p.status === 'open' && p.moves.length > 0 && html`<p><button type="button" class="btn btn--primary" onClick=${apply}>Apply ${p.moves.length} moves</button></p>`}
  `;
}

export function ProposalCompare({ query }) {
  const ids = query.get('ids') || '';
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  usePageTitle('Compare proposals');
  useEffect(() => {
    api('GET', `/api/territories/proposals/compare?ids=${encodeURIComponent(ids)}`).then(setData).catch((e) => setError(e.message));
  }, [ids]);
  return html`
    <p><a href="/manager/territories">← Workload</a></p>
    <h1 tabindex="-1">Compare proposals</h1>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!data && !error && html`<p class="muted">Loading…</p>`}
    ${data && html`
      <div class="table-scroll" tabindex="0" role="region" aria-label="Proposals side by side">
        <table class="data-table" data-testid="compare-table">
          <thead><tr><th scope="col">Figure</th>${data.proposals.map((p) => html`<th scope="col"><a href=${`/manager/proposals/${p.id}`}>Proposal ${p.id}</a></th>`)}</tr></thead>
          <tbody>
            <tr><th scope="row">Moves</th>${data.proposals.map((p) => html`<td>${p.moves.length}</td>`)}</tr>
            ${METRICS.map(([k, label, f]) => html`<tr><th scope="row">${label} after</th>${data.proposals.map((p) => html`<td>${f(p.after?.[k])}</td>`)}</tr>`)}
            <tr><th scope="row">Driving after</th>${data.proposals.map((p) => html`<td>${hours(p.travel_after)}</td>`)}</tr>
            <tr><th scope="row">Status</th>${data.proposals.map((p) => html`<td>${p.status}</td>`)}</tr>
          </tbody>
        </table>
      </div>
      <p data-testid="shared-moves">${data.shared_moves.length} accounts move in every one of them.</p>`}
  `;
}
