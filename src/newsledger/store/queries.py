"""Questions to the store, the same for the CLI, the Python API, the HTTP API and the web pages: quotes by
speaker, by entity mentioned, by text; figures by quantity and source over time; series of figures
(what they count, unit, place) with their points by source and day; speakers' profiles; the people
and organizations of the corpus (actors) and the user's corrections to them. A speaker who is a
person or an organization is its actor (store/actors.py), under one name. Every function returns plain dicts (JSON-ready), newest first, with a `limit`; those
that take a `period` keep the articles published in it (store.period: whole days, both ends
inclusive). Ledgers themselves, and the store's rows for export, are read by store.read.

Full-text search uses the backend's own index (FTS5 on SQLite, an English tsvector on PostgreSQL);
user text only ever reaches SQL as a bound parameter, and on SQLite it is turned into a list of
quoted terms first, so FTS5 query syntax in it is plain text.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Optional

from sqlalchemy import Select, and_, desc, exists, func, literal_column, or_, select, text
from sqlalchemy.orm import aliased

from . import tables as T
from .db import Store
from .period import ALL_TIME, Period

MAX_LIMIT = 10_000


def _fts_terms(query: str) -> str:
    """FTS5 query of the words of `query`, each quoted (so AND, NEAR, quotes, colons are words)."""
    words = re.findall(r"\w+", query)
    return " ".join(f'"{w}"' for w in words)


def _text_match(store: Store, table, fts_table: str, columns: tuple[str, ...], query: str):
    """A WHERE clause: rows of `table` whose indexed columns match the words of `query`."""
    if store.dialect == "sqlite":
        terms = _fts_terms(query)
        if not terms:
            return literal_column("0") == 1
        ids = select(literal_column("rowid")).select_from(text(fts_table)).where(
            literal_column(fts_table).op("MATCH")(terms))
        return table.id.in_(ids)
    # the same expression as the GIN index of migration 0002, so that the index serves it
    doc = func.coalesce(getattr(table, columns[0]), "")
    for c in columns[1:]:
        doc = doc.op("||")(" ").op("||")(func.coalesce(getattr(table, c), ""))
    return func.to_tsvector(literal_column("'english'"), doc).op("@@")(
        func.websearch_to_tsquery(literal_column("'english'"), query))


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _in_time(stmt: Select, period: Period) -> Select:
    return stmt.where(*period.conditions(T.Article.published_at))


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def _article_fields(a) -> dict:
    return {"article": a.source_id, "article_key": a.key, "title": a.title, "outlet": a.outlet,
            "url": a.url, "published": a.published}


def _resolved(column=None):
    """A WHERE clause: the attribution's source says who spoke. A bare pronoun nothing resolved
    ("I", "who": `source_resolved` false) is no speaker; null (no span, or not judged) counts."""
    column = T.Attribution.source_resolved if column is None else column
    return or_(column.is_(None), column.is_(True))


def _with_speaker(stmt: Select, entity) -> Select:
    """`stmt` joined to the actor of the attribution's source entity (`entity`, joined already)."""
    return (stmt.outerjoin(T.EntityActor, T.EntityActor.entity_id == entity.id)
            .outerjoin(T.Actor, T.Actor.id == T.EntityActor.actor_id))


def _who(entity):
    """Who a quote's speaker is: the corpus's actor (one name for "Donald Trump", "Donald J. Trump"
    and "Trump"), else the source entity's name, else the source's own text (a relative pronoun's:
    its antecedent)."""
    return func.coalesce(T.Actor.name, entity.name, T.Attribution.source_name)


