"""The extractors, in the order they run, and what each can be set to: one registry that both
`pipeline.ledger_from_doc` and the spaCy components (components.py) are built from, so the two give
the same ledger.

Each extractor has a settings object, a small frozen dataclass whose defaults are the ones the
pipeline runs with and the components' `default_config`. Each runs as `run(doc, settings, found)`:
`found` holds what the extractors before it found (by their names) and the article's inputs
("published": its publication date; "readings": the attribution tagger's readings of its text,
when they were taken beside the parse), and it returns its records, which go into the ledger's
field and the Doc extension (`doc._.<name>`) of its name.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Callable, Mapping, Optional

from .extract import attribution_tagger
from .extract.attributions import CLAIMS, CLAIMS_THRESHOLD, SCHEMES, extract_attributions
from .extract.entities import ENTITY_LABELS, MAX_HISTORY_SCAN, MAX_SENT_BACK, extract_entities
from .extract.figures import COUNTED_NOUN_REACH, PLACE_LABELS, extract_figures
from .extract.times import FAR_AHEAD_DAYS, QUARTER_REACH, extract_times


def _as_tuples(settings) -> None:
    """A frozen settings object's fields of several values as tuples, whatever collection they came
    in: a spaCy config saved and loaded again gives lists, and a settings object stays hashable
    and equal to one made in Python. A lone string is refused (it would be read letter by letter)."""
    for f in fields(settings):
        if not isinstance(f.default, tuple):
            continue
        value = getattr(settings, f.name)
        if isinstance(value, str):
            raise ValueError(f"{type(settings).__name__}.{f.name} is a list of values, not {value!r}")
        object.__setattr__(settings, f.name, tuple(sorted(value) if isinstance(value, (set, frozenset)) else value))


def _at_least(settings, least: int, *names: str) -> None:
    for name in names:
        if getattr(settings, name) < least:
            raise ValueError(f"{type(settings).__name__}.{name} must be at least {least}, "
                             f"not {getattr(settings, name)!r}")


@dataclass(frozen=True)
class ParagraphSettings:
    """The paragraphs component (`newsledger_paragraphs`, before the parser): a line break starts a
    sentence.

    max_sentence_tokens: a run of more tokens than this with no line break and no sentence-ending
        punctuation is cut into sentences of this many (every extractor walks the parse within a
        sentence, which must stay bounded for the analysis to stay linear in the text).
    """
    max_sentence_tokens: int = 250


@dataclass(frozen=True)
class EntitySettings:
    """Entities (extract/entities.py): people, organizations and places with all their mentions,
    pronouns included.

    labels: the NER labels an entity may have; a name the NER labels otherwise (DATE, MONEY, ...)
        is none, and nor is a cluster whose voted type is left out.
    pronoun_sentences: how many sentences back "he" and "she" (and their forms) look for their
        person; a long quotation counts as one sentence. ("they" and "it" look one back,
        descriptions such as "the president" two or three.)
    history_scan: at most how many recent mentions a pronoun or a description weighs, however
        many sentences they span: it bounds the work in a text dense with names.
    """
    labels: tuple[str, ...] = ENTITY_LABELS
    pronoun_sentences: int = MAX_SENT_BACK
    history_scan: int = MAX_HISTORY_SCAN

    def __post_init__(self):
        _as_tuples(self)
        _at_least(self, 0, "pronoun_sentences", "history_scan")


@dataclass(frozen=True)
class AttributionSettings:
    """Attributions (extract/attributions.py): who said or claimed what, with its cue; each source
    is then resolved to an entity (pipeline.link_sources).

    scheme: what counts as an attribution: "claims" (the annotation guideline's) or "polnear"
        (PolNeAR's broader, univocal scheme).
    tagger_threads: threads for the attribution tagger's matrix work in this process
        (attribution_tagger.use_threads; setting it also stops the tagger reading beside the
        parse). None leaves the process as it is: ONNX Runtime's default, all cores.
    claims_threshold: the decision model's probability a candidate must reach to be a claim in
        the claims scheme (tuned on the real-news dev part; higher: fewer, surer claims). The
        polnear scheme uses the model's own threshold, chosen on PolNeAR train.

    The decision model and the tagger are the shipped files (data/), or those that
    NEWSLEDGER_ATTRIBUTION_MODEL and NEWSLEDGER_ATTRIBUTION_TAGGER name ("none": without).
    """
    scheme: str = CLAIMS
    tagger_threads: Optional[int] = None
    claims_threshold: float = CLAIMS_THRESHOLD

    def __post_init__(self):
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown attribution scheme {self.scheme!r}: one of {', '.join(SCHEMES)}")


@dataclass(frozen=True)
class DateSettings:
    """Dates and times (extract/times.py), with TIMEX3 values resolved against the article's
    publication date.

    resolve_relative: resolve what needs the publication date ("yesterday", "last March",
        "Oct. 23" without its year) against it; false leaves such values underspecified
        ("XXXX-XX-XX", "XXXX-03"), as for an article without a date.
    quarter_reach: for how many characters after a quarter is named ("the third quarter")
        "a year ago" and "the year-earlier period" refer to that quarter (about a paragraph).
    far_ahead_days: a day of a month without its year, in a past-tense sentence, that would fall
        more than this many days after the publication date is the one a year before ("was shot
        on Oct. 23" in May: last October).
    """
    resolve_relative: bool = True
    quarter_reach: int = QUARTER_REACH
    far_ahead_days: int = FAR_AHEAD_DAYS

    def __post_init__(self):
        _at_least(self, 0, "quarter_reach", "far_ahead_days")


@dataclass(frozen=True)
class FigureSettings:
    """Figures (extract/figures.py): numbers with their qualifier, unit and what they count; each
    linked to the attribution whose content holds it (pipeline.link_figures).

    place_labels: the NER labels of the entities that give a figure its `location` (the nearest
        one in its sentence); empty: no figure has a location.
    counted_noun_reach: how many tokens after a number the noun it counts may stand, as its
        parse head ("12 new electric buses": 3); farther, the figure counts what an "of" phrase
        or a participle after it says, or nothing.
    """
    place_labels: tuple[str, ...] = PLACE_LABELS
    counted_noun_reach: int = COUNTED_NOUN_REACH

    def __post_init__(self):
        _as_tuples(self)
        _at_least(self, 0, "counted_noun_reach")


def _entities(doc, settings: EntitySettings, found: Mapping[str, Any]) -> list:
    return extract_entities(doc, settings.labels, settings.pronoun_sentences, settings.history_scan)


def _attributions(doc, settings: AttributionSettings, found: Mapping[str, Any]) -> list:
    from .extract import doc_text
    from .pipeline import _antecedent_finder, _head_finder, link_sources  # the pipeline imports this module

    if settings.tagger_threads is not None:
        attribution_tagger.use_threads(settings.tagger_threads)
    attributions = extract_attributions(doc, found.get("readings"), settings.scheme, settings.claims_threshold)
    link_sources(attributions, found.get("entities") or [], doc_text(doc), _head_finder(doc), _antecedent_finder(doc))
    return attributions


def _dates(doc, settings: DateSettings, found: Mapping[str, Any]) -> list:
    return extract_times(doc, found.get("published"), settings.resolve_relative, settings.quarter_reach,
                         settings.far_ahead_days)


def _figures(doc, settings: FigureSettings, found: Mapping[str, Any]) -> list:
    from .pipeline import link_figures

    figures = extract_figures(doc, found.get("dates") or (), settings.place_labels, settings.counted_noun_reach)
    link_figures(figures, found.get("attributions") or [])
    return figures


@dataclass(frozen=True)
class Extractor:
    name: str                # its ledger field and Doc extension (doc._.<name>)
    settings: type           # its settings class; an instance with no arguments holds the defaults
    run: Callable[[Any, Any, Mapping[str, Any]], list]  # (doc, settings, found so far) -> records
    needs: tuple[str, ...] = ()  # the extractors before it whose records it reads (found[name])
    inputs: tuple[str, ...] = ()  # the article's inputs it reads (found["published"], ...)

    @property
    def factory(self) -> str:
        """Its spaCy factory's name."""
        return f"newsledger_{self.name}"

    @property
    def assigns(self) -> list[str]:
        return [f"doc._.{self.name}"]

    @property
    def requires(self) -> list[str]:
        return [f"doc._.{n}" for n in self.needs]  # the inputs are the caller's to set


EXTRACTORS: tuple[Extractor, ...] = (
    Extractor("entities", EntitySettings, _entities),
    Extractor("attributions", AttributionSettings, _attributions, needs=("entities",)),
    Extractor("dates", DateSettings, _dates, inputs=("published",)),
    Extractor("figures", FigureSettings, _figures, needs=("attributions", "dates")),
)
BY_NAME = {ex.name: ex for ex in EXTRACTORS}


def run_extractors(doc, inputs: Optional[Mapping[str, Any]] = None,
                   settings: Optional[Mapping[str, Any]] = None) -> dict[str, list]:
    """Every extractor on a parsed Doc, in order: {name: records}. `inputs`: the article's
    ("published", "readings"); `settings`: {name: settings object} where not the defaults."""
    found: dict[str, Any] = dict(inputs or {})
    settings = settings or {}
    for ex in EXTRACTORS:
        found[ex.name] = ex.run(doc, settings.get(ex.name) or ex.settings(), found)
    return {ex.name: found[ex.name] for ex in EXTRACTORS}
