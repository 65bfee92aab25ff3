"""full-text search over quotes and articles

SQLite: FTS5 tables over `attributions.content` and `articles.title`/`text`, kept in step by
triggers (external content: the text is stored once). PostgreSQL: GIN indexes over English
tsvectors of the same columns, which `to_tsvector('english', ...) @@ websearch_to_tsquery(...)` uses.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# (fts table, content table, indexed columns)
FTS = (("attributions_fts", "attributions", ("content", "source_name")),
       ("articles_fts", "articles", ("title", "text")))


def _sqlite_upgrade() -> None:
    for fts, table, cols in FTS:
        names = ", ".join(cols)
        new = ", ".join(f"new.{c}" for c in cols)
        old = ", ".join(f"old.{c}" for c in cols)
        op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', "
                   f"content_rowid='id', tokenize='porter unicode61')")
        op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
                   f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END")
        op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); END")
        op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE ON {table} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); "
                   f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_upgrade()
    elif dialect == "postgresql":
        for fts, table, cols in FTS:
            doc = " || ' ' || ".join(f"coalesce({c}, '')" for c in cols)
            op.execute(f"CREATE INDEX ix_{fts} ON {table} USING GIN (to_tsvector('english', {doc}))")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for fts, table, _ in FTS:
        if dialect == "sqlite":
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
        elif dialect == "postgresql":
            op.execute(f"DROP INDEX IF EXISTS ix_{fts}")
