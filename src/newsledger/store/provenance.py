"""Claims across outlets (quote provenance): the same quotation in different articles is one claim
with its occurrences. Linked as each article is stored, in the transaction that stores its ledger
(`write.save_ledgers` calls `link_quotes`, `write.save_duplicate` calls `link_copy`), so a batch
run, `load` and the paste form all link, and nothing is ever rebuilt; an article stored again is
left alone by write.py, so nothing is linked twice. `link_stored` links articles stored before the
claims' tables existed.

How quotes compare is `corpus/provenance.py`'s. Here: a new quote whose words a claim has quoted
already (its digest in `claim_texts`) joins that claim at once. Any other asks the index
(`claim_bands`) for the claims that share a band or fingerprint with it, the best-sharing
MAX_CANDIDATES of them, and compares its words with each one's first MAX_COMPARED distinct quotes
(`claim_texts.compared`); the best match joins (same words, then the most similar, then a part of
a longer quote), else the quote founds a claim. Both bounds keep a quote's cost the same however
large the corpus and however often a claim was carried: a claim's later variants are found
through its first texts, which they match as well. The claim's first occurrence is the earliest
published (one without a date comes after those with one), then the earliest stored; when a new
occurrence comes first, every occurrence of that claim is compared again with it, else only the
new one, and the claim's counts move by one. A variant is an occurrence whose words differ from
the first's (a dropped "not", a changed number, other words) or whose speaker does (both named).

Two writers (PostgreSQL) link one at a time: a transaction-scoped advisory lock, taken once a
transaction has a quote to link, so that a writer sees the claims another made before it; the
claims' unique `key` (their founding quote's digest, inserted ON CONFLICT DO NOTHING) makes the
same claim once even without it. SQLite has one writer at a time anyway.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Optional

from sqlalchemy import (JSON, Boolean, and_, DateTime, bindparam, desc, exists, func, insert, nulls_last, or_, select, text,
                        update)
from sqlalchemy.orm import Session, aliased

from .. import ledger as L
from ..corpus import provenance as P
from ..text.quotes import find_quotes
from . import tables as T
from .db import Store

MAX_CANDIDATES = 50  # claims compared with a new quote, those sharing most index keys with it
MAX_COMPARED = 8  # distinct quotes of a claim a new quote is compared with: its first (migration 0009 too)
PG_LINK_LOCK = 0x6E65_7773_636C_6D73  # "newsclms": pg_advisory_xact_lock's key for linking
Occ = T.ClaimOccurrence


@dataclass
class _Quote:
    article_id: int
    attribution_id: int
    outlet: Optional[str]
    published_at: Optional[datetime]
    speaker: Optional[str]
    quote: str
    text: str  # normalized
    actor_id: Optional[int] = None  # the speaker's corpus actor, when its source entity has one

    @property
    def words(self) -> list[str]:
        return P.words(self.text)


def _speaker(source: L.Source) -> Optional[str]:
    """The speaker a quote is given to: the source's name; None for none, or a bare pronoun that
    nothing resolved."""
    return None if source.resolved is False else (source.name or None)


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LINK_LOCK})


# ---------------------------------------------------------------- linking

def link_quotes(session: Session, stored: list[tuple[int, L.Ledger]], att_ids: dict[tuple[int, int], int]) -> int:
    """Link the quotes of articles just stored (article id, ledger; `att_ids`: (article id, position)
    -> attribution id) to their claims. How many occurrences it made."""
    found: list[tuple[int, int, L.Attribution, str]] = []
    for aid, led in stored:
        marks = None
        for pos, att in enumerate(led.attributions):
            if att.kind not in P.KINDS or (aid, pos) not in att_ids:
                continue
            marks = find_quotes(led.text) if marks is None else marks
            quote = P.quoted_text(led.text, att.kind, att.content, marks)
            if quote and len(P.words(P.normalize(quote))) >= P.MIN_WORDS:
                found.append((aid, pos, att, quote))
    if not found:
        return 0
    meta = {row.id: row for row in session.execute(
        select(T.Article.id, T.Article.outlet, T.Article.published_at).where(T.Article.id.in_({f[0] for f in found})))}
    actors = dict(session.execute(_ACTORS_OF, {"ids": sorted({att_ids[aid, pos] for aid, pos, _, _ in found})}).all())
    _lock(session)
    for aid, pos, att, quote in found:
        att_id = att_ids[aid, pos]
        _link(session, _Quote(aid, att_id, meta[aid].outlet, meta[aid].published_at, _speaker(att.source), quote,
                              P.normalize(quote), actors.get(att_id) if att.source.resolved is not False else None))
    return len(found)


_CLAIMS, _OCCURRENCES, _BANDS = T.Claim.__table__, Occ.__table__, T.ClaimBand.__table__
_ORDER = (nulls_last(Occ.published_at.asc()), Occ.article_id, Occ.attribution_id)

def _speaker_actor(attribution_id, resolved_only: bool = True):
    """The corpus actor of an attribution's source entity (correlated on `attribution_id`): who a
    quote's speaker is across the corpus, resolved when asked, so that it follows merges and splits."""
    A = T.Attribution
    stmt = (select(T.EntityActor.actor_id).join(A, A.source_entity_id == T.EntityActor.entity_id)
            .where(A.id == attribution_id))
    if resolved_only:
        stmt = stmt.where(or_(A.source_resolved.is_(None), A.source_resolved.is_(True)))
    return stmt.scalar_subquery()


