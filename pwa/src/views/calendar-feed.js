// The private calendar link: planned visits and appointments in the rep's own calendar app.
// The link is a secret shown once when made; a new link or "Turn off" ends the old one.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { useOnline } from './hooks.js';
import { api } from '../lib/api.js';
import { friendlyError } from '../lib/steer.js';

export function CalendarFeed() {
  const online = useOnline();
  const [state, setState] = useState(null); // {enabled, created_at, url}
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (online) api('GET', '/api/calendar/feed').then(setState).catch(() => setState(null));
  }, [online]);

  async function run(method, done) {
    setBusy(true);
    setMessage('');
    try {
      const answer = await api(method, '/api/calendar/feed');
      setState(answer || { enabled: false, created_at: null, url: null });
      setMessage(done);
    } catch (err) {
      setMessage(friendlyError(err, 'Could not change the calendar link'));
    } finally {
      setBusy(false);
    }
  }

  return html`
    <section class="card stack" aria-labelledby="cal-h">
      <h2 id="cal-h">Calendar</h2>
      <p class="muted">Your planned visits and appointments in your own calendar app, through a private link.</p>
      ${!online && html`<p class="muted">Needs a connection.</p>`}
      ${state?.url && html`
        <label for="cal-url">Your private calendar link (add it as a subscription; keep it to yourself)</label>
        <input id="cal-url" readonly value=${state.url} onFocus=${(e) => e.target.select()} data-testid="calendar-url" />`}
      ${state?.enabled && !state.url && html`<p data-testid="calendar-on">A calendar link is on. Make a new one to see it again; the old one then stops working.</p>`}
      <div class="actions">
        <button class="btn btn--primary" disabled=${!online || busy} onClick=${() => run('POST', state?.enabled ? 'New link made; the old one no longer works.' : 'Calendar link made.')}>
          ${state?.enabled ? 'Make a new link' : 'Get my calendar link'}</button>
        ${state?.enabled && html`<button class="btn" disabled=${!online || busy} onClick=${() => run('DELETE', 'Calendar link turned off.')}>Turn off</button>`}
      </div>
      ${message && html`<p role="status" data-testid="calendar-message">${message}</p>`}
    </section>`;
}
