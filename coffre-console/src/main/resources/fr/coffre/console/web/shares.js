// The share links view: the tenant's active links (not revoked, expired or used up), with Revoke.
import { t } from './i18n.js';
import { h, replace, table, messageArea, showError, showStatus, setTitle, timeEl, fmtNumber, yesNo,
  announce } from './dom.js';
import { hrefs } from './routes.js';

function downloads(s) {
  const used = fmtNumber(s.downloads ?? 0);
  return s.maxDownloads != null ? t('shares.downloadsOf', { n: used, max: fmtNumber(s.maxDownloads) }) : used;
}

function folderOf(key) {
  const i = key.lastIndexOf('/');
  return i < 0 ? '' : key.slice(0, i + 1);
}

/** Renders the share links view into `view`. */
export async function renderShares(view, ctx) {
  setTitle(t('shares.title'));
  const msg = messageArea();
  const listArea = h('div', { class: 'list-area' }, h('p', { class: 'loading', text: t('common.loading') }));

  async function revoke(s, button) {
    button.disabled = true;
    try {
      await ctx.api.del(`/shares/${encodeURIComponent(s.id)}`);
      showStatus(msg, t('shares.revoked', { key: s.key }));
      announce(t('shares.revoked', { key: s.key }));
      await reload();
    } catch (err) {
      button.disabled = false;
      showError(msg, err);
    }
  }

  function row(s) {
    const button = h('button', { type: 'button', class: 'btn btn-danger btn-small',
      'aria-label': t('shares.revokeOf', { key: s.key }) }, t('shares.revoke'));
    button.addEventListener('click', () => revoke(s, button));
    return h('tr', null,
      h('th', { scope: 'row', class: 'wrap' },
        h('a', { href: hrefs.objects(s.bucket, folderOf(s.key)), class: 'mono', text: s.key })),
      h('td', null, s.bucket),
      h('td', null, timeEl(s.createdAt)),
      h('td', null, s.createdBy ?? '—'),
      h('td', null, timeEl(s.expiresAt)),
      h('td', null, yesNo(s.passwordProtected)),
      h('td', { class: 'num' }, downloads(s)),
      h('td', { class: 'row-actions' }, button));
  }

  async function reload() {
    listArea.setAttribute('aria-busy', 'true');
    try {
      const answer = await ctx.api.get('/shares');
      const shares = (answer && answer.shares) || [];
      replace(listArea, shares.length === 0
        ? h('p', { class: 'empty', text: t('shares.none') })
        : table(t('shares.caption'), [t('shares.col.object'), t('shares.col.bucket'), t('shares.col.created'),
          t('shares.col.createdBy'), t('shares.col.expires'), t('shares.col.password'), t('shares.col.downloads'),
          t('common.actions')], shares.map(row), { hideCaption: true }));
    } catch (err) {
      replace(listArea);
      showError(msg, err);
    } finally {
      listArea.removeAttribute('aria-busy');
    }
  }

  replace(view,
    h('h1', { text: t('shares.title') }),
    h('p', { class: 'lead', text: t('shares.intro') }),
    msg,
    listArea);
  await reload();
}
