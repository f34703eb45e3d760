// '#fs' everywhere but Node (package.json's "imports"): browsers, workers,
// and bundles made for them hold no Node built-in. index.js only reads a
// file in Node, so this is reached only by a Node-like runtime that does
// not match the "node" condition.
export async function readFile(path) {
  throw new Error(`cannot read ${path}: reading a file needs Node's fs; give load() a URL, bytes or a Response`);
}
