// Follow-up tasks: next steps the rep logged with a date, due today or left open from earlier
// (from this phone's data, so they show offline too, including ones not synced yet). The rep
// marks one done or moves it to another day here, offline like the touch itself.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { useLive } from './hooks.js';
import { db } from '../lib/db.js';
import { updateFollowUp } from '../lib/actions.js';
import { addDays } from '../lib/dates.js';

const DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const dayName = (d) => DAY.format(new Date(`${d}T12:00:00Z`));

function MoveFollowUp({ task, today, onMove, onCancel }) {
  const [to, setTo] = useState(addDays(today, 1));
  const id = `follow-on-${task.id}`;
  return html`
    <form class="stack" data-testid="follow-up-move" onSubmit=${(e) => { e.preventDefault(); if (to > today) onMove(to); }}>
      <label for=${id}>Follow up with ${task.account_name} on</label>
      <input id=${id} type="date" min=${addDays(today, 1)} value=${to} required onInput=${(e) => setTo(e.target.value)} />
      <div class="actions">
        <button class="btn btn--primary btn--small" type="submit">Move</button>
        <button class="btn btn--small" type="button" onClick=${onCancel}>Cancel</button>
      </div>
    </form>`;
}

export function FollowUps({ user, today }) {
  const [moving, setMoving] = useState(null);
  const [message, setMessage] = useState('');
  const tasks = useLive(async () => {
    const mine = await db.touches.filter((t) => t.next_step_on && t.next_step_on <= today && (t.rep_id == null || t.rep_id === user.id)
      && (t.next_step_on === today || !t.follow_up_done)).toArray();
    const names = await db.accounts.bulkGet(mine.map((t) => t.account_id));
    const rows = mine.map((t, i) => ({ ...t, account_name: names[i]?.name || 'Account' }));
    // Open ones first, the oldest first; the ones done today last.
    return rows.sort((a, b) => Number(Boolean(a.follow_up_done)) - Number(Boolean(b.follow_up_done)) || a.next_step_on.localeCompare(b.next_step_on));
  }, [today, user.id], []);
  if (!tasks.length && !message) return null;

  async function change(task, changes, said) {
    try {
      await updateFollowUp(task.id, changes);
      setMessage(said);
    } catch {
      setMessage('Could not change that follow-up.');
    }
    setMoving(null);
  }

  const open = tasks.filter((t) => !t.follow_up_done).length;
  return html`
    <section class="card" aria-labelledby="follow-h" data-testid="follow-ups">
      <h2 id="follow-h">Follow-ups today</h2>
      ${tasks.length > 0 && html`<p class="muted">${open} open · ${tasks.length - open} done</p>`}
      <ul class="list">
        ${tasks.map((t) => html`<li class="list__item" data-testid="follow-up" data-touch=${t.id} data-state=${t.follow_up_done ? 'done' : 'open'}>
          <a class="list__link" href=${`/accounts/${t.account_id}`}>
            <span class="list__main"><span class="list__title">${t.account_name}</span>
              <span>${t.next_step}</span>
              ${t.next_step_on < today && html`<span class="muted">Due ${dayName(t.next_step_on)}</span>`}</span>
            <span class=${`chip ${t.follow_up_done ? 'chip--done' : t.next_step_on < today ? 'chip--overdue' : ''}`}>${t.follow_up_done ? 'Done' : 'Open'}</span>
          </a>
          <div class="actions" role="group" aria-label=${`Follow-up with ${t.account_name}`}>
            ${t.follow_up_done
              ? html`<button class="btn btn--small" onClick=${() => change(t, { follow_up_done: false }, `Follow-up with ${t.account_name} open again.`)}>Reopen</button>`
              : html`<button class="btn btn--small btn--primary" onClick=${() => change(t, { follow_up_done: true }, `Follow-up with ${t.account_name} done.`)}>Mark done</button>`}
            <button class="btn btn--small" aria-expanded=${moving === t.id ? 'true' : 'false'}
              onClick=${() => setMoving(moving === t.id ? null : t.id)}>Another day</button>
          </div>
          ${moving === t.id && html`<${MoveFollowUp} task=${t} today=${today} onCancel=${() => setMoving(null)}
            onMove=${(to) => change(t, { next_step_on: to, follow_up_done: false }, `Follow-up with ${t.account_name} moved to ${dayName(to)}.`)} />`}
        </li>`)}
      </ul>
      ${message && html`<p role="status" data-testid="follow-up-message">${message}</p>`}
    </section>`;
}
