"""The one exception type of ingest: an input that cannot be analyzed, with a kind for its error record."""
from __future__ import annotations

# Error kinds (`error.type` in an error record). docs/ledger-v1.md lists them with their meaning.
INVALID_JSON = "InvalidJSON"        # a JSONL line that is not JSON
INVALID_RECORD = "InvalidRecord"    # JSON, but not an article-v1 object (not an object, wrong field types)
MISSING_ID = "MissingId"            # an article-v1 object without an id
MISSING_TEXT = "MissingText"        # an article-v1 object with neither text nor html
INVALID_UTF8 = "InvalidUTF8"        # bytes that are not UTF-8
BINARY_INPUT = "BinaryInput"        # NUL bytes or mostly control characters: not text
TOO_LARGE = "TooLarge"              # over the size bound (ingest.MAX_CHARS)
EMPTY_TEXT = "EmptyText"            # empty or whitespace-only text
NO_ARTICLE_TEXT = "NoArticleText"   # an HTML page with no article text in it
UNREADABLE = "Unreadable"           # a file that cannot be read (permissions, I/O error)
# Sources on the network, feeds and archives (ingest.fetch, ingest.feeds, ingest.warc)
FETCH_REFUSED = "FetchRefused"      # a URL the fetcher will not fetch (scheme, private address, redirect to one)
FETCH_FAILED = "FetchFailed"        # a fetch that did not succeed (DNS, connection, TLS, HTTP status, redirects)
TIMEOUT = "Timeout"                 # a fetch over its time bound
UNSUPPORTED_CONTENT = "UnsupportedContent"  # a response that is not HTML, XML or text
INVALID_FEED = "InvalidFeed"        # a file or response that is not an RSS/Atom feed with entries
INVALID_WARC = "InvalidWARC"        # a WARC file damaged (truncated, corrupt): records before the damage are read


class InputError(ValueError):
    """An input that cannot be analyzed; `kind` names the problem for the error record."""

    def __init__(self, message: str, kind: str = "InputError"):
        super().__init__(message)
        self.kind = kind


class InputNotFound(InputError):
    """The path given does not exist: a usage error (the CLI exits with status 2), not a record error."""

    def __init__(self, message: str):
        super().__init__(message, kind="NotFound")
