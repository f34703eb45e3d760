// The binding against the Go CLI: every shared vector, error values, trap
// recovery, the ways to load the module, and the WASI shim.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { ABI_VERSIONS, Engine, GaisortError, load } from '../index.js';
import { IMPLEMENTED, WasiExit, wasiImports } from '../wasi.js';
import { CLI, PKG, tinyModule, vectorFiles, wasmPath } from './helpers.js';

const HOOK = Symbol.for('gaisort.test');

const CONTAINER = {
  version: 1,
  interfaces: [{ name: 'eth0', addresses: [{ cidr: '172.19.0.7/16' }, { cidr: 'fd00:dead:beef::7/64' }] }],
  routes: [
    { to: 'default', via: '172.19.0.1', dev: 'eth0' },
    { to: '::/0', via: 'fd00:dead:beef::1', dev: 'eth0' },
  ],
  destinations: ['2a00:1450:4001:82b::200e', '142.250.74.206'],
};

let cli;
let engine;
let modelNames;
let defaultNames;

before(async () => {
  engine = await load(wasmPath());
  modelNames = engine.models().map((m) => m.name);
  defaultNames = engine.models().filter((m) => m.default).map((m) => m.name);
  cli = new CLI();
});
after(() => cli?.close());

describe('shared vectors', () => {
  const { dir, files } = vectorFiles();
  const vectors = files.map((f) => ({ file: f, ...JSON.parse(readFileSync(f, 'utf8')) }));

  test('there are vectors to replay', () => {
    assert.ok(vectors.length > 0, `no vector under ${dir}`);
    for (const v of vectors) assert.equal(typeof v.scenario, 'object', `${v.file}: no "scenario"`);
  });

  test('every vector, every model at once: the answer of `gaisort sort --json`', () => {
    const want = cli.sortBatch(vectors.map((v) => v.scenario));
    assert.equal(want.length, vectors.length);
    for (const [i, v] of vectors.entries()) {
      assert.deepEqual(engine.sort(v.scenario), want[i], v.file);
      // The same scenario as JSON text gives the same answer.
      assert.deepEqual(engine.sort(JSON.stringify(v.scenario)), want[i], `${v.file} (as text)`);
    }
  });

  test('every vector, one model at a time (`--model NAME`)', () => {
    assert.ok(modelNames.length > 0);
    for (const name of modelNames) {
      const want = cli.sortBatch(vectors.map((v) => v.scenario), name);
      for (const [i, v] of vectors.entries()) {
        assert.deepEqual(engine.sort(v.scenario, { models: [name] }), want[i], `${v.file} --model ${name}`);
        assert.deepEqual(engine.sort(v.scenario, { models: name }), want[i], `${v.file} --model ${name} (string)`);
      }
    }
  });

  test('models in another order, and aliases', () => {
    const reversed = [...modelNames].reverse();
    const want = cli.sortBatch(vectors.map((v) => v.scenario), reversed.join(','));
    for (const [i, v] of vectors.entries()) {
      const got = engine.sort(v.scenario, { models: reversed });
      assert.deepEqual(got, want[i], v.file);
      assert.deepEqual(got.results.map((r) => r.model), reversed);
    }
    for (const m of engine.models()) {
      for (const alias of m.aliases) {
        assert.deepEqual(engine.sort(CONTAINER, { models: alias }), engine.sort(CONTAINER, { models: m.name }), alias);
      }
    }
  });
});

