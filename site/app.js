// The calculator: the form's state, the engine call on every change, the
// answer's rendering, the share link. No framework; the engine is the
// gaisort package (bindings/js) over gaisort.wasm.
import { load } from './gaisort/index.js';
import { PRESETS, DEFAULT_PRESET } from './presets.js';
import {
  simpleScenario, simpleHostText, questionFields, questionFits, splitLines, lineNumbers, prettyScenario,
  fragmentFor, readFragment, keyFields, scopeName, placeError,
} from './scenario.js';

const $ = (id) => document.getElementById(id);
const el = {
  preset: $('preset'), presetExplain: $('preset-explain'),
  modeSimple: $('mode-simple'), modeAdvanced: $('mode-advanced'),
  simpleBox: $('simple-box'), advancedBox: $('advanced-box'),
  addresses: $('addresses'), routesView: $('routes-view'), json: $('json'),
  destinations: $('destinations'), family: $('family'), gai: $('gai'),
  flags: [...document.querySelectorAll('input[name="flag"]')],
  summary: $('summary'), columns: $('columns'), generalError: $('general-error'),
  copy: $('copy'), link: $('link'), copyStatus: $('copy-status'), version: $('version'),
  form: $('inputs'), results: $('results'),
};
const errorBoxes = {
  addresses: $('addresses-error'), json: $('json-error'), destinations: $('destinations-error'),
  gai: $('gai-error'), hints: $('hints-error'), general: $('general-error'),
};
const fieldOf = { addresses: el.addresses, json: el.json, destinations: el.destinations, gai: el.gai, hints: el.family };

const DEBOUNCE_MS = 15;
let engine = null;
let loadError = '';
let retried = false;
let timer = 0;
let computes = 0;
let firstAnswer = false;
// The scenario object of the advanced mode (the JSON editor's parsed text),
// or null while that text does not parse.
let advancedObj = null;

// ---- the form <-> the scenario ----

function advanced() { return el.modeAdvanced.checked; }

function question() {
  return questionFields({
    destinations: el.destinations.value,
    gaiConf: el.gai.value,
    family: el.family.value,
    flags: el.flags.filter((f) => f.checked).map((f) => f.value),
  });
}

// Fills the question fields (destinations, gai.conf, hints) from a scenario object.
function setQuestion(sc) {
  const d = Array.isArray(sc.destinations) ? sc.destinations.map(String).join('\n') : '';
  el.destinations.value = d;
  el.gai.value = typeof sc.gai_conf === 'string' ? sc.gai_conf : '';
  const h = sc.hints && typeof sc.hints === 'object' ? sc.hints : {};
  el.family.value = ['unspec', 'inet', 'inet6'].includes(h.family) ? h.family : 'unspec';
  const flags = Array.isArray(h.flags) ? h.flags : [];
  for (const f of el.flags) f.checked = flags.includes(f.value);
}

function setMode(adv) {
  el.modeAdvanced.checked = adv;
  el.modeSimple.checked = !adv;
  el.advancedBox.hidden = !adv;
  el.simpleBox.hidden = adv;
  document.querySelector('main').classList.toggle('wide', adv);
}

// Shows a whole scenario object in the form, in the simple mode when it can.
function showScenario(sc, preferAdvanced) {
  const hostText = simpleHostText(sc);
  if (sc && typeof sc === 'object' && !Array.isArray(sc)) setQuestion(sc);
  if (hostText !== null && questionFits(sc) && !preferAdvanced) {
    el.addresses.value = hostText;
    setMode(false);
    advancedObj = null;
  } else {
    el.json.value = prettyScenario(sc);
    advancedObj = sc;
    setMode(true);
  }
}

// The scenario to answer, with what is needed to place errors:
// {scenario, hostLines, destLines, local: [{field, message}]}.
function currentScenario() {
  const destLines = lineNumbers(el.destinations.value);
  if (!advanced()) {
    const { scenario, host } = simpleScenario(el.addresses.value, question());
    const local = host.errors.map((e) => ({ field: 'addresses', message: `line ${e.line}: ${e.message}` }));
    return { scenario, hostLines: host.lines, destLines, local };
  }
  if (advancedObj === null) {
    return { scenario: null, destLines, local: [{ field: 'json', message: jsonError }] };
  }
  return { scenario: advancedObj, destLines, local: [] };
}

