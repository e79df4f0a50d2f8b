// The operator console on the admin listener: admin-token sign-in, navigation and routing. It shows
// tenants, placement, the scrubber, KMS keys and audit chains — never object content.
import { t } from './i18n.js';
import { mountView, startShell } from './shell.js';
import { createApi } from './api.js';
import { h, replace, field, messageArea, showError, showStatus, alertBox, setTitle } from './dom.js';
import { renderTenants, renderTenant } from './op-tenants.js';
import { renderLocations, renderScrubber } from './op-placement.js';
import { renderKmsKeys, renderAuditChains } from './op-security.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const banner = document.getElementById('banner');

let signedIn = false;
let notice = null; // {key, kind} above the sign-in form

const api = createApi('/admin/v1', { onUnauthorized: () => expire() });
const ctx = { api, refresh: () => renderRoute(false) };

function expire() {
  if (!signedIn) return;
  signedIn = false;
  api.setCsrf(null);
  showSignIn({ key: 'signin.expired', kind: 'warning' });
}

function startSession(answer) {
  signedIn = true;
  api.setCsrf(answer && answer.csrf);
  notice = null;
  renderChrome();
  checkSealed();
  renderRoute(true);
}

/** A banner while the root key is sealed (every other call then answers 503 Sealed). */
async function checkSealed() {
  try {
    const status = await api.get('/status');
    replace(banner, status && status.sealed
      ? h('div', { class: 'alert alert-warning', role: 'status' }, h('p', { text: t('op.sealed') })) : null);
  } catch {
    banner.replaceChildren();
  }
}

// ---- sign-in

function showSignIn(n = notice) {
  notice = n;
  renderChrome();
  setTitle(t('op.signin.title'));
  const area = messageArea();
  if (n && n.kind === 'info') showStatus(area, t(n.key), 'info');
  else if (n) area.append(alertBox(t(n.key), n.kind));
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'current-password', required: true,
    spellcheck: 'false' });
  // Named operators (docs/identities.md) give their name and TOTP code; the token field takes the
  // password then.
  const name = h('input', { type: 'text', name: 'operator', autocomplete: 'username', spellcheck: 'false' });
  const code = h('input', { type: 'text', name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric',
    pattern: '[0-9]{6}', spellcheck: 'false' });
  const submit = h('button', { type: 'submit', class: 'btn' }, t('signin.submit'));
  const form = h('form', { class: 'card signin-form' },
    h('h1', { text: t('op.signin.title') }),
    h('p', { class: 'lead', text: t('op.signin.intro') }),
    area,
    field(t('op.signin.name'), name, t('op.signin.nameHint')),
    field(t('op.signin.token'), token, t('op.signin.tokenHint')),
    field(t('op.signin.code'), code, t('op.signin.codeHint')),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    const value = token.value.trim();
    try {
      const operator = name.value.trim();
      const answer = await api.post('/session',
        operator ? { name: operator, password: value, code: code.value.trim() } : { token: value },
        { allow401: true });
      token.value = '';
      code.value = '';
      startSession(answer);
    } catch (err) {
      token.value = '';
      code.value = '';
      submit.disabled = false;
      notice = null;
      showError(area, err.status === 401 ? t('op.signin.invalid') : err);
      token.focus();
    }
  });
  replace(main, h('div', { class: 'view view-narrow' }, form));
  token.focus();
}

async function signOut() {
  try {
    await api.del('/session', { allow401: true });
  } catch {
    // dropped on this side whatever the server says
  }
  signedIn = false;
  api.setCsrf(null);
  banner.replaceChildren();
  showSignIn({ key: 'signin.signedOut', kind: 'info' });
}

// ---- chrome and routing

const NAV = [
  ['tenants', 'op.nav.tenants'],
  ['locations', 'op.nav.locations'],
  ['scrub', 'op.nav.scrub'],
  ['keys', 'op.nav.keys'],
  ['audit', 'op.nav.audit'],
];

function renderChrome() {
  if (!signedIn) {
    nav.hidden = true;
    nav.replaceChildren();
    who.replaceChildren();
    return;
  }
  nav.hidden = false;
  nav.setAttribute('aria-label', t('nav.label'));
  replace(nav, h('ul', { class: 'nav-list' },
    NAV.map(([view, key]) => h('li', null, h('a', { href: `#/${view}`, class: 'nav-link', dataset: { view },
      text: t(key) }))),
    h('li', { class: 'nav-end' },
      h('button', { type: 'button', class: 'btn btn-secondary btn-small', onclick: signOut }, t('nav.signOut')))));
  replace(who, h('p', { class: 'who' }, h('strong', { text: t('op.who') })));
}

function parseRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  let arg = null;
  try {
    arg = parts[1] ? decodeURIComponent(parts[1]) : null;
  } catch {
    arg = null;
  }
  return { view: parts[0] || 'tenants', arg };
}

const VIEWS = {
  tenants: (view, route) => (route.arg ? renderTenant(view, ctx, route.arg) : renderTenants(view, ctx)),
  locations: (view) => renderLocations(view, ctx),
  scrub: (view) => renderScrubber(view, ctx),
  keys: (view) => renderKmsKeys(view, ctx),
  audit: (view) => renderAuditChains(view, ctx),
};

async function renderRoute(focus) {
  if (!signedIn) return;
  let route = parseRoute();
  if (!VIEWS[route.view]) route = { view: 'tenants', arg: null };
  for (const a of nav.querySelectorAll('a.nav-link')) {
    if (a.dataset.view === route.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  await mountView(main, `view-op-${route.view}`, (view) => VIEWS[route.view](view, route), focus);
}

function start() {
  return startShell({
    main,
    api,
    sessionPath: '/session',
    onLanguage: () => {
      if (signedIn) {
        renderChrome();
        checkSealed();
        renderRoute(false);
      } else {
        showSignIn();
      }
    },
    onRoute: () => renderRoute(true),
    startSession,
    showSignIn,
  });
}

start();