def quotes(store: Store, *, speaker: Optional[str] = None, mentioning: Optional[str] = None,
           text: Optional[str] = None, kind: Optional[str] = None, outlet: Optional[str] = None,
           period: Period = ALL_TIME, limit: int = 50, offset: int = 0,
           speaker_is: Optional[str] = None) -> list[dict]:
    """Attributions, with their article: by speaker (the speaker's name, the source's name or its
    text contains `speaker`), by an entity mentioned inside the content (`mentioning`), by words of
    the content (`text`); by one speaker exactly (`speaker_is`: the name `speakers` reports, an
    actor's canonical name for a person or organization). A quote whose source is a bare pronoun
    nothing resolved ("I", "who") is listed with `speaker` null and `source_resolved` false, and
    never matches `speaker` or `speaker_is`."""
    Speaker = aliased(T.Entity)
    who = _who(Speaker)
    stmt = _with_speaker(select(T.Attribution, T.Article, who, func.coalesce(T.Actor.type, Speaker.type), T.Actor.id)
                         .join(T.Article, T.Article.id == T.Attribution.article_id)
                         .outerjoin(Speaker, Speaker.id == T.Attribution.source_entity_id), Speaker)
    if speaker:
        pattern = _like(speaker)
        stmt = stmt.where(_resolved(), or_(T.Attribution.source_name.ilike(pattern, escape="\\"),
                                           T.Attribution.source_text.ilike(pattern, escape="\\"),
                                           T.Actor.name.ilike(pattern, escape="\\")))
    if speaker_is:
        stmt = stmt.where(_resolved(), who == speaker_is)
    if mentioning:
        M, E = aliased(T.Mention), aliased(T.Entity)
        stmt = stmt.where(exists(
            select(M.id).join(E, E.id == M.entity_id).where(
                M.article_id == T.Attribution.article_id, M.start >= T.Attribution.content_start,
                M.end <= T.Attribution.content_end, E.name.ilike(_like(mentioning), escape="\\"))))
    if text:
        stmt = stmt.where(_text_match(store, T.Attribution, "attributions_fts", ("content", "source_name"), text))
    if kind:
        stmt = stmt.where(T.Attribution.kind == kind)
    if outlet:
        stmt = stmt.where(T.Article.outlet == outlet)
    stmt = _in_time(stmt, period).order_by(
        desc(T.Article.published_at), T.Article.id, T.Attribution.position).limit(_limit(limit)).offset(max(0, offset))
    with store.session() as s:
        return [{**_article_fields(a), "position": att.position, "kind": att.kind,
                 "speaker": None if att.source_resolved is False else name,
                 "speaker_type": etype, "actor": actor_id, "source_name": att.source_name,
                 "source_text": att.source_text, "source_resolved": att.source_resolved, "cue": att.cue,
                 "content": att.content, "content_spans": att.content_spans, "confidence": att.confidence}
                for att, a, name, etype, actor_id in s.execute(stmt)]


def figures(store: Store, *, quantity: Optional[str] = None, unit: Optional[str] = None,
            source: Optional[str] = None, sourced: Optional[bool] = None, outlet: Optional[str] = None,
            period: Period = ALL_TIME, limit: int = 200, offset: int = 0) -> list[dict]:
    """Figures with their article and the claim they stand in, oldest first: a series over time
    (every death toll, by source and date)."""
    stmt = (select(T.Figure, T.Article, T.Attribution, T.SeriesPoint.series_id)
            .join(T.Article, T.Article.id == T.Figure.article_id)
            .outerjoin(T.Attribution, T.Attribution.id == T.Figure.attribution_id)
            .outerjoin(T.SeriesPoint, T.SeriesPoint.figure_id == T.Figure.id))
    if quantity:
        stmt = stmt.where(T.Figure.quantity.ilike(_like(quantity), escape="\\"))
    if unit:
        stmt = stmt.where(T.Figure.unit == unit)
    if source:
        stmt = stmt.where(T.Attribution.source_name.ilike(_like(source), escape="\\"))
    if sourced is not None:
        stmt = stmt.where(T.Figure.attribution_id.is_not(None) if sourced else T.Figure.attribution_id.is_(None))
    if outlet:
        stmt = stmt.where(T.Article.outlet == outlet)
    stmt = _in_time(stmt, period).order_by(
        T.Article.published_at, T.Article.id, T.Figure.position).limit(_limit(limit)).offset(max(0, offset))
    with store.session() as s:
        return [{**_article_fields(a), "text": f.text, "value": f.value, "value_max": f.value_max,
                 "approx": f.approx, "unit": f.unit, "quantity": f.quantity, "change": f.change,
                 "location": f.location, "time": f.time,
                 "source": att.source_name if att is not None else None,
                 "source_resolved": att.source_resolved if att is not None else None,
                 "cue": att.cue if att is not None else None, "series_id": series_id}
                for f, a, att, series_id in s.execute(stmt)]


