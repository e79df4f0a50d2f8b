// The residency view of a bucket: its sensitivity class and the signed residency report
// (docs/placement.md, format coffre-residency-report/1): where every copy of every object is,
// whether that complies with the class, totals and the summary. Fields this page does not know
// stay readable in the raw signed report below the tables.
import { t } from './i18n.js';
import { h, replace, dl, table, messageArea, showError, setTitle, fmtBytes, fmtNumber, timeEl } from './dom.js';
import { hrefs, bucketPath } from './routes.js';
import { loadClasses, classDescription } from './buckets.js';

const MAX_OBJECTS = 500;
let objectUrl = null;

const text = (v) => (v == null || v === '' ? '—' : String(v));
const list = (v) => (Array.isArray(v) ? (v.length ? v.join(', ') : '—') : text(v));

function jurisdiction(j) {
  if (j === 'EU') return t('res.jur.EU');
  if (j === 'NON_EU') return t('res.jur.NON_EU');
  return j == null ? t('res.undeclared') : String(j);
}

/** A country as the report names it; the report counts copies on undeclared sites under "undeclared". */
function country(c) {
  return c == null || c === 'undeclared' ? t('res.undeclared') : String(c);
}

/**
 * The summary in the page's language, from the report's figures. The report's own `summary` is
 * English (it is signed as written, for an auditor); it stays readable in the raw report below.
 */
function summaryText(r, bucket, objects) {
  const totals = r.totals || {};
  const count = totals.objects ?? objects.length;
  const bad = totals.nonCompliantObjects ?? objects.filter((o) => o.compliant === false).length;
  const params = { count, total: fmtNumber(count), bad: fmtNumber(bad), bucket, class: r.class ?? '—' };
  if (!count) return t('res.summary.empty', params);
  return r.compliant ? t('res.summary.ok', params) : t('res.summary.bad', params);
}

function verdict(r, bucket, objects) {
  if (typeof r.compliant !== 'boolean') return null;
  return h('div', { class: `alert ${r.compliant ? 'alert-success' : 'alert-warning'}` },
    h('p', null, h('strong', { text: r.compliant ? t('res.compliant') : t('res.notCompliant') })),
    h('p', { class: 'res-summary', text: summaryText(r, bucket, objects) }));
}

function countsTable(caption, headerKey, counts, label = text) {
  const entries = Object.entries(counts || {});
  if (!entries.length) return null;
  return table(caption, [t(headerKey), t('res.col.copies')], entries.map(([k, n]) => h('tr', null,
    h('th', { scope: 'row', text: label(k) }), h('td', { class: 'num' }, fmtNumber(n)))), { className: 'compact' });
}

/** The copies of an object. */
function copiesOf(o) {
  // Report format 2 lists an object's copies (volumes holding all its blobs, i.e. every part);
  // flattening per-blob copies counted each part of a multipart object as a copy.
  if (Array.isArray(o.copies)) return o.copies;
  if (Array.isArray(o.blobs)) return o.blobs.flatMap((b) => (Array.isArray(b.copies) ? b.copies : []));
  return [];
}

function objectGroup(o) {
  const copies = copiesOf(o);
  const problems = Array.isArray(o.problems) ? o.problems : [];
  const rows = Math.max(1, copies.length);
  const ok = o.compliant;
  const head = [
    h('th', { scope: 'rowgroup', rowspan: String(rows), class: 'wrap' },
      h('span', { class: 'mono', text: text(o.key) }),
      o.size != null ? h('span', { class: 'muted block', text: fmtBytes(o.size) }) : null),
  ];
  const tail = h('td', { rowspan: String(rows) }, typeof ok === 'boolean'
    ? h('span', { class: `badge ${ok ? 'badge-ok' : 'badge-warn'}`, text: ok ? t('res.ok') : t('res.problem') }) : '—');
  const cells = (c) => [
    h('td', { class: 'mono wrap', text: text(c.volume) }),
    h('td', null, text(c.site)),
    h('td', null, c.site != null ? country(c.country) : '—'),
    h('td', null, jurisdiction(c.jurisdiction)),
    h('td', null, text(c.operator)),
    h('td', null, list(c.qualifications)),
  ];
  const trs = copies.length
    ? copies.map((c, i) => h('tr', null, i === 0 ? head : null, cells(c), i === 0 ? tail : null))
    : [h('tr', null, head, h('td', { colspan: '6', class: 'muted', text: t('res.noCopy') }), tail)];
  if (problems.length) {
    trs.push(h('tr', { class: 'problems-row' }, h('td', { colspan: '8' },
      h('p', { class: 'problems-title', text: t('res.problems') }),
      h('ul', null, problems.map((p) => h('li', { text: String(p) }))))));
  }
  return h('tbody', null, trs);
}

