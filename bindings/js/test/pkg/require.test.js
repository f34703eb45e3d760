// require('gaisort') in Node 20 loads the CommonJS build (the "require"
// condition), not the ES module through require(esm): the test runs with
// --no-experimental-require-module, under which requiring index.js fails.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { project, readmeExamples, run } from './setup.js';

let p;
before(() => {
  p = project({ name: 'uses-gaisort', type: 'commonjs' });
});
after(() => p?.remove());

const NO_REQUIRE_ESM = ['--no-experimental-require-module'];

test('require() resolves to index.cjs and answers, without require(esm)', () => {
  const script = `
    const assert = require('node:assert/strict');
    const g = require('gaisort');
    assert.match(require.resolve('gaisort'), /index\\.cjs$/);
    assert.deepEqual(Object.keys(g).sort(), ['ABI_VERSIONS', 'Engine', 'GaisortError', 'load']);
    g.load().then((engine) => {
      const a = engine.sort({ destinations: ['2a00:1450:4001:82b::200e', '142.250.74.206'] });
      console.log(a.results.map((r) => r.model + ': ' + r.order.join(', ')).join('\\n'));
      try { engine.sort({ destinations: ['x'] }); } catch (e) { console.log(e instanceof g.GaisortError, e.code, e.path); }
      try { engine.sort({ destinations: ['::1'] }, { models: [] }); } catch (e) { console.log(e.code, e.message); }
    });`;
  const r = run(process.execPath, [...NO_REQUIRE_ESM, '-e', script], { cwd: p.dir });
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /^rfc6724: 2a00:1450:4001:82b::200e, 142\.250\.74\.206$/m);
  assert.match(r.out, /^true bad_scenario destinations\[0\]$/m);
  assert.match(r.out, /^unknown_model models is empty: /m);
});

test('the ES module itself cannot be required under the same flag (the test can fail)', () => {
  const r = run(process.execPath, [...NO_REQUIRE_ESM, '-e', "require('gaisort/index.js')"], { cwd: p.dir });
  assert.notEqual(r.status, 0);
});

test("the README's first example, rewritten for require(), prints what the README shows", () => {
  const [ex] = readmeExamples();
  const code = `(async () => {\n${ex.code.replace("import { load } from 'gaisort';", "const { load } = require('gaisort');")}\n})().catch((e) => { console.error(e); process.exit(1); });`;
  assert.notEqual(code.indexOf("require('gaisort')"), -1);
  const r = run(process.execPath, [...NO_REQUIRE_ESM, '-e', code], { cwd: p.dir });
  assert.equal(r.status, 0, r.out);
  for (const line of ex.lines) assert.ok(r.out.split('\n').includes(line), `${line}\n---\n${r.out}`);
});
