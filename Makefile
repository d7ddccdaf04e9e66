# Prima: every target sets itself up; `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/prima

.PHONY: setup demo serve test test-postgres e2e lint format typecheck bench clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Front-end assets come from the npm registry (exact versions in package-lock.json).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --silent
	touch $@

demo: setup
	PRIMA_DEMO=1 $(BIN)/prima demo
	PORT=$(PORT) PRIMA_DEMO=1 $(BIN)/prima serve

serve: setup
	PORT=$(PORT) $(BIN)/prima serve

test: setup
	$(BIN)/pytest -n 2 -q

test-postgres: setup
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -n 2 -q

e2e: setup
	$(BIN)/pytest -q -m e2e -p no:xdist

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy prima

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python -m bench.run

.PHONY: bench-pkri
bench-pkri: setup
	$(BIN)/python -m bench.pkri

# SKM at national scale (bench/skm.py) on SQLite and on PostgreSQL (its own database
# <name>_bench_skm on the server of DATABASE_URL or PG_URL); quick run: SKM_ARGS=--quick
.PHONY: bench-skm
bench-skm: setup
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.skm --postgres $${DATABASE_URL:-$(PG_URL)} $(SKM_ARGS)

clean:
	rm -rf $(VENV) node_modules var
