// The JSON API under /api/v1, with the session cookie the login set. Every request that changes
// something sends the session's CSRF token in X-CSRF-Token; the token lives only in this module's
// memory (and in the bridle_csrf cookie the server set), never in storage.

const PREFIX = '/api/v1';

let csrfToken = null;
let onUnauthorized = () => {};

/** An error answer of the API: its status, error code, detail and the field at fault. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || body?.error || `the server answered ${status}`);
    this.status = status;
    this.error = body?.error ?? `http_${status}`;
    this.field = body?.field ?? null;
  }
}

export function setCsrfToken(token) {
  csrfToken = token ?? null;
}

/** What to do when the session has ended (401): show the login page. */
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

/** Calls the API; resolves to the parsed JSON (null for 204), rejects with an ApiError. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  const response = await fetch(PREFIX + path, init);
  if (response.status === 204) {
    return null;
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && path !== '/login') {
      onUnauthorized(error);
    }
    throw error;
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);

/** A query string from the defined, non-empty values of an object. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(name, value);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A path segment, escaped. */
export const seg = (value) => encodeURIComponent(value);

/** The server-sent event stream of a run, after sequence number `after`. */
export function stream(runId, after) {
  return new EventSource(`${PREFIX}/runs/${seg(runId)}/stream${query({ after })}`);
}
