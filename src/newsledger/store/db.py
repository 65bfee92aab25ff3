"""Opening a store: an SQLAlchemy engine for a database URL, migrated to the current schema.

The embedded default is an SQLite file (`newsledger.db` in the working directory) in WAL mode, so
readers never wait for the writer; PostgreSQL URLs (`postgresql+psycopg://...`) serve teams.

Writers (`open_store`) migrate the schema first, one process at a time (an exclusive lock on the
SQLite file's folder, a PostgreSQL advisory lock), so that runs started together on a new store
all find it made. Readers (`open_store(..., read_only=True)`) never write: no migration, no
journal mode to set; an up-to-date store can be read from a read-only file or folder.
Whatever goes wrong is a `StoreError` with a one-line message (`explain`). `new_database` makes an
empty PostgreSQL database on a server, for a bench or a test to open a store in.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import quote

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = os.environ.get("NEWSLEDGER_DB", "sqlite:///newsledger.db")
MIGRATIONS = Path(__file__).parent / "migrations"
PG_MIGRATION_LOCK = 0x6E65_7773_6C65_6467  # "newsledg": pg_advisory_xact_lock's key for migrations


class StoreError(RuntimeError):
    """The store cannot be opened or used (bad URL, unreachable server, unwritable file)."""


# What opening or using a store raises: a StoreError, or the database's own error (SQLAlchemy's,
# wrapping the driver's) met while reading or writing; `explain` says either in one line. Callers
# catch these without importing SQLAlchemy, which only the store uses.
STORE_ERRORS = (StoreError, SQLAlchemyError)

IN_LIST = 500  # values one IN list (or one multi-row statement) carries at most


def in_chunks(values: list, size: int = IN_LIST) -> Iterator[list]:
    """`values` in bounded parts, for IN lists."""
    for i in range(0, len(values), size):
        yield values[i:i + size]


def dialect_insert(session: Session, table):
    """INSERT for the session's database, with its ON CONFLICT clauses (PostgreSQL or SQLite)."""
    from sqlalchemy.dialects import postgresql, sqlite

    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)


