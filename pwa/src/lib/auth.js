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
  // Another person on this device: never show them the previous rep's cached data.
  if (previous && previous.id !== body.user.id) await clearLocalData({ keepOutbox: false });
  await setMeta('user', body.user);
  await setCsrfToken(body.csrf_token);
  await setMeta('update_required', false);
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

export async function clearLocalData({ keepOutbox }) {
  const tables = [...CACHE_TABLES, 'conflicts', 'meta', ...(keepOutbox ? [] : ['outbox'])];
  const clientId = await getMeta('client_id');
  const nextId = await getMeta('next_mutation_id');
  await db.transaction('rw', tables.map((t) => db[t]), async () => {
    for (const t of tables) await db[t].clear();
    // The device identity and its mutation counter survive: mutation ids must never repeat for
    // a client_id, or the server would treat new writes as duplicates.
    if (clientId) await setMeta('client_id', clientId);
    if (nextId) await setMeta('next_mutation_id', nextId);
  });
}

/** Log out: the server call is best effort (offline logout still clears this device). */
export async function logout() {
  try {
    await api('POST', '/api/auth/logout');
  } catch { /* offline or already expired */ }
  await clearLocalData({ keepOutbox: false });
  emit('logged-out');
}
