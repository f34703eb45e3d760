// Benchmarks (figures, not pass/fail): `node bench.mjs` after `make wasm`
// and `npm test` or `npm pack` (which copy the module here), or with
// GAISORT_WASM=path/to/gaisort.wasm.
//   per call: the container scenario with 8 destinations, every model
//             (budget 15 µs in Node), the scenario as an object (stringified
//             each call) and as JSON text;
//   cold start: a new process, from before `import` to the first answer
//             (budget 60 ms); also from the process's time origin.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The one scenario every budget figure is measured on (the engine's, the
// module's, the Python package's): testdata/bench/container8.json.
export const SCENARIO = JSON.parse(readFileSync(new URL('../../testdata/bench/container8.json', import.meta.url), 'utf8'));

const WASM = process.env.GAISORT_WASM;
const INDEX = new URL('./index.js', import.meta.url).href;
const N = Number(process.env.N || 200000);
const RUNS = Number(process.env.RUNS || 15);

// For scale, a child of its own: the smallest Go wasip1 reactor (one
// export; `make wasm-ratio` builds it as build/size-empty.wasm) read,
// compiled, instantiated and started (_initialize): the Go runtime's share
// of any cold start, whatever the engine does.
if (process.argv[2] === '--floor') {
  const { wasiImports } = await import(new URL('./wasi.js', import.meta.url).href);
  const t0 = performance.now();
  const module = await WebAssembly.compile(readFileSync(process.argv[3]));
  let memory = null;
  const inst = await WebAssembly.instantiate(module, wasiImports(module, () => memory));
  memory = inst.exports.memory;
  inst.exports._initialize();
  if (inst.exports.f(1) !== 2) throw new Error('the empty reactor answered wrong');
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }));
  process.exit(0);
}

// The child of the cold-start figure: one process, one answer.
if (process.argv[2] === '--cold') {
  const t0 = performance.now();
  const { load } = await import(INDEX);
  const engine = await load(WASM || undefined);
  const tl = performance.now();
  const answer = engine.sort(SCENARIO);
  const t1 = performance.now();
  if (answer.results.length === 0) throw new Error('no results');
  const c = process.cpuUsage();
  process.stdout.write(JSON.stringify({ fromImport: t1 - t0, load: tl - t0, first: t1 - tl, fromOrigin: t1, cpu: (c.user + c.system) / 1000 }));
  process.exit(0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fmt = (x, d = 2) => x.toFixed(d);

const { load } = await import(INDEX);
const engine = await load(WASM || undefined);
const models = engine.models().map((m) => m.name);
const text = JSON.stringify(SCENARIO);

function perCall(label, f, n = N) {
  for (let i = 0; i < Math.min(20000, n / 10); i++) f(); // warm up: let the module and JS tier up
  const batch = Math.max(1, Math.floor(n / 10));
  const us = [];
  const cpu = [];
  for (let r = 0; r < 10; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) f();
    us.push(((performance.now() - t0) * 1000) / batch);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / batch);
  }
  // Wall time, and the process's CPU time (user + system, all threads): on
  // a shared machine the CPU figure is the steadier one.
  console.log(`per call, ${label}: median ${fmt(median(us))} µs (best ${fmt(Math.min(...us))}), CPU median ${fmt(median(cpu))} µs (10 batches of ${batch})`);
  return median(us);
}

console.log(`node ${process.version}; models: ${models.join(', ')}; ${SCENARIO.destinations.length} destinations; module ${WASM || 'gaisort.wasm next to index.js'}`);
const ONLY = Boolean(process.env.ONLY_THROUGHPUT);
const obj = ONLY ? 0 : perCall('object scenario, default models (budget 15 µs)', () => engine.sort(SCENARIO));
if (!ONLY) {
perCall('JSON-text scenario, every model', () => engine.sort(text));
for (const m of models) perCall(`object scenario, --model ${m}`, () => engine.sort(SCENARIO, { models: m }));
// The parts: the module alone (gaisort_sort + gaisort_free on a request
// written once), and what the JS side adds.
perCall('  of which the module alone (gaisort_sort + gaisort_free)', engine[Symbol.for('gaisort.test')].moduleOnly(text));
const answerText = JSON.stringify(engine.sort(SCENARIO));
perCall(`  of which JSON.stringify(scenario) (${text.length} B)`, () => JSON.stringify(SCENARIO));
perCall(`  of which JSON.parse(answer) (${answerText.length} B)`, () => JSON.parse(answerText));
}

