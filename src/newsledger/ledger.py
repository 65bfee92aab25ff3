"""The typed records of ledger-v1 (see docs/ledger-v1.md): what every extractor returns and every
interface (CLI, API, store) serializes. Spans are [start, end) code-point offsets into `Ledger.text`."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "newsledger/ledger-v1"

Span = tuple[int, int]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _absent(value) -> bool:
    return value is None


class ActorRef(Record):
    """extension: the corpus's person or organization a record belongs to, as a store knows it
    (`newsledger entities`); only ledgers exported from a store carry it."""
    id: int = Field(description="the store's actor id (`newsledger entities show '#12'`, /api/actors/12); "
                                "`newsledger entities rebuild` numbers the actors again")
    name: str = Field(description="the actor's canonical name ('Donald Trump' for an article's 'Donald J. Trump')")


class Entity(Record):
    id: str = Field(description="unique in the ledger, e.g. 'E3'")
    name: str = Field(description="canonical name: the fullest proper name in the article")
    type: str = Field(description="PERSON, ORG, GPE, NORP, LOC, FAC, EVENT, ...")
    mentions: list[Span] = Field(description="every span that refers to it: names, descriptions, pronouns")
    actor: Optional[ActorRef] = Field(None, exclude_if=_absent, description=(
        "extension: the corpus actor of a PERSON or ORG entity, in ledgers exported from a store; "
        "absent (not null) when there is none, and in `analyze`'s output"))


class Source(Record):
    span: Optional[Span] = Field(None, description="the mention that stands as the source here")
    entity: Optional[str] = Field(None, description="id of the entity the source resolves to")
    name: Optional[str] = Field(None, description="canonical name of that entity, else the mention text "
                                "(for a relative pronoun: its antecedent noun phrase)")
    resolved: Optional[bool] = Field(
        None, description="extension: true when `name` says who (an entity, the source's own noun phrase, a "
                          "relative pronoun's antecedent); false for a bare pronoun nothing resolved ('I', "
                          "'they', 'who'), which is no speaker; null for a source without span")
    actor: Optional[ActorRef] = Field(None, exclude_if=_absent, description=(
        "extension: the corpus actor of `entity`, the speaker across the corpus, in ledgers exported "
        "from a store; absent when there is none (no entity, or `resolved` false: no speaker)"))


class Cue(Record):
    span: Span


AttributionKind = Literal["direct", "mixed", "indirect", "according_to"]
AttributionType = Literal["statement", "belief", "intention", "question", "denial", "finding", "other"]


class Attribution(Record):
    kind: AttributionKind
    content: list[Span] = Field(description="what was said or claimed, without cue and source")
    source: Source = Field(default_factory=Source)
    cue: Optional[Cue] = None
    confidence: float = Field(1.0, ge=0.0, le=1.0, description="the extractor's belief in this record")
    type: Optional[AttributionType] = Field(None, description=(
        "what is ascribed: statement, belief, intention, question, denial, finding; other (an act or "
        "sentiment, only in the polnear scheme); null in ledgers written before it existed"))


Approx = Literal["exact", "about", "at_least", "at_most", "more_than", "less_than", "up_to"]


class Figure(Record):
    span: Span
    value: Optional[float] = None
    value_max: Optional[float] = Field(None, description="upper end of a range; `value` holds the lower")
    approx: Approx = "exact"
    unit: Optional[str] = None
    quantity: Optional[str] = None
    attribution: Optional[int] = Field(None, description="index into `attributions`")
    location: Optional[str] = None
    time: Optional[str] = None
    change: Optional[Literal["up", "down"]] = None


class TimeExpression(Record):
    span: Span
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str


class Ledger(Record):
    schema_: str = Field(SCHEMA_ID, alias="schema")
    id: str
    title: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    author: Optional[str] = None
    published: Optional[str] = None
    language: Optional[str] = None
    text: str
    entities: list[Entity] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    dates: list[TimeExpression] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, description="non-fatal problems met on the way")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


class ErrorInfo(Record):
    type: str
    message: str


class ErrorRecord(Record):
    """Stands in a ledger's place when an article cannot be analyzed."""
    id: Optional[str] = None
    error: ErrorInfo

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json")


class Article(BaseModel):
    """article-v1: the input record."""
    model_config = ConfigDict(extra="ignore")

    id: str
    text: Optional[str] = None
    html: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    author: Optional[str] = None
    published: Optional[str] = None
    language: Optional[str] = None
