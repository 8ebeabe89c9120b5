# Each target sets up what it needs: a fresh clone with Python 3.11+ runs `make conformance`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Hypothesis and pytest cache their work in bytecode; an environment that forbids it doubles
# pytest's start-up (research notes, stack-notes section 4e).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: conformance test lint serve clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## The conformance suite against the embedded reference server (or ARGS="--base-url ...").
conformance: $(STAMP)
	$(BIN)/pytest conformance $(ARGS)

## The kit's own tests: the contract, the reference server, broken servers, variants.
test: $(STAMP)
	$(BIN)/pytest tests $(ARGS)

## Format, lint and type checks.
lint: $(STAMP)
	$(BIN)/ruff format --check conformance tests
	$(BIN)/ruff check conformance tests
	$(BIN)/mypy

## openapi/coverage.md, generated: requirement -> cases -> broken servers -> variants.
.PHONY: coverage
coverage: $(STAMP)
	$(BIN)/python -m tests.contract.coverage

## The reference server on port 8080, by hand.
serve: $(STAMP)
	$(BIN)/python -m conformance.reference --port 8080

clean:
	rm -rf $(VENV) reports/*.json reports/*.md reports/*.xml reports/*.html
