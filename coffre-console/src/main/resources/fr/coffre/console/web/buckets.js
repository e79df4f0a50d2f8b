// The buckets view: list (class, encryption, size), creation with a sensitivity class, deletion.
import { t, has } from './i18n.js';
import { h, replace, field, table, messageArea, showError, showStatus, confirmDialog, setTitle, fmtBytes,
  fmtNumber, timeEl, fmtEncryption, announce } from './dom.js';
import { hrefs, bucketPath } from './routes.js';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The tenant's sensitivity classes, fetched once per session. */
export async function loadClasses(ctx) {
  if (!ctx.cache.classes) ctx.cache.classes = await ctx.api.get('/classes');
  return ctx.cache.classes;
}

/** The tenant's buckets (refetched unless `cached` and already known). */
export async function loadBuckets(ctx, cached = false) {
  if (!cached || !ctx.cache.buckets) {
    const answer = await ctx.api.get('/buckets');
    ctx.cache.buckets = (answer && answer.buckets) || [];
  }
  return ctx.cache.buckets;
}

/** "sensitive — 2 copies, 2 sites" (and "(default)"), for the class select. */
function classLabel(c, isDefault) {
  const parts = [c.name];
  if (c.minCopies != null) parts.push(t('class.copies', { n: c.minCopies }));
  if (c.minSites != null) parts.push(t('class.sites', { n: c.minSites }));
  let label = parts.length > 1 ? `${parts[0]} — ${parts.slice(1).join(', ')}` : parts[0];
  if (isDefault) label += ` ${t('class.default')}`;
  if (c.usable === false) label += ` ${t('class.unusable')}`;
  return label;
}

/** What a built-in class means, when it is one of docs/placement.md's; else its key modes. */
export function classDescription(c) {
  if (!c) return '';
  const known = has(`class.desc.${c.name}`) ? t(`class.desc.${c.name}`) : '';
  const modes = Array.isArray(c.keyModes) && c.keyModes.length
    ? t('class.keyModes', { modes: c.keyModes.join(', ') }) : '';
  return [known, modes].filter(Boolean).join(' ');
}

function createForm(ctx, msg, reload) {
  const name = h('input', { type: 'text', name: 'bucket', required: true, autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off', maxlength: '63', pattern: '[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]' });
  const select = h('select', { name: 'class', disabled: true }, h('option', { text: t('common.loading') }));
  const hint = h('p', { class: 'hint', id: 'class-hint', 'aria-live': 'polite' });
  select.setAttribute('aria-describedby', 'class-hint');
  const submit = h('button', { type: 'submit', class: 'btn' }, t('buckets.create'));
  let classes = [];

  loadClasses(ctx).then((answer) => {
    classes = (answer && answer.classes) || [];
    const def = answer && answer.default;
    // A class this server cannot place data in (no allowed volume, or its key mode) is shown, not offered.
    replace(select, classes.map((c) => h('option', { value: c.name, selected: c.name === def,
      disabled: c.usable === false && c.name !== def, text: classLabel(c, c.name === def) })));
    select.disabled = classes.length === 0;
    hint.textContent = classDescription(classes.find((c) => c.name === select.value));
  }).catch((err) => showError(msg, err));
  select.addEventListener('change', () => {
    hint.textContent = classDescription(classes.find((c) => c.name === select.value));
  });

  const form = h('form', { class: 'card form-inline', 'aria-labelledby': 'create-bucket-h' },
    h('h2', { id: 'create-bucket-h', text: t('buckets.createTitle') }),
    h('div', { class: 'form-row' },
      field(t('buckets.name'), name, t('buckets.nameHint')),
      h('div', { class: 'field' }, h('label', { for: 'bucket-class', text: t('buckets.class') }),
        Object.assign(select, { id: 'bucket-class' }), hint),
      h('div', { class: 'field field-action' }, submit)));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = name.value.trim();
    if (!BUCKET_NAME.test(value) || value.includes('..')) {
      showError(msg, t('buckets.nameInvalid'));
      name.focus();
      return;
    }
    submit.disabled = true;
    try {
      await ctx.api.post('/buckets', { name: value, class: select.value || undefined });
      name.value = '';
      showStatus(msg, t('buckets.created', { name: value }));
      await reload();
    } catch (err) {
      showError(msg, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function bucketRow(ctx, b, msg, reload) {
  const del = async () => {
    const ok = await confirmDialog({ title: t('buckets.deleteTitle', { name: b.name }),
      message: t('buckets.deleteMessage'), confirmLabel: t('common.confirm') });
    if (!ok) return;
    try {
      await ctx.api.del(bucketPath(b.name));
      showStatus(msg, t('buckets.deleted', { name: b.name }));
      announce(t('buckets.deleted', { name: b.name }));
      await reload();
    } catch (err) {
      showError(msg, err);
    }
  };
  return h('tr', null,
    h('th', { scope: 'row' }, h('a', { href: hrefs.objects(b.name), text: b.name })),
    h('td', null, b.class ? h('span', { class: 'badge', text: b.class }) : '—'),
    h('td', null, fmtEncryption(b.encryption)),
    h('td', { class: 'num' }, fmtNumber(b.objects)),
    h('td', { class: 'num' }, fmtBytes(b.bytes)),
    h('td', null, timeEl(b.created)),
    h('td', { class: 'row-actions' },
      h('a', { href: hrefs.residency(b.name), class: 'btn btn-secondary btn-small',
        'aria-label': t('buckets.residencyOf', { name: b.name }), text: t('buckets.residency') }),
      h('button', { type: 'button', class: 'btn btn-danger btn-small',
        'aria-label': t('buckets.deleteOf', { name: b.name }), onclick: del }, t('common.delete'))));
}

/** Renders the buckets view into `view`. */
export async function renderBuckets(view, ctx) {
  setTitle(t('buckets.title'));
  const msg = messageArea();
  const listArea = h('div', { class: 'list-area' });

  async function reload() {
    listArea.setAttribute('aria-busy', 'true');
    try {
      const buckets = await loadBuckets(ctx);
      if (buckets.length === 0) {
        replace(listArea, h('p', { class: 'empty', text: t('buckets.none') }));
      } else {
        replace(listArea, table(t('buckets.list'), [t('buckets.col.name'), t('buckets.col.class'),
          t('buckets.col.encryption'), t('buckets.col.objects'), t('buckets.col.size'), t('buckets.col.created'),
          t('common.actions')], buckets.map((b) => bucketRow(ctx, b, msg, reload)), { hideCaption: true }));
      }
    } catch (err) {
      replace(listArea);
      showError(msg, err);
    } finally {
      listArea.removeAttribute('aria-busy');
    }
  }

  replace(view,
    h('h1', { text: t('buckets.title') }),
    msg,
    createForm(ctx, msg, reload),
    h('h2', { text: t('buckets.list') }),
    listArea);
  replace(listArea, h('p', { class: 'loading', text: t('common.loading') }));
  await reload();
}