_ACTORS_OF = (select(T.Attribution.id, T.EntityActor.actor_id)
              .join(T.EntityActor, T.EntityActor.entity_id == T.Attribution.source_entity_id)
              .where(T.Attribution.id.in_(bindparam("ids", expanding=True))))
_COLUMNS = (Occ.id, Occ.article_id, Occ.attribution_id, Occ.text, Occ.speaker, Occ.quote, Occ.published_at,
            _speaker_actor(Occ.attribution_id).label("actor_id"))
# statements made once (and compiled once: SQLAlchemy caches them), since linking runs several
# for every quote stored
_N = func.count().label("n")
_CANDIDATES = (select(T.ClaimBand.claim_id).where(T.ClaimBand.band.in_(bindparam("keys", expanding=True)))
               .group_by(T.ClaimBand.claim_id).order_by(desc(_N), T.ClaimBand.claim_id).limit(MAX_CANDIDATES))
# two statements, not one with a subquery, which PostgreSQL may plan as a scan of every text
_TEXTS = select(T.ClaimText.claim_id, T.ClaimText.text).where(
    T.ClaimText.claim_id.in_(bindparam("claims", expanding=True)), T.ClaimText.compared.is_(True))
_CLAIM_OF_TEXT = (select(T.ClaimText.claim_id).where(T.ClaimText.digest == bindparam("digest"))
                  .order_by(T.ClaimText.claim_id).limit(1))
# how many texts of a claim are compared, counted no further than MAX_COMPARED (a bounded read)
_COMPARED_HELD = select(func.count()).select_from(
    select(T.ClaimText.id).where(T.ClaimText.claim_id == bindparam("claim"), T.ClaimText.compared.is_(True))
    .limit(MAX_COMPARED).subquery())
_BANDS_HELD = select(T.ClaimBand.band).where(T.ClaimBand.claim_id == bindparam("claim"),
                                             T.ClaimBand.band.in_(bindparam("keys", expanding=True)))
# ON CONFLICT is not cached by SQLAlchemy's dialect constructs; written out, it is the same on both
_NEW_CLAIM = text(
    'INSERT INTO claims ("key", "text", quote, speaker, first_attribution_id, first_article_id, first_seen, '
    'occurrences, changed) VALUES (:key, :text, :quote, :speaker, :attribution, :article, :first_seen, 1, :changed) '
    'ON CONFLICT ("key") DO NOTHING RETURNING id').bindparams(
    bindparam("first_seen", type_=DateTime), bindparam("changed", type_=Boolean))
