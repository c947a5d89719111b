// The one page-side module that talks to the service worker: registration, the "new version"
// prompt, and relaying the worker's messages (Background Sync flushes) onto the event bus.
import { Workbox } from 'workbox-window';
import { emit } from './events.js';

let wb = null;
let waiting = false;

export function updateWaiting() {
  return waiting;
}

export function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return null;
  wb = new Workbox('/sw.js', { scope: '/' });
  // A new worker installed while an old one controls the page: don't swap code under the rep's
  // thumb mid-visit; ask, and reload only when they say so.
  wb.addEventListener('waiting', () => {
    waiting = true;
    emit('sw-update-waiting', true);
  });
  wb.addEventListener('message', (event) => emit('sw-message', event.data));
  wb.register().catch((err) => console.warn('service worker registration failed', err));
  // Check for a new version when the rep comes back to the app (phones keep PWAs alive for days).
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') wb.update().catch(() => {});
  });
  return wb;
}

/** Activate the waiting worker, then reload once it controls the page. */
export function applyUpdate() {
  if (!wb) return;
  wb.addEventListener('controlling', () => window.location.reload());
  wb.messageSkipWaiting();
}

export async function swRegistration() {
  if (!('serviceWorker' in navigator)) return null;
  return navigator.serviceWorker.ready;
}
