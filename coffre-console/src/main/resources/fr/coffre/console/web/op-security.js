// Operator views of KMS keys (state, versions, deletion dates — never material) and of the audit
// chains (record counts, head hashes, signed exports).
import { t } from './i18n.js';
import { h, replace, table, messageArea, showError, setTitle, fmtBytes, fmtNumber, timeEl,
  fmtKeyState } from './dom.js';

function stateBadge(state) {
  const kind = state === 'ENABLED' ? 'badge-ok' : state === 'DESTROYED' ? 'badge-bad' : 'badge-warn';
  return h('span', { class: `badge ${kind}`, text: fmtKeyState(state) });
}

/** Every KMS key, destroyed ones included. */
export async function renderKmsKeys(view, ctx) {
  setTitle(t('op.keys.title'));
  const msg = messageArea();
  const body = h('div', null, h('p', { class: 'loading', text: t('common.loading') }));
  replace(view,
    h('h1', { text: t('op.keys.title') }),
    h('p', { class: 'lead', text: t('op.keys.intro') }),
    msg,
    body);
  let keys;
  try {
    const answer = await ctx.api.get('/keys');
    keys = (answer && answer.keys) || [];
  } catch (err) {
    replace(body);
    showError(msg, err);
    return;
  }
  replace(body, keys.length === 0 ? h('p', { class: 'empty', text: t('keys.none') })
    : table(t('op.keys.title'), [t('keys.col.alias'), t('op.keys.col.tenant'), t('keys.col.state'),
      t('keys.col.version'), t('keys.col.deletion'), t('keys.col.created'), t('op.keys.col.usage'),
      t('keys.col.id')], keys.map((k) => h('tr', null,
      h('th', { scope: 'row', text: k.alias ?? t('keys.noAlias') }),
      h('td', null, k.tenant ?? '—'),
      h('td', null, stateBadge(k.state)),
      h('td', { class: 'num' }, fmtNumber(k.currentVersion)),
      h('td', null, k.state === 'DESTROYED' && k.destroyed
        ? [t('op.keys.destroyedOn'), ' ', timeEl(k.destroyed)] : timeEl(k.deletionDate)),
      h('td', null, timeEl(k.created)),
      h('td', { class: 'num' }, k.usage
        ? t('op.keys.usage', { objects: fmtNumber(k.usage.objects), bytes: fmtBytes(k.usage.bytes) }) : '—'),
      h('td', { class: 'mono small wrap', text: k.id ?? '—' }))), { hideCaption: true }),
  h('p', { class: 'hint', text: t('op.keys.cli') }));
}

/** The audit chains (one per tenant, and _system) with their heads and export links. */
export async function renderAuditChains(view, ctx) {
  setTitle(t('op.audit.title'));
  const msg = messageArea();
  const body = h('div', null, h('p', { class: 'loading', text: t('common.loading') }));
  replace(view,
    h('h1', { text: t('op.audit.title') }),
    h('p', { class: 'lead', text: t('op.audit.intro') }),
    msg,
    body);
  let chains;
  try {
    const answer = await ctx.api.get('/audit');
    chains = (answer && answer.chains) || [];
  } catch (err) {
    replace(body);
    showError(msg, err);
    return;
  }
  replace(body, chains.length === 0 ? h('p', { class: 'empty', text: t('op.audit.none') })
    : table(t('op.audit.title'), [t('op.audit.col.chain'), t('op.audit.col.records'), t('op.audit.col.head'),
      t('common.actions')], chains.map((c) => {
      const name = String(c.chain ?? '');
      return h('tr', null,
        h('th', { scope: 'row' }, name === '_system' ? t('op.audit.system') : name),
        h('td', { class: 'num' }, fmtNumber(c.records)),
        h('td', { class: 'mono small wrap', text: c.hash ?? '—' }),
        h('td', { class: 'row-actions' }, name ? h('a', {
          href: `/admin/v1/audit/${encodeURIComponent(name)}`, download: `audit-${name}.ndjson`,
          class: 'btn btn-secondary btn-small', 'aria-label': t('op.audit.exportOf', { chain: name }),
          text: t('op.audit.export') }) : null));
    }), { hideCaption: true }),
  h('p', { class: 'hint', text: t('op.audit.verify') }));
}
