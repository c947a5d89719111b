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