// Throughput for embedders (issue 17): the compact answer of a batch of
// the container scenario, the default models (the RFC and the newest glibc
// and musl), one crossing per batch of B scenarios. Budget: 60 µs per
// scenario, everything included (stringify, the module, JSON.parse).
const B = Number(process.env.BATCH || 100);
const batch = Array.from({ length: B }, () => SCENARIO);
const batchText = JSON.stringify(batch);
const textBatch = Array.from({ length: B }, () => text);
const perBatch = (label, f) => perCall(label, f, Math.max(10, Math.floor(N / B))) / B;
const thr = perBatch(`compact batch of ${B}, default models, sortBatch(objects, {compact: true})`, () => engine.sortBatch(batch, { compact: true }));
console.log(`  = ${fmt(thr)} µs per scenario; budget 60 µs: ${fmt(thr / 60)}× the budget (${thr <= 60 ? 'within' : 'OVER'})`);
const thrText = perBatch(`compact batch of ${B}, scenarios as JSON text (no stringify)`, () => engine.sortBatch(textBatch, { compact: true }));
console.log(`  = ${fmt(thrText)} µs per scenario`);
const compactText = engine.sortJSON(batch, { compact: true });
const parseB = perBatch(`  of which JSON.parse of the answers (${compactText.length} B)`, () => JSON.parse(compactText));
console.log(`  = ${fmt(parseB)} µs per scenario`);
const strB = perBatch('  of which JSON.stringify of the scenarios', () => JSON.stringify(batch));
console.log(`  = ${fmt(strB)} µs per scenario`);
const modB = perBatch(`  of which the module alone (gaisort_sort_opts, compact batch of ${B})`, engine[Symbol.for('gaisort.test')].moduleOnly(batchText, 3));
console.log(`  = ${fmt(modB)} µs per scenario in the module`);
const one = perCall('compact, one scenario per call, sort(object, {compact: true})', () => engine.sort(SCENARIO, { compact: true }));
console.log(`  = ${fmt(one)} µs per scenario; budget 60 µs: ${fmt(one / 60)}×`);
if (process.env.ONLY_THROUGHPUT) process.exit(thr <= 60 ? 0 : 1);

const cold = [];
for (let r = 0; r < RUNS; r++) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--cold'], { encoding: 'utf8', env: process.env });
  cold.push(JSON.parse(out));
}
const fi = cold.map((c) => c.fromImport);
const fo = cold.map((c) => c.fromOrigin);
console.log(`cold start, new process, import + load() + first sort (budget 60 ms): median ${fmt(median(fi), 1)} ms, best ${fmt(Math.min(...fi), 1)} ms, worst ${fmt(Math.max(...fi), 1)} ms (${RUNS} processes)`);
console.log(`  of which import + load() (read, compile, instantiate, _initialize): median ${fmt(median(cold.map((c) => c.load)), 1)} ms; the first sort: median ${fmt(median(cold.map((c) => c.first)), 1)} ms`);
console.log(`  the whole child process's CPU time up to the first answer (node's own start included): median ${fmt(median(cold.map((c) => c.cpu)), 1)} ms`);
console.log(`cold start, new process, from the process's time origin to the first answer: median ${fmt(median(fo), 1)} ms, best ${fmt(Math.min(...fo), 1)} ms`);
const FLOOR = fileURLToPath(new URL('../../build/size-empty.wasm', import.meta.url));
if (existsSync(FLOOR)) {
  const fl = [];
  for (let r = 0; r < RUNS; r++) {
    fl.push(JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--floor', FLOOR], { encoding: 'utf8' })).ms);
  }
  console.log(`for scale, the smallest Go reactor (build/size-empty.wasm): read + compile + instantiate + _initialize: median ${fmt(median(fl), 1)} ms, best ${fmt(Math.min(...fl), 1)} ms (${RUNS} processes)`);
} else {
  console.log('for scale: run `make wasm-ratio` first to build the smallest Go reactor (build/size-empty.wasm)');
}
console.log(obj <= 15 && median(fi) <= 60 ? 'within budget' : 'OVER BUDGET');
