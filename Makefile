# liidi — two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= ../shared/data

.PHONY: demo test lint typecheck unit install bench evaluate docs clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e ".[spark]"
	touch $(STAMP)

install: $(STAMP) ## Create the virtual environment from the lock file.

demo: $(STAMP) ## Generate demo data into ./liidi.db and start the server on http://127.0.0.1:8000.
	$(BIN)/liidi demo start

lint: $(STAMP) ## Ruff, and the layer contracts in pyproject.toml ([tool.importlinter]).
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck unit ## Lint, type checks and the whole suite on SQLite and PostgreSQL.

bench: $(STAMP) ## Ingestion benchmark; figures go to docs/benchmarks.md by hand.
	$(BIN)/python bench/ingest.py

evaluate: $(STAMP) ## Acceptance on real data in $(DATA): liidi against scikit-learn and pandas (docs/evaluation.md).
	$(BIN)/python bench/evaluate.py --data $(DATA)

docs: $(STAMP) ## Regenerate docs/cli.md from --help.
	$(BIN)/liidi docs-cli docs/cli.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache liidi.db liidi.db-wal liidi.db-shm
