"""An article-v1 record to the text that gets parsed, with its checks (size, binary, empty, language)."""
from __future__ import annotations

import datetime as dt
import re
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


# spaCy's tokenizer searches a token's suffixes over and over: a run of punctuation with no space
# costs it time quadratic in the run's length (10 KB of it: 11 s). A run longer than
# MAX_PUNCT_RUN has every PUNCT_BREAK-th character replaced by a space, one for one, so that
# offsets stay those of the text as given; no prose has such runs (a rule of dashes is "-----").
MAX_PUNCT_RUN = 64
PUNCT_BREAK = 16
PUNCT_RUN = re.compile(r"[^\w\s]{%d,}" % (MAX_PUNCT_RUN + 1))


def break_punctuation_runs(text: str) -> tuple[str, int]:
    """The text with each run of more than MAX_PUNCT_RUN punctuation characters broken by spaces
    (every PUNCT_BREAK-th character of the run replaced by one: same length, same offsets), and
    how many runs were broken."""
    runs = 0

    def broken(m: re.Match) -> str:
        nonlocal runs
        runs += 1
        run = list(m.group(0))
        for i in range(PUNCT_BREAK - 1, len(run), PUNCT_BREAK):
            run[i] = " "
        return "".join(run)

    return PUNCT_RUN.sub(broken, text), runs


def prepare(article: Article, max_chars: int = MAX_CHARS) -> Prepared:
    """The text to parse and the article's metadata, or InputError.

    Plain text is not altered but for runs of more than MAX_PUNCT_RUN punctuation characters with
    no space, which get spaces in place of some of their characters (`break_punctuation_runs`: the
    length stays, and a warning says so): every offset in the ledger points into the ledger's
    `text`, which is the text as given but for those spaces. An article
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

    text, runs = break_punctuation_runs(text)
    if runs:
        warnings.append(f"{runs} run(s) of more than {MAX_PUNCT_RUN} punctuation characters with no space: every "
                        f"one character in {PUNCT_BREAK} of each was replaced by a space before parsing (text keeps "
                        "its length and offsets; the ledger's text is the one with the spaces)")

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
