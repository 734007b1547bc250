# Two commands do all the set-up: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# The demo is the November 2014 campaign: the app's clock reads this date. Empty: real clock.
APP_TODAY ?= 2014-11-12
FLASK := $(BIN)/flask --app app

.PHONY: run test fuzz lint check-system translations extract-messages clean help bench-reminders bench-pdf bench-import bench-load bench-load-100k bench-profile

help:
	@echo "make run    - set up and start the app with demo data on http://$(HOST):$(PORT)"
	@echo "make test   - set up and run ruff and the test suite"
	@echo "make lint   - ruff and the import layers (import-linter)"
	@echo "make fuzz   - hostile input on every route and role, long profile"

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	@$(PYTHON) tools/check_system.py  # PyICU builds against the system's ICU
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

check-system: $(VENV)/.installed
	@$(BIN)/python tools/check_system.py

# Compiled catalogues (.mo) are build products, not committed.
translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d translations > /dev/null

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output --omit-header --no-wrap app.py cli.py jobs.py admin auth cases catalogue core deadlines inspections registry web templates
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --no-wrap

run: check-system translations
	@$(BIN)/python tools/instance_keys.py
	@APP_TODAY=$(APP_TODAY) $(FLASK) init-db
	@APP_TODAY=$(APP_TODAY) BASE_URL=http://$(HOST):$(PORT) $(FLASK) demo-data --if-empty
	@# the demo's decisions name some measures only as text, as init-db finds them on a later run
	@APP_TODAY=$(APP_TODAY) $(FLASK) decisions legacy-measures > /dev/null
	@echo
	@echo "  Online information inspection — http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password demo-2014): inspector, supervisor, admin"
	@if [ -n "$(APP_TODAY)" ]; then echo "  The app's date is fixed at $(APP_TODAY) (APP_TODAY=  for the real clock)"; fi
	@echo "  E-mails go to instance/mail-spool/ unless MAIL_SERVER is set (see README)."
	@echo
	@trap 'kill 0' EXIT INT TERM; \
	  APP_TODAY=$(APP_TODAY) BASE_URL=http://$(HOST):$(PORT) $(FLASK) scheduler run & \
	  APP_TODAY=$(APP_TODAY) BASE_URL=http://$(HOST):$(PORT) $(FLASK) run --host $(HOST) --port $(PORT) --no-reload; \
	  wait

# ruff, then the layers (legal < core < auth < catalogue < deadlines < cases, registry,
# admin < web < app, cli, jobs; contracts in .importlinter, docs/architecture.md).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# The suite in parallel, one database per worker (TEST_WORKERS=0 runs it in one process).
TEST_WORKERS ?= auto
test: check-system translations lint
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

# The hostile-input guard (tests/test_fuzz.py) in its long profile: more examples for every
# route and role; prints how many requests it made.
fuzz: check-system translations
	FUZZ_PROFILE=long $(BIN)/python -m pytest -q -p no:xdist tests/test_fuzz.py

# Planner time and queries per cycle, 10 000 and 100 000 cases, SQLite then PostgreSQL.
bench-reminders: $(VENV)/.installed
	$(BIN)/python -m bench.bench_reminders --cases 100000
	@if pg_isready -h 127.0.0.1 -q 2>/dev/null; then \
	  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS bench_reminders" \
	    -c "CREATE DATABASE bench_reminders" && \
	  $(BIN)/python -m bench.bench_reminders --cases 100000 \
	    --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_reminders; \
	else echo "PostgreSQL not reachable on 127.0.0.1: SQLite figures only"; fi

# Decision rendering: median and p95 per document, RSS growth, against a minimal floor.
bench-pdf: check-system translations
	$(BIN)/python -m bench.bench_pdf --count 300

# Registry import of 10 000 rows (CSV and XLSX): check, preview, confirm, re-import.
bench-import: $(VENV)/.installed translations
	$(BIN)/python -m bench.bench_import --rows 10000
	@if pg_isready -h 127.0.0.1 -q 2>/dev/null; then \
	  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS bench_import" \
	    -c "CREATE DATABASE bench_import" && \
	  $(BIN)/python -m bench.bench_import --rows 10000 \
	    --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_import; \
	else echo "PostgreSQL not reachable on 127.0.0.1: SQLite figures only"; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Load: gunicorn (2 workers) on PostgreSQL with 10 000 cases, wrk for 60 s on the dashboard,
# a case search and a case page as a signed-in user, against a minimal Flask route (floor).
# BENCH_CASES=100000 (or make bench-load-100k) for the same at 100 000 cases.
BENCH_CASES ?= 10000
bench-load: $(VENV)/.installed translations
	@command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install -y wrk"; exit 2; }
	@pg_isready -h 127.0.0.1 -q || { echo "PostgreSQL is not reachable on 127.0.0.1:5432"; exit 2; }
	psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS bench_load" \
	  -c "CREATE DATABASE bench_load"
	$(BIN)/python -m bench.bench_load --cases $(BENCH_CASES) --duration 60 \
	  --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_load

bench-load-100k:
	$(MAKE) bench-load BENCH_CASES=100000

# Where each page's time goes, in process (pyinstrument): SQL, ORM, template, forms,
# session and login, translation; on the database bench-load left (run it first).
bench-profile: $(VENV)/.installed translations
	$(BIN)/python -m bench.profile_pages --reuse \
	  --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_load
