"""Time expressions: detection and TIMEX3 normalization against the publication date
(ledger-v1 `dates`). A pure function of a parsed Doc and the publication date.
"""
from __future__ import annotations

from typing import Optional

from ..ledger import TimeExpression


def extract_times(doc, published: Optional[str] = None) -> list[TimeExpression]:
    """Time expressions of `doc`, in text order, each with its TIMEX3 type and value. Without a
    usable `published`, what needs the anchor stays underspecified ("XXXX-08"), never today."""
    return []
