// Starts downloading and compiling the engine (gaisort.wasm) as soon as the
// page's head is read, while the page's modules are still loading; app.js
// takes the compiled module from here. A classic script, because it must
// run before them. If streaming compilation fails (a server that does not
// say application/wasm), app.js loads the file itself.
'use strict';
(function () {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.compileStreaming !== 'function' || typeof fetch !== 'function') return;
  var p = WebAssembly.compileStreaming(fetch('gaisort.wasm'));
  p.catch(function () {});
  globalThis.gaisortModule = p;
})();
