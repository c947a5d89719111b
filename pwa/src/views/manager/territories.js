// Manager: territory workload per rep (service + travel minutes against capacity, the team's
// parity), its CSV, a rebalancing proposal on request, and the stored proposals to open or compare.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { api } from '../../lib/api.js';
import { navigate } from '../../lib/router.js';
import { csvHref, fetchPage, qs } from '../../lib/manager-api.js';
import { periodChoices } from '../../lib/periods.js';
import { todayIn } from '../../lib/dates.js';
import { LoadMap } from './load-map.js';

export const pctOf = (x) => (x == null ? '–' : `${(x * 100).toFixed(1)} %`);
export const hours = (m) => (m == null ? '–' : `${Math.round(m / 6) / 10} h`);

function LoadBar({ pct }) {
  const width = Math.max(0, Math.min(150, pct || 0));
  const level = pct > 100 ? 'over' : pct < 70 ? 'under' : 'ok';
  return html`<span class="loadbar" aria-hidden="true"><span class=${`loadbar__fill loadbar__fill--${level}`} style=${`width:${width / 1.5}%`}></span></span>`;
}

function WorkloadTable({ data }) {
  return html`
    <div class="table-scroll" tabindex="0" role="region" aria-label="Workload by rep">
      <table class="data-table" data-testid="workload-table">
        <thead><tr><th scope="col">Rep</th><th scope="col" class="num">Accounts</th><th scope="col" class="num">Service</th>
          <th scope="col" class="num">Travel</th><th scope="col" class="num">Capacity</th><th scope="col" class="num">Load</th><th scope="col">Top accounts</th></tr></thead>
        <tbody>${data.reps.map((r) => html`<tr data-rep=${r.rep_id}>
          <th scope="row">${r.name}</th><td class="num">${r.accounts}</td><td class="num">${hours(r.service_minutes)}</td>
          <td class="num">${hours(r.travel_minutes)}</td><td class="num">${hours(r.capacity_minutes)}</td>
          <td class="num" data-testid="load"><${LoadBar} pct=${r.load_pct} /> ${r.load_pct == null ? '–' : `${Math.round(r.load_pct)} %`}</td>
          <td>${(r.drivers || []).slice(0, 3).map((d) => `${d.name} (${Math.round(d.minutes)} min)`).join(', ') || '–'}</td></tr>`)}</tbody>
      </table>
    </div>
    <p data-testid="team-metrics">Team: parity ${pctOf(data.team.parity)} (largest deviation from the mean of ${hours(data.team.mean_minutes)}),
      max/min ${data.team.max_min_ratio == null ? '–' : data.team.max_min_ratio.toFixed(2)}, CV ${pctOf(data.team.cv)}.</p>`;
}

function ProposalList({ reload }) {
  const [list, setList] = useState(null);
  const [picked, setPicked] = useState([]);
  useEffect(() => {
    fetchPage('/api/territories/proposals', {}, 1, 20).then((p) => setList(p.items)).catch(() => setList([]));
  }, [reload]);
  if (!list) return html`<p class="muted">Loading…</p>`;
  if (!list.length) return html`<p class="muted">No proposals yet.</p>`;
  const toggle = (id) => setPicked(picked.includes(id) ? picked.filter((x) => x !== id) : [...picked, id]);
  return html`
    <div class="table-scroll" tabindex="0" role="region" aria-label="Proposals">
      <table class="data-table" data-testid="proposals-table">
        <thead><tr><th scope="col">Compare</th><th scope="col">Proposal</th><th scope="col">Period</th><th scope="col">Status</th>
          <th scope="col" class="num">Moves</th><th scope="col">Parity before → after</th></tr></thead>
        <tbody>${list.map((p) => html`<tr>
          <td><input type="checkbox" aria-label=${`Compare proposal ${p.id}`} checked=${picked.includes(p.id)} onChange=${() => toggle(p.id)} /></td>
          <th scope="row"><a href=${`/manager/proposals/${p.id}`}>Proposal ${p.id}</a></th><td>${p.period}</td><td>${p.status}</td>
          <td class="num">${p.moves_count}</td><td>${pctOf(p.before?.parity)} → ${pctOf(p.after?.parity)}</td></tr>`)}</tbody>
      </table>
    </div>
    <p><button type="button" class="btn btn--small" disabled=${picked.length < 2}
      onClick=${() => navigate(`/manager/proposals/compare?ids=${picked.join(',')}`)}>Compare selected</button></p>`;
}

export function Territories({ user, query }) {
  const today = todayIn(user.time_zone);
  const period = query.get('period') || today.slice(0, 7);
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  usePageTitle('Territory workload');
  useEffect(() => {
    setData(null);
    api('GET', `/api/territories/workload?${qs({ period })}`).then(setData)
      .catch((e) => setError(e.status === 0 ? 'Offline: workload needs a connection.' : e.message));
  }, [period]);
  async function propose() {
    setBusy(true);
    setError('');
    try {
      const p = await api('POST', '/api/territories/rebalance', { period });
      navigate(`/manager/proposals/${p.id}`);
    } catch (e) {
      setError(e.body?.errors?.json ? Object.values(e.body.errors.json).flat().join(' ') : e.message);
      setBusy(false);
    }
  }
  const choices = periodChoices(today).slice(0, 3);
  return html`
    <h1 tabindex="-1">Territory workload</h1>
    <div class="toolbar">
      <span><label for="w-period">Period</label>
        <select id="w-period" value=${period} onChange=${(e) => navigate(`/manager/territories?period=${e.target.value}`, { replace: true })}>
          ${choices.map((c) => html`<option value=${c.value}>${c.label}</option>`)}</select></span>
      <a class="btn btn--small" href=${csvHref('/api/territories/workload', { period })} download data-testid="workload-csv">Export CSV</a>
      <button type="button" class="btn btn--small btn--primary" disabled=${busy} onClick=${propose}>${busy ? 'Computing…' : 'Propose a rebalance'}</button>
      <a class="btn btn--small" href="/manager/departure">A rep leaves…</a>
      <a class="btn btn--small" href="/manager/carve">A new rep…</a>
    </div>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!data && !error && html`<p class="muted">Loading…</p>`}
    ${data && html`<${WorkloadTable} data=${data} />`}
    ${data && html`<section aria-labelledby="map-h"><h2 id="map-h">Territory map by load</h2><${LoadMap} workload=${data} /></section>`}
    <section aria-labelledby="prop-h">
      <h2 id="prop-h">Proposals (what-if scenarios)</h2>
      <${ProposalList} reload=${period} />
    </section>
  `;
}
