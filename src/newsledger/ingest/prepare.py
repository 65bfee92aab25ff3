"""An article-v1 record to the text that gets parsed, with its checks (size, binary, empty, language)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from ..ledger import Article
from . import language
from .errors import EMPTY_TEXT, MISSING_TEXT, InputError
from .html import extract_from_html
from .textcheck import MAX_CHARS, check_not_binary, check_size


@dataclass
class Prepared:
    article: Article            # metadata, possibly completed from HTML (title, author, published)
    text: str                   # the text every span points into
    warnings: list[str] = field(default_factory=list)
    skip_reason: Optional[str] = None   # set: an empty ledger is returned (e.g. not English)


def parse_published(value: str) -> Optional[dt.date | dt.datetime]:
    """An ISO 8601 date or datetime ('2024-03-05', '2024-03-05T10:00:00Z'), else None."""
    s = value.strip()
    if not s:
        return None
    for parse in (dt.datetime.fromisoformat, dt.date.fromisoformat):
        try:
            return parse(s)
        except ValueError:
            continue
    return None


def prepare(article: Article, max_chars: int = MAX_CHARS) -> Prepared:
    """The text to parse and the article's metadata, or InputError.

    Plain text is never altered: every offset in the ledger points into it as given. An article
    with both `text` and `html` uses `text`. Errors (InputError.kind): TooLarge, BinaryInput,
    EmptyText, MissingText, NoArticleText. Not English: a Prepared with `skip_reason` set.
    """
    warnings: list[str] = []
    updates: dict = {}
    if article.text is not None:
        text = article.text
        check_size(len(text), max_chars)
    elif article.html is not None:
        text, meta = extract_from_html(article.html, url=article.url)
        check_size(len(text), max_chars, what="extracted text")
        for key, value in (("title", meta.get("title")), ("author", meta.get("author")),
                           ("published", meta.get("date")), ("url", meta.get("url")),
                           ("outlet", meta.get("outlet"))):
            if value and not getattr(article, key):
                updates[key] = value
    else:
        raise InputError("article has neither text nor html", kind=MISSING_TEXT)

    check_not_binary(text, what="text")
    if not text.strip():
        raise InputError("article text is empty" if not text else "article text is only whitespace",
                         kind=EMPTY_TEXT)

    published = updates.get("published", article.published)
    if published is not None and parse_published(published) is None:
        warnings.append(f"published {published!r} is not an ISO 8601 date or datetime: kept as given; "
                        "relative dates are not resolved against it")

    skip_reason = None
    lang = language.non_english(text, article.language)
    if lang is not None:
        updates["language"] = lang
        skip_reason = f"not analyzed: language {lang!r} is not English"
    elif article.language:
        updates["language"] = language.normalize_code(article.language)

    if updates:
        article = article.model_copy(update=updates)
    return Prepared(article=article, text=text, warnings=warnings, skip_reason=skip_reason)
