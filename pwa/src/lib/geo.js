// Position and hand-off to the phone's own navigation app.

/** Best-effort position; resolves null rather than blocking a write on GPS. */
export function currentPosition({ timeout = 5000 } = {}) {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy_m: Math.round(p.coords.accuracy) }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout, maximumAge: 60_000 },
    );
  });
}

/** Only ask for position when already allowed, so logging never pops a permission prompt. */
export async function positionIfAllowed() {
  try {
    const p = await navigator.permissions?.query({ name: 'geolocation' });
    if (p?.state !== 'granted') return null;
  } catch {
    return null;
  }
  return currentPosition({ timeout: 3000 });
}

/** A URL that opens turn-by-turn navigation in the platform's maps app. */
export function navigationUrl({ lat, lon, name }, ua = navigator.userAgent) {
  const label = encodeURIComponent(name || 'Stop');
  if (/iPhone|iPad|iPod|Macintosh/.test(ua)) return `https://maps.apple.com/?daddr=${lat},${lon}&q=${label}`;
  // geo: opens the default maps app on Android (and desktop handlers where registered).
  if (/Android/.test(ua)) return `geo:${lat},${lon}?q=${lat},${lon}(${label})`;
  return `https://www.openstreetmap.org/directions?to=${lat}%2C${lon}`;
}
