// History-API routing with plain paths (/today, /accounts/12). The server answers index.html for
// any non-API path and the service worker does the same offline.
import { emit } from './events.js';

export function currentPath() {
  return window.location.pathname + window.location.search;
}

export function navigate(path, { replace = false } = {}) {
  if (path === currentPath()) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  emit('route', path);
  window.scrollTo(0, 0);
}

/** Match "/accounts/:id" against a pathname; returns params or null. */
export function match(pattern, pathname) {
  const p = pattern.split('/');
  const s = pathname.split('/');
  if (p.length !== s.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

/** Intercept same-origin link clicks so navigation stays in the app (and works offline). */
export function interceptLinks() {
  window.addEventListener('popstate', () => emit('route', currentPath()));
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest?.('a[href]');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
}
