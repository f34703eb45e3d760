# js.mk: the JavaScript/TypeScript binding (bindings/js, npm package
# "gaisort"). Included by the Makefile, after wasm.mk (needs its `wasm`).
#
#   make js-test    node --test on build/gaisort.wasm: every shared vector
#                   against the Go CLI, errors, traps, loading, the WASI shim
#   make js-pack    the npm package, module inside, as build/gaisort-<v>.tgz
#   make js-bench   per-call and cold-start figures (not pass/fail)

NPM ?= npm

.PHONY: js-test js-pack js-bench

js-test: wasm
	cd bindings/js && $(NPM) test

js-pack: wasm
	cd bindings/js && $(NPM) pack --pack-destination ../../build

js-bench: wasm
	cd bindings/js && node scripts/copy-wasm.mjs && node bench.mjs
