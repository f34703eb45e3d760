// Reading the module from a file, in Node: package.json's "imports" maps
// '#fs' here under the "node" condition (index.js imports it lazily).
export { readFile } from 'node:fs/promises';
