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

A call's quotes are linked as if one after another, each seeing what the earlier ones added, but
in a few statements for all of them, not several a quote (each a round trip on PostgreSQL): what
the store holds is read for all at once, what they add is written at the end (_Matching: claims;
_NewOccurrences: occurrences and counts), with the call's own additions kept in between.

Two writers (PostgreSQL) link one at a time: a transaction-scoped advisory lock, taken once a
transaction has a quote to link, so that a writer sees the claims another made before it; the
claims' unique `key` (their founding quote's digest, inserted ON CONFLICT DO NOTHING) makes the
same claim once even without it. SQLite has one writer at a time anyway.
"""
from __future__ import annotations

from collections import defaultdict
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
from .db import Store, in_chunks as _chunks

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
    quotes = []
    for aid, pos, att, quote in found:
        att_id = att_ids[aid, pos]
        quotes.append(_Quote(aid, att_id, meta[aid].outlet, meta[aid].published_at, _speaker(att.source), quote,
                             P.normalize(quote), actors.get(att_id) if att.source.resolved is not False else None))
    claims = _Matching(session, quotes).claims()
    founded = {c for c, made in claims if made}
    occurrences = _NewOccurrences(session, [c for c, _ in claims if c not in founded])
    for q, (claim_id, made) in zip(quotes, claims):
        occurrences.add(claim_id, q, settled=made)
    occurrences.write()
    return len(found)


_CLAIMS, _OCCURRENCES = T.Claim.__table__, Occ.__table__
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
# the claim that quoted each of these digests first (the lowest id), for a call's quotes at once
_CLAIMS_OF_TEXTS = (select(T.ClaimText.digest, func.min(T.ClaimText.claim_id))
                    .where(T.ClaimText.digest.in_(bindparam("digests", expanding=True))).group_by(T.ClaimText.digest))
# _CANDIDATES for many quotes in one statement (PostgreSQL): each quote's keys, as parallel arrays
# of (quote, key), ranked per quote as _CANDIDATES ranks them. The keys are looked up one by one in
# the primary key (LATERAL, OFFSET 0: not flattened), where a join would hash every band in the store
_CANDIDATES_PG = text(
    "SELECT quote, claim_id FROM (SELECT w.quote, b.claim_id, row_number() OVER (PARTITION BY w.quote "
    "ORDER BY count(*) DESC, b.claim_id) AS rank FROM unnest(CAST(:quotes AS integer[]), CAST(:bands AS varchar[])) "
    "AS w(quote, band) CROSS JOIN LATERAL (SELECT claim_id FROM claim_bands WHERE band = w.band OFFSET 0) AS b "
    "GROUP BY w.quote, b.claim_id) AS ranked WHERE rank <= :most")
# ON CONFLICT is not cached by SQLAlchemy's dialect constructs; written out, it is the same on both
_NEW_CLAIM = text(
    'INSERT INTO claims ("key", "text", quote, speaker, first_attribution_id, first_article_id, first_seen, '
    'occurrences, changed) VALUES (:key, :text, :quote, :speaker, :attribution, :article, :first_seen, 1, :changed) '
    'ON CONFLICT ("key") DO NOTHING RETURNING id').bindparams(
    bindparam("first_seen", type_=DateTime), bindparam("changed", type_=Boolean))
# a claim's keys, some of which it may hold already (the primary key makes them once)
_BANDS_PG = text("INSERT INTO claim_bands (band, claim_id) SELECT b, c FROM unnest(CAST(:bands AS varchar[]), "
                 "CAST(:claims AS integer[])) AS t(b, c) ON CONFLICT DO NOTHING")
_BANDS_ANY = text("INSERT INTO claim_bands (band, claim_id) VALUES (:band, :claim) ON CONFLICT DO NOTHING")
_NEW_TEXT = text(
    "INSERT INTO claim_texts (claim_id, digest, text, compared) VALUES (:claim, :digest, :text, :compared) "
    "ON CONFLICT (claim_id, digest) DO NOTHING").bindparams(bindparam("compared", type_=Boolean))
_CLAIM_OF_KEY = select(T.Claim.id).where(T.Claim.key == bindparam("key"))
_NEW_OCCURRENCE = insert(_OCCURRENCES)
_FIRST = (select(*_COLUMNS, T.Claim.first_article_id.label("was_article"),
                 T.Claim.first_attribution_id.label("was_attribution"), T.Claim.occurrences.label("n"))
          .join(T.Claim, T.Claim.id == Occ.claim_id).where(Occ.claim_id == bindparam("claim")).order_by(*_ORDER).limit(1))
_ALL = select(*_COLUMNS).where(Occ.claim_id == bindparam("claim"))
# claims' counts and their first occurrences as the claims record them (none: its article is gone)
_FIRSTS_NOW = (select(T.Claim.id.label("claim_id"), T.Claim.occurrences, *_COLUMNS).select_from(T.Claim)
               .outerjoin(Occ, and_(Occ.article_id == T.Claim.first_article_id,
                                    Occ.attribution_id == T.Claim.first_attribution_id))
               .where(T.Claim.id.in_(bindparam("claims", expanding=True))))
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


class _Matching:
    """The claim of each of a call's quotes, in order, as if each were linked alone in its turn: a
    quote whose words a claim has quoted joins it; any other is compared with the compared texts
    of its candidate claims (those sharing most index keys with it), the best match joins, else it
    founds a claim. What the store knows is read for all the quotes at once (their digests' claims;
    on PostgreSQL their candidates, and those claims' texts) and what they add to it (texts, index
    keys) written at the end, not several statements a quote; the call's own texts are kept here so
    a later quote sees what an earlier one added. A quote sharing an index key that an earlier one
    added asks the store for its candidates itself, once those keys are written."""

    def __init__(self, session: Session, quotes: list[_Quote]):
        self.session, self.quotes = session, quotes
        self.digests = [P.key(q.text) for q in quotes]
        self.claim_of: dict[str, int] = {}  # digest -> the claim that quoted it first
        for part in _chunks(sorted(set(self.digests))):
            self.claim_of.update(session.execute(_CLAIMS_OF_TEXTS, {"digests": part}).all())
        self.keys: dict[int, list[str]] = {}
        self.texts: dict[int, list[str]] = {}  # claim -> its compared texts, the store's and this call's
        self.new_texts: list[dict] = []
        self.new_bands: list[tuple[str, int]] = []
        self.added: dict[str, set[int]] = defaultdict(set)  # index key -> the claims this call added it to
        self.prefetched: dict[int, list[int]] = {}

    def claims(self) -> list[tuple[int, bool]]:
        """(claim id, whether the quote founded it) for each quote, in order."""
        out = []
        if self.session.get_bind().dialect.name == "postgresql":
            self._prefetch()
        for i, q in enumerate(self.quotes):
            digest = self.digests[i]
            repeated = self.claim_of.get(digest)
            if repeated is not None:  # words a claim has quoted: its claim, whose index holds them already
                out.append((repeated, False))
                continue
            mine, keys = q.words, self._keys(i)
            candidates = self._candidates(i, keys)
            self._read_texts(candidates)
            best = None
            for cid in candidates:
                for other in self.texts[cid]:
                    m = P.match(mine, P.words(other))
                    if m is not None and (best is None or (P.RANKS[m[0]], m[1], -cid) > best):
                        best = (P.RANKS[m[0]], m[1], -cid)
            made = False
            if best is None:
                claim_id, made = _new_claim(self.session, q)
                if made:
                    self.texts[claim_id] = []
                else:
                    self._read_texts([claim_id])
            else:
                claim_id = -best[2]
            self.new_bands += [(k, claim_id) for k in keys]
            for k in keys:
                self.added[k].add(claim_id)
            compared = made or len(self.texts[claim_id]) < MAX_COMPARED
            self.new_texts.append({"claim": claim_id, "digest": digest, "text": q.text, "compared": compared})
            if compared:
                self.texts[claim_id].append(q.text)
            self.claim_of[digest] = claim_id
            out.append((claim_id, made))
        self._write_bands()
        if self.new_texts:
            self.session.execute(_NEW_TEXT, self.new_texts)
        return out

    def _keys(self, i: int) -> list[str]:
        if i not in self.keys:
            self.keys[i] = list(dict.fromkeys(P.index_keys(self.quotes[i].words)))
        return self.keys[i]

    def _prefetch(self) -> None:
        """The candidates of every quote whose words no claim has quoted yet (one statement), and
        their texts (another)."""
        seen, wanted = set(self.claim_of), []
        for i, digest in enumerate(self.digests):
            if digest not in seen:
                wanted.append(i)
                seen.add(digest)
        if not wanted:
            return
        pairs = [(i, k) for i in wanted for k in self._keys(i)]
        self.prefetched = {i: [] for i in wanted}
        for i, claim_id in self.session.execute(_CANDIDATES_PG, {
                "quotes": [i for i, _ in pairs], "bands": [k for _, k in pairs], "most": MAX_CANDIDATES}):
            self.prefetched[i].append(claim_id)
        self._read_texts(sorted({c for found in self.prefetched.values() for c in found}))

    def _candidates(self, i: int, keys: list[str]) -> list[int]:
        """The quote's candidates now. The ones read before the call's keys were added still are, with
        the claims those keys went to, when they are MAX_CANDIDATES at most: a claim gaining keys only
        rises, and a list short of MAX_CANDIDATES held every claim sharing a key. Else the store is
        asked, once the call's keys are written."""
        gained = {c for k in keys for c in self.added.get(k, ())}
        if i in self.prefetched:
            found = self.prefetched[i] + sorted(gained - set(self.prefetched[i]))
            if len(found) <= MAX_CANDIDATES:
                return found
        if gained:
            self._write_bands()  # the store answers with this call's keys too
        return list(self.session.scalars(_CANDIDATES, {"keys": keys}))

    def _read_texts(self, claim_ids: list[int]) -> None:
        missing = sorted(set(claim_ids) - set(self.texts))
        for c in missing:
            self.texts[c] = []
        for part in _chunks(missing):
            for cid, other in self.session.execute(_TEXTS, {"claims": part}):
                self.texts[cid].append(other)

    def _write_bands(self) -> None:
        bands = list(dict.fromkeys(self.new_bands))
        self.new_bands = []
        if not bands:
            return
        if self.session.get_bind().dialect.name == "postgresql":  # one statement, not one a row
            self.session.execute(_BANDS_PG, {"bands": [b for b, _ in bands], "claims": [c for _, c in bands]})
        else:
            self.session.execute(_BANDS_ANY, [{"band": b, "claim": c} for b, c in bands])


