// Move one stop to another day of the week, or book it at a fixed time (the account's form).
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { addDays, todayIn, weekdayKey } from '../lib/dates.js';
import { moveToDay } from '../lib/steer.js';

const DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'short', timeZone: 'UTC' });

export function MoveDay({ route, stop, user, onDone, onCancel, act }) {
  const today = todayIn(user?.time_zone);
  // Working days within a week of the stop's day and not over yet (the server's rule too).
  const days = Array.from({ length: 15 }, (_, i) => addDays(route.date, i - 7))
    .filter((d) => d !== route.date && d >= today && !['sat', 'sun'].includes(weekdayKey(d)));
  const [to, setTo] = useState(days.find((d) => d > route.date) || days[0]);
  const id = `move-${stop.account_id}`;
  return html`
    <form class="stack card" data-testid="move-day" onSubmit=${(e) => {
      e.preventDefault();
      act(() => moveToDay(route, stop.account_id, to), `${stop.name} moved to ${DAY.format(new Date(`${to}T12:00:00Z`))}.`).then(onDone);
    }}>
      <label for=${id}>Move ${stop.name} to</label>
      ${days.length === 0 && html`<p class="muted">No other working day within a week; book a fixed time instead.</p>`}
      ${days.length > 0 && html`<select id=${id} value=${to} onChange=${(e) => setTo(e.target.value)}>
        ${days.map((d) => html`<option value=${d}>${DAY.format(new Date(`${d}T12:00:00Z`))}</option>`)}
      </select>`}
      <div class="actions">
        <button class="btn btn--primary" type="submit" disabled=${days.length === 0}>Move</button>
        <a class="btn" href=${`/accounts/${stop.account_id}?book=1#book`}>Book a fixed time instead</a>
        <button class="btn" type="button" onClick=${onCancel}>Cancel</button>
      </div>
    </form>`;
}
