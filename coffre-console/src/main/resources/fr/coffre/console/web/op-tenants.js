// Operator views of tenants: the list with usage and quotas, creation, and one tenant's page with
// its users and quota form.
import { t } from './i18n.js';
import { h, replace, field, table, dl, messageArea, showError, showStatus, setTitle, fmtBytes, fmtNumber,
  fmtDate, timeEl } from './dom.js';
import { mapLimit } from './api.js';

const TENANT_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const UNITS = [['B', 1], ['KiB', 1024], ['MiB', 1024 ** 2], ['GiB', 1024 ** 3], ['TiB', 1024 ** 4]];
const tenantHref = (name) => `#/tenants/${encodeURIComponent(name)}`;
const tenantPath = (name) => `/tenants/${encodeURIComponent(name)}`;

function quotaText(q, kind) {
  const v = q ? q[kind] : null;
  if (v == null) return t('op.quota.none');
  return kind === 'bytes' ? fmtBytes(v) : fmtNumber(v);
}

/** "1.2 GiB of 10 GiB" or just the usage when there is no bound. */
function usageText(usage, quota, kind) {
  if (!usage || usage[kind] == null) return '—';
  const used = kind === 'bytes' ? fmtBytes(usage[kind]) : fmtNumber(usage[kind]);
  return quota && quota[kind] != null ? t('op.usageOf', { used, quota: quotaText(quota, kind) }) : used;
}

function tenantRow(tenant) {
  return h('tr', null,
    h('th', { scope: 'row' }, h('a', { href: tenantHref(tenant.name), text: tenant.name })),
    h('td', { class: 'mono' }, tenant.accountId ?? '—'),
    h('td', { class: 'num' }, usageText(tenant.usage, null, 'bytes')),
    h('td', { class: 'num' }, usageText(tenant.usage, null, 'objects')),
    h('td', { class: 'num' }, quotaText(tenant.quota, 'bytes')),
    h('td', { class: 'num' }, quotaText(tenant.quota, 'objects')),
    h('td', { class: 'num' }, fmtNumber(tenant.buckets)),
    h('td', { class: 'num' }, fmtNumber(tenant.users)),
    h('td', null, timeEl(tenant.created)));
}