let jsonError = '';
function parseJSONEditor() {
  try {
    const obj = JSON.parse(el.json.value);
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('a scenario is a JSON object ({"version": 1, ...})');
    advancedObj = obj;
    jsonError = '';
  } catch (err) {
    advancedObj = null;
    jsonError = `not valid JSON: ${err.message}`;
  }
}

// ---- events ----

function schedule() {
  retried = false;
  clearTimeout(timer);
  timer = setTimeout(compute, DEBOUNCE_MS);
}

function onInput(ev) {
  const t = ev.target;
  if (advanced()) {
    if (t === el.json) {
      parseJSONEditor();
      if (advancedObj !== null) setQuestion(advancedObj);
    } else if (t !== el.preset && !t.name?.startsWith('mode')) {
      // A question field changed: write it into the JSON document.
      if (advancedObj !== null) {
        const q = question();
        for (const k of ['destinations', 'gai_conf', 'hints']) delete advancedObj[k];
        const { version, interfaces, routes, ...rest } = advancedObj;
        advancedObj = { version, interfaces, routes, ...q, ...rest };
        for (const k of Object.keys(advancedObj)) if (advancedObj[k] === undefined) delete advancedObj[k];
        el.json.value = prettyScenario(advancedObj);
      }
    }
  }
  schedule();
}

function onMode() {
  const wantAdvanced = el.modeAdvanced.checked;
  if (wantAdvanced) {
    const { scenario } = simpleScenario(el.addresses.value, question());
    el.json.value = prettyScenario(scenario);
    advancedObj = scenario;
    jsonError = '';
    setMode(true);
  } else {
    const text = advancedObj === null ? null : simpleHostText(advancedObj);
    if (text === null) {
      const ok = window.confirm('The simple mode shows one interface (eth0) and infers its routes: this host has more than that (or its JSON does not parse). Switch and keep only the addresses of eth0?');
      if (!ok) { setMode(true); return; }
      const eth0 = advancedObj?.interfaces?.find?.((i) => i && i.name === 'eth0');
      el.addresses.value = (eth0?.addresses ?? []).map((a) => a.cidr + (a.deprecated ? ' deprecated' : '') + (a.home ? ' home' : '')).join('\n');
    } else {
      el.addresses.value = text;
    }
    setMode(false);
  }
  schedule();
}

function onPreset() {
  const p = PRESETS.find((x) => x.id === el.preset.value);
  if (!p) return;
  showScenario(structuredClone(p.scenario), false);
  el.presetExplain.textContent = p.explain;
  compute();
}

// ---- the answer ----

function clearErrors() {
  for (const [k, box] of Object.entries(errorBoxes)) {
    box.hidden = true;
    box.textContent = '';
    fieldOf[k]?.removeAttribute('aria-invalid');
  }
}

function showError(field, message) {
  const box = errorBoxes[field] ?? errorBoxes.general;
  box.textContent = box.textContent ? box.textContent + ' ' + message : message;
  box.hidden = false;
  fieldOf[field]?.setAttribute('aria-invalid', 'true');
}