def _series_fields(x: T.Series) -> dict:
    return {"id": x.id, "measure": x.measure, "unit": x.unit, "place": x.place, "points": x.points,
            "sources": x.sources, "first": x.first_date.isoformat() if x.first_date else None,
            "last": x.last_date.isoformat() if x.last_date else None, "disagree": x.disagree}


def series(store: Store, *, measure: Optional[str] = None, place: Optional[str] = None, unit: Optional[str] = None,
           disagree: Optional[bool] = None, min_points: int = 1, limit: int = 50, offset: int = 0) -> list[dict]:
    """Series of figures (corpus/series.py: what they count, unit, place), most points first.
    `measure`: what is counted, as a reader says it ("dead", "deaths" and "killed" are all
    "killed"); `place`: part of the place's name, any case; `disagree`: only series where sources
    disagree on a day (or only those where none do)."""
    from ..corpus.series import measure_of

    stmt = select(T.Series).where(T.Series.points >= max(1, min_points))
    if measure:
        said = " ".join(measure.lower().split())
        stmt = stmt.where(T.Series.measure.in_({said, measure_of(said) or said}))
    if place:
        stmt = stmt.where(T.Series.place.ilike(_like(place), escape="\\"))
    if unit:
        stmt = stmt.where(T.Series.unit == unit)
    if disagree is not None:
        stmt = stmt.where(T.Series.disagree.is_(bool(disagree)))
    stmt = stmt.order_by(desc(T.Series.points), desc(T.Series.last_date), T.Series.id).limit(
        _limit(limit)).offset(max(0, offset))
    with store.session() as s:
        return [_series_fields(x) for x in s.scalars(stmt)]


def series_points(store: Store, series_id: int, *, limit: int = 1000, offset: int = 0) -> list[dict]:
    """One series' points, oldest first (undated ones last), each with its value, qualifier, source
    (its actor's canonical name when its source entity has one, else the source as written:
    `source_as_written`; `actor`: the actor's id), outlet, day, whether it disagrees with another source that day, and its figure and article (the
    figure's `position` in the ledger anchors it on the article page)."""
    from .series import source_of

    P = T.SeriesPoint
    who = source_of()
    stmt = (select(P, who, T.Figure.position, T.Figure.text, T.Figure.unit, T.Article)
            .join(T.Figure, T.Figure.id == P.figure_id).join(T.Article, T.Article.id == P.article_id)
            .outerjoin(T.Actor, T.Actor.id == P.actor_id)
            .where(P.series_id == series_id)
            .order_by(P.date.is_(None), P.date, func.lower(who), T.Article.id, T.Figure.position)
            .limit(_limit(limit)).offset(max(0, offset)))
    with store.session() as s:
        return [{**_article_fields(a), "date": p.date.isoformat() if p.date else None, "value": p.value,
                 "value_max": p.value_max, "approx": p.approx, "source": source, "source_as_written": p.source,
                 "actor": p.actor_id, "unit": unit, "disagrees": p.disagrees, "text": text, "position": position}
                for p, source, position, text, unit, a in s.execute(stmt)]


