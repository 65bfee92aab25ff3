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
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import Session

from ..corpus import series as S
from . import tables as T

IN_LIST = 500  # bounded IN lists


def _dialect_insert(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _chunks(values: list, size: int = IN_LIST) -> Iterable[list]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def add_points(session: Session, found: list[tuple[int, int, S.Point]]) -> list[int]:
    """Store points: `found` holds (article id, figure id, point) for figures just written. The ids
    of the series they went into (made when new), whose counts, days and flags are then current."""
    if not found:
        return []
    insert = _dialect_insert(session)
    keys = {}
    for _, _, p in found:
        keys.setdefault(p.series.key, p.series)
    ordered = sorted(keys)  # one order for every writer: locks are taken in it
    session.execute(insert(T.Series.__table__).on_conflict_do_nothing(index_elements=["key"]), [
        dict(key=k, measure=keys[k].measure, unit=keys[k].unit, place=keys[k].place, first_date=None,
             last_date=None, points=0, sources=0, disagree=False) for k in ordered])
    series_ids: dict[str, int] = {}
    for part in _chunks(ordered):
        stmt = select(T.Series.key, T.Series.id).where(T.Series.key.in_(part)).order_by(T.Series.key)
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        series_ids.update(session.execute(stmt).all())
    session.execute(insert(T.SeriesPoint.__table__).on_conflict_do_nothing(index_elements=["figure_id"]), [
        dict(series_id=series_ids[p.series.key], figure_id=fid, article_id=aid, value=p.value,
             value_max=p.value_max, approx=p.approx, source=p.source, actor_id=None, outlet=p.outlet,
             date=p.date, disagrees=False) for aid, fid, p in found])
    touched = sorted(set(series_ids.values()))
    days = defaultdict(set)
    for _, _, p in found:
        if p.date is not None and p.source:
            days[series_ids[p.series.key]].add(p.date)
    _flag_disagreements(session, days)
    _recount(session, touched)
    return touched


def _flag_disagreements(session: Session, days: dict[int, set]) -> None:
    """Compare again the points of each (series, day) given, and set their `disagrees`."""
    P = T.SeriesPoint
    for sid, dates in days.items():
        rows = session.execute(select(P.id, P.date, P.source, P.value, P.value_max, P.approx, P.disagrees)
                               .where(P.series_id == sid, P.date.in_(sorted(dates)))).all()
        flagged = S.disagreeing([tuple(r[:6]) for r in rows])
        changed = {r.id: r.id in flagged for r in rows if (r.id in flagged) != bool(r.disagrees)}
        for value in (True, False):
            ids = [i for i, v in changed.items() if v is value]
            for part in _chunks(ids):
                session.execute(update(P).where(P.id.in_(part)).values(disagrees=value))


def _recount(session: Session, series_ids: list[int]) -> None:
    """Each series' points, sources, first and last day, and flag, from its points."""
    P = T.SeriesPoint
    mine = P.series_id == T.Series.id
    for part in _chunks(series_ids):
        session.execute(update(T.Series).where(T.Series.id.in_(part)).values(
            points=select(func.count()).where(mine).scalar_subquery(),
            sources=select(func.count(func.distinct(func.lower(P.source)))).where(mine).scalar_subquery(),
            first_date=select(func.min(P.date)).where(mine).scalar_subquery(),
            last_date=select(func.max(P.date)).where(mine).scalar_subquery(),
            disagree=exists().where(and_(mine, P.disagrees.is_(True)))))


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

