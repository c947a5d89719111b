// Always-visible sync status: pending writes, last sync, conflicts. Announced politely to screen
// readers when it changes; tapping it opens the sync & conflicts screen.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { useEvent, useLive, useOnline } from './hooks.js';
import { db } from '../lib/db.js';
import { ago } from '../lib/dates.js';
import { syncState } from '../lib/sync.js';
import { listRejected, rejectedText } from '../lib/rejected.js';
import { pendingText } from '../lib/pending.js';

async function pendingOfCurrentUser() {
  const user = (await db.meta.get('user'))?.value;
  return user ? db.outbox.where('user_id').equals(user.id).toArray() : [];
}

export function SyncBadge() {
  const counts = useLive(async () => {
    const rows = await pendingOfCurrentUser();
    return {
    pending: rows.length,
    pendingText: pendingText(rows),
    conflicts: await db.conflicts.count(),
    rejected: await listRejected(),
    last: (await db.meta.get('last_sync_at'))?.value ?? null,
    update: (await db.meta.get('update_required'))?.value === true,
    };
  }, [], { pending: 0, pendingText: '', conflicts: 0, rejected: [], last: null, update: false });
  const sync = useEvent('sync-state', syncState());
  const online = useOnline();
  // Re-render every 30 s so "2 min ago" stays true.
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(t);
  }, []);

  const parts = [];
  if (counts.update) parts.push('Update the app to sync');
  else if (sync?.stop === 'auth') parts.push('Sign in to sync');
  if (counts.pending) parts.push(counts.pendingText);
  else parts.push('All saved');
  if (counts.conflicts) parts.push(`${counts.conflicts} conflict${counts.conflicts > 1 ? 's' : ''}`);
  if (counts.rejected.length) parts.push(rejectedText(counts.rejected));
  const status = !online ? 'offline'
    : sync?.syncing ? 'syncing'
      : sync?.error ? 'sync failed, will retry'
        : `synced ${ago(counts.last)}`;
  const tone = counts.conflicts || counts.rejected.length || counts.update ? 'warn' : !online ? 'offline' : 'ok';
  return html`
    <a href="/sync" class=${`badge badge--${tone}`} data-testid="sync-badge"
       data-pending=${counts.pending} data-conflicts=${counts.conflicts} data-rejected=${counts.rejected.length} data-online=${online ? '1' : '0'}>
      <span aria-live="polite" aria-atomic="true">${parts.join(' · ')}</span>
      <span class="badge__when">${status}</span>
      <span class="sr-only">, open sync details</span>
    </a>
  `;
}