_BANDS_PG = text("INSERT INTO claim_bands (band, claim_id) SELECT b, :claim FROM unnest(CAST(:bands AS varchar[])) AS b")
_NEW_TEXT = text(
    "INSERT INTO claim_texts (claim_id, digest, text, compared) VALUES (:claim, :digest, :text, :compared) "
    "ON CONFLICT (claim_id, digest) DO NOTHING").bindparams(bindparam("compared", type_=Boolean))
_CLAIM_OF_KEY = select(T.Claim.id).where(T.Claim.key == bindparam("key"))
_NEW_OCCURRENCE = insert(_OCCURRENCES)
_FIRST = (select(*_COLUMNS, T.Claim.first_article_id.label("was_article"),
                 T.Claim.first_attribution_id.label("was_attribution"), T.Claim.occurrences.label("n"))
          .join(T.Claim, T.Claim.id == Occ.claim_id).where(Occ.claim_id == bindparam("claim")).order_by(*_ORDER).limit(1))
_ALL = select(*_COLUMNS).where(Occ.claim_id == bindparam("claim"))
# the claim's count and its first occurrence as the claim records it (none: its article is gone)
_FIRST_NOW = (select(T.Claim.occurrences, *_COLUMNS).select_from(T.Claim)
              .outerjoin(Occ, and_(Occ.article_id == T.Claim.first_article_id,
                                   Occ.attribution_id == T.Claim.first_attribution_id))
              .where(T.Claim.id == bindparam("claim")))
_COUNTED = update(_CLAIMS).where(_CLAIMS.c.id == bindparam("claim")).values(
    occurrences=_CLAIMS.c.occurrences + 1, changed=or_(_CLAIMS.c.changed, bindparam("variant", type_=Boolean)))
_COMPARED = update(_OCCURRENCES).where(_OCCURRENCES.c.id == bindparam("o_id")).values(
    similarity=bindparam("o_similarity"), match=bindparam("o_match"), variant=bindparam("o_variant"),
    changes=bindparam("o_changes", type_=JSON))
_SETTLED = update(_CLAIMS).where(_CLAIMS.c.id == bindparam("claim")).values(
    text=bindparam("c_text"), quote=bindparam("c_quote"), speaker=bindparam("c_speaker"),
    first_article_id=bindparam("c_article"), first_attribution_id=bindparam("c_attribution"),
    first_seen=bindparam("c_seen", type_=DateTime),
    occurrences=select(func.count()).where(Occ.claim_id == bindparam("claim")).scalar_subquery(),
    changed=exists(select(Occ.id).where(Occ.claim_id == bindparam("claim"), Occ.variant.is_(True))))


def _link(session: Session, q: _Quote) -> None:
    digest = P.key(q.text)
    repeated = session.scalar(_CLAIM_OF_TEXT, {"digest": digest})
    if repeated is not None:  # words a claim has quoted: its claim, whose index holds them already
        _add(session, repeated, q)
        return
    mine = q.words
    keys = list(dict.fromkeys(P.index_keys(mine)))
    best = None
    candidates = list(session.scalars(_CANDIDATES, {"keys": keys}))
    for cid, other in session.execute(_TEXTS, {"claims": candidates}) if candidates else ():
        m = P.match(mine, P.words(other))
        if m is not None and (best is None or (P.RANKS[m[0]], m[1], -cid) > best):
            best = (P.RANKS[m[0]], m[1], -cid)
    made = False
    if best is None:
        claim_id, made = _new_claim(session, q)
    else:
        claim_id = -best[2]
    have = set() if made else set(session.scalars(_BANDS_HELD, {"claim": claim_id, "keys": keys}))
    missing = [k for k in keys if k not in have]
    if missing and session.get_bind().dialect.name == "postgresql":  # one statement, not one a row
        session.execute(_BANDS_PG, {"claim": claim_id, "bands": missing})
    elif missing:
        session.execute(insert(_BANDS), [{"band": k, "claim_id": claim_id} for k in missing])
    compared = made or session.scalar(_COMPARED_HELD, {"claim": claim_id}) < MAX_COMPARED
    session.execute(_NEW_TEXT, {"claim": claim_id, "digest": digest, "text": q.text, "compared": compared})
    _add(session, claim_id, q, settled=made)


