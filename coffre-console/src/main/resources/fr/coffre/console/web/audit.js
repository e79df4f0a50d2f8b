// The audit trail view: the tenant's records, newest first, filtered by operation, bucket, actor and
// outcome, and a link to the signed chain export (docs/audit-format.md).
import { t } from './i18n.js';
import { h, replace, field, table, messageArea, showError, setTitle, timeEl, fmtNumber } from './dom.js';

const DEFAULT_LIMIT = 100;
// Suggestions only (a <datalist>): any operation name can be typed.
const OPERATIONS = ['PutObject', 'GetObject', 'DeleteObject', 'CopyObject', 'CompleteMultipartUpload', 'CreateBucket',
  'DeleteBucket', 'CreateShareLink', 'RevokeShareLink', 'ShareLinkDownload', 'RepairCopies'];
const MAX_LIMIT = 1000;
// Kept while the session lasts, so a language switch or a visit elsewhere keeps the filters.
const filters = { operation: '', bucket: '', actor: '', outcome: '', limit: String(DEFAULT_LIMIT) };

/**
 * An operation name that may wrap only between its words (CompleteMultipartUpload breaks as
 * Complete·Multipart·Upload, never inside one), marked when the operator made the call; the
 * operator's request (method and admin path) is its title.
 */
function operationCell(r) {
  const name = String(r.operation ?? '—');
  const words = name.split(/(?<=[a-z0-9])(?=[A-Z])/);
  return h('th', { scope: 'row', class: 'op', title: r.request || null },
    h('span', { class: 'mono' }, words.flatMap((w, i) => (i ? [h('wbr'), w] : [w]))),
    r.request ? h('span', { class: 'badge op-by', text: t('audit.byOperator') }) : null);
}

function recordRow(r) {
  const failed = r.error || (typeof r.status === 'number' && r.status >= 400);
  return h('tr', { class: failed ? 'row-error' : null },
    h('td', { class: 'nowrap' }, timeEl(r.time, true)),
    operationCell(r),
    h('td', null, r.actor ?? '—'),
    h('td', { class: 'mono', text: r.address ?? '—' }),
    h('td', null, r.bucket ?? '—'),
    h('td', { class: 'mono wrap', text: r.key ?? '—' }),
    h('td', { class: 'num' }, r.status != null ? String(r.status) : '—'),
    h('td', null, r.error ?? '—'),
    h('td', { class: 'mono small wrap', text: r.requestId ?? '—' }));
}

/** Renders the audit trail view into `view`. */
export async function renderAudit(view, ctx) {
  setTitle(t('audit.title'));
  const msg = messageArea();
  const results = h('div', { class: 'list-area' });
  const summary = h('p', { class: 'summary', role: 'status' });
  // A cluster node that could not give its records: the view is not the whole trail.
  const incomplete = h('div', { class: 'alert alert-warning', role: 'alert', hidden: true });

  const input = (name) => {
    const el = h('input', { type: 'text', name, value: filters[name], autocomplete: 'off', spellcheck: 'false' });
    el.addEventListener('input', () => { filters[name] = el.value; });
    return el;
  };
  const operation = input('operation');
  operation.setAttribute('list', 'audit-operations');
  const operations = h('datalist', { id: 'audit-operations' }, OPERATIONS.map((o) => h('option', { value: o })));
  const bucket = input('bucket');
  const actor = input('actor');
  const outcome = h('select', { name: 'outcome' },
    [['', 'audit.outcome.any'], ['ok', 'audit.outcome.ok'], ['error', 'audit.outcome.error']].map(([v, k]) =>
      h('option', { value: v, selected: filters.outcome === v, text: t(k) })));
  outcome.addEventListener('change', () => { filters.outcome = outcome.value; });
  const limit = h('input', { type: 'number', name: 'limit', min: '1', max: String(MAX_LIMIT), step: '1',
    value: filters.limit, inputmode: 'numeric' });
  limit.addEventListener('input', () => { filters.limit = limit.value; });
  const apply = h('button', { type: 'submit', class: 'btn' }, t('audit.apply'));
  const reset = h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => {
    Object.assign(filters, { operation: '', bucket: '', actor: '', outcome: '', limit: String(DEFAULT_LIMIT) });
    operation.value = '';
    bucket.value = '';
    actor.value = '';
    outcome.value = '';
    limit.value = String(DEFAULT_LIMIT);
    load();
  } }, t('audit.reset'));

  const form = h('form', { class: 'card filters', 'aria-labelledby': 'audit-filters-h' },
    h('h2', { id: 'audit-filters-h', text: t('audit.filters') }),
    h('div', { class: 'form-row' },
      field(t('audit.operation'), operation),
      field(t('audit.bucket'), bucket),
      field(t('audit.actor'), actor),
      field(t('audit.outcome'), outcome),
      field(t('audit.limit'), limit)),
    h('div', { class: 'actions' }, apply, reset),
    operations);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });

  async function load() {
    let n = Number.parseInt(filters.limit, 10);
    if (!Number.isFinite(n) || n < 1) n = DEFAULT_LIMIT;
    n = Math.min(n, MAX_LIMIT);
    results.setAttribute('aria-busy', 'true');
    showError(msg, null);
    try {
      const answer = await ctx.api.get('/audit', { query: {
        operation: filters.operation.trim(), bucket: filters.bucket.trim(), actor: filters.actor.trim(),
        outcome: filters.outcome, limit: n } });
      const records = (answer && answer.records) || [];
      summary.textContent = answer && answer.matched != null
        ? t('audit.matched', { shown: fmtNumber(records.length), matched: fmtNumber(answer.matched) })
        : t('audit.shown', { shown: fmtNumber(records.length) });
      const missing = (answer && answer.missingNodes) || [];
      replace(incomplete, missing.length === 0 ? null
        : h('p', { text: t('audit.incomplete', { nodes: missing.join(', ') }) }));
      incomplete.hidden = missing.length === 0;
      replace(results, records.length === 0
        ? h('p', { class: 'empty', text: t('audit.none') })
        : table(t('audit.caption'), [t('audit.col.time'), t('audit.col.operation'), t('audit.col.actor'),
          t('audit.col.address'), t('audit.col.bucket'), t('audit.col.key'), t('audit.col.status'),
          t('audit.col.error'), t('audit.col.requestId')], records.map(recordRow),
        { hideCaption: true, className: 'audit-table' }));
    } catch (err) {
      replace(results);
      summary.textContent = '';
      showError(msg, err);
    } finally {
      results.removeAttribute('aria-busy');
    }
  }

  replace(view,
    h('h1', { text: t('audit.title') }),
    h('p', { class: 'lead', text: t('audit.intro') }),
    h('p', { class: 'export' },
      h('a', { href: '/api/audit/export', download: '', class: 'btn btn-secondary', text: t('audit.export') }),
      ' ',
      h('span', { class: 'hint', text: t('audit.exportHint') })),
    form,
    msg,
    summary,
    incomplete,
    results);
  await load();
}
