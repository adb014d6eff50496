# whorunsit: every set-up step lives here, so `make serve` and `make test` work on a fresh machine.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
PY312 := $(shell bash scripts/find-python312.sh 2>/dev/null)
HOST  ?= 127.0.0.1
PORT  ?= 8765
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export SOLARA_TELEMETRY_MIXPANEL_ENABLE := False

# Front-end packages solara 1.64.1 + ipyvue 1.x fetch from the CDN; names must match the requests exactly.
SOLARA_ASSETS := @widgetti/solara-vuetify-app@10.1.1 @widgetti/vue-grid-layout@2.3.13-alpha.2 \
  requirejs@2.3.6 font-awesome@4.5.0 vega@5 vega-lite@5 vega-embed@6

.PHONY: setup serve test test-fast test-browser lint format bench bench-quick readme clean
.DEFAULT_GOAL := help

help:
	@echo "make serve   set up, then serve the Solara page on http://$(HOST):$(PORT)"
	@echo "make test    set up, then lint, fast tests, browser tests and the quick benchmark (what CI runs)"
	@echo "make bench   set up, then the full benchmark (prints ratios against targets)"
	@echo "make readme  set up, then recompute the README's figures from the model (experiments/readme_figures.py)"

$(PY):
	@test -n "$(PY312)" || { bash scripts/find-python312.sh; exit 1; }
	$(PY312) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(PY)
	$(PY) -m pip install -q -c requirements/constraints.txt -e '.[dev]'
	touch $@

$(VENV)/.assets: $(VENV)/.installed scripts/fill_solara_cdn.sh
	bash scripts/fill_solara_cdn.sh "$$($(PY) -c 'import solara.server.settings as s; print(s.assets.proxy_cache_dir)')" $(SOLARA_ASSETS)
	touch $@

setup: $(VENV)/.assets

serve: setup
	$(VENV)/bin/whorunsit serve --host $(HOST) --port $(PORT)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test-fast: setup
	$(PY) -m pytest -q -m "not browser" -p no:solara -p no:playwright

test-browser: setup
	bash scripts/ensure-chromium.sh
	$(PY) -m pytest -q -m browser

bench: setup
	$(PY) -m experiments.bench

bench-quick: setup
	$(PY) -m experiments.bench --quick

readme: setup
	$(VENV)/bin/cog -r README.md

# CI stages in order; each fails clearly on its own
test: lint test-fast test-browser bench-quick

clean:
	rm -rf $(VENV) build *.egg-info
