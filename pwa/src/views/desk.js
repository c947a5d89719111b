// Calls and emails today: the desk plan's list for the rep's desk time, in order, each with its
// minutes, reason and actions (call / email, log it); the later ones folded away with the day
// each is planned for. A lazy chunk of the Due screen. Offline it shows the last list fetched.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { useLive, useOnline } from './hooks.js';
import { LogCallOffer } from './log-call-offer.js';
import { db, getMeta } from '../lib/db.js';
import { DESK_KEY, fetchDesk } from '../lib/desk.js';
import { deskFetched, deskTotal, deskView } from '../lib/desk-plan.js';
import { friendlyError } from '../lib/steer.js';
import { todayIn } from '../lib/dates.js';

const TYPE = { call: 'Call', email: 'Email' };

export function DeskToday({ user }) {
  const today = todayIn(user.time_zone);
  const online = useOnline();
  const stored = useLive(() => getMeta(DESK_KEY, null), [], undefined);
  const touches = useLive(() => db.touches.toArray(), [], []);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  const [called, setCalled] = useState(null);

  useEffect(() => {
    if (!online) return undefined;
    let live = true;
    setLoading(true);
    fetchDesk(user, today)
      .then(() => live && setError(''))
      .catch((err) => live && setError(friendlyError(err, "Could not fetch today's calls and emails")))
      .finally(() => live && setLoading(false));
    return () => { live = false; };
  }, [online, today, user.id]);

  const view = stored ? deskView(stored, touches, user.id, user.time_zone) : null;
  const ids = view ? [...new Set([...view.today, ...view.later].map((t) => t.account_id))] : [];
  const accounts = useLive(async () => {
    const rows = await db.accounts.bulkGet(ids);
    return Object.fromEntries(rows.filter(Boolean).map((a) => [a.id, a]));
  }, [ids.join(',')], {});

  return html`
    <section class="card" aria-labelledby="desk-h" data-testid="desk">
      <h2 id="desk-h">Calls and emails today</h2>
      ${error && html`<p class="notice" role="alert" data-testid="desk-error">${error}</p>`}
      ${!view ? html`<p class="muted">${loading ? 'Fetching your calls and emails…' : online ? '' : 'Offline: the list comes the next time you are online.'}</p>` : html`
        <p data-testid="desk-total"><strong>${deskTotal(view)}</strong></p>
        <p class="muted" data-testid="desk-fetched">${deskFetched(stored, today, online, user.time_zone)}</p>
        ${called && html`<${LogCallOffer} who=${called.who} href=${logHref(called.item)} onDismiss=${() => setCalled(null)} />`}
        ${view.today.length === 0 ? html`<p class="empty">No calls or emails left for today.</p>` : html`
          <ol class="list" data-testid="desk-today">
            ${view.today.map((t) => html`<${DeskItem} item=${t} account=${accounts[t.account_id]}
                onCall=${(who) => setCalled({ who, item: t })} />`)}
          </ol>`}
        ${view.later.length > 0 && html`
          <details data-testid="desk-later">
            <summary>Later (${view.later.length})</summary>
            <ul class="list">${view.later.map((t) => html`<${LaterItem} item=${t} />`)}</ul>
          </details>`}
        ${view.unplanned.length > 0 && html`
          <details data-testid="desk-unplanned">
            <summary>No desk time this period (${view.unplanned.length})</summary>
            <ul class="list">${view.unplanned.map((t) => html`<${LaterItem} item=${t} />`)}</ul>
          </details>`}`}
    </section>`;
}

const logHref = (t) => `/accounts/${t.account_id}/log?type=${t.touch_type}&from=due`;

function DeskItem({ item, account, onCall }) {
  const contacts = account?.contacts || [];
  const phone = item.touch_type === 'call' ? contacts.find((c) => c.phone) : null;
  const mail = item.touch_type === 'email' ? contacts.find((c) => c.email) : null;
  const what = `${TYPE[item.touch_type] || item.touch_type} ${item.account_name}`;
  return html`<li class="list__item" data-account=${item.account_id} data-type=${item.touch_type}>
    <div class="list__main desk__main">
      <span class="list__title"><a href=${`/accounts/${item.account_id}`}>${item.account_name}</a>${` · ${TYPE[item.touch_type] || item.touch_type} · ${item.minutes} min`}</span>
      <span class="muted">Tier ${item.tier} · ${item.reason}</span>
    </div>
    <div class="actions desk__actions">
      ${phone && html`<a class="btn btn--small" href=${`tel:${phone.phone}`} onClick=${() => onCall(phone.name || phone.phone)}>
        Call<span class="sr-only"> ${phone.name || ''} at ${item.account_name}</span></a>`}
      ${mail && html`<a class="btn btn--small" href=${`mailto:${mail.email}`}>
        Email<span class="sr-only"> ${mail.name || ''} at ${item.account_name}</span></a>`}
      <a class="btn btn--small btn--primary" href=${logHref(item)}>Log it<span class="sr-only">: ${what}</span></a>
    </div></li>`;
}

function LaterItem({ item }) {
  return html`<li class="list__item" data-account=${item.account_id} data-type=${item.touch_type}>
    <a class="list__link" href=${`/accounts/${item.account_id}`}><span class="list__main">
      <span class="list__title">${item.account_name} · ${TYPE[item.touch_type] || item.touch_type} · ${item.minutes} min</span>
      <span class="muted">Tier ${item.tier} · ${item.reason}</span></span></a></li>`;
}
