# wasm.mk: the WebAssembly module (wasm/, wasm/ABI.md). Included by the
# Makefile; needs GO.
#
#   make wasm   build/gaisort.wasm (deterministic: the same tree gives the
#               same bytes) and build/gaisort.wasm.json beside it
#   make size   fail past 2.85 MB raw or 800 KB gzipped (gzip -9), printing
#               both; part of make test
#   make wasm-test   the host tests under wazero and wasmtime (cgo: needs a
#                    C compiler; wasmtime-go ships its static library)
#   make wasm-bench  native vs wazero vs wasmtime, compile and instantiate
#                    times, module size (5 runs each; take medians)
#   make firstcall   a fresh process's first call through wazero, warm
#                    cache, timed as a whole (budget 150 ms)
#   make wasm-ratio  the engine's own benchmarks natively and compiled to
#                    WebAssembly under wazero, wasmtime and V8: what Go's
#                    wasm backend costs, apart from the module's glue; then
#                    the module's round trip beside the engine's Request
#                    under each runtime, in adjacent pairs, and their ratio
#                    against the budget of 1.10 (issue 17)

GO          ?= go
WASM        := build/gaisort.wasm
# The size budget, bytes (`gzip -9 -n`, as site.mk serves it): its one place.
WASM_RAW_MAX  := 2850000
WASM_GZIP_MAX := 800000

.PHONY: wasm size wasm-test wasm-bench firstcall wasm-ratio

# The build's environment and flags live in internal/wasmbuild (the host
# tests and cmd/wasmratio build the module through it too); cmd/wasmbuild
# prints the command it runs, then the version file.
wasm:
	@$(GO) run ./cmd/wasmbuild -go $(GO) -o $(WASM)

size: wasm
	@raw=$$(wc -c < $(WASM) | tr -d ' '); \
	gz=$$(gzip -9 -n -c $(WASM) | wc -c | tr -d ' '); \
	echo "$(WASM): $$raw bytes raw (max $(WASM_RAW_MAX)), $$gz bytes gzipped -9 (max $(WASM_GZIP_MAX))"; \
	if [ $$raw -gt $(WASM_RAW_MAX) ] || [ $$gz -gt $(WASM_GZIP_MAX) ]; then echo "size: over budget"; exit 1; fi

wasm-test:
	CGO_ENABLED=1 $(GO) test -count=1 -tags wasmtime ./hosttests/wasmhost/ ./cmd/wasiexec/

wasm-bench: wasm
	CGO_ENABLED=1 GAISORT_WASM=$(CURDIR)/$(WASM) $(GO) test -tags wasmtime -run '^$$' \
		-bench 'Sort(Native|Wazero|Wasmtime)$$|Instantiate|ModuleSize|CallOverhead' -benchmem -count 5 ./hosttests/wasmhost/
	CGO_ENABLED=1 GAISORT_WASM=$(CURDIR)/$(WASM) $(GO) test -tags wasmtime -run '^$$' \
		-bench 'Compile' -benchtime 3x -count 3 ./hosttests/wasmhost/

firstcall: wasm
	$(GO) build -o build/firstcall ./cmd/firstcall
	build/firstcall -cache build/wazero-cache $(WASM) > /dev/null
	for i in 1 2 3 4 5; do /usr/bin/time -f '%e s wall, %U s user, %S s sys' build/firstcall -cache build/wazero-cache $(WASM) > /dev/null; done

wasm-ratio:
	$(GO) run ./cmd/wasmratio -count 3
