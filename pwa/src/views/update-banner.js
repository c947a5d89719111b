// "A new version is ready" banner, and the 426 "update the app" notice (outbox kept meanwhile).
import { html } from './html.js';
import { useEvent, useLive } from './hooks.js';
import { db } from '../lib/db.js';
import { applyUpdate, updateWaiting } from '../lib/sw-bridge.js';

export function UpdateBanner() {
  useEvent('sw-update-waiting', false); // re-render when the worker bridge reports one
  const waiting = updateWaiting();
  const required = useLive(async () => (await db.meta.get('update_required'))?.value === true, [], false);
  if (!waiting && !required) return null;
  return html`
    <div class="banner" role="status">
      <span>${required
        ? 'This version of the app is too old for the server. Update to keep syncing; your unsent changes are kept.'
        : 'A new version of FieldRep is ready.'}</span>
      ${waiting
        ? html`<button class="btn btn--small" onClick=${applyUpdate}>Reload to update</button>`
        : html`<button class="btn btn--small" onClick=${() => window.location.reload()}>Check for update</button>`}
    </div>
  `;
}
