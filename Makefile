# Two commands for a fresh machine: `make run` and `make test`. Everything else is set-up
# they call, or benchmarks that are never part of the test suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed

.PHONY: run test setup db lint format serve bench-search bench-images clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

db: setup
	$(FLASK) db upgrade
	$(FLASK) catalog seed-demo --if-empty

run: db
	$(FLASK) run --host 127.0.0.1 --port 5000

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench-search: setup
	$(BIN)/python -m bench.search_bench

bench-images: setup
	$(BIN)/python -m bench.images_bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