describe('answers', () => {
  test('the container scenario: the default models (the RFC, the newest glibc and musl), in registry order', () => {
    const got = engine.sort(CONTAINER);
    assert.deepEqual(got, cli.sortBatch([CONTAINER])[0]);
    assert.deepEqual(got.results.map((r) => r.model), defaultNames);
    assert.deepEqual(defaultNames, ['rfc6724', 'glibc-2.43', 'musl-1.2.6']);
    for (const r of got.results) assert.ok(Array.isArray(r.order) || typeof r.error === 'string', r.model);
  });

  test('empty models (array or string) means the default models', () => {
    const all = engine.sort(CONTAINER);
    assert.deepEqual(engine.sort(CONTAINER, { models: [] }), all);
    assert.deepEqual(engine.sort(CONTAINER, { models: '' }), all);
    assert.deepEqual(engine.sort(CONTAINER, {}), all);
  });

  test('non-ASCII text and a large request go through the buffer', () => {
    // A gai.conf comment with multi-byte characters, then a 60 KiB one:
    // the request buffer grows and the models are re-encoded after it does.
    for (const comment of ['# é ü 名前 🙂\n', '#' + 'x'.repeat(60 << 10) + '\n']) {
      const sc = { ...CONTAINER, gai_conf: comment + 'precedence ::ffff:0:0/96 100\n' };
      assert.deepEqual(engine.sort(sc, { models: modelNames[0] }), cli.sortBatch([sc], modelNames[0])[0]);
      assert.deepEqual(engine.sort(sc), cli.sortBatch([sc])[0]);
    }
  });

  test("the package's version is the module's", () => {
    // wasm/main.go's Version is the one place of the release's version;
    // npm needs it written in package.json as well, so this test holds the
    // two together.
    const pkg = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
    assert.equal(pkg.version, engine.version().gaisort,
      "bindings/js/package.json's version differs from the module's (wasm/main.go, const Version): make them equal");
  });

  test('version() and models()', () => {
    const v = engine.version();
    assert.equal(v.abi, 1);
    assert.match(v.gaisort, /^\d+\.\d+\.\d+/);
    assert.match(v.go, /^go1\./);
    const ms = engine.models();
    assert.ok(ms.length > 0);
    for (const m of ms) {
      assert.equal(typeof m.name, 'string');
      assert.ok(Array.isArray(m.aliases));
      assert.equal(typeof m.summary, 'string');
    }
  });
});

describe('errors', () => {
  const expectError = (f, code, path) => {
    let caught;
    try {
      f();
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof GaisortError, `expected a GaisortError, got ${caught}`);
    assert.ok(caught instanceof Error);
    assert.equal(caught.name, 'GaisortError');
    assert.equal(caught.code, code, caught.message);
    if (path !== undefined) assert.equal(caught.path, path, caught.message);
    assert.ok(caught.message.length > 0 && !caught.message.includes('\n'));
    return caught;
  };

  test('a bad scenario: code, path and the message the CLI gives', () => {
    const cases = [
      [{ ...CONTAINER, destinations: ['2a00::1', 'not-an-address'] }, 'destinations[1]'],
      [{ ...CONTAINER, routes: [{ to: 'default', via: '172.19.0.1', dev: 'eth9' }] }, 'routes[0].dev'],
      [{ ...CONTAINER, interfaces: [{ name: 'eth0', addresses: [{ cidr: '10.0.0.1/33' }] }] }, 'interfaces[0].addresses[0].cidr'],
      [{ ...CONTAINER, hints: { family: 'inet5' } }, 'hints.family'],
      [{ ...CONTAINER, colour: 'blue' }, undefined],
      ['{"version": 1, "destinations": [', undefined],
      ['not json', undefined],
    ];
    const before = engine[HOOK].instances();
    for (const [sc, path] of cases) {
      const text = typeof sc === 'string' ? sc : JSON.stringify(sc);
      const err = expectError(() => engine.sort(sc), 'bad_scenario', path);
      const c = cli.complaint(text);
      assert.equal(c.status, 2, text);
      // The CLI says "gaisort: FILE: <message>" (for a field; about the
      // document as a whole it reads a batch, the module one scenario).
      if (err.path !== '') {
        assert.ok(c.stderr.endsWith(`: ${err.path}: ${err.message}`), `CLI: ${c.stderr}\nJS:  ${err.path}: ${err.message}`);
      }
    }
    // Errors never trap: still the same instance, still answering.
    assert.equal(engine[HOOK].instances(), before);
    assert.deepEqual(engine.sort(CONTAINER), cli.sortBatch([CONTAINER])[0]);
  });

  test('an unknown model lists the known ones', () => {
    const err = expectError(() => engine.sort(CONTAINER, { models: [modelNames[0], 'glibc-1.0'] }), 'unknown_model', '');
    assert.match(err.message, /glibc-1\.0/);
    for (const n of modelNames) assert.ok(err.message.includes(n), err.message);
    expectError(() => engine.sort(CONTAINER, { models: 'nope' }), 'unknown_model');
    assert.deepEqual(engine.sort(CONTAINER), cli.sortBatch([CONTAINER])[0]);
  });

  test('past the limits: too_large', () => {
    const many = { ...CONTAINER, destinations: Array.from({ length: 300 }, (_, i) => `10.0.${i >> 8}.${i & 255}`) };
    expectError(() => engine.sort(many), 'too_large', 'destinations');
    expectError(() => engine.sort({ ...CONTAINER, gai_conf: '#'.repeat(2 << 20) }), 'too_large', '');
    expectError(() => engine.sort(CONTAINER, { models: Array(1000).fill(modelNames[0]) }), 'too_large', '');
    assert.deepEqual(engine.sort(CONTAINER), cli.sortBatch([CONTAINER])[0]);
  });

  test('NUL bytes and escapes: the engine\'s message, offset named, byte quoted', () => {
    const cases = [
      ['{"destinations":["192.0.2.1"]}\0garbage', 'invalid JSON at line 1, column 31 (byte 30): unexpected byte 0x0 after the end of the document', ''],
      ['{"destinations":\0["192.0.2.1"]}', 'invalid JSON at line 1, column 17 (byte 16): unexpected byte 0x0, expected an array of addresses', 'destinations'],
      ['{"\\\r0', "invalid JSON at line 1, column 3 (byte 2): unknown escape: '\\' followed by byte 0xd", ''],
    ];
    for (const [text, message, path] of cases) {
      const err = expectError(() => engine.sort(text), 'bad_scenario', path);
      assert.equal(err.message, message);
      const c = cli.complaint(text);
      assert.equal(c.status, 2, text);
      assert.ok(c.stderr.trimEnd().endsWith(message), `CLI: ${c.stderr}`);
    }
  });

  test('a scenario nested 100,000 deep: bad_scenario, not RangeError', () => {
    let deep = {};
    for (let i = 0; i < 100000; i++) deep = { a: deep };
    let arr = [];
    for (let i = 0; i < 100000; i++) arr = [arr];
    for (const sc of [deep, { ...CONTAINER, destinations: arr }]) {
      const t0 = performance.now();
      const err = expectError(() => engine.sort(sc), 'bad_scenario', '');
      assert.match(err.message, /nests too deeply/);
      assert.ok(err.cause instanceof RangeError);
      assert.ok(performance.now() - t0 < 10000, 'bounded time');
    }
    const cyclic = { ...CONTAINER };
    cyclic.self = cyclic;
    expectError(() => engine.sort(cyclic), 'bad_scenario', '');
    assert.deepEqual(engine.sort(CONTAINER), cli.sortBatch([CONTAINER])[0]);
  });

  test('wrong argument types', () => {
    expectError(() => engine.sort(undefined), 'bad_scenario');
    expectError(() => engine.sort(CONTAINER, { models: 3 }), 'unknown_model');
  });
});

