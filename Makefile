# Conformo: `make run` serves the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
THREADS ?= 1
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PYTHON ?= $(shell scripts/find-python)
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install run serve static migrate catalogs demo test lint types contracts checks test-sqlite test-postgres lock clean

help:
	@echo "make run    install, migrate, load catalogs and demo data, serve on HOST:PORT ($(HOST):$(PORT))"
	@echo "make test   lint, types, import contracts, Django checks, the suite on SQLite and PostgreSQL"
	@echo "make install | migrate | catalogs | demo | serve | lint | types | contracts | test-sqlite | test-postgres"

# The virtualenv is rebuilt when the pinned requirements change.
$(VENV)/.installed: requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { scripts/find-python >/dev/null; exit 1; }
	@if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $(PYTHON)"; "$(PYTHON)" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-virtualenv -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/conformo migrate --no-input -v 0

catalogs: migrate
	$(BIN)/conformo catalog load

demo: catalogs
	$(BIN)/conformo demo

# Static files are collected (hashed and compressed) only when they changed since the last run.
STATIC_MANIFEST := $(or $(CONFORMO_VAR_DIR),var)/static/staticfiles.json
$(STATIC_MANIFEST): $(VENV)/.installed $(shell find conformo/static -type f 2>/dev/null)
	$(BIN)/conformo collectstatic --no-input -v 0

static: $(STATIC_MANIFEST)

run: demo static
	@$(MAKE) --no-print-directory serve

# granian (WSGI) won the side-by-side measurement against gunicorn: see docs/deployment.md and bench/server.py.
# The background worker (e-mail, digests, daily reminders) runs beside the server and stops with it.
serve: install
	@echo "Serving Conformo on http://$(HOST):$(PORT)/ (granian, $(WORKERS) workers) with its background worker. Ctrl-C stops both."
	@export SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import os; from conformo.cli import ensure_secret_key; ensure_secret_key(); print(os.environ["SECRET_KEY"])')}"; \
	export BASE_URL="$${BASE_URL:-http://$(HOST):$(PORT)}"; \
	$(BIN)/conformo worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers $(WORKERS) \
	  --blocking-threads $(THREADS) --respawn-failed-workers conformo.wsgi:application

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install
	$(BIN)/mypy conformo bench
	$(BIN)/mypy --strict conformo/domain

contracts: install
	$(BIN)/lint-imports

checks: install
	CONFORMO_TESTING=1 $(PY) manage.py check --fail-level WARNING
	CONFORMO_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

test-sqlite: install
	$(BIN)/pytest -q

# A throwaway database per run; pytest-django creates (and drops) test_<name>. Its own var directory (uploads), so
# it can run beside the SQLite half.
test-postgres: install
	@if $(PY) scripts/pg-reachable "$(PG_URL)"; then \
	  mkdir -p var/test-postgres; \
	  CONFORMO_VAR_DIR=var/test-postgres DATABASE_URL="$(PG_URL:/postgres=)/conformo_ci_$$$$" $(BIN)/pytest -q --create-db; \
	else \
	  echo; echo "************************************************************"; \
	  echo "*** PostgreSQL is NOT reachable at $(PG_URL)"; \
	  echo "*** The PostgreSQL half of the suite was SKIPPED."; \
	  echo "************************************************************"; echo; \
	fi

# The two halves of the suite run side by side (each is one process; together they use two cores), each one's
# output printed in one piece when it ends. Measured: docs/performance.md, "The test suite".
test: lint types contracts checks
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

lock:
	$(PY) -m pip freeze --all --exclude-editable | grep -v -E "^(conformo|pip)==" > requirements.lock.new
	{ echo "# Fully pinned dependencies (runtime + development), installed by 'make install'."; echo "# Regenerate: make lock"; cat requirements.lock.new; } > requirements.lock; rm requirements.lock.new

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
