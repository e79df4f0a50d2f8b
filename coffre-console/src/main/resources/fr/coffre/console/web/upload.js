// The upload engine. Files up to 8 MiB go in one PUT; larger ones as a multipart upload of 8 MiB
// parts, two in flight. Bytes travel by XMLHttpRequest, whose upload progress events fetch lacks.
// A failed request is retried with backoff (BACKOFF_MS, five times); if it still fails the upload
// is "paused": resume() asks the server which parts it holds and sends only the missing ones.
import { withQuery, errorFromText, ApiError } from './api.js';
import { bucketPath } from './routes.js';

export const PART_SIZE = 8 * 1024 * 1024;
export const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
const PARALLEL_PARTS = 2;
const PARALLEL_FILES = 2;
// Worth retrying: the network, timeouts, throttling and server-side trouble.
const RETRYABLE = new Set([0, 408, 429, 500, 502, 503, 504]);

let api = null;
let nextId = 1;
const all = []; // every upload of this session, oldest first
const queue = [];
let running = 0;
const listeners = new Set();
const batches = new Map(); // batch id → {bucket, pending}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

function emit(up, kind = 'state') {
  for (const fn of listeners) fn(up, kind);
}

function setStatus(up, status, extra = {}) {
  Object.assign(up, { status }, extra);
  emit(up);
}

function partCount(up) {
  return Math.max(1, Math.ceil(up.size / PART_SIZE));
}

function partSize(up, n) {
  return Math.min(PART_SIZE, up.size - (n - 1) * PART_SIZE);
}

function updateLoaded(up) {
  let loaded = 0;
  if (up.multipart) {
    for (const n of up.parts.keys()) loaded += partSize(up, n);
    for (const v of up.inFlight.values()) loaded += v;
  } else {
    for (const v of up.inFlight.values()) loaded += v;
  }
  up.loaded = Math.min(up.size, loaded);
  emit(up, 'progress');
}

/** Sends bytes with XMLHttpRequest; resolves to the JSON answer, rejects with an ApiError. */
function send(up, method, path, query, body, contentType, slot) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    up.xhrs.add(xhr);
    xhr.open(method, withQuery(`/api${path}`, query));
    xhr.setRequestHeader('Content-Type', contentType || 'application/octet-stream');
    if (api.csrf()) xhr.setRequestHeader('X-Coffre-CSRF', api.csrf());
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      up.inFlight.set(slot, e.loaded);
      updateLoaded(up);
    });
    const done = () => {
      up.xhrs.delete(xhr);
      up.inFlight.delete(slot);
    };
    xhr.addEventListener('load', () => {
      done();
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(xhr.responseText ? JSON.parse(xhr.responseText) : {});
        } catch {
          resolve({});
        }
        return;
      }
      updateLoaded(up);
      const err = errorFromText(xhr.status, xhr.responseText);
      if (xhr.status === 401) api.unauthorized(err);
      reject(err);
    });
    const fail = () => {
      done();
      updateLoaded(up);
      reject(new ApiError(0, up.cancelled ? 'Cancelled' : 'NetworkError', null));
    };
    xhr.addEventListener('error', fail);
    xhr.addEventListener('abort', fail);
    xhr.addEventListener('timeout', fail);
    xhr.send(body);
  });
}

/** Runs fn, retrying a retryable failure after each BACKOFF_MS delay. */
async function withRetry(up, fn) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (err) {
      if (up.cancelled || !RETRYABLE.has(err.status) || attempt >= BACKOFF_MS.length) throw err;
      setStatus(up, 'retrying', { attempt: attempt + 1 });
      await sleep(BACKOFF_MS[attempt]);
      if (up.cancelled) throw err;
      setStatus(up, 'uploading');
    }
  }
}

async function putWhole(up) {
  await withRetry(up, () => send(up, 'PUT', `${bucketPath(up.bucket)}/object`, { key: up.key }, up.file,
    up.file.type || 'application/octet-stream', 0));
}

async function putMultipart(up) {
  const base = `${bucketPath(up.bucket)}/uploads`;
  if (!up.uploadId) {
    const answer = await withRetry(up, () => api.post(base, { contentType: up.file.type || 'application/octet-stream' },
      { query: { key: up.key } }));
    up.uploadId = answer.uploadId;
    up.parts.clear();
  }
  const missing = [];
  for (let n = 1; n <= partCount(up); n += 1) if (!up.parts.has(n)) missing.push(n);
  updateLoaded(up);
  let next = 0;
  let failure = null;
  const worker = async () => {
    while (next < missing.length && !failure) {
      const n = missing[next];
      next += 1;
      const start = (n - 1) * PART_SIZE;
      const blob = up.file.slice(start, start + partSize(up, n));
      try {
        const answer = await withRetry(up, () => send(up, 'PUT', `${base}/${encodeURIComponent(up.uploadId)}/parts/${n}`,
          { key: up.key }, blob, 'application/octet-stream', n));
        up.parts.set(n, answer.etag);
        updateLoaded(up);
      } catch (err) {
        failure = failure || err;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_PARTS }, worker));
  if (failure) throw failure;
  const parts = [...up.parts.entries()].sort((a, b) => a[0] - b[0]).map(([number, etag]) => ({ number, etag }));
  await withRetry(up, () => api.post(`${base}/${encodeURIComponent(up.uploadId)}/complete`, { parts },
    { query: { key: up.key } }));
}

