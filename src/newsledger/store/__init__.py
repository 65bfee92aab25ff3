"""The store: ledgers in a database (SQLite by default, one file, no server), through SQLAlchemy 2
with Alembic migrations.

- tables: the schema (articles, entities, mentions, attributions, figures, dates, runs, failures)
- db: opening a store by URL, migrating it to the current schema, full-text search set-up
- write: a ledger (or a failure) into the store, idempotent by the article's content hash
"""
from __future__ import annotations

from .db import DEFAULT_URL, Store, open_store
from .write import article_key

__all__ = ["DEFAULT_URL", "Store", "open_store", "article_key"]
