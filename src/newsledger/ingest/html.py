"""Article text and metadata out of a whole HTML page (trafilatura), with the time of publication."""
from __future__ import annotations

import datetime as dt
import json
from typing import Iterator, Optional

from .errors import NO_ARTICLE_TEXT, InputError
from .textcheck import check_size

# Bound on the HTML page itself, in characters: pages with inline scripts and styles run large.
MAX_HTML_CHARS = 10_000_000
# Fewer words than this is a page's chrome (a login form, a cookie notice), not an article.
MIN_ARTICLE_WORDS = 12


def extract_from_html(html: str, url: Optional[str] = None,
                      max_chars: int = MAX_HTML_CHARS) -> tuple[str, dict]:
    """(text, metadata) of the page's main article.

    text: its paragraphs, separated by blank lines; metadata: title, author, date (ISO 8601 publication date,
    with the time of day and offset when the page gives them: see `published_time`), url, outlet (site
    name), as far as they are found (keys with no value are left out).
    Raises InputError: TooLarge over `max_chars`, NoArticleText when no article text is found.
    """
    import trafilatura

    check_size(len(html), max_chars, what="HTML page")
    if not html.strip():
        raise InputError("the HTML page is empty", kind=NO_ARTICLE_TEXT)
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False, favor_precision=False)
    except Exception as exc:  # noqa: BLE001 - lxml on garbage: report it as the page having no text
        raise InputError(f"the HTML page could not be parsed: {exc}", kind=NO_ARTICLE_TEXT) from exc
    raw = (getattr(doc, "text", None) or "") if doc is not None else ""
    paragraphs = [line.strip() for line in raw.splitlines() if line.strip()]
    metadata = _metadata(doc, html) if doc is not None else {}
    # The headline is metadata (title), not the first paragraph of the text.
    if paragraphs and metadata.get("title") and paragraphs[0] == metadata["title"]:
        paragraphs = paragraphs[1:]
    n_words = sum(len(p.split()) for p in paragraphs)
    if n_words < MIN_ARTICLE_WORDS:
        raise InputError(f"no article text found in the HTML page ({n_words} words of text)",
                         kind=NO_ARTICLE_TEXT)
    return "\n\n".join(paragraphs), metadata


def page_metadata(html: str, url: Optional[str] = None) -> dict:
    """The metadata of `extract_from_html` (title, author, date, url, outlet) without the text."""
    from trafilatura import extract_metadata

    check_size(len(html), MAX_HTML_CHARS, what="HTML page")
    try:
        doc = extract_metadata(html, default_url=url)
    except Exception:  # noqa: BLE001 - lxml on garbage: no metadata
        return {}
    return _metadata(doc, html)


def _metadata(doc, html: str) -> dict:
    metadata = {}
    for key, attr in (("title", "title"), ("author", "author"), ("date", "date"),
                      ("url", "url"), ("outlet", "sitename")):
        value = getattr(doc, attr, None)
        if isinstance(value, str) and value.strip():
            metadata[key] = value.strip()
    # trafilatura (htmldate) weighs many signals for the day but gives no time of day: take the
    # page's own timestamp when it names the same day (or when trafilatura found none).
    stamp = published_time(html)
    if stamp and (not metadata.get("date") or stamp[:10] == metadata["date"][:10]):
        metadata["date"] = stamp
    return metadata


# ---------------------------------------------------------------- time of publication

# <meta> names and properties that carry the publication time, most specific first.
PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "published_time",
                  "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "pubdate",
                  "publishdate", "date")


def published_time(html: str) -> Optional[str]:
    """The page's publication time with its time of day, as ISO 8601 (its UTC offset kept), or None.

    Read, in this order, from <meta> (article:published_time and kin), JSON-LD `datePublished`,
    and <time datetime> marked as the publication time (itemprop="datePublished" or pubdate), else
    the first <time datetime> of the page. A date without a time of day is not returned: None
    leaves the day to trafilatura.
    """
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - empty or unparsable page
        return None
    for value in _published_candidates(tree):
        stamp = _iso_datetime(value)
        if stamp:
            return stamp
    return None


def _published_candidates(tree) -> Iterator[str]:
    metas = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and meta.get("content") and key not in metas:
            metas[key] = meta.get("content")
    for key in PUBLISHED_META:
        if key in metas:
            yield metas[key]
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            try:
                data = json.loads(script.text)
            except ValueError:
                continue
            yield from _jsonld_dates(data)
    times = [t for t in tree.iter("time") if t.get("datetime")]
    marked = [t for t in times if (t.get("itemprop") or "").lower() == "datepublished" or "pubdate" in t.attrib]
    for t in marked + times[:1]:
        yield t.get("datetime")


def _jsonld_dates(data, depth: int = 0) -> Iterator[str]:
    if depth > 5:
        return
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_dates(item, depth + 1)
    elif isinstance(data, dict):
        if isinstance(data.get("datePublished"), str):
            yield data["datePublished"]
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _jsonld_dates(data[key], depth + 1)


def _iso_datetime(value: str) -> Optional[str]:
    """'2024-02-20T08:15:00Z' -> '2024-02-20T08:15:00+00:00'; None for a date alone or not ISO 8601."""
    s = value.strip()
    if len(s) < 16 or s[10] not in "Tt ":
        return None
    try:
        stamp = dt.datetime.fromisoformat(s)
    except ValueError:
        return None
    return stamp.isoformat()
