# tpc: `make demo` runs the pipeline on its default, `make test` runs the tests.
# Both create .venv on first use. torch is pinned to the CPU build on this machine's disk.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: demo test test-slow bench lint clean programs check-report

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev,tracr,ray]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tpc demo

# The layering contract (pyproject.toml, docs/design.md section 1), then the tests.
test: $(STAMP)
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/python -m pytest -q

test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow

# The report page (tpc report) in a real headless browser: Chromium from the system's
# packages (apt-get install chromium), driven over the DevTools protocol; no console
# errors, every picture loads, a non-blank screenshot. Skipped without chromium.
check-report: $(STAMP)
	$(BIN)/python -m pytest -q -m slow tests/test_draw.py -k browser -rs

bench: $(STAMP)
	$(BIN)/python benchmarks/interp_speed.py
	$(BIN)/python benchmarks/python_backend_speed.py
	$(BIN)/python benchmarks/train_speed.py

# Regenerate programs/ (trains missing runs; e.g. ARGS="--no-train --only sort,hist"),
# then programs/nlp/ (the five corpora; e.g. NLP_ARGS="--only trec").
programs: $(STAMP)
	$(BIN)/python scripts/make_programs.py $(ARGS)
	$(BIN)/python scripts/make_nlp_programs.py $(NLP_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check tpc tests benchmarks
	$(BIN)/lint-imports --no-cache --no-logo

clean:
	rm -rf $(VENV) build *.egg-info
