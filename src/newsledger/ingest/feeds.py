"""RSS and Atom feeds (feedparser) to article-v1 records: one a feed entry, in feed order.

By default each entry's link is fetched (through the guarded fetcher) and its page is the article:
feeds mostly carry teasers, not stories. The page's own title, author and outlet win, and its
publication time when it has a time of day; the entry's fill in what the page lacks. With `fetch_pages=False` nothing is fetched for the entries
and the entry's own content (or, failing that, its summary) is the article: for feeds that carry
whole stories, or to work offline.
"""
from __future__ import annotations

import datetime as dt
import email.utils
from typing import Iterator, Optional, Union

from ..ledger import Article, ErrorInfo, ErrorRecord
from .errors import INVALID_FEED, MISSING_ID, MISSING_TEXT, InputError
from .fetch import decode_body, fetch
from .html import page_metadata

Item = Union[Article, ErrorRecord]

# The root elements of RSS 2.0 / 0.9x, RSS 1.0 (RDF) and Atom.
_FEED_ROOTS = (b"<rss", b"<rdf:rdf", b"<feed")


def looks_like_feed(data: bytes) -> bool:
    """Does the document's root element, within its first 2 kB, look like RSS or Atom?"""
    head = data[:2048].lower()
    return any(root in head for root in _FEED_ROOTS)


def parse_feed(data: bytes, base_url: Optional[str] = None):
    """feedparser's result for feed bytes (never a URL or path: feedparser would open those itself)."""
    import feedparser

    headers = {"content-location": base_url} if base_url else None
    return feedparser.parse(data, response_headers=headers)


def read_feed(data: bytes, source: str, *, base_url: Optional[str] = None, fetch_pages: bool = True,
              allow_private: bool = False, parsed=None) -> Iterator[Item]:
    """Articles from a feed document (bytes); `source` names it in messages (a path or URL)."""
    parsed = parsed if parsed is not None else parse_feed(data, base_url)
    if not parsed.entries:
        reason = parsed.get("bozo_exception") if parsed.get("bozo") else None
        yield ErrorRecord(id=source, error=ErrorInfo(type=INVALID_FEED, message=(
            f"{source} is not an RSS or Atom feed with entries" + (f": {reason}" if reason else ""))))
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for n, entry in enumerate(parsed.entries, 1):
        entry_id = (entry.get("id") or entry.get("link") or "").strip() or None
        try:
            if entry_id is None:
                raise InputError(f"entry {n} of {source} has neither an id nor a link", kind=MISSING_ID)
            if fetch_pages:
                yield _article_from_page(entry, entry_id, outlet, allow_private)
            else:
                yield _article_from_entry(entry, entry_id, outlet)
        except InputError as exc:
            yield ErrorRecord(id=entry_id or f"{source}#entry:{n}", error=ErrorInfo(type=exc.kind, message=str(exc)))


def _entry_fields(entry, outlet: Optional[str]) -> dict:
    return {"title": (entry.get("title") or "").strip() or None,
            "author": (entry.get("author") or "").strip() or None,
            "published": entry_published(entry), "url": entry.get("link") or None, "outlet": outlet}


def _article_from_page(entry, entry_id: str, outlet: Optional[str], allow_private: bool) -> Article:
    link = entry.get("link")
    if not link:
        raise InputError(f"entry {entry_id} has no link to fetch", kind=MISSING_TEXT)
    fetched = fetch(link, allow_private=allow_private)
    html = decode_body(fetched)
    page = page_metadata(html, fetched.url)
    fields = _entry_fields(entry, outlet)
    merged = {key: page.get(key) or fields[key] for key in ("title", "author", "outlet")}
    # A page's date without a time of day may be trafilatura's guess (a copyright year reads as
    # 1 January): the entry's timestamp is better then.
    page_date = page.get("date")
    merged["published"] = page_date if page_date and len(page_date) > 10 else fields["published"] or page_date
    return Article(id=entry_id, html=html, url=fetched.url, **merged)


def _article_from_entry(entry, entry_id: str, outlet: Optional[str]) -> Article:
    """The entry's full content if it has some, else its summary: HTML as html, plain text as text."""
    detail = None
    for content in entry.get("content") or []:
        if (content.get("value") or "").strip():
            detail = content
            break
    if detail is None and (entry.get("summary") or "").strip():
        detail = entry.get("summary_detail") or {"value": entry["summary"], "type": "text/html"}
    if detail is None:
        raise InputError(f"entry {entry_id} has no content or summary", kind=MISSING_TEXT)
    body = {"text": detail["value"]} if detail.get("type") == "text/plain" else {"html": detail["value"]}
    return Article(id=entry_id, **body, **_entry_fields(entry, outlet))


def entry_published(entry) -> Optional[str]:
    """The entry's publication time as ISO 8601 with its own UTC offset (RSS dates are RFC 822,
    Atom's RFC 3339); feedparser's parsed value (in UTC) when the raw one is neither."""
    raw = (entry.get("published") or "").strip()
    if raw:
        try:
            return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()
        except ValueError:
            pass
        try:
            return email.utils.parsedate_to_datetime(raw).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
    parsed = entry.get("published_parsed")
    if parsed:
        return dt.datetime(*parsed[:6], tzinfo=dt.timezone.utc).isoformat()
    return None
