"""The store's schema. One row per article (keyed by content hash), and one per record of its
ledger; spans are kept as start/end columns so that SQL can read the text they point into.
Alembic migrations (`migrations/versions/`) create exactly these tables."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy import Date as Day  # `Date` is the dates table's model
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Run(Base):
    """One `newsledger ingest` invocation: what it read, how it ended, what it counted."""
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    sources: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # running, finished, interrupted, failed
    version: Mapped[str] = mapped_column(String(64))  # newsledger version and spaCy pipeline
    analyzed: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)  # e.g. not English: stored, not analyzed
    existing: Mapped[int] = mapped_column(Integer, default=0)  # already in the store: left alone
    failed: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # near-duplicates linked
    # who runs it, and when it last wrote: a run whose process is gone is shown as interrupted (0005)
    pid: Mapped[Optional[int]] = mapped_column(Integer)
    host: Mapped[Optional[str]] = mapped_column(String(255))
    heartbeat_at: Mapped[Optional[datetime]] = mapped_column(DateTime)


class Article(Base):
    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the article's content
    source_id: Mapped[str] = mapped_column(Text)  # the caller's id (article-v1 `id`)
    title: Mapped[Optional[str]] = mapped_column(Text)
    url: Mapped[Optional[str]] = mapped_column(Text)
    outlet: Mapped[Optional[str]] = mapped_column(Text, index=True)
    author: Mapped[Optional[str]] = mapped_column(Text)
    published: Mapped[Optional[str]] = mapped_column(Text)  # as given
    published_at: Mapped[Optional[datetime]] = mapped_column(DateTime, index=True)  # parsed, if it parses
    language: Mapped[Optional[str]] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # analyzed, skipped, duplicate
    text: Mapped[str] = mapped_column(Text)
    warnings: Mapped[list] = mapped_column(JSON)
    run_id: Mapped[Optional[int]] = mapped_column(ForeignKey("runs.id"))
    minhash: Mapped[Optional[bytes]] = mapped_column(LargeBinary)  # corpus/dedupe.py signature
    # a near-duplicate (wire copy) is stored, linked to its original, and not analyzed again
    duplicate_of: Mapped[Optional[int]] = mapped_column(ForeignKey("articles.id"), index=True)
    similarity: Mapped[Optional[float]] = mapped_column(Float)


class MinhashBand(Base):
    __tablename__ = "minhash_bands"
    band: Mapped[str] = mapped_column(String(24), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)


class Entity(Base):
    __tablename__ = "entities"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    ledger_id: Mapped[str] = mapped_column(String(16))  # "E3": its id inside the ledger
    name: Mapped[str] = mapped_column(Text, index=True)
    type: Mapped[str] = mapped_column(String(16))
    __table_args__ = (UniqueConstraint("article_id", "ledger_id"),)


class Mention(Base):
    __tablename__ = "mentions"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class Attribution(Base):
    __tablename__ = "attributions"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # index in the ledger's `attributions`
    kind: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)  # the content's text, its spans joined by " … "
    content_spans: Mapped[list] = mapped_column(JSON)
    content_start: Mapped[int] = mapped_column(Integer)  # of the first span: what SQL filters on
    content_end: Mapped[int] = mapped_column(Integer)  # of the last span
    source_start: Mapped[Optional[int]] = mapped_column(Integer)
    source_end: Mapped[Optional[int]] = mapped_column(Integer)
    source_text: Mapped[Optional[str]] = mapped_column(Text)
    source_entity_id: Mapped[Optional[int]] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"), index=True)
    source_name: Mapped[Optional[str]] = mapped_column(Text, index=True)
    # false: a bare pronoun ("I", "who") nothing resolved, no speaker; null: no span, or not judged
    source_resolved: Mapped[Optional[bool]] = mapped_column(Boolean)
    type: Mapped[Optional[str]] = mapped_column(String(16))  # statement, belief, ...; null before 0004
    cue_start: Mapped[Optional[int]] = mapped_column(Integer)
    cue_end: Mapped[Optional[int]] = mapped_column(Integer)
    cue: Mapped[Optional[str]] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)


class Figure(Base):
    __tablename__ = "figures"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[Optional[float]] = mapped_column(Float)
    value_max: Mapped[Optional[float]] = mapped_column(Float)
    approx: Mapped[str] = mapped_column(String(16))
    unit: Mapped[Optional[str]] = mapped_column(String(32))
    quantity: Mapped[Optional[str]] = mapped_column(Text, index=True)
    attribution_id: Mapped[Optional[int]] = mapped_column(ForeignKey("attributions.id", ondelete="SET NULL"))
    location: Mapped[Optional[str]] = mapped_column(Text)
    time: Mapped[Optional[str]] = mapped_column(Text)
    change: Mapped[Optional[str]] = mapped_column(String(8))


class Date(Base):
    __tablename__ = "dates"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(64), index=True)


class Series(Base):
    """A figure's story across articles: what it counts (measure), unit and place (corpus/series.py
    makes the key); kept as articles are written (store/series.py), with its points' dates, count,
    sources and whether sources disagree on a day (0008)."""
    __tablename__ = "series"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)  # "killed||gaza": measure|unit|place, lower case
    measure: Mapped[str] = mapped_column(String(120), index=True)
    unit: Mapped[Optional[str]] = mapped_column(String(32))
    place: Mapped[Optional[str]] = mapped_column(String(200))
    first_date: Mapped[Optional[date]] = mapped_column(Day)
    last_date: Mapped[Optional[date]] = mapped_column(Day)
    points: Mapped[int] = mapped_column(Integer)
    sources: Mapped[int] = mapped_column(Integer)
    disagree: Mapped[bool] = mapped_column(Boolean)


class SeriesPoint(Base):
    """One figure in its series: its value, qualifier, whose claim, which outlet, which day."""
    __tablename__ = "series_points"
    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"))
    figure_id: Mapped[int] = mapped_column(ForeignKey("figures.id", ondelete="CASCADE"), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    value: Mapped[Optional[float]] = mapped_column(Float)
    value_max: Mapped[Optional[float]] = mapped_column(Float)
    approx: Mapped[str] = mapped_column(String(16))
    source: Mapped[Optional[str]] = mapped_column(Text)  # the attribution's source name, as stored
    actor_id: Mapped[Optional[int]] = mapped_column(Integer)  # hook: the corpus-level actor, when there is one
    outlet: Mapped[Optional[str]] = mapped_column(Text)
    date: Mapped[Optional[date]] = mapped_column(Day)  # the figure's own day, else its article's publication day
    disagrees: Mapped[bool] = mapped_column(Boolean)  # with another source's point the same day
    __table_args__ = (Index("ix_series_points_series_date", "series_id", "date"),)


class Actor(Base):
    """A person or an organization across the corpus (corpus/actors.py says how entities join one):
    its canonical name (the fullest form), matching key, type, and what it counts. Made, counted and
    linked in the transaction that stores the articles naming it (store/actors.py)."""
    __tablename__ = "actors"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)  # "donald trump": never two actors
    name: Mapped[str] = mapped_column(Text, index=True)  # canonical: "Donald Trump"
    type: Mapped[str] = mapped_column(String(16))  # PERSON or ORG: the most of its entities' types
    # full: from a name of two words or more; single: a one-word name's own (a surname no person of
    # the corpus owns yet, an acronym, an ambiguous "Clinton"), gone when its entities find theirs;
    # user: made by `entities split`, kept
    kind: Mapped[str] = mapped_column(String(8))
    surname: Mapped[Optional[str]] = mapped_column(String(255), index=True)  # a person's last key word
    ambiguous: Mapped[bool] = mapped_column(Boolean, default=False)  # a one-word name two or more own
    renamed: Mapped[bool] = mapped_column(Boolean, default=False)  # `entities rename`: name kept as given
    articles: Mapped[int] = mapped_column(Integer, default=0)
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    persons: Mapped[int] = mapped_column(Integer, default=0)  # its entities typed PERSON
    organizations: Mapped[int] = mapped_column(Integer, default=0)  # and ORG
    first_seen: Mapped[Optional[datetime]] = mapped_column(DateTime)  # earliest published_at
    last_seen: Mapped[Optional[datetime]] = mapped_column(DateTime)


class ActorName(Base):
    """A surface form of an actor, with counts: as an entity's canonical name (`names`), as the text
    of mentions (`mentions`), as a form an article tied to a full name (`tied`: what aliases match
    on). `pinned`: a user's merge or split sent this key to this actor."""
    __tablename__ = "actor_names"
    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(255), index=True)
    names: Mapped[int] = mapped_column(Integer, default=0)
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    tied: Mapped[int] = mapped_column(Integer, default=0)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (UniqueConstraint("actor_id", "name"),)


