# Two commands for a fresh machine: `make run` and `make test`. Everything else is set-up
# they call, or benchmarks that are never part of the test suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# FLASK_SKIP_DOTENV: settings come only from the environment, never from a stray .env file.
FLASK := FLASK_SKIP_DOTENV=1 $(BIN)/flask --app app
STAMP := $(VENV)/.installed
# The English catalogue: the .po is committed, the compiled .mo is built here (not committed).
TRANSLATIONS := catalog/translations
MO := $(TRANSLATIONS)/en/LC_MESSAGES/messages.mo
NODE_STAMP := tests/browser/node_modules/.installed

.PHONY: run serve test check setup system-deps db lint format translations fonts screenshots bench-search bench-images bench-load clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.txt requirements-dev.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

# What pip cannot install: Debian's Chromium (browser tests), Java (the HTML checker), npm,
# PostgreSQL (the suite's second pass and the PostgreSQL search backend), Redis (shared rate
# limits) and wrk (make bench-load). Installed with apt-get when missing and we are root;
# otherwise say what is needed.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql postgresql-contrib"; \
	command -v pg_dump >/dev/null || missing="$$missing postgresql-client"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "Please install:$$missing (Debian package names)"; exit 1; fi; \
	fi

# The W3C Nu HTML checker and axe-core, used by the page-quality tests.
$(NODE_STAMP): tests/browser/package.json tests/browser/package-lock.json | system-deps
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Rebuilt whenever the .po changes, so `make run` and `make test` always serve current English.
$(MO): $(TRANSLATIONS)/en/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)
	touch $(MO)

setup: $(STAMP) $(MO)

# For developers after changing user-facing text: re-extract the messages (babel.cfg), merge
# them into the .po (new and changed ones untranslated), then translate the
# empty entries in $(TRANSLATIONS)/en/LC_MESSAGES/messages.po and run `make setup`.
translations: $(STAMP)
	PYTHONPATH=. $(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext -k N_ --no-location \
	  --sort-output -w 100 --project "Chợ Việt" --copyright-holder "Chợ Việt" \
	  -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -w 100 \
	  --ignore-pot-creation-date --no-fuzzy-matching
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS) --statistics

db: setup
	$(FLASK) db upgrade
	$(FLASK) catalog seed-demo --if-empty
	$(FLASK) search sync
	@$(FLASK) search check >/dev/null || $(FLASK) search rebuild

run: db
	$(FLASK) run --host 127.0.0.1 --port 5000

# Production serving: gunicorn with several workers (gunicorn.conf.py; CHOVIET_BIND,
# CHOVIET_WORKERS, CHOVIET_THREADS). Production settings: CHOVIET_SECRET_KEY must be set.
# Production serving (docs/operations.md): migrations and the search outbox, never the demo
# catalogue, then gunicorn with gunicorn.conf.py. Needs CHOVIET_SECRET_KEY (production mode).
serve: setup
	$(FLASK) db upgrade
	$(FLASK) search sync
	$(BIN)/gunicorn -c gunicorn.conf.py

# The suite runs twice, both passes at once (each test mostly waits on something part of the
# time: Chromium, Java, gunicorn workers, PostgreSQL; together they fill the two cores):
# pass 1 on SQLite with the Whoosh index (the embedded defaults), pass 2 on a throwaway
# PostgreSQL cluster (.ci/pg-cluster, stopped at the end) with the PostgreSQL search backend.
# Tests that need PostgreSQL or Redis in pass 1 use the same cluster and start their own
# redis-server; CHOVIET_REQUIRE_SERVICES turns a missing one into a failure.
PG_TEST_DIR := $(CURDIR)/instance/test-postgres
PG_TEST_PORT ?= 55433
PYTEST := $(BIN)/python -m pytest -n 2 --dist loadfile --durations=15
# Pass 2 runs every test that opens a database (pages, journeys, gunicorn and multi-process
# tests included); only the tests that never open one (conftest marks them no_database:
# nothing there can differ on PostgreSQL) run once, in pass 1.
PG_PASS_ARGS ?= -m "not no_database"

