# Two commands for a fresh machine: `make run` and `make test`. Everything else is set-up
# they call, or benchmarks that are never part of the test suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed
NODE_STAMP := tests/browser/node_modules/.installed

.PHONY: run test setup system-deps db lint format screenshots bench-search bench-images clean

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

setup: $(STAMP)

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
