// When to sync: on start, on `online`, when the page becomes visible, after each write, on a
// timer, and when the service worker relays a Background Sync event. One sync runs at a time;
// a trigger during a run queues exactly one more run. Transient failures back off
// exponentially with jitter so a fleet of phones coming back online does not stampede the server.
import { getMeta, setMeta } from './db.js';
import { on, emit } from './events.js';
import { pushAll, pullAll, SyncStop } from './sync-core.js';
import { prefetch } from './prefetch.js';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, SYNC_INTERVAL_MS, BG_SYNC_TAG } from './config.js';

// What a stopped sync tells the rep (the sync screen shows it next to "Last sync").
const STOP_TEXT = {
  update: 'this app version is too old: update it to keep syncing',
  auth: 'sign in again to sync',
  blocked: 'the server refused this sync; your changes stay on this phone',
};
const state = { running: false, again: false, failures: 0, retryTimer: null, stop: null, lastError: null };
let started = false;
const PREFETCH_ON = new Set(['start', 'online', 'login', 'visible', 'manual']);

export function syncState() {
  return { syncing: state.running, stop: state.stop, error: state.lastError, failures: state.failures };
}

function publish() {
  emit('sync-state', syncState());
}

/** Delay before retry n (1-based): "full jitter", random(0, min(max, base * 2^n)). */
export function backoffDelay(n, base = BACKOFF_BASE_MS, max = BACKOFF_MAX_MS, rand = Math.random) {
  const cap = Math.min(max, base * 2 ** Math.max(0, n));
  return Math.round(rand() * cap);
}

function scheduleRetry(retryAfterMs) {
  clearTimeout(state.retryTimer);
  // The server's Retry-After is a floor; jitter still spreads the fleet above it.
  const delay = Math.max(retryAfterMs || 0, backoffDelay(state.failures));
  state.retryTimer = setTimeout(() => syncNow('retry'), delay);
}

/** Run push then pull; safe to call from anywhere at any time. */
export async function syncNow(reason = 'manual') {
  if (!(await getMeta('user'))) return; // nothing to sync before the first login
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return;
  if (state.running) {
    state.again = true;
    return;
  }
  state.running = true;
  publish();
  try {
    try {
      await pushAll();
      await pullAll();
      // Writes made while we were pulling go out right away rather than at the next trigger.
      await pushAll();
    } finally {
      // Today's route, the week and the due list come over plain REST; worth trying even when
      // the sync endpoints failed (they are independent of them).
      if (PREFETCH_ON.has(reason)) await prefetch().catch(() => {});
    }
    state.failures = 0;
    state.stop = null;
    state.lastError = null;
    clearTimeout(state.retryTimer);
    // The server understood us again (the app was updated): clear the "update the app" notice.
    if (await getMeta('update_required')) await setMeta('update_required', false);
  } catch (err) {
    if (err instanceof SyncStop) {
      state.stop = err.kind;
      state.lastError = STOP_TEXT[err.kind] || STOP_TEXT.blocked;
      if (err.kind === 'update') await setMeta('update_required', true);
      // The session is gone (expired, or the server's secret changed): ask for the password
      // again. The outbox stays and goes out right after the login.
      if (err.kind === 'auth') await setMeta('session_expired', true);
    } else {
      state.failures++;
      // The rep reads this (Sync screen): our words, never the browser's or the server's text.
      state.lastError = err?.status === 0 ? 'no connection; will retry' : 'the server did not answer; will retry';
      scheduleRetry(err.retryAfterMs);
    }
  } finally {
    state.running = false;
    publish();
  }
  if (state.again) {
    state.again = false;
    return syncNow('again');
  }
}

/** Ask the browser to wake the service worker when connectivity returns (Chromium only). */
async function registerBackgroundSync() {
  try {
    const reg = await navigator.serviceWorker?.getRegistration();
    await reg?.sync?.register(BG_SYNC_TAG);
  } catch {
    // No Background Sync (Safari, Firefox) or no permission: the page triggers cover it.
  }
}

/** Wire all triggers once per page. */
export function startSync() {
  if (started) return;
  started = true;
  on('outbox-changed', () => {
    registerBackgroundSync();
    syncNow('write');
  });
  on('sw-message', (msg) => {
    if (msg?.type === 'flush-outbox') syncNow('background-sync');
  });
  on('logged-in', () => syncNow('login'));
  window.addEventListener('online', () => {
    state.failures = 0;
    syncNow('online');
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') syncNow('visible');
  });
  setInterval(() => syncNow('timer'), SYNC_INTERVAL_MS);
  syncNow('start');
}
