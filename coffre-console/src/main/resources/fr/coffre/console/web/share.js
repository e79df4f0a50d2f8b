// The page a recipient opens at /s/TOKEN: the file's name, size and expiry, a password field when
// the link has one, and a real form POST to /s/TOKEN/download so the browser saves the file itself
// (a POST, so that link previews and mail scanners do not spend downloads).
import { t, initLang, onLangChange, mountLanguageSelect, applyStatic } from './i18n.js';
import { createApi } from './api.js';
import { h, replace, field, alertBox, fmtBytes, fmtNumber, timeEl, setTitle } from './dom.js';

const main = document.getElementById('main');
const api = createApi('/api');
const REASONS = {
  NoSuchShare: 'sharepage.notFound',
  ShareRevoked: 'sharepage.revoked',
  ShareExpired: 'sharepage.expired',
  ShareUsedUp: 'sharepage.usedUp',
};

/** The token from /s/TOKEN (base64url: safe in a path as it is). */
function token() {
  const m = /^\/s\/([A-Za-z0-9_-]+)\/?$/.exec(location.pathname);
  return m ? m[1] : null;
}

let state = { loading: true, share: null, error: null };
let typedPassword = '';

function renderError() {
  const err = state.error;
  const key = (err && REASONS[err.code])
    || (err && err.status === 404 ? 'sharepage.notFound' : null)
    || (err && err.status === 0 ? 'sharepage.network' : 'sharepage.failed');
  setTitle(t('sharepage.unavailable'));
  replace(main, h('div', { class: 'view view-narrow' },
    h('div', { class: 'card' },
      h('h1', { text: t('sharepage.unavailable') }),
      alertBox(t(key)),
      h('p', { class: 'hint', text: t('sharepage.askSender') }))));
}

function renderShare() {
  const s = state.share;
  const tok = token();
  const name = s.name || t('sharepage.file');
  setTitle(name);
  const password = s.passwordRequired
    ? h('input', { type: 'password', name: 'password', required: true, autocomplete: 'off', value: typedPassword,
      oninput: (e) => { typedPassword = e.target.value; } })
    : null;
  const sent = h('p', { class: 'hint', role: 'status' });
  const form = h('form', { method: 'post', action: `/s/${tok}/download`, class: 'download-form' },
    password ? field(t('sharepage.password'), password, t('sharepage.passwordHint')) : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-large' }, t('sharepage.download'))),
    sent);
  // Let the browser submit natively (it then saves the attachment); only say what happens.
  form.addEventListener('submit', () => {
    sent.textContent = t('sharepage.starting');
    typedPassword = '';
  });
  replace(main, h('div', { class: 'view view-narrow' },
    h('div', { class: 'card share-card' },
      h('p', { class: 'eyebrow', text: t('sharepage.shared') }),
      h('h1', { class: 'wrap', text: name }),
      h('dl', { class: 'facts' },
        h('div', null, h('dt', { text: t('sharepage.size') }),
          h('dd', null, s.size != null ? `${fmtBytes(s.size)} (${t('details.bytes', { n: fmtNumber(s.size), count: s.size })})` : '—')),
        h('div', null, h('dt', { text: t('sharepage.expires') }), h('dd', null, timeEl(s.expiresAt)))),
      form,
      h('p', { class: 'hint', text: t('sharepage.notice') }))));
}

function render() {
  if (state.loading) {
    replace(main, h('p', { class: 'loading', text: t('common.loading') }));
  } else if (state.error) {
    renderError();
  } else {
    renderShare();
  }
}

async function start() {
  initLang();
  mountLanguageSelect(document.getElementById('lang-slot'));
  applyStatic(document);
  onLangChange(() => {
    applyStatic(document);
    render();
  });
  render();
  const tok = token();
  if (!tok) {
    state = { loading: false, share: null, error: { code: 'NoSuchShare', status: 404 } };
    render();
    return;
  }
  try {
    state = { loading: false, share: await api.get(`/share/${tok}`), error: null };
  } catch (err) {
    state = { loading: false, share: null, error: err };
  }
  render();
}

start();
