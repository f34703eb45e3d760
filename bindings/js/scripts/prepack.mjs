// prepack: what the tarball carries besides the sources in git: the module
// (scripts/copy-wasm.mjs), the repository's LICENSE, and the CommonJS build
// (scripts/build-cjs.mjs). All three are git-ignored copies.
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

await import('./copy-wasm.mjs');
copyFileSync(fileURLToPath(new URL('../../../LICENSE', import.meta.url)), fileURLToPath(new URL('../LICENSE', import.meta.url)));
await import('./build-cjs.mjs');
