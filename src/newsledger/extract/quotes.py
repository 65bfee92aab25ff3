"""Quotation spans: the detector lives in the text layer (`newsledger.text.quotes`); this name
stays for the extractors and tests that import it from here."""
from ..text.quotes import OPEN, QuoteIndex, find_quotes, paragraphs, token_mask  # noqa: F401
