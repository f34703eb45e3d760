// The catalog page: reads catalog.json (written by `make catalog`, see
// cmd/catalog) and shows one entry per divergence class: the cause,
// each model's answer side by side, the real libraries' answers and the
// verdict, the scenario, and a link that opens it in the calculator.
// Filters (model pair, verdict, words) only hide entries, and are kept in the
// query (catalog.html?pair=glibc-vs-musl&q=…); each entry's id is the
// class's id, so catalog.html#<id> links to it.
//
// catalog.json: {seed, n, models: [name...], oracle, entries: [{id, title,
// pair: [a, b], cause_id, cause, count, scenario, fragment, orders: {model:
// answer}, real?: {glibc: answer, musl: answer}, verdict, where}]}, where an
// answer is an array of addresses or {"error": "EAI_..."}.
import { prettyScenario } from './scenario.js';

const $ = (id) => document.getElementById(id);
const el = {
  pair: $('pair'), verdict: $('verdict'), q: $('q'), filters: $('filters'),
  count: $('count'), aboutRun: $('about-run'), loadError: $('load-error'),
  entries: $('entries'), none: $('none'), reset: $('reset'),
};

function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    e.append(kid instanceof Node ? kid : String(kid));
  }
  return e;
}

// The three verdicts cmd/catalog writes: "confirmed: …", "REFUTED: …",
// "not confirmed: …" (the oracle could not run, or failed).
const VERDICTS = [
  { kind: 'confirmed', label: 'confirmed', explain: 'the real libraries answer as the models do' },
  { kind: 'refuted', label: 'refuted', explain: 'a real library answers otherwise than its model' },
  { kind: 'not-confirmed', label: 'not confirmed', explain: 'the real libraries were not asked' },
];

function verdictOf(text) {
  const t = String(text ?? '');
  const lower = t.toLowerCase();
  const kind = lower.startsWith('refuted') ? 'refuted' : lower.startsWith('confirmed') ? 'confirmed' : 'not-confirmed';
  const colon = t.indexOf(': ');
  return { kind, label: VERDICTS.find((v) => v.kind === kind).label, detail: colon >= 0 ? t.slice(colon + 2) : t };
}

// An answer: {order: [...]} or {error: "EAI_..."} (null: none).
function answerOf(a) {
  if (Array.isArray(a)) return { order: a.map(String) };
  if (a && typeof a === 'object' && typeof a.error === 'string') return { error: a.error };
  return null;
}

function sameAnswer(a, b) {
  if (!a || !b) return false;
  if (a.error || b.error) return a.error === b.error;
  return a.order.length === b.order.length && a.order.every((x, i) => x === b.order[i]);
}

function answerText(a) {
  if (!a) return 'no answer';
  if (a.error) return a.error;
  return a.order.length ? a.order.join(', ') : 'no address';
}

function pairKey(pair) { return pair.join('-vs-'); }
function pairLabel(pair) { return pair.join(' vs '); }

let catalog = null;
// One record per entry: {entry, node, pair, verdict, text}.
let rows = [];

// ---- rendering ----

// One answer: a model's or a real library's. `hook` is the test hook
// attribute (data-model or data-real); `other` the answer compared with
// position by position (its rows that differ are marked), named otherName.
function answerCard({ title, sub, answer, hook, name, other, otherName, note, noteClass, muted }) {
  const head = h('h4', { class: 'model-name' }, title, sub ? h('span', { class: 'model-summary' }, sub) : null);
  let body;
  if (!answer) {
    body = h('p', { class: 'help' }, 'no answer recorded');
  } else if (answer.error) {
    body = h('div', { class: 'model-error', [hook]: name },
      h('p', { class: 'eai', 'data-error': answer.error }, h('strong', null, answer.error)));
  } else if (answer.order.length === 0) {
    body = h('ol', { class: 'order', [hook]: name, 'aria-label': `${title}: no address` });
  } else {
    const ref = other && !other.error ? other.order : null;
    body = h('ol', { class: 'order', [hook]: name, 'aria-label': `${title}: order` },
      answer.order.map((addr, i) => {
        const diff = ref !== null && ref[i] !== addr;
        return h('li', { class: 'row' + (diff ? ' differs' : ''), 'data-address': addr },
          h('div', { class: 'addr' }, h('code', null, addr),
            diff ? h('span', { class: 'badge diff' }, h('span', { 'aria-hidden': 'true' }, '≠ '), h('span', { class: 'visually-hidden' }, 'differs from '), otherName) : null));
      }));
  }
  return h('section', { class: 'model cat-card' + (muted ? ' cat-muted' : '') },
    head, body, note ? h('p', { class: 'cat-note ' + (noteClass ?? '') }, note) : null);
}