def explain(exc: BaseException) -> str:
    """What went wrong with the store, in one line: damaged file, read-only, disk full, locked,
    or the driver's own first line."""
    if isinstance(exc, StoreError):  # explained already
        return str(exc)
    orig = getattr(exc, "orig", None) or exc  # SQLAlchemy's DBAPIError wraps the driver's error
    first = (str(orig).strip().splitlines() or [""])[0] or type(orig).__name__
    low = first.lower()
    code = getattr(orig, "sqlite_errorname", "") or ""
    if "file is not a database" in low or "malformed" in low or code.startswith("SQLITE_NOTADB") \
            or code.startswith("SQLITE_CORRUPT"):
        return f"not an SQLite database, or a damaged one ({first})"
    if "disk is full" in low or "no space left" in low or code == "SQLITE_FULL" \
            or getattr(orig, "errno", None) == 28 or "diskfull" in type(orig).__name__.lower():
        return f"the disk is full ({first}); the write was rolled back, what was stored before is kept"
    if "readonly" in low or "read-only" in low or code.startswith("SQLITE_READONLY"):
        return f"the store is read-only: this needs write access to its file and folder ({first})"
    if "unable to open database file" in low or code.startswith("SQLITE_CANTOPEN"):
        return f"cannot open the database file: is it or its folder missing or read-only? ({first})"
    if "database is locked" in low or code.startswith("SQLITE_BUSY"):
        return f"the store is locked by another process and stayed so for 30 s ({first})"
    return f"{type(orig).__name__}: {first}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA busy_timeout=30000")  # first: setting WAL on a new file waits for a lock too
    cur.execute("PRAGMA journal_mode=WAL")  # one writer, many readers, crash-safe commits
    cur.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint: WAL makes this safe
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_read_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA query_only=ON")  # a reader never writes, whatever it is asked
    cur.close()


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The schema revision this newsledger writes and reads."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(conn) -> Optional[str]:
    """The database's schema revision (None: no newsledger schema). Reads only."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _sqlite_file(url: URL) -> Optional[Path]:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:") \
            or url.database.startswith("file:"):
        return None
    return Path(url.database).expanduser().resolve()


@contextmanager
def _folder_lock(path: Optional[Path]) -> Iterator[None]:
    """An exclusive lock on the SQLite file's folder (flock: advisory, among newsledger processes;
    nothing is created, so it works in any folder; not a lock on the database file, whose POSIX
    locks SQLite holds). Without fcntl, or where the folder cannot be locked, no lock."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = None
    if path is not None:
        try:
            fd = os.open(path.parent, os.O_RDONLY)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            if fd is not None:
                os.close(fd)
            fd = None
    try:
        yield
    finally:
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (Alembic `upgrade head`); a no-op when it is there.
    One process at a time: others started together wait, then find the schema made."""
    from alembic import command

    head = head_revision()
    with engine.connect() as conn:
        if current_revision(conn) == head:
            return  # nothing written, no lock taken
    with _folder_lock(_sqlite_file(engine.url)):
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # held to the end of this transaction
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
            if current_revision(conn) == head:
                return  # made meanwhile by another process
            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            had_series = inspect(conn).has_table("series")
            command.upgrade(cfg, "head")
            if not had_series:  # figures stored before series existed (0008) join theirs now, once
                from .series import fill

                with Session(bind=conn) as session:
                    fill(session)


def check_schema(engine: Engine, shown: str) -> None:
    """StoreError unless the database has this newsledger's schema, as it is (reads only)."""
    head = head_revision()
    with engine.connect() as conn:
        found = current_revision(conn)
    if found == head:
        return
    if found is None:
        raise StoreError(f"not a newsledger store (no schema version): {shown}")
    from alembic.script import ScriptDirectory

    known = {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    if found not in known:
        raise StoreError(f"{shown} has schema {found}, newer than this newsledger's ({head}): upgrade newsledger")
    raise StoreError(f"{shown} needs a migration (schema {found} -> {head}) before it can be read: "
                     f"run `newsledger migrate --db URL` once, with write access")


class Store:
    """An open, migrated database. `session()` gives a transaction that commits on success."""

    def __init__(self, engine: Engine, read_only: bool = False):
        self.engine = engine
        self.read_only = read_only
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


def sqlite_file(url: str) -> Optional[Path]:
    """The SQLite file that `url` (as open_store takes it) names; None for a server's database or
    an in-memory one. StoreError if it is not a database URL."""
    return _sqlite_file(database_url(url))


def _read_only_sqlite(parsed: URL, path: Path, immutable: bool) -> URL:
    """The URL of `path` opened read-only (SQLite URI filename); `immutable`: without the -wal and
    -shm files, which a read-only folder cannot hold."""
    uri = f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")
    return parsed.set(database=uri, query={**parsed.query, "uri": "true"})


_DATABASE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def new_database(server_url: str, name: str) -> str:
    """A new, empty PostgreSQL database `name` (lower-case letters, digits and underscores) on the
    server at `server_url` (a database there to connect to, with the right to create one): its URL,
    for open_store to make a store in. For benches and tests that want a store of their own."""
    if not _DATABASE_NAME.fullmatch(name):  # a name is no bound parameter: it must be plain
        raise StoreError(f"not a plain database name: {name!r}")
    parsed = database_url(server_url)
    if parsed.get_backend_name() != "postgresql":
        raise StoreError(f"new databases are made on a PostgreSQL server, not {parsed.get_backend_name()}")
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")  # CREATE DATABASE runs outside a transaction
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot make database {name}: {explain(exc)}") from None
    finally:
        engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


# How long a run opening an SQLite store waits out another process's lock that SQLite reports at
# once, without its busy timeout (a new file's switch to WAL or a read that must become a write while
# another process migrates): as long as the busy timeout itself.
LOCKED_WAIT_S = 30.0


def _open_or_wait(engine: Engine, shown: str, read_only: bool, migrate_schema: bool) -> None:
    """Connect, then check or migrate the schema; on SQLite, try again while another process holds
    the database ("database is locked" at once), up to LOCKED_WAIT_S."""
    import time
    from sqlalchemy.exc import OperationalError

    deadline = time.monotonic() + LOCKED_WAIT_S
    while True:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM sqlite_master" if engine.dialect.name == "sqlite"
                                  else "SELECT 1"))
            if read_only:
                check_schema(engine, shown)
            elif migrate_schema:
                migrate(engine)
            return
        except OperationalError as exc:
            locked = engine.dialect.name == "sqlite" and "locked" in str(getattr(exc, "orig", exc))
            if not locked or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def open_store(url: str = DEFAULT_URL, *, migrate_schema: bool = True, read_only: bool = False) -> Store:
    """The store at `url` (an SQLAlchemy URL or a plain path to an SQLite file).

    read_only: never write (no migration, no journal mode set; an SQLite file is opened read-only,
    and must exist); a store whose schema is not this newsledger's is a StoreError."""
    parsed = database_url(url)
    shown = parsed.render_as_string(hide_password=True)
    path = _sqlite_file(parsed)
    if path is not None:
        if not path.parent.is_dir():
            raise StoreError(f"no such folder for the database file: {path.parent}")
        if read_only and not path.is_file():
            raise StoreError(f"no such database file: {parsed.database}")
    attempts = [False, True] if read_only and path is not None else [False]
    for immutable in attempts:
        target = _read_only_sqlite(parsed, path, immutable) if read_only and path is not None else parsed
        try:
            engine = create_engine(target, future=True)
        except Exception as exc:  # noqa: BLE001 - e.g. a driver that is not installed
            raise StoreError(f"cannot open {shown}: {exc}") from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_read_pragmas if read_only else _sqlite_pragmas)
        try:
            _open_or_wait(engine, shown, read_only, migrate_schema)
        except StoreError:
            engine.dispose()
            raise
        except Exception as exc:  # noqa: BLE001
            engine.dispose()
            code = getattr(getattr(exc, "orig", None), "sqlite_errorname", "")
            # a WAL store in a read-only folder: readable as it is when no write-ahead log is pending
            if not immutable and read_only and code in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN",
                                                        "SQLITE_READONLY_CANTINIT"):
                if not Path(f"{path}-wal").exists():
                    continue
                raise StoreError(f"cannot read {shown}: its write-ahead log ({path.name}-wal) holds writes "
                                 f"that a read-only folder does not let SQLite read; open the store once "
                                 f"with write access (newsledger migrate) to fold them in") from None
            raise StoreError(f"cannot use {shown}: {explain(exc)}") from None
        return Store(engine, read_only=read_only)
    raise AssertionError("unreachable")  # pragma: no cover
