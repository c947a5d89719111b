// Move one stop to another day of the week, or book it at a fixed time (the account's form).
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { addDays, mondayOf } from '../lib/dates.js';
import { moveToDay } from '../lib/steer.js';

const DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'short', timeZone: 'UTC' });

export function MoveDay({ route, stop, onDone, onCancel, act }) {
  const monday = mondayOf(route.date);
  const days = Array.from({ length: 5 }, (_, i) => addDays(monday, i)).filter((d) => d !== route.date);
  const [to, setTo] = useState(days.find((d) => d > route.date) || days[0]);
  const id = `move-${stop.account_id}`;
  return html`
    <form class="stack card" data-testid="move-day" onSubmit=${(e) => {
      e.preventDefault();
      act(() => moveToDay(route, stop.account_id, to), `${stop.name} moved to ${DAY.format(new Date(`${to}T12:00:00Z`))}.`).then(onDone);
    }}>
      <label for=${id}>Move ${stop.name} to</label>
      <select id=${id} value=${to} onChange=${(e) => setTo(e.target.value)}>
        ${days.map((d) => html`<option value=${d}>${DAY.format(new Date(`${d}T12:00:00Z`))}</option>`)}
      </select>
      <div class="actions">
        <button class="btn btn--primary" type="submit">Move</button>
        <a class="btn" href=${`/accounts/${stop.account_id}?book=1#book`}>Book a fixed time instead</a>
        <button class="btn" type="button" onClick=${onCancel}>Cancel</button>
      </div>
    </form>`;
}
