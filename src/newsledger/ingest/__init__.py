"""Sources to article-v1 records, and article-v1 records to the text that gets parsed.

- readers: paths (JSON Lines, text, HTML, feeds, WARC, folders, stdin) and URLs -> Article | ErrorRecord, in order
- fetch: the guarded fetcher (the only network use: URLs and feed links a user names)
- feeds: RSS/Atom -> one Article an entry; warc: WARC files (CC-NEWS) -> one Article an HTML response
- html: an HTML page -> article text and metadata (trafilatura), publication time with time of day
- prepare: Article -> Prepared (the text to parse; size, binary, empty and language checks)
- errors: InputError and the error kinds of error records
"""
from __future__ import annotations

from .errors import InputError, InputNotFound
from .html import MAX_HTML_CHARS, extract_from_html
from .prepare import Prepared, parse_published, prepare
from .readers import article_from_json, read_inputs
from .textcheck import MAX_CHARS

__all__ = ["InputError", "InputNotFound", "Prepared", "prepare", "read_inputs", "extract_from_html",
           "article_from_json", "parse_published", "MAX_CHARS", "MAX_HTML_CHARS"]
