// The objects view of a bucket: folders (delimiter "/") with a breadcrumb, search by prefix within
// the current folder, the upload panel and the details panel of the selected object.
import { t } from './i18n.js';
import { h, replace, field, messageArea, showError, setTitle, fmtBytes, timeEl, fmtEncryption } from './dom.js';
import { hrefs, bucketPath } from './routes.js';
import { loadBuckets } from './buckets.js';
import { renderDetails } from './details.js';
import { uploadPanel } from './upload-ui.js';

const PAGE = 200;
const SEARCH_DELAY_MS = 250;

// Kept across re-renders of the same folder (a language switch), reset when the folder changes.
const state = { bucket: null, prefix: null, search: '', selected: null };

function breadcrumb(bucket, prefix) {
  const crumbs = [];
  const segments = prefix ? prefix.replace(/\/$/, '').split('/') : [];
  const last = segments.length;
  crumbs.push(last === 0
    ? h('li', null, h('span', { 'aria-current': 'page', text: bucket }))
    : h('li', null, h('a', { href: hrefs.objects(bucket, ''), text: bucket })));
  let acc = '';
  segments.forEach((seg, i) => {
    acc += `${seg}/`;
    const label = seg || t('objects.emptySegment');
    crumbs.push(i === last - 1
      ? h('li', null, h('span', { 'aria-current': 'page', text: label }))
      : h('li', null, h('a', { href: hrefs.objects(bucket, acc), text: label })));
  });
  return h('nav', { class: 'breadcrumb', 'aria-label': t('objects.folders') }, h('ol', null, crumbs));
}

function bucketFacts(ctx, bucket) {
  const line = h('p', { class: 'bucket-facts' });
  loadBuckets(ctx, true).then((buckets) => {
    const b = buckets.find((x) => x.name === bucket);
    if (!b) return;
    line.append(
      h('span', null, `${t('buckets.col.class')}${t('punct.colon')}`, h('span', { class: 'badge', text: b.class ?? '—' })),
      h('span', null, `${t('buckets.col.encryption')}${t('punct.colon')}${fmtEncryption(b.encryption)}`),
      h('a', { href: hrefs.residency(bucket), text: t('objects.residencyLink') }));
  }).catch(() => { /* the facts line is a convenience; the listing reports errors */ });
  return line;
}

