# Quickstart targets. Both create .venv on first use and install the project with its dev extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean locale messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Translations: planner/locale/<lang>/LC_MESSAGES/django.po -> .mo (generated, not committed).
PO_FILES := $(wildcard planner/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

locale: $(MO_FILES)

# After changing a text in the code: extract every message id again and merge it into the
# catalogues (new texts arrive untranslated, vanished ones are kept as obsolete #~ entries).
messages: $(STAMP)
	PYTHONPATH=. $(BIN)/pybabel extract -F babel.cfg --no-wrap --sort-by-file \
	  -k t -k h -k tn:1,2 -k hn:1,2 -k tc:1c,2 -k N_ -k NC_:1c,2 -k pgettext_lazy:1c,2 \
	  --project rivierenland-planner --version 0.1.0 \
	  --copyright-holder "Rivierenland ride planner contributors" \
	  -o planner/locale/django.pot .
	$(BIN)/pybabel update --no-wrap --no-fuzzy-matching -D django -i planner/locale/django.pot \
	  -d planner/locale
	$(MAKE) locale

DEMO_DATA := .planner-demo

demo: $(STAMP) locale
	$(BIN)/python -m planner.demo --out maps
	$(BIN)/python -m planner.web.demo --data-dir $(DEMO_DATA)

test: $(STAMP) locale
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP) locale
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) maps/*.html maps/*/ test-artifacts $(DEMO_DATA)