class EntityActor(Base):
    """The actor an article's entity belongs to (one row an entity that names one), how it joined
    (`link`: name, alias, tied, surname, single, ambiguous, user), its key, and what it added to the
    actor's names (`forms`: [form, key, names, mentions, tied] lists), so that moving it is exact."""
    __tablename__ = "entity_actors"
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(255), index=True)
    link: Mapped[str] = mapped_column(String(16))
    forms: Mapped[list] = mapped_column(JSON)
    # which of some actors have an ambiguous link, asked as each article is linked: a seek an
    # actor, not a read of all its links (0009)
    __table_args__ = (Index("ix_entity_actors_actor_link", "actor_id", "link"),)


class ActorEdit(Base):
    """A user's correction (`entities merge`, `split`, `rename`), kept and replayed by `entities rebuild`."""
    __tablename__ = "actor_edits"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    action: Mapped[str] = mapped_column(String(16))
    args: Mapped[dict] = mapped_column(JSON)


class Failure(Base):
    """An article (or input record) that could not be analyzed in a run. Not an article row, so
    that the next run tries it again."""
    __tablename__ = "failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    source_id: Mapped[Optional[str]] = mapped_column(Text)
    key: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    error_type: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)


Index("ix_attributions_kind", Attribution.kind)


# ---------------------------------------------------------------- claims across outlets (0007)

