// Manager drill-down: one rep's overdue (and due) accounts with reasons.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { StatusChip } from '../ui.js';
import { api } from '../../lib/api.js';
import { todayIn } from '../../lib/dates.js';

export function RepOverdue({ params, query, user }) {
  const name = query.get('name') || `Rep ${params.id}`;
  const [items, setItems] = useState(null);
  const [error, setError] = useState('');
  usePageTitle(name);
  useEffect(() => {
    const date = todayIn(user.time_zone);
    api('GET', `/api/cadence/due?date=${date}&rep=${encodeURIComponent(params.id)}`)
      .then((list) => setItems((list || []).filter((d) => d.status !== 'upcoming')
        .sort((a, b) => (b.overdue_days || 0) - (a.overdue_days || 0))))
      .catch((e) => setError(e.message));
  }, [params.id]);
  return html`
    <p><a href="/manager">← Compliance</a></p>
    <h1 tabindex="-1">${name}: overdue accounts</h1>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!items && !error && html`<p class="muted">Loading…</p>`}
    ${items && items.length === 0 && html`<p class="muted">Nothing due or overdue.</p>`}
    ${items && items.length > 0 && html`
      <ul class="list" data-testid="rep-overdue">
        ${items.map((d) => html`<li class="list__item list__row">
          <span class="list__main"><span class="list__title">${d.account_name} · Tier ${d.tier} · ${d.touch_type}</span>
            <span class="muted">${d.reason}${d.overdue_days ? ` · ${d.overdue_days} days overdue` : ''}</span></span>
          <${StatusChip} status=${d.status} /></li>`)}
      </ul>`}
  `;
}
