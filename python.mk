# python.mk: the Python binding (bindings/python), included by the Makefile.
#
#   make py-test    a virtual environment in build/venv, the package installed
#                   from bindings/python with its test dependencies (the
#                   module from `make wasm` shipped inside it), and pytest:
#                   fails if a test fails or if no test ran.
#   make py-bench   the binding's benchmarks (per call; cold start).
PYTHON  ?= python3
PY_VENV ?= build/venv
PYTEST_ARGS ?=

.PHONY: py-test py-bench py-venv py-install

$(PY_VENV)/bin/python:
	$(PYTHON) -m venv $(PY_VENV)

py-venv: $(PY_VENV)/bin/python

# --force-reinstall --no-deps: the wheel's version does not change when the
# module does, so pip would otherwise keep an old gaisort.wasm.
py-install: wasm py-venv
	$(PY_VENV)/bin/python -m pip install --quiet --disable-pip-version-check "./bindings/python[test]"
	$(PY_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./bindings/python

py-test: py-install
	rm -f build/py-test.xml
	cd bindings/python && GO="$(GO)" ../../$(PY_VENV)/bin/python -m pytest -q --junitxml=../../build/py-test.xml $(PYTEST_ARGS)
	$(PY_VENV)/bin/python bindings/python/scripts/junit_ran.py build/py-test.xml

py-bench: py-install
	$(PY_VENV)/bin/python bindings/python/scripts/bench.py
