// The keys view: the tenant's KMS keys (never their material) and which key each bucket uses.
import { t } from './i18n.js';
import { h, replace, table, messageArea, showError, setTitle, timeEl, fmtNumber, fmtEncryption,
  fmtKeyState } from './dom.js';
import { hrefs } from './routes.js';
import { loadBuckets } from './buckets.js';

/** The key a bucket's kmsKey names: by id, ARN (…/id) or alias. */
function findKey(keys, ref) {
  if (!ref) return null;
  return keys.find((k) => k.id === ref || (k.arn && k.arn === ref) || (k.alias && (k.alias === ref
    || `alias/${ref}` === k.alias)) || (k.id && ref.endsWith(`/${k.id}`))) || null;
}

function stateBadge(state) {
  const kind = state === 'ENABLED' ? 'badge-ok' : state === 'DESTROYED' ? 'badge-bad' : 'badge-warn';
  return h('span', { class: `badge ${kind}`, text: fmtKeyState(state) });
}

/** Renders the keys view into `view`. */
export async function renderKeys(view, ctx) {
  setTitle(t('keys.title'));
  const msg = messageArea();
  const keysArea = h('div', null, h('p', { class: 'loading', text: t('common.loading') }));
  const bucketsArea = h('div', null, h('p', { class: 'loading', text: t('common.loading') }));
  replace(view,
    h('h1', { text: t('keys.title') }),
    h('p', { class: 'lead', text: t('keys.intro') }),
    msg,
    h('h2', { text: t('keys.kmsTitle') }),
    keysArea,
    h('h2', { text: t('keys.bucketsTitle') }),
    bucketsArea);

  const [keysResult, bucketsResult] = await Promise.allSettled([ctx.api.get('/keys'), loadBuckets(ctx)]);
  const keys = keysResult.status === 'fulfilled' ? ((keysResult.value && keysResult.value.keys) || []) : [];
  if (keysResult.status === 'rejected') {
    replace(keysArea);
    showError(msg, keysResult.reason);
  } else if (keys.length === 0) {
    replace(keysArea, h('p', { class: 'empty', text: t('keys.none') }));
  } else {
    replace(keysArea, table(t('keys.kmsTitle'), [t('keys.col.alias'), t('keys.col.id'), t('keys.col.state'),
      t('keys.col.created'), t('keys.col.version'), t('keys.col.deletion')], keys.map((k) => h('tr', null,
      h('th', { scope: 'row', text: k.alias ?? t('keys.noAlias') }),
      h('td', { class: 'mono wrap', text: k.id ?? '—' }),
      h('td', null, stateBadge(k.state)),
      h('td', null, timeEl(k.created)),
      h('td', { class: 'num' }, fmtNumber(k.currentVersion)),
      h('td', null, timeEl(k.deletionDate)))), { hideCaption: true }));
  }

  if (bucketsResult.status === 'rejected') {
    replace(bucketsArea);
    if (keysResult.status !== 'rejected') showError(msg, bucketsResult.reason);
    return;
  }
  const buckets = bucketsResult.value;
  if (buckets.length === 0) {
    replace(bucketsArea, h('p', { class: 'empty', text: t('buckets.none') }));
    return;
  }
  replace(bucketsArea, table(t('keys.bucketsTitle'), [t('buckets.col.name'), t('buckets.col.encryption'),
    t('keys.col.bucketKey')], buckets.map((b) => {
    const key = findKey(keys, b.kmsKey);
    let keyCell = t('keys.serverManaged');
    if (b.kmsKey) {
      keyCell = key
        ? [h('span', { text: key.alias ?? key.id }), ' ', stateBadge(key.state),
          h('span', { class: 'mono wrap block muted', text: key.id })]
        : h('span', { class: 'mono wrap', text: b.kmsKey });
    } else if (!b.encryption || b.encryption === 'none') {
      keyCell = '—';
    }
    return h('tr', null,
      h('th', { scope: 'row' }, h('a', { href: hrefs.objects(b.name), text: b.name })),
      h('td', null, fmtEncryption(b.encryption)),
      h('td', null, keyCell));
  }), { hideCaption: true }));
}
