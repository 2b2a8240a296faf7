// Real work, shown as what it is (issue 13): a task's inline inputs (a batch of documents as
// readable blocks, a table as a small table, a time series as a chart), the output an agent
// handed in (records and lists as tables, not JSON), its self-check, and what the market's checks
// said of it. The task dialog uses it for live tasks (from the TaskView) and finished ones (from
// the page's own records, while it keeps them); the board asks it for a one-line hint.
//
// The CSV reading and the hints touch no DOM, so node tests import this module directly.

import { h } from './dom.js';
import { bps } from './format.js';

/** The criteria a rejection may cite: each output field, the confidence, each named check. */
export function criterionNames(spec) {
  return [
    ...spec.acceptance.fields.map((f) => `field:${f.name}`),
    'confidence',
    ...spec.acceptance.criteria.map((c) => c.name),
  ];
}

// ---------------------------------------------------------------------------------------------
// Reading inputs

/** RFC 4180 CSV (commas, `"` quotes with `""` inside, newlines inside quotes) → rows of cells. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i += 1) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34) {
        cell += text.slice(start, i);
        if (text.charCodeAt(i + 1) === 34) {
          cell += '"';
          i += 1;
          start = i + 1;
        } else {
          quoted = false;
          start = i + 1;
        }
      }
    } else if (c === 34) {
      cell += text.slice(start, i);
      quoted = true;
      start = i + 1;
    } else if (c === 44) {
      row.push(cell + text.slice(start, i));
      cell = '';
      start = i + 1;
    } else if (c === 10 || c === 13) {
      row.push(cell + text.slice(start, i));
      rows.push(row);
      row = [];
      cell = '';
      if (c === 13 && text.charCodeAt(i + 1) === 10) i += 1;
      start = i + 1;
    }
  }
  if (start < n || cell !== '' || row.length) {
    row.push(cell + text.slice(start));
    rows.push(row);
  }
  return rows;
}

/**
 * Inline text as a table, when it reads as one: a header row of two or more names and every row
 * with as many cells. `{ header, rows }`, or null for anything else (free text, JSON).
 */
export function csvTable(text) {
  if (typeof text !== 'string' || !text.includes(',')) return null;
  const all = parseCsv(text.trim());
  if (all.length < 2) return null;
  const [header, ...rows] = all;
  if (header.length < 2 || header.some((name) => !name.trim())) return null;
  if (rows.some((r) => r.length !== header.length)) return null;
  return { header: header.map((name) => name.trim()), rows };
}

const col = (table, name) => table.header.findIndex((c) => c.toLowerCase() === name);

/** What a table holds, for its wording: documents (a `text` column), borrowers, or rows. */
export function tableKind(table) {
  if (col(table, 'text') >= 0) return 'documents';
  if (col(table, 'borrower_id') >= 0) return 'borrowers';
  return 'rows';
}

