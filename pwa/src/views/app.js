// The shell: sync badge and update banner on top, the current screen, the bottom tab bar.
import { useEffect, useState } from 'preact/hooks';
import { lazy, Suspense } from 'preact/compat';
import { html } from './html.js';
import { useLive } from './hooks.js';
import { db } from '../lib/db.js';
import { on } from '../lib/events.js';
import { currentPath, match, navigate } from '../lib/router.js';
import { refreshMe } from '../lib/auth.js';
import { SyncBadge } from './badge.js';
import { UpdateBanner } from './update-banner.js';
import { TabBar } from './tabbar.js';
import { Login } from './login.js';
import { Today } from './today.js';
import { AccountView } from './account.js';
import { AccountsList } from './accounts.js';
import { LogTouch } from './log-touch.js';
import { DueList } from './due.js';
import { Week } from './week.js';
import { Settings } from './settings.js';
import { SyncScreen } from './conflicts.js';

// Manager screens are split out: reps never download them.
const Compliance = lazy(() => import('./manager/compliance.js').then((m) => m.Compliance));
const Overdue = lazy(() => import('./manager/overdue.js').then((m) => m.Overdue));
const ManagerAccount = lazy(() => import('./manager/account.js').then((m) => m.ManagerAccount));
const TeamMap = lazy(() => import('./manager/team-map.js').then((m) => m.TeamMap));
const Territories = lazy(() => import('./manager/territories.js').then((m) => m.Territories));
const ProposalView = lazy(() => import('./manager/proposal.js').then((m) => m.ProposalView));
const ProposalCompare = lazy(() => import('./manager/proposal.js').then((m) => m.ProposalCompare));
const Dashboard = lazy(() => import('./manager/dashboard.js').then((m) => m.Dashboard));
const Simulator = lazy(() => import('./manager/simulator.js').then((m) => m.Simulator));
const Departure = lazy(() => import('./manager/departure.js').then((m) => m.Departure));
const Carve = lazy(() => import('./manager/carve.js').then((m) => m.Carve));
const Quotas = lazy(() => import('./manager/quotas.js').then((m) => m.Quotas));
const Pace = lazy(() => import('./manager/pace.js').then((m) => m.Pace));
const AdminImport = lazy(() => import('./admin/import.js').then((m) => m.AdminImport));
const AdminPlan = lazy(() => import('./admin/plan.js').then((m) => m.AdminPlan));
const AdminPeople = lazy(() => import('./admin/people.js').then((m) => m.AdminPeople));

const ROUTES = [
  ['/today', Today],
  ['/accounts', AccountsList],
  ['/accounts/:id', AccountView],
  ['/accounts/:id/log', LogTouch],
  ['/due', DueList],
  ['/week', Week],
  ['/settings', Settings],
  ['/sync', SyncScreen],
  ['/manager', Compliance],
  ['/manager/reps/:id', Overdue],
  ['/manager/overdue', Overdue],
  ['/manager/accounts/:id', ManagerAccount],
  ['/manager/map', TeamMap],
  ['/manager/territories', Territories],
  ['/manager/proposals/compare', ProposalCompare],
  ['/manager/proposals/:id', ProposalView],
  ['/manager/departure', Departure],
  ['/manager/carve', Carve],
  ['/manager/quotas', Quotas],
  ['/manager/pace', Pace],
  ['/manager/dashboard', Dashboard],
  ['/manager/simulator', Simulator],
  ['/admin/import', AdminImport],
  ['/admin/plan', AdminPlan],
  ['/admin/people', AdminPeople],
];

function resolve(path) {
  const [pathname, search] = path.split('?');
  for (const [pattern, View] of ROUTES) {
    const params = match(pattern, pathname);
    if (params) return { View, params, query: new URLSearchParams(search || '') };
  }
  return null;
}

export function App() {
  const [path, setPath] = useState(currentPath());
  const meta = useLive(() => db.meta.bulkGet(['user', 'session_expired']), [], null);
  const user = meta?.[0]?.value ?? null;
  const expired = meta?.[1]?.value === true;
  useEffect(() => on('route', setPath), []);
  // A confirmation for the screen a form returns to ("Visit saved"), shown there once.
  const [flash, setFlash] = useState(null);
  useEffect(() => on('flash', setFlash), []);
  useEffect(() => on('logged-out', () => navigate('/', { replace: true })), []);
  // Notification clicks relayed by the service worker.
  useEffect(() => on('sw-message', (m) => m?.type === 'navigate' && navigate(m.url)), []);
  useEffect(() => {
    if (user && navigator.onLine) refreshMe().catch(() => {});
  }, [user?.id]);

  if (meta === null) return null; // first IndexedDB read still in flight (a few ms)
  if (!user || expired) return html`<${UpdateBanner} /><${Login} expired=${expired} previous=${user} />`;

  const home = user.role === 'rep' ? '/today' : '/manager';
  const found = resolve(path);
  if (!found) {
    queueMicrotask(() => navigate(home, { replace: true }));
    return null;
  }
  const { View, params, query } = found;
  return html`
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="topbar">
      <span class="brand" aria-hidden="true">FieldRep</span>
      <${SyncBadge} />
    </header>
    <${UpdateBanner} />
    <main id="main" tabindex="-1">
      ${flash && flash.path === path.split('?')[0] && html`<p class="notice notice--ok" role="status" data-testid="flash">${flash.text}</p>`}
      <${Suspense} fallback=${html`<p class="muted">Loading…</p>`}>
        <${View} params=${params} query=${query} user=${user} />
      <//>
    </main>
    <${TabBar} role=${user.role} path=${path} />
  `;
}
