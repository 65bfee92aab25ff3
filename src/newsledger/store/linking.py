"""The corpus layer for articles stored without it: `link_stored_articles(store)` links every
stored article that the layer has not seen, as `ingest` and `load` link each article they store:

1. its people and organizations to the corpus's actors (store.actors.link_unlinked; the
   corrections on record apply, as to any article stored after them),
2. its quotes to claims across outlets (store.provenance.link_stored), speakers compared by the
   actors just linked,
3. its figures to series (store.series.fill), each point's source its actor.

For a store written before the layer existed (schemas before 0006, 0007, 0008: migrating adds the
tables, not their rows, but for series) and for bulk loads made with `save_ledgers(corpus=False)`.
Each step picks only what has nothing linked yet, so a second run changes nothing. `newsledger
link` is this call."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from . import actors, provenance, series
from .db import Store


@dataclass(frozen=True)
class Linked:
    """What one run linked: articles whose people and organizations got actors, quote
    occurrences added to claims, figures added to series as points."""
    articles: int
    occurrences: int
    points: int

    def as_dict(self) -> dict:
        return asdict(self)


def link_stored_articles(store: Store) -> Linked:
    """Link what the corpus layer has not seen yet, in that order (see the module's docstring)."""
    articles = actors.link_unlinked(store)
    occurrences = provenance.link_stored(store)
    with store.session() as s:
        points = series.fill(s)
    return Linked(articles, occurrences, points)
