// Manager drill-down: one rep's accounts behind plan in the period, most overdue first.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { fetchOverdue } from '../../lib/compliance.js';
import { todayIn } from '../../lib/dates.js';

export function RepOverdue({ params, query, user }) {
  const name = query.get('name') || `Rep ${params.id}`;
  const period = query.get('period') || todayIn(user.time_zone).slice(0, 7);
  const [items, setItems] = useState(null);
  const [error, setError] = useState('');
  usePageTitle(name);
  useEffect(() => {
    fetchOverdue(period, params.id)
      .then((list) => setItems([...(list || [])].sort((a, b) => (b.overdue_days || 0) - (a.overdue_days || 0))))
      .catch((e) => setError(e.message));
  }, [params.id, period]);
  return html`
    <p><a href="/manager">← Compliance</a></p>
    <h1 tabindex="-1">${name}: overdue accounts</h1>
    <p class="muted">${period}</p>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!items && !error && html`<p class="muted">Loading…</p>`}
    ${items && items.length === 0 && html`<p class="muted">Nothing overdue.</p>`}
    ${items && items.length > 0 && html`
      <ul class="list" data-testid="rep-overdue">
        ${items.map((d) => html`<li class="list__item list__row">
          <span class="list__main"><span class="list__title">${d.account_name} · Tier ${d.tier} · ${d.touch_type}</span>
            <span class="muted">${d.done} of ${d.required} done · due ${d.due_date}${d.overdue_days ? ` · ${d.overdue_days} days overdue` : ''}</span></span>
          <span class="chip chip--overdue">Overdue</span></li>`)}
      </ul>`}
  `;
}
