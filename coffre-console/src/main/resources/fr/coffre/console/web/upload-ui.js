// The upload panel: a drop zone for files and folders, two file inputs (files; a folder with
// webkitdirectory) and one row per upload with its <progress>, status and Resume button.
import { t, locale } from './i18n.js';
import { h, replace, field, uid, fmtBytes, errorMessage, announce } from './dom.js';
import { uploads, BACKOFF_MS } from './upload.js';

let guardInstalled = false;

/** A drop that misses the zone must not make the browser leave the console to open the file. */
function installDropGuard() {
  if (guardInstalled) return;
  guardInstalled = true;
  for (const type of ['dragover', 'drop']) {
    window.addEventListener(type, (e) => {
      if (e.dataTransfer && [...e.dataTransfer.types].includes('Files') && !e.target.closest?.('.dropzone')) {
        e.preventDefault();
        if (type === 'dragover') e.dataTransfer.dropEffect = 'none';
      }
    });
  }
}

function readEntryFile(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readBatch(reader) {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

/** Walks a dropped entry: files with their path inside the drop ("folder/sub/a.txt"). */
async function walk(entry, out) {
  if (entry.isFile) {
    out.push({ file: await readEntryFile(entry), path: entry.fullPath.replace(/^\/+/, '') });
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    // readEntries answers in batches (100 in Chrome) until an empty one
    for (let batch = await readBatch(reader); batch.length; batch = await readBatch(reader)) {
      for (const child of batch) await walk(child, out);
    }
  }
}

/**
 * The files of a drop. Entries must be taken from the DataTransfer during the drop event itself
 * (it is emptied afterwards), so that happens before the first await.
 */
export function droppedFiles(dataTransfer) {
  const entries = [];
  const loose = [];
  for (const item of [...(dataTransfer.items || [])]) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push({ file, path: file.name });
    }
  }
  if (entries.length === 0 && loose.length === 0) {
    for (const file of [...(dataTransfer.files || [])]) loose.push({ file, path: file.name });
  }
  return (async () => {
    const out = [...loose];
    for (const entry of entries) await walk(entry, out);
    return out;
  })();
}

function statusText(up) {
  switch (up.status) {
    case 'queued': return t('upload.status.queued');
    case 'uploading': return t('upload.status.uploading');
    case 'retrying': return t('upload.status.retrying', { n: up.attempt, max: BACKOFF_MS.length });
    case 'paused': return t('upload.status.paused');
    case 'done': return t('upload.status.done');
    case 'failed': return `${t('upload.status.failed')}${t('punct.colon')}${errorMessage(up.error)}`;
    case 'cancelled': return t('upload.status.cancelled');
    default: return up.status;
  }
}

