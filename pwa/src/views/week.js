// Week plan: each working day's stops and travel, from the routes cached on this device.
import { html } from './html.js';
import { useLive, usePageTitle } from './hooks.js';
import { Empty } from './ui.js';
import { db } from '../lib/db.js';
import { addDays, mondayOf, todayIn, clock } from '../lib/dates.js';

const DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'short', timeZone: 'UTC' });

export function Week({ user }) {
  const today = todayIn(user.time_zone);
  const monday = mondayOf(today);
  const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  usePageTitle('Week');
  const routes = useLive(() => db.routes.where('date').between(dates[0], dates[6], true, true).filter((r) => r.rep_id === user.id).toArray(), [monday, user.id], []);
  const byDate = Object.fromEntries(routes.map((r) => [r.date, r]));
  return html`
    <h1 tabindex="-1">Week of ${monday}</h1>
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