const plural = (n, one, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function countText(table) {
  const n = table.rows.length;
  switch (tableKind(table)) {
    case 'documents': return plural(n, 'document');
    case 'borrowers': return plural(n, 'borrower');
    default: return plural(n, 'row');
  }
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', '-']);

/**
 * The column to chart, when the table is a series: one that is not an id or a date, whose
 * present values are numbers (missing ones aside), over at least 20 rows. Its index, or -1.
 */
export function seriesColumn(table) {
  if (table.rows.length < 20) return -1;
  for (let c = table.header.length - 1; c >= 0; c -= 1) {
    const name = table.header[c].toLowerCase();
    if (name === 'row' || name === 'id' || name.endsWith('_id') || name.includes('date')) continue;
    let numbers = 0;
    let other = 0;
    for (const r of table.rows) {
      const v = r[c].trim();
      if (MISSING.has(v.toLowerCase())) continue;
      if (NUMBER.test(v)) numbers += 1;
      else other += 1;
    }
    if (numbers >= 10 && other === 0) return c;
  }
  return -1;
}

// One hint per input text: the board draws 25 rows a frame, and reading a CSV once is enough.
const HINTS = new Map();
const HINTS_MAX = 500;

/** A one-line hint of a text input ("8 documents", "240 rows"), or '' (not a table). */
export function contentHint(text) {
  if (typeof text !== 'string') return '';
  let hint = HINTS.get(text);
  if (hint === undefined) {
    const table = csvTable(text);
    hint = table ? countText(table) : '';
    if (HINTS.size >= HINTS_MAX) HINTS.clear();
    HINTS.set(text, hint);
  }
  return hint;
}

/** The board's hint for a task view: the first visible inline input's size, or ''. */
export function inputHint(view) {
  for (const input of view.inputs ?? []) {
    if (input.content) {
      const hint = contentHint(input.content);
      if (hint) return hint;
    }
  }
  return '';
}

// ---------------------------------------------------------------------------------------------
// Drawing inputs

const ROWS_SHOWN = 12;

/**
 * The inputs of a task as a section: each inline one drawn by kind; references and hidden ones
 * in a line. `highlight(name)` gives the rows of an input to mark (a Set of values of a column:
 * `{ column, values }`), from what the output flags. `hiddenText` says why a hidden input is.
 */
export function inputsView(inputs, { highlight = () => null, hiddenText = 'hidden from you' } = {}) {
  return h('div', { class: 'work-inputs' }, inputs.map((input) => h('div', { class: 'work-input', dataset: { input: input.name } },
    h('h4', { class: 'work-input-name' }, input.name, ' ', h('span', { class: 'muted small', text: `(${input.classification})` })),
    input.content !== null && input.content !== undefined ? contentView(input.content, highlight(input.name))
      : input.uri ? h('p', {}, 'Stored at ', h('code', { text: input.uri }))
        : h('p', { class: 'muted' }, h('em', { text: input.visible === false ? hiddenText : 'no data' })))));
}

/** One inline input: documents, a table (with a chart when it is a series), or plain text. */
export function contentView(text, mark = null) {
  const table = csvTable(text);
  if (!table) return h('pre', { class: 'work-text', tabindex: 0, text });
  if (tableKind(table) === 'documents') return documentsView(table);
  return tableView(table, mark);
}

function documentsView(table) {
  const id = col(table, 'id');
  const type = col(table, 'type');
  const text = col(table, 'text');
  return h('div', {},
    h('p', { class: 'muted small', text: countText(table) }),
    h('div', { class: 'work-documents', tabindex: 0, role: 'region', 'aria-label': 'Documents' },
      table.rows.map((r) => h('article', { class: 'work-document', dataset: { doc: id >= 0 ? r[id] : '' } },
        h('h5', {}, id >= 0 ? r[id] : 'Document', type >= 0 && r[type] ? h('span', { class: 'muted', text: ` · ${r[type]}` }) : null),
        h('pre', { text: r[text] })))));
}

function tableView(table, mark) {
  const series = seriesColumn(table);
  const marked = markedRows(table, mark);
  const wrap = h('div', { class: 'table-wrap work-table', tabindex: 0 });
  const note = h('p', { class: 'muted small' });
  const draw = (all) => {
    const rows = all ? table.rows : table.rows.slice(0, ROWS_SHOWN);
    wrap.classList.toggle('work-table-all', all);
    wrap.replaceChildren(h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, table.header.map((name) => h('th', { scope: 'col', text: name })))),
      h('tbody', {}, rows.map((r) => h('tr', { class: marked.has(r) ? 'marked' : null },
        r.map((cell, c) => h('td', { class: c === series ? 'num' : null, text: cell })))))));
    note.replaceChildren(
      all || table.rows.length <= ROWS_SHOWN ? `${countText(table)}.` : `The first ${ROWS_SHOWN} of ${countText(table)}. `,
      marked.size ? ` Highlighted: ${plural(marked.size, 'row')} the output flags.` : '',
      !all && table.rows.length > ROWS_SHOWN
        ? h('button', { type: 'button', class: 'link', text: `Show all ${table.rows.length.toLocaleString('en-US')}`, onclick: () => draw(true) })
        : null);
  };
  draw(false);
  return h('div', {},
    series >= 0 ? seriesChart(table, series, marked) : null,
    wrap, note);
}

/** The rows whose `mark.column` value is among `mark.values`. */
function markedRows(table, mark) {
  const out = new Set();
  if (!mark) return out;
  const c = col(table, mark.column.toLowerCase());
  if (c < 0) return out;
  for (const r of table.rows) if (mark.values.has(r[c].trim())) out.add(r);
  return out;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

const short = (v) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(+v.toFixed(2)));