function renderEntry(e, models) {
  const pair = Array.isArray(e.pair) ? e.pair.map(String) : [];
  const orders = {};
  for (const [m, a] of Object.entries(e.orders ?? {})) orders[m] = answerOf(a);
  const real = {};
  for (const [m, a] of Object.entries(e.real ?? {})) real[m] = answerOf(a);
  const v = verdictOf(e.verdict);
  const id = String(e.id);
  const titleId = `${id}-title`;

  // The pair first, then the other models.
  const names = [...pair, ...models.filter((m) => !pair.includes(m)), ...Object.keys(orders).filter((m) => !pair.includes(m) && !models.includes(m))];
  const modelCards = names.map((m) => {
    const inPair = pair.indexOf(m);
    if (inPair >= 0) {
      const o = pair[1 - inPair];
      return answerCard({ title: m, sub: 'model', answer: orders[m], hook: 'data-model', name: m, other: orders[o], otherName: o });
    }
    const same = pair.filter((p) => sameAnswer(orders[m], orders[p]));
    const note = orders[m] ? (same.length ? `same as ${same.join(' and ')}` : `differs from ${pair.join(' and ')}`) : null;
    return answerCard({ title: m, sub: 'model, not in this pair', answer: orders[m], hook: 'data-model', name: m, note, muted: true });
  });

  const realNames = Object.keys(real);
  const realBlock = realNames.length > 0
    ? h('div', { class: 'columns cat-answers' }, realNames.map((m) => {
      const same = sameAnswer(real[m], orders[m]);
      return answerCard({
        title: `real ${m}`, answer: real[m], hook: 'data-real', name: m,
        note: orders[m] ? (same ? `= the ${m} model` : `≠ the ${m} model, which answers ${answerText(orders[m])}`) : null,
        noteClass: same ? 'cat-same' : 'cat-differs',
      });
    }))
    : h('p', { class: 'help' }, 'The real libraries were not asked for this entry.');

  // As the calculator's JSON editor writes it: one line per interface, address, route.
  const scenarioText = prettyScenario(e.scenario);
  const count = Number(e.count);
  const node = h('article', {
    class: 'entry', id, tabindex: '-1', 'aria-labelledby': titleId,
    'data-pair': pairKey(pair), 'data-verdict': v.kind,
  },
  h('header', { class: 'entry-head' },
    h('h2', { id: titleId, class: 'entry-title' },
      h('span', null, e.title ?? id),
      ' ',
      h('a', { class: 'anchor', href: `#${id}` }, h('span', { 'aria-hidden': 'true' }, '#'), h('span', { class: 'visually-hidden' }, 'link to this entry'))),
    h('p', { class: 'entry-meta' },
      h('span', { class: `badge cat-verdict cat-${v.kind}` }, v.label),
      ' ',
      Number.isFinite(count) ? h('span', null, `in ${count} of ${catalog.n} scenarios`) : null,
      ' · ',
      h('code', { class: 'cause-id' }, e.cause_id ?? ''))),
  h('p', { class: 'cause' }, h('strong', null, 'Cause: '), e.cause ?? ''),
  e.where ? h('p', { class: 'where' }, h('strong', null, 'Where: '), e.where) : null,
  h('h3', { class: 'cat-group' }, 'What the models answer'),
  h('div', { class: 'columns cat-answers' }, modelCards),
  h('h3', { class: 'cat-group' }, 'What the real libraries answer'),
  realBlock,
  h('p', { class: `cat-verdict-line cat-${v.kind}` }, h('strong', null, `Verdict: ${v.label}. `), v.detail),
  h('details', { class: 'cat-scenario' },
    h('summary', null, 'The scenario (JSON)'),
    h('pre', null, h('code', null, scenarioText))),
  h('p', { class: 'cat-open' },
    h('a', { class: 'open-link', href: `index.html#${e.fragment ?? ''}` }, 'Open in the calculator',
      h('span', { class: 'visually-hidden' }, `: ${e.title ?? id}`))));

  const words = [id, e.title, e.cause_id, e.cause, e.where, e.verdict, v.label, pairLabel(pair), scenarioText,
    ...Object.values(orders).map(answerText), ...Object.values(real).map(answerText)];
  return { entry: e, node, pair: pairKey(pair), verdict: v.kind, text: words.join('\n').toLowerCase() };
}