function compute() {
  clearTimeout(timer);
  const t0 = performance.now();
  clearErrors();
  const cur = currentScenario();
  if (!advanced()) el.routesView.textContent = routesText(cur.scenario.routes);
  if (cur.local.length > 0) {
    for (const e of cur.local) showError(e.field, e.message);
    stale('The input has an error (marked next to the field); the answer below is for the last valid input.');
    return;
  }
  if (engine === null) {
    if (loadError) showError('general', loadError);
    return;
  }
  let answer;
  try {
    answer = engine.sort(cur.scenario, linkModels ? { models: linkModels } : undefined);
  } catch (err) {
    // A trap discarded the instance; the binding makes a fresh one: try
    // once more, a moment later.
    if (err.code === 'trap' && !retried) {
      retried = true;
      setTimeout(compute, 50);
      return;
    }
    const path = err.path ?? '';
    const where = placeError(path, advanced(), cur.hostLines, cur.destLines);
    let msg = err.message;
    if (where.line !== undefined) msg = `line ${where.line}: ${msg}`;
    else if (path && where.field !== 'json') msg = `${path}: ${msg}`;
    else if (path) msg = `${path}: ${msg}`;
    showError(where.field, msg);
    stale('The input has an error (marked next to the field); the answer below is for the last valid input.');
    return;
  }
  retried = false;
  render(answer.results);
  updateLink(cur.scenario);
  syncPreset(cur.scenario);
  computes++;
  el.columns.dataset.computes = String(computes);
  const ms = performance.now() - t0;
  el.columns.dataset.ms = ms.toFixed(2);
  el.columns.dataset.at = performance.now().toFixed(2);
  if (!firstAnswer) {
    firstAnswer = true;
    performance.mark('gaisort:first-answer');
  }
}

function stale(text) {
  el.columns.classList.add('stale');
  el.summary.textContent = text;
}

function routesText(routes) {
  if (!routes || routes.length === 0) return 'Routes: none besides the connected ones.';
  return 'Routes: ' + routes.map((r) => `${r.to}${r.via ? ' via ' + r.via : ''} dev ${r.dev}`).join('; ') + '.';
}

function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    e.append(kid instanceof Node ? kid : String(kid));
  }
  return e;
}

const ERRORS = {
  EAI_NONAME: 'no address is left: the hints (family, AI_ADDRCONFIG) removed them all, or there were none',
  EAI_ADDRFAMILY: 'the name has no address of the requested family',
  EAI_FAMILY: 'the family is not supported',
  EAI_AGAIN: 'a temporary failure in name resolution',
  EAI_FAIL: 'a permanent failure in name resolution',
  EAI_NODATA: 'the name has no address',
  EAI_SYSTEM: 'a system error',
  EAI_MEMORY: 'out of memory',
};

function family(a) { return a.includes(':') && !a.startsWith('::ffff:') ? 'IPv6' : 'IPv4'; }

function render(results) {
  el.columns.classList.remove('stale');
  const first = results[0];
  const ref = first && !first.error ? first.order : null;
  const cols = results.map((r) => renderModel(r, r === first ? null : ref, first?.model));
  el.columns.replaceChildren(...cols);
  el.summary.textContent = summarize(results);
  // gai.conf's lint warnings (with a line) also go under the gai.conf box.
  const seen = new Set();
  const lint = [];
  for (const r of results) {
    for (const n of r.notes ?? []) {
      const k = `${n.line}\u0000${n.text}`;
      if (!n.line || seen.has(k)) continue;
      seen.add(k);
      lint.push(h('li', null, `line ${n.line}: ${n.text}`));
    }
  }
  const box = document.getElementById('gai-notes');
  box.replaceChildren(...lint);
  box.hidden = lint.length === 0;
}

function summarize(results) {
  const parts = results.map((r) => {
    if (r.error) return `${r.model}: ${r.error}`;
    if (r.order.length === 0) return `${r.model}: no address`;
    return `${r.model} tries ${r.order[0]} (${family(r.order[0])}) first`;
  });
  const orders = results.map((r) => r.error ?? r.order.join(' '));
  const agree = orders.every((o) => o === orders[0]);
  return (results.length > 1 ? (agree ? 'All models agree. ' : 'The models disagree. ') : '') + parts.join('; ') + '.';
}

