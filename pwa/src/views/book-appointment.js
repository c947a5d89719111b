// Book an appointment on an account: a fixed-time visit that becomes a fixed stop of that day's
// route (the server fits it in and re-times the day). Needs a connection.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { useOnline } from './hooks.js';
import { bookAppointment, friendlyError } from '../lib/steer.js';
import { todayIn } from '../lib/dates.js';

export function BookAppointment({ account, user, open: openAtStart = false }) {
  const online = useOnline();
  const [open, setOpen] = useState(openAtStart);
  const [day, setDay] = useState(todayIn(user.time_zone));
  const [start, setStart] = useState('10:00');
  const [minutes, setMinutes] = useState('30');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');

  async function book(e) {
    e.preventDefault();
    setBusy(true);
    setMessage('');
    try {
      const booked = await bookAppointment({ account_id: account.id, date: day, start, minutes: Number(minutes) || 30, note: note.trim() });
      setMessage(booked.route
        ? `Booked ${day} at ${start}: a fixed stop on that day's route.`
        : `Booked ${day} at ${start}: it becomes a fixed stop when that day is planned.`);
      setOpen(false);
    } catch (err) {
      setMessage(friendlyError(err, 'Could not book'));
    } finally {
      setBusy(false);
    }
  }

  return html`
    <section aria-labelledby="book-h" id="book">
      <h2 id="book-h">Appointment</h2>
      ${!open && html`<button class="btn" onClick=${() => setOpen(true)} disabled=${!online}>Book an appointment</button>
        ${!online && html`<span class="muted"> Needs a connection</span>`}`}
      ${open && html`
        <form class="stack" onSubmit=${book} data-testid="book-form">
          <label for="book-date">Day</label>
          <input id="book-date" type="date" required value=${day} onInput=${(e) => setDay(e.target.value)} />
          <label for="book-start">Time</label>
          <input id="book-start" type="time" required value=${start} onInput=${(e) => setStart(e.target.value)} />
          <label for="book-minutes">Minutes</label>
          <input id="book-minutes" type="number" inputmode="numeric" min="5" max="480" value=${minutes} onInput=${(e) => setMinutes(e.target.value)} />
          <label for="book-note">Note (optional)</label>
          <input id="book-note" value=${note} onInput=${(e) => setNote(e.target.value)} />
          <div class="actions">
            <button class="btn btn--primary" type="submit" disabled=${busy || !online}>Book</button>
            <button class="btn" type="button" onClick=${() => setOpen(false)}>Cancel</button>
          </div>
        </form>`}
      ${message && html`<p role="status" data-testid="book-message">${message}</p>`}
    </section>`;
}