def _new_claim(session: Session, q: _Quote) -> tuple[int, bool]:
    """The claim this quote founds, with its one occurrence counted (True); or, when another
    writer made it first (its founding quote had the same words), that one (False)."""
    key = P.key(q.text)
    made = session.scalar(_NEW_CLAIM, dict(key=key, text=q.text, quote=q.quote, speaker=q.speaker,
                                           attribution=q.attribution_id, article=q.article_id,
                                           first_seen=q.published_at, changed=False))
    return (made, True) if made is not None else (session.scalar(_CLAIM_OF_KEY, {"key": key}), False)


def _add(session: Session, claim_id: int, q: _Quote, settled: bool = False) -> None:
    """A new occurrence of the claim (its callers link only attributions, or copies, stored in this
    transaction, or none linked before: under the lock), with the claim's first, its comparisons
    and its counts, unless `settled` (a claim just made, of this quote alone). While the first
    stays, the new occurrence is compared with it before it is written, and the counts move by
    one: three statements, whatever the claim's size."""
    row = dict(claim_id=claim_id, attribution_id=q.attribution_id, article_id=q.article_id, outlet=q.outlet,
               published_at=q.published_at, speaker=q.speaker, quote=q.quote, text=q.text, similarity=1.0,
               match="first", variant=False, changes=[])
    if settled:
        session.execute(_NEW_OCCURRENCE, row)
        return
    first = session.execute(_FIRST_NOW, {"claim": claim_id}).one()
    new = SimpleNamespace(id=None, article_id=q.article_id, attribution_id=q.attribution_id, text=q.text,
                          speaker=q.speaker, actor_id=q.actor_id)
    if first.id is not None and first.occurrences > 0 and \
            _order_key(q.published_at, q.article_id, q.attribution_id) > \
            _order_key(first.published_at, first.article_id, first.attribution_id):
        compared = _compare(first, new)
        session.execute(_NEW_OCCURRENCE, {**row, "similarity": compared["o_similarity"], "match": compared["o_match"],
                                          "variant": compared["o_variant"], "changes": compared["o_changes"]})
        session.execute(_COUNTED, {"claim": claim_id, "variant": compared["o_variant"]})
        return
    session.execute(_NEW_OCCURRENCE, row)
    _settle(session, claim_id)


def _compare(first, occ) -> dict:
    if (occ.article_id, occ.attribution_id) == (first.article_id, first.attribution_id):
        return dict(o_id=occ.id, o_similarity=1.0, o_match="first", o_variant=False, o_changes=[])
    a, b = P.words(first.text), P.words(occ.text)
    m = P.match(a, b)
    found = P.changes(first.text, occ.text, first.speaker, occ.speaker,
                      same_actor=first.actor_id is not None and first.actor_id == occ.actor_id)
    return dict(o_id=occ.id, o_similarity=round(P.jaccard(a, b), 4), o_match=m[0] if m else "linked",
                o_variant=bool(found), o_changes=found)


def _order_key(published_at: Optional[datetime], article_id: int, attribution_id: int) -> tuple:
    """_ORDER in Python: the earliest published first, one without a date last, then stored order."""
    return (published_at is None, published_at or datetime.min, article_id, attribution_id)


def _settle(session: Session, claim_id: int) -> None:
    """A new first (or a claim whose first is gone): every occurrence compared with it again, the
    claim's first and counts from its occurrences."""
    first = session.execute(_FIRST, {"claim": claim_id}).one()
    session.execute(_COMPARED, [_compare(first, o) for o in session.execute(_ALL, {"claim": claim_id}).all()])
    session.execute(_SETTLED, dict(claim=claim_id, c_text=first.text, c_quote=first.quote, c_speaker=first.speaker,
                                   c_article=first.article_id, c_attribution=first.attribution_id,
                                   c_seen=first.published_at))