def one_series(store: Store, series_id: int, *, limit: int = 1000) -> Optional[dict]:
    """One series with its first `limit` points (series_points), or None."""
    with store.session() as s:
        found = s.get(T.Series, series_id)
        if found is None:
            return None
        out = _series_fields(found)
    return {**out, "items": series_points(store, series_id, limit=limit)}


def speakers(store: Store, *, name: Optional[str] = None, exact: bool = False,
             period: Period = ALL_TIME, limit: int = 20, offset: int = 0, top: int = 5) -> list[dict]:
    """Speakers' profiles, most quoted first: how often, in how many articles, by which outlets,
    with which cues, first and last time. A speaker is the corpus's actor of the source's entity (a
    person or organization: "Donald Trump", "Donald J. Trump" and "Trump" are one, under its
    canonical name, with its type, its other names as `aliases`, and `ambiguous` with its
    `candidates` for a one-word name two or more people own, "Clinton"), else the entity's name
    (another type: "Russia"), else the source's own text (a relative pronoun's: its antecedent). A
    bare pronoun nothing resolved ("I", "they", "who") is no speaker and is left out. `name`: part
    of the speaker's name, any case; with `exact`, the whole name as reported."""
    who = _who(T.Entity)
    base = _with_speaker(select(who.label("who"), T.Actor.id.label("actor_id"), T.Entity.type.label("etype"),
                                T.Attribution, T.Article)
                         .join(T.Article, T.Article.id == T.Attribution.article_id)
                         .outerjoin(T.Entity, T.Entity.id == T.Attribution.source_entity_id), T.Entity) \
        .where(who.is_not(None), _resolved())
    if name and exact:
        base = base.where(who == name)
    elif name:
        base = base.where(who.ilike(_like(name), escape="\\"))
    base = _in_time(base, period)
    sub = base.subquery()
    ranked = (select(sub.c.who, func.count().label("n"), func.count(func.distinct(sub.c.article_id)).label("articles"),
                     func.min(sub.c.published_at).label("first"), func.max(sub.c.published_at).label("last"),
                     func.min(sub.c.actor_id).label("actor"), func.max(sub.c.etype).label("etype"))
              .group_by(sub.c.who).order_by(desc("n"), sub.c.who).limit(_limit(limit)).offset(max(0, offset)))
    out = []
    with store.session() as s:
        rows = s.execute(ranked).all()
        profiles = _actor_profiles(s, [r.actor for r in rows if r.actor is not None], top)
        page = [r.who for r in rows]

        def tops(column) -> dict[str, list[dict]]:
            """The `top` most frequent values of `column` for each speaker of the page: one
            statement for the page (a statement a speaker read every quote again each time)."""
            if not page:
                return {}
            counted = (select(sub.c.who.label("who"), column.label("value"), func.count().label("k"))
                       .where(sub.c.who.in_(page), column.is_not(None)).group_by(sub.c.who, column).subquery())
            rank = func.row_number().over(partition_by=counted.c.who,
                                          order_by=(desc(counted.c.k), counted.c.value)).label("rank")
            ranked_values = select(counted.c.who, counted.c.value, counted.c.k, rank).subquery()
            found: dict[str, list[dict]] = defaultdict(list)
            for who_, value, k, _ in s.execute(select(ranked_values).where(ranked_values.c.rank <= top)
                                               .order_by(ranked_values.c.who, ranked_values.c.rank)):
                found[who_].append({"name": value, "count": k})
            return found
        outlets, cues, kinds = tops(sub.c.outlet), tops(func.lower(sub.c.cue)), tops(sub.c.kind)
        for who_, n, n_articles, first, last, actor_id, etype in rows:
            actor = profiles.get(actor_id, {})
            out.append({"speaker": who_, "actor": actor_id, "type": actor.get("type", etype),
                        "ambiguous": actor.get("ambiguous", False), "aliases": actor.get("aliases", []),
                        "candidates": actor.get("candidates", []), "quotes": n, "articles": n_articles,
                        "first": first.isoformat() if first else None, "last": last.isoformat() if last else None,
                        "outlets": outlets.get(who_, []), "cues": cues.get(who_, []), "kinds": kinds.get(who_, [])})
    return out


