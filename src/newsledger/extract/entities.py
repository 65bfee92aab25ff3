"""Entities merged across their mentions (names, descriptions, pronouns): coreference over the parse."""
from __future__ import annotations

from spacy.tokens import Doc

from ..ledger import Entity


def extract_entities(doc: Doc) -> list[Entity]:
    raise NotImplementedError