describe('traps', () => {
  test('a trap discards the instance; the next call gets a fresh one', async () => {
    const e = await load(wasmPath());
    const hook = e[HOOK];
    const want = e.sort(CONTAINER);
    assert.equal(hook.instances(), 1);
    // A request pointer past the end of memory: the module reads out of bounds.
    let caught;
    try {
      hook.rawSort(hook.memoryBytes() + 4096, 4096, 0, 0);
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof GaisortError, String(caught));
    assert.equal(caught.code, 'trap');
    assert.ok(caught.cause instanceof WebAssembly.RuntimeError, String(caught.cause));
    assert.equal(hook.instances(), 1);
    // Next call: a fresh instance (the background one or a synchronous one), same answer.
    assert.deepEqual(e.sort(CONTAINER), want);
    assert.equal(hook.instances(), 2);
    assert.deepEqual(e.version(), engine.version());
    // A trap with the background instantiation already finished.
    assert.throws(() => hook.rawSort(hook.memoryBytes() + 4096, 4096, 0, 0), { code: 'trap' });
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(e.sort(CONTAINER, { models: defaultNames }), want);
    assert.equal(hook.instances(), 3);
  });

  test('where synchronous instantiation is refused (a browser main thread), a later call gets the background instance', async () => {
    const e = await load(wasmPath());
    const hook = e[HOOK];
    const want = e.sort(CONTAINER);
    const Instance = WebAssembly.Instance;
    WebAssembly.Instance = function () {
      throw new RangeError('WebAssembly.Instance is disallowed on the main thread');
    };
    try {
      assert.throws(() => hook.rawSort(hook.memoryBytes() + 4096, 1, 0, 0), { code: 'trap' });
      // Before the background instantiation has finished: a clear error.
      assert.throws(() => e.sort(CONTAINER), { code: 'trap', message: /being restarted/ });
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(e.sort(CONTAINER), want);
      assert.equal(hook.instances(), 2);
    } finally {
      WebAssembly.Instance = Instance;
    }
  });
});

