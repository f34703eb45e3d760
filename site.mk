# site.mk: the in-browser calculator (site/). Included by the Makefile;
# needs GO, and the wasm target of wasm.mk.
#
#   make site        build/site: the static files, the JS package
#                    (bindings/js) under gaisort/, gaisort.wasm and its
#                    precompressed gaisort.wasm.gz, the catalog page's
#                    catalog.json (from docs/, made by `make catalog`)
#   make serve       build the site and serve it on http://localhost:8080
#                    (SITE_ADDR=host:port to change; Ctrl-C stops)
#   make site-test   end-to-end tests in Debian's chromium (/usr/bin/chromium)
#                    driven by playwright-core (site/test); screenshots and
#                    figures in build/site-test/

GO        ?= go
SITE_DIR  := build/site
SITE_ADDR ?= localhost:8080
SITE_SRC  := $(wildcard site/*.html site/*.css site/*.js)

.PHONY: site serve site-test

site: wasm
	@rm -rf $(SITE_DIR) && mkdir -p $(SITE_DIR)/gaisort
	cp $(SITE_SRC) $(SITE_DIR)/
	@# The catalog page's data (make catalog writes it; catalog.html reads it).
	cp docs/catalog.json $(SITE_DIR)/catalog.json
	cp bindings/js/index.js bindings/js/wasi.js $(SITE_DIR)/gaisort/
	cp build/gaisort.wasm $(SITE_DIR)/gaisort.wasm
	@# Precompressed copies, served by site/serve when the client accepts gzip.
	cd $(SITE_DIR) && for f in gaisort.wasm *.html *.css *.js *.json gaisort/*.js; do gzip -9 -n -k -f "$$f"; done
	@echo "$(SITE_DIR): $$(wc -c < $(SITE_DIR)/gaisort.wasm) bytes of wasm, $$(wc -c < $(SITE_DIR)/gaisort.wasm.gz) gzipped"

serve: site
	$(GO) build -o build/site-serve ./site/serve
	build/site-serve -addr $(SITE_ADDR) -dir $(SITE_DIR)

site-test: site
	@test -x /usr/bin/chromium || { echo "site-test: /usr/bin/chromium missing: make deps (or apt-get install -y chromium)"; exit 1; }
	cd site/test && { test -d node_modules/playwright-core || npm ci --no-audit --no-fund; } && node --test --test-concurrency=1
