// Sync details: what is waiting to be sent, what the server rejected, and conflicts to resolve
// (mine vs server per field; keep mine re-sends against the server's version).
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { useEvent, useLive, usePageTitle } from './hooks.js';
import { db } from '../lib/db.js';
import { keepMine, takeServer } from '../lib/actions.js';
import { syncNow, syncState } from '../lib/sync.js';
import { ago } from '../lib/dates.js';
import { dismissRejected, listRejected } from '../lib/rejected.js';

const NAMES = { 'touch.log': 'Logged touch', 'account.update': 'Account edit', 'stop.update': 'Stop status', 'route.reorder': 'Route order', 'follow_up.update': 'Follow-up' };

function show(v) {
  if (v === null || v === undefined || v === '') return '(empty)';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** What the rep wrote, so a rejected visit can be redone by hand. */
function detail(r) {
  const a = r.args || {};
  if (r.name === 'touch.log') return [a.occurred_at && new Date(a.occurred_at).toLocaleString(), a.outcome, a.notes, a.next_step].filter(Boolean).join(' · ');
  if (r.name === 'account.update' || r.name === 'follow_up.update') return Object.entries(a.changes || {}).map(([k, v]) => `${k}: ${show(v)}`).join(' · ');
  if (r.name === 'stop.update') return [a.status, a.skip_reason].filter(Boolean).join(' · ');
  return '';
}

export function SyncScreen({ user }) {
  usePageTitle('Sync');
  const conflicts = useLive(() => db.conflicts.orderBy('created_at').toArray(), [], []);
  const pending = useLive(() => db.outbox.where('user_id').equals(user.id).sortBy('mutation_id'), [user.id], []);
  const meta = useLive(() => db.meta.bulkGet(['last_sync_at']), [], []);
  const rejections = useLive(listRejected, [], []);
  const names = useLive(async () => {
    const ids = [...conflicts, ...rejections].map((c) => c.account_id).filter((x) => x != null);
    const rows = await db.accounts.bulkGet(ids);
    return Object.fromEntries(rows.filter(Boolean).map((a) => [a.id, a.name]));
  }, [conflicts, rejections], {});
  const sync = useEvent('sync-state', syncState());
  const [busy, setBusy] = useState(false);
  const last = meta?.[0]?.value;

  return html`
    <h1 tabindex="-1">Sync</h1>
    <p class="muted">Last sync ${ago(last)}${sync?.error ? ` · ${sync.error}` : ''}</p>
    <button class="btn" disabled=${busy || sync?.syncing} onClick=${async () => { setBusy(true); await syncNow('manual'); setBusy(false); }}>Sync now</button>

    <section aria-labelledby="conf-h">
      <h2 id="conf-h">Conflicts (${conflicts.length})</h2>
      ${conflicts.length === 0 && html`<p class="muted">No conflicts.</p>`}
      ${conflicts.map((c) => html`
        <article class="card conflict" data-testid="conflict" aria-labelledby=${`c-${c.id}`}>
          <h3 id=${`c-${c.id}`}>${names[c.account_id] || c.server?.name || 'Account'}</h3>
          <p class="muted">Changed on another device while you edited it.</p>
          <table class="diff">
            <caption class="sr-only">Your values and the server's values</caption>
            <thead><tr><th scope="col">Field</th><th scope="col">Mine</th><th scope="col">Server</th></tr></thead>
            <tbody>
              ${c.fields.map((f) => html`<tr><th scope="row">${f}</th><td data-testid="mine">${show(c.mine?.[f])}</td><td data-testid="server">${show(c.server?.[f])}</td></tr>`)}
            </tbody>
          </table>
          <div class="actions">
            <button class="btn btn--primary" onClick=${() => keepMine(c)}>Keep mine</button>
            <button class="btn" onClick=${() => takeServer(c)}>Take server's</button>
          </div>
        </article>`)}
    </section>

    <section aria-labelledby="pend-h">
      <h2 id="pend-h">Waiting to send (${pending.length})</h2>
      ${pending.length === 0 ? html`<p class="muted">Everything is on the server.</p>` : html`
        <ul class="list">${pending.map((m) => html`<li class="list__item">${NAMES[m.name] || m.name} · ${new Date(m.created_at).toLocaleTimeString()}</li>`)}</ul>`}
    </section>

    ${rejections.length > 0 && html`
      <section aria-labelledby="rej-h">
        <h2 id="rej-h">Not accepted by the server (${rejections.length})</h2>
        <p class="muted">These were not saved on the server. Their content is kept here so you can redo them.</p>
        <ul class="list">${rejections.map((r) => html`<li class="list__item" data-testid="rejected">
          <span class="list__main">
            <span class="list__title">${NAMES[r.name] || r.name}${r.args?.type ? ` (${r.args.type})` : ''} · ${names[r.account_id] || (r.account_id != null ? `account ${r.account_id}` : '')}</span>
            <span class="muted" data-testid="rejected-reason">${r.reason}${r.message ? ` — ${r.message}` : ''}</span>
            ${detail(r) && html`<span class="muted">${detail(r)}</span>`}
          </span>
          <button class="btn" onClick=${() => dismissRejected(r.id)}>Dismiss</button></li>`)}</ul>
      </section>`}
  `;
}