def link_copy(session: Session, copy_id: int, original_id: int) -> int:
    """A near-duplicate just stored (not analyzed) carries its original's quotes: each of the
    original's occurrences whose words the copy's text holds, piece by piece, is an occurrence in
    the copy too (its outlet, its date; the original's attribution and speaker). A quote the copy
    changed is not found so, and not linked (that would take analyzing the copy). How many."""
    mine = session.execute(select(Occ.claim_id, Occ.attribution_id, Occ.speaker, Occ.quote, Occ.text,
                                  _speaker_actor(Occ.attribution_id).label("actor_id"))
                           .where(Occ.article_id == original_id).order_by(Occ.id)).all()
    if not mine:
        return 0
    copy = session.execute(select(T.Article.text, T.Article.outlet, T.Article.published_at)
                           .where(T.Article.id == copy_id)).one()
    hay = f" {P.text_words(copy.text)} "
    _lock(session)
    n = 0
    for o in mine:
        pieces = [" ".join(P.words(p)) for p in o.text.split(P.ELISION)]
        if all(f" {p} " in hay for p in pieces if p):
            _add(session, o.claim_id, _Quote(copy_id, o.attribution_id, copy.outlet, copy.published_at,
                                             o.speaker, o.quote, o.text, o.actor_id))
            n += 1
    return n


def link_stored(store: Store, batch: int = 100) -> int:
    """Link the quotes of every stored article that has none linked (stored before the claims'
    tables, revision 0007), in stored order, a transaction a batch; near-duplicates after. How many
    occurrences it made. Run again, it finds nothing left to do."""
    from .read import _rebuild

    quoting = exists(select(T.Attribution.id).where(T.Attribution.article_id == T.Article.id,
                                                    T.Attribution.kind.in_(P.KINDS)))
    unlinked = ~exists(select(Occ.id).where(Occ.article_id == T.Article.id))
    made, last = 0, 0
    while True:
        with store.session() as s:
            _lock(s)  # another process linking the same articles waits, then finds them linked
            articles = list(s.scalars(select(T.Article).where(
                T.Article.status == "analyzed", T.Article.id > last, quoting, unlinked).order_by(T.Article.id).limit(batch)))
            if not articles:
                break
            last = articles[-1].id
            att_ids = {(a, p): i for i, a, p in s.execute(select(
                T.Attribution.id, T.Attribution.article_id, T.Attribution.position)
                .where(T.Attribution.article_id.in_([a.id for a in articles])))}
            made += link_quotes(s, [(a.id, led) for a, led in _rebuild(s, articles)], att_ids)
    with store.session() as s:
        _lock(s)
        copies = s.execute(select(T.Article.id, T.Article.duplicate_of).where(
            T.Article.status == "duplicate", T.Article.duplicate_of.is_not(None), unlinked).order_by(T.Article.id)).all()
        for copy_id, original in copies:
            made += link_copy(s, copy_id, original)
    return made


# ---------------------------------------------------------------- questions

def _limit(limit: int) -> int:
    from .queries import MAX_LIMIT

    return max(1, min(int(limit), MAX_LIMIT))


def _article(a) -> dict:
    from .queries import _article_fields

    return _article_fields(a) if a is not None else {
        "article": None, "article_key": None, "title": None, "outlet": None, "url": None, "published": None}


def _summaries():
    """The claims with their first article and their counts: a statement to filter and order."""
    C = T.Claim
    per = {name: select(expr).where(Occ.claim_id == C.id).scalar_subquery() for name, expr in (
        ("articles", func.count(func.distinct(Occ.article_id))), ("outlets", func.count(func.distinct(Occ.outlet))),
        ("variants", func.count().filter(Occ.variant.is_(True))))}
    # the first occurrence's speaker's actor: aliases, since a filter's subqueries name the tables
    att, link, actor = aliased(T.Attribution), aliased(T.EntityActor), aliased(T.Actor)
    return (select(C, T.Article, *[v.label(k) for k, v in per.items()], actor.id, actor.name)
            .outerjoin(T.Article, T.Article.id == C.first_article_id)
            .outerjoin(att, att.id == C.first_attribution_id)
            .outerjoin(link, and_(link.entity_id == att.source_entity_id,
                                  or_(att.source_resolved.is_(None), att.source_resolved.is_(True))))
            .outerjoin(actor, actor.id == link.actor_id))


