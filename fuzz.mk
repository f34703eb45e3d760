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

# package:target, every go test -fuzz target of the project.
FUZZ_TARGETS  ?= ./engine:FuzzParseScenario ./engine:FuzzParseGaiConf ./engine:FuzzGaiConfLint \
                 ./engine:FuzzPipeline ./engine:FuzzDifferential ./engine:FuzzAppendJSONString \
                 ./engine:FuzzParseScenarioRef ./engine:FuzzParseAddrFast

.PHONY: fuzz-ci fuzz-long catalog

## fuzz-ci: every fuzz target for $(FUZZTIME) each (a failure leaves its
## input under <pkg>/testdata/fuzz/<Target>/ and stops the run).
fuzz-ci:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t#*:}; \
		echo "== $$fn in $$pkg for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) -parallel $(FUZZPARALLEL) $$pkg; \
	done

## fuzz-long: the same, $(FUZZLONGTIME) per target.
fuzz-long:
	@$(MAKE) -f $(firstword $(MAKEFILE_LIST)) fuzz-ci FUZZTIME=$(FUZZLONGTIME)

## catalog: regenerate docs/catalog.md and docs/catalog.json (the site's catalog page) (the same seed
## gives the same catalog; real-library answers when the oracle can run).
catalog:
	$(GO) run ./cmd/catalog -seed $(CATALOG_SEED) -n $(CATALOG_N) -out docs/catalog.md -json docs/catalog.json