class Claim(Base):
    """One quotation across articles (store/provenance.py): its first appearance (earliest
    published, then earliest stored) and how often, and whether with changes, it was carried."""
    __tablename__ = "claims"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)  # digest of its founding quote, never changed
    text: Mapped[str] = mapped_column(Text)  # the first occurrence's quote, normalized
    quote: Mapped[str] = mapped_column(Text)  # the same, as written
    speaker: Mapped[Optional[str]] = mapped_column(Text, index=True)  # whom the first gives it to
    first_attribution_id: Mapped[Optional[int]] = mapped_column(ForeignKey("attributions.id", ondelete="SET NULL"))
    first_article_id: Mapped[Optional[int]] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    first_seen: Mapped[Optional[datetime]] = mapped_column(DateTime, index=True)  # the first's publication
    occurrences: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)  # a variant among them
    __table_args__ = (Index("ix_claims_occurrences_id", "occurrences", "id"),)  # the list's order, read backwards


class ClaimOccurrence(Base):
    """A claim in one article: an attribution of it, or of its original for a near-duplicate that
    carries the same words; compared with the claim's first occurrence."""
    __tablename__ = "claim_occurrences"
    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    attribution_id: Mapped[int] = mapped_column(ForeignKey("attributions.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    outlet: Mapped[Optional[str]] = mapped_column(Text)
    published_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    speaker: Mapped[Optional[str]] = mapped_column(Text, index=True)  # as given; null: none, or unresolved
    quote: Mapped[str] = mapped_column(Text)  # as written
    text: Mapped[str] = mapped_column(Text)  # normalized
    similarity: Mapped[float] = mapped_column(Float)  # Jaccard of its words and the first's
    match: Mapped[str] = mapped_column(String(8))  # first, same, similar, part, linked (through another)
    variant: Mapped[bool] = mapped_column(Boolean, default=False)
    changes: Mapped[list] = mapped_column(JSON)  # [{"kind", "from", "to"}]: what differs from the first
    __table_args__ = (UniqueConstraint("article_id", "attribution_id"),)


class ClaimBand(Base):
    """The claims' index: MinHash bands and winnowed fingerprints of their quotes' words."""
    __tablename__ = "claim_bands"
    band: Mapped[str] = mapped_column(String(24), primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True, index=True)


class ClaimText(Base):
    """A distinct normalized quote among a claim's occurrences (0009), found by its digest: an exact
    repeat joins its claim by one indexed lookup. A new quote is compared with the `compared` texts
    of its candidate claims only, each claim's first MAX_COMPARED (store/provenance.py), so that
    linking costs the same however often a claim was carried."""
    __tablename__ = "claim_texts"
    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    digest: Mapped[str] = mapped_column(String(32), index=True)  # corpus.provenance.key of the text
    text: Mapped[str] = mapped_column(Text)  # normalized
    compared: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (UniqueConstraint("claim_id", "digest"),
                      Index("ix_claim_texts_claim_compared", "claim_id", "compared"))
