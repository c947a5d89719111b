// The map of all the rep's accounts: clustered pins coloured by due status (fill) and tier
// (ring), the start/home marker, and a popup with "Add to today". Loaded only with the map.
// When no tile loads (offline, blocked, tile server down) the caller is told so and the pins
// stay on a plain background; tiles the rep has viewed come from the service worker's cache.
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import { loadLeaflet, tileUrl } from './map.js';

let clusterReady = null;
async function leafletWithClusters() {
  const L = await loadLeaflet();
  // The plugin is a UMD script that extends the global L.
  clusterReady ||= (async () => {
    globalThis.L = L;
    await import('leaflet.markercluster');
  })();
  await clusterReady;
  return L;
}

const STATUS_TEXT = { overdue: 'overdue', due: 'due', upcoming: 'upcoming', ok: 'nothing due' };

function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/**
 * Draw `pins` ([{id, name, lat, lon, tier, status, onRoute}]) and `home` ({lat, lon}) into `el`.
 * `onAdd(id)` is called from a popup's "Add to today"; `onTiles(ok)` reports whether tiles load.
 * Returns a dispose function.
 */
export async function drawAccounts(el, { pins, home, onAdd, onTiles }) {
  const L = await leafletWithClusters();
  const map = L.map(el, { zoomControl: true, attributionControl: true });
  let loaded = 0;
  let failed = 0;
  const tiles = L.tileLayer(tileUrl(), { maxZoom: 19, attribution: '&copy; OpenStreetMap contributors' });
  tiles.on('tileload', () => {
    loaded++;
    onTiles?.(true);
  });
  tiles.on('tileerror', () => {
    failed++;
    if (!loaded && failed >= 1) onTiles?.(false);
  });
  tiles.addTo(map);
  // navigator.onLine false: no tile request can succeed (and none may even be attempted).
  if (typeof navigator !== 'undefined' && navigator.onLine === false) onTiles?.(false);

  const group = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
  const bounds = [];
  for (const p of pins) {
    if (p.lat == null || p.lon == null) continue;
    const icon = L.divIcon({
      className: `acc-pin acc-pin--${p.status} acc-pin--tier-${String(p.tier || 'x').toLowerCase()}`,
      html: `<span>${escapeHtml(p.tier || '·')}</span>`,
      iconSize: [26, 26],
      iconAnchor: [13, 13],
    });
    const label = `${p.name}, tier ${p.tier || '-'}, ${STATUS_TEXT[p.status] || p.status}`;
    const marker = L.marker([p.lat, p.lon], { icon, title: label, alt: label, keyboard: true });
    marker.bindPopup(() => {
      const box = document.createElement('div');
      box.className = 'popup';
      box.innerHTML = `<strong>${escapeHtml(p.name)}</strong><br>Tier ${escapeHtml(p.tier || '-')} · ${escapeHtml(STATUS_TEXT[p.status] || p.status)}<br>`;
      const link = document.createElement('a');
      link.href = `/accounts/${p.id}`;
      link.textContent = 'Open account';
      box.append(link, document.createElement('br'));
      if (p.onRoute) {
        box.append('On today\u2019s route');
      } else {
        const btn = document.createElement('button');
        btn.type = 'button';
        btn.className = 'btn btn--small';
        btn.textContent = 'Add to today';
        btn.addEventListener('click', () => onAdd?.(p.id));
        box.append(btn);
      }
      return box;
    });
    group.addLayer(marker);
    bounds.push([p.lat, p.lon]);
  }
  map.addLayer(group);
  if (home?.lat != null) {
    const homeIcon = L.divIcon({ className: 'acc-pin acc-pin--home', html: '<span>⌂</span>', iconSize: [30, 30], iconAnchor: [15, 15] });
    L.marker([home.lat, home.lon], { icon: homeIcon, title: 'Start / home', alt: 'Start / home', keyboard: true }).addTo(map);
    bounds.push([home.lat, home.lon]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  else map.setView([51.1657, 10.4515], 5);
  return () => map.remove();
}
