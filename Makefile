# Quickstart targets. Both create .venv on first use and install the project with its dev extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

DEMO_DATA := .planner-demo

demo: $(STAMP)
	$(BIN)/python -m planner.demo --out maps
	$(BIN)/python -m planner.web.demo --data-dir $(DEMO_DATA)

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) maps/*.html maps/*/ test-artifacts $(DEMO_DATA)
