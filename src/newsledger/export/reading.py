"""What an export reads: an existing store, the articles a caller's filters select, in batches.

Every export reads the store through these queries only (parameterized, keyset-paged or streamed),
so memory is bounded by a batch, never by the store's size."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from ..store import tables as T
from ..store.db import Store, StoreError, database_url, open_store


@dataclass(frozen=True)
class Filters:
    """Which articles to export: all by default. `since` and `until` are inclusive days of the
    parsed published date; an article without one is left out when either is given."""
    outlet: Optional[str] = None
    since: Optional[date] = None
    until: Optional[date] = None

    def conditions(self) -> list:
        out = []
        if self.outlet is not None:
            out.append(T.Article.outlet == self.outlet)
        if self.since is not None:
            out.append(T.Article.published_at >= datetime.combine(self.since, time.min))
        if self.until is not None:
            out.append(T.Article.published_at < datetime.combine(self.until + timedelta(days=1), time.min))
        return out


ALL = Filters()


def open_existing(url: str) -> Store:
    """The store at `url`, which must exist already: an export never creates (or migrates) one,
    nor writes to it (a read-only file or folder will do)."""
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not Path(parsed.database).expanduser().is_file():
        raise StoreError(f"no such database file: {parsed.database}")
    store = open_store(url, read_only=True)
    try:
        found = inspect(store.engine).has_table(T.Article.__tablename__)
    except Exception as exc:  # noqa: BLE001 - e.g. a file that is not a database
        store.close()
        raise StoreError(f"cannot read {parsed.render_as_string(hide_password=True)}: "
                         f"{type(exc).__name__}: {exc}") from None
    if not found:
        store.close()
        raise StoreError(f"not a newsledger store (no articles table): "
                         f"{parsed.render_as_string(hide_password=True)}")
    return store


def article_batches(session: Session, filters: Filters = ALL, size: int = 200) -> Iterator[list[T.Article]]:
    """The selected articles in store order, `size` at a time (keyset paging on the primary key,
    so each batch is one short query whatever the store's size)."""
    last = 0
    while True:
        batch = list(session.scalars(select(T.Article).where(*filters.conditions(), T.Article.id > last)
                                     .order_by(T.Article.id).limit(size)))
        if not batch:
            return
        yield batch
        last = batch[-1].id
        session.expunge_all()  # the identity map would otherwise keep every article seen
