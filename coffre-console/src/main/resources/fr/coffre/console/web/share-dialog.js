// The "Share link" dialog: expiry, optional password and download limit → POST /api/shares, then
// the full URL (shown once: only its hash is stored) with a Copy button.
import { t } from './i18n.js';
import { h, replace, field, messageArea, showError, fmtDate, uid } from './dom.js';

export const EXPIRIES = [
  [3600, 'share.exp.hour'],
  [86400, 'share.exp.day'],
  [7 * 86400, 'share.exp.week'],
  [30 * 86400, 'share.exp.month'],
];
const DEFAULT_EXPIRY = 86400;

async function copyText(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    // no clipboard API (plain HTTP on another host than localhost): fall back to a selection copy
    input.focus();
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

/** Opens the dialog for bucket/key; focus returns to the opener when it closes (Close or Escape). */
export function openShareDialog(ctx, bucket, key) {
  const back = document.activeElement;
  const titleId = uid('share');
  const msg = messageArea();

  const expiry = h('select', { name: 'expiresIn' },
    EXPIRIES.map(([s, k]) => h('option', { value: String(s), selected: s === DEFAULT_EXPIRY, text: t(k) })));
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password' });
  const maxDownloads = h('input', { type: 'number', name: 'maxDownloads', min: '1', step: '1', inputmode: 'numeric' });
  const create = h('button', { type: 'submit', class: 'btn' }, t('share.create'));
  const fieldset = h('fieldset', { class: 'plain' },
    h('legend', { class: 'sr-only', text: t('share.options') }),
    field(t('share.expiresIn'), expiry),
    field(t('share.password'), password, t('share.passwordHint')),
    field(t('share.maxDownloads'), maxDownloads, t('share.maxDownloadsHint')));
  const form = h('form', { class: 'share-form' }, fieldset, h('div', { class: 'actions' }, create));
  const result = h('div', { class: 'share-result' });
  const close = h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => dialog.close() },
    t('common.close'));

  const dialog = h('dialog', { class: 'dialog', 'aria-label': t('share.title') },
    h('h2', { id: titleId, text: t('share.title') }),
    h('p', { class: 'mono wrap', text: `${bucket}/${key}` }),
    msg,
    form,
    result,
    h('div', { class: 'actions actions-end' }, close));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let max;
    if (maxDownloads.value !== '') {
      max = Number(maxDownloads.value);
      if (!Number.isInteger(max) || max < 1) {
        showError(msg, t('share.maxInvalid'));
        maxDownloads.focus();
        return;
      }
    }
    create.disabled = true;
    try {
      const share = await ctx.api.post('/shares', {
        bucket,
        key,
        expiresInSeconds: Number(expiry.value),
        password: password.value || undefined,
        maxDownloads: max,
      });
      password.value = '';
      fieldset.disabled = true;
      form.hidden = true; // the dialog must fit a laptop screen once the link is shown
      showError(msg, null);
      showResult(share);
    } catch (err) {
      create.disabled = false;
      showError(msg, err);
    }
  });

  function showResult(share) {
    const linkId = uid('link');
    const url = h('input', { id: linkId, type: 'text', readOnly: true, class: 'mono',
      value: share.url.startsWith('/') ? location.origin + share.url : share.url });
    const copyStatus = h('p', { class: 'copy-status', role: 'status' });
    const copy = h('button', { type: 'button', class: 'btn', onclick: async () => {
      const ok = await copyText(url);
      copyStatus.textContent = ok ? t('share.copied') : t('share.copyManually');
    } }, t('share.copy'));
    url.addEventListener('focus', () => url.select());
    const limits = [share.passwordProtected ? t('share.withPassword') : null,
      share.maxDownloads != null ? t('share.withMax', { n: share.maxDownloads, count: share.maxDownloads }) : null];
    replace(result,
      h('div', { class: 'alert alert-success' },
        h('p', { text: t('share.created', { date: fmtDate(share.expiresAt) }) }),
        limits.some(Boolean) ? h('p', { text: limits.filter(Boolean).join(' · ') }) : null),
      h('div', { class: 'field' },
        h('label', { for: linkId, text: t('share.link') }),
        h('div', { class: 'input-with-button' }, url, copy)),
      copyStatus,
      h('p', { class: 'hint', text: t('share.onceOnly') }));
    url.focus();
  }

  dialog.addEventListener('close', () => {
    password.value = '';
    dialog.remove();
    if (back && back.isConnected) back.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  expiry.focus();
  return dialog;
}
