// Today: the next stop with everything needed at the door, the map, and the ordered stop list.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { useLive, useOnline, usePageTitle } from './hooks.js';
import { MapView } from './map-view.js';
import { SkipPanel } from './skip-panel.js';
import { Empty } from './ui.js';
import { StopList } from './stop-list.js';
import { ReplanPreview } from './replan-panel.js';
import { FollowUps } from './follow-ups.js';
import { db } from '../lib/db.js';
import { api } from '../lib/api.js';
import { storeServerRows } from '../lib/sync-core.js';
import { updateStop } from '../lib/actions.js';
import { todayIn, weekdayKey, formatWindows, clock } from '../lib/dates.js';
import { navigationUrl } from '../lib/geo.js';
import { previewReplan, acceptPreview, undoReplan, friendlyError } from '../lib/steer.js';
import { recordCheckin, checkinOf } from '../lib/checkin.js';
import { formatDistance } from '../lib/search.js';
import { navigate } from '../lib/router.js';

export function Today({ user }) {
  const today = todayIn(user.time_zone);
  usePageTitle('Today');
  const route = useLive(() => db.routes.where('date').equals(today).filter((r) => r.rep_id === user.id).first(), [today, user.id], null);
  const accounts = useLive(async () => {
    const ids = (route?.stops || []).map((s) => s.account_id);
    const rows = await db.accounts.bulkGet(ids);
    return Object.fromEntries(rows.filter(Boolean).map((a) => [a.id, a]));
  }, [route], {});
  const due = useLive(() => db.due.toArray(), [], []);
  const online = useOnline();
  const [preview, setPreview] = useState(null);
  const [undo, setUndo] = useState(null);
  const [skipping, setSkipping] = useState(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const stops = [...(route?.stops || [])].sort((a, b) => a.seq - b.seq);
  const next = stops.find((s) => s.status === 'arrived') || stops.find((s) => s.status === 'planned' || !s.status);
  const checkin = useLive(() => (route && next ? checkinOf(route.id, next.account_id) : null), [route?.id, next?.account_id], null);

  async function checkIn() {
    setBusy(true);
    try {
      // The position first (a few seconds at most), then the stop: the check-in is never held up
      // by GPS for long, and without a position it is still recorded.
      await recordCheckin(route.id, next);
      await updateStop({ route_id: route.id, account_id: next.account_id, status: 'arrived' });
    } finally {
      setBusy(false);
    }
  }
  const day = weekdayKey(today);

  // Re-planning shows a preview first; nothing changes until the rep accepts it.
  async function replan() {
    setBusy(true);
    setMessage('');
    try {
      setPreview(await previewReplan(user, route));
    } catch (err) {
      setMessage(friendlyError(err, 'Could not re-plan'));
    } finally {
      setBusy(false);
    }
  }

  async function accept() {
    setBusy(true);
    try {
      setUndo(await acceptPreview(route, preview));
      setPreview(null);
      setMessage('Route re-planned.');
    } catch (err) {
      setMessage(friendlyError(err, 'Could not apply the re-plan'));
    } finally {
      setBusy(false);
    }
  }

  async function doUndo() {
    setBusy(true);
    try {
      await undoReplan(user, undo);
      setUndo(null);
      setMessage('Re-plan undone: your route is back.');
    } catch (err) {
      setMessage(friendlyError(err, 'Could not undo'));
    } finally {
      setBusy(false);
    }
  }

  async function planDay() {
    setBusy(true);
    try {
      const fresh = await api('POST', `/api/routes/${today}/plan`);
      if (fresh?.id) await storeServerRows('route', [fresh]);
    } catch (err) {
      setMessage(friendlyError(err, 'Could not plan'));
    } finally {
      setBusy(false);
    }
  }

  if (route === null || route === undefined) {
    return html`
      <h1 tabindex="-1">Today</h1>
      <p class="muted">${today}</p>
      <${FollowUps} user=${user} today=${today} />
      <${Empty}>No route planned for today yet.</${Empty}>
      ${online && html`<button class="btn btn--primary" onClick=${planDay} disabled=${busy}>Plan my day</button>`}
      ${message && html`<p role="status">${message}</p>`}
    `;
  }

  const done = stops.filter((s) => s.status === 'done').length;
  return html`
    <h1 tabindex="-1">Today</h1>
    <p class="muted">${today} · ${done} of ${stops.length} stops done</p>
    <${FollowUps} user=${user} today=${today} />
    ${next ? html`
      <section class="card next" aria-labelledby="next-title" data-testid="next-stop">
        <p class="eyebrow">Next stop ${next.seq}</p>
        <h2 id="next-title"><a href=${`/accounts/${next.account_id}`}>${next.name}</a></h2>
        <dl class="facts">
          <dt>Arrive</dt><dd>${clock(next.arrival)}</dd>
          <dt>Window</dt><dd>${formatWindows(next.windows)}</dd>
          <dt>Open today</dt><dd>${formatWindows(accounts[next.account_id]?.opening_hours?.[day])}</dd>
          ${accounts[next.account_id]?.address && html`<dt>Address</dt><dd>${accounts[next.account_id].address}</dd>`}
        </dl>
        ${next.status === 'arrived' && checkin && html`<p class=${checkin.beyond ? 'notice' : 'muted'} role="status" data-testid="checkin-distance">
          ${checkin.distance_m == null ? 'Checked in without a position (location unavailable).'
            : checkin.beyond ? `Checked in ${formatDistance(checkin.distance_m)} from ${next.name}, beyond ${formatDistance(checkin.radius_m)}: make sure you are at the right place.`
              : `Checked in ${formatDistance(checkin.distance_m)} from ${next.name}.`}</p>`}
        <div class="actions">
          <a class="btn" href=${navigationUrl(next)} rel="noopener">Navigate</a>
          ${next.status === 'arrived'
            ? html`<button class="btn btn--primary" onClick=${() => {
                // Nothing is written yet: the stop becomes done together with the visit, when
                // the rep saves the form (Cancel leaves the stop as it is).
                navigate(`/accounts/${next.account_id}/log?type=visit&route=${encodeURIComponent(route.id)}`);
              }}>Check out & log</button>`
            : html`<button class="btn btn--primary" onClick=${checkIn} disabled=${busy}>Check in</button>`}
          <button class="btn" onClick=${() => setSkipping(next)}>Skip</button>
        </div>
        ${skipping && html`<${SkipPanel} stop=${skipping} onCancel=${() => setSkipping(null)}
            onSkip=${async (reason) => {
              await updateStop({ route_id: route.id, account_id: skipping.account_id, status: 'skipped', skip_reason: reason });
              setSkipping(null);
            }} />`}
      </section>` : html`<p class="card" role="status">All stops handled for today.</p>`}
    <div class="actions">
      <button class="btn" onClick=${replan} disabled=${!online || busy}
              aria-describedby=${online ? undefined : 'replan-offline'}>Re-plan from here</button>
      ${undo && html`<button class="btn" onClick=${doUndo} disabled=${!online || busy}>Undo re-plan</button>`}
      ${!online && html`<span id="replan-offline" class="muted">Needs a connection</span>`}
    </div>
    <p role="status" data-testid="today-message">${message}</p>
    ${preview && html`<${ReplanPreview} preview=${preview} busy=${busy} onAccept=${accept} onDiscard=${() => { setPreview(null); setMessage('Kept your route.'); }} />`}
    <${MapView} routes=${[{ stops, start: route.start }]} label="Today's route map" />
    <h2>Stops</h2>
    <${StopList} route=${route} due=${due} online=${online} onMessage=${setMessage} />
    ${route.dropped?.length > 0 && html`
      <details class="card">
        <summary>${route.dropped.length} due account${route.dropped.length > 1 ? 's' : ''} did not fit</summary>
        <ul class="list">
          ${route.dropped.map((d) => html`<li class="list__item"><a class="list__link" href=${`/accounts/${d.account_id}`}>
            <span class="list__main"><span class="list__title">${d.name}</span><span class="muted">${d.reason}</span></span></a></li>`)}
        </ul>
      </details>`}
  `;
}