function renderModel(r, ref, refName) {
  const head = h('h3', { class: 'model-name' }, r.model, summaryOf(r.model) ? h('span', { class: 'model-summary' }, summaryOf(r.model)) : null);
  const notes = (r.notes ?? []).length > 0
    ? h('ul', { class: 'notes', 'aria-label': `${r.model} notes` }, r.notes.map((n) => h('li', { class: 'note note-' + n.kind }, n.line ? `gai.conf line ${n.line}: ` : '', n.text)))
    : null;
  if (r.error) {
    return h('section', { class: 'model', 'aria-label': r.model },
      head,
      h('div', { class: 'model-error', 'data-model': r.model },
        h('p', { class: 'eai', 'data-error': r.error }, h('strong', null, r.error), ': ', ERRORS[r.error] ?? 'getaddrinfo failed')),
      notes);
  }
  let differs = 0;
  const rows = r.order.map((addr, i) => {
    const d = r.dests?.[i] ?? {};
    const diff = ref !== null && ref[i] !== addr;
    if (diff) differs++;
    const why = r.decided?.[i]?.why;
    return h('li', { class: 'row' + (diff ? ' differs' : '') + (d.usable === false ? ' unusable' : ''), 'data-address': addr },
      h('div', { class: 'addr' },
        h('code', null, addr),
        diff ? h('span', { class: 'badge diff' }, '≠ ', refName) : null,
        d.usable === false ? h('span', { class: 'badge bad' }, 'unreachable', d.unreachable ? ` (${d.unreachable})` : '') : null),
      destMeta(d),
      d.key ? keyDetails(d.key) : null,
      why ? h('p', { class: 'why' }, h('span', { class: 'arrow', 'aria-hidden': 'true' }, '↓ '), h('span', { class: 'visually-hidden' }, 'Before the next: '), why) : null);
  });
  const list = h('ol', { class: 'order', 'data-model': r.model, 'aria-label': `${r.model} order` }, rows);
  const status = ref === null ? null : h('p', { class: 'diffcount' + (differs ? ' has-diff' : '') },
    differs ? `${differs} position${differs > 1 ? 's differ' : ' differs'} from ${refName}` : `same order as ${refName}`);
  return h('section', { class: 'model', 'aria-label': r.model }, head, status, list, notes);
}

function destMeta(d) {
  const bits = [];
  if (d.source) bits.push(h('span', null, 'from ', h('code', null, d.source), d.source_prefix_len !== undefined ? `/${d.source_prefix_len}` : '', d.source_deprecated ? ' (deprecated)' : '', d.source_home ? ' (home)' : ''));
  if (d.interface) bits.push(h('span', null, 'on ', h('code', null, d.interface)));
  if (d.dest_scope !== undefined) bits.push(h('span', null, 'scope ', scopeName(d.dest_scope), d.source_scope !== undefined && d.source_scope !== d.dest_scope ? ` (source ${scopeName(d.source_scope)})` : ''));
  if (d.dest_label !== undefined) bits.push(h('span', null, `label ${d.dest_label}`, d.source_label !== undefined ? (d.source_label === d.dest_label ? ' = source' : ` ≠ source ${d.source_label}`) : ''));
  if (d.precedence !== undefined) bits.push(h('span', null, `precedence ${d.precedence}`));
  if (d.match_len !== undefined) bits.push(h('span', null, `common prefix ${d.match_len}`));
  if (bits.length === 0) return null;
  return h('p', { class: 'meta' }, bits.flatMap((b, i) => (i ? [' · ', b] : [b])));
}

function keyDetails(hex) {
  const f = keyFields(hex);
  if (!f) return null;
  return h('details', { class: 'key' },
    h('summary', null, 'musl key ', h('code', null, hex)),
    h('ul', { class: 'keyfields' }, f.map((x) => h('li', null,
      h('strong', null, x.name), ' ', h('span', { class: 'bits' }, `${x.bits.includes('–') ? 'bits' : 'bit'} ${x.bits}`), ' = ', h('code', null, String(x.value)), ': ', x.means))),
    h('p', { class: 'help' }, 'musl sorts by this key, largest first.'));
}

let models = [];
// The models a link named (&models=), or null: the default models.
let linkModels = null;
function summaryOf(name) { return models.find((m) => m.name === name)?.summary ?? ''; }

// ---- the link ----

// The fragment is rewritten a moment after the last change (browsers
// throttle pages that call replaceState hundreds of times), and at once
// before a copy.
let linkTimer = 0;
let pendingLink = null;
function updateLink(sc) {
  pendingLink = sc;
  clearTimeout(linkTimer);
  linkTimer = setTimeout(flushLink, 250);
}

