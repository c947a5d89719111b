// Account search over what is on the device (IndexedDB), so it works with no signal. Pure: the
// Accounts screen reads the tables and hands the rows in; the tests call it directly.

const STATUS_RANK = { overdue: 0, due: 1, upcoming: 2, done: 3 };
const EARTH_M = 6_371_008.8;

/** Great-circle distance in metres (haversine; enough for "which shop is nearest"). */
export function distanceM(a, b) {
  const rad = (d) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "350 m" / "4.2 km". */
export function formatDistance(m) {
  if (m == null || !Number.isFinite(m)) return '';
  return m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toFixed(m < 10_000 ? 1 : 0)} km`;
}

/**
 * One due status per account: the most pressing of its due rows ("overdue" beats "due" beats
 * "upcoming"); accounts without any open row are "ok". Returns Map(account_id -> {status, reason}).
 */
export function dueByAccount(dueRows) {
  const out = new Map();
  for (const d of dueRows || []) {
    if (d.status === 'done') continue;
    const cur = out.get(d.account_id);
    if (!cur || (STATUS_RANK[d.status] ?? 9) < (STATUS_RANK[cur.status] ?? 9)) out.set(d.account_id, { status: d.status, reason: d.reason });
  }
  return out;
}

// Lower case and without accents, so "backerei" finds "Bäckerei" and "munchen" finds "München".
export function fold(text) {
  return String(text ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss').toLowerCase();
}

/**
 * Filter and sort accounts.
 * opts: {q: free text over name and address (every word must match), tier: 'A' | '' ,
 *        due: 'overdue' | 'due' | 'upcoming' | 'ok' | '', near: {lat, lon} | null}
 * Sorted by distance when `near` is given, else by due urgency then name.
 * Each result is {account, status, reason, distance_m}.
 */
export function searchAccounts(accounts, dueRows, { q = '', tier = '', due = '', near = null } = {}) {
  const status = dueByAccount(dueRows);
  const words = fold(q).split(/\s+/).filter(Boolean);
  const rows = [];
  for (const a of accounts || []) {
    if (a.deleted_at) continue;
    if (tier && a.tier !== tier) continue;
    const s = status.get(a.id) || { status: 'ok', reason: '' };
    if (due && s.status !== due) continue;
    if (words.length) {
      const hay = fold(`${a.name} ${a.address || ''} ${a.postal_code || ''}`);
      if (!words.every((w) => hay.includes(w))) continue;
    }
    const distance_m = near && a.lat != null && a.lon != null ? distanceM(near, a) : null;
    rows.push({ account: a, status: s.status, reason: s.reason, distance_m });
  }
  const byName = (x, y) => String(x.account.name).localeCompare(String(y.account.name));
  if (near) rows.sort((x, y) => (x.distance_m ?? Infinity) - (y.distance_m ?? Infinity) || byName(x, y));
  else rows.sort((x, y) => (STATUS_RANK[x.status] ?? 9) - (STATUS_RANK[y.status] ?? 9) || byName(x, y));
  return rows;
}
