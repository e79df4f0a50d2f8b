// The support view: the windows in which the tenant lets the operator manage its identities
// (docs/identities.md, "Operators and tenant consent"). Its admin opens and revokes them; everyone
// in the tenant sees them.
import { t } from './i18n.js';
import { h, replace, table, messageArea, showError, showStatus, setTitle, timeEl, announce, field } from './dom.js';

const SCOPES = ['users', 'access-keys', 'policies'];

function state(w) {
  if (w.open) return h('span', { class: 'badge badge-warn', text: t('support.state.open') });
  return h('span', { class: 'badge', text: w.revoked ? t('support.state.revoked') : t('support.state.expired') });
}

/** Renders the support view into `view`. */
export async function renderSupport(view, ctx) {
  setTitle(t('support.title'));
  const msg = messageArea();
  const listArea = h('div', { class: 'list-area' }, h('p', { class: 'loading', text: t('common.loading') }));
  const formArea = h('div');
  replace(view,
    h('h1', { text: t('support.title') }),
    h('p', { class: 'lead', text: t('support.intro') }),
    msg,
    formArea,
    h('h2', { text: t('support.listTitle') }),
    listArea);

  async function revoke(w, button) {
    button.disabled = true;
    try {
      await ctx.api.del(`/support-windows/${encodeURIComponent(w.id)}`);
      showStatus(msg, t('support.revoked'));
      announce(t('support.revoked'));
      await reload();
    } catch (err) {
      button.disabled = false;
      showError(msg, err);
    }
  }

  function openForm() {
    const boxes = SCOPES.map((s) => h('input', { type: 'checkbox', name: 'scope', value: s, id: `scope-${s}` }));
    const minutes = h('input', { type: 'number', name: 'minutes', min: '1', max: '10080', value: '60', required: true });
    const submit = h('button', { type: 'submit', class: 'btn' }, t('support.open'));
    const form = h('form', { class: 'card' },
      h('h2', { text: t('support.openTitle') }),
      h('fieldset', null,
        h('legend', { text: t('support.scope') }),
        SCOPES.map((s, i) => h('div', { class: 'check' }, boxes[i],
          h('label', { for: `scope-${s}`, text: t(`support.scope.${s}`) })))),
      field(t('support.minutes'), minutes, t('support.minutesHint')),
      h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const scope = boxes.filter((b) => b.checked).map((b) => b.value);
      submit.disabled = true;
      try {
        await ctx.api.post('/support-windows', { scope, minutes: Number(minutes.value) });
        showStatus(msg, t('support.opened'));
        announce(t('support.opened'));
        await reload();
      } catch (err) {
        showError(msg, err);
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  async function reload() {
    listArea.setAttribute('aria-busy', 'true');
    try {
      const answer = (await ctx.api.get('/support-windows')) || {};
      const windows = answer.windows || [];
      replace(formArea, answer.tenantAdmin ? openForm()
        : h('p', { class: 'muted', text: t(answer.consentRequired ? 'support.notAdmin' : 'support.notRequired') }));
      replace(listArea, windows.length === 0
        ? h('p', { class: 'empty', text: t('support.none') })
        : table(t('support.listTitle'), [t('support.col.scope'), t('support.col.openedBy'), t('support.col.opened'),
          t('support.col.expires'), t('support.col.state'), ''], windows.map((w) => {
          let action = null;
          if (w.open && answer.tenantAdmin) {
            action = h('button', { type: 'button', class: 'btn btn-danger btn-small' }, t('support.revoke'));
            action.addEventListener('click', () => revoke(w, action));
          }
          return h('tr', null,
            h('th', { scope: 'row', text: w.scope.map((s) => t(`support.scope.${s}`)).join(', ') }),
            h('td', null, w.openedBy),
            h('td', null, timeEl(w.opened)),
            h('td', null, timeEl(w.expires)),
            h('td', null, state(w)),
            h('td', { class: 'row-actions' }, action));
        }), { hideCaption: true }));
    } catch (err) {
      replace(listArea);
      showError(msg, err);
    } finally {
      listArea.removeAttribute('aria-busy');
    }
  }

  await reload();
}
