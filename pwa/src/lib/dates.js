// Dates in the rep's own time zone (the server plans in it), never the phone's if they differ.
export function todayIn(timeZone, now = new Date()) {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone || undefined, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(isoDate, n) {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function mondayOf(isoDate) {
  const dow = new Date(`${isoDate}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(isoDate, dow === 0 ? -6 : 1 - dow);
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function weekdayKey(isoDate) {
  return WEEKDAYS[(new Date(`${isoDate}T12:00:00Z`).getUTCDay() + 6) % 7];
}

/** "08:00–12:00, 13:00–17:00" or "Closed". */
export function formatWindows(windows) {
  if (!windows?.length) return 'Closed';
  return windows.map(([a, b]) => `${a}–${b}`).join(', ');
}

// An ISO date-time with no offset. The server stores UTC, and phones that synced before every
// timestamp carried an offset keep such strings; JS would read them as the phone's local time.
const NO_OFFSET = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** The instant an API timestamp denotes (one without an offset is UTC, the server's clock). */
export function instant(value) {
  return new Date(NO_OFFSET.test(value) ? `${value}Z` : value);
}

/** "14:05" from "14:05:00" or an ISO timestamp, in the given zone. */
export function clock(value, timeZone) {
  if (!value) return '';
  if (/^\d{2}:\d{2}/.test(value)) return value.slice(0, 5);
  return new Intl.DateTimeFormat('en-GB', { timeZone: timeZone || undefined, hour: '2-digit', minute: '2-digit' }).format(instant(value));
}

/** An ISO timestamp as the phone's own zone and locale show it (touch history). */
export function localDateTime(value) {
  return value ? instant(value).toLocaleString() : '';
}

/** "3 min ago" style for the sync badge. */
export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** ISO week label like 2026-W48 (the Thursday rule). */
export function isoWeek(isoDate) {
  const d = new Date(`${isoDate}T12:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const firstThu = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d - firstThu) / 86400000 - 3 + ((firstThu.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
