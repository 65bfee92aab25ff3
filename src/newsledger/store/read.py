"""Reading stored articles back out: their ledgers (ledger-v1), and the store as flat tables of rows.
What the exports and the web app read; they never see SQL.

- `ledger(store, key)`: one article's ledger; `ledgers` and `keyed_ledgers`: the selected ones;
  `keyed_ledgers_with_actors`: with the corpus's name and type of each entity's actor;
  `ledgers_with_actors`: with the actor (id, name) on each entity and source (ledger-v1's `actor`)
- `table_rows(store, name)`: one flat table (`TABLES`: articles, entities, mentions, attributions,
  figures, dates), every row keyed by its article's content hash and id, not the store's own ids;
  an entity's row names its actor (`actor`, `actor_id`), an attribution's its source's
  (`source_actor`, `source_actor_id`)
- `Filters`: which articles (an outlet, a `Period`)

Ledgers are the inverse of `store.write.save_ledger`: for any ledger it stored, the rebuilt
ledger's `to_json_dict()` is identical (record order included: entities and dates in insertion
order, attributions and figures by position, a figure's `attribution` as the index it had).
Memory is bounded by a batch, never by the store's size: articles are keyset-paged, table rows
streamed.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session, aliased

from .. import ledger as L
from . import tables as T
from .db import Store
from .period import ALL_TIME, Period


@dataclass(frozen=True)
class Filters:
    """Which articles: all by default; `outlet` exactly; published within `period` (see
    store.period: whole days, both ends inclusive)."""
    outlet: Optional[str] = None
    period: Period = ALL_TIME

    def conditions(self) -> list:
        out = [] if self.outlet is None else [T.Article.outlet == self.outlet]
        return out + self.period.conditions(T.Article.published_at)


ALL = Filters()


# ---------------------------------------------------------------- ledgers

def ledger(store: Store, key: str) -> Optional[L.Ledger]:
    """The ledger of the article stored under content hash `key`, or None if there is none."""
    with store.session() as session:
        article = session.scalar(select(T.Article).where(T.Article.key == key))
        return _rebuild(session, [article])[0][1] if article is not None else None


def keyed_ledgers(store: Store, filters: Filters = ALL, batch_size: int = 200) -> Iterator[tuple[str, L.Ledger]]:
    """(content hash, ledger) of each selected article, in store order, a batch in memory."""
    with store.session() as session:
        for batch in _article_batches(session, filters, batch_size):
            yield from ((a.key, led) for a, led in _rebuild(session, batch))


def keyed_ledgers_with_actors(store: Store, filters: Filters = ALL, batch_size: int = 200
                              ) -> Iterator[tuple[str, L.Ledger, dict[str, tuple[str, str]]]]:
    """(content hash, ledger, actors) of each selected article, as `keyed_ledgers`; `actors` gives,
    for each of its entities that belongs to one of the corpus's actors, by ledger id ("E3"), the
    actor's canonical name and type (("Donald Trump", "PERSON") for a "Trump" the tagger typed ORG)."""
    with store.session() as session:
        for batch in _article_batches(session, filters, batch_size):
            actors = _actors_of(session, batch)
            yield from ((a.key, led, {e: (name, type_) for e, (_id, name, type_) in actors.get(a.id, {}).items()})
                        for a, led in _rebuild(session, batch))


def ledgers_with_actors(store: Store, filters: Filters = ALL, batch_size: int = 200) -> Iterator[L.Ledger]:
    """The ledger of each selected article, as `ledgers`, with the corpus's actors in it (the
    ledger-v1 extension `actor`, {"id", "name"}): on each entity that belongs to one, and on each
    source whose entity does, unless the source is a bare pronoun nothing resolved (no speaker)."""
    with store.session() as session:
        for batch in _article_batches(session, filters, batch_size):
            actors = _actors_of(session, batch)
            for a, led in _rebuild(session, batch):
                refs = {e: L.ActorRef(id=i, name=name) for e, (i, name, _type) in actors.get(a.id, {}).items()}
                yield _with_actors(led, refs)


def _actors_of(session: Session, articles: list[T.Article]) -> dict[int, dict[str, tuple[int, str, str]]]:
    """article id -> {ledger id of an entity that belongs to an actor: (actor id, name, type)}."""
    found: dict[int, dict[str, tuple[int, str, str]]] = defaultdict(dict)
    for article_id, ledger_id, actor_id, name, type_ in session.execute(
            select(T.Entity.article_id, T.Entity.ledger_id, T.Actor.id, T.Actor.name, T.Actor.type)
            .join(T.EntityActor, T.EntityActor.entity_id == T.Entity.id)
            .join(T.Actor, T.Actor.id == T.EntityActor.actor_id)
            .where(T.Entity.article_id.in_([a.id for a in articles]))):
        found[article_id][ledger_id] = (actor_id, name, type_)
    return found