function flushLink() {
  clearTimeout(linkTimer);
  const sc = pendingLink;
  if (sc === null) return;
  pendingLink = null;
  const p = PRESETS.find((x) => x.id === el.preset.value);
  let frag = fragmentFor(sc, advanced(), linkModels);
  if (p && sameScenario(p.scenario, sc)) frag += '&preset=' + p.id;
  if (location.hash !== frag) history.replaceState(null, '', frag);
  el.link.value = location.href;
}

function sameScenario(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

function syncPreset(sc) {
  const cur = PRESETS.find((x) => x.id === el.preset.value);
  if (cur && sameScenario(cur.scenario, sc)) return;
  const p = PRESETS.find((x) => sameScenario(x.scenario, sc));
  el.preset.value = p ? p.id : '';
  el.presetExplain.textContent = p ? p.explain : 'Your own scenario.';
}

async function copyLink() {
  flushLink();
  el.link.value = location.href;
  try {
    await navigator.clipboard.writeText(location.href);
    el.copyStatus.textContent = 'Link copied.';
    el.link.hidden = true;
  } catch {
    // No clipboard (an insecure context, a refused permission): show the
    // link selected, for Ctrl-C.
    el.link.hidden = false;
    el.link.focus();
    el.link.select();
    el.copyStatus.textContent = 'Press Ctrl-C (or ⌘-C) to copy the selected link.';
  }
}

// ---- start ----

function fromLocation() {
  const frag = readFragment(location.hash);
  if (frag === null) return false;
  linkModels = frag.models;
  if (frag.error) {
    setMode(true);
    el.json.value = '';
    advancedObj = null;
    jsonError = frag.error;
    return true;
  }
  let sc;
  try {
    sc = JSON.parse(frag.text);
  } catch (err) {
    setMode(true);
    el.json.value = frag.text;
    parseJSONEditor();
    return true;
  }
  showScenario(sc, frag.advanced);
  const pid = /(?:^#|&)preset=([a-z0-9-]+)/.exec(location.hash)?.[1];
  const p = PRESETS.find((x) => x.id === pid && sameScenario(x.scenario, sc)) ?? PRESETS.find((x) => sameScenario(x.scenario, sc));
  el.preset.value = p ? p.id : '';
  el.presetExplain.textContent = p ? p.explain : 'A shared scenario.';
  return true;
}

function init() {
  el.preset.append(
    ...PRESETS.map((p) => h('option', { value: p.id }, p.title)),
    h('option', { value: '' }, 'Your own scenario'),
  );
  if (!fromLocation()) {
    el.preset.value = DEFAULT_PRESET;
    onPreset();
  }
  el.form.addEventListener('input', onInput);
  el.form.addEventListener('submit', (e) => e.preventDefault());
  el.preset.addEventListener('change', onPreset);
  el.modeSimple.addEventListener('change', onMode);
  el.modeAdvanced.addEventListener('change', onMode);
  el.copy.addEventListener('click', copyLink);
  window.addEventListener('hashchange', () => {
    if (location.href === el.link.value) return; // our own replaceState
    if (fromLocation()) compute();
  });
  compute();
  performance.mark('gaisort:load-start');
  // boot.js started compiling the module already; if it could not, load the file.
  const url = new URL('gaisort.wasm', document.baseURI);
  Promise.resolve(globalThis.gaisortModule ?? url).catch(() => url).then((src) => load(src)).then((e) => {
    performance.mark('gaisort:engine-ready');
    engine = e;
    models = engine.models();
    const v = engine.version();
    el.version.textContent = `gaisort ${v.gaisort} (WebAssembly ABI ${v.abi}, ${v.go}); models: ${models.map((m) => `${m.name}${m.aliases?.length ? ' (' + m.aliases.join(', ') + ')' : ''}`).join(', ')}.`;
    compute();
  }, (err) => {
    loadError = `${err.message}`;
    el.summary.textContent = 'The engine could not be loaded, so there is no answer.';
    showError('general', loadError);
  });
}

init();
