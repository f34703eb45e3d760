// gaisort for JavaScript: in what order will getaddrinfo() return these
// addresses, and why? The Go engine compiled to WebAssembly (ABI v1, see
// wasm/ABI.md), for Node 20+ and browsers from the same code.
import { wasiImports, WasiExit } from './wasi.js';

/** The ABI versions this binding knows. */
export const ABI_VERSIONS = Object.freeze([1]);

/**
 * An error answered by the engine ("bad_scenario", "unknown_model",
 * "too_large", "internal"), or raised by the binding ("abi", "load",
 * "trap"). `path` is the JSON path of the offending scenario field, or "".
 */
export class GaisortError extends Error {
  constructor(code, message, path = '', options) {
    super(message, options);
    this.name = 'GaisortError';
    this.code = code;
    this.path = path;
  }
}

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const INITIAL_BUFFER = 16 << 10;
// The deepest a scenario nests (engine.MaxDepth, engine/limits.go).
const MAX_DEPTH = 32;
const MAX_REQUEST = 64 << 20; // gaisort_alloc's limit

// gaisort_sort_opts's flags (wasm/ABI.md).
const FLAG_COMPACT = 1;
const FLAG_BATCH = 2;
const FLAG_TEXT = 4;

// The JSON text of one scenario (an object, or its text as given).
function scenarioText(scenario) {
  if (typeof scenario === 'string') return scenario;
  let text;
  try {
    text = JSON.stringify(scenario);
  } catch (err) {
    // Nested past the stack (RangeError), a cycle or a BigInt
    // (TypeError): no scenario, and an answer of this binding's own
    // kind rather than the engine's exception.
    const why = err instanceof RangeError
      ? `it nests too deeply to be written out (a scenario nests at most ${MAX_DEPTH} levels)`
      : String(err.message).split('\n')[0]; // V8's cycle message runs over lines
    throw new GaisortError('bad_scenario', `the scenario cannot be written as JSON: ${why}`, '', { cause: err });
  }
  if (typeof text !== 'string') throw new GaisortError('bad_scenario', 'the scenario must be an object or a JSON string', '');
  return text;
}

