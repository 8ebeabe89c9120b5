# Each target sets up what it needs: a fresh clone with Python 3.11+ runs `make conformance`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Hypothesis and pytest cache their work in bytecode; an environment that forbids it doubles
# pytest's start-up (research notes, stack-notes section 4e).
unexport PYTHONDONTWRITEBYTECODE

# The locks: every package pinned with its hashes, for every platform, from pyproject.toml's
# ranges; a pin that still fits is kept (uv reads the lock it writes).
LOCK = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--quiet --custom-compile-command "make lock"

.PHONY: conformance test lint serve clean lock lock-check docs docs-serve

$(STAMP): requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## Pin again after a change of pyproject.toml's dependencies: runtime, then development.
lock: $(STAMP)
	$(LOCK) -o requirements.lock
	$(LOCK) --extra dev -c requirements.lock -o requirements-dev.lock

## Whether the locks are what `make lock` makes from pyproject.toml (in a copy: nothing changes).
lock-check: $(STAMP)
	rm -rf $(VENV)/lock-check && mkdir $(VENV)/lock-check
	cp pyproject.toml requirements.lock requirements-dev.lock $(VENV)/lock-check/
	cd $(VENV)/lock-check && $(MAKE) --no-print-directory -f $(CURDIR)/Makefile \
		BIN=$(CURDIR)/$(BIN) STAMP= lock
	diff -u requirements.lock $(VENV)/lock-check/requirements.lock \
		&& diff -u requirements-dev.lock $(VENV)/lock-check/requirements-dev.lock \
		|| { echo "The locks are out of date with pyproject.toml: run make lock"; exit 1; }

## The conformance suite against the embedded reference server (or ARGS="--base-url ...").
conformance: $(STAMP)
	$(BIN)/pytest conformance $(ARGS)

## The kit's own tests: the contract, the reference server, broken servers, variants. Two
## workers, a test file each at a time: the tests that only wait (hostile targets, installs)
## run beside the pools of suite runs instead of leaving a core idle. TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/pytest tests -n $(TEST_WORKERS) --dist loadfile $(ARGS)

## Format, lint and type checks.
lint: $(STAMP)
	$(BIN)/ruff format --check conformance tests benchmarks docs/hooks
	$(BIN)/ruff check conformance tests benchmarks docs/hooks
	$(BIN)/mypy

## Mutation testing of the reference server: every mutant takes hours on 2 cores; a seeded
## sample with ARGS="--sample 40 --seed 1"; ARGS="--workers 2" on a quiet machine.
.PHONY: mutation
mutation: $(STAMP)
	$(BIN)/python -m benchmarks.mutation $(ARGS)

## openapi/coverage.md, generated: requirement -> cases -> broken servers -> variants.
.PHONY: coverage
coverage: $(STAMP)
	$(BIN)/python -m tests.contract.coverage

## openapi/devices-8.5.2.yaml, generated: the 8.5.0 contract and the overlay of 8.5.2.
.PHONY: profiles
profiles: $(STAMP)
	$(BIN)/python -m tests.contract.overlay

## The documentation site, into site/: strict (a broken link, anchor or page fails), offline.
## Each profile's contract page first (Redoc, from node_modules: npm ci); one command writes
## both, the 8.5.2 page last.
DOCS_PAGES = docs/build/devices-8.5.2.html

# npm writes node_modules/.package-lock.json on install: older than the lock, it is installed again.
NODE_STAMP = node_modules/.package-lock.json

$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(DOCS_PAGES): $(NODE_STAMP) openapi/devices.yaml openapi/devices-8.5.2.yaml
	$(BIN)/python -m conformance.report.docs

docs: $(STAMP) $(NODE_STAMP) $(DOCS_PAGES)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

## The site served on http://127.0.0.1:8000, rebuilt as its sources change.
docs-serve: $(STAMP) $(NODE_STAMP) $(DOCS_PAGES)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --strict

## The reference server on port 8080, by hand.
serve: $(STAMP)
	$(BIN)/python -m conformance.reference --port 8080

clean:
	rm -rf $(VENV) site docs/build reports/*.json reports/*.md reports/*.xml reports/*.html