/** A line of a series column over the rows: gaps where a value is missing, marked rows as dots. */
function seriesChart(table, c, marked) {
  const values = table.rows.map((r) => {
    const v = r[c].trim();
    return NUMBER.test(v) ? Number(v) : null;
  });
  const known = values.filter((v) => v !== null);
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const W = 600;
  const H = 130;
  const span = hi - lo || 1;
  const x = (i) => ((i / Math.max(1, values.length - 1)) * (W - 8) + 4).toFixed(1);
  const y = (v) => ((1 - (v - lo) / span) * (H - 12) + 6).toFixed(1);
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) { pen = false; return; }
    d += `${pen ? 'L' : 'M'}${x(i)} ${y(v)} `;
    pen = true;
  });
  const missing = values.length - known.length;
  const name = table.header[c];
  const label = `${name} over ${plural(values.length, 'row')}: from ${short(lo)} to ${short(hi)}`
    + `${missing ? `; ${plural(missing, 'value')} missing (gaps in the line)` : ''}`
    + `${marked.size ? `; ${plural(marked.size, 'row')} the output flags, as dots` : ''}.`;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label, class: 'work-chart' });
  const title = svg('title', {});
  title.textContent = label;
  chart.append(title, svg('path', { d: d.trim(), class: 'work-chart-line', 'vector-effect': 'non-scaling-stroke' }));
  values.forEach((v, i) => {
    if (v !== null && marked.has(table.rows[i])) {
      chart.append(svg('line', { x1: x(i), x2: x(i), y1: Number(y(v)) - 5, y2: Number(y(v)) + 5, class: 'work-chart-mark', 'vector-effect': 'non-scaling-stroke' }));
    }
  });
  return h('figure', { class: 'work-figure' },
    h('div', { class: 'work-chart-frame' },
      h('span', { class: 'work-chart-hi', text: short(hi) }), chart, h('span', { class: 'work-chart-lo', text: short(lo) })),
    h('figcaption', { class: 'muted small', text: label }));
}

// ---------------------------------------------------------------------------------------------
// Drawing the work handed in

const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function scalarText(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 4 });
  return v;
}

/** Any output value: scalars plainly, records as a definition list, lists of records as a table. */
export function valueView(v) {
  if (isScalar(v)) {
    if (typeof v === 'string' && (v.length > 90 || v.includes('\n'))) return h('p', { class: 'work-long', text: v });
    if (typeof v === 'string' && v === '') return h('span', { class: 'muted', text: '(empty)' });
    return h('span', { text: scalarText(v) });
  }
  if (Array.isArray(v)) {
    if (!v.length) return h('span', { class: 'muted', text: '(none)' });
    if (v.every(isScalar)) return h('span', { class: 'work-list', text: v.map(scalarText).join(', ') });
    if (v.every(isRecord)) return recordsTable(v);
    return h('ol', { class: 'work-items' }, v.map((item) => h('li', {}, valueView(item))));
  }
  return h('dl', { class: 'work-record' }, Object.entries(v).map(([k, item]) => [h('dt', { text: k }), h('dd', {}, valueView(item))]));
}

function recordsTable(items) {
  const columns = [];
  for (const item of items) for (const k of Object.keys(item)) if (!columns.includes(k)) columns.push(k);
  // What each record is about leads: its id ("DOC-003", "borrower_id") first.
  const isId = (k) => k === 'id' || k.endsWith('_id');
  columns.sort((a, b) => isId(b) - isId(a));
  return h('div', { class: 'table-wrap work-table', tabindex: 0 },
    h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, columns.map((k) => h('th', { scope: 'col', text: k })))),
      h('tbody', {}, items.map((item) => h('tr', {}, columns.map((k) => h('td', {
        class: typeof item[k] === 'number' ? 'num' : typeof item[k] === 'string' && item[k].length > 60 ? 'long' : null,
      }, k in item ? valueView(item[k]) : '')))))));
}

/** An Output (field name → value). */
export function outputView(output) {
  return h('dl', { class: 'work-output' }, Object.entries(output ?? {}).map(([k, v]) => [h('dt', { text: k }), h('dd', {}, valueView(v))]));
}

