"""A ledger into the store, and what could not be analyzed. Idempotent: an article is keyed by the
sha256 of its content, so storing it again changes nothing."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .. import ledger as L
from ..ingest import parse_published
from ..corpus.actors import EntityIn
from . import tables as T
from .actors import ArticleEntities, link_entities
from .series import add_points, points_of as series_points_of
from .provenance import link_copy, link_quotes

CONTENT_JOINER = " … "


def article_key(article: L.Article) -> str:
    """The content hash that identifies an article in the store: its text, else its HTML page.
    Metadata does not count: the same story under two ids is one article."""
    body = ("text:" + article.text) if article.text is not None else ("html:" + (article.html or ""))
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def _published_at(value: Optional[str]) -> Optional[datetime]:
    parsed = parse_published(value) if value else None
    if parsed is None:
        return None
    if not isinstance(parsed, datetime):
        parsed = datetime(parsed.year, parsed.month, parsed.day)
    # stored naive, in UTC: the same instant whatever the machine's own time zone
    return parsed if parsed.tzinfo is None else parsed.astimezone(timezone.utc).replace(tzinfo=None)


def existing_keys(session: Session, keys: list[str]) -> set[str]:
    """Those of `keys` already stored."""
    found: set[str] = set()
    for i in range(0, len(keys), 500):  # bounded IN lists
        found.update(session.scalars(select(T.Article.key).where(T.Article.key.in_(keys[i:i + 500]))))
    return found


def _cut(text: str, span) -> str:
    return text[span[0]:span[1]]


def save_ledger(session: Session, led: L.Ledger, key: str, run_id: Optional[int] = None,
                minhash: Optional[bytes] = None, bands: tuple[str, ...] = ()) -> Optional[str]:
    """Store one ledger with all its records (and its MinHash signature and bands, which later
    articles are compared with). Its status ('analyzed' or 'skipped'); None, and nothing written,
    if its key is stored."""
    return save_ledgers(session, [ToStore(led, key, minhash, tuple(bands))], run_id)[0]


@dataclass
class ToStore:
    ledger: L.Ledger
    key: str
    minhash: Optional[bytes] = None
    bands: tuple[str, ...] = ()


def _insert(session: Session, table, rows: list[dict], returning=None) -> list:
    """One multi-row INSERT (per table, per batch: a statement per record would cost a round trip
    and a statement each); the ids in the order of `rows` when `returning` is given."""
    if not rows:
        return []
    if returning is None:
        session.execute(insert(table), rows)
        return []
    return list(session.scalars(insert(table).returning(returning, sort_by_parameter_order=True), rows))


def save_ledgers(session: Session, items: list[ToStore], run_id: Optional[int] = None, *,
                 corpus: bool = True) -> list[Optional[str]]:
    """Store ledgers with all their records, a few statements for the whole list. For each item its
    status ('analyzed', or 'skipped' when not analyzed, e.g. not English); None for those whose key
    is stored already (or comes earlier in `items`), which are left alone.

    `corpus=False` stores the ledgers without the corpus layer (actors, claims, series): for
    benchmarks (bench/bench_corpus.py measures what the layer costs) and bulk loads that link
    afterwards (store.actors.rebuild, store.provenance.link_stored, store.series.fill). Ingest and
    every other writer leave it on."""
    stored = existing_keys(session, [it.key for it in items])
    statuses: list[Optional[str]] = []
    new: list[ToStore] = []
    for it in items:
        led = it.ledger
        if it.key in stored:
            statuses.append(None)
            continue
        stored.add(it.key)
        skipped = not (led.entities or led.attributions or led.figures or led.dates) and \
            any(w.startswith("not analyzed") for w in led.warnings)
        statuses.append("skipped" if skipped else "analyzed")
        new.append(it)
    new_status = [s for s in statuses if s is not None]
    published = [_published_at(it.ledger.published) for it in new]
    article_ids = _insert(session, T.Article.__table__, [dict(
        key=it.key, source_id=it.ledger.id, title=it.ledger.title, url=it.ledger.url, outlet=it.ledger.outlet,
        author=it.ledger.author, published=it.ledger.published, published_at=when,
        language=it.ledger.language, status=status, text=it.ledger.text, warnings=list(it.ledger.warnings),
        run_id=run_id, minhash=it.minhash, duplicate_of=None, similarity=None)
        for it, status, when in zip(new, new_status, published)], returning=T.Article.id)
    _insert(session, T.MinhashBand.__table__, [dict(band=b, article_id=aid)
                                               for it, aid in zip(new, article_ids) for b in dict.fromkeys(it.bands)])
    entity_keys = [(aid, ent) for it, aid in zip(new, article_ids) for ent in it.ledger.entities]
    entity_ids = dict(zip(((aid, ent.id) for aid, ent in entity_keys), _insert(
        session, T.Entity.__table__, [dict(article_id=aid, ledger_id=ent.id, name=ent.name, type=ent.type)
                                      for aid, ent in entity_keys], returning=T.Entity.id)))
    _insert(session, T.Mention.__table__, [
        dict(entity_id=entity_ids[aid, ent.id], article_id=aid, start=s, end=e, text=text[s:e])
        for it, aid in zip(new, article_ids) for text in (it.ledger.text,)
        for ent in it.ledger.entities for s, e in ent.mentions])
    att_rows = []
    for it, aid in zip(new, article_ids):
        text = it.ledger.text
        for i, att in enumerate(it.ledger.attributions):
            src, cue = att.source, att.cue
            att_rows.append(dict(
                article_id=aid, position=i, kind=att.kind,
                content=CONTENT_JOINER.join(_cut(text, sp) for sp in att.content),
                content_spans=[list(sp) for sp in att.content],
                content_start=min((sp[0] for sp in att.content), default=0),
                content_end=max((sp[1] for sp in att.content), default=0),
                source_start=src.span[0] if src.span else None, source_end=src.span[1] if src.span else None,
                source_text=_cut(text, src.span) if src.span else None,
                source_entity_id=entity_ids.get((aid, src.entity)), source_name=src.name,
                source_resolved=src.resolved,
                cue_start=cue.span[0] if cue else None, cue_end=cue.span[1] if cue else None,
                cue=_cut(text, cue.span) if cue else None, confidence=att.confidence, type=att.type))
    att_ids = dict(zip(((r["article_id"], r["position"]) for r in att_rows),
                       _insert(session, T.Attribution.__table__, att_rows, returning=T.Attribution.id)))
    figure_ids = iter(_insert(session, T.Figure.__table__, [dict(
        article_id=aid, position=i, start=fig.span[0], end=fig.span[1], text=_cut(it.ledger.text, fig.span),
        value=fig.value, value_max=fig.value_max, approx=fig.approx, unit=fig.unit, quantity=fig.quantity,
        attribution_id=att_ids.get((aid, fig.attribution)) if fig.attribution is not None else None,
        location=fig.location, time=fig.time, change=fig.change)
        for it, aid in zip(new, article_ids) for i, fig in enumerate(it.ledger.figures)], returning=T.Figure.id))
    figure_ids_of = [[next(figure_ids) for _ in it.ledger.figures] for it in new]
    _insert(session, T.Date.__table__, [dict(article_id=aid, start=d.span[0], end=d.span[1],
                                             text=_cut(it.ledger.text, d.span), type=d.type, value=d.value)
                                        for it, aid in zip(new, article_ids) for d in it.ledger.dates])
    if not corpus:
        return statuses
    # the people and organizations they name, across the corpus: in this same transaction
    link_entities(session, [ArticleEntities(aid, when, [
        EntityIn(entity_ids[aid, ent.id], ent.name, ent.type, [it.ledger.text[s:e] for s, e in ent.mentions])
        for ent in it.ledger.entities]) for it, aid, when in zip(new, article_ids, published)])
    link_quotes(session, [(aid, it.ledger) for it, aid in zip(new, article_ids)], att_ids)  # claims across outlets
    # each figure that joins a series, into it, in this same transaction (store/series.py); after
    # the entities are linked, since a point's source is its source entity's actor
    add_points(session, [pt for it, aid, fids in zip(new, article_ids, figure_ids_of)
                         for pt in series_points_of(it.ledger, fids, aid)])
    return statuses


def save_duplicate(session: Session, article: L.Article, text: str, key: str, original_key: str,
                   similarity: float, run_id: Optional[int] = None) -> Optional[T.Article]:
    """Store a near-duplicate: its metadata and text, linked to the stored original, no ledger.
    None if its key is stored already; LookupError if the original is not stored."""
    if session.scalar(select(T.Article.id).where(T.Article.key == key)) is not None:
        return None
    original = session.scalar(select(T.Article.id).where(T.Article.key == original_key))
    if original is None:
        raise LookupError(f"the original ({original_key[:12]}…) of this near-duplicate is not stored")
    art = T.Article(key=key, source_id=article.id, title=article.title, url=article.url, outlet=article.outlet,
                    author=article.author, published=article.published,
                    published_at=_published_at(article.published), language=article.language,
                    status="duplicate", text=text, warnings=[], run_id=run_id, duplicate_of=original,
                    similarity=round(similarity, 4))
    session.add(art)
    session.flush()  # its id, for the quotes it carries
    link_copy(session, art.id, original)
    return art


def save_failure(session: Session, run_id: int, err: L.ErrorRecord, key: Optional[str] = None) -> None:
    session.add(T.Failure(run_id=run_id, source_id=err.id, key=key, error_type=err.error.type,
                          message=err.error.message[:2000]))
