// Manager: one account read from the server (managers keep no offline copy): details, owner
// and the latest touches, reached from the overdue drill-down.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { api } from '../../lib/api.js';
import { fetchPage } from '../../lib/manager-api.js';
import { localDateTime } from '../../lib/dates.js';

export function ManagerAccount({ params }) {
  const [account, setAccount] = useState(null);
  const [touches, setTouches] = useState(null);
  const [error, setError] = useState('');
  usePageTitle(account?.name || 'Account');
  useEffect(() => {
    api('GET', `/api/accounts/${params.id}`)
      .then(async (a) => {
        const owner = a.owner_id ? await api('GET', `/api/users/${a.owner_id}`).catch(() => null) : null;
        setAccount({ ...a, ownerName: owner?.name });
      })
      .catch((e) => setError(e.status === 404 ? 'This account is not in your territories.' : e.message));
    fetchPage('/api/touches', { account_id: params.id }, 1, 20).then((p) => setTouches(p.items)).catch(() => setTouches([]));
  }, [params.id]);
  if (error) return html`<h1 tabindex="-1">Account</h1><p class="error" role="alert">${error}</p>`;
  if (!account) return html`<h1 tabindex="-1">Account</h1><p class="muted">Loading…</p>`;
  return html`
    <p><a href="/manager/overdue" onClick=${(e) => { if (history.length > 1) { e.preventDefault(); history.back(); } }}>← Back</a></p>
    <h1 tabindex="-1" data-testid="account-name">${account.name}</h1>
    <dl class="facts">
      <dt>Address</dt><dd>${account.address || '–'}</dd>
      <dt>Tier</dt><dd>${account.tier}</dd>
      <dt>Status</dt><dd>${account.status || '–'}</dd>
      <dt>Owner</dt><dd>${account.owner_id ? account.ownerName || `Rep ${account.owner_id}` : 'Unowned'}</dd>
      <dt>Revenue</dt><dd>${account.revenue ?? '–'}</dd>
    </dl>
    <h2>Latest touches</h2>
    ${!touches && html`<p class="muted">Loading…</p>`}
    ${touches && touches.length === 0 && html`<p class="muted">No touches logged yet.</p>`}
    ${touches && touches.length > 0 && html`<ul class="list">${touches.map((t) => html`<li class="list__item list__row">
      <span class="list__main"><span class="list__title">${t.type} · ${t.outcome}</span>
      <span class="muted">${localDateTime(t.occurred_at)}${t.notes ? ` · ${t.notes}` : ''}</span></span></li>`)}</ul>`}
  `;
}
