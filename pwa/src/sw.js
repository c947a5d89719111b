// FieldRep service worker. It only wires events; the logic it shares with the page (pushing the
// outbox) comes from lib/. Scope "/" (served from /sw.js).
import { precacheAndRoute, cleanupOutdatedCaches, createHandlerBoundToURL } from 'workbox-precaching';
import { registerRoute, NavigationRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';
import { ExpirationPlugin } from 'workbox-expiration';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { setCacheNameDetails, clientsClaim } from 'workbox-core';
import { pushAll } from './lib/sync-core.js';
import { BG_SYNC_TAG } from './lib/config.js';

// Bump CACHE_VERSION when a runtime cache's format changes; activate deletes older ones.
const CACHE_VERSION = 'v1';
const TILE_CACHE = `fieldrep-tiles-${CACHE_VERSION}`;
setCacheNameDetails({ prefix: 'fieldrep', suffix: CACHE_VERSION });

// App shell: hashed assets + index.html, revisioned by the build; old precaches are removed.
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// Client-side routes (/today, /accounts/7, ...) all boot from the cached index.html.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//, /^\/healthz/] }));

// The API is never cached: stale data must come from IndexedDB where the app knows it is stale.
registerRoute(({ url }) => url.origin === self.location.origin && url.pathname.startsWith('/api/'), new NetworkOnly());

// Map tiles the rep has already seen: any image whose path ends in z/x/y.png (works for every
// tile host the deployment configures). Cross-origin tiles are opaque, hence status 0 allowed.
registerRoute(
  ({ request, url }) => request.destination === 'image' && /\/\d+\/\d+\/\d+(@2x)?\.(png|jpe?g|webp)$/.test(url.pathname),
  new CacheFirst({
    cacheName: TILE_CACHE,
    plugins: [
      new CacheableResponsePlugin({ statuses: [0, 200] }),
      new ExpirationPlugin({ maxEntries: 800, maxAgeSeconds: 30 * 24 * 3600, purgeOnQuotaError: true }),
    ],
  }),
);

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) =>
      Promise.all(keys.filter((k) => k.startsWith('fieldrep-tiles-') && k !== TILE_CACHE).map((k) => caches.delete(k))),
    ),
  );
});
// First install takes over open pages at once, so tiles and the shell are cached from the
// first visit. Later versions wait for the rep to accept the update prompt.
clientsClaim();

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
});

// Background Sync: connectivity is back. An open page owns the sync state and UI, so let it
// flush; with no page open, push the outbox from here. A throw makes the browser retry later.
self.addEventListener('sync', (event) => {
  if (event.tag !== BG_SYNC_TAG) return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((windows) => {
      if (windows.length) {
        windows.forEach((w) => w.postMessage({ type: 'flush-outbox' }));
        return undefined;
      }
      return pushAll();
    }),
  );
});

// Every push shows a notification (browsers revoke push for silent ones).
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data?.text() };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || 'FieldRep', {
      body: data.body || 'You have touches due.',
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      tag: data.tag || undefined,
      data: { url: data.url || '/due' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  let target = new URL(event.notification.data?.url || '/due', self.location.origin);
  // Only ever open our own pages from a notification.
  if (target.origin !== self.location.origin) target = new URL('/due', self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const existing = windows.find((w) => new URL(w.url).origin === target.origin);
      if (existing) {
        existing.postMessage({ type: 'navigate', url: target.pathname + target.search });
        return existing.focus();
      }
      return self.clients.openWindow(target.href);
    }),
  );
});
