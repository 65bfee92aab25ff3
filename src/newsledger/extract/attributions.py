"""Attributions: who said or claimed what."""
from __future__ import annotations

from spacy.tokens import Doc

from ..ledger import Attribution


def extract_attributions(doc: Doc) -> list[Attribution]:
    return []
