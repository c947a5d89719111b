// Web push subscription. The permission prompt must come from a tap (iOS requires it and other
// browsers penalise prompts on load), so enablePush() is only ever called from a click handler.
import { api } from './api.js';
import { swRegistration } from './sw-bridge.js';

export function pushSupported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function urlBase64ToUint8Array(b64) {
  const pad = '='.repeat((4 - (b64.length % 4)) % 4);
  const raw = atob((b64 + pad).replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

export async function pushEnabled() {
  if (!pushSupported() || Notification.permission !== 'granted') return false;
  const reg = await swRegistration();
  return Boolean(await reg?.pushManager.getSubscription());
}

export async function enablePush() {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('Notifications are blocked in the browser settings.');
  const reg = await swRegistration();
  const { key } = await api('GET', '/api/push/vapid-public-key');
  let sub = await reg.pushManager.getSubscription();
  if (!sub) sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToUint8Array(key) });
  await api('POST', '/api/push/subscriptions', sub.toJSON());
  return true;
}

export async function disablePush() {
  const reg = await swRegistration();
  const sub = await reg?.pushManager.getSubscription();
  if (!sub) return;
  try {
    await api('DELETE', '/api/push/subscriptions', { endpoint: sub.endpoint });
  } finally {
    await sub.unsubscribe();
  }
}
