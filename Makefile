# Two commands for a fresh machine: `make run` and `make test`. Everything else is set-up
# they call, or benchmarks that are never part of the test suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed
# The English catalogue: the .po is committed, the compiled .mo is built here (not committed).
TRANSLATIONS := catalog/translations
MO := $(TRANSLATIONS)/en/LC_MESSAGES/messages.mo
NODE_STAMP := tests/browser/node_modules/.installed

.PHONY: run test setup system-deps db lint format translations screenshots bench-search bench-images clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# What pip cannot install: Debian's Chromium (browser checks), Java (the HTML checker) and
# npm. Installed with apt-get when missing and we are root; otherwise say what is needed.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
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

test: setup system-deps $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Screenshots for the README (desktop and 390-px phone), taken with headless Chromium.
screenshots: setup
	$(BIN)/python -m docs.screenshots

bench-search: setup
	$(BIN)/python -m bench.search_bench

bench-images: setup
	$(BIN)/python -m bench.images_bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/browser/node_modules
