"""Series in the store: each stored figure that joins a series (corpus/series.py says which) becomes
a point of it, in the transaction that writes its article (store/write.py), so series grow as
articles arrive, on SQLite and PostgreSQL alike, and nothing is ever rebuilt.

- A series row is made by its key the first time a point needs it (INSERT ... ON CONFLICT DO
  NOTHING on the unique key): writers that make the same series at once both end up with the one
  row. The series a write touches are then locked (SELECT ... FOR UPDATE, in key order, on
  PostgreSQL; SQLite has one writer at a time), so that their counts, days and flags, recomputed
  from their points, count every committed point.
- A point is one figure (unique): storing a ledger again, or filling a store's series again,
  adds nothing.
- Disagreement: the points of each touched day of each touched series are compared again
  (corpus.series.disagreeing); a series disagrees when any of its points does.
- Whose claim: a point's source is its actor's canonical name when its attribution's source entity
  is linked to a corpus actor (`actor_id`), else the source's name as written (`source_of`), so
  that "Gaza Health Ministry" and "the Gaza Health Ministry" tied to it are one source, for the
  disagreement check, the count of sources and the points a reader sees. `actor_id` is set when a
  point is added (store/write.py adds points after linking the article's entities), and again when
  actors are relinked (store/actors.py: an entity moved, a merge, a rename, a rebuild:
  `refresh_actors`), which compares the touched days again.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Optional

from sqlalchemy import Boolean, Integer, and_, bindparam, case, exists, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from ..corpus import series as S
from . import tables as T
from .db import dialect_insert, in_chunks as _chunks


def source_of():
    """Whose claim a point is, as one identity: its actor's canonical name, else its source as
    written (None: no source). A column expression over series_points outer-joined to actors."""
    P = T.SeriesPoint
    return case((P.source.is_(None), None), else_=func.coalesce(T.Actor.name, P.source))


def _actor_of_figure():
    """The actor of a point's figure's attribution's source entity (correlated on series_points): a
    bare pronoun nothing resolved is no source, so no actor."""
    A = T.Attribution
    return (select(T.EntityActor.actor_id).join(A, A.source_entity_id == T.EntityActor.entity_id)
            .join(T.Figure, T.Figure.attribution_id == A.id)
            .where(T.Figure.id == T.SeriesPoint.figure_id, or_(A.source_resolved.is_(None), A.source_resolved.is_(True)))
            .scalar_subquery())


def _actors_of_figures(session: Session, figure_ids: list[int]) -> dict[int, int]:
    """figure id -> the actor of its attribution's source entity, for those that have one."""
    A = T.Attribution
    out: dict[int, int] = {}
    for part in _chunks(figure_ids):
        out.update(session.execute(
            select(T.Figure.id, T.EntityActor.actor_id).join(A, A.id == T.Figure.attribution_id)
            .join(T.EntityActor, T.EntityActor.entity_id == A.source_entity_id)
            .where(T.Figure.id.in_(part), or_(A.source_resolved.is_(None), A.source_resolved.is_(True)))).all())
    return out


def add_points(session: Session, found: list[tuple[int, int, S.Point]]) -> list[int]:
    """Store points: `found` holds (article id, figure id, point) for figures just written, whose
    entities are linked to actors already (a point's source is its actor when it has one). The ids
    of the series they went into (made when new), whose counts, days and flags are then current."""
    if not found:
        return []
    actors = _actors_of_figures(session, sorted({fid for _, fid, p in found if p.source}))
    keys = {}
    for _, _, p in found:
        keys.setdefault(p.series.key, p.series)
    ordered = sorted(keys)  # one order for every writer: locks are taken in it
    session.execute(dialect_insert(session, T.Series.__table__).on_conflict_do_nothing(index_elements=["key"]), [
        dict(key=k, measure=keys[k].measure, unit=keys[k].unit, place=keys[k].place, first_date=None,
             last_date=None, points=0, sources=0, disagree=False) for k in ordered])
    series_ids: dict[str, int] = {}
    for part in _chunks(ordered):
        stmt = select(T.Series.key, T.Series.id).where(T.Series.key.in_(part)).order_by(T.Series.key)
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        series_ids.update(session.execute(stmt).all())
    session.execute(dialect_insert(session, T.SeriesPoint.__table__).on_conflict_do_nothing(
        index_elements=["figure_id"]), [
        dict(series_id=series_ids[p.series.key], figure_id=fid, article_id=aid, value=p.value,
             value_max=p.value_max, approx=p.approx, source=p.source, actor_id=actors.get(fid) if p.source else None, outlet=p.outlet,
             date=p.date, disagrees=False) for aid, fid, p in found])
    touched = sorted(set(series_ids.values()))
    P = T.SeriesPoint
    added = [row for part in _chunks(sorted({fid for _, fid, _ in found}))
             for row in session.execute(select(P.id, P.series_id, P.date).where(P.figure_id.in_(part)))]
    days = defaultdict(set)
    for row in added:
        if row.date is not None:
            days[row.series_id].add(row.date)
    flagged = _flag_disagreements(session, days, among={row.id for row in added})
    _count_added(session, added, flagged)
    return touched


