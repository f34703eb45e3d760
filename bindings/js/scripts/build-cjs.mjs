// The CommonJS build, for package.json's "require" condition: index.cjs
// (index.js, wasi.js and fs-node.js bundled by esbuild, node:fs/promises
// left to Node) and index.d.cts (index.d.ts, for TypeScript's view of a
// require). Generated at pack time and by the tests (git-ignored); esbuild
// comes from test/pkg, the test-only package (`npm ci` there first: `make
// js-test` and `make dist` do). A library, not a hand-written ESM-to-CJS
// rewrite: import.meta, dynamic import() and the "imports" map all need
// handling that esbuild already gets right.
import { copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../', import.meta.url));
const tools = fileURLToPath(new URL('../test/pkg/', import.meta.url));
if (!existsSync(tools + 'node_modules/esbuild')) {
  console.error(`gaisort: esbuild is not installed in ${tools}: run \`npm ci\` there first (make js-test and make dist do)`);
  process.exit(1);
}
const esbuild = createRequire(tools + 'package.json')('esbuild');

await esbuild.build({
  absWorkingDir: pkg,
  entryPoints: ['index.js'],
  outfile: 'index.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Node under the "node" and "require" conditions: '#fs' is fs-node.js.
  conditions: ['node'],
  // The module's default place, next to this file, as index.js has it.
  define: { 'import.meta.url': '__gaisortFileURL' },
  banner: {
    js: '// gaisort, CommonJS build: generated from index.js by scripts/build-cjs.mjs (esbuild); do not edit.\n' +
      "const __gaisortFileURL = require('node:url').pathToFileURL(__filename).href;",
  },
  logLevel: 'warning',
});
copyFileSync(pkg + 'index.d.ts', pkg + 'index.d.cts');
console.error(`gaisort: wrote ${pkg}index.cjs and index.d.cts`);
