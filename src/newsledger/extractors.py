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

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional

from .extract import attribution_tagger
from .extract.attributions import CLAIMS, SCHEMES, extract_attributions
from .extract.entities import extract_entities
from .extract.figures import extract_figures
from .extract.times import extract_times


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
    pronouns included. Nothing to set yet."""


@dataclass(frozen=True)
class AttributionSettings:
    """Attributions (extract/attributions.py): who said or claimed what, with its cue; each source
    is then resolved to an entity (pipeline.link_sources).

    scheme: what counts as an attribution: "claims" (the annotation guideline's) or "polnear"
        (PolNeAR's broader, univocal scheme).
    tagger_threads: threads for the attribution tagger's matrix work in this process
        (attribution_tagger.use_threads; setting it also stops the tagger reading beside the
        parse). None leaves the process as it is: ONNX Runtime's default, all cores.

    The decision model and the tagger are the shipped files (data/), or those that
    NEWSLEDGER_ATTRIBUTION_MODEL and NEWSLEDGER_ATTRIBUTION_TAGGER name ("none": without).
    """
    scheme: str = CLAIMS
    tagger_threads: Optional[int] = None

    def __post_init__(self):
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown attribution scheme {self.scheme!r}: one of {', '.join(SCHEMES)}")


@dataclass(frozen=True)
class DateSettings:
    """Dates and times (extract/times.py), with TIMEX3 values resolved against the article's
    publication date. Nothing to set yet."""


@dataclass(frozen=True)
class FigureSettings:
    """Figures (extract/figures.py): numbers with their qualifier, unit and what they count; each
    linked to the attribution whose content holds it (pipeline.link_figures). Nothing to set yet."""


def _entities(doc, settings: EntitySettings, found: Mapping[str, Any]) -> list:
    return extract_entities(doc)


def _attributions(doc, settings: AttributionSettings, found: Mapping[str, Any]) -> list:
    from .extract import doc_text
    from .pipeline import _antecedent_finder, _head_finder, link_sources  # the pipeline imports this module

    if settings.tagger_threads is not None:
        attribution_tagger.use_threads(settings.tagger_threads)
    attributions = extract_attributions(doc, found.get("readings"), settings.scheme)
    link_sources(attributions, found.get("entities") or [], doc_text(doc), _head_finder(doc), _antecedent_finder(doc))
    return attributions


def _dates(doc, settings: DateSettings, found: Mapping[str, Any]) -> list:
    return extract_times(doc, found.get("published"))


def _figures(doc, settings: FigureSettings, found: Mapping[str, Any]) -> list:
    from .pipeline import link_figures

    figures = extract_figures(doc, found.get("dates") or ())
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
