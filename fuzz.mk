# fuzz.mk: differential and robustness fuzzing, and the catalog of where the
# models disagree. Included by the top-level Makefile (or run alone:
# make -f fuzz.mk fuzz-ci).
GO            ?= go
# Each fuzz target's budget: brief in CI, long by hand. CI counts
# executions (100,000 each: 12-32 s a target here) rather than seconds: with
# a duration, Go 1.26's fuzz coordinator can fail a clean run with "context
# deadline exceeded" when the deadline falls mid-call (golang/go#75804, fixed
# in Go 1.27); it did so once in this project's CI, no input written.
FUZZTIME      ?= 100000x
FUZZLONGTIME  ?= 10m
# Fuzz workers (the machine is shared: one by default).
FUZZPARALLEL  ?= 1
# The catalog's scenarios: how many, from which seed.
CATALOG_SEED  ?= 1
CATALOG_N     ?= 20000

# The fuzz targets are found, not listed: `go test -list '^Fuzz'` over
# every package, built as wasm-test builds hosttests (the wasmtime tag,
# cgo), so that a new Fuzz function runs in CI without editing this file.
# hosttests/wasmhost builds the module it fuzzes itself (its TestMain, also
# when listing). FUZZ_TARGETS (pkg:Target ...) overrides the discovery,
# for a run by hand.
FUZZTAGS      ?= wasmtime
FUZZ_ENV      ?= CGO_ENABLED=1
FUZZ_TARGETS  ?=
FUZZ_LIST     := build/fuzz-targets.txt

.PHONY: fuzz-ci fuzz-long fuzz-list catalog

## fuzz-list: write build/fuzz-targets.txt, one package:Target a line,
## every fuzz target of the repository; fail when a `func Fuzz...` of a
## _test.go file is not among them (a build tag or an OS leaves it out, or
## a package fails to build).
fuzz-list:
	@mkdir -p build
	@$(FUZZ_ENV) $(GO) test -tags '$(FUZZTAGS)' -run '^$$' -list '^Fuzz' ./... > $(FUZZ_LIST).raw || \
		{ cat $(FUZZ_LIST).raw; echo "fuzz-list: go test -list failed"; exit 1; }
	@awk '/^Fuzz/ { names[n++] = $$1; next } \
		/^ok / { for (i = 0; i < n; i++) print $$2 ":" names[i]; n = 0 }' $(FUZZ_LIST).raw > $(FUZZ_LIST)
	@rm -f $(FUZZ_LIST).raw
	@find . \( -name testdata -o -name node_modules -o -name build -o -name '.*' ! -name . \) -prune -o \
		-name '*_test.go' -print | xargs grep -h -o -E '^func Fuzz[A-Za-z0-9_]*' | sed 's/^func //' | sort > $(FUZZ_LIST).declared
	@sed 's/.*://' $(FUZZ_LIST) | sort > $(FUZZ_LIST).found
	@if ! cmp -s $(FUZZ_LIST).declared $(FUZZ_LIST).found; then \
		echo "fuzz-list: declared Fuzz functions (<) that go test -list does not find (>):"; \
		diff $(FUZZ_LIST).declared $(FUZZ_LIST).found; rm -f $(FUZZ_LIST).declared $(FUZZ_LIST).found; exit 1; fi
	@rm -f $(FUZZ_LIST).declared $(FUZZ_LIST).found
	@echo "fuzz-list: $$(wc -l < $(FUZZ_LIST)) fuzz targets"; cat $(FUZZ_LIST)

## fuzz-ci: every fuzz target for $(FUZZTIME) each (a failure leaves its
## input under <pkg>/testdata/fuzz/<Target>/ and stops the run).
fuzz-ci: $(if $(FUZZ_TARGETS),,fuzz-list)
	@set -e; for t in $(if $(FUZZ_TARGETS),$(FUZZ_TARGETS),$$(cat $(FUZZ_LIST))); do \
		pkg=$${t%%:*}; fn=$${t#*:}; \
		echo "== $$fn in $$pkg for $(FUZZTIME)"; \
		$(FUZZ_ENV) $(GO) test -tags '$(FUZZTAGS)' -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) -parallel $(FUZZPARALLEL) $$pkg; \
	done

## fuzz-long: the same, $(FUZZLONGTIME) per target.
fuzz-long:
	@$(MAKE) -f $(firstword $(MAKEFILE_LIST)) fuzz-ci FUZZTIME=$(FUZZLONGTIME)

## catalog: regenerate docs/catalog.md and docs/catalog.json (the site's catalog page) (the same seed
## gives the same catalog; real-library answers when the oracle can run).
catalog:
	$(GO) run ./cmd/catalog -seed $(CATALOG_SEED) -n $(CATALOG_N) -out docs/catalog.md -json docs/catalog.json