def _actor_profiles(s, ids: list[int], top: int = 5) -> dict[int, dict]:
    """Type, ambiguity, aliases (its other names, most mentioned first) and, for an ambiguous one,
    the candidates of the actors `ids`."""
    out: dict[int, dict] = {}
    ids = sorted(set(ids))
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        for a in s.scalars(select(T.Actor).where(T.Actor.id.in_(part))):
            out[a.id] = {"type": a.type, "ambiguous": bool(a.ambiguous), "aliases": [], "candidates": [],
                         "name": a.name, "key": a.key}
        for actor_id, form, mentions, names in s.execute(
                select(T.ActorName.actor_id, T.ActorName.name, T.ActorName.mentions, T.ActorName.names)
                .where(T.ActorName.actor_id.in_(part), or_(T.ActorName.names > 0, T.ActorName.tied > 0,
                                                          T.ActorName.pinned.is_(True)))
                .order_by(T.ActorName.actor_id, desc(T.ActorName.mentions + T.ActorName.names), T.ActorName.name)):
            entry = out.get(actor_id)
            if entry is not None and form != entry["name"] and len(entry["aliases"]) < top:
                entry["aliases"].append({"name": form, "count": max(mentions, names)})
    for actor_id, entry in out.items():
        if entry["ambiguous"]:
            entry["candidates"] = _candidates(s, entry["key"])
    return out


def _candidates(s, key: str) -> list[dict]:
    """Who a one-word name could be: the actors an article tied it to, and the persons with it as surname."""
    tied = select(T.ActorName.actor_id).where(T.ActorName.key == key, T.ActorName.tied > 0)
    stmt = (select(T.Actor.id, T.Actor.name, T.Actor.type, T.Actor.articles)
            .where(T.Actor.kind != "single", or_(T.Actor.id.in_(tied),
                                                 and_(T.Actor.surname == key, T.Actor.type == "PERSON")))
            .order_by(desc(T.Actor.articles), T.Actor.id).limit(20))
    return [{"id": i, "name": n, "type": t, "articles": k} for i, n, t, k in s.execute(stmt)]


def actors(store: Store, *, name: Optional[str] = None, type: Optional[str] = None,
           ambiguous: Optional[bool] = None, limit: int = 50, offset: int = 0, top: int = 5) -> list[dict]:
    """The corpus's people and organizations, in most articles first: canonical name, type, counts,
    first and last seen (publication days), aliases; `name` a part of the canonical name or of any of
    its forms, any case."""
    stmt = select(T.Actor)
    if name:
        forms = select(T.ActorName.actor_id).where(T.ActorName.name.ilike(_like(name), escape="\\"))
        stmt = stmt.where(or_(T.Actor.name.ilike(_like(name), escape="\\"), T.Actor.id.in_(forms)))
    if type:
        stmt = stmt.where(T.Actor.type == type)
    if ambiguous is not None:
        stmt = stmt.where(T.Actor.ambiguous.is_(ambiguous))
    stmt = stmt.order_by(desc(T.Actor.articles), desc(T.Actor.mentions), T.Actor.name, T.Actor.id) \
        .limit(_limit(limit)).offset(max(0, offset))
    with store.session() as s:
        found = list(s.scalars(stmt))
        profiles = _actor_profiles(s, [a.id for a in found], top)
        return [_actor_row(a, profiles.get(a.id, {})) for a in found]


def _actor_row(a, profile: dict) -> dict:
    return {"id": a.id, "name": a.name, "type": a.type, "ambiguous": bool(a.ambiguous), "articles": a.articles,
            "mentions": a.mentions, "first_seen": a.first_seen.isoformat() if a.first_seen else None,
            "last_seen": a.last_seen.isoformat() if a.last_seen else None, "aliases": profile.get("aliases", []),
            "candidates": profile.get("candidates", []), "renamed": bool(a.renamed),
            "made_by": "user" if a.kind == "user" else "ingest"}


