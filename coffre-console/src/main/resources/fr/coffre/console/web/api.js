// The fetch wrapper for the console's JSON APIs (tenant /api, operator /admin/v1, share data).
// The CSRF token lives only in this module's closure: never in storage, cookies or the URL.

/** An API failure: HTTP status (0 for a network failure), error code and the server's message. */
export class ApiError extends Error {
  constructor(status, code, serverMessage) {
    super(serverMessage || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage || null;
    this.handled = false;
  }
}

/** Joins a path and query parameters; empty and null parameters are left out. */
export function withQuery(path, query) {
  if (!query) return path;
  const parts = [];
  for (const [k, v] of Object.entries(query)) {
    if (v == null || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  }
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

/** The error in a response body {"error", "message"}, when there is one. */
export function errorFromText(status, text) {
  let code = `HTTP${status}`;
  let message = null;
  try {
    const body = text ? JSON.parse(text) : null;
    if (body && typeof body.error === 'string') code = body.error;
    if (body && typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: keep the status alone
  }
  return new ApiError(status, code, message);
}

/** Reads an error from a fetch Response. */
export async function errorFrom(res) {
  let text = '';
  try {
    text = await res.text();
  } catch {
    // body unreadable: the status says enough
  }
  return errorFromText(res.status, text);
}

/**
 * A client for one API prefix. onUnauthorized(err) runs on any 401 the caller did not expect
 * (the session expired or was closed elsewhere); the call still rejects, with err.handled set.
 */
export function createApi(base, { onUnauthorized } = {}) {
  let csrf = null;

  async function request(method, path, { query, body, allow401 = false, text = false } = {}) {
    const headers = { Accept: 'application/json' };
    const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-Coffre-CSRF'] = csrf;
    let res;
    try {
      res = await fetch(withQuery(base + path, query), init);
    } catch {
      throw new ApiError(0, 'NetworkError', null);
    }
    if (!res.ok) {
      const err = await errorFrom(res);
      if (res.status === 401 && !allow401) {
        err.handled = true;
        if (onUnauthorized) onUnauthorized(err);
      }
      throw err;
    }
    if (res.status === 204) return null;
    const raw = await res.text();
    if (text) return raw;
    if (!raw) return null;
    try {
      return JSON.parse(raw);
    } catch {
      throw new ApiError(res.status, 'MalformedAnswer', null);
    }
  }

  return {
    base,
    get: (path, opts) => request('GET', path, opts),
    post: (path, body, opts = {}) => request('POST', path, { ...opts, body }),
    put: (path, body, opts = {}) => request('PUT', path, { ...opts, body }),
    del: (path, opts) => request('DELETE', path, opts),
    setCsrf(token) { csrf = token || null; },
    csrf: () => csrf,
    /** For callers that talk HTTP themselves (XMLHttpRequest uploads) and get a 401. */
    unauthorized(err) {
      err.handled = true;
      if (onUnauthorized) onUnauthorized(err);
    },
  };
}

/** Runs fn over items with at most `limit` calls in flight; resolves to the results in order. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next;
      next += 1;
      out[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
