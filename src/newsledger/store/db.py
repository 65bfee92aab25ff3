"""Opening a store: an SQLAlchemy engine for a database URL, migrated to the current schema.

The embedded default is an SQLite file (`newsledger.db` in the working directory) in WAL mode, so
readers never wait for the writer; PostgreSQL URLs (`postgresql+psycopg://...`) serve teams.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = os.environ.get("NEWSLEDGER_DB", "sqlite:///newsledger.db")
MIGRATIONS = Path(__file__).parent / "migrations"


class StoreError(RuntimeError):
    """The store cannot be opened or used (bad URL, unreachable server, unwritable file)."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # one writer, many readers, crash-safe commits
    cur.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint: WAL makes this safe
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (Alembic `upgrade head`); a no-op when it is there."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Store:
    """An open, migrated database. `session()` gives a transaction that commits on success."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as s:
            yield s

    def close(self) -> None:
        self.engine.dispose()


def database_url(url: str) -> URL:
    """An SQLAlchemy URL, or a plain path to an SQLite file, parsed."""
    if "://" not in url:
        url = f"sqlite:///{url}"
    try:
        return make_url(url)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy raises several kinds for a bad URL
        raise StoreError(f"not a database URL: {url!r} ({exc})") from None


def open_store(url: str = DEFAULT_URL, *, migrate_schema: bool = True) -> Store:
    """The store at `url` (an SQLAlchemy URL or a plain path to an SQLite file)."""
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise StoreError(f"no such folder for the database file: {folder}")
    try:
        engine = create_engine(parsed, future=True)
    except Exception as exc:  # noqa: BLE001 - e.g. a driver that is not installed
        raise StoreError(f"cannot open {parsed.render_as_string(hide_password=True)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if migrate_schema:
            migrate(engine)
    except Exception as exc:  # noqa: BLE001
        engine.dispose()
        raise StoreError(f"cannot use {parsed.render_as_string(hide_password=True)}: "
                         f"{type(exc).__name__}: {exc}") from None
    return Store(engine)