function fillSelect(select, options) {
  select.append(...options.map(([value, label]) => h('option', { value }, label)));
}

function render(cat) {
  catalog = cat;
  const models = Array.isArray(cat.models) ? cat.models.map(String) : [];
  const entries = Array.isArray(cat.entries) ? cat.entries : [];
  rows = entries.map((e) => renderEntry(e, models));
  el.entries.replaceChildren(...rows.map((r) => r.node));

  const pairs = new Map();
  for (const r of rows) {
    if (!pairs.has(r.pair)) pairs.set(r.pair, { label: pairLabel(r.entry.pair ?? []), n: 0 });
    pairs.get(r.pair).n++;
  }
  fillSelect(el.pair, [...pairs].map(([k, p]) => [k, `${p.label} (${p.n})`]));
  fillSelect(el.verdict, VERDICTS.map((v) => [v.kind, `${v.label} (${rows.filter((r) => r.verdict === v.kind).length})`]));
  filtersFromURL();

  const perPair = [...pairs.values()].map((p) => `${p.n} ${p.label}`).join(', ');
  const perVerdict = VERDICTS.map((v) => [v, rows.filter((r) => r.verdict === v.kind).length]).filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v.label} (${v.explain})`).join(', ');
  el.aboutRun.textContent = `${cat.n} random scenarios (seed ${cat.seed}) answered by ${models.join(', ')}: ${rows.length} causes of divergence (${perPair}); ${perVerdict}. Real libraries: ${cat.oracle}.`;
  applyFilters();
}

// ---- filtering ----

function applyFilters() {
  const pair = el.pair.value;
  const verdict = el.verdict.value;
  const words = el.q.value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const r of rows) {
    const ok = (!pair || r.pair === pair) && (!verdict || r.verdict === verdict) && words.every((w) => r.text.includes(w));
    r.node.hidden = !ok;
    if (ok) shown++;
  }
  el.entries.dataset.shown = String(shown);
  const filtered = pair || verdict || words.length;
  el.count.textContent = filtered
    ? `${shown} of ${rows.length} entries shown.`
    : `${rows.length} entries, one per cause of divergence.`;
  el.none.hidden = shown > 0 || rows.length === 0;
}

// The filters live in the query (?pair=…&verdict=…&q=…), so a filtered view
// can be linked; the fragment stays the entry's id.
function filtersToURL() {
  const params = new URLSearchParams();
  if (el.pair.value) params.set('pair', el.pair.value);
  if (el.verdict.value) params.set('verdict', el.verdict.value);
  if (el.q.value.trim()) params.set('q', el.q.value.trim());
  const query = params.toString();
  const url = location.pathname + (query ? '?' + query : '') + location.hash;
  if (url !== location.pathname + location.search + location.hash) history.replaceState(null, '', url);
}

function filtersFromURL() {
  const params = new URLSearchParams(location.search);
  const pick = (select, v) => { if (v && [...select.options].some((o) => o.value === v)) select.value = v; };
  pick(el.pair, params.get('pair'));
  pick(el.verdict, params.get('verdict'));
  el.q.value = params.get('q') ?? '';
}

function onFilter() {
  applyFilters();
  filtersToURL();
}

function resetFilters() {
  el.pair.value = '';
  el.verdict.value = '';
  el.q.value = '';
  applyFilters();
  filtersToURL();
}

// ---- links to an entry ----

function goToHash() {
  let id;
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch {
    return;
  }
  const target = id ? document.getElementById(id) : null;
  for (const c of el.entries.querySelectorAll('.entry.current')) c.classList.remove('current');
  if (!target || !target.classList.contains('entry')) return;
  if (target.hidden) resetFilters();
  target.classList.add('current');
  target.scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
}

// ---- start ----

async function init() {
  el.filters.addEventListener('submit', (e) => e.preventDefault());
  el.filters.addEventListener('input', onFilter);
  el.filters.addEventListener('change', onFilter);
  el.reset.addEventListener('click', () => { resetFilters(); el.q.focus(); });
  window.addEventListener('hashchange', goToHash);
  try {
    const resp = await fetch('catalog.json');
    if (!resp.ok) throw new Error(`catalog.json: HTTP ${resp.status}`);
    render(await resp.json());
  } catch (err) {
    el.count.textContent = 'The catalog could not be loaded.';
    el.loadError.textContent = err.message;
    el.loadError.hidden = false;
    return;
  }
  el.entries.dataset.loaded = 'true';
  performance.mark('gaisort:catalog-rendered');
  if (location.hash.length > 1) goToHash();
}

init();
