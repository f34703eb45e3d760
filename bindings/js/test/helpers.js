// Test helpers: where the repository and the module are, the Go CLI, and a
// tiny WebAssembly encoder for hand-made modules.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PKG = fileURLToPath(new URL('../', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The module under test: $GAISORT_WASM, else the copy next to index.js (npm's pretest puts it there). */
export function wasmPath() {
  const p = process.env.GAISORT_WASM || join(PKG, 'gaisort.wasm');
  if (!existsSync(p)) throw new Error(`${p} does not exist: run \`make wasm\` at the repository root, then \`npm test\` (its pretest copies build/gaisort.wasm here)`);
  return p;
}

/** Every shared vector file (testdata/vectors/<set>/<name>.json, or under $GAISORT_VECTORS), sorted. */
export function vectorFiles() {
  const dir = process.env.GAISORT_VECTORS || join(ROOT, 'testdata', 'vectors');
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) out.push(p);
    }
  };
  walk(dir);
  return { dir, files: out.sort() };
}

/**
 * The Go CLI: $GAISORT_CLI if set, else built once from ./cmd/gaisort
 * (what `go run ./cmd/gaisort` runs) into a temporary directory.
 */
export class CLI {
  constructor() {
    this.tmp = mkdtempSync(join(tmpdir(), 'gaisort-js-test-'));
    this.bin = process.env.GAISORT_CLI;
    if (!this.bin) {
      this.bin = join(this.tmp, 'gaisort');
      execFileSync('go', ['build', '-o', this.bin, './cmd/gaisort'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    }
  }

  /** `gaisort sort --json [--model M] FILE` on an array of scenarios: the array of answers. */
  sortBatch(scenarios, model) {
    const file = join(this.tmp, 'batch.json');
    writeFileSync(file, JSON.stringify(scenarios));
    const args = ['sort', '--json', ...(model ? ['--model', model] : []), file];
    const out = execFileSync(this.bin, args, { cwd: ROOT, maxBuffer: 1 << 30, encoding: 'utf8' });
    return JSON.parse(out);
  }

  /** The CLI's one-line complaint (exit 2) for one scenario text. */
  complaint(text, model) {
    const file = join(this.tmp, 'bad.json');
    writeFileSync(file, text);
    const args = ['sort', '--json', ...(model !== undefined ? ['--model', model] : []), file];
    try {
      execFileSync(this.bin, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      return { status: err.status, stderr: err.stderr.trim() };
    }
    return { status: 0, stderr: '' };
  }

  /** Runs a command line (the Go command, or another given as argv[0] with `bin`): {status, stdout, stderr}. */
  run(args, { input, bin } = {}) {
    const [cmd, pre] = bin ? [process.execPath, [bin]] : [this.bin, []];
    try {
      const stdout = execFileSync(cmd, [...pre, ...args], { cwd: ROOT, input, maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
      return { status: 0, stdout, stderr: '' };
    } catch (err) {
      if (err.status == null) throw err;
      return { status: err.status, stdout: err.stdout, stderr: err.stderr };
    }
  }

  /** Writes text to a file in the temporary directory and returns its path. */
  file(name, text) {
    const f = join(this.tmp, name);
    writeFileSync(f, text);
    return f;
  }

  close() {
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

// --- a minimal WebAssembly binary encoder ---

function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
function sleb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
const str = (s) => [...uleb(s.length), ...new TextEncoder().encode(s)];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];

/**
 * A module importing the given wasi_snapshot_preview1 functions (type
 * () -> ()) and exporting a memory and functions: {name: null} for an
 * empty () -> (), {name: N} for () -> i32 returning N.
 */
export function tinyModule({ imports = [], exports = {} }) {
  const names = Object.keys(exports);
  const types = [[0x60, 0, 0], [0x60, 0, 1, 0x7f]];
  const imp = imports.map((n) => [...str('wasi_snapshot_preview1'), ...str(n), 0x00, 0]);
  const funcs = names.map((n) => [exports[n] === null ? 0 : 1]);
  const exps = [
    [...str('memory'), 0x02, 0],
    ...names.map((n, i) => [...str(n), 0x00, ...uleb(imports.length + i)]),
  ];
  const bodies = names.map((n) => {
    const code = exports[n] === null ? [0x00, 0x0b] : [0x00, 0x41, ...sleb(exports[n]), 0x0b];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imp)),
    ...section(3, vec(funcs)),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec(exps)),
    ...section(10, vec(bodies)),
  ]);
}
