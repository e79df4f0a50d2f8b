// The tenant console: session, sign-in, navigation and routing between the views.
import { t } from './i18n.js';
import { mountView, startShell } from './shell.js';
import { createApi } from './api.js';
import { h, replace, field, messageArea, showError, alertBox, showStatus, setTitle } from './dom.js';
import { parseRoute, hrefs } from './routes.js';
import { renderBuckets } from './buckets.js';
import { renderObjects } from './objects.js';
import { renderResidency } from './residency.js';
import { renderShares } from './shares.js';
import { renderKeys } from './keys.js';
import { renderSupport } from './support.js';
import { renderIam } from './iam.js';
import { renderAudit } from './audit.js';
import { uploads } from './upload.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

let session = null; // {tenant, user, accessKey, csrf, expiresAt}; csrf also sits in api's closure
let signInNotice = null; // {key, kind}: the message above the sign-in form, kept across language switches
let typedAccessKey = '';
let oidcProvider; // undefined: not asked yet; null: none; {name, login}: the organisation's provider

const api = createApi('/api', { onUnauthorized: () => expire() });
uploads.configure(api);

/** What the views get: the API client, the session, a per-session cache and a re-render hook. */
const ctx = {
  api,
  get session() { return session; },
  cache: {},
  refresh: () => renderRoute(false),
};

function expire() {
  if (!session) return;
  typedAccessKey = session.accessKey || ''; // the access key is not a secret: spare retyping it
  endSession();
  showSignIn({ key: 'signin.expired', kind: 'warning' });
}

function endSession() {
  session = null;
  api.setCsrf(null);
  ctx.cache = {};
}

function startSession(s) {
  // A federated (OIDC) user has no access key: its uploads belong to tenant/user.
  const owner = s.accessKey ?? `${s.tenant}/${s.user}`;
  if (session === null && uploads.owner && uploads.owner !== owner) uploads.clear();
  uploads.owner = owner;
  session = s;
  api.setCsrf(s.csrf);
  signInNotice = null;
  typedAccessKey = '';
  renderChrome();
  renderRoute(true);
}

// ---- sign-in

function showSignIn(notice = signInNotice) {
  signInNotice = notice;
  renderChrome();
  setTitle(t('signin.title'));
  const area = messageArea();
  if (notice && notice.kind === 'info') showStatus(area, t(notice.key), 'info');
  else if (notice) area.append(alertBox(t(notice.key), notice.kind));
  const access = h('input', { type: 'text', name: 'accessKey', autocomplete: 'username', required: true,
    spellcheck: 'false', autocapitalize: 'off', value: typedAccessKey,
    oninput: () => { typedAccessKey = access.value; } });
  const secret = h('input', { type: 'password', name: 'secretKey', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'btn' }, t('signin.submit'));
  const form = h('form', { class: 'card signin-form' },
    h('h1', { text: t('signin.title') }),
    h('p', { class: 'lead', text: t('signin.intro') }),
    area,
    field(t('signin.accessKey'), access),
    field(t('signin.secretKey'), secret),
    h('div', { class: 'actions' }, submit),
    h('details', { class: 'first-keys' }, h('summary', { text: t('signin.firstTitle') }),
      h('p', { text: t('signin.firstRoot') }),
      h('p', null, h('code', { text: '~/.local/share/coffre/root-credentials' }), ' ', t('signin.firstOr'), ' ',
        h('code', { text: '/var/lib/coffre/root-credentials' }), ' ', t('signin.firstPackage')),
      h('p', { text: t('signin.firstUsers') })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const accessKey = access.value.trim();
    const secretKey = secret.value;
    submit.disabled = true;
    try {
      // The secret travels only in this body; it is not kept anywhere.
      const s = await api.post('/session', { accessKey, secretKey }, { allow401: true });
      secret.value = '';
      startSession(s);
    } catch (err) {
      secret.value = '';
      submit.disabled = false;
      signInNotice = null;
      showError(area, err.status === 401 ? t('signin.invalid') : err);
      secret.focus();
    }
  });
  const provider = h('div', { class: 'oidc-signin' });
  form.insertBefore(provider, form.querySelector('.field') || null);
  replace(main, h('div', { class: 'view view-narrow' }, form));
  (typedAccessKey ? secret : access).focus();
  showProvider(provider);
}