function objectsTable(objects) {
  const shown = objects.slice(0, MAX_OBJECTS);
  return [
    h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'residency-table' },
      h('caption', { class: 'sr-only', text: t('res.objectsCaption') }),
      h('thead', null, h('tr', null, [t('res.col.object'), t('res.col.volume'), t('res.col.site'), t('res.col.country'),
        t('res.col.jurisdiction'), t('res.col.operator'), t('res.col.qualifications'), t('res.col.compliance')]
        .map((x) => h('th', { scope: 'col', text: x })))),
      shown.map(objectGroup))),
    objects.length > MAX_OBJECTS
      ? h('p', { class: 'hint', text: t('res.truncated', { shown: fmtNumber(MAX_OBJECTS), total: fmtNumber(objects.length) }) })
      : null,
  ];
}

function signedReportLinks(raw, bucket) {
  if (objectUrl) URL.revokeObjectURL(objectUrl);
  objectUrl = URL.createObjectURL(new Blob([raw], { type: 'application/json' }));
  return h('p', null, h('a', { href: objectUrl, download: `residency-${bucket}.json`, class: 'btn btn-secondary',
    text: t('res.save') }));
}

/** Renders the residency view of route.bucket into `view`. */
export async function renderResidency(view, ctx, route) {
  const bucket = route.bucket;
  setTitle(t('res.title', { bucket }));
  const msg = messageArea();
  const body = h('div', null, h('p', { class: 'loading', text: t('common.loading') }));
  replace(view,
    h('p', { class: 'back' }, h('a', { href: hrefs.buckets(), text: t('res.back') })),
    h('h1', { text: t('res.title', { bucket }) }),
    h('p', { class: 'lead', text: t('res.intro') }),
    msg,
    body);

  let raw;
  let doc;
  try {
    raw = await ctx.api.get(`${bucketPath(bucket)}/residency`, { text: true });
    doc = JSON.parse(raw);
  } catch (err) {
    replace(body);
    showError(msg, err.code ? err : t('error.MalformedAnswer'));
    return;
  }
  const r = doc && typeof doc.report === 'object' && doc.report ? doc.report : (doc || {});
  let cls = null;
  try {
    const classes = await loadClasses(ctx);
    cls = ((classes && classes.classes) || []).find((c) => c.name === r.class) || null;
  } catch {
    // the class's description is a help, not the report
  }
  const totals = r.totals || {};
  const objects = Array.isArray(r.objects) ? r.objects : [];
  replace(body,
    verdict(r, bucket, objects),
    h('h2', { text: t('res.classTitle') }),
    dl([
      [t('res.class'), r.class ? h('span', { class: 'badge', text: r.class }) : '—'],
      cls ? [t('res.classRules'), classDescription(cls) || '—'] : null,
      cls && cls.minCopies != null ? [t('res.minCopies'), fmtNumber(cls.minCopies)] : null,
      cls && cls.minSites != null ? [t('res.minSites'), fmtNumber(cls.minSites)] : null,
      [t('res.generated'), timeEl(r.generatedAt, true)],
      r.tenant ? [t('res.tenant'), r.tenant] : null,
      [t('res.objects'), fmtNumber(totals.objects ?? objects.length)],
      totals.copies != null ? [t('res.copies'), fmtNumber(totals.copies)] : null,
      totals.nonCompliantObjects != null ? [t('res.nonCompliant'), fmtNumber(totals.nonCompliantObjects)] : null,
      doc.algorithm ? [t('res.signature'), `${doc.algorithm}${doc.signature ? ` — ${t('res.signed')}` : ''}`] : null,
    ], 'facts facts-inline'),
    h('div', { class: 'two-col' },
      countsTable(t('res.bySite'), 'res.col.site', totals.copiesBySite),
      countsTable(t('res.byCountry'), 'res.col.country', totals.copiesByCountry, country)),
    h('h2', { text: t('res.copiesTitle') }),
    objects.length ? objectsTable(objects) : h('p', { class: 'empty', text: t('res.noObjects') }),
    h('h2', { text: t('res.signedTitle') }),
    h('p', { text: t('res.verifyHint') }),
    signedReportLinks(raw, bucket),
    h('details', { class: 'raw' }, h('summary', { text: t('res.raw') }), h('pre', { class: 'mono', text: raw })));
}