/** The agent's self-check, in a sentence or three. */
export function selfCheckView(sc) {
  const claimed = sc.criteria_passed ?? [];
  return h('p', { class: 'work-self-check' },
    h('strong', { text: 'Self-check: ' }),
    `${bps(sc.confidence_bps)} confident; claims ${claimed.length ? `these checks pass: ${claimed.join(', ')}` : 'no check passes'}.`,
    sc.notes ? h('span', { class: 'muted', text: ` Notes: “${sc.notes}”` }) : null);
}

/**
 * What the checks said: `{ passed, failed: [{ criterion, reason }], count, names }` as a list of
 * ticks and crosses. `names`: every check's name, when the specification still says them.
 */
export function checksView({ passed, failed = [], count = null, names = null, agreed = null, lead = null }) {
  const failing = new Set(failed.map((f) => f.criterion));
  const ok = names ? names.filter((n) => !failing.has(n)) : [];
  const summary = passed
    ? `All ${count === null ? '' : `${plural(count, 'check')} `}passed.`
    : `${plural(failed.length, 'check')} failed${names ? `, ${ok.length} passed` : ''}.`;
  const line = (good, text) => h('li', { class: good ? 'check-pass' : 'check-fail' },
    h('span', { class: 'check-mark', 'aria-hidden': 'true', text: good ? '✓' : '✗' }),
    h('span', { class: 'visually-hidden', text: good ? 'passed: ' : 'failed: ' }), text);
  return h('div', { class: `work-checks ${passed ? 'work-checks-passed' : 'work-checks-failed'}`, dataset: { passed: String(passed) } },
    h('p', {}, lead ? h('strong', { text: `${lead} ` }) : null, summary),
    h('ul', { class: 'step-checks' },
      failed.map((f) => line(false, `${f.criterion}: ${f.reason}`)),
      ok.map((n) => line(true, n))),
    agreed === null ? null : h('p', { class: agreed ? 'ok-text small' : 'warn-text small',
      text: agreed ? 'The self-check agrees with the checks.' : 'The self-check claims a check that fails: untick it, or fix the work.' }));
}

// ---------------------------------------------------------------------------------------------
// Building output by hand

const TEMPLATE_CATEGORIES = ['document-verification', 'data-analysis', 'customer-outreach'];

/** Whether tasks of `category` come from the market's templates (a draft and a measure exist). */
export function isTemplateCategory(category) {
  return TEMPLATE_CATEGORIES.includes(category);
}

/** Whether an output needs JSON to write (a field is a list or a record). */
export function needsJson(fields) {
  return fields.some((f) => f.kind === 'list' || f.kind === 'record');
}

function exampleFor(check) {
  switch (check.type) {
    case 'OneOf': return check.values[0] ?? '';
    case 'Range': return check.min ?? check.max ?? 0;
    case 'Pattern': return check.pattern.replace(/#/g, '0').replace(/\?/g, 'x').replace(/\*/g, '');
    default: return '';
  }
}

/** The members of a list field's items that the criteria name, with example values. */
function itemMembers(field, criteria) {
  const members = {};
  for (const { check } of criteria) {
    if (check.field !== field) continue;
    if (check.type === 'Each') {
      const inner = check.check;
      if (inner.type === 'SumEquals') {
        members[inner.field] ??= [];
        members[inner.total] ??= 0;
      } else if (inner.field) members[inner.field] ??= exampleFor(inner);
    } else if (check.type === 'ItemsIn' && check.key) members[check.key] ??= '';
    else if (check.type === 'OwnRecordOnly') {
      members[check.key] ??= '';
      members[check.text] ??= '';
    }
  }
  return members;
}

/** A skeleton output for the fields, with one example item per list of records the checks describe. */
export function outputSkeleton(acceptance) {
  const criteria = acceptance.criteria ?? [];
  const out = {};
  for (const f of acceptance.fields ?? []) {
    switch (f.kind) {
      case 'text': out[f.name] = ''; break;
      case 'number':
      case 'integer': out[f.name] = 0; break;
      case 'bool': out[f.name] = false; break;
      case 'record': out[f.name] = {}; break;
      default: {
        const members = itemMembers(f.name, criteria);
        out[f.name] = Object.keys(members).length ? [members] : [];
      }
    }
  }
  return out;
}
