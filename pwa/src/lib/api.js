// The fetch wrapper: same-origin session cookie, the CSRF header on every write, JSON in and
// out, and one error type carrying the server's error envelope. Works in the page and in the
// service worker (the CSRF token is kept in IndexedDB for the worker and for offline reloads).
import { getMeta, setMeta } from './db.js';

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, body, message) {
    super(message || body?.message || (status ? `HTTP ${status}` : 'Network error'));
    this.status = status; // 0 = the request never got an answer (offline, DNS, reset)
    this.body = body;
  }
  get transient() {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

export async function setCsrfToken(token) {
  csrfToken = token;
  await setMeta('csrf_token', token);
}

async function token() {
  if (!csrfToken) csrfToken = await getMeta('csrf_token', null);
  return csrfToken;
}

/** Low level: returns {status, ok, data, headers}; throws ApiError(0) only on network failure. */
export async function request(method, path, { json, body, headers = {}, signal } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (method !== 'GET' && method !== 'HEAD') {
    const t = await token();
    if (t) h['X-CSRF-Token'] = t;
  }
  if (json !== undefined) h['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: h,
      body: json === undefined ? body : JSON.stringify(json), // `body`: FormData uploads
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (err) {
    throw new ApiError(0, null, err?.message || 'Network error');
  }
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (res.status !== 204 && type.includes('json')) data = await res.json().catch(() => null);
  return { status: res.status, ok: res.ok, data, headers: res.headers };
}

/** High level: returns the JSON body or throws ApiError with the server's envelope. */
export async function api(method, path, json) {
  const res = await request(method, path, { json });
  if (!res.ok) throw new ApiError(res.status, res.data);
  return res.data;
}

/** First message of a 422 envelope's field errors, for showing next to a form. */
export function fieldErrors(err) {
  const out = {};
  const fields = err?.body?.errors?.json || {};
  for (const [k, v] of Object.entries(fields)) out[k] = Array.isArray(v) ? v.join(' ') : String(v);
  return out;
}
