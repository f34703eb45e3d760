// prepack and pretest: copy the module `make wasm` built
// (../../build/gaisort.wasm, or $GAISORT_WASM) next to index.js, where
// load() looks by default. The copy is git-ignored.
import { copyFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = process.env.GAISORT_WASM || fileURLToPath(new URL('../../../build/gaisort.wasm', import.meta.url));
const to = fileURLToPath(new URL('../gaisort.wasm', import.meta.url));
if (!existsSync(from)) {
  console.error(`gaisort: ${from} does not exist: run \`make wasm\` at the repository root first`);
  process.exit(1);
}
copyFileSync(from, to);
console.error(`gaisort: copied ${from} to ${to}`);
