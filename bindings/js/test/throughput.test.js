// Compact answers, batches, the engine's text and lint, and `npx gaisort`,
// against the Go command: the same bytes on every shared vector.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { GaisortError, load } from '../index.js';
import { CLI, vectorFiles, wasmPath } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/gaisort.js', import.meta.url));

let cli;
let engine;
let vectors;
before(async () => {
  engine = await load(wasmPath());
  cli = new CLI();
  vectors = vectorFiles().files.map((f) => JSON.parse(readFileSync(f, 'utf8')).scenario);
});
after(() => cli?.close());

describe('compact answers and batches', () => {
  test('every vector in one batch: compact, full and text, as the Go command prints them', () => {
    assert.ok(vectors.length > 10);
    const file = cli.file('vectors.json', JSON.stringify(vectors));
    for (const models of [undefined, 'rfc6724,glibc-2.31,musl-1.2.2']) {
      const m = models ? ['--model', models] : [];
      const compact = cli.run(['sort', '--compact', ...m, file]);
      assert.equal(compact.status, 0, compact.stderr);
      assert.equal(engine.sortJSON(vectors, { models, compact: true }) + '\n', compact.stdout);
      const answers = engine.sortBatch(vectors, { models, compact: true });
      assert.deepEqual(answers, JSON.parse(compact.stdout));
      // One at a time gives the same compact answers.
      for (const [i, v] of vectors.entries()) assert.deepEqual(engine.sort(v, { models, compact: true }), answers[i]);
      const full = cli.run(['sort', '--json', ...m, file]);
      assert.equal(engine.sortJSON(vectors, { models }) + '\n', full.stdout);
      assert.deepEqual(engine.sortBatch(vectors, { models }), JSON.parse(full.stdout));
      const text = cli.run(['sort', ...m, file]);
      assert.equal(engine.sortText(vectors, { models }), text.stdout);
    }
  });

  test('a compact answer holds model, order and decided rule IDs, or model and error', () => {
    for (const a of engine.sortBatch(vectors, { compact: true })) {
      for (const r of a.results) {
        if ('error' in r) assert.deepEqual(Object.keys(r), ['model', 'error']);
        else {
          assert.deepEqual(Object.keys(r), ['model', 'order', 'decided']);
          assert.equal(r.decided.length, r.order.length - 1);
          for (const id of r.decided) assert.match(id, /^(rule([1-9]|10)|unsorted|algorithm)$/);
        }
      }
    }
  });

  test('one text scenario gives the text the Go command prints', () => {
    const file = cli.file('one.json', JSON.stringify(vectors[0]));
    assert.equal(engine.sortText(vectors[0]), cli.run(['sort', file]).stdout);
    assert.equal(engine.sortText(JSON.stringify(vectors[0])), cli.run(['sort', file]).stdout);
  });

  test('a bad scenario in a batch fails the call, its path starting with its index', () => {
    assert.throws(() => engine.sortBatch([vectors[0], { destinations: ['1.2.3.400'] }], { compact: true }),
      (e) => e instanceof GaisortError && e.code === 'bad_scenario' && e.path === '[1].destinations[0]');
    assert.throws(() => engine.sortBatch(vectors[0]), (e) => e instanceof GaisortError && e.code === 'bad_scenario');
    assert.throws(() => engine.sortBatch([vectors[0], { a: 1n }]), (e) => e instanceof GaisortError && e.path === '[1]');
    assert.throws(() => engine.sortBatch([vectors[0]], { models: [] }), (e) => e.code === 'unknown_model');
    assert.deepEqual(engine.sortBatch([]), []);
    // The instance still answers.
    assert.equal(engine.sort(vectors[0], { compact: true }).results.length, 3);
  });
});

describe('lint', () => {
  for (const conf of ['', 'label fd00::/8 1\n', 'precedence ::ffff:0:0/96 100\nbogus\n']) {
    test(`lint ${JSON.stringify(conf)}: the Go command's report and status`, () => {
      const file = cli.file('gai.conf', conf);
      const want = cli.run(['lint', file]);
      const r = engine.lint(conf, { name: file });
      assert.equal(r.text, want.stdout);
      assert.equal(r.warnings > 0 ? 1 : 0, want.status);
      assert.equal(r.text.split('\n').length - 1, Math.max(r.warnings, 1));
      assert.deepEqual(engine.lint(conf).text.startsWith('gai.conf'), true);
    });
  }
  test('a gai.conf past 64 KiB is too_large', () => {
    assert.throws(() => engine.lint('#'.repeat(65537)), (e) => e.code === 'too_large');
  });
});

describe('npx gaisort', () => {
  const cases = [
    { name: 'sort, text', args: (f) => ['sort', f] },
    { name: 'sort --json --model musl', args: (f) => ['sort', '--json', '--model', 'musl', f] },
    { name: 'sort --compact', args: (f) => ['sort', '--compact', f] },
    { name: 'sort --model=glibc,rfc6724 of a batch', args: (f, b) => ['sort', '--model=glibc,rfc6724', b] },
    { name: 'sort --compact of a batch', args: (f, b) => ['sort', '--compact', b] },
    { name: 'models', args: () => ['models'] },
    { name: 'lint', args: (f, b, c) => ['lint', c] },
    { name: 'lint, clean', args: (f, b, c, clean) => ['lint', clean] },
    { name: 'bad scenario', args: (f, b, c, clean, bad) => ['sort', bad] },
    { name: 'bad scenario in a batch', args: (f, b, c, clean, bad, badBatch) => ['sort', '--compact', badBatch] },
    { name: 'unknown model', args: (f) => ['sort', '--model', 'bionic', f] },
    { name: 'empty model list', args: (f) => ['sort', '--model', '', f] },
    { name: 'unknown flag', args: (f) => ['sort', '--fast', f] },
    { name: 'missing file', args: () => ['sort', '/nonexistent/x.json'] },
  ];
  let files;
  before(() => {
    files = [
      cli.file('s.json', JSON.stringify(vectors[0])),
      cli.file('b.json', JSON.stringify(vectors.slice(0, 5))),
      cli.file('c.conf', 'label fd00::/8 1\n'),
      cli.file('clean.conf', ''),
      cli.file('bad.json', '{"destinations":["1.2.3.400"]}'),
      cli.file('badb.json', '[{"destinations":["1.2.3.4"]},{"destinations":["fe80::1%eth9"]}]'),
    ];
  });
  for (const c of cases) {
    test(`${c.name}: the Go command's output and status`, () => {
      const args = c.args(...files);
      const want = cli.run(args);
      const got = cli.run(args, { bin: BIN });
      assert.equal(got.status, want.status, got.stderr);
      assert.equal(got.stdout, want.stdout);
      if (want.status === 2 && c.name !== 'empty model list' && c.name !== 'unknown flag') assert.equal(got.stderr, want.stderr);
      else assert.equal(got.stderr.split('\n').length - 1, want.stderr.split('\n').length - 1);
    });
  }
  test('standard input', () => {
    const input = JSON.stringify(vectors[0]);
    assert.equal(cli.run(['sort', '-'], { input, bin: BIN }).stdout, cli.run(['sort', '-'], { input }).stdout);
    const bad = '{"destinations":["1.2.3.400"]}';
    assert.equal(cli.run(['sort'], { input: bad, bin: BIN }).stderr, cli.run(['sort'], { input: bad }).stderr);
  });
});
