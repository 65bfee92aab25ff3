"""Article text and metadata out of a whole HTML page (trafilatura)."""
from __future__ import annotations

from typing import Optional

from .errors import NO_ARTICLE_TEXT, InputError
from .textcheck import check_size

# Bound on the HTML page itself, in characters: pages with inline scripts and styles run large.
MAX_HTML_CHARS = 10_000_000
# Fewer words than this is a page's chrome (a login form, a cookie notice), not an article.
MIN_ARTICLE_WORDS = 12


def extract_from_html(html: str, url: Optional[str] = None,
                      max_chars: int = MAX_HTML_CHARS) -> tuple[str, dict]:
    """(text, metadata) of the page's main article.

    text: its paragraphs, separated by blank lines; metadata: title, author, date (ISO 8601 publication date), url,
    outlet (site name), as far as trafilatura finds them (keys with no value are left out).
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
    metadata = {}
    if doc is not None:
        for key, attr in (("title", "title"), ("author", "author"), ("date", "date"),
                          ("url", "url"), ("outlet", "sitename")):
            value = getattr(doc, attr, None)
            if isinstance(value, str) and value.strip():
                metadata[key] = value.strip()
    # The headline is metadata (title), not the first paragraph of the text.
    if paragraphs and metadata.get("title") and paragraphs[0] == metadata["title"]:
        paragraphs = paragraphs[1:]
    n_words = sum(len(p.split()) for p in paragraphs)
    if n_words < MIN_ARTICLE_WORDS:
        raise InputError(f"no article text found in the HTML page ({n_words} words of text)",
                         kind=NO_ARTICLE_TEXT)
    return "\n\n".join(paragraphs), metadata
