// Accounts: every account of the rep, searchable offline (name, address, tier, due status) and
// "near me" by distance; a map of all of them on the second tab of the screen.
import { useMemo, useState } from 'preact/hooks';
import { lazy, Suspense } from 'preact/compat';
import { html } from './html.js';
import { useLive, usePageTitle } from './hooks.js';
import { StatusChip, Empty } from './ui.js';
import { db } from '../lib/db.js';
import { currentPosition } from '../lib/geo.js';
import { searchAccounts, formatDistance } from '../lib/search.js';

// The map pulls Leaflet and the cluster plugin: loaded only when the rep opens it.
const AccountsMap = lazy(() => import('./accounts-map.js').then((m) => m.AccountsMap));

const PAGE = 40;
const DUE_FILTERS = [
  ['', 'Any status'],
  ['overdue', 'Overdue'],
  ['due', 'Due'],
  ['upcoming', 'Upcoming'],
  ['ok', 'Nothing due'],
];

export function AccountsList({ user, query }) {
  usePageTitle('Accounts');
  const accounts = useLive(() => db.accounts.toArray(), [], null);
  const due = useLive(() => db.due.toArray(), [], []);
  const [q, setQ] = useState('');
  const [tier, setTier] = useState('');
  const [status, setStatus] = useState('');
  const [near, setNear] = useState(null);
  const [nearMsg, setNearMsg] = useState('');
  const [shown, setShown] = useState(PAGE);
  const view = query?.get('view') === 'map' ? 'map' : 'list';

  const mine = (accounts || []).filter((a) => a.owner_id == null || a.owner_id === user.id);
  const tiers = [...new Set(mine.map((a) => a.tier).filter(Boolean))].sort();
  const results = useMemo(() => searchAccounts(mine, due, { q, tier, due: status, near }), [accounts, due, q, tier, status, near]);

  async function nearMe() {
    if (near) {
      setNear(null);
      setNearMsg('');
      return;
    }
    setNearMsg('Finding your position…');
    const pos = await currentPosition({ timeout: 8000 });
    if (pos) {
      setNear(pos);
      setNearMsg('Sorted by distance from you.');
    } else if (user.home?.lat != null) {
      setNear({ lat: user.home.lat, lon: user.home.lon });
      setNearMsg('Position unavailable: sorted by distance from your start address.');
    } else {
      setNearMsg('Position unavailable. Allow location for this site to sort by distance.');
    }
  }

  return html`
    <h1 tabindex="-1">Accounts</h1>
    <nav class="segmented" aria-label="Accounts view">
      <a class="btn btn--small" href="/accounts" aria-current=${view === 'list' ? 'page' : undefined}>List</a>
      <a class="btn btn--small" href="/accounts?view=map" aria-current=${view === 'map' ? 'page' : undefined}>Map</a>
    </nav>
    ${view === 'map' ? html`<${Suspense} fallback=${html`<p class="muted">Loading map…</p>`}>
        <${AccountsMap} user=${user} accounts=${mine} due=${due} /></${Suspense}>` : html`
    <form class="search" role="search" onSubmit=${(e) => e.preventDefault()}>
      <label for="account-search" class="sr-only">Search accounts</label>
      <input id="account-search" type="search" aria-label="Search accounts" placeholder="Name, street, postal code"
             value=${q} onInput=${(e) => { setQ(e.target.value); setShown(PAGE); }} autocomplete="off" />
      <div class="search__filters">
        <label for="tier-filter">Tier</label>
        <select id="tier-filter" value=${tier} onChange=${(e) => { setTier(e.target.value); setShown(PAGE); }}>
          <option value="">All tiers</option>
          ${tiers.map((t) => html`<option value=${t}>Tier ${t}</option>`)}
        </select>
        <label for="due-filter">Status</label>
        <select id="due-filter" value=${status} onChange=${(e) => { setStatus(e.target.value); setShown(PAGE); }}>
          ${DUE_FILTERS.map(([v, l]) => html`<option value=${v}>${l}</option>`)}
        </select>
      </div>
      <button type="button" class="btn btn--small" aria-pressed=${near ? 'true' : 'false'} onClick=${nearMe}>Near me</button>
    </form>
    ${nearMsg && html`<p class="muted" role="status">${nearMsg}</p>`}
    <p class="muted" aria-live="polite" data-testid="account-count">${accounts === null ? 'Loading…' : `${results.length} of ${mine.length} accounts`}</p>
    ${accounts !== null && results.length === 0 ? html`<${Empty}>No account matches.</${Empty}>` : html`
      <ul class="list" data-testid="account-results">
        ${results.slice(0, shown).map((r) => html`<li class="list__item">
          <a class="list__link" href=${`/accounts/${r.account.id}`}>
            <span class="list__main">
              <span class="list__title">${r.account.name}</span>
              <span class="muted">${[r.account.tier && `Tier ${r.account.tier}`, r.account.address, r.distance_m != null && formatDistance(r.distance_m)].filter(Boolean).join(' · ')}</span>
              ${r.reason && html`<span class="muted">${r.reason}</span>`}
            </span>
            ${r.status !== 'ok' && html`<${StatusChip} status=${r.status} />`}
          </a></li>`)}
      </ul>
      ${results.length > shown && html`<button class="btn btn--block" onClick=${() => setShown(shown + PAGE)}>Show ${Math.min(PAGE, results.length - shown)} more</button>`}`}`}
  `;
}