/** The organisation's identity provider, when the server has one: a button above the key form. */
async function showProvider(slot) {
  if (oidcProvider === undefined) {
    try {
      const res = await fetch('/api/oidc', { credentials: 'same-origin' });
      oidcProvider = res.ok ? await res.json() : null;
    } catch {
      oidcProvider = null;
    }
  }
  if (!oidcProvider || !slot.isConnected) return;
  replace(slot,
    h('a', { class: 'btn oidc-button', href: oidcProvider.login, id: 'oidc-signin',
      text: t('signin.oidc', { name: oidcProvider.name }) }),
    h('p', { class: 'lead', text: t('signin.oidcOr') }));
}

async function signOut() {
  await uploads.cancelAll({ abort: true }); // while the session can still abort them
  try {
    await api.del('/session', { allow401: true });
  } catch {
    // the session is dropped on this side whatever the server says
  }
  endSession();
  showSignIn({ key: 'signin.signedOut', kind: 'info' });
}

// ---- chrome: navigation and the signed-in identity

const NAV = [
  ['buckets', 'nav.buckets', hrefs.buckets],
  ['shares', 'nav.shares', hrefs.shares],
  ['keys', 'nav.keys', hrefs.keys],
  ['audit', 'nav.audit', hrefs.audit],
  ['iam', 'nav.iam', hrefs.iam],
  ['support', 'nav.support', hrefs.support],
];

function renderChrome() {
  if (!session) {
    nav.hidden = true;
    nav.replaceChildren();
    who.replaceChildren();
    return;
  }
  nav.hidden = false;
  nav.setAttribute('aria-label', t('nav.label'));
  replace(nav, h('ul', { class: 'nav-list' },
    NAV.map(([view, key, href]) => h('li', null,
      h('a', { href: href(), class: 'nav-link', dataset: { view }, text: t(key) }))),
    h('li', { class: 'nav-end' },
      h('button', { type: 'button', class: 'btn btn-secondary btn-small', onclick: signOut }, t('nav.signOut')))));
  replace(who,
    h('p', { class: 'who' },
      h('span', { class: 'who-label', text: t('who.tenant') + t('punct.colon') }),
      h('strong', { text: session.tenant ?? '—' }),
      h('span', { class: 'who-sep', 'aria-hidden': 'true', text: ' · ' }),
      h('span', { class: 'who-label', text: t('who.user') + t('punct.colon') }),
      h('strong', { text: session.user ?? session.accessKey ?? '—' })));
}

function markNav(view) {
  const active = ['objects', 'residency'].includes(view) ? 'buckets' : view;
  for (const a of nav.querySelectorAll('a.nav-link')) {
    if (a.dataset.view === active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---- routing

const VIEWS = {
  buckets: (view, route) => renderBuckets(view, ctx, route),
  objects: (view, route) => renderObjects(view, ctx, route),
  residency: (view, route) => renderResidency(view, ctx, route),
  shares: (view, route) => renderShares(view, ctx, route),
  keys: (view, route) => renderKeys(view, ctx, route),
  audit: (view, route) => renderAudit(view, ctx, route),
  iam: (view, route) => renderIam(view, ctx, route),
  support: (view, route) => renderSupport(view, ctx, route),
};

async function renderRoute(focus) {
  if (!session) return;
  let route = parseRoute();
  if (!VIEWS[route.view] || (['objects', 'residency'].includes(route.view) && !route.bucket)) {
    route = { view: 'buckets', bucket: null, prefix: '' };
  }
  markNav(route.view);
  await mountView(main, `view-${route.view}`, (view) => VIEWS[route.view](view, route), focus);
}

// ---- start

function start() {
  return startShell({
    main,
    api,
    sessionPath: '/session',
    onLanguage: () => {
      if (session) {
        renderChrome();
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
