// App-wide constants that several lib modules agree on. Bump SCHEMA_VERSION together with the
// server when the wire shapes of sync mutations change: the server answers 426 to older clients.
export const SCHEMA_VERSION = 1;

// Push batches are capped so one request stays small on a poor mobile link; 413 halves it further.
export const PUSH_BATCH = 50;
export const PULL_LIMIT = 200;

// Periodic sync while the app is open; the other triggers (start, online, visible, write) do most work.
export const SYNC_INTERVAL_MS = 60_000;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 300_000; // docs/sync-protocol.md: min(300 s, 1 s * 2^attempt)

export const BG_SYNC_TAG = 'fieldrep-outbox';

// The server refuses touches older than TOUCH_MAX_AGE_DAYS (backend Config, default 30); the log
// form offers backdating within the same age so the rep is told before saving, not after a sync.
export const TOUCH_MAX_AGE_DAYS = 30;

/** Check-in warning radius in metres: <meta name="fieldrep-checkin-radius-m"> (build env
 * FIELDREP_CHECKIN_RADIUS_M, or rewritten when serving), 300 m by default. Warns, never blocks. */
export function checkinRadiusM() {
  const raw = typeof document !== 'undefined' ? document.querySelector('meta[name="fieldrep-checkin-radius-m"]')?.content : null;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : 300;
}
