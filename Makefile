# gaisort: the two commands a new user needs are `make serve` (the
# calculator on http://localhost:8080, opened on the container scenario; or
# `make demo` for the same answer in the terminal) and `make test`.
GO      ?= go
# The random oracle run: how many scenarios, from which seed.
N       ?= 300
SEED    ?= 1

.PHONY: demo deps test unit wasm-build oracle bench cmd-bench throughput fmt-check

# The parts: the WebAssembly module and its host tests, the JavaScript and
# Python packages over it, the in-browser calculator, the fuzz targets and
# the catalog of divergences, the distributable artifacts.
include wasm.mk js.mk python.mk site.mk fuzz.mk dist.mk

## demo: build the command and answer the built-in container scenario.
demo:
	$(GO) run ./cmd/gaisort demo

## deps: the system packages the tests need (scripts/deps.sh): nothing to
## do when they are present; installed on Debian as root; else one line
## naming them, and a failure.
deps:
	@scripts/deps.sh

## test: everything CI runs: the system packages (deps), vet, unit tests
## (every shared vector included), the engine built for WebAssembly, the
## module and its size budget (wasm.mk), the module's host tests (wazero
## and wasmtime), the JavaScript and Python packages' tests, the calculator
## in a real browser (Debian's chromium, playwright-core), `make dist`'s
## artifacts installed and run in clean directories, every fuzz target for
## $(FUZZTIME) (a count of executions, fuzz.mk), and the real-library
## oracle, every version, on $(N) random scenarios and every vector
## (skipped, visibly, without root and unshare).
test: deps fmt-check unit wasm-build wasm size wasm-test js-test py-test dist dist-test site-test fuzz-ci oracle

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change: $$out"; exit 1; fi
	$(GO) vet ./...

unit:
	$(GO) test -count=1 -short ./...

wasm-build:
	GOOS=wasip1 GOARCH=wasm $(GO) build -o /dev/null ./engine
	GOOS=js GOARCH=wasm $(GO) build -o /dev/null ./engine

## oracle: run N random scenarios, then every curated and regress vector,
## through every real library version (glibc 2.31, 2.36, 2.41, 2.43; musl
## 1.2.2, 1.2.3, 1.2.5, 1.2.6: Debian's packages, fetched and built into
## build/oracle on the first run, reused after; VERSIONS=glibc-2.41,...
## chooses) and through the model of each version's ID; every disagreement
## is written as a regression vector, and one that is stable (the kernel's
## answer did not change on a re-run) fails, as does a vector whose
## recorded answer no longer holds, and a version that cannot be fetched.
VERSIONS ?= all
oracle:
	$(GO) run ./cmd/oracle -strict -versions $(VERSIONS) -n $(N) -seed $(SEED) -write testdata/vectors/regress \
		-vectors testdata/vectors/curated,testdata/vectors/regress

## bench: the engine's benchmarks (per model, the container scenario with
## 8 destinations, the host model included).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -cpu 1 ./engine/

## cmd-bench: the command's throughput, `gaisort sort --compact` on a batch
## of 1000 container scenarios, one core, against its budget of 60,000
## scenarios/s (issue 17; x-budget above 1 meets it).
cmd-bench:
	$(GO) test -run '^$$' -bench CommandCompact -benchmem -cpu 1 -count 5 ./cmd/gaisort/

## throughput: issue 17's throughput budgets side by side, each printed
## beside its figure: the command (cmd-bench), and the compact batch of the
## container scenario, default models, <= 60 us per scenario through Node
## (bench.mjs) and through Python (scripts/bench.py).
throughput: cmd-bench wasm py-install
	cd bindings/js && node scripts/copy-wasm.mjs && ONLY_THROUGHPUT=1 node bench.mjs
	$(PY_VENV)/bin/python bindings/python/scripts/bench.py --throughput-only
