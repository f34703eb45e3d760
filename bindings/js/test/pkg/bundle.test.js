// Bundlers: esbuild (from the npm registry) bundles the package for
// browsers with no Node built-in in the output (package.json's "browser"
// condition and the "#fs" import), and for Node as ESM and as CommonJS;
// each bundle runs and answers. esbuild does not copy the module for
// `new URL('./gaisort.wasm', import.meta.url)`: the Node bundles find it
// because the test puts gaisort.wasm next to them, as the README says to.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { HERE, WASM, project, readmeExamples, run } from './setup.js';

const esbuild = createRequire(join(HERE, 'package.json'))('esbuild');
const [example] = readmeExamples();

let p;
before(() => {
  p = project();
});
after(() => p?.remove());

test('platform=browser: bundles without Node built-ins, and the bundle answers', async () => {
  writeFileSync(join(p.dir, 'browser-entry.js'), [
    "import { load, GaisortError } from 'gaisort';",
    'export async function answer(bytes) {',
    '  const engine = await load(bytes);',
    "  return engine.sort({ interfaces: [{ name: 'eth0', addresses: [{ cidr: '172.19.0.7/16' }, { cidr: 'fd00:dead:beef::7/64' }] }], routes: [{ to: 'default', via: '172.19.0.1', dev: 'eth0' }, { to: '::/0', via: 'fd00:dead:beef::1', dev: 'eth0' }], destinations: ['2a00:1450:4001:82b::200e', '142.250.74.206'] }, { models: 'glibc' });",
    '}',
    'export { GaisortError };',
  ].join('\n'));
  const out = join(p.dir, 'browser.mjs');
  const r = await esbuild.build({
    absWorkingDir: p.dir,
    entryPoints: ['browser-entry.js'],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
  });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings, []);
  const inputs = Object.keys(r.metafile.inputs);
  assert.ok(inputs.some((f) => f.endsWith('fs-none.js')), inputs.join(' '));
  assert.ok(!inputs.some((f) => f.endsWith('fs-node.js')), inputs.join(' '));
  const code = readFileSync(out, 'utf8');
  assert.doesNotMatch(code, /node:|require\(/, 'a Node built-in in the browser bundle');
  // The browser bundle is plain JavaScript: it runs in Node too, given bytes.
  const { answer } = await import(pathToFileURL(out).href);
  const a = await answer(readFileSync(WASM));
  assert.deepEqual(a.results.map((x) => [x.model, x.order]), [['glibc-2.43', ['142.250.74.206', '2a00:1450:4001:82b::200e']]]);
});

test('platform=browser: what bundling the Node path would have given fails (the test can fail)', async () => {
  // The same bundle with the "node" condition forced: node:fs/promises
  // cannot be resolved for a browser, as before the split.
  await assert.rejects(esbuild.build({
    absWorkingDir: p.dir,
    stdin: { contents: "import { load } from 'gaisort'; await load();", resolveDir: p.dir },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['node'],
    logLevel: 'silent',
  }), /node:fs\/promises/);
});

for (const format of ['esm', 'cjs']) {
  test(`platform=node, format=${format}: the README's example, bundled, prints what the README shows`, async () => {
    // CommonJS has no top-level await: the example in an async function, through require().
    const entry = format === 'esm'
      ? example.code
      : `(async () => {\n${example.code.replace("import { load } from 'gaisort';", "const { load } = require('gaisort');")}\n})().catch((e) => { console.error(e); process.exit(1); });`;
    writeFileSync(join(p.dir, `node-entry.${format}.js`), entry);
    const out = join(p.dir, 'out', `node.${format === 'esm' ? 'mjs' : 'cjs'}`);
    const r = await esbuild.build({
      absWorkingDir: p.dir,
      entryPoints: [`node-entry.${format}.js`],
      outfile: out,
      bundle: true,
      format,
      platform: 'node',
      target: 'node20',
      metafile: true,
      logLevel: 'silent',
    });
    assert.deepEqual(r.errors, []);
    const inputs = Object.keys(r.metafile.inputs);
    assert.ok(inputs.some((f) => f.endsWith(format === 'esm' ? 'index.js' : 'index.cjs')), inputs.join(' '));
    copyFileSync(WASM, join(p.dir, 'out', 'gaisort.wasm'));
    const res = run(process.execPath, [out], { cwd: p.dir });
    assert.equal(res.status, 0, res.out);
    const lines = res.out.split('\n');
    for (const line of example.lines) assert.ok(lines.includes(line), `README line not printed:\n${line}\nactual output:\n${res.out}`);
  });
}
