# The two quick-start commands, and the pieces they are made of.
PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install install-test serve test lint

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,transformer,ray,parquet]'

serve: install
	$(BIN)/solieu serve

lint: install-test
	$(BIN)/ruff check solieu models training service tests benchmarks

test: install-test lint
	$(BIN)/solieu annotations validate annotations/corpus
	$(BIN)/python -m pytest -q