/** The tenants list, each completed by GET /tenants/{t} (lists leave usage and counts null). */
export async function renderTenants(view, ctx) {
  setTitle(t('op.tenants.title'));
  const msg = messageArea();
  const listArea = h('div', null, h('p', { class: 'loading', text: t('common.loading') }));
  const name = h('input', { type: 'text', name: 'tenant', required: true, autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off', maxlength: '63' });
  const create = h('button', { type: 'submit', class: 'btn' }, t('op.tenants.create'));
  const form = h('form', { class: 'card form-inline', 'aria-labelledby': 'create-tenant-h' },
    h('h2', { id: 'create-tenant-h', text: t('op.tenants.createTitle') }),
    h('div', { class: 'form-row' },
      field(t('op.tenants.name'), name, t('op.tenants.nameHint')),
      h('div', { class: 'field field-action' }, create)));

  async function reload() {
    listArea.setAttribute('aria-busy', 'true');
    try {
      const answer = await ctx.api.get('/tenants');
      const tenants = (answer && answer.tenants) || [];
      const full = await mapLimit(tenants, 4, (x) => ctx.api.get(tenantPath(x.name)).catch(() => x));
      replace(listArea, tenants.length === 0 ? h('p', { class: 'empty', text: t('op.tenants.none') })
        : table(t('op.tenants.title'), [t('op.tenants.col.name'), t('op.tenants.col.account'),
          t('op.tenants.col.bytes'), t('op.tenants.col.objects'), t('op.tenants.col.quotaBytes'),
          t('op.tenants.col.quotaObjects'), t('op.tenants.col.buckets'), t('op.tenants.col.users'),
          t('op.tenants.col.created')], full.map(tenantRow), { hideCaption: true }));
    } catch (err) {
      replace(listArea);
      showError(msg, err);
    } finally {
      listArea.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = name.value.trim();
    if (!TENANT_NAME.test(value)) {
      showError(msg, t('op.tenants.nameInvalid'));
      name.focus();
      return;
    }
    create.disabled = true;
    try {
      const tenant = await ctx.api.post('/tenants', { name: value });
      name.value = '';
      showStatus(msg, t('op.tenants.created', { name: value, account: (tenant && tenant.accountId) || '—' }));
      await reload();
    } catch (err) {
      showError(msg, err);
    } finally {
      create.disabled = false;
    }
  });

  replace(view,
    h('h1', { text: t('op.tenants.title') }),
    msg,
    form,
    h('h2', { text: t('op.tenants.list') }),
    listArea);
  await reload();
}

/** The largest unit that writes `bytes` exactly, for the quota form. */
function bestUnit(bytes) {
  for (let i = UNITS.length - 1; i > 0; i -= 1) if (bytes % UNITS[i][1] === 0) return UNITS[i];
  return UNITS[0];
}

function quotaForm(ctx, tenant, msg, onSaved) {
  const q = tenant.quota || {};
  const [unitName, factor] = q.bytes != null ? bestUnit(q.bytes) : ['GiB', 1024 ** 3];
  const size = h('input', { type: 'number', name: 'bytes', min: '0', step: 'any', inputmode: 'decimal',
    value: q.bytes != null ? String(q.bytes / factor) : '' });
  const unit = h('select', { name: 'unit' }, UNITS.map(([u]) => h('option', { value: u, selected: u === unitName,
    text: t(`op.unit.${u}`) })));
  const objects = h('input', { type: 'number', name: 'objects', min: '0', step: '1', inputmode: 'numeric',
    value: q.objects != null ? String(q.objects) : '' });
  const save = h('button', { type: 'submit', class: 'btn' }, t('op.quota.save'));
  const form = h('form', { class: 'card', 'aria-labelledby': 'quota-h' },
    h('h2', { id: 'quota-h', text: t('op.quota.title') }),
    h('p', { class: 'hint', text: t('op.quota.hint') }),
    h('div', { class: 'form-row' },
      field(t('op.quota.bytes'), size),
      field(t('op.quota.unit'), unit),
      field(t('op.quota.objects'), objects),
      h('div', { class: 'field field-action' }, save)));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = (UNITS.find(([u]) => u === unit.value) || UNITS[0])[1];
    const bytes = size.value === '' ? null : Math.round(Number(size.value) * f);
    const count = objects.value === '' ? null : Number(objects.value);
    if ((bytes != null && !(bytes >= 0)) || (count != null && !(Number.isInteger(count) && count >= 0))) {
      showError(msg, t('op.quota.invalid'));
      return;
    }
    save.disabled = true;
    try {
      await ctx.api.put(`${tenantPath(tenant.name)}/quota`, { bytes, objects: count });
      showStatus(msg, t('op.quota.saved', { name: tenant.name }));
      await onSaved();
    } catch (err) {
      showError(msg, err);
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

function userRow(u) {
  const keys = Array.isArray(u.accessKeys) ? u.accessKeys : [];
  return h('tr', null,
    h('th', { scope: 'row', text: u.name ?? '—' }),
    h('td', null, h('span', { class: `badge ${u.enabled === false ? 'badge-warn' : 'badge-ok'}`,
      text: u.enabled === false ? t('op.users.disabled') : t('op.users.enabled') })),
    h('td', null, keys.length === 0 ? '—' : h('ul', { class: 'plain-list' }, keys.map((k) => h('li', null,
      h('span', { class: 'mono', text: k.accessKeyId ?? '—' }), ' ',
      h('span', { class: 'muted', text: k.status === 'Active' ? t('op.keys.active') : t('op.keys.inactive') }),
      k.lockedUntil ? h('span', { class: 'badge badge-warn', text: t('op.keys.locked', { date: fmtDate(k.lockedUntil) }) }) : null)))),
    h('td', null, Array.isArray(u.policies) && u.policies.length ? u.policies.join(', ') : '—'),
    h('td', null, timeEl(u.created)));
}

/** One tenant: usage, counts, quota form and users (with their access keys, never secrets). */
export async function renderTenant(view, ctx, name) {
  setTitle(t('op.tenant.title', { name }));
  const msg = messageArea();
  const body = h('div', null, h('p', { class: 'loading', text: t('common.loading') }));
  replace(view,
    h('p', { class: 'back' }, h('a', { href: '#/tenants', text: t('op.tenant.back') })),
    h('h1', { text: t('op.tenant.title', { name }) }),
    msg,
    body);

  async function load() {
    const [tenantResult, usersResult] = await Promise.allSettled([
      ctx.api.get(tenantPath(name)), ctx.api.get(`${tenantPath(name)}/users`)]);
    if (tenantResult.status === 'rejected') {
      replace(body);
      showError(msg, tenantResult.reason);
      return;
    }
    const tenant = tenantResult.value;
    const users = usersResult.status === 'fulfilled' ? ((usersResult.value && usersResult.value.users) || []) : null;
    replace(body,
      dl([
        [t('op.tenants.col.account'), h('span', { class: 'mono', text: tenant.accountId ?? '—' })],
        [t('op.tenants.col.created'), timeEl(tenant.created)],
        [t('op.tenant.usageBytes'), usageText(tenant.usage, tenant.quota, 'bytes')],
        [t('op.tenant.usageObjects'), usageText(tenant.usage, tenant.quota, 'objects')],
        [t('op.tenants.col.buckets'), fmtNumber(tenant.buckets)],
        [t('op.tenants.col.users'), fmtNumber(tenant.users)],
      ]),
      quotaForm(ctx, tenant, msg, load),
      h('h2', { text: t('op.users.title') }),
      users == null ? h('p', { class: 'muted', text: t('op.users.failed') })
        : users.length === 0 ? h('p', { class: 'empty', text: t('op.users.none') })
          : table(t('op.users.title'), [t('op.users.col.name'), t('op.users.col.state'), t('op.users.col.keys'),
            t('op.users.col.policies'), t('op.users.col.created')], users.map(userRow), { hideCaption: true }),
      h('p', { class: 'hint', text: t('op.users.cli') }));
    if (usersResult.status === 'rejected') showError(msg, usersResult.reason);
  }
  await load();
}