test: setup system-deps $(NODE_STAMP) lint
	$(BIN)/bandit -q -r catalog search_index app.py gunicorn.conf.py --severity-level high
	@trap '.ci/pg-cluster stop "$(PG_TEST_DIR)"' EXIT; \
	url=$$(.ci/pg-cluster start "$(PG_TEST_DIR)" $(PG_TEST_PORT)) || exit 1; \
	export CHOVIET_REQUIRE_SERVICES=1 CHOVIET_TEST_POSTGRES_URL="$$url"; \
	pg_log="$(CURDIR)/instance/pytest-postgres.log"; \
	start=$$(date +%s); \
	( CHOVIET_TEST_DATABASE_URL="$$url" CHOVIET_TEST_SEARCH_BACKEND=postgres \
	  $(PYTEST) --basetemp="$(CURDIR)/instance/pytest-postgres" $(PG_PASS_ARGS) >"$$pg_log" 2>&1; \
	  status=$$?; echo "Pass 2 took $$(( $$(date +%s) - start )) s" >>"$$pg_log"; exit $$status ) & \
	pg_pass=$$!; \
	echo "== Pass 1: SQLite, Whoosh (pass 2 runs beside it; its log follows) =="; \
	$(PYTEST) --basetemp="$(CURDIR)/instance/pytest-sqlite"; one=$$?; \
	echo "Pass 1 took $$(( $$(date +%s) - start )) s"; \
	wait $$pg_pass; two=$$?; \
	echo "== Pass 2: PostgreSQL, PostgreSQL search =="; cat "$$pg_log"; \
	echo "make test took $$(( $$(date +%s) - start )) s"; \
	[ $$one -eq 0 ] && [ $$two -eq 0 ]

# The loop to run while working (README): lint, types and the SQLite tests that need no
# browser, no gunicorn, no PostgreSQL and no other process; a few minutes on two cores.
# `make test` (CI) stays the whole truth.
CHECK_ARGS ?= -m "not page_checks and not browser and not gunicorn and not slow"
check: setup lint
	@start=$$(date +%s); \
	$(PYTEST) --basetemp="$(CURDIR)/instance/pytest-check" $(CHECK_ARGS); status=$$?; \
	echo "make check took $$(( $$(date +%s) - start )) s"; exit $$status

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Be Vietnam Pro for the site, one small woff2 per weight: Latin letters, the Vietnamese
# letters and tone marks, the dong sign and the punctuation the pages use (issue 14, point 5).
# Built from the full fonts in catalog/demo/fonts; the results are committed in static/fonts,
# so run this only after changing the character list (keep the @font-face unicode-range in
# static/css/site.css the same).
FONT_UNICODES := U+0020-007E,U+00A0-00FF,U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,U+01A0-01A1,U+01AF-01B0,U+0300-0301,U+0303,U+0309,U+0323,U+1EA0-1EF9,U+2013-2014,U+2018-2019,U+201C-201D,U+2022,U+2026,U+2039-203A,U+20AB,U+2264-2265
fonts: setup
	for weight in 400:Regular 600:SemiBold; do \
	  $(BIN)/pyftsubset catalog/demo/fonts/BeVietnamPro-$${weight#*:}.ttf \
	    --unicodes="$(FONT_UNICODES)" --layout-features='kern,liga,mark,mkmk,ccmp,locl' \
	    --no-hinting --desubroutinize --flavor=woff2 \
	    --output-file=static/fonts/be-vietnam-pro-$${weight%%:*}.woff2 || exit 1; \
	done

# Screenshots for the README (desktop and 390-px phone), taken with headless Chromium.
screenshots: setup
	$(BIN)/python -m docs.screenshots

bench-search: setup
	$(BIN)/python -m bench.search_bench

bench-images: setup
	$(BIN)/python -m bench.images_bench

# The public pages under gunicorn (20k products) beside a bare Flask endpoint; needs wrk.
bench-load: setup
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing: wrk"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; \
	  else echo "Please install: wrk (Debian package name)"; exit 1; fi; }
	$(BIN)/python -m bench.load_bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/browser/node_modules
