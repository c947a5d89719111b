// Leaflet, loaded only by screens that show a map (keeps it out of the first-screen budget).
// Tiles come from a configurable template; when no tile server is reachable the markers and
// route line still render on a plain background, which is all the offline rep needs.
const DEFAULT_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const COLORS = ['#0b5d6b', '#b4461b', '#5b3fa3', '#2f6f1f', '#8a1c5c', '#6b4e00'];

export function tileUrl() {
  const meta = document.querySelector('meta[name="fieldrep-tile-url"]')?.content;
  return meta && !meta.includes('%') ? meta : DEFAULT_TILES;
}

let leafletPromise = null;
export function loadLeaflet() {
  leafletPromise ||= Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css')]).then(([m]) => m.default || m);
  return leafletPromise;
}

// Colours are CSS classes, not inline style attributes: the CSP has no 'unsafe-inline' for styles.
function stopIcon(L, label, status, colorIndex) {
  return L.divIcon({
    className: `map-pin map-pin--${status || 'planned'} map-pin--c${colorIndex}`,
    html: `<span>${label}</span>`,
    iconSize: [28, 28],
    iconAnchor: [14, 14],
  });
}

/**
 * Draw one or more routes into `el`. routes: [{label, stops: [{lat, lon, name, status}], start}].
 * Returns a dispose function.
 */
export async function drawRoutes(el, routes) {
  const L = await loadLeaflet();
  const map = L.map(el, { zoomControl: true, attributionControl: true });
  L.tileLayer(tileUrl(), {
    maxZoom: 19,
    attribution: '&copy; OpenStreetMap contributors',
    crossOrigin: false,
  }).addTo(map);
  const bounds = [];
  routes.forEach((r, ri) => {
    const color = COLORS[ri % COLORS.length];
    const pts = [];
    if (r.start?.lat != null) pts.push([r.start.lat, r.start.lon]);
    r.stops.forEach((s, i) => {
      if (s.lat == null) return;
      pts.push([s.lat, s.lon]);
      L.marker([s.lat, s.lon], {
        icon: stopIcon(L, String(i + 1), s.status, ri % COLORS.length),
        title: `${i + 1}. ${s.name}`,
        alt: `${i + 1}. ${s.name}`,
        keyboard: true,
      }).addTo(map).bindPopup(`${r.label ? `${escapeHtml(r.label)}: ` : ''}${i + 1}. ${escapeHtml(s.name)}`);
    });
    if (pts.length > 1) L.polyline(pts, { color, weight: 4, opacity: 0.8 }).addTo(map);
    bounds.push(...pts);
  });
  if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  else map.setView([51.1657, 10.4515], 5);
  return () => map.remove();
}

function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
