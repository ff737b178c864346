# Two commands do everything on a fresh machine:
#   make demo   - create .venv, install, build the sample database, serve the dashboard
#   make test   - create .venv if needed, install, run every test
.DEFAULT_GOAL := test
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DATA := sample_data/demo
DEMO_DB := build/demo.duckdb
PORT ?= 8501
export GX_ANALYTICS_ENABLED := false

.PHONY: help demo demo-db test test-fast test-slow lint sample lock system-deps browser-deps screenshots bench bench-readme bench-large bench-spark docs clean

help:  ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# uv (from PyPI) installs in seconds what pip takes minutes for, and shows progress
UV := $(BIN)/uv
DEMO_STAMP := $(VENV)/.installed-demo
UV_INSTALL = $(UV) pip install --python $(BIN)/python -c constraints.txt

$(UV):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv

# the demo needs the runtime and the PDF extra only (no test tools, no PySpark)
$(DEMO_STAMP): pyproject.toml constraints.txt | $(UV)
	$(UV_INSTALL) -e '.[pdf]'
	touch $(DEMO_STAMP)

$(STAMP): pyproject.toml constraints.txt | $(UV)
	$(UV_INSTALL) -e '.[test,pdf,spark]'
	touch $(STAMP) $(DEMO_STAMP)

venv: $(STAMP)  ## create .venv and install the project with test, PDF and Spark extras

demo-db: $(DEMO_STAMP)  ## build the sample database into build/demo.duckdb
	$(BIN)/equity build --data $(DEMO_DATA) --db $(DEMO_DB)

demo: demo-db  ## build the sample database and serve the dashboard on 127.0.0.1:$(PORT)
	EQUITY_REVIEW_WRITES=anyone $(BIN)/equity dashboard --db $(DEMO_DB) --port $(PORT)   # local demo: review entries on without sign-in

test: $(STAMP) system-deps browser-deps  ## run all tests incl. browser, accessibility, PDF and Spark parity checks
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q   # loadgroup: Spark tests share one worker and session; exit code 5 (no tests) fails make too

lint: $(STAMP)  ## the fast first tier: ruff (bug-class rules), ruff format --check and the import contract
	$(BIN)/ruff check pipelines dashboard tests benchmarks sample_data scripts
	$(BIN)/ruff format --check pipelines dashboard tests benchmarks sample_data scripts   # `ruff format` fixes it
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_import_contract.py

test-fast: $(STAMP)  ## the fast tier: every test not marked slow (no sample build, browser or Spark; no system packages)
	$(BIN)/python -m pytest -n 2 -q -p no:cacheprovider -m "not slow"

test-slow: $(STAMP) system-deps browser-deps  ## the slow tier: sample builds, browser, PDF and Spark (what test-fast skips)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q -p no:cacheprovider -m slow   # loadgroup: Spark tests share one worker

sample: $(STAMP)  ## regenerate the committed sample data folder
	$(BIN)/python sample_data/regenerate.py

bench: $(STAMP) system-deps  ## benchmarks on the W1 workload -> benchmarks/results/latest.md and the README table
	$(BIN)/python benchmarks/run_all.py --workload W1
	$(BIN)/python benchmarks/run_all.py --readme

bench-readme: $(STAMP)  ## copy the summary of benchmarks/results/latest.md into the README Performance table
	$(BIN)/python benchmarks/run_all.py --readme

bench-large: $(STAMP)  ## build benchmark on W2 (200k employees, 20M spend rows; several GB in a temp dir)
	$(BIN)/python benchmarks/run_all.py --workload W2

docs: $(STAMP)  ## regenerate docs generated from the code (metric reference, data contract)
	$(BIN)/python -m pipelines.docs

lock: $(STAMP)  ## refresh constraints.txt from the current environment
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

system-deps:  ## install OS packages for browser, PDF and Spark checks (chromium, poppler-utils, Java 17)
	@if command -v chromium >/dev/null && command -v pdftotext >/dev/null && fc-list 2>/dev/null | grep -q DejaVuSans \
	    && java -version 2>&1 | grep -q 'version "17'; then \
	  echo "system packages present"; \
	else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends chromium poppler-utils fonts-dejavu-core openjdk-17-jre-headless; \
	fi

browser-deps:  ## install axe-core (npm) for the accessibility checks
	@test -f tests/browser/node_modules/axe-core/axe.min.js || (cd tests/browser && npm ci --no-audit --no-fund)

screenshots: $(STAMP) system-deps  ## every page and PDF page into screenshots/; the README's images into docs/images/
	$(BIN)/python scripts/screenshots.py --out screenshots --readme docs/images

bench-spark: $(STAMP) system-deps  ## DuckDB vs local Spark on the W1 workload (10k employees; minutes)
	$(BIN)/python benchmarks/bench_spark.py

clean:  ## remove build outputs (not .venv)
	rm -rf build .pytest_cache
