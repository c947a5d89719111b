// Week plan: each working day's stops and travel, from the routes cached on this device.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { useLive, useOnline, usePageTitle } from './hooks.js';
import { Empty } from './ui.js';
import { db } from '../lib/db.js';
import { api } from '../lib/api.js';
import { storeServerRows } from '../lib/sync-core.js';
import { friendlyError } from '../lib/steer.js';
import { addDays, mondayOf, todayIn, clock } from '../lib/dates.js';

const DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'short', timeZone: 'UTC' });

export function Week({ user }) {
  const today = todayIn(user.time_zone);
  const monday = mondayOf(today);
  const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  usePageTitle('Week');
  const routes = useLive(() => db.routes.where('date').between(dates[0], dates[6], true, true).filter((r) => r.rep_id === user.id).toArray(), [monday, user.id], []);
  const byDate = Object.fromEntries(routes.map((r) => [r.date, r]));
  const online = useOnline();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [todayNote, setTodayNote] = useState('');

  // Planning re-solves the days not started yet on the server: only on request.
  async function planWeek() {
    setBusy(true);
    setMessage('');
    setTodayNote('');
    try {
      const week = await api('POST', `/api/routes/week/${monday}/plan`);
      const days = (week?.days || []).filter((d) => d?.id);
      await storeServerRows('route', days);
      const left = week?.unplanned?.length || 0;
      setMessage(`Week planned${left ? `; ${left} due account${left > 1 ? 's' : ''} did not fit` : ''}.`);
      setTodayNote(todayChange(week?.today));
    } catch (err) {
      setMessage(friendlyError(err, 'Could not plan the week'));
    } finally {
      setBusy(false);
    }
  }

  return html`
    <h1 tabindex="-1">Week of ${monday}</h1>
    <div class="actions">
      <button class="btn" onClick=${planWeek} disabled=${!online || busy}>${routes.length ? 'Re-plan the rest of the week' : 'Plan my week'}</button>
      ${!online && html`<span class="muted">Needs a connection</span>`}
    </div>
    ${message && html`<p role="status">${message}</p>`}
    ${todayNote && html`<p class="notice" role="status" data-testid="today-changed">${todayNote}</p>`}
    ${routes.length === 0 && html`<${Empty}>No week plan on this device yet.</${Empty}>`}
    ${dates.filter((d) => byDate[d]).map((d) => {
      const r = byDate[d];
      const stops = [...r.stops].sort((a, b) => a.seq - b.seq);
      return html`
        <section class="card" aria-labelledby=${`day-${d}`}>
          <h2 id=${`day-${d}`}>${DAY.format(new Date(`${d}T12:00:00Z`))}${d === today ? ' (today)' : ''}</h2>
          <p class="muted">${stops.length} stops · ${Math.round((r.travel_seconds || 0) / 60)} min driving</p>
          <ol class="list">
            ${stops.map((s) => html`<li class="list__item"><a class="list__link" href=${`/accounts/${s.account_id}`}>
              <span class="list__main"><span class="list__title">${s.name}</span><span class="muted">${clock(s.arrival)}</span></span></a></li>`)}
          </ol>
        </section>`;
    })}
  `;
}

// Planning the week never changes today silently: say what happened to today's route.
function todayChange(report) {
  if (!report) return '';
  if (!report.changed) return "Today's route is unchanged.";
  const parts = [];
  if (report.added?.length) parts.push(`added ${report.added.join(', ')}`);
  if (report.removed?.length) parts.push(`removed ${report.removed.join(', ')}`);
  if (report.reordered) parts.push('changed the order');
  return `Today's route changed: ${parts.join('; ')}. Check it on Today before you drive.`;
}