def _new_claim(session: Session, q: _Quote) -> tuple[int, bool]:
    """The claim this quote founds, with its one occurrence counted (True); or, when another
    writer made it first (its founding quote had the same words), that one (False)."""
    key = P.key(q.text)
    made = session.scalar(_NEW_CLAIM, dict(key=key, text=q.text, quote=q.quote, speaker=q.speaker,
                                           attribution=q.attribution_id, article=q.article_id,
                                           first_seen=q.published_at, changed=False))
    return (made, True) if made is not None else (session.scalar(_CLAIM_OF_KEY, {"key": key}), False)


class _NewOccurrences:
    """New occurrences of claims (its callers link only attributions, or copies, stored in this
    transaction, or none linked before: under the lock), with their claims' firsts, comparisons and
    counts. While a claim's first stays, a new occurrence is compared with it and the claim's count
    moves by one: the firsts of the claims given are read in one statement, the occurrences and the
    counts written in one each (`write`), whatever the claims' sizes. A new occurrence that comes
    first settles its claim (_settle) at once, after what is pending is written."""

    def __init__(self, session: Session, claim_ids: list[int]):
        self.session = session
        self.firsts: dict[int, SimpleNamespace] = {}
        self.rows: list[dict] = []
        self.counted: list[dict] = []
        self._read_firsts(claim_ids)

    def _read_firsts(self, claim_ids: list[int]) -> None:
        for part in _chunks(sorted(set(claim_ids) - set(self.firsts))):
            for row in self.session.execute(_FIRSTS_NOW, {"claims": part}):
                # `recorded`: the occurrence the claim records as its first is still there
                self.firsts[row.claim_id] = SimpleNamespace(**row._mapping, recorded=row.id is not None)

    def add(self, claim_id: int, q: _Quote, settled: bool = False) -> None:
        """An occurrence of the claim; `settled`: a claim just made, of this quote alone."""
        row = dict(claim_id=claim_id, attribution_id=q.attribution_id, article_id=q.article_id, outlet=q.outlet,
                   published_at=q.published_at, speaker=q.speaker, quote=q.quote, text=q.text, similarity=1.0,
                   match="first", variant=False, changes=[])
        new = SimpleNamespace(id=None, article_id=q.article_id, attribution_id=q.attribution_id, text=q.text,
                              speaker=q.speaker, actor_id=q.actor_id, published_at=q.published_at)
        if settled:  # its first is this occurrence, as the claim records it
            self.rows.append(row)
            self.firsts[claim_id] = SimpleNamespace(**vars(new), occurrences=1, recorded=True)
            return
        if claim_id not in self.firsts:
            self.write()
            self._read_firsts([claim_id])
        first = self.firsts[claim_id]
        if first.recorded and first.occurrences > 0 and \
                _order_key(q.published_at, q.article_id, q.attribution_id) > \
                _order_key(first.published_at, first.article_id, first.attribution_id):
            compared = _compare(first, new)
            self.rows.append({**row, "similarity": compared["o_similarity"], "match": compared["o_match"],
                              "variant": compared["o_variant"], "changes": compared["o_changes"]})
            self.counted.append({"claim": claim_id, "variant": compared["o_variant"]})
            first.occurrences += 1
            return
        self.rows.append(row)
        self.write()
        _settle(self.session, claim_id)
        del self.firsts[claim_id]  # read again when the claim has another occurrence

    def write(self) -> None:
        if self.rows:
            self.session.execute(_NEW_OCCURRENCE, self.rows)
        if self.counted:
            self.session.execute(_COUNTED, self.counted)
        self.rows, self.counted = [], []


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
    carried = [o for o in mine if all(f" {p} " in hay for p in (" ".join(P.words(p)) for p in o.text.split(P.ELISION))
                                      if p)]
    occurrences = _NewOccurrences(session, [o.claim_id for o in carried])
    for o in carried:
        occurrences.add(o.claim_id, _Quote(copy_id, o.attribution_id, copy.outlet, copy.published_at,
                                           o.speaker, o.quote, o.text, o.actor_id))
    occurrences.write()
    return len(carried)


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
