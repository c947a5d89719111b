// Bottom tab bar: thumb-reachable, 56 px tall targets, current tab marked for screen readers.
// Managers and admins get the same nav as a side column from 1024 px (the desktop layout).
import { useEffect } from 'preact/hooks';
import { html } from './html.js';

const REP_TABS = [
  ['/today', 'Today', '◉'],
  ['/accounts', 'Accounts', '⌕'],
  ['/due', 'Due', '!'],
  ['/week', 'Week', '▦'],
  ['/settings', 'Settings', '⚙'],
];
const MANAGER_TABS = [
  ['/manager', 'Compliance', '▤'],
  ['/manager/overdue', 'Overdue', '!'],
  ['/manager/map', 'Team map', '◉'],
  ['/manager/territories', 'Workload', '⚖'],
  ['/manager/dashboard', 'Dashboard', '◔'],
  ['/manager/quotas', 'Quotas', '◎'],
  ['/manager/pace', 'P.A.C.E.', '★'],
  ['/manager/simulator', 'Simulator', '∿'],
  ['/settings', 'Settings', '⚙'],
];
const ADMIN_TABS = [
  ...MANAGER_TABS.slice(0, -1),
  ['/admin/import', 'Import', '⇪'],
  ['/admin/plan', 'Cadence plan', '▦'],
  ['/admin/people', 'Users', '☺'],
  ['/settings', 'Settings', '⚙'],
];

export function TabBar({ role, path }) {
  const tabs = role === 'rep' ? REP_TABS : role === 'admin' ? ADMIN_TABS : MANAGER_TABS;
  const desk = role !== 'rep';
  useEffect(() => {
    document.documentElement.dataset.layout = desk ? 'desk' : 'phone';
  }, [desk]);
  const pathname = path.split('?')[0];
  const active = (href) => pathname === href || (href !== '/manager' && pathname.startsWith(`${href}/`)) ||
    (href === '/manager/overdue' && (pathname.startsWith('/manager/reps') || pathname.startsWith('/manager/accounts'))) ||
    (href === '/manager/territories' && (pathname.startsWith('/manager/proposals') || ['/manager/departure', '/manager/carve'].includes(pathname)));
  return html`
    <nav class=${`tabbar${desk ? ' tabbar--desk' : ''}`} aria-label="Main">
      ${tabs.map(([href, label, icon]) => html`
        <a href=${href} class="tab" aria-current=${active(href) ? 'page' : undefined}>
          <span class="tab__icon" aria-hidden="true">${icon}</span>
          <span class="tab__label">${label}</span>
        </a>`)}
    </nav>
  `;
}
