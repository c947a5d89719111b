// The manager's team map: every rep's route of the day (numbered pins in the rep's colour and
// the route line), clustered so a big team stays readable, plus each rep's last check-in.
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import { loadLeaflet, tileUrl } from './map.js';

const COLORS = ['#0b5d6b', '#b4461b', '#5b3fa3', '#2f6f1f', '#8a1c5c', '#6b4e00'];
let clusters = null;

async function leaflet() {
  const L = await loadLeaflet();
  // The plugin is a UMD script that extends the global L.
  clusters ||= (async () => {
    globalThis.L = L;
    await import('leaflet.markercluster');
  })();
  await clusters;
  return L;
}

const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function pin(L, text, cls) {
  return L.divIcon({ className: cls, html: `<span>${escapeHtml(text)}</span>`, iconSize: [28, 28], iconAnchor: [14, 14] });
}

/** routes: [{label, color, stops: [{lat, lon, name, status}], start, lastCheckin: {lat, lon, name, at}}]. */
export async function drawTeam(el, routes) {
  const L = await leaflet();
  const map = L.map(el, { zoomControl: true, attributionControl: true });
  L.tileLayer(tileUrl(), { maxZoom: 19, attribution: '&copy; OpenStreetMap contributors' }).addTo(map);
  const group = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
  const bounds = [];
  for (const r of routes) {
    const line = [];
    if (r.start?.lat != null) line.push([r.start.lat, r.start.lon]);
    r.stops.forEach((s, i) => {
      if (s.lat == null) return;
      line.push([s.lat, s.lon]);
      group.addLayer(L.marker([s.lat, s.lon], {
        icon: pin(L, String(i + 1), `map-pin map-pin--${s.status || 'planned'} map-pin--c${r.color}`),
        title: `${r.label}: ${i + 1}. ${s.name}`,
        alt: `${r.label}: ${i + 1}. ${s.name}`,
        keyboard: true,
      }).bindPopup(`${escapeHtml(r.label)}: ${i + 1}. ${escapeHtml(s.name)}`));
    });
    if (line.length > 1) L.polyline(line, { color: COLORS[r.color % COLORS.length], weight: 4, opacity: 0.8 }).addTo(map);
    bounds.push(...line);
    const c = r.lastCheckin;
    if (c?.lat != null) {
      bounds.push([c.lat, c.lon]);
      L.marker([c.lat, c.lon], {
        icon: pin(L, '✓', `map-pin map-pin--checkin map-pin--c${r.color}`),
        title: `${r.label}: last check-in at ${c.name}`,
        alt: `${r.label}: last check-in at ${c.name}`,
        keyboard: true,
      }).addTo(map).bindPopup(`${escapeHtml(r.label)}: last check-in at ${escapeHtml(c.name)}, ${escapeHtml(c.at)}`);
    }
  }
  map.addLayer(group);
  if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  else map.setView([51.1657, 10.4515], 5);
  return () => map.remove();
}
