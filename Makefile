# FieldRep: `make run` sets everything up and runs the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed

.PHONY: run setup pwa wheel test test-pwa test-sqlite test-postgres browser-deps proxy-deps lint bench clean

run: setup pwa
	$(BIN)/fieldrep demo

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

pwa: pwa/dist/index.html

pwa/dist/index.html: $(shell find pwa/src pwa/public pwa/index.html pwa/package.json pwa/vite.config.* pwa/scripts -type f 2>/dev/null)
	cd pwa && npm ci --no-audit --no-fund && npm run build

# The wheel an operator installs (`pip install dist/fieldrep-*.whl`): it carries the PWA build.
wheel: setup pwa
	rm -rf build dist
	$(BIN)/pip wheel --quiet --no-deps --no-build-isolation -w dist .
	@ls dist/*.whl

# Debian's Chromium drives the browser tests (never a downloaded browser build).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

# Debian's nginx for the two-host test (two gunicorn instances behind one proxy).
proxy-deps:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; fi; }

# SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (on the migrated schema).
test: setup pwa browser-deps proxy-deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(MAKE) --no-print-directory test-pwa
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	 else echo "TEST_DATABASE_URL not set: PostgreSQL pass skipped (CI sets it)"; fi

# The PWA's unit tests (outbox, mutators, push-result handling) on node's test runner.
test-pwa: pwa
	cd pwa && npm test

test-sqlite:
	env -u TEST_DATABASE_URL $(PY) -m pytest -q -p no:cacheprovider

# The wheel test is engine-agnostic and slow: it runs once, in the SQLite pass.
test-postgres:
	FIELDREP_TEST_SCHEMA=migrations $(PY) -m pytest -q -p no:cacheprovider -m "not wheel"

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: setup pwa browser-deps
	$(BIN)/pip install --quiet -e ".[bench]"
	@echo "See docs/benchmarks.md for each benchmark's command."

clean:
	rm -rf $(VENV) pwa/dist pwa/node_modules instance build dist