def _speaker_named(pattern: str):
    """A WHERE clause on an occurrence: its speaker as given contains `pattern` (a LIKE pattern),
    or its speaker's corpus actor is so named or has a name (an alias) that does: "Trump" finds the
    quotes given to "Donald J. Trump", "Donald Trump" those given to "Trump" linked to him."""
    A = T.Attribution
    names = select(T.ActorName.actor_id).where(T.ActorName.name.ilike(pattern, escape="\\"))
    actors = select(T.Actor.id).where(T.Actor.name.ilike(pattern, escape="\\"))
    named = (select(A.id).join(T.EntityActor, T.EntityActor.entity_id == A.source_entity_id)
             .where(A.id == Occ.attribution_id, or_(A.source_resolved.is_(None), A.source_resolved.is_(True)),
                    T.EntityActor.actor_id.in_(names.union(actors))))
    return or_(Occ.speaker.ilike(pattern, escape="\\"), exists(named))


def _summary(row) -> dict:
    c, a, n_articles, n_outlets, n_variants, actor_id, actor_name = row
    return {"claim": c.id, "quote": c.quote, "text": c.text, "speaker": c.speaker, "actor": actor_id,
            "actor_name": actor_name,
            "first_seen": c.first_seen.isoformat() if c.first_seen else None, **_article(a),
            "occurrences": c.occurrences, "articles": n_articles, "outlets": n_outlets, "variants": n_variants,
            "changed": c.changed}


def claims(store: Store, *, speaker: Optional[str] = None, text: Optional[str] = None,
           changed: Optional[bool] = None, limit: int = 50, offset: int = 0) -> list[dict]:
    """Claims, most carried first (then the latest made first: an index serves this order): the
    first occurrence's quote, speaker, date and article (`article`, `title`, `outlet`, ... as other
    queries give them), how many occurrences, articles, outlets and variants. `speaker`: a speaker
    some occurrence gives it to, or its corpus actor's name or an alias, contains this, any case;
    `text`: words of some occurrence's quote
    (full-text search, as `quotes(text=)`); `changed`: only claims with (True) or without (False) a
    variant."""
    from .queries import _like, _text_match

    C = T.Claim
    stmt = _summaries()
    if speaker:
        stmt = stmt.where(exists(select(Occ.id).where(Occ.claim_id == C.id, _speaker_named(_like(speaker)))))
    if text:
        stmt = stmt.where(exists(select(Occ.id).join(T.Attribution, T.Attribution.id == Occ.attribution_id).where(
            Occ.claim_id == C.id, _text_match(store, T.Attribution, "attributions_fts", ("content", "source_name"), text))))
    if changed is not None:
        stmt = stmt.where(C.changed.is_(True) if changed else C.changed.is_(False))
    stmt = stmt.order_by(desc(C.occurrences), desc(C.id)).limit(_limit(limit)).offset(max(0, offset))
    with store.session() as s:
        return [_summary(row) for row in s.execute(stmt)]


