# BudgetQA: `make serve` and `make test` do all set-up on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE ?= data/store
HOST ?= 127.0.0.1
PORT ?= 7860
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export GRADIO_ANALYTICS_ENABLED=False
export ANONYMIZED_TELEMETRY=False

.PHONY: install serve test lint eval bench bench-readers bench-load bench-scale chroma browser-deps ingest clean \
	load-deps \
	screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Ingest the corpus when the store is missing or older than any corpus file.
$(STORE)/.ingested: $(STAMP) $(wildcard corpus/*)
	$(BIN)/budgetqa ingest corpus/ --store $(STORE)
	touch $@

ingest: $(STORE)/.ingested

serve: $(STORE)/.ingested
	$(BIN)/budgetqa serve --store $(STORE) --host $(HOST) --port $(PORT)

# Debian chromium + a CJK font for the browser test (root only; the test skips otherwise, fails in CI).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi wqy; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei) >/dev/null; \
	  else echo "browser-deps: not root, skipping chromium install (the browser test will skip)"; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .

# The tests and the eval run side by side (each is mostly one busy core; CI has two): the eval's report is
# printed when both are done, and either failing fails the target.
test: $(STAMP) browser-deps lint
	@tmp=$$(mktemp -d); \
	$(BIN)/python -m evals.runner --store $$tmp/store --no-baselines > $$tmp/eval.log 2>&1 & eval_pid=$$!; \
	$(BIN)/pytest -q -p no:cacheprovider; tests=$$?; \
	wait $$eval_pid; gate=$$?; \
	echo "---- eval (ran beside the tests) ----"; cat $$tmp/eval.log; rm -rf $$tmp; \
	test $$tests -eq 0 && test $$gate -eq 0

# The README's pictures: the browser tests write their screenshots into docs/ (tests alone write them
# into the ignored artifacts/screenshots, so `make test` leaves the tree clean).
screenshots: $(STAMP) browser-deps
	BUDGETQA_SCREENSHOTS=docs $(BIN)/pytest -q -p no:cacheprovider -m browser tests/test_browser.py \
	  tests/test_browser_chat.py

eval: $(STAMP)
	$(BIN)/python -m evals.runner --store $$(mktemp -d)/store

bench: $(STAMP)
	$(BIN)/python -m evals.bench

# How well the readers read every file under ../shared/samples (status, identity, tables, coverage, time),
# then real disclosures per hour: each sample folder ingested at once, split into reading / ledger /
# indexing, with peak memory (the README's benchmark table).
bench-readers: $(STAMP)
	$(BIN)/python -m evals.bench_readers
	$(BIN)/python -m evals.bench_ingest

# Every door side by side, 20 clients × 25 questions each, without and with a staff upload beside: the
# HTTP API (read workers, driven by wrk), Gradio's /ask and Gradio's floor (gradio_client processes).
bench-load: $(STAMP) load-deps
	$(BIN)/python -m evals.bench_load

# Debian's wrk drives the HTTP API in bench-load (root only; the bench says so otherwise).
load-deps:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null; \
	  else echo "load-deps: not root, skipping the wrk install"; fi; \
	fi

# Generated disclosures at 1 and 100 documents, embedded Chroma and a Chroma server the bench starts on a
# free loopback port; FULL=1 adds 1,000 (about 20 minutes on 2 cores).
bench-scale: $(STAMP)
	$(BIN)/python -m evals.bench_scale --sizes 1,100 $(if $(FULL),--full)

# A Chroma server on loopback; the app uses it with
# BUDGETQA_CHROMA_URL=http://$(CHROMA_HOST):$(CHROMA_PORT)
CHROMA_HOST ?= 127.0.0.1
CHROMA_PORT ?= 8000
CHROMA_PATH ?= data/chroma
chroma: $(STAMP)
	$(BIN)/chroma run --path $(CHROMA_PATH) --host $(CHROMA_HOST) --port $(CHROMA_PORT)

clean:
	rm -rf $(VENV) data artifacts
