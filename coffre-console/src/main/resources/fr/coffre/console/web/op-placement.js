// Operator views of placement: locations with their volumes (health, capacity) and classes, and the
// scrubber (state, last pass, "Scrub now").
import { t, locale } from './i18n.js';
import { h, replace, table, dl, messageArea, showError, showStatus, setTitle, fmtBytes, fmtNumber, timeEl,
  announce } from './dom.js';

const text = (v) => (v == null || v === '' ? '—' : String(v));

function jurisdiction(j) {
  if (j === 'EU') return t('res.jur.EU');
  if (j === 'NON_EU') return t('res.jur.NON_EU');
  return j == null ? t('res.undeclared') : String(j);
}

function capacity(v) {
  const total = Number(v.totalBytes);
  const free = Number(v.freeBytes);
  if (!Number.isFinite(total) || total <= 0 || !Number.isFinite(free)) return '—';
  const used = Math.max(0, total - free);
  const pct = new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(used / total);
  return h('div', { class: 'capacity' },
    h('meter', { min: '0', max: String(total), value: String(used), low: String(total * 0.75),
      high: String(total * 0.9), optimum: '0', 'aria-label': t('op.loc.usedOn', { name: v.name }) }),
    h('span', { text: t('op.loc.usedPct', { pct, free: fmtBytes(free), total: fmtBytes(total) }) }));
}

function volumeRow(v) {
  return h('tr', null,
    h('th', { scope: 'row', class: 'mono wrap', text: text(v.name) }),
    h('td', null, h('span', { class: `badge ${v.online ? 'badge-ok' : 'badge-bad'}`,
      text: v.online ? t('op.loc.online') : t('op.loc.offline') })),
    h('td', { class: 'num' }, fmtBytes(v.totalBytes)),
    h('td', { class: 'num' }, fmtBytes(v.freeBytes)),
    h('td', null, capacity(v)));
}

function location(l) {
  const volumes = Array.isArray(l.volumes) ? l.volumes : [];
  const offline = volumes.filter((v) => !v.online).length;
  return h('div', { class: 'card location' },
    h('h3', null, text(l.site), offline
      ? h('span', { class: 'badge badge-bad', text: t('op.loc.offlineCount', { n: offline }) }) : null),
    dl([
      [t('res.col.country'), text(l.country)],
      [t('res.col.jurisdiction'), jurisdiction(l.jurisdiction)],
      [t('res.col.operator'), text(l.operator)],
      [t('res.col.qualifications'), Array.isArray(l.qualifications) && l.qualifications.length
        ? l.qualifications.join(', ') : '—'],
    ], 'facts facts-inline'),
    volumes.length === 0 ? h('p', { class: 'muted', text: t('op.loc.noVolumes') })
      : table(t('op.loc.volumesOf', { site: text(l.site) }), [t('op.loc.col.volume'), t('op.loc.col.state'),
        t('op.loc.col.total'), t('op.loc.col.free'), t('op.loc.col.used')], volumes.map(volumeRow),
      { hideCaption: true }));
}

/** Locations and volumes with health and capacity, and the sensitivity classes. */
export async function renderLocations(view, ctx) {
  setTitle(t('op.loc.title'));
  const msg = messageArea();
  const body = h('div', null, h('p', { class: 'loading', text: t('common.loading') }));
  replace(view, h('h1', { text: t('op.loc.title') }), msg, body);
  let p;
  try {
    p = (await ctx.api.get('/placement')) || {};
  } catch (err) {
    replace(body);
    showError(msg, err);
    return;
  }
  const locations = Array.isArray(p.locations) ? p.locations : [];
  const classes = Array.isArray(p.classes) ? p.classes : [];
  const volumes = locations.flatMap((l) => (Array.isArray(l.volumes) ? l.volumes : []));
  const offline = volumes.filter((v) => !v.online).length;
  replace(body,
    offline ? h('div', { class: 'alert alert-warning', role: 'status' },
      h('p', { text: t('op.loc.offlineWarning', { n: offline }) })) : null,
    dl([
      [t('op.loc.operator'), text(p.operator)],
      [t('op.loc.defaultClass'), p.defaultClass ? h('span', { class: 'badge', text: p.defaultClass }) : '—'],
      [t('op.loc.count'), fmtNumber(locations.length)],
      [t('op.loc.volumeCount'), fmtNumber(volumes.length)],
    ]),
    h('h2', { text: t('op.loc.locations') }),
    locations.length ? h('div', { class: 'locations' }, locations.map(location))
      : h('p', { class: 'empty', text: t('op.loc.none') }),
    h('h2', { text: t('op.loc.classes') }),
    classes.length === 0 ? h('p', { class: 'empty', text: '—' })
      : table(t('op.loc.classes'), [t('op.loc.col.class'), t('res.minCopies'), t('res.minSites'),
        t('op.loc.col.keyModes')], classes.map((c) => h('tr', null,
        h('th', { scope: 'row' }, text(c.name), c.name === p.defaultClass
          ? h('span', { class: 'badge', text: t('op.loc.default') }) : null),
        h('td', { class: 'num' }, fmtNumber(c.minCopies)),
        h('td', { class: 'num' }, fmtNumber(c.minSites)),
        h('td', null, Array.isArray(c.keyModes) ? c.keyModes.join(', ') : '—'))), { hideCaption: true }));
}

