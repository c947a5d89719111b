// Due & overdue: today's calls and emails (the desk plan, a lazy chunk), then every due touch,
// most urgent first, each with the reason it is due.
import { useState } from 'preact/hooks';
import { lazy, Suspense } from 'preact/compat';
import { html } from './html.js';
import { useLive, usePageTitle } from './hooks.js';
import { StatusChip, Empty } from './ui.js';
import { db } from '../lib/db.js';

const DeskToday = lazy(() => import('./desk.js').then((m) => m.DeskToday));

const FILTERS = [
  ['overdue', 'Overdue'],
  ['due', 'Due'],
  ['all', 'All'],
];

export function DueList({ user }) {
  const [filter, setFilter] = useState('all');
  usePageTitle('Due');
  const items = useLive(() => db.due.toArray(), [], []);
  const shown = items
    .filter((d) => filter === 'all' || d.status === filter)
    .sort((a, b) => rank(a) - rank(b) || (b.overdue_days || 0) - (a.overdue_days || 0) || String(a.due_date).localeCompare(String(b.due_date)));
  const overdue = items.filter((d) => d.status === 'overdue').length;
  return html`
    <h1 tabindex="-1">Due & overdue</h1>
    ${user?.role === 'rep' && html`<${Suspense} fallback=${null}><${DeskToday} user=${user} /><//>`}
    <h2>Everything due</h2>
    <p class="muted">${overdue} overdue · ${items.length} in total</p>
    <div class="segmented" role="group" aria-label="Filter">
      ${FILTERS.map(([v, label]) => html`<button class="btn btn--small" aria-pressed=${filter === v ? 'true' : 'false'} onClick=${() => setFilter(v)}>${label}</button>`)}
    </div>
    ${shown.length === 0 ? html`<${Empty}>Nothing here. Nice work.</${Empty}>` : html`
      <ul class="list" data-testid="due-list">
        ${shown.map((d) => html`<li class="list__item">
          <a class="list__link" href=${`/accounts/${d.account_id}`}>
            <span class="list__main">
              <span class="list__title">${d.account_name} · ${d.touch_type}</span>
              <span class="muted">${d.reason}</span>
            </span>
            <${StatusChip} status=${d.status} />
          </a></li>`)}
      </ul>`}
  `;
}

function rank(d) {
  return { overdue: 0, due: 1, upcoming: 2 }[d.status] ?? 3;
}
