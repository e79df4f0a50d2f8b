// The users view ("Utilisateurs et accès"): the tenant's users, their access keys and inline
// policies, and its roles (read only). Each action is the IAM action of the same name on the
// server, so what a user may do here is what `aws iam` lets it do. A new secret is shown once.
import { t } from './i18n.js';
import { h, replace, field, table, messageArea, showError, showStatus, confirmDialog, setTitle, timeEl,
  announce, alertBox } from './dom.js';

const USER_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const POLICY_NAME = /^[A-Za-z0-9+=,.@_-]{1,128}$/;
const EXAMPLE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::BUCKET', 'arn:aws:s3:::BUCKET/*'] }],
}, null, 2);

function userPath(name, ...rest) {
  return ['/iam/users', encodeURIComponent(name), ...rest.map(encodeURIComponent)].join('/');
}

/** Renders the users view into `view`. */
export async function renderIam(view, ctx) {
  setTitle(t('iam.title'));
  const msg = messageArea();
  const secretArea = h('div', { class: 'secret-area' });
  const usersArea = h('div', { class: 'list-area' }, h('p', { class: 'loading', text: t('common.loading') }));
  const rolesArea = h('div', null, h('p', { class: 'loading', text: t('common.loading') }));
  replace(view,
    h('h1', { text: t('iam.title') }),
    h('p', { class: 'lead', text: t('iam.intro') }),
    msg,
    secretArea,
    createForm(),
    h('h2', { text: t('iam.usersTitle') }),
    usersArea,
    h('h2', { text: t('iam.rolesTitle') }),
    rolesArea);

  async function act(fn, done) {
    try {
      await fn();
      showStatus(msg, done);
      announce(done);
      await reload();
      return true;
    } catch (err) {
      showError(msg, err);
      return false;
    }
  }

  function createForm() {
    const name = h('input', { type: 'text', name: 'userName', required: true, autocomplete: 'off',
      spellcheck: 'false', autocapitalize: 'off', maxlength: '64' });
    const submit = h('button', { type: 'submit', class: 'btn' }, t('iam.create'));
    const form = h('form', { class: 'card form-inline', 'aria-labelledby': 'create-user-h' },
      h('h2', { id: 'create-user-h', text: t('iam.createTitle') }),
      h('div', { class: 'form-row' },
        field(t('iam.userName'), name, t('iam.userNameHint')),
        h('div', { class: 'field field-action' }, submit)));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const value = name.value.trim();
      if (!USER_NAME.test(value)) {
        showError(msg, t('iam.userNameInvalid'));
        name.focus();
        return;
      }
      submit.disabled = true;
      if (await act(() => ctx.api.post('/iam/users', { name: value }), t('iam.created', { name: value }))) {
        name.value = '';
      }
      submit.disabled = false;
    });
    return form;
  }

  async function createKey(u, button) {
    button.disabled = true;
    try {
      const k = await ctx.api.post(userPath(u.name, 'access-keys'), {});
      // The secret exists only in this box: leaving the view or reloading drops it.
      replace(secretArea, h('section', { class: 'card secret-once', 'aria-labelledby': 'secret-h' },
        h('h2', { id: 'secret-h', text: t('iam.secretTitle', { name: u.name }) }),
        alertBox(t('iam.secretWarning'), 'warning'),
        h('dl', { class: 'facts' },
          h('dt', { text: t('iam.accessKeyId') }), h('dd', null, h('code', { id: 'new-access-key', text: k.accessKeyId })),
          h('dt', { text: t('iam.secretAccessKey') }), h('dd', null, h('code', { id: 'new-secret-key', text: k.secretAccessKey }))),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn btn-secondary',
          onclick: () => replace(secretArea) }, t('iam.secretDone')))));
      showError(msg, null);
      announce(t('iam.keyCreated'));
      await reload();
      secretArea.querySelector('h2').setAttribute('tabindex', '-1');
      secretArea.querySelector('h2').focus();
    } catch (err) {
      showError(msg, err);
    } finally {
      button.disabled = false;
    }
  }

  async function deleteKey(u, id) {
    const ok = await confirmDialog({ title: t('iam.deleteKeyTitle', { id }), message: t('iam.deleteKeyMessage') });
    if (ok) await act(() => ctx.api.del(userPath(u.name, 'access-keys', id)), t('iam.keyDeleted', { id }));
  }

  async function deleteUser(u) {
    const ok = await confirmDialog({ title: t('iam.deleteTitle', { name: u.name }), message: t('iam.deleteMessage') });
    if (ok) await act(() => ctx.api.del(userPath(u.name)), t('iam.deleted', { name: u.name }));
  }

  async function deletePolicy(u, p) {
    const ok = await confirmDialog({ title: t('iam.deletePolicyTitle', { name: p }), message: t('iam.deletePolicyMessage') });
    if (ok) await act(() => ctx.api.del(userPath(u.name, 'policies', p)), t('iam.policyDeleted', { name: p }));
  }

  function policyForm(u) {
    const name = h('input', { type: 'text', name: 'policyName', required: true, autocomplete: 'off',
      spellcheck: 'false', maxlength: '128' });
    const doc = h('textarea', { name: 'policyDocument', rows: '8', required: true, spellcheck: 'false', class: 'mono' });
    doc.value = EXAMPLE;
    const submit = h('button', { type: 'submit', class: 'btn btn-small' }, t('iam.putPolicy'));
    const form = h('form', { class: 'policy-form' },
      field(t('iam.policyName'), name, t('iam.policyNameHint')),
      field(t('iam.policyDocument'), doc, t('iam.policyDocumentHint')),
      h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const p = name.value.trim();
      if (!POLICY_NAME.test(p)) {
        showError(msg, t('iam.policyNameInvalid'));
        name.focus();
        return;
      }
      submit.disabled = true;
      // The text goes as typed: the server names the place of a mistake in it.
      await act(() => ctx.api.put(userPath(u.name, 'policies', p), { document: doc.value }),
        t('iam.policyPut', { name: p, user: u.name }));
      submit.disabled = false;
    });
    return h('details', { class: 'policy-edit' },
      h('summary', { text: t('iam.policyOf', { name: u.name }) }), form);
  }

  function userRow(u) {
    const keys = u.accessKeys == null ? h('span', { class: 'muted', text: t('iam.notShown') })
      : u.accessKeys.length === 0 ? h('span', { class: 'muted', text: t('iam.noKey') })
        : h('ul', { class: 'plain-list' }, u.accessKeys.map((k) => h('li', null,
          h('code', { text: k.id }), ' ',
          h('span', { class: `badge ${k.status === 'Active' ? 'badge-ok' : 'badge-warn'}`,
            text: t(k.status === 'Active' ? 'iam.active' : 'iam.inactive') }), ' ',
          h('button', { type: 'button', class: 'btn btn-danger btn-small',
            'aria-label': t('iam.deleteKeyOf', { id: k.id }), onclick: () => deleteKey(u, k.id) }, t('iam.deleteKey')))));
    const policies = u.policies == null ? h('span', { class: 'muted', text: t('iam.notShown') })
      : u.policies.length === 0 ? h('span', { class: 'muted', text: t('iam.noPolicy') })
        : h('ul', { class: 'plain-list' }, u.policies.map((p) => h('li', null,
          h('code', { text: p }), ' ',
          h('button', { type: 'button', class: 'btn btn-secondary btn-small',
            'aria-label': t('iam.deletePolicyOf', { name: p, user: u.name }), onclick: () => deletePolicy(u, p) },
          t('iam.deletePolicy')))));
    const newKey = h('button', { type: 'button', class: 'btn btn-small',
      'aria-label': t('iam.createKeyOf', { name: u.name }) }, t('iam.createKey'));
    newKey.addEventListener('click', () => createKey(u, newKey));
    return h('tr', null,
      h('th', { scope: 'row', text: u.name }),
      h('td', null, timeEl(u.created)),
      h('td', null, keys),
      h('td', null, policies, policyForm(u)),
      h('td', { class: 'row-actions' }, newKey,
        h('button', { type: 'button', class: 'btn btn-danger btn-small',
          'aria-label': t('iam.deleteOf', { name: u.name }), onclick: () => deleteUser(u) }, t('iam.delete'))));
  }

  async function reload() {
    usersArea.setAttribute('aria-busy', 'true');
    const [users, roles] = await Promise.allSettled([ctx.api.get('/iam/users'), ctx.api.get('/iam/roles')]);
    usersArea.removeAttribute('aria-busy');
    if (users.status === 'rejected') {
      replace(usersArea, alertBox(errorText(users.reason)));
    } else {
      const list = (users.value && users.value.users) || [];
      replace(usersArea, list.length === 0 ? h('p', { class: 'empty', text: t('iam.none') })
        : table(t('iam.usersTitle'), [t('iam.col.name'), t('iam.col.created'), t('iam.col.keys'),
          t('iam.col.policies'), ''], list.map(userRow), { hideCaption: true }));
    }
    if (roles.status === 'rejected') {
      replace(rolesArea, alertBox(errorText(roles.reason)));
    } else {
      const list = (roles.value && roles.value.roles) || [];
      replace(rolesArea, list.length === 0 ? h('p', { class: 'empty', text: t('iam.noRole') })
        : table(t('iam.rolesTitle'), [t('iam.col.name'), t('iam.col.created'), t('iam.col.maxSession'),
          t('iam.col.trust')], list.map((r) => h('tr', null,
          h('th', { scope: 'row', text: r.name }),
          h('td', null, timeEl(r.created)),
          h('td', { class: 'num', text: String(r.maxSessionSeconds) }),
          h('td', null, h('pre', { class: 'mono wrap', text: pretty(r.trustPolicy) })))), { hideCaption: true }));
    }
  }

  await reload();
}

function errorText(err) {
  return err && err.code === 'AccessDenied' ? t('iam.denied') : (err && err.serverMessage) || t('error.unknown');
}

function pretty(doc) {
  try {
    return JSON.stringify(JSON.parse(doc), null, 2);
  } catch {
    return doc;
  }
}
