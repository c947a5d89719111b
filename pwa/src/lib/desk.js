// Today's calls and emails (GET /api/cadence/desk): fetched when online and kept in the
// key-value store, so offline the rep still sees the last list with when it was fetched. The
// screen's logic is in desk-plan.js (lazy, with the screen); this part also runs in prefetch.
import { setMeta } from './db.js';
import { api } from './api.js';

export const DESK_KEY = 'desk';

/** Fetch the rep's desk plan for `today` (the server's default minutes) and keep it. */
export async function fetchDesk(user, today) {
  const plan = await api('GET', `/api/cadence/desk?date=${today}`);
  if (!Array.isArray(plan?.today)) throw new Error('Unexpected answer');
  const stored = { user_id: user.id, fetched_at: new Date().toISOString(), plan };
  await setMeta(DESK_KEY, stored);
  return stored;
}
