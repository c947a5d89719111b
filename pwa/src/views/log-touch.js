// Log a visit, call or email in a few taps: type, outcome, optional notes and next step, Save.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { useLive, usePageTitle } from './hooks.js';
import { Choice } from './ui.js';
import { db } from '../lib/db.js';
import { logTouch, logVisitAndCheckOut, OUTCOMES, TOUCH_TYPES } from '../lib/actions.js';
import { positionIfAllowed } from '../lib/geo.js';
import { checkinOf } from '../lib/checkin.js';
import { TOUCH_MAX_AGE_DAYS } from '../lib/config.js';

// A datetime-local value ("2026-12-03T09:30") for an instant, in the phone's zone.
function localInput(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
import { navigate } from '../lib/router.js';
import { emit } from '../lib/events.js';
import { accountKey } from './keys.js';

export function LogTouch({ params, query }) {
  const id = accountKey(params.id);
  const account = useLive(() => db.accounts.get(id), [id], null);
  const [type, setType] = useState(TOUCH_TYPES.includes(query.get('type')) ? query.get('type') : 'visit');
  const [outcome, setOutcome] = useState('');
  const [notes, setNotes] = useState('');
  const [nextStep, setNextStep] = useState('');
  const [nextOn, setNextOn] = useState('');
  const [duration, setDuration] = useState('');
  const [when, setWhen] = useState('now');
  const [at, setAt] = useState('');
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  usePageTitle('Log touch');
  // Opened from "Check out & log": saving the visit also marks that route's stop done.
  const routeParam = query.get('route');
  const checkout = routeParam ? accountKey(routeParam) : null; // same id rule as accounts
  // Opened from the Due screen's calls and emails: saving (or cancelling) goes back there.
  const back = checkout != null ? '/' : query.get('from') === 'due' ? '/due' : `/accounts/${params.id}`;

  async function save(e) {
    e.preventDefault();
    if (!outcome) {
      setError('Choose an outcome.');
      document.querySelector('input[name="outcome"]')?.focus();
      return;
    }
    let occurred = null;
    if (when === 'earlier') {
      const t = at ? new Date(at) : null;
      const oldest = Date.now() - TOUCH_MAX_AGE_DAYS * 86_400_000;
      if (!t || Number.isNaN(t.getTime()) || t.getTime() > Date.now() + 60_000 || t.getTime() < oldest) {
        setError(`Pick a time in the last ${TOUCH_MAX_AGE_DAYS} days.`);
        document.getElementById('touch-at')?.focus();
        return;
      }
      occurred = t.toISOString();
    }
    if (nextOn && !nextStep.trim()) {
      setError('Say what the next step is, or clear its date.');
      document.getElementById('touch-next')?.focus();
      return;
    }
    setSaving(true);
    // The visit's position: the one taken at check-in (with its distance judged then), else the
    // current one if location is already allowed; never blocks the save long. None when backdated.
    const stored = checkout != null ? await checkinOf(checkout, id) : null;
    const checkin = type !== 'visit' || occurred ? null
      : stored?.position ? { lat: stored.position.lat, lon: stored.position.lon, accuracy_m: stored.position.accuracy_m }
        : await positionIfAllowed();
    const fields = {
      account_id: id,
      type,
      outcome,
      notes: notes.trim(),
      next_step: nextStep.trim(),
      next_step_on: nextOn || null,
      duration_minutes: duration ? Number(duration) : null,
      checkin,
      occurred_at: occurred || undefined,
    };
    if (checkout != null && type === 'visit') await logVisitAndCheckOut({ route_id: checkout, ...fields });
    else await logTouch(fields);
    const target = back === '/' ? '/today' : back;
    const reminder = nextOn ? ` Follow-up on ${nextOn}: it shows on Today that day, with a reminder.` : '';
    emit('flash', { path: target, text: `${type[0].toUpperCase()}${type.slice(1)} saved${navigator.onLine ? '.' : ' on this phone; it syncs when you are back online.'}${reminder}` });
    navigate(target, { replace: true });
  }

  return html`
    <h1 tabindex="-1">Log ${type}</h1>
    <p class="muted">${account?.name || ''}</p>
    <form class="stack" onSubmit=${save} data-testid="log-form">
      <${Choice} legend="Type" name="type" value=${type} onChange=${setType}
        options=${TOUCH_TYPES.map((t) => ({ value: t, label: t[0].toUpperCase() + t.slice(1) }))} />
      <${Choice} legend="Outcome" name="outcome" value=${outcome} onChange=${(v) => { setOutcome(v); setError(''); }} options=${OUTCOMES} />
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <${Choice} legend="When" name="when" value=${when} onChange=${(v) => { setWhen(v); setError(''); if (v === 'earlier' && !at) setAt(localInput(new Date(Date.now() - 86_400_000))); }}
        options=${[{ value: 'now', label: 'Just now' }, { value: 'earlier', label: 'Earlier' }]} />
      ${when === 'earlier' && html`
        <label for="touch-at">When did it happen? (up to ${TOUCH_MAX_AGE_DAYS} days ago)</label>
        <input id="touch-at" type="datetime-local" value=${at} onInput=${(e) => setAt(e.target.value)}
               aria-describedby="touch-at-hint" />
        <span id="touch-at-hint" class="muted">The server keeps touches up to ${TOUCH_MAX_AGE_DAYS} days old; older ones need a manager.</span>`}
      <label for="touch-notes">Notes (optional)</label>
      <textarea id="touch-notes" rows="3" value=${notes} onInput=${(e) => setNotes(e.target.value)}></textarea>
      <label for="touch-next">Next step (optional)</label>
      <input id="touch-next" value=${nextStep} onInput=${(e) => { setNextStep(e.target.value); setError(''); }} />
      <label for="touch-next-on">Follow up on (optional)</label>
      <input id="touch-next-on" type="date" value=${nextOn} min=${localInput(new Date()).slice(0, 10)}
             onInput=${(e) => { setNextOn(e.target.value); setError(''); }} aria-describedby="touch-next-on-hint" />
      <span id="touch-next-on-hint" class="muted">With a date the next step becomes a follow-up task: on Today that day, with a reminder.</span>
      ${type === 'visit' && html`
        <label for="touch-duration">Duration in minutes (optional)</label>
        <input id="touch-duration" type="number" inputmode="numeric" min="1" max="600" value=${duration}
               onInput=${(e) => setDuration(e.target.value)} />`}
      <button class="btn btn--primary btn--block" type="submit" disabled=${saving}>Save ${type}</button>
      <button class="btn btn--block" type="button" disabled=${saving} onClick=${() => navigate(back, { replace: true })}>Cancel</button>
    </form>
  `;
}