describe('loading', () => {
  test('a path, a file URL, a URL string, bytes, an ArrayBuffer, a Module', async () => {
    const p = wasmPath();
    const bytes = readFileSync(p);
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const mod = await WebAssembly.compile(bytes);
    const want = engine.sort(CONTAINER);
    for (const src of [p, pathToFileURL(p), pathToFileURL(p).href, new Uint8Array(bytes), ab, mod]) {
      const e = await load(src);
      assert.ok(e instanceof Engine);
      assert.deepEqual(e.sort(CONTAINER), want, String(src?.constructor?.name));
    }
  });

  test('over HTTP, as in a browser: fetch, streaming compilation or bytes, HTTP errors', async () => {
    const bytes = readFileSync(wasmPath());
    const server = createServer((req, res) => {
      if (req.url === '/gaisort.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(bytes);
      else if (req.url === '/octets.wasm') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
      else res.writeHead(404).end('not found');
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${server.address().port}/`;
      const want = engine.sort(CONTAINER);
      for (const src of [new URL('gaisort.wasm', base), `${base}octets.wasm`, await fetch(`${base}gaisort.wasm`)]) {
        assert.deepEqual((await load(src)).sort(CONTAINER), want, String(src));
      }
      await assert.rejects(load(`${base}missing.wasm`), { name: 'GaisortError', code: 'load', message: /HTTP 404/ });
    } finally {
      server.close();
    }
  });

  test('the default: gaisort.wasm next to index.js', async () => {
    const e = await load();
    assert.deepEqual(e.version(), engine.version());
  });

  test('a missing file is a GaisortError "load"', async () => {
    await assert.rejects(load('/nonexistent/gaisort.wasm'), (err) => err instanceof GaisortError && err.code === 'load' && /nonexistent/.test(err.message));
    await assert.rejects(load(new Uint8Array([1, 2, 3])), { name: 'GaisortError', code: 'load' });
  });

  test('an unknown ABI version is refused, clearly', async () => {
    assert.deepEqual(ABI_VERSIONS, [1]);
    const v2 = tinyModule({ imports: ['fd_write'], exports: { _initialize: null, gaisort_abi_version: 2 } });
    await assert.rejects(load(v2), (err) => err instanceof GaisortError && err.code === 'abi' && /ABI version 2/.test(err.message) && /knows version 1/.test(err.message));
    const none = tinyModule({ exports: { _initialize: null } });
    await assert.rejects(load(none), { code: 'abi', message: /not a gaisort module/ });
  });
});

describe('WASI shim', () => {
  test('the module imports only what the shim implements', async () => {
    const mod = await WebAssembly.compile(readFileSync(wasmPath()));
    const imports = WebAssembly.Module.imports(mod);
    assert.ok(imports.length > 0);
    for (const imp of imports) {
      assert.equal(imp.module, 'wasi_snapshot_preview1', imp.name);
      assert.ok(IMPLEMENTED.includes(imp.name), `the module imports ${imp.name}, which the shim answers with ENOSYS`);
    }
  });

  // The shim's functions on a bare memory, through a module importing all
  // of them and one the shim does not implement.
  const setup = () => {
    const memory = new WebAssembly.Memory({ initial: 2 });
    const mod = new WebAssembly.Module(tinyModule({ imports: [...IMPLEMENTED, 'fd_read', 'path_open', 'proc_raise'] }));
    const lines = { out: [], err: [] };
    const ns = wasiImports(mod, () => memory, { stdout: (s) => lines.out.push(s), stderr: (s) => lines.err.push(s) }).wasi_snapshot_preview1;
    return { memory, ns, lines, dv: new DataView(memory.buffer), u8: new Uint8Array(memory.buffer) };
  };

  test('clock_time_get: realtime near Date.now(), monotonic never backwards', () => {
    const { ns, dv } = setup();
    assert.equal(ns.clock_time_get(0, 1n, 64), 0);
    const real = Number(dv.getBigUint64(64, true) / 1000000n);
    assert.ok(Math.abs(real - Date.now()) < 1000, `${real} vs ${Date.now()}`);
    ns.clock_time_get(1, 1n, 64);
    const a = dv.getBigUint64(64, true);
    ns.clock_time_get(1, 1n, 64);
    assert.ok(dv.getBigUint64(64, true) >= a);
  });

  test('random_get fills the buffer, past 64 KiB too', () => {
    const { ns, u8 } = setup();
    assert.equal(ns.random_get(100, 65536 + 1000), 0);
    const zeros = u8.subarray(100, 100 + 65536 + 1000).filter((b) => b === 0).length;
    assert.ok(zeros < 1000, `${zeros} zero bytes`);
    assert.equal(u8[99], 0);
    assert.equal(u8[100 + 65536 + 1000], 0);
  });

  test('fd_write: lines to stdout and stderr, EBADF elsewhere', () => {
    const { ns, dv, u8, lines } = setup();
    const put = (at, s) => u8.set(new TextEncoder().encode(s), at);
    put(1000, 'panic: ');
    put(1100, 'boom\nsecond');
    dv.setUint32(16, 1000, true);
    dv.setUint32(20, 7, true);
    dv.setUint32(24, 1100, true);
    dv.setUint32(28, 11, true);
    assert.equal(ns.fd_write(2, 16, 2, 40), 0);
    assert.equal(dv.getUint32(40, true), 18);
    assert.deepEqual(lines.err, ['panic: boom']);
    assert.equal(ns.fd_write(1, 24, 1, 40), 0);
    assert.deepEqual(lines.out, ['boom']);
    assert.equal(ns.fd_write(3, 16, 1, 40), 8);
    // proc_exit flushes the partial lines, then throws.
    assert.throws(() => ns.proc_exit(2), (err) => err instanceof WasiExit && err.code === 2);
    assert.deepEqual(lines.err, ['panic: boom', 'second']);
    assert.deepEqual(lines.out, ['boom', 'second']);
  });

  test('args, environ, sched_yield, poll_oneoff, and ENOSYS for the rest', () => {
    const { ns, dv, u8 } = setup();
    assert.equal(ns.args_sizes_get(0, 4), 0);
    assert.equal(dv.getUint32(0, true), 1);
    const size = dv.getUint32(4, true);
    assert.equal(ns.args_get(8, 100), 0);
    assert.equal(dv.getUint32(8, true), 100);
    assert.equal(new TextDecoder().decode(u8.subarray(100, 100 + size)), 'gaisort\0');
    assert.equal(ns.environ_sizes_get(0, 4), 0);
    assert.equal(dv.getUint32(0, true), 0);
    assert.equal(dv.getUint32(4, true), 0);
    assert.equal(ns.environ_get(0, 0), 0);
    assert.equal(ns.sched_yield(), 0);
    // One clock subscription (userdata 42) and one fd_read (userdata 7).
    dv.setBigUint64(200, 42n, true);
    dv.setUint8(208, 0);
    dv.setBigUint64(248, 7n, true);
    dv.setUint8(256, 1);
    assert.equal(ns.poll_oneoff(200, 400, 2, 500), 0);
    assert.equal(dv.getUint32(500, true), 2);
    assert.equal(dv.getBigUint64(400, true), 42n);
    assert.equal(dv.getUint16(408, true), 0);
    assert.equal(dv.getBigUint64(432, true), 7n);
    assert.equal(dv.getUint16(440, true), 8);
    assert.equal(dv.getUint8(442), 1);
    assert.equal(ns.poll_oneoff(200, 400, 0, 500), 28);
    // Descriptors 0-2 are character devices, there are no others.
    assert.equal(ns.fd_fdstat_get(1, 600), 0);
    assert.equal(dv.getUint8(600), 2);
    assert.equal(ns.fd_fdstat_get(3, 600), 8);
    assert.equal(ns.fd_prestat_get(3, 600), 8);
    assert.equal(ns.fd_close(3), 8);
    // Not implemented: EBADF for descriptor and path calls, ENOSYS otherwise.
    assert.equal(ns.fd_read(0, 0, 0, 0), 8);
    assert.equal(ns.path_open(3, 0, 0, 0, 0, 0n, 0n, 0, 0), 8);
    assert.equal(ns.proc_raise(9), 52);
  });
});

describe('README', () => {
  // Each ```js block followed by a ```text block: the code, run as a user
  // would (import 'gaisort' resolves to this package), prints every line
  // of the text (new models may add lines).
  const readme = readFileSync(join(PKG, 'README.md'), 'utf8');
  const pairs = [...readme.matchAll(/```js\n([\s\S]*?)```(?:(?!```)[\s\S])*?```text\n([\s\S]*?)```/g)];

  test('the examples print what the README shows', () => {
    assert.ok(pairs.length >= 2, 'README examples not found');
    for (const [, code, text] of pairs) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: PKG, encoding: 'utf8' });
      const lines = out.split('\n');
      for (const line of text.trim().split('\n')) assert.ok(lines.includes(line), `README line not printed:\n${line}\nactual output:\n${out}`);
    }
  });
});
