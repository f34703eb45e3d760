// Shared by the package tests: a project directory outside the repository
// whose node_modules/gaisort is a link to bindings/js (as `npm install`
// of a local directory makes it), the CommonJS build made fresh, and the
// README's examples.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PKG = fileURLToPath(new URL('../../', import.meta.url));
export const HERE = fileURLToPath(new URL('./', import.meta.url));
export const WASM = process.env.GAISORT_WASM || join(PKG, 'gaisort.wasm');

/** A fresh project using the package; remove() when done. */
export function project(packageJSON = { type: 'module' }) {
  if (!existsSync(WASM)) throw new Error(`${WASM} does not exist: run \`make wasm\`, then \`npm test\` in bindings/js (its pretest copies the module)`);
  execFileSync(process.execPath, [join(PKG, 'scripts', 'build-cjs.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = mkdtempSync(join(tmpdir(), 'gaisort-pkg-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(PKG, join(dir, 'node_modules', 'gaisort'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify(packageJSON));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The README's examples: each ```js block, with the ```text block that
 * follows it (the lines it prints), as the README test of test/ reads them.
 */
export function readmeExamples(readme = readFileSync(join(PKG, 'README.md'), 'utf8')) {
  return [...readme.matchAll(/```js\n([\s\S]*?)```(?:(?!```)[\s\S])*?```text\n([\s\S]*?)```/g)].map(([, code, text]) => ({ code, lines: text.trim().split('\n') }));
}

/** Runs a command; returns {status, out} (standard output and error together). */
export function run(cmd, args, options) {
  try {
    return { status: 0, out: execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }) };
  } catch (err) {
    return { status: err.status ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}${err.status == null ? err.message : ''}` };
  }
}
