// A map panel that loads Leaflet on first use. Rendering is keyed on the routes' content so
// status changes redraw it, and the map is torn down with the component.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';

export function MapView({ routes, label = 'Route map', tall = false }) {
  const el = useRef(null);
  const [failed, setFailed] = useState(false);
  const key = JSON.stringify(routes.map((r) => r.stops.map((s) => [s.lat, s.lon, s.status])));
  useEffect(() => {
    let dispose = null;
    let cancelled = false;
    import('../lib/map.js')
      .then(({ drawRoutes }) => drawRoutes(el.current, routes))
      .then((d) => (cancelled ? d() : (dispose = d)))
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      dispose?.();
    };
  }, [key]);
  return html`
    <div class=${`map ${tall ? 'map--tall' : ''}`} ref=${el} role="region" aria-label=${label}>
      ${failed && html`<p class="muted">Map unavailable.</p>`}
    </div>
  `;
}