/** "PT24H" → "24 h", "P1DT30M" → "1 d 30 min"; anything else as it came. */
export function fmtDuration(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(String(iso || ''));
  if (!m || !m.slice(1).some(Boolean)) return iso ? String(iso) : '—';
  const units = t('units.duration').split(',');
  return m.slice(1).map((v, i) => (v ? `${fmtNumber(v)}\u00a0${units[i]}` : null)).filter(Boolean).join(' ');
}

function passFacts(p) {
  return [
    p.started !== undefined ? [t('op.scrub.started'), timeEl(p.started, true)] : null,
    p.finished !== undefined ? [t('op.scrub.finished'), timeEl(p.finished, true)] : null,
    [t('op.scrub.blobs'), fmtNumber(p.blobs)],
    [t('op.scrub.repaired'), fmtNumber(p.repaired)],
    [t('op.scrub.unrepairable'), fmtNumber(p.unrepairable)],
  ];
}

function problems(list) {
  const items = Array.isArray(list) ? list : [];
  return items.length === 0 ? h('p', { class: 'muted', text: t('op.scrub.noProblems') })
    : h('div', null, h('h3', { text: t('op.scrub.problems', { n: items.length }) }),
      h('ul', { class: 'problems mono' }, items.map((x) => h('li', { text: String(x) }))));
}

/** Scrubber state and last pass; "Scrub now" runs a pass and shows what it found. */
export async function renderScrubber(view, ctx) {
  setTitle(t('op.scrub.title'));
  const msg = messageArea();
  const stateArea = h('div', null, h('p', { class: 'loading', text: t('common.loading') }));
  const lastArea = h('div');
  const result = h('div', { class: 'scrub-result' });
  const run = h('button', { type: 'button', class: 'btn' }, t('op.scrub.now'));
  const busy = h('p', { class: 'hint', role: 'status' });

  async function load() {
    try {
      const s = (await ctx.api.get('/scrub')) || {};
      replace(stateArea,
        dl([
          [t('op.scrub.state'), h('span', { class: `badge ${s.running ? 'badge-warn' : 'badge-ok'}`,
            text: s.running ? t('op.scrub.running') : t('op.scrub.idle') })],
          [t('op.scrub.interval'), s.interval ? h('span', null, fmtDuration(s.interval), ' ',
            h('code', { class: 'muted', text: String(s.interval) })) : '—'],
        ]));
      replace(lastArea,
        h('h2', { text: t('op.scrub.last') }),
        s.last ? [dl(passFacts(s.last)), problems(s.last.problems)]
          : h('p', { class: 'empty', text: t('op.scrub.never') }));
    } catch (err) {
      replace(stateArea);
      replace(lastArea);
      showError(msg, err);
    }
  }

  run.addEventListener('click', async () => {
    run.disabled = true;
    run.setAttribute('aria-busy', 'true');
    busy.textContent = t('op.scrub.runningNow');
    showError(msg, null);
    try {
      const r = (await ctx.api.post('/scrub')) || {};
      replace(result, h('h2', { text: t('op.scrub.result') }), dl(passFacts(r)), problems(r.problems));
      showStatus(msg, t('op.scrub.doneNow', { blobs: fmtNumber(r.blobs), repaired: fmtNumber(r.repaired),
        unrepairable: fmtNumber(r.unrepairable) }), r.unrepairable ? 'warning' : 'success');
      announce(t('op.scrub.finishedNow'));
      await load();
    } catch (err) {
      showError(msg, err);
    } finally {
      run.disabled = false;
      run.removeAttribute('aria-busy');
      busy.textContent = '';
    }
  });

  replace(view,
    h('h1', { text: t('op.scrub.title') }),
    h('p', { class: 'lead', text: t('op.scrub.intro') }),
    msg,
    stateArea,
    h('div', { class: 'actions' }, run, busy),
    result,
    lastArea);
  await load();
}
