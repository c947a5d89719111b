// Account: due status with its reason, one-tap logging, details, notes editing and history.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { useLive, usePageTitle } from './hooks.js';
import { StatusChip, Empty } from './ui.js';
import { db } from '../lib/db.js';
import { updateAccount } from '../lib/actions.js';
import { WEEKDAYS, formatWindows, localDateTime } from '../lib/dates.js';
import { accountKey } from './keys.js';
import { BookAppointment } from './book-appointment.js';
import { LogCallOffer } from './log-call-offer.js';

const TYPE_LABEL = { visit: 'Visit', call: 'Call', email: 'Email' };
const OUTCOME_LABEL = { positive: 'Positive', neutral: 'Neutral', negative: 'Negative', no_contact: 'No contact' };

export function AccountView({ params, query, user }) {
  const id = accountKey(params.id);
  const account = useLive(() => db.accounts.get(id), [id], null);
  const due = useLive(() => db.due.where('account_id').equals(id).toArray(), [id], []);
  const history = useLive(() => db.touches.where('account_id').equals(id).reverse().sortBy('occurred_at'), [id], []);
  const conflicts = useLive(() => db.conflicts.where('account_id').equals(id).count(), [id], 0);
  // Tapping a phone number opens the dialer; coming back, the rep is offered to log that call.
  const [called, setCalled] = useState(null);
  usePageTitle(account?.name || 'Account');

  if (!account) return html`<h1 tabindex="-1">Account</h1><${Empty}>This account is not on this device.</${Empty}>`;
  return html`
    <h1 tabindex="-1">${account.name}</h1>
    <p class="muted">${[account.address, account.tier && `Tier ${account.tier}`, account.status, account.kare].filter(Boolean).join(' · ')}</p>
    ${conflicts > 0 && html`<p class="notice" role="status"><a href="/sync">This account has ${conflicts} unresolved conflict${conflicts > 1 ? 's' : ''}. Review</a></p>`}
    <section aria-labelledby="due-h">
      <h2 id="due-h">Cadence</h2>
      ${due.length === 0 ? html`<p class="muted">Nothing due.</p>` : html`
        <ul class="list">
          ${due.map((d) => html`<li class="list__item list__row">
            <span class="list__main"><span class="list__title">${TYPE_LABEL[d.touch_type] || d.touch_type}</span>
              <span class="muted">${d.reason}</span></span>
            <${StatusChip} status=${d.status} /></li>`)}
        </ul>`}
    </section>
    ${called && html`<${LogCallOffer} who=${called} href=${`/accounts/${params.id}/log?type=call`} onDismiss=${() => setCalled(null)} />`}
    <section aria-labelledby="log-h">
      <h2 id="log-h">Log a touch</h2>
      <div class="actions actions--grid">
        ${['visit', 'call', 'email'].map((t) => html`<a class="btn btn--primary" href=${`/accounts/${params.id}/log?type=${t}`}><span class="sr-only">Log </span>${TYPE_LABEL[t]}</a>`)}
      </div>
    </section>
    ${account.contacts?.length > 0 && html`
      <section aria-labelledby="contacts-h">
        <h2 id="contacts-h">Contacts</h2>
        <ul class="list">
          ${account.contacts.map((c) => html`<li class="list__item list__row">
            <span class="list__main"><span class="list__title">${c.name}</span><span class="muted">${c.role || ''}</span></span>
            ${c.phone && html`<a class="btn btn--small" href=${`tel:${c.phone}`} onClick=${() => setCalled(c.name || c.phone)}
              aria-label=${`Call ${c.name || ''} ${c.phone}`}>${c.phone}</a>`}
            ${c.email && html`<a class="btn btn--small" href=${`mailto:${c.email}`}>Email</a>`}</li>`)}
        </ul>
      </section>`}
    ${user?.role === 'rep' && html`<${BookAppointment} account=${account} user=${user} open=${query?.get('book') === '1'} />`}
    <section aria-labelledby="hours-h">
      <h2 id="hours-h">Opening hours</h2>
      <dl class="facts facts--hours">
        ${WEEKDAYS.map((d) => html`<dt>${d[0].toUpperCase() + d.slice(1)}</dt><dd>${formatWindows(account.opening_hours?.[d])}</dd>`)}
      </dl>
    </section>
    <${NotesEditor} account=${account} />
    <section aria-labelledby="hist-h">
      <h2 id="hist-h">History</h2>
      ${history.length === 0 ? html`<p class="muted">No touches logged yet.</p>` : html`
        <ul class="list" data-testid="history">
          ${history.map((t) => html`<li class="list__item">
            <span class="list__main">
              <span class="list__title">${TYPE_LABEL[t.type]} · ${OUTCOME_LABEL[t.outcome] || t.outcome}${t._pending ? ' · not sent yet' : ''}</span>
              <time class="muted" datetime=${t.occurred_at}>${localDateTime(t.occurred_at)}</time>
              ${t.notes && html`<span>${t.notes}</span>`}
              ${t.next_step && html`<span class="muted">Next: ${t.next_step}</span>`}
            </span></li>`)}
        </ul>`}
    </section>
  `;
}

function NotesEditor({ account }) {
  const [editing, setEditing] = useState(false);
  const [notes, setNotes] = useState(account.notes || '');
  const [saved, setSaved] = useState('');
  if (!editing) {
    return html`
      <section aria-labelledby="notes-h">
        <h2 id="notes-h">Notes</h2>
        <p class="prewrap" data-testid="account-notes">${account.notes || html`<span class="muted">No notes.</span>`}</p>
        ${saved && html`<p role="status" class="muted">${saved}</p>`}
        <button class="btn" onClick=${() => { setNotes(account.notes || ''); setEditing(true); }}>Edit notes</button>
      </section>`;
  }
  return html`
    <form class="stack" aria-labelledby="notes-h" onSubmit=${async (e) => {
      e.preventDefault();
      await updateAccount(account.id, { notes });
      setEditing(false);
      setSaved('Saved on this phone; it syncs when online.');
    }}>
      <h2 id="notes-h">Notes</h2>
      <label for="account-notes">Account notes</label>
      <textarea id="account-notes" rows="4" value=${notes} onInput=${(e) => setNotes(e.target.value)}></textarea>
      <div class="actions">
        <button class="btn btn--primary" type="submit">Save notes</button>
        <button class="btn" type="button" onClick=${() => setEditing(false)}>Cancel</button>
      </div>
    </form>`;
}