/** Renders the objects view of route.bucket at route.prefix into `view`. */
export async function renderObjects(view, ctx, route) {
  const bucket = route.bucket;
  const prefix = route.prefix || '';
  if (state.bucket !== bucket || state.prefix !== prefix) {
    state.search = '';
    state.selected = null;
  }
  state.bucket = bucket;
  state.prefix = prefix;
  setTitle(prefix ? `${bucket}/${prefix}` : bucket);

  const msg = messageArea();
  const listArea = h('div', { class: 'listing' });
  const details = h('section', { class: 'details', 'aria-labelledby': 'details-h', hidden: true });
  const browser = h('div', { class: 'browser' }, listArea, details);
  let next = null;
  let loadToken = 0;
  let tbody = null;

  const search = h('input', { type: 'text', name: 'search', autocomplete: 'off', spellcheck: 'false',
    value: state.search });
  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.search = search.value;
      load(false);
    }, SEARCH_DELAY_MS);
  });

  function select(key) {
    state.selected = key;
    for (const b of listArea.querySelectorAll('button.object-link')) {
      if (b.dataset.key === key) b.setAttribute('aria-current', 'true');
      else b.removeAttribute('aria-current');
    }
    browser.classList.add('with-details');
    details.hidden = false;
    renderDetails(details, ctx, bucket, key, {
      onDeleted: () => { closeDetails(false); load(false); },
      onClose: () => closeDetails(true),
    });
  }

  function closeDetails(restoreFocus) {
    const key = state.selected;
    state.selected = null;
    details.hidden = true;
    details.replaceChildren();
    browser.classList.remove('with-details');
    for (const b of listArea.querySelectorAll('button.object-link[aria-current]')) {
      b.removeAttribute('aria-current');
      if (restoreFocus && b.dataset.key === key) b.focus();
    }
  }

  function folderRow(folder) {
    const rel = folder.startsWith(prefix) ? folder.slice(prefix.length) : folder;
    return h('tr', { class: 'folder-row' },
      h('th', { scope: 'row' }, h('a', { href: hrefs.objects(bucket, folder), class: 'folder-link', text: rel })),
      h('td', null, h('span', { class: 'muted', text: t('objects.folder') })),
      h('td', { class: 'num' }, '—'),
      h('td', null, '—'));
  }

  function objectRow(o) {
    const rel = (o.key.startsWith(prefix) ? o.key.slice(prefix.length) : o.key) || o.key;
    return h('tr', null,
      h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link-button object-link',
        dataset: { key: o.key }, 'aria-current': o.key === state.selected ? 'true' : null,
        onclick: () => select(o.key), text: rel })),
      h('td', null, h('span', { class: 'muted', text: t('objects.file') })),
      h('td', { class: 'num' }, fmtBytes(o.size)),
      h('td', null, timeEl(o.lastModified)));
  }

  async function load(more) {
    const token = ++loadToken;
    listArea.setAttribute('aria-busy', 'true');
    if (!more) showError(msg, null);
    try {
      const answer = await ctx.api.get(`${bucketPath(bucket)}/objects`, {
        query: { prefix: prefix + state.search, delimiter: '/', max: PAGE, after: more ? next : null } });
      if (token !== loadToken || !view.isConnected) return; // superseded by a newer search
      const folders = (answer && answer.folders) || [];
      const objects = (answer && answer.objects) || [];
      next = answer && answer.next ? answer.next : null;
      if (!more) {
        tbody = h('tbody');
        const empty = folders.length === 0 && objects.length === 0;
        replace(listArea, empty
          ? h('p', { class: 'empty', text: state.search ? t('objects.noMatch', { search: state.search })
            : t('objects.empty') })
          : h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'objects-table' },
            h('caption', { class: 'sr-only', text: t('objects.caption', { folder: prefix || '/' }) }),
            h('thead', null, h('tr', null, [t('objects.col.name'), t('objects.col.type'), t('objects.col.size'),
              t('objects.col.modified')].map((x) => h('th', { scope: 'col', text: x })))),
            tbody)));
      }
      if (tbody) tbody.append(...folders.map(folderRow), ...objects.map(objectRow));
      listArea.querySelector('.more')?.remove();
      if (next) {
        listArea.append(h('p', { class: 'more' }, h('button', { type: 'button', class: 'btn btn-secondary',
          onclick: () => load(true) }, t('objects.more'))));
      }
    } catch (err) {
      if (token !== loadToken) return;
      if (!more) replace(listArea); // no "Loading…" left behind an error
      if (err && err.code === 'NoSuchBucket') noSuchBucket();
      showError(msg, err);
    } finally {
      if (token === loadToken) listArea.removeAttribute('aria-busy');
    }
  }

  // A bucket that does not exist (a stale link, a deleted bucket) offers nothing to do but go back.
  function noSuchBucket() {
    for (const el of [top, facts, crumbs]) el.remove();
    closeDetails(false);
    browser.replaceWith(h('p', { class: 'back' }, h('a', { href: hrefs.buckets(), text: t('objects.backToBuckets') })));
  }

  const panel = uploadPanel({
    bucket,
    prefix,
    onBatchDone: (b) => {
      if (b === bucket && view.isConnected) load(false);
      return view.isConnected; // false: the panel is gone, stop listening
    },
  });

  const facts = bucketFacts(ctx, bucket);
  const crumbs = breadcrumb(bucket, prefix);
  const top = h('div', { class: 'objects-top' },
    h('div', { class: 'toolbar' }, field(t('objects.search'), search, t('objects.searchHint'))),
    panel);
  replace(view,
    h('h1', { class: 'bucket-title', text: bucket }),
    facts,
    crumbs,
    top,
    msg,
    h('h2', { class: 'sr-only', text: t('objects.contents') }),
    browser);

  replace(listArea, h('p', { class: 'loading', text: t('common.loading') }));
  const first = load(false);
  if (state.selected) select(state.selected);
  await first;
}