def _count_added(session: Session, added: list, flagged: set[int]) -> None:
    """Add points just stored (id, series_id, date) to their series' counts, days and flag (`flagged`:
    the series with a point newly flagged), without reading the series' other points: what a
    write costs stays the same as series grow. Sources are counted again (one aggregate a series):
    whether a point's source is new to its series depends on its actor's current name."""
    per: dict[int, dict] = {}
    for row in added:
        c = per.setdefault(row.series_id, {"n": 0, "first": None, "last": None})
        c["n"] += 1
        if row.date is not None:
            c["first"] = row.date if c["first"] is None else min(c["first"], row.date)
            c["last"] = row.date if c["last"] is None else max(c["last"], row.date)
    series = T.Series.__table__.c  # the table's, not the model's: an executemany UPDATE
    P = T.SeriesPoint
    first, last = bindparam("b_first", type_=series.first_date.type), bindparam("b_last", type_=series.last_date.type)
    stmt = update(T.Series.__table__).where(series.id == bindparam("b_id")).values(
        points=series.points + bindparam("b_n", type_=Integer),
        first_date=case((or_(series.first_date.is_(None), series.first_date > first), first), else_=series.first_date),
        last_date=case((or_(series.last_date.is_(None), series.last_date < last), last), else_=series.last_date),
        sources=select(func.count(func.distinct(func.lower(source_of())))).select_from(P).outerjoin(
            T.Actor, T.Actor.id == P.actor_id).where(P.series_id == bindparam("b_id")).scalar_subquery(),
        disagree=or_(series.disagree, bindparam("b_flag", type_=Boolean)))
    session.execute(stmt, [dict(b_id=sid, b_n=c["n"], b_first=c["first"], b_last=c["last"], b_flag=sid in flagged)
                           for sid, c in sorted(per.items())])


def _flag_disagreements(session: Session, days: dict[int, set], among: Optional[set[int]] = None) -> set[int]:
    """Compare again the points of each (series, day) given, and set their `disagrees`. `among`:
    points just added, compared with the others of their day (flags only come on then: the pairs
    of older points are as they were). The series where a point's flag came on."""
    P = T.SeriesPoint
    pairs = sorted((sid, day) for sid, dates in days.items() for day in dates)
    rows_of = defaultdict(list)
    # the (series, day) pairs of the whole call in one statement a bounded list, not one a series
    for part in _chunks(pairs):
        for row in session.execute(select(P.series_id, P.id, P.date, source_of(), P.value, P.value_max, P.approx,
                                          P.disagrees).outerjoin(T.Actor, T.Actor.id == P.actor_id)
                                   .where(tuple_(P.series_id, P.date).in_(part))):
            rows_of[row.series_id].append(row)
    on: set[int] = set()
    changed: dict[int, bool] = {}
    for sid in sorted(days):
        rows = rows_of[sid]
        flagged = S.disagreeing([tuple(r[1:7]) for r in rows], among)
        if among is None:
            flips = {r.id: r.id in flagged for r in rows if (r.id in flagged) != bool(r.disagrees)}
        else:
            flips = {r.id: True for r in rows if r.id in flagged and not r.disagrees}
        if any(flips.values()):
            on.add(sid)
        changed.update(flips)
    for value in (True, False):
        ids = sorted(i for i, v in changed.items() if v is value)
        for part in _chunks(ids):
            session.execute(update(P).where(P.id.in_(part)).values(disagrees=value))
    return on


