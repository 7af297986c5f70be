# The index of commands. `make run` and `make test` work on a fresh clone with Python >= 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# The HSDS 3.0 schemas sit beside the repository on our machines (never inside it); where they
# are, the tests validate exports and API answers against them, elsewhere they skip and say so.
HSDS_SCHEMA_DIR ?= $(wildcard $(CURDIR)/../shared/hsds-3.0/schema)
export HSDS_SCHEMA_DIR
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run setup install migrate seed test test-pg lint fmt check bench messages clean

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "Serve Python 3.11 o più recente (trovato: $$($(PYTHON) --version))"; exit 1)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned dependencies

migrate: install ## apply database migrations
	@mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate ## load reference data and the demo network (idempotent)
	$(PY) manage.py load_reference
	$(PY) manage.py load_content
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_engagement_demo
	$(PY) manage.py load_lexicon

setup: seed ## everything `run` does except serving

run: setup ## install, migrate, load data, print demo logins, serve on http://127.0.0.1:8000
	$(PY) manage.py demo_logins
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install ## the whole test suite (SQLite)
	$(BIN)/pytest -n 2 -q

test-pg: install ## the whole test suite on PostgreSQL (DATABASE_URL, default the local server)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n 2 -q

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install ## format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install ## Django system checks and no pending migrations
	@mkdir -p var
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

bench: setup ## speed figures on a synthetic catalogue (BENCH_SERVICES, default 20000), SQLite and PostgreSQL
	scripts/bench.sh

messages: install ## extract interface strings into locale/ and compile the catalogues (needs GNU gettext)
	$(PY) manage.py makemessages $(foreach l,en ro ar uk fr es pa,-l $(l)) --no-location \
		--ignore=".venv/*" --ignore="*/tests/*" --ignore="staticfiles/*" --ignore="node_modules/*"
	$(PY) manage.py compilemessages --ignore=".venv/*"

clean: ## remove the virtualenv and local data
	rm -rf $(VENV) var staticfiles