def actor(store: Store, ref: str, *, top: int = 10, articles: int = 20) -> Optional[dict]:
    """One actor, by id ("#12", "12"), canonical name or a name of its: its profile, every form
    (with how often it is an entity's name, a mention's text, tied by an article), its outlets, its
    latest articles and the user's corrections that name it. None when no actor answers."""
    from .actors import ActorNotFound, resolve

    with store.session() as s:
        try:
            a = resolve(s, ref)
        except ActorNotFound:
            return None
        row = _actor_row(a, _actor_profiles(s, [a.id], top).get(a.id, {}))
        row["forms"] = [{"name": n, "names": k, "mentions": m, "tied": t, "pinned": bool(p)} for n, k, m, t, p in s.execute(
            select(T.ActorName.name, T.ActorName.names, T.ActorName.mentions, T.ActorName.tied, T.ActorName.pinned)
            .where(T.ActorName.actor_id == a.id)
            .order_by(desc(T.ActorName.mentions + T.ActorName.names), T.ActorName.name).limit(200))]
        row["links"] = {k: n for k, n in s.execute(select(T.EntityActor.link, func.count())
                                                  .where(T.EntityActor.actor_id == a.id).group_by(T.EntityActor.link))}
        row["outlets"] = [{"name": o, "count": n} for o, n in s.execute(
            select(T.Article.outlet, func.count(func.distinct(T.Article.id)).label("n"))
            .join(T.EntityActor, T.EntityActor.article_id == T.Article.id)
            .where(T.EntityActor.actor_id == a.id, T.Article.outlet.is_not(None))
            .group_by(T.Article.outlet).order_by(desc("n"), T.Article.outlet).limit(top))]
        row["entities"] = [{**_article_fields(art), "entity_id": e.id, "name": e.name, "type": e.type, "link": link}
                           for e, art, link in s.execute(
            select(T.Entity, T.Article, T.EntityActor.link).join(T.EntityActor, T.EntityActor.entity_id == T.Entity.id)
            .join(T.Article, T.Article.id == T.Entity.article_id).where(T.EntityActor.actor_id == a.id)
            .order_by(desc(T.Article.published_at), T.Article.id, T.Entity.id).limit(_limit(articles)))]
        return row


def actor_edits(store: Store, *, limit: int = 100) -> list[dict]:
    """The user's corrections to the actors (merge, split, rename), newest first."""
    with store.session() as s:
        return [{"edit": e.id, "at": e.at.isoformat() if e.at else None, "action": e.action, **(e.args or {})}
                for e in s.scalars(select(T.ActorEdit).order_by(desc(T.ActorEdit.id)).limit(_limit(limit)))]


def articles(store: Store, *, text: Optional[str] = None, outlet: Optional[str] = None,
             period: Period = ALL_TIME, limit: int = 50, offset: int = 0) -> list[dict]:
    """Stored articles, newest first, with how much of each kind their ledgers hold."""
    counts = {name: select(func.count()).where(table.article_id == T.Article.id).scalar_subquery()
              for name, table in (("attributions", T.Attribution), ("figures", T.Figure), ("dates", T.Date))}
    stmt = select(T.Article, *[c.label(n) for n, c in counts.items()])
    if text:
        stmt = stmt.where(_text_match(store, T.Article, "articles_fts", ("title", "text"), text))
    if outlet:
        stmt = stmt.where(T.Article.outlet == outlet)
    stmt = _in_time(stmt, period).order_by(desc(T.Article.published_at), T.Article.id).limit(
        _limit(limit)).offset(max(0, offset))
    with store.session() as s:
        return [{**_article_fields(a), "status": a.status, "language": a.language,
                 **{n: row[i + 1] for i, n in enumerate(counts)}} for row in s.execute(stmt) for a in [row[0]]]


