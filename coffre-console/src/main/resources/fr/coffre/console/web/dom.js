// DOM building and formatting helpers shared by every page. Server-provided text only ever
// reaches the page through textContent or attribute setters, never through innerHTML.
import { t, has, locale } from './i18n.js';

// Keys set as DOM properties rather than attributes.
const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'readOnly', 'multiple', 'selected',
  'required', 'indeterminate']);

/** Builds an element: h('a', {href, class, text, onclick}, child, [children], 'text'). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (PROPS.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's content. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let idCounter = 0;
/** A fresh id for label/control pairs. */
export function uid(prefix = 'c') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A label and its control, wrapped in a .field div. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = uid('f');
  let hintEl = null;
  if (hint) {
    hintEl = h('p', { class: 'hint', id: uid('h'), text: hint });
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', { class: 'field' }, h('label', { for: control.id, text: labelText }), hintEl, control);
}

/** A table with a caption (visually hidden when hideCaption), column headers and rows. */
export function table(caption, headers, rows, { hideCaption = false, className = '' } = {}) {
  // A wide table scrolls sideways inside its box: the box takes focus so the keyboard can scroll it.
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption || null },
    h('table', { class: className || null },
      caption ? h('caption', { class: hideCaption ? 'sr-only' : null, text: caption }) : null,
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col', text: x })))),
      h('tbody', null, rows)));
}

/** A description list from [term, value] pairs; values may be nodes or text. */
export function dl(pairs, className = 'facts') {
  return h('dl', { class: className },
    pairs.filter(Boolean).map(([k, v]) => h('div', null, h('dt', { text: k }), h('dd', null, v ?? '—'))));
}

/** An alert box (role="alert") for errors. */
export function alertBox(text, kind = 'error') {
  return h('div', { class: `alert alert-${kind}`, role: 'alert' }, h('p', { text }));
}

/** An empty region that will hold alerts: role=alert content is announced when inserted. */
export function messageArea() {
  return h('div', { class: 'messages' });
}

/** Shows an error (or clears it with null) in a message area. */
export function showError(area, err) {
  if (!err) { area.replaceChildren(); return; }
  if (err.handled) return; // a 401 already sent us back to the sign-in form
  replace(area, alertBox(typeof err === 'string' ? err : errorMessage(err)));
}

/** Shows a success or information message in a message area (role="status"). */
export function showStatus(area, text, kind = 'success') {
  replace(area, h('div', { class: `alert alert-${kind}`, role: 'status' }, h('p', { text })));
}

// Codes whose server message adds useful detail (which rule, which site, which quota).
const DETAILED = new Set(['InvalidBucketName', 'PlacementNotSatisfiable', 'QuotaExceeded', 'InvalidArgument',
  'InvalidSensitivityClass', 'KeyModeRefused', 'TenantNotEmpty', 'MalformedJson', 'ReclassificationRefused',
  'MalformedPolicy']);
// A KMS key's state or absence (the server's message names the key).
const KMS_KEY = new Set(['KeyNotFound', 'KeyDisabled', 'KeyPendingDeletion', 'KeyDestroyed']);

/** The text to show for an error thrown by the API clients. */
export function errorMessage(err) {
  const code = err && err.code;
  const server = err && err.serverMessage;
  if (code && has(`error.${code}`)) {
    const text = t(`error.${code}`);
    return DETAILED.has(code) && server ? `${text} (${server})` : text;
  }
  if (KMS_KEY.has(code)) return `${t('error.KmsKey')} (${server || code})`;
  if (server) return server;
  if (err && err.status) return t('error.http', { status: err.status });
  return t('error.unknown');
}

/** A short-lived announcement for screen readers (uses the page's #announcer live region). */
export function announce(text) {
  const el = document.getElementById('announcer');
  if (!el) return;
  el.textContent = '';
  setTimeout(() => { el.textContent = text; }, 50);
}

// ---- formatting (locale-aware through Intl)

/** 1536 → "1.5 KiB" (fr: "1,5 Kio"). */
export function fmtBytes(n) {
  if (n == null || n === '' || !Number.isFinite(Number(n))) return '—';
  let v = Number(n);
  const units = t('units.bytes').split(',');
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i += 1; }
  const nf = new Intl.NumberFormat(locale(), { maximumFractionDigits: i === 0 ? 0 : 1 });
  return `${nf.format(v)}\u00a0${units[i]}`;
}

/** A whole number with the locale's grouping. */
export function fmtNumber(n) {
  if (n == null || n === '' || !Number.isFinite(Number(n))) return '—';
  return new Intl.NumberFormat(locale()).format(Number(n));
}

/** A date and time, or '—'; an unparsable value is shown as it came. */
export function fmtDate(iso, seconds = false) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short' }).format(d);
}

/** A <time> element for a date (machine-readable datetime, localized text). */
export function timeEl(iso, seconds = false) {
  if (!iso) return '—';
  return h('time', { datetime: String(iso), text: fmtDate(iso, seconds) });
}

/** Yes / No in the current language. */
export function yesNo(b) {
  return b ? t('common.yes') : t('common.no');
}

/** A readable name for a bucket's encryption setting. */
export function fmtEncryption(enc) {
  if (!enc || enc === 'none' || enc === 'NONE') return t('enc.none');
  if (enc === 'AES256' || enc === 'SSE-S3') return t('enc.sses3');
  if (enc === 'aws:kms' || enc === 'SSE-KMS') return t('enc.ssekms');
  if (enc === 'SSE-C') return t('enc.ssec');
  return String(enc);
}

/** A KMS key state in the current language, falling back to the raw value. */
export function fmtKeyState(state) {
  return state && has(`keystate.${state}`) ? t(`keystate.${state}`) : (state ?? '—');
}

// ---- dialogs

/**
 * A modal confirmation: resolves true on "Confirm", false on "Cancel" or Escape.
 * Focus returns to the element that had it.
 */
export function confirmDialog({ title, message, confirmLabel = t('common.confirm'), danger = true }) {
  return new Promise((resolve) => {
    const back = document.activeElement;
    const titleId = uid('dlg');
    let result = false;
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId, text: title }),
      h('p', { text: message }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: danger ? 'btn btn-danger' : 'btn',
          onclick: () => { result = true; dialog.close(); } }, confirmLabel),
        h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => dialog.close() },
          t('common.cancel'))));
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (back && back.isConnected) back.focus();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    // Start on Cancel: a stray Enter must not delete anything.
    dialog.querySelector('.btn-secondary').focus();
  });
}

/** Sets document.title to "PAGE — Coffre". */
export function setTitle(page) {
  document.title = page ? `${page} — ${t('brand.name')}` : t('brand.name');
}

/** Moves focus to a view's main heading so screen readers announce the new view. */
export function focusHeading(container) {
  const heading = container.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}
