// Session login/logout and the cached current user (so the app opens offline after one login).
import { db, getMeta, setMeta, CACHE_TABLES } from './db.js';
import { api, request, setCsrfToken, ApiError } from './api.js';
import { emit } from './events.js';

export function currentUser() {
  return getMeta('user', null);
}

export async function login(email, password) {
  const body = await api('POST', '/api/auth/login', { email, password });
  const previous = await currentUser();
  // Another person on this device: never show them the previous rep's cached data. The previous
  // user's unsent outbox entries stay (tagged with their user) and go out at their next login.
  if (previous && previous.id !== body.user.id) await clearLocalData({ dropOutboxOf: null });
  await setMeta('user', body.user);
  await setCsrfToken(body.csrf_token);
  await setMeta('update_required', false);
  await setMeta('session_expired', false);
  // Ask the browser not to evict the outbox and offline data under storage pressure; the
  // answer is advisory (Chromium grants it to installed or engaged sites).
  try {
    await navigator.storage?.persist?.();
  } catch { /* unsupported */ }
  emit('logged-in', body.user);
  return body.user;
}

/** Refresh the user and CSRF token when online; a 401 means the session is gone. */
export async function refreshMe() {
  const res = await request('GET', '/api/me');
  if (res.status === 401) {
    await setMeta('session_expired', true);
    emit('session-expired');
    return null;
  }
  if (!res.ok) throw new ApiError(res.status, res.data);
  const { csrf_token, ...user } = res.data;
  await setMeta('user', user);
  await setMeta('session_expired', false);
  if (csrf_token) await setCsrfToken(csrf_token);
  return user;
}

/**
 * Forget cached server data, conflicts and session meta on this device. `dropOutboxOf` (a user id)
 * also discards that user's unsent entries. Per-user client ids and counters always survive:
 * reusing a mutation id would make the server answer "duplicate" and drop a new write.
 */
export async function clearLocalData({ dropOutboxOf }) {
  const tables = [...CACHE_TABLES, 'conflicts', 'meta', 'outbox'];
  await db.transaction('rw', tables.map((t) => db[t]), async () => {
    for (const t of [...CACHE_TABLES, 'conflicts']) await db[t].clear();
    await db.meta.filter((row) => !String(row.key).startsWith('client:')).delete();
    if (dropOutboxOf != null) await db.outbox.where('user_id').equals(dropOutboxOf).delete();
  });
}

/** Log out: the server call is best effort (offline logout still clears this device). */
export async function logout() {
  try {
    await api('POST', '/api/auth/logout');
  } catch { /* offline or already expired */ }
  const user = await currentUser();
  await clearLocalData({ dropOutboxOf: user?.id ?? null });
  emit('logged-out');
}