// Whether a scenario argument is a batch: an array, or JSON text of one.
function isBatch(scenario) {
  return Array.isArray(scenario) || (typeof scenario === 'string' && /^[ \t\r\n]*\[/.test(scenario));
}

// The JSON array of a batch: each scenario an object or its JSON text.
function batchText(scenarios) {
  if (!Array.isArray(scenarios)) throw new GaisortError('bad_scenario', 'sortBatch takes an array of scenarios', '');
  if (!scenarios.some((s) => typeof s === 'string')) {
    // Objects only: one stringify of the whole array; on failure, the loop
    // below finds which scenario failed.
    try {
      const text = JSON.stringify(scenarios);
      if (typeof text === 'string') return text;
    } catch {
      // fall through
    }
  }
  let text = '[';
  for (let i = 0; i < scenarios.length; i++) {
    if (i > 0) text += ',';
    try {
      text += scenarioText(scenarios[i]);
    } catch (err) {
      if (err instanceof GaisortError) err.path = `[${i}]`;
      throw err;
    }
  }
  return text + ']';
}

// A private key for the tests' hooks: not part of the API.
const TEST_HOOK = Symbol.for('gaisort.test');

/**
 * Loads the module and returns an engine.
 * @param {string | URL | Uint8Array | ArrayBuffer | WebAssembly.Module | Response} [source]
 */
export async function load(source, options = {}) {
  const module = await compile(source ?? new URL('./gaisort.wasm', import.meta.url));
  const engine = new Engine(module, options);
  engine._install(await WebAssembly.instantiate(module, engine._imports()));
  return engine;
}

async function compile(source) {
  try {
    if (source instanceof WebAssembly.Module) return source;
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return await WebAssembly.compile(source);
    let url = source;
    if (typeof source === 'string') {
      // A string with a scheme is a URL; otherwise a file path in Node, a
      // URL relative to the page in a browser.
      if (/^[a-z][a-z0-9+.-]+:/i.test(source)) url = new URL(source);
      else if (isNode) return await WebAssembly.compile(await readFile(source));
      else url = new URL(source, globalThis.location?.href);
    }
    if (!(url instanceof URL)) {
      // Checked last: in Node, the first touch of the global Response
      // loads its fetch implementation, some 20 ms of a cold start that a
      // path or a file: URL does not need.
      if (typeof Response !== 'undefined' && source instanceof Response) return await compileResponse(source);
      throw new TypeError('expected a URL, a path, bytes, a Response or a WebAssembly.Module');
    }
    if (isNode && url.protocol === 'file:') return await WebAssembly.compile(await readFile(url));
    return await compileResponse(await fetch(url));
  } catch (err) {
    if (err instanceof GaisortError) throw err;
    throw new GaisortError('load', `gaisort: cannot load the WebAssembly module from ${describe(source)}: ${err.message}`, '', { cause: err });
  }
}

async function readFile(pathOrURL) {
  // Only reached in Node. '#fs' is package.json's "imports": fs-node.js
  // (node:fs/promises) under the "node" condition, else fs-none.js, so that
  // a browser bundle (esbuild, Vite, webpack) holds no Node built-in.
  const fs = await import('#fs');
  return fs.readFile(pathOrURL);
}

async function compileResponse(res) {
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  // Streaming compilation needs the application/wasm type; fall back to bytes.
  if (typeof WebAssembly.compileStreaming === 'function' && /^application\/wasm\b/.test(res.headers.get('content-type') ?? '')) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

function describe(source) {
  if (source instanceof URL || typeof source === 'string') return String(source);
  return source?.constructor?.name ?? String(source);
}

/**
 * One engine: one WebAssembly instance at a time, one call at a time. A
 * trap discards the instance; the next call makes a fresh one from the
 * compiled module.
 */
export class Engine {
  #module;
  #options;
  #x = null; // the instance's exports
  #memory = null;
  #u8 = null; // a view of the memory, re-made when the memory grows
  #buf = 0; // the request buffer in module memory (gaisort_alloc)
  #cap = 0;
  #modelsText = null; // the models string encoded at the start of #buf
  #modelsLen = 0;
  #next = null; // after a trap: the background instantiation (a Promise), then its Instance
  #instances = 0;

  constructor(module, options = {}) {
    this.#module = module;
    this.#options = options;
  }

  _imports() {
    return wasiImports(this.#module, () => this.#memory, this.#options);
  }

  _install(instance) {
    const x = instance.exports;
    this.#x = null;
    this.#memory = x.memory;
    this.#u8 = null;
    this.#buf = 0;
    this.#cap = 0;
    this.#modelsText = null;
    this.#instances++;
    try {
      if (typeof x._initialize === 'function') x._initialize();
      if (typeof x.gaisort_abi_version !== 'function') {
        throw new GaisortError('abi', 'gaisort: this WebAssembly module has no gaisort_abi_version export: it is not a gaisort module');
      }
      const abi = x.gaisort_abi_version();
      if (!ABI_VERSIONS.includes(abi)) {
        throw new GaisortError('abi', `gaisort: the WebAssembly module speaks ABI version ${abi}; this binding knows version ${ABI_VERSIONS.join(', ')}: use a matching gaisort package and module`);
      }
    } catch (err) {
      if (err instanceof GaisortError) throw err;
      throw new GaisortError('load', `gaisort: the WebAssembly module failed to start: ${err.message}`, '', { cause: err });
    }
    this.#x = x;
  }

  // The live exports: the current instance, or a fresh one after a trap.
  #exports() {
    if (this.#x !== null) return this.#x;
    let inst = this.#next;
    if (inst === null || inst instanceof Promise) {
      // Synchronous instantiation of the compiled module; in a browser's
      // main thread this may be refused for a large module, and then the
      // background instantiation started at the trap serves a later call.
      try {
        inst = new WebAssembly.Instance(this.#module, this._imports());
      } catch (err) {
        if (this.#next === null) this.#prepare();
        throw new GaisortError('trap', `gaisort: the engine is being restarted after a trap, retry later: ${err.message}`, '', { cause: err });
      }
    }
    this.#next = null;
    this._install(inst);
    return this.#x;
  }

  #prepare() {
    const p = WebAssembly.instantiate(this.#module, this._imports()).then(
      (inst) => { if (this.#next === p) this.#next = inst; },
      () => { if (this.#next === p) this.#next = null; },
    );
    this.#next = p;
  }

  #view() {
    const u8 = this.#u8;
    if (u8 !== null && u8.buffer === this.#memory.buffer) return u8;
    return (this.#u8 = new Uint8Array(this.#memory.buffer));
  }

  // Runs f on the exports; anything thrown out of the module (a trap, an
  // exit) kills the instance.
  #call(f) {
    const x = this.#exports();
    try {
      return f(x);
    } catch (err) {
      if (err instanceof GaisortError) throw err;
      this.#x = null;
      this.#memory = null;
      this.#u8 = null;
      this.#prepare();
      const what = err instanceof WasiExit ? err.message : `the WebAssembly module trapped (${err?.message ?? err})`;
      throw new GaisortError('trap', `gaisort: ${what}; the instance was discarded and the next call gets a fresh one`, '', { cause: err });
    }
  }

  // Reads the packed (ptr<<32 | len) response, frees it, returns the text.
  #take(x, packed) {
    const ptr = Number(BigInt.asUintN(64, packed) >> 32n);
    const len = Number(BigInt.asUintN(32, packed));
    const text = decoder.decode(this.#view().subarray(ptr, ptr + len));
    x.gaisort_free(ptr, len);
    return text;
  }

  // Makes room for n bytes in the request buffer, keeping the encoded
  // models at its start.
  #reserve(x, n) {
    if (n <= this.#cap) return;
    let cap = Math.max(INITIAL_BUFFER, this.#cap * 2);
    while (cap < n) cap *= 2;
    cap = Math.min(cap, MAX_REQUEST);
    if (this.#buf !== 0) x.gaisort_free(this.#buf, this.#cap);
    this.#buf = 0;
    this.#cap = 0;
    this.#modelsText = null;
    const p = x.gaisort_alloc(cap);
    if (p === 0) throw new GaisortError('too_large', `gaisort: the module could not allocate ${cap} bytes for the request`);
    this.#buf = p;
    this.#cap = cap;
  }

  /**
   * Answers one scenario: {results: [{model, order | error, ...}, ...]};
   * with {compact: true} the compact answer ({model, order, decided: rule
   * IDs} or {model, error} per model: docs/scenario.md).
   * @param {object | string} scenario
   * @param {{models?: string | string[], compact?: boolean}} [options]
   */
  sort(scenario, options) {
    const flags = options?.compact ? FLAG_COMPACT : 0;
    return this.#answer(this.#request(scenarioText(scenario), options, flags));
  }

  /**
   * Answers many scenarios in one call into the module: an array of
   * answers (compact ones with {compact: true}), one per scenario, in
   * order. A bad scenario fails the whole call, its path starting with
   * its index ("[3].destinations[0]").
   * @param {Array<object | string>} scenarios
   * @param {{models?: string | string[], compact?: boolean}} [options]
   */
  sortBatch(scenarios, options) {
    const flags = FLAG_BATCH | (options?.compact ? FLAG_COMPACT : 0);
    return this.#answer(this.#request(batchText(scenarios), options, flags));
  }

  /**
   * The module's answer bytes as text, unparsed: for one scenario, or for
   * an array of them (an array of answers); compact with {compact: true}.
   * What `gaisort sort --json` (or `--compact`) prints, without the
   * newline. Throws GaisortError as sort does.
   * @param {object | string | Array<object | string>} scenario
   * @param {{models?: string | string[], compact?: boolean}} [options]
   */
  sortJSON(scenario, options) {
    const batch = isBatch(scenario);
    const text = Array.isArray(scenario) ? batchText(scenario) : scenarioText(scenario);
    const out = this.#request(text, options, (options?.compact ? FLAG_COMPACT : 0) | (batch ? FLAG_BATCH : 0));
    if (out.startsWith('{"error":')) this.#answer(out); // throws
    return out;
  }

  /**
   * The human answer, the text `gaisort sort` prints, rendered by the
   * engine: for one scenario, or for an array of them (each after a line
   * "=== scenario I of N").
   * @param {object | string | Array<object | string>} scenario
   * @param {{models?: string | string[]}} [options]
   */
  sortText(scenario, options) {
    const batch = isBatch(scenario);
    const text = Array.isArray(scenario) ? batchText(scenario) : scenarioText(scenario);
    const out = this.#request(text, options, FLAG_TEXT | (batch ? FLAG_BATCH : 0));
    if (out.startsWith('{"error":')) this.#answer(out); // throws
    return out;
  }

  /**
   * Lints a gai.conf as glibc 2.36 reads it: {warnings, text}, the text
   * being what `gaisort lint NAME` prints (each line starts with the name,
   * "gai.conf" by default).
   * @param {string} conf
   * @param {{name?: string}} [options]
   */
  lint(conf, options) {
    if (typeof conf !== 'string') throw new GaisortError('bad_scenario', 'the gai.conf must be a string', '');
    const name = options?.name ?? '';
    if (typeof name !== 'string') throw new GaisortError('bad_scenario', 'the name must be a string', '');
    return this.#answer(this.#call((x) => {
      if (typeof x.gaisort_lint !== 'function') throw new GaisortError('abi', 'gaisort: this module has no gaisort_lint export: it predates lint; use the module of this package');
      this.#reserve(x, Math.min((name.length + conf.length) * 3, MAX_REQUEST));
      const u8 = this.#view();
      const base = this.#buf;
      this.#modelsText = null; // the buffer's start is overwritten
      const n = encoder.encodeInto(name, u8.subarray(base, base + this.#cap)).written;
      const { read, written } = encoder.encodeInto(conf, u8.subarray(base + n, base + this.#cap));
      if (read !== conf.length) throw new GaisortError('too_large', `gaisort: the gai.conf does not fit in ${this.#cap} bytes`);
      return this.#take(x, x.gaisort_lint(base + n, written, base, n));
    }));
  }

  #answer(text) {
    const parsed = JSON.parse(text);
    const e = parsed.error;
    if (e !== undefined) throw new GaisortError(e.code, e.message, e.path ?? '');
    return parsed;
  }

  // Writes the models list and the request into the module, calls
  // gaisort_sort (flags 0) or gaisort_sort_opts, and returns the response
  // text.
  #request(text, options, flags) {
    // Absent (undefined or null): the default models (an empty list to the
    // module, wasm/ABI.md). Given but empty ([] or ''): an error, as the
    // module answers a list that names no model; asking for none is a bug.
    let models = options?.models ?? '';
    if (Array.isArray(models)) models = models.join(',');
    if (typeof models !== 'string') throw new GaisortError('unknown_model', 'models must be an array of names or a comma list', '');
    if (models === '' && options?.models != null) {
      throw new GaisortError('unknown_model', `models is empty: name at least one model (known: ${this.models().map((m) => m.name).join(', ')}), or leave models out for the default models`, '');
    }
    return this.#call((x) => {
      if (flags !== 0 && typeof x.gaisort_sort_opts !== 'function') {
        throw new GaisortError('abi', 'gaisort: this module has no gaisort_sort_opts export: it predates compact answers, batches and text; use the module of this package');
      }
      // Models first (re-encoded only when they change), then the request.
      const mMax = models.length * 3;
      const rMax = text.length * 3;
      if (mMax + rMax > this.#cap) {
        const exact = encoder.encode(models).length + encoder.encode(text).length;
        if (exact > MAX_REQUEST) throw new GaisortError('too_large', `gaisort: the request is ${exact} bytes; the limit is ${MAX_REQUEST}`);
        this.#reserve(x, Math.min(mMax + rMax, MAX_REQUEST));
      }
      const u8 = this.#view();
      const base = this.#buf;
      if (this.#modelsText !== models) {
        this.#modelsLen = encoder.encodeInto(models, u8.subarray(base, base + this.#cap)).written;
        this.#modelsText = models;
      }
      const mLen = this.#modelsLen;
      const { read, written } = encoder.encodeInto(text, u8.subarray(base + mLen, base + this.#cap));
      if (read !== text.length) throw new GaisortError('too_large', `gaisort: the request does not fit in ${this.#cap} bytes`);
      const packed = flags === 0
        ? x.gaisort_sort(base + mLen, written, base, mLen)
        : x.gaisort_sort_opts(base + mLen, written, base, mLen, flags);
      return this.#take(x, packed);
    });
  }

  /** The models, in answer order: [{name, aliases, summary}, ...]. */
  models() {
    return JSON.parse(this.#call((x) => this.#take(x, x.gaisort_models())));
  }

  /** {gaisort, abi, go}: the versions of the module. */
  version() {
    return JSON.parse(this.#call((x) => this.#take(x, x.gaisort_version())));
  }

  // Test-only hooks (not API): how many instances were made, and a raw
  // gaisort_sort with arbitrary pointers, to make the module trap.
  get [TEST_HOOK]() {
    return {
      instances: () => this.#instances,
      rawSort: (reqPtr, reqLen, modelsPtr, modelsLen) =>
        this.#call((x) => this.#take(x, x.gaisort_sort(reqPtr, reqLen, modelsPtr, modelsLen))),
      memoryBytes: () => this.#call(() => this.#memory.buffer.byteLength),
      // For bench.mjs: a function making only the module's calls
      // (gaisort_sort and gaisort_free) on a request written once.
      moduleOnly: (text, flags = 0) => {
        const x = this.#exports();
        const bytes = encoder.encode(text);
        const p = x.gaisort_alloc(bytes.length);
        this.#view().set(bytes, p);
        return () => {
          const packed = flags === 0 ? x.gaisort_sort(p, bytes.length, 0, 0) : x.gaisort_sort_opts(p, bytes.length, 0, 0, flags);
          x.gaisort_free(Number(BigInt.asUintN(64, packed) >> 32n), Number(BigInt.asUintN(32, packed)));
        };
      },
    };
  }
}
