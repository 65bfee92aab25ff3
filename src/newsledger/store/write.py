"""A ledger into the store, and what could not be analyzed. Idempotent: an article is keyed by the
sha256 of its content, so storing it again changes nothing."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import ledger as L
from ..ingest import parse_published
from . import tables as T

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
                minhash: Optional[bytes] = None, bands: tuple[str, ...] = ()) -> Optional[T.Article]:
    """Store one ledger with all its records (and its MinHash signature and bands, which later
    articles are compared with); None, and nothing written, if its key is stored."""
    if session.scalar(select(T.Article.id).where(T.Article.key == key)) is not None:
        return None
    skipped = not (led.entities or led.attributions or led.figures or led.dates) and \
        any(w.startswith("not analyzed") for w in led.warnings)
    art = T.Article(key=key, source_id=led.id, title=led.title, url=led.url, outlet=led.outlet,
                    author=led.author, published=led.published, published_at=_published_at(led.published),
                    language=led.language, status="skipped" if skipped else "analyzed",
                    text=led.text, warnings=list(led.warnings), run_id=run_id, minhash=minhash)
    session.add(art)
    session.flush()
    session.add_all(T.MinhashBand(band=b, article_id=art.id) for b in dict.fromkeys(bands))
    text = led.text
    entity_rows: dict[str, T.Entity] = {}
    for ent in led.entities:
        row = T.Entity(article_id=art.id, ledger_id=ent.id, name=ent.name, type=ent.type)
        session.add(row)
        entity_rows[ent.id] = row
    session.flush()
    for ent in led.entities:
        session.add_all(T.Mention(entity_id=entity_rows[ent.id].id, article_id=art.id, start=s, end=e,
                                  text=text[s:e]) for s, e in ent.mentions)
    att_rows: list[T.Attribution] = []
    for i, att in enumerate(led.attributions):
        src = att.source
        row = T.Attribution(
            article_id=art.id, position=i, kind=att.kind,
            content=CONTENT_JOINER.join(_cut(text, sp) for sp in att.content),
            content_spans=[list(sp) for sp in att.content],
            content_start=min((sp[0] for sp in att.content), default=0),
            content_end=max((sp[1] for sp in att.content), default=0),
            source_start=src.span[0] if src.span else None, source_end=src.span[1] if src.span else None,
            source_text=_cut(text, src.span) if src.span else None,
            source_entity_id=entity_rows[src.entity].id if src.entity in entity_rows else None,
            source_name=src.name,
            cue_start=att.cue.span[0] if att.cue else None, cue_end=att.cue.span[1] if att.cue else None,
            cue=_cut(text, att.cue.span) if att.cue else None, confidence=att.confidence)
        session.add(row)
        att_rows.append(row)
    session.flush()
    for i, fig in enumerate(led.figures):
        linked = fig.attribution is not None and 0 <= fig.attribution < len(att_rows)
        session.add(T.Figure(
            article_id=art.id, position=i, start=fig.span[0], end=fig.span[1], text=_cut(text, fig.span),
            value=fig.value, value_max=fig.value_max, approx=fig.approx, unit=fig.unit,
            quantity=fig.quantity, attribution_id=att_rows[fig.attribution].id if linked else None,
            location=fig.location, time=fig.time, change=fig.change))
    session.add_all(T.Date(article_id=art.id, start=d.span[0], end=d.span[1], text=_cut(text, d.span),
                           type=d.type, value=d.value) for d in led.dates)
    return art


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
    return art


def save_failure(session: Session, run_id: int, err: L.ErrorRecord, key: Optional[str] = None) -> None:
    session.add(T.Failure(run_id=run_id, source_id=err.id, key=key, error_type=err.error.type,
                          message=err.error.message[:2000]))
