"""Extractors: each a pure function of a parsed spaCy Doc that returns typed ledger records.

Nothing here knows about input formats, storage or the web.
"""
from __future__ import annotations


def doc_text(doc) -> str:
    """The Doc's text, joined once: spaCy's `Doc.text` joins every token's text on each access,
    which extractors reading it per number or per match would pay again and again."""
    text = doc.user_data.get("newsledger.text")
    if text is None:
        text = doc.user_data["newsledger.text"] = doc.text
    return text
