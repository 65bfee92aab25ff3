"""The store as flat tables, one per kind of record, for the Parquet and CSV exports.

Each table is a list of (column, Arrow type) and one streamed query; every row carries its
article's key (the content hash) and the caller's id, so the tables join without the store's
internal ids. Offsets are code points into `articles.text`, as in ledger-v1."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

import pyarrow as pa
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from ..store import tables as T
from .reading import Filters

STR, INT, FLOAT = pa.string(), pa.int32(), pa.float64()
ARTICLE = [("article_key", STR), ("article_id", STR)]
SPAN = [("start", INT), ("end", INT), ("text", STR)]


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[tuple[str, pa.DataType]]
    query: Callable[[Filters], Select]
    batch_size: int = 10_000  # rows a Parquet row group, and a fetch

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(name, kind) for name, kind in self.columns])


def _articles(filters: Filters) -> Select:
    a = T.Article
    return select(a.key, a.source_id, a.title, a.url, a.outlet, a.author, a.published, a.published_at,
                  a.language, a.status, a.text, a.warnings).where(*filters.conditions()).order_by(a.id)


def _of_articles(stmt: Select, table, filters: Filters) -> Select:
    return stmt.join(T.Article, T.Article.id == table.article_id).where(*filters.conditions()).order_by(table.id)


def _entities(filters: Filters) -> Select:
    e = T.Entity
    return _of_articles(select(T.Article.key, T.Article.source_id, e.ledger_id, e.name, e.type), e, filters)


def _mentions(filters: Filters) -> Select:
    m = T.Mention
    stmt = select(T.Article.key, T.Article.source_id, T.Entity.ledger_id, m.start, m.end, m.text) \
        .join(T.Entity, T.Entity.id == m.entity_id)
    return _of_articles(stmt, m, filters)


def _attributions(filters: Filters) -> Select:
    a, source = T.Attribution, aliased(T.Entity)
    stmt = select(T.Article.key, T.Article.source_id, a.position, a.kind, a.content, a.content_spans,
                  a.source_start, a.source_end, a.source_text, source.ledger_id, a.source_name,
                  a.cue_start, a.cue_end, a.cue, a.confidence, a.source_resolved, a.type) \
        .outerjoin(source, source.id == a.source_entity_id)
    return _of_articles(stmt, a, filters)


def _figures(filters: Filters) -> Select:
    f, att = T.Figure, aliased(T.Attribution)
    stmt = select(T.Article.key, T.Article.source_id, f.position, f.start, f.end, f.text, f.value,
                  f.value_max, f.approx, f.unit, f.quantity, att.position, f.location, f.time, f.change) \
        .outerjoin(att, att.id == f.attribution_id)
    return _of_articles(stmt, f, filters)


def _dates(filters: Filters) -> Select:
    d = T.Date
    return _of_articles(select(T.Article.key, T.Article.source_id, d.start, d.end, d.text, d.type, d.value),
                        d, filters)


TABLES = [
    Table("articles", [("key", STR), ("id", STR), ("title", STR), ("url", STR), ("outlet", STR),
                       ("author", STR), ("published", STR), ("published_at", pa.timestamp("us")),
                       ("language", STR), ("status", STR), ("text", STR), ("warnings", pa.list_(STR))],
          _articles, batch_size=200),  # texts run to a million characters: small row groups
    Table("entities", ARTICLE + [("entity", STR), ("name", STR), ("type", STR)], _entities),
    Table("mentions", ARTICLE + [("entity", STR)] + SPAN, _mentions),
    Table("attributions", ARTICLE + [
        ("position", INT), ("kind", STR), ("content", STR), ("content_spans", pa.list_(pa.list_(INT))),
        ("source_start", INT), ("source_end", INT), ("source_text", STR), ("source_entity", STR),
        ("source_name", STR), ("cue_start", INT), ("cue_end", INT), ("cue", STR), ("confidence", FLOAT),
        ("source_resolved", pa.bool_()), ("type", STR)],
          _attributions),
    Table("figures", ARTICLE + [("position", INT)] + SPAN + [
        ("value", FLOAT), ("value_max", FLOAT), ("approx", STR), ("unit", STR), ("quantity", STR),
        ("attribution", INT), ("location", STR), ("time", STR), ("change", STR)], _figures),
    Table("dates", ARTICLE + SPAN + [("type", STR), ("value", STR)], _dates),
]


def row_batches(session: Session, table: Table, filters: Filters) -> Iterator[list[tuple]]:
    """The table's rows, streamed from the database `table.batch_size` at a time."""
    result = session.execute(table.query(filters).execution_options(yield_per=table.batch_size))
    for part in result.partitions():
        yield [tuple(row) for row in part]