/** The panel for uploads into bucket/prefix; onBatchDone(bucket) → false once the view is gone. */
export function uploadPanel({ bucket, prefix, onBatchDone }) {
  installDropGuard();
  const rows = new Map(); // upload id → {tr, progress, percent, status, action}
  const tbody = h('tbody');
  const clear = h('button', { type: 'button', class: 'btn btn-tertiary btn-small', onclick: () => {
    uploads.clearFinished(bucket);
    for (const [id, row] of rows) {
      if (!uploads.list(bucket).some((u) => u.id === id)) { row.tr.remove(); rows.delete(id); }
    }
    updateVisibility();
  } }, t('upload.clearFinished'));
  const list = h('div', { class: 'uploads', hidden: true },
    h('div', { class: 'uploads-head' }, h('h3', { id: 'uploads-h', text: t('upload.listTitle') }), clear),
    h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'uploads-table', 'aria-labelledby': 'uploads-h' },
      h('thead', null, h('tr', null, [t('upload.col.file'), t('upload.col.size'), t('upload.col.progress'),
        t('upload.col.status'), t('common.actions')].map((x) => h('th', { scope: 'col', text: x })))),
      tbody)));

  function updateVisibility() {
    list.hidden = rows.size === 0;
  }

  function paint(up) {
    const row = rows.get(up.id);
    if (!row) return;
    row.progress.max = up.size || 1;
    row.progress.value = up.size ? up.loaded : (up.status === 'done' ? 1 : 0);
    const pct = up.size ? up.loaded / up.size : (up.status === 'done' ? 1 : 0);
    row.percent.textContent = new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(pct);
    if (row.status.textContent !== statusText(up)) row.status.textContent = statusText(up);
    row.tr.dataset.status = up.status;
    const want = up.status === 'paused' ? 'resume' : up.status === 'failed' ? 'retry' : '';
    if (row.action.dataset.kind !== want) {
      row.action.dataset.kind = want;
      replace(row.action, want ? h('button', { type: 'button', class: 'btn btn-small',
        'aria-label': t(want === 'resume' ? 'upload.resumeOf' : 'upload.retryOf', { name: up.name }),
        onclick: () => uploads.resume(up) }, t(want === 'resume' ? 'upload.resume' : 'upload.retry')) : null);
    }
  }

  function addRow(up) {
    const progress = h('progress', { max: String(up.size || 1), value: '0',
      'aria-label': t('upload.progressOf', { name: up.name }) });
    const percent = h('span', { class: 'percent', 'aria-hidden': 'true' });
    const status = h('td', { class: 'upload-status' });
    const action = h('td', { class: 'row-actions' });
    const tr = h('tr', null,
      h('th', { scope: 'row', class: 'wrap', text: up.name }),
      h('td', { class: 'num' }, fmtBytes(up.size)),
      h('td', { class: 'progress-cell' }, progress, percent),
      status,
      action);
    rows.set(up.id, { tr, progress, percent, status, action });
    tbody.append(tr);
    paint(up);
    updateVisibility();
  }

  for (const up of uploads.list(bucket)) addRow(up);

  const unsubscribe = uploads.subscribe((up, kind) => {
    // The view builds and attaches the panel in one synchronous run, before any event can come.
    if (!panel.isConnected) { unsubscribe(); return; }
    if (up.bucket !== bucket) return;
    if (kind === 'batch') {
      const still = onBatchDone(bucket);
      const ours = uploads.list(bucket);
      announce(t('upload.batchDone', { done: ours.filter((u) => u.status === 'done').length, total: ours.length }));
      if (still === false) unsubscribe();
      return;
    }
    if (kind === 'added') addRow(up);
    else paint(up);
  });

  function enqueue(items) {
    uploads.add(bucket, items.map(({ file, path }) => ({ file, key: prefix + path, name: path })));
  }

  const filesInput = h('input', { type: 'file', multiple: true, name: 'files' });
  const folderInput = h('input', { type: 'file', multiple: true, name: 'folder', webkitdirectory: true, directory: true });
  filesInput.addEventListener('change', () => {
    enqueue([...filesInput.files].map((file) => ({ file, path: file.name })));
    filesInput.value = '';
  });
  folderInput.addEventListener('change', () => {
    enqueue([...folderInput.files].map((file) => ({ file, path: file.webkitRelativePath || file.name })));
    folderInput.value = '';
  });

  const zone = h('div', { class: 'dropzone' },
    h('p', { class: 'dropzone-text', id: uid('drop'),
      text: t('upload.drop', { folder: prefix ? `${bucket}/${prefix}` : bucket }) }),
    h('div', { class: 'upload-inputs' },
      field(t('upload.files'), filesInput),
      field(t('upload.folder'), folderInput)));
  let depth = 0;
  zone.addEventListener('dragenter', (e) => {
    e.preventDefault();
    depth += 1;
    zone.classList.add('dragover');
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.classList.remove('dragover');
  });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    zone.classList.remove('dragover');
    droppedFiles(e.dataTransfer).then(enqueue).catch(() => announce(t('upload.dropFailed')));
  });

  const panel = h('section', { class: 'upload-panel', 'aria-labelledby': 'upload-h' },
    h('h2', { id: 'upload-h', text: t('upload.title') }),
    zone,
    list);
  return panel;
}
