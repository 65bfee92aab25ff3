"""Figures: every number in the text with its value, qualifier, unit, what it counts, change,
place and time (ledger-v1 `figures`). A pure function of a parsed Doc.

The attribution a figure stands in is linked afterwards by the pipeline (`link_figures`), since
it depends on the attributions extractor, not on this one.
"""
from __future__ import annotations

from typing import Sequence

from ..ledger import Figure, TimeExpression


def extract_figures(doc, dates: Sequence[TimeExpression] = ()) -> list[Figure]:
    """Figures of `doc`, in text order. `dates` (from `extract_times`) keeps dates and years out of
    the figures and gives a figure its time when its sentence holds one."""
    return []
