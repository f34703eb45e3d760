# js.mk: the JavaScript/TypeScript binding (bindings/js, npm package
# "gaisort"). Included by the Makefile, after wasm.mk (needs its `wasm`).
#
#   make js-test    node --test on build/gaisort.wasm: every shared vector
#                   against the Go CLI, errors, traps, loading, the WASI shim;
#                   then bindings/js/test/pkg: the README's examples under
#                   tsc --strict (TypeScript 5.9 and 7.0), esbuild bundles
#                   for browsers and Node, require() of the CommonJS build
#   make js-pack    the npm package, module inside, as build/gaisort-<v>.tgz
#   make js-bench   per-call and cold-start figures (not pass/fail)
#   make js-tools   npm ci in bindings/js/test/pkg (typescript, esbuild: the
#                   test-only package's devDependencies), when its lockfile
#                   is newer than what is installed

NPM ?= npm
JS_TOOLS := bindings/js/test/pkg/node_modules/.package-lock.json

.PHONY: js-test js-pack js-bench js-tools

$(JS_TOOLS): bindings/js/test/pkg/package-lock.json bindings/js/test/pkg/package.json
	cd bindings/js/test/pkg && $(NPM) ci --no-audit --no-fund
	@touch $@

js-tools: $(JS_TOOLS)

js-test: wasm $(JS_TOOLS)
	cd bindings/js && $(NPM) test
	cd bindings/js/test/pkg && $(NPM) test

js-pack: wasm $(JS_TOOLS)
	@mkdir -p build
	cd bindings/js && $(NPM) pack --pack-destination ../../build

js-bench: wasm
	cd bindings/js && node scripts/copy-wasm.mjs && node bench.mjs
