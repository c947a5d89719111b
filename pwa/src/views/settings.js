// Settings: notifications (permission asked only from this tap), install, logout.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { useEvent, useLive, usePageTitle } from './hooks.js';
import { db } from '../lib/db.js';
import { logout } from '../lib/auth.js';
import { pushSupported, pushEnabled, enablePush, disablePush } from '../lib/push.js';
import { iosNeedsHomeScreen } from '../lib/platform.js';
import { canInstall, isStandalone, promptInstall } from '../lib/install.js';
import { CalendarFeed } from './calendar-feed.js';

export function Settings({ user }) {
  usePageTitle('Settings');
  const pending = useLive(() => db.outbox.where('user_id').equals(user.id).count(), [user.id], 0);
  const installable = useEvent('install-available', canInstall());
  const [push, setPush] = useState(false);
  const [pushMsg, setPushMsg] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [persisted, setPersisted] = useState(null);

  useEffect(() => {
    pushEnabled().then(setPush).catch(() => {});
    navigator.storage?.persisted?.().then(setPersisted).catch(() => {});
  }, []);

  async function togglePush(e) {
    const want = e.target.checked;
    setPushMsg('');
    try {
      if (want) await enablePush();
      else await disablePush();
      setPush(want);
      setPushMsg(want ? 'Reminders are on.' : 'Reminders are off.');
    } catch (err) {
      setPush(false);
      // The permission refusal is ours to word; anything else (browser or server) is not shown raw.
      setPushMsg(err?.message?.startsWith('Notifications are blocked') ? err.message
        : 'Reminders could not be switched on right now. Check your connection and try again.');
    }
  }

  async function doLogout() {
    if (pending > 0 && !confirming) {
      setConfirming(true);
      return;
    }
    await logout();
  }

  return html`
    <h1 tabindex="-1">Settings</h1>
    <p class="muted">${user.name} · ${user.email} · ${user.role}</p>
    <section class="card stack" aria-labelledby="notif-h">
      <h2 id="notif-h">Reminders</h2>
      ${iosNeedsHomeScreen() ? html`
        <p class="notice" data-testid="ios-push-hint">On iPhone and iPad, reminders only reach FieldRep once it is on your Home Screen:
          tap the Share button, then "Add to Home Screen", and open FieldRep from there to switch reminders on.</p>`
      : pushSupported() ? html`
        <label class="switch">
          <input type="checkbox" role="switch" checked=${push} onChange=${togglePush} />
          <span>Push reminders for due and overdue touches</span>
        </label>
        <p class="muted">On iPhone, add FieldRep to the home screen first; iOS only sends reminders to installed apps.</p>`
        : html`<p class="muted">This browser cannot receive push reminders.</p>`}
      ${pushMsg && html`<p role="status">${pushMsg}</p>`}
    </section>
    ${user.role === 'rep' && html`<${CalendarFeed} />`}
    <section class="card stack" aria-labelledby="install-h">
      <h2 id="install-h">Install</h2>
      ${isStandalone() ? html`<p>FieldRep is installed.</p>`
        : installable ? html`<button class="btn btn--primary" onClick=${promptInstall}>Install FieldRep</button>`
          : html`<p class="muted">Use your browser's menu: "Add to Home screen".</p>`}
      ${persisted !== null && html`<p class="muted">Offline storage: ${persisted ? 'protected from clean-up' : 'may be cleared by the browser when space is low'}.</p>`}
    </section>
    <section class="card stack" aria-labelledby="account-h">
      <h2 id="account-h">Sign out</h2>
      ${confirming && html`<p class="error" role="alert">${pending} change${pending > 1 ? 's have' : ' has'} not reached the server yet. Signing out now deletes ${pending > 1 ? 'them' : 'it'} from this phone. Go online first to keep ${pending > 1 ? 'them' : 'it'}.</p>`}
      <button class="btn ${confirming ? 'btn--danger' : ''}" onClick=${doLogout}>${confirming ? 'Sign out and discard' : 'Sign out'}</button>
      ${confirming && html`<button class="btn" onClick=${() => setConfirming(false)}>Stay signed in</button>`}
    </section>
  `;
}
