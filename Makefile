# omsgen: every target bootstraps .venv from a bare python3 on first use (pinned by constraints.txt).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.bootstrapped
PIP := $(BIN)/python -m pip
SPEC := spec/oms-sync-tasks.yaml
RELEASES := spec/releases
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8080
DIST_DIR ?= dist
CONTRACT_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help bootstrap generate check-generated check-compat release lint typecheck test test-fast mock contract dist bench bench-smoke clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 18

bootstrap: $(STAMP) ## create .venv with the pinned toolchain

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip==26.3
	$(PIP) install --quiet -c constraints.txt --config-settings editable_mode=compat -e ".[dev]"
	# generated/ is installed editable, so regenerating it needs no reinstall.
	if [ -f generated/pyproject.toml ]; then $(PIP) install --quiet -c constraints.txt --no-build-isolation -e ./generated; fi
	touch $(STAMP)

generate: $(STAMP) ## regenerate generated/ from the spec
	$(BIN)/python -m generator

check-generated: $(STAMP) ## fail with a diff when generated/ is stale
	$(BIN)/python -m generator --check

check-compat: $(STAMP) ## fail when the spec changed since the last release without the semver bump it needs
	$(BIN)/python -m generator --spec $(SPEC) --diff $(RELEASES)

release: $(STAMP) ## record the spec as released (spec/releases/<info.version>.yaml) once check-compat passes
	$(BIN)/python -m generator.compat release --spec $(SPEC) --releases $(RELEASES)

lint: $(STAMP) ## ruff on the toolkit and on generated/
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/ruff check generated
	$(BIN)/ruff format --check generated

typecheck: $(STAMP) ## mypy --strict on the toolkit and on generated/
	$(BIN)/mypy generator oms_spec oms_mock oms_contract devtools bench
	# Each test folder is its own import root (conftest.py and helper modules are per folder).
	for d in tests/*/; do $(BIN)/mypy "$$d" || exit 1; done
	cd generated && ../$(BIN)/mypy --strict oms_sync_client

test: check-generated check-compat lint typecheck ## drift check, compatibility gate, lint, types, then pytest
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test-fast: $(STAMP) ## pytest only, no drift/lint/type checks
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

mock: $(STAMP) ## serve the mock OMS on $(HOST):$(PORT)
	$(BIN)/oms-mock serve --host $(HOST) --port $(PORT)

# Without BASE_URL: against a mock served for the run on a free loopback port (devtools/contract_on_mock.py), so
# the contract suite itself never imports the mock.
contract: $(STAMP) ## run the contract suite (a mock served for the run, or BASE_URL with PROJECT_ID and credentials)
ifeq ($(BASE_URL),)
	$(BIN)/python -m devtools.contract_on_mock --spec $(SPEC) -- --report-dir reports/contract $(CONTRACT_ARGS)
else
	$(BIN)/oms-contract --base-url "$(BASE_URL)" --project-id "$(PROJECT_ID)" --report-dir reports/contract $(CONTRACT_ARGS)
endif

dist: $(STAMP) ## sdists and wheels of oms-sync-client, oms-spec, oms-mock, oms-contract and omsgen into $(DIST_DIR)/
	$(BIN)/python -m devtools.build_dists --spec $(SPEC) --out $(DIST_DIR)

bench: $(STAMP) ## run every benchmark and rewrite bench/RESULTS.md
	$(BIN)/python -m bench

bench-smoke: $(STAMP) ## every benchmark with tiny counts (part of the tests)
	$(BIN)/python -m bench --smoke

clean: ## remove the venv and caches
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis reports dist
