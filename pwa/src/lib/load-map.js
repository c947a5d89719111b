// Leaflet map of a team's accounts, each dot coloured by its rep's load (over, balanced, under),
// with the reps' homes. Loaded only by the workload screen.
import { loadLeaflet, tileUrl } from './map.js';

export const LOAD_COLORS = { over: '#a4161a', ok: '#2f6f1f', under: '#8a5a00' };

/** 'over' above 100 % of capacity, 'under' below 70 %, else 'ok'. */
export function loadLevel(pct) {
  if (pct == null) return 'ok';
  if (pct > 100) return 'over';
  if (pct < 70) return 'under';
  return 'ok';
}

/** reps: [{name, load_pct, home, accounts: [{lat, lon, name}]}]. Returns a dispose function. */
export async function drawLoadMap(el, reps) {
  const L = await loadLeaflet();
  const map = L.map(el, { zoomControl: true, attributionControl: true });
  L.tileLayer(tileUrl(), { maxZoom: 19, attribution: '&copy; OpenStreetMap contributors' }).addTo(map);
  const bounds = [];
  for (const rep of reps) {
    const color = LOAD_COLORS[loadLevel(rep.load_pct)];
    for (const a of rep.accounts) {
      if (a.lat == null || a.lon == null) continue;
      bounds.push([a.lat, a.lon]);
      L.circleMarker([a.lat, a.lon], { radius: 7, color: '#fff', weight: 2, fillColor: color, fillOpacity: 0.9 })
        .addTo(map)
        .bindTooltip(`${a.name} · ${rep.name} (${Math.round(rep.load_pct ?? 0)} %)`);
    }
    if (rep.home?.lat != null) {
      bounds.push([rep.home.lat, rep.home.lon]);
      L.circleMarker([rep.home.lat, rep.home.lon], { radius: 10, color, weight: 4, fillColor: '#fff', fillOpacity: 1 })
        .addTo(map)
        .bindTooltip(`${rep.name}: home`);
    }
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
  else map.setView([51.1657, 10.4515], 5);
  return () => map.remove();
}