def figure_quantities(store: Store, *, limit: int = 100) -> list[dict]:
    """What the stored figures count, most frequent first: [{"quantity", "figures", "articles"}]."""
    stmt = (select(T.Figure.quantity, func.count().label("n"), func.count(func.distinct(T.Figure.article_id)))
            .where(T.Figure.quantity.is_not(None)).group_by(T.Figure.quantity)
            .order_by(desc("n"), T.Figure.quantity).limit(_limit(limit)))
    with store.session() as s:
        return [{"quantity": q, "figures": n, "articles": k} for q, n, k in s.execute(stmt)]


def entity(store: Store, entity_id: int, *, mentions: int = 200) -> Optional[dict]:
    """One stored entity (an article's), with its article, its first `mentions` mentions and the
    corpus's actor it belongs to (`actor`: id, name, type, how it joined; null for none)."""
    with store.session() as s:
        row = s.execute(select(T.Entity, T.Article, T.Actor.id, T.Actor.name, T.Actor.type, T.EntityActor.link)
                        .join(T.Article, T.Article.id == T.Entity.article_id)
                        .outerjoin(T.EntityActor, T.EntityActor.entity_id == T.Entity.id)
                        .outerjoin(T.Actor, T.Actor.id == T.EntityActor.actor_id)
                        .where(T.Entity.id == entity_id)).first()
        if row is None:
            return None
        ent, a, actor_id, actor_name, actor_type, link = row
        found = s.execute(select(T.Mention.start, T.Mention.end, T.Mention.text).where(T.Mention.entity_id == ent.id)
                          .order_by(T.Mention.start).limit(_limit(mentions)))
        return {**_article_fields(a), "entity_id": ent.id, "ledger_id": ent.ledger_id, "name": ent.name,
                "type": ent.type, "mentions": [{"start": st, "end": en, "text": t} for st, en, t in found],
                "actor": {"id": actor_id, "name": actor_name, "type": actor_type, "link": link}
                if actor_id is not None else None}


def entities(store: Store, *, name: Optional[str] = None, exact: bool = False, type: Optional[str] = None,
             actor: Optional[int] = None, limit: int = 50, offset: int = 0) -> list[dict]:
    """Stored entities (each one article's) with their number of mentions and their actor's name,
    newest article first. `name` matches the canonical name exactly with `exact`, else as a part of
    it, ignoring case; `actor`: the entities of this actor (its id)."""
    stmt = (select(T.Entity, T.Article, select(func.count()).where(T.Mention.entity_id == T.Entity.id)
                   .scalar_subquery().label("n"), T.Actor.id, T.Actor.name)
            .join(T.Article, T.Article.id == T.Entity.article_id)
            .outerjoin(T.EntityActor, T.EntityActor.entity_id == T.Entity.id)
            .outerjoin(T.Actor, T.Actor.id == T.EntityActor.actor_id))
    if name:
        stmt = stmt.where(T.Entity.name == name if exact else T.Entity.name.ilike(_like(name), escape="\\"))
    if type:
        stmt = stmt.where(T.Entity.type == type)
    if actor is not None:
        stmt = stmt.where(T.EntityActor.actor_id == actor)
    stmt = stmt.order_by(desc(T.Article.published_at), T.Article.id, T.Entity.id).limit(_limit(limit)).offset(max(0, offset))
    with store.session() as s:
        return [{**_article_fields(a), "entity_id": e.id, "name": e.name, "type": e.type, "mentions": n,
                 "actor_id": actor_id, "actor": actor_name}
                for e, a, n, actor_id, actor_name in s.execute(stmt)]


def entities_named(store: Store, name: str, *, limit: int = 50, offset: int = 0) -> list[dict]:
    """The entities of every article that bear this canonical name, newest article first."""
    return entities(store, name=name, exact=True, limit=limit, offset=offset)


