// The details panel of an object: system properties, metadata, tags; download, share, delete.
import { t } from './i18n.js';
import { h, replace, dl, table, messageArea, showError, confirmDialog, fmtBytes, fmtNumber, timeEl,
  fmtEncryption, announce } from './dom.js';
import { bucketPath } from './routes.js';
import { withQuery } from './api.js';
import { openShareDialog } from './share-dialog.js';

/** The URL that downloads an object as an attachment (a plain GET, so the browser saves it). */
export function downloadUrl(bucket, key) {
  return withQuery(`/api${bucketPath(bucket)}/download`, { key });
}

function lastSegment(key) {
  const parts = key.split('/').filter(Boolean);
  return parts.length ? parts[parts.length - 1] : key;
}

function pairsTable(caption, obj, keyHeader) {
  const entries = Object.entries(obj || {});
  if (entries.length === 0) {
    return h('div', null, h('h3', { text: caption }), h('p', { class: 'muted', text: t('details.none') }));
  }
  return h('div', null, h('h3', { text: caption }),
    table(caption, [keyHeader, t('details.value')], entries.map(([k, v]) => h('tr', null,
      h('th', { scope: 'row', class: 'mono', text: k }),
      h('td', { class: 'mono wrap', text: typeof v === 'string' ? v : JSON.stringify(v) }))),
    { hideCaption: true, className: 'compact' }));
}

/**
 * Fills `section` with the details of bucket/key. onDeleted runs after a deletion, onClose when the
 * user hides the panel.
 */
export async function renderDetails(section, ctx, bucket, key, { onDeleted, onClose }) {
  const msg = messageArea();
  const body = h('div', { class: 'details-body' }, h('p', { class: 'loading', text: t('common.loading') }));
  replace(section,
    h('div', { class: 'details-head' },
      h('h2', { id: 'details-h', text: t('details.title') }),
      h('button', { type: 'button', class: 'btn btn-tertiary btn-small', onclick: onClose }, t('details.hide'))),
    h('p', { class: 'details-key mono wrap', text: key }),
    msg,
    body);
  section.setAttribute('aria-busy', 'true');
  let o;
  try {
    o = await ctx.api.get(`${bucketPath(bucket)}/object`, { query: { key } });
  } catch (err) {
    replace(body);
    showError(msg, err);
    return;
  } finally {
    section.removeAttribute('aria-busy');
  }
  if (!section.isConnected || section.querySelector('.details-key')?.textContent !== key) return;

  const size = o.size != null
    ? [fmtBytes(o.size), h('span', { class: 'muted', text: ` (${t('details.bytes', { n: fmtNumber(o.size), count: o.size })})` })]
    : '—';
  const encryption = o.kmsKey
    ? [fmtEncryption(o.encryption), h('br'), h('span', { class: 'mono wrap', text: o.kmsKey })]
    : fmtEncryption(o.encryption);

  const share = h('button', { type: 'button', class: 'btn btn-secondary',
    onclick: () => openShareDialog(ctx, bucket, o.key ?? key) }, t('details.share'));
  const del = h('button', { type: 'button', class: 'btn btn-danger', onclick: async () => {
    const ok = await confirmDialog({ title: t('details.deleteTitle', { name: lastSegment(key) }),
      message: t('details.deleteMessage', { key }) });
    if (!ok) return;
    try {
      await ctx.api.del(`${bucketPath(bucket)}/object`, { query: { key } });
      announce(t('details.deleted', { name: lastSegment(key) }));
      onDeleted();
    } catch (err) {
      showError(msg, err);
    }
  } }, t('common.delete'));

  replace(body,
    h('div', { class: 'actions' },
      h('a', { class: 'btn', href: downloadUrl(bucket, key), download: lastSegment(key), text: t('details.download') }),
      share,
      del),
    dl([
      [t('details.key'), h('span', { class: 'mono wrap', text: o.key ?? key })],
      [t('details.size'), size],
      [t('details.modified'), timeEl(o.lastModified, true)],
      [t('details.etag'), h('span', { class: 'mono wrap', text: o.etag ?? '—' })],
      [t('details.contentType'), o.contentType ?? '—'],
      [t('details.encryption'), encryption],
    ]),
    pairsTable(t('details.metadata'), o.metadata, t('details.name')),
    pairsTable(t('details.tags'), o.tags, t('details.tagKey')));
}
