"""The store: ledgers in a database (SQLite by default, one file, no server), through SQLAlchemy 2
with Alembic migrations. The only part of newsledger that speaks SQL.

- tables: the schema (articles, entities, mentions, attributions, figures, dates, runs, failures;
  actors, their names, the entities' links to them and the user's corrections to them)
- db: opening a store by URL (`open_store`; `read_only=True` for readers, which never create or
  migrate one), migrating it to the current schema, full-text search set-up
- write: a ledger (or a failure) into the store, idempotent by the article's content hash
- read: ledgers back out, and flat tables of rows, for the exports and the web app
- actors: the people and organizations across the corpus, linked as articles are written; merge,
  split, rename, rebuild
- queries: questions to the store (quotes, figures, speakers, actors, articles, ...) as plain dicts
- period: the days of publication a read is about (`--since`, `--until`)
- provenance: claims across outlets, linked as articles are stored, and their questions
"""
from __future__ import annotations

from .db import DEFAULT_URL, STORE_ERRORS, Store, StoreError, open_store
from .period import Period, PeriodError, ReversedPeriod
from .write import article_key

__all__ = ["DEFAULT_URL", "STORE_ERRORS", "Period", "PeriodError", "ReversedPeriod", "Store", "StoreError",
           "article_key", "open_store"]
