"""Stored rows back into ledger-v1: `ledger_from_store` for one article, `iter_ledgers` for many.

The inverse of `store.write.save_ledger`: for any ledger it stored, the rebuilt ledger's
`to_json_dict()` is identical (record order included: entities and dates in insertion order,
attributions and figures by position, a figure's `attribution` as the index it had)."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import ledger as L
from ..store import Store
from ..store import tables as T
from .reading import ALL, Filters, article_batches


def ledger_from_store(session: Session, key: str) -> Optional[L.Ledger]:
    """The ledger of the article stored under content hash `key`, or None if there is none."""
    article = session.scalar(select(T.Article).where(T.Article.key == key))
    return _rebuild(session, [article])[0][1] if article is not None else None


def iter_stored(store: Store, filters: Filters = ALL, batch_size: int = 200) -> Iterator[tuple[T.Article, L.Ledger]]:
    """(article row, its ledger) for each selected article, in store order, a batch in memory."""
    with store.session() as session:
        for batch in article_batches(session, filters, batch_size):
            yield from _rebuild(session, batch)


def iter_ledgers(store: Store, filters: Filters = ALL, batch_size: int = 200) -> Iterator[L.Ledger]:
    for _article, led in iter_stored(store, filters, batch_size):
        yield led


def _span(start, end) -> Optional[tuple[int, int]]:
    return (start, end) if start is not None else None


def _rebuild(session: Session, articles: list[T.Article]) -> list[tuple[T.Article, L.Ledger]]:
    """The ledgers of a batch of articles: one query per record kind for the whole batch."""
    ids = [a.id for a in articles]

    def rows(*columns, table, order):
        return session.execute(select(*columns).where(table.article_id.in_(ids)).order_by(order))

    mentions = defaultdict(list)
    for entity_id, start, end in rows(T.Mention.entity_id, T.Mention.start, T.Mention.end,
                                      table=T.Mention, order=T.Mention.id):
        mentions[entity_id].append((start, end))
    entities, ledger_ids = defaultdict(list), {}
    for row in rows(T.Entity.id, T.Entity.article_id, T.Entity.ledger_id, T.Entity.name, T.Entity.type,
                    table=T.Entity, order=T.Entity.id):
        ledger_ids[row.id] = row.ledger_id
        entities[row.article_id].append(L.Entity(id=row.ledger_id, name=row.name, type=row.type,
                                                 mentions=mentions[row.id]))
    attributions, positions = defaultdict(list), {}
    for a in session.scalars(select(T.Attribution).where(T.Attribution.article_id.in_(ids))
                             .order_by(T.Attribution.article_id, T.Attribution.position)):
        positions[a.id] = a.position
        attributions[a.article_id].append(L.Attribution(
            kind=a.kind, content=[tuple(sp) for sp in a.content_spans],
            source=L.Source(span=_span(a.source_start, a.source_end),
                            entity=ledger_ids.get(a.source_entity_id), name=a.source_name,
                            resolved=a.source_resolved),
            cue=L.Cue(span=(a.cue_start, a.cue_end)) if a.cue_start is not None else None,
            confidence=a.confidence, type=a.type))
    figures = defaultdict(list)
    for f in session.scalars(select(T.Figure).where(T.Figure.article_id.in_(ids))
                             .order_by(T.Figure.article_id, T.Figure.position)):
        figures[f.article_id].append(L.Figure(
            span=(f.start, f.end), value=f.value, value_max=f.value_max, approx=f.approx, unit=f.unit,
            quantity=f.quantity, attribution=positions.get(f.attribution_id), location=f.location,
            time=f.time, change=f.change))
    dates = defaultdict(list)
    for d in rows(T.Date.article_id, T.Date.start, T.Date.end, T.Date.type, T.Date.value,
                  table=T.Date, order=T.Date.id):
        dates[d.article_id].append(L.TimeExpression(span=(d.start, d.end), type=d.type, value=d.value))
    originals = dict(session.execute(select(T.Article.id, T.Article.source_id).where(
        T.Article.id.in_({a.duplicate_of for a in articles if a.duplicate_of is not None}))).all())
    return [(a, L.Ledger(id=a.source_id, title=a.title, url=a.url, outlet=a.outlet, author=a.author,
                         published=a.published, language=a.language, text=a.text,
                         entities=entities[a.id], attributions=attributions[a.id], figures=figures[a.id],
                         dates=dates[a.id], warnings=list(a.warnings or []) + _duplicate_note(a, originals)))
            for a in articles]


def _duplicate_note(article: T.Article, originals: dict) -> list[str]:
    """A near-duplicate has no records of its own: its ledger says whose copy it is."""
    if article.status != "duplicate" or article.duplicate_of is None:
        return []
    return [f"not analyzed: near-duplicate (similarity {article.similarity:.2f}) of article "
            f"{originals.get(article.duplicate_of, '?')!r}, whose ledger holds the records"]
