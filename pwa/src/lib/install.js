// Keeps Chromium's beforeinstallprompt event so Settings can offer "Install" from a tap.
import { emit } from './events.js';

let deferred = null;

export function watchInstallPrompt() {
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    deferred = e;
    emit('install-available', true);
  });
  window.addEventListener('appinstalled', () => {
    deferred = null;
    emit('install-available', false);
  });
}

export function canInstall() {
  return deferred !== null;
}

export function isStandalone() {
  return window.matchMedia?.('(display-mode: standalone)').matches || navigator.standalone === true;
}

export async function promptInstall() {
  if (!deferred) return false;
  deferred.prompt();
  const { outcome } = await deferred.userChoice;
  deferred = null;
  emit('install-available', false);
  return outcome === 'accepted';
}