/** Asks the server which parts it already has (for resume); a vanished upload starts over. */
async function syncParts(up) {
  if (!up.multipart || !up.uploadId) return;
  try {
    const answer = await api.get(`${bucketPath(up.bucket)}/uploads/${encodeURIComponent(up.uploadId)}`,
      { query: { key: up.key } });
    up.parts = new Map(((answer && answer.parts) || [])
      .filter((p) => p.number >= 1 && p.number <= partCount(up) && (p.size == null || p.size === partSize(up, p.number)))
      .map((p) => [p.number, p.etag]));
  } catch (err) {
    if (err.status !== 404) throw err;
    up.uploadId = null; // NoSuchUpload: aborted or expired on the server; begin a new one
    up.parts = new Map();
  }
}

async function run(up, resuming) {
  setStatus(up, 'uploading', { error: null, attempt: 0 });
  try {
    if (resuming) await syncParts(up);
    if (up.multipart) await putMultipart(up);
    else await putWhole(up);
    up.loaded = up.size;
    setStatus(up, 'done');
  } catch (err) {
    if (up.cancelled) setStatus(up, 'cancelled');
    else if (RETRYABLE.has(err.status) || err.status === 401) setStatus(up, 'paused', { error: err });
    else setStatus(up, 'failed', { error: err });
  }
}

/** Best effort: tells the server to drop the parts of an upload the user gave up. */
function abortOnServer(up) {
  if (!up.multipart || !up.uploadId || up.status === 'done') return Promise.resolve();
  const id = up.uploadId;
  up.uploadId = null;
  return api.del(`${bucketPath(up.bucket)}/uploads/${encodeURIComponent(id)}`, { query: { key: up.key }, allow401: true })
    .catch(() => { /* the server expires abandoned uploads anyway */ });
}

function settle(up) {
  const batch = batches.get(up.batch);
  if (!batch) return;
  batch.pending -= 1;
  if (batch.pending === 0) {
    batches.delete(up.batch);
    emit({ bucket: batch.bucket }, 'batch');
  }
}

function pump() {
  while (running < PARALLEL_FILES && queue.length) {
    const up = queue.shift();
    if (up.cancelled) continue;
    running += 1;
    run(up, false).finally(() => {
      running -= 1;
      settle(up);
      pump();
    });
  }
}

/** The upload manager the views use. */
export const uploads = {
  owner: null, // the access key the uploads belong to

  configure(client) { api = client; },

  /** Queues files: items are {file, key, name}; one batch ends with a 'batch' event. */
  add(bucket, items) {
    if (!items.length) return;
    const batch = nextId;
    batches.set(batch, { bucket, pending: items.length });
    for (const { file, key, name } of items) {
      const up = { id: nextId, batch, bucket, key, name, file, size: file.size, loaded: 0, status: 'queued',
        multipart: file.size > PART_SIZE, uploadId: null, parts: new Map(), inFlight: new Map(),
        xhrs: new Set(), attempt: 0, error: null, cancelled: false };
      nextId += 1;
      all.push(up);
      queue.push(up);
      emit(up, 'added');
    }
    pump();
  },

  /** Resumes a paused or failed upload: only the parts the server lacks are sent. */
  resume(up) {
    if (!['paused', 'failed'].includes(up.status)) return;
    up.batch = nextId;
    nextId += 1;
    batches.set(up.batch, { bucket: up.bucket, pending: 1 });
    run(up, true).finally(() => settle(up));
  },

  list(bucket) { return all.filter((u) => u.bucket === bucket); },

  /** Forgets finished uploads of a bucket (done, failed, cancelled); a failed one is aborted on the server. */
  clearFinished(bucket) {
    for (let i = all.length - 1; i >= 0; i -= 1) {
      if (all[i].bucket === bucket && ['done', 'failed', 'cancelled'].includes(all[i].status)) {
        if (all[i].status === 'failed') abortOnServer(all[i]);
        all.splice(i, 1);
      }
    }
  },

  /**
   * Stops everything. With `abort` (a sign-out, while the session still works) unfinished multipart
   * uploads are aborted on the server first; otherwise the server expires them.
   */
  async cancelAll({ abort = false } = {}) {
    queue.length = 0;
    const unfinished = all.filter((up) => up.status !== 'done');
    for (const up of all) {
      up.cancelled = true;
      for (const xhr of up.xhrs) xhr.abort();
    }
    all.length = 0;
    batches.clear();
    if (abort) await Promise.all(unfinished.map(abortOnServer));
  },

  clear() { this.cancelAll(); },

  /** fn(upload, kind) with kind 'added' | 'state' | 'progress' | 'batch'; returns an unsubscribe function. */
  subscribe(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
};
