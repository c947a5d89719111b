// Bottom tab bar: thumb-reachable, 56 px tall targets, current tab marked for screen readers.
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
  ['/manager/map', 'Team map', '◉'],
  ['/settings', 'Settings', '⚙'],
];

export function TabBar({ role, path }) {
  const tabs = role === 'rep' ? REP_TABS : MANAGER_TABS;
  const pathname = path.split('?')[0];
  const active = (href) => pathname === href || (href !== '/manager' && pathname.startsWith(`${href}/`)) ||
    (href === '/manager' && pathname.startsWith('/manager/reps'));
  return html`
    <nav class="tabbar" aria-label="Main">
      ${tabs.map(([href, label, icon]) => html`
        <a href=${href} class="tab" aria-current=${active(href) ? 'page' : undefined}>
          <span class="tab__icon" aria-hidden="true">${icon}</span>
          <span class="tab__label">${label}</span>
        </a>`)}
    </nav>
  `;
}