def _with_actors(led: L.Ledger, refs: dict[str, L.ActorRef]) -> L.Ledger:
    """`led` with `actor` on its entities in `refs` (by ledger id) and on the sources they resolve."""
    if not refs:
        return led
    entities = [e.model_copy(update={"actor": refs[e.id]}) if e.id in refs else e for e in led.entities]
    attributions = [
        att.model_copy(update={"source": att.source.model_copy(update={"actor": refs[att.source.entity]})})
        if att.source.entity in refs and att.source.resolved is not False else att
        for att in led.attributions]
    return led.model_copy(update={"entities": entities, "attributions": attributions})


def ledgers(store: Store, filters: Filters = ALL, batch_size: int = 200) -> Iterator[L.Ledger]:
    """The ledger of each selected article, in store order, a batch in memory."""
    for _key, led in keyed_ledgers(store, filters, batch_size):
        yield led


def _article_batches(session: Session, filters: Filters, size: int) -> Iterator[list[T.Article]]:
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


# ---------------------------------------------------------------- flat tables

@dataclass(frozen=True)
class FlatTable:
    """One kind of record as rows: `columns` name the values of each row, in order."""
    name: str
    columns: tuple[str, ...]
    query: Callable[[Filters], Select]


ARTICLE = ("article_key", "article_id")  # every row's article: its content hash and the caller's id
SPAN = ("start", "end", "text")


def _articles(filters: Filters) -> Select:
    a = T.Article
    return select(a.key, a.source_id, a.title, a.url, a.outlet, a.author, a.published, a.published_at,
                  a.language, a.status, a.text, a.warnings).where(*filters.conditions()).order_by(a.id)


def _of_articles(stmt: Select, table, filters: Filters) -> Select:
    return stmt.join(T.Article, T.Article.id == table.article_id).where(*filters.conditions()).order_by(table.id)


def _entities(filters: Filters) -> Select:
    e = T.Entity
    stmt = select(T.Article.key, T.Article.source_id, e.ledger_id, e.name, e.type, T.Actor.name, T.Actor.id) \
        .outerjoin(T.EntityActor, T.EntityActor.entity_id == e.id).outerjoin(T.Actor, T.Actor.id == T.EntityActor.actor_id)
    return _of_articles(stmt, e, filters)


def _mentions(filters: Filters) -> Select:
    m = T.Mention
    stmt = select(T.Article.key, T.Article.source_id, T.Entity.ledger_id, m.start, m.end, m.text) \
        .join(T.Entity, T.Entity.id == m.entity_id)
    return _of_articles(stmt, m, filters)


def _attributions(filters: Filters) -> Select:
    a, source = T.Attribution, aliased(T.Entity)
    stmt = select(T.Article.key, T.Article.source_id, a.position, a.kind, a.content, a.content_spans,
                  a.source_start, a.source_end, a.source_text, source.ledger_id, a.source_name,
                  a.cue_start, a.cue_end, a.cue, a.confidence, a.source_resolved, a.type, T.Actor.name, T.Actor.id) \
        .outerjoin(source, source.id == a.source_entity_id) \
        .outerjoin(T.EntityActor, and_(T.EntityActor.entity_id == source.id,  # a bare pronoun is no speaker
                                       or_(a.source_resolved.is_(None), a.source_resolved.is_(True)))) \
        .outerjoin(T.Actor, T.Actor.id == T.EntityActor.actor_id)
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


TABLES = {t.name: t for t in [
    FlatTable("articles", ("key", "id", "title", "url", "outlet", "author", "published", "published_at",
                           "language", "status", "text", "warnings"), _articles),
    FlatTable("entities", ARTICLE + ("entity", "name", "type", "actor", "actor_id"), _entities),
    FlatTable("mentions", ARTICLE + ("entity",) + SPAN, _mentions),
    FlatTable("attributions", ARTICLE + (
        "position", "kind", "content", "content_spans", "source_start", "source_end", "source_text",
        "source_entity", "source_name", "cue_start", "cue_end", "cue", "confidence", "source_resolved", "type",
        "source_actor", "source_actor_id"),
        _attributions),
    FlatTable("figures", ARTICLE + ("position",) + SPAN + (
        "value", "value_max", "approx", "unit", "quantity", "attribution", "location", "time", "change"), _figures),
    FlatTable("dates", ARTICLE + SPAN + ("type", "value"), _dates),
]}


def table_rows(store: Store, name: str, filters: Filters = ALL, batch_size: int = 10_000) -> Iterator[list[tuple]]:
    """The rows of the flat table `name` (one of TABLES: values in the order of its `columns`) of
    the selected articles, in store order, streamed from the database `batch_size` at a time."""
    query = TABLES[name].query(filters)
    with store.session() as session:
        result = session.execute(query.execution_options(yield_per=batch_size))
        for part in result.partitions():
            yield [tuple(row) for row in part]


def minhash_candidates(store: Store, bands: list[str]) -> list[tuple[str, bytes]]:
    """(key, MinHash signature bytes) of the stored articles that share a band with `bands`: the
    near-duplicate candidates of a new article."""
    stmt = (select(T.Article.key, T.Article.minhash).join(T.MinhashBand, T.MinhashBand.article_id == T.Article.id)
            .where(T.MinhashBand.band.in_(bands)).distinct())
    with store.session() as s:
        return [(key, blob) for key, blob in s.execute(stmt) if blob]
