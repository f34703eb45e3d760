# dist.mk: the distributable artifacts, in build/dist/. Included by the
# Makefile; needs GO, PYTHON, NPM and the wasm and js-tools targets.
#
#   make dist       build/dist/: the npm tarball (npm pack: gaisort.wasm,
#                   LICENSE, the CommonJS build inside), the Python wheel
#                   (py3-none-any, gaisort.wasm inside) and sdist (module
#                   and LICENSE inside: installing it needs no Go), the
#                   command for linux/amd64, linux/arm64, darwin/arm64 and
#                   windows/amd64 (CGO_ENABLED=0, -trimpath, `gaisort
#                   version` stamped), and SHA256SUMS over all of them.
#                   The version is wasm/main.go's Version; the build stops
#                   if package.json, pyproject.toml or the Python package
#                   say another. It also keeps build/wheelhouse: the
#                   wheels an offline install needs (wasmtime, setuptools),
#                   fetched once from PyPI.
#   make dist-test  from build/dist only, offline, in new temporary
#                   directories: npm install of the tarball, then the JS
#                   README's examples, require() and the bundled license;
#                   a venv with the wheel, then the Python README's
#                   examples (read from the wheel's own metadata); a venv
#                   installing the sdist with no Go on PATH; the linux/amd64
#                   command's `demo` and `version`; SHA256SUMS checked.

DIST        := build/dist
DIST_VENV   := build/dist-venv
WHEELHOUSE  := build/wheelhouse
VERSION     := $(shell sed -n 's/^const Version = "\(.*\)"$$/\1/p' wasm/main.go)
DIST_CLI    := linux/amd64 linux/arm64 darwin/arm64 windows/amd64
DIST_LDFLAGS := -s -w -buildid= -X main.version=$(VERSION)

.PHONY: dist dist-test dist-version

# The one version, everywhere it is written.
dist-version:
	@test -n "$(VERSION)" || { echo "dist: no 'const Version = \"...\"' in wasm/main.go"; exit 1; }
	@bad=0; \
	js=$$(node -p 'require("./bindings/js/package.json").version'); \
	init=$$(sed -n 's/^__version__ = "\(.*\)"$$/\1/p' bindings/python/src/gaisort/__init__.py); \
	py=$$(sed -n 's/^version = "\(.*\)"$$/\1/p' bindings/python/pyproject.toml); \
	if [ -z "$$py" ] && grep -q '^version = { attr = "gaisort.__version__" }' bindings/python/pyproject.toml; then py=$$init; fi; \
	for f in "bindings/js/package.json=$$js" "bindings/python/pyproject.toml=$$py" "bindings/python/src/gaisort/__init__.py=$$init"; do \
	  if [ "$${f#*=}" != "$(VERSION)" ]; then echo "dist: $${f%%=*} says version '$${f#*=}', wasm/main.go says '$(VERSION)'"; bad=1; fi; \
	done; exit $$bad

$(DIST_VENV)/bin/python:
	$(PYTHON) -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'build>=1'

dist: dist-version wasm js-tools $(DIST_VENV)/bin/python
	rm -rf $(DIST) && mkdir -p $(DIST)
	cd bindings/js && $(NPM) pack --pack-destination ../../$(DIST)
	GAISORT_WASM=$(CURDIR)/$(WASM) $(DIST_VENV)/bin/python -m build --outdir $(DIST) bindings/python
	@for p in $(DIST_CLI); do \
	  os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  echo "go build gaisort $$os/$$arch"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch GOFLAGS= $(GO) build -trimpath -buildvcs=false \
	    -ldflags '$(DIST_LDFLAGS)' -o $(DIST)/gaisort-$(VERSION)-$$os-$$arch$$ext ./cmd/gaisort || exit 1; \
	done
	@# What an offline install of the wheel or the sdist needs from PyPI.
	$(DIST_VENV)/bin/python -m pip download --quiet --disable-pip-version-check --dest $(WHEELHOUSE) \
	  "$$(sed -n 's/^dependencies = \["\(.*\)"\]$$/\1/p' bindings/python/pyproject.toml)" \
	  "$$(sed -n 's/^requires = \["\(.*\)"\]$$/\1/p' bindings/python/pyproject.toml)"
	cd $(DIST) && sha256sum $$(ls | grep -v '^SHA256SUMS$$') > SHA256SUMS
	@cat $(DIST)/SHA256SUMS

dist-test:
	PYTHON=$(PYTHON) NPM=$(NPM) bash scripts/dist-test.sh $(DIST) $(WHEELHOUSE) $(VERSION)