def claim(store: Store, claim_id: int, *, limit: int = 1000) -> Optional[dict]:
    """One claim (as `claims` gives it) with its `timeline`: its occurrences in order of
    appearance, the first first, each with its article, its attribution's position there, the
    speaker it gives, its quote (as written, and normalized), its words' similarity to the first's,
    how it matched (first, same, similar, part, or linked: through another occurrence), whether it
    is a variant and what it changes, and `reprint` (a near-duplicate carrying its original's quote).
    None if there is no such claim."""
    with store.session() as s:
        row = s.execute(_summaries().where(T.Claim.id == claim_id)).first()
        if row is None:
            return None
        rows = s.execute(select(Occ, T.Article, T.Attribution.position, T.Attribution.article_id, T.Actor.id, T.Actor.name)
                         .join(T.Article, T.Article.id == Occ.article_id)
                         .join(T.Attribution, T.Attribution.id == Occ.attribution_id)
                         .outerjoin(T.EntityActor, and_(T.EntityActor.entity_id == T.Attribution.source_entity_id,
                                                        or_(T.Attribution.source_resolved.is_(None),
                                                            T.Attribution.source_resolved.is_(True))))
                         .outerjoin(T.Actor, T.Actor.id == T.EntityActor.actor_id)
                         .where(Occ.claim_id == claim_id).order_by(*_ORDER).limit(_limit(limit))).all()
        timeline = [{**_article(a), "position": position, "speaker": o.speaker, "actor": actor_id,
                     "actor_name": actor_name, "quote": o.quote, "text": o.text,
                     "similarity": o.similarity, "match": o.match, "first": o.match == "first",
                     "variant": o.variant, "changes": list(o.changes or []), "reprint": att_article != o.article_id}
                    for o, a, position, att_article, actor_id, actor_name in rows]
        return {**_summary(row), "timeline": timeline}


def article_claims(store: Store, article_key: str) -> dict[int, dict]:
    """The claims of one article's quotes, by the quote's position in its ledger: {position:
    {"claim", "occurrences", "changed", "variant", "first"}}."""
    stmt = (select(T.Attribution.position, Occ.claim_id, T.Claim.occurrences, T.Claim.changed, Occ.variant, Occ.match)
            .join(Occ, Occ.attribution_id == T.Attribution.id).join(T.Claim, T.Claim.id == Occ.claim_id)
            .join(T.Article, T.Article.id == Occ.article_id).where(T.Article.key == article_key))
    with store.session() as s:
        return {p: {"claim": cid, "occurrences": n, "changed": ch, "variant": v, "first": m == "first"}
                for p, cid, n, ch, v, m in s.execute(stmt)}


# ---------------------------------------------------------------- speakers after the actors change

def compare_speakers_again(session: Session, *, entity_ids: list[int] | tuple[int, ...] = (),
                           everything: bool = False) -> int:
    """Compare again with its first every occurrence of the claims that some occurrence gives to
    one of `entity_ids` (source entities whose actor just changed: a merge, a split, a one-word
    name judged again), or of every claim of two occurrences or more (`everything`: a rebuild made
    every actor again). Whether an occurrence gives the quote to another speaker goes by actor, so
    it must follow the actors: after "A. Reyes" is merged into "Ana Reyes" a quote given to each is
    no speaker variant, after a split it is one again. In the caller's transaction; how many claims.

    Added after the linking above, on its statements (_FIRST, _ALL, _compare, _COMPARED, _SETTLED)."""
    many = T.Claim.occurrences > 1
    if everything:
        found = list(session.scalars(select(T.Claim.id).where(many).order_by(T.Claim.id)))
    else:
        ids, found = sorted(set(entity_ids)), set()
        for i in range(0, len(ids), 500):  # bounded IN lists
            found |= set(session.scalars(
                select(Occ.claim_id).join(T.Attribution, T.Attribution.id == Occ.attribution_id)
                .join(T.Claim, T.Claim.id == Occ.claim_id)
                .where(T.Attribution.source_entity_id.in_(ids[i:i + 500]), many).distinct()))
        found = sorted(found)
    if not found:
        return 0
    _lock(session)  # as linking: another writer's new occurrence is never compared half
    for claim_id in found:
        first = session.execute(_FIRST, {"claim": claim_id}).one()
        session.execute(_COMPARED, [_compare(first, o) for o in session.execute(_ALL, {"claim": claim_id})])
        session.execute(_SETTLED, dict(claim=claim_id, c_text=first.text, c_quote=first.quote, c_speaker=first.speaker,
                                       c_article=first.article_id, c_attribution=first.attribution_id,
                                       c_seen=first.published_at))
    return len(found)