def entity_actor_names(store: Store, article_key: str) -> dict[str, str]:
    """The corpus's names of one article's entities, by their ledger ids ("E3" -> "Donald Trump"),
    for those that belong to an actor."""
    stmt = (select(T.Entity.ledger_id, T.Actor.name).join(T.Article, T.Article.id == T.Entity.article_id)
            .join(T.EntityActor, T.EntityActor.entity_id == T.Entity.id).join(T.Actor, T.Actor.id == T.EntityActor.actor_id)
            .where(T.Article.key == article_key))
    with store.session() as s:
        return dict(s.execute(stmt).all())


def entity_ids(store: Store, article_key: str) -> dict[str, int]:
    """The stored ids of one article's entities, by their ledger ids ("E3" -> 1234)."""
    stmt = (select(T.Entity.ledger_id, T.Entity.id).join(T.Article, T.Article.id == T.Entity.article_id)
            .where(T.Article.key == article_key))
    with store.session() as s:
        return dict(s.execute(stmt).all())


def article(store: Store, key: str) -> Optional[dict]:
    """One stored article's metadata and status (a near-duplicate: with its original's key)."""
    Original = aliased(T.Article)
    stmt = (select(T.Article, Original.key).outerjoin(Original, Original.id == T.Article.duplicate_of)
            .where(T.Article.key == key))
    with store.session() as s:
        row = s.execute(stmt).first()
        if row is None:
            return None
        a, original = row
        return {**_article_fields(a), "author": a.author, "language": a.language, "status": a.status,
                "warnings": list(a.warnings or []), "duplicate_of": original, "similarity": a.similarity}


def most_quoted_article(store: Store) -> Optional[str]:
    """The key of the analyzed article with the most attributions (the one to show first), or None."""
    stmt = (select(T.Article.key).join(T.Attribution, T.Attribution.article_id == T.Article.id)
            .where(T.Article.status == "analyzed").group_by(T.Article.id, T.Article.key)
            .order_by(desc(func.count(T.Attribution.id)), T.Article.id).limit(1))
    with store.session() as s:
        return s.scalar(stmt)


COUNTED = {"articles": T.Article, "entities": T.Entity, "attributions": T.Attribution, "figures": T.Figure,
           "dates": T.Date, "failures": T.Failure, "runs": T.Run}


def counts(store: Store) -> dict[str, int]:
    """How many of each the store holds: {"articles", "entities", "attributions", "figures",
    "dates", "failures", "runs": n}. Articles count every stored one, near-duplicates included."""
    stmt = select(*[select(func.count()).select_from(table).scalar_subquery().label(name)
                    for name, table in COUNTED.items()])
    with store.session() as s:
        return dict(s.execute(stmt).one()._mapping)


def search(store: Store, text: str, *, limit: int = 20) -> dict:
    """Full-text search: the quotes and the articles that hold the words."""
    return {"quotes": quotes(store, text=text, limit=limit), "articles": articles(store, text=text, limit=limit)}


def runs(store: Store, *, limit: int = 20) -> list[dict]:
    """Ingest and load runs, newest first: how each ended and what it counted. A run left `running`
    by a process that is gone (see store/runs.py) is shown `interrupted`, as the next run marks it."""
    from .runs import dead_runs

    stmt = select(T.Run).order_by(desc(T.Run.id)).limit(_limit(limit))
    with store.session() as s:
        found = list(s.scalars(stmt))
    dead = dead_runs(found)
    return [{"run": r.id, "status": "interrupted" if r.id in dead else r.status,
             "started": r.started_at, "finished": r.finished_at, "host": r.host, "pid": r.pid,
             "sources": list(r.sources or []), "version": r.version, "analyzed": r.analyzed,
             "skipped": r.skipped, "existing": r.existing, "duplicates": r.duplicates, "failed": r.failed}
            for r in found]