def _recount(session: Session, series_ids: list[int]) -> None:
    """Each series' points, sources, first and last day, and flag, from its points."""
    P = T.SeriesPoint
    mine = P.series_id == T.Series.id
    for part in _chunks(series_ids):
        session.execute(update(T.Series).where(T.Series.id.in_(part)).values(
            points=select(func.count()).where(mine).scalar_subquery(),
            sources=select(func.count(func.distinct(func.lower(source_of())))).select_from(P).outerjoin(
                T.Actor, T.Actor.id == P.actor_id).where(mine).scalar_subquery(),
            first_date=select(func.min(P.date)).where(mine).scalar_subquery(),
            last_date=select(func.max(P.date)).where(mine).scalar_subquery(),
            disagree=exists().where(and_(mine, P.disagrees.is_(True)))))


def refresh_actors(session: Session, *, entity_ids: Iterable[int] = (), actor_ids: Iterable[int] = (),
                   everything: bool = False) -> int:
    """Set again the actor of the points whose source entity is one of `entity_ids` (entities just
    moved to another actor), or whose actor is one of `actor_ids` (merged, renamed), or of every
    point with a source (`everything`: after a rebuild); then compare their days again and recount
    their series. How many points it looked at."""
    P, A = T.SeriesPoint, T.Attribution
    base = select(P.id, P.series_id, P.date).where(P.source.is_not(None))
    if everything:
        stmts = [base]
    else:
        by_entity = base.join(T.Figure, T.Figure.id == P.figure_id).join(A, A.id == T.Figure.attribution_id)
        stmts = [by_entity.where(A.source_entity_id.in_(part)) for part in _chunks(sorted(set(entity_ids)))]
        stmts += [base.where(P.actor_id.in_(part)) for part in _chunks(sorted(set(actor_ids)))]
    rows = {r.id: r for stmt in stmts for r in session.execute(stmt)}
    if not rows:
        return 0
    actor = _actor_of_figure()
    if everything:
        session.execute(update(P).where(P.source.is_not(None)).values(actor_id=actor))
    else:
        for part in _chunks(sorted(rows)):
            session.execute(update(P).where(P.id.in_(part)).values(actor_id=actor))
    days = defaultdict(set)
    for r in rows.values():
        if r.date is not None:
            days[r.series_id].add(r.date)
    _flag_disagreements(session, days)
    _recount(session, sorted({r.series_id for r in rows.values()}))
    return len(rows)


def points_of(led, figure_ids: list[int], article_id: int) -> list[tuple[int, int, S.Point]]:
    """(article id, figure id, point) of a ledger's figures that join a series; `figure_ids`: the
    stored ids of its figures, by position."""
    return [(article_id, figure_ids[p.position], p) for p in S.ledger_points(led)]


def fill(session: Session, batch: int = 200) -> int:
    """Put in series the figures of the stored articles that have none there yet (a store written
    before series existed): the same points as when an article is written. How many points."""
    from .read import _rebuild

    has_point = exists().where(T.SeriesPoint.article_id == T.Article.id)
    has_figure = exists().where(T.Figure.article_id == T.Article.id)
    added, last = 0, 0
    while True:
        articles = list(session.scalars(select(T.Article).where(T.Article.id > last, has_figure, ~has_point)
                                        .order_by(T.Article.id).limit(batch)))
        if not articles:
            return added
        last = articles[-1].id
        ids = defaultdict(list)
        for aid, fid in session.execute(select(T.Figure.article_id, T.Figure.id).where(
                T.Figure.article_id.in_([a.id for a in articles])).order_by(T.Figure.article_id, T.Figure.position)):
            ids[aid].append(fid)
        found = [pt for art, led in _rebuild(session, articles) for pt in points_of(led, ids[art.id], art.id)]
        add_points(session, found)
        added += len(found)
        session.expunge_all()

