// Preact hooks over lib/: live IndexedDB queries and the in-page event bus.
import { useEffect, useState } from 'preact/hooks';
import { liveQuery } from 'dexie';
import { on } from '../lib/events.js';

/** Re-render whenever the tables `query` read change (in this tab, another tab or the worker). */
export function useLive(query, deps = [], initial = undefined) {
  const [value, setValue] = useState(initial);
  useEffect(() => {
    const sub = liveQuery(query).subscribe({ next: setValue, error: (e) => console.error(e) });
    return () => sub.unsubscribe();
  }, deps);
  return value;
}

export function useEvent(type, initial) {
  const [value, setValue] = useState(initial);
  useEffect(() => on(type, setValue), [type]);
  return value;
}

export function useOnline() {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

/** Set document.title and move focus to the page heading so screen readers announce the screen. */
export function usePageTitle(title) {
  useEffect(() => {
    document.title = title ? `${title} · FieldRep` : 'FieldRep';
    const h1 = document.querySelector('main h1');
    if (h1 && document.activeElement === document.body) h1.focus({ preventScroll: true });
  }, [title]);
}
