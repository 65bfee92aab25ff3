"""Paths to article-v1 records: JSON Lines, plain text, HTML, feeds, WARC files, folders of them,
standard input and URLs (through the guarded fetcher, ingest.fetch).

Every reader yields `Article` or, for a record or file that cannot be read, an `ErrorRecord` in its
place, so one bad line never stops a batch. Only a local path that does not exist raises (InputNotFound).
"""
from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Optional, Union

from ..ledger import Article, ErrorInfo, ErrorRecord
from .errors import (BINARY_INPUT, INVALID_JSON, INVALID_RECORD, INVALID_UTF8, MISSING_ID, MISSING_TEXT,
                     TOO_LARGE, UNREADABLE, InputError, InputNotFound)
from .textcheck import MAX_CHARS, bytes_look_binary

Item = Union[Article, ErrorRecord]

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FEED_SUFFIXES = (".rss", ".atom")
XML_SUFFIXES = (".xml",)  # a feed, or not: in a folder, only those that look like feeds are read
WARC_SUFFIX = ".warc"     # and .warc.gz
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + FEED_SUFFIXES + XML_SUFFIXES + (WARC_SUFFIX,)
URL_SCHEMES = ("http://", "https://")
# A file is read up to this many bytes: enough for MAX_CHARS characters of UTF-8 (4 bytes at most
# each) and one more, so that a huge file is reported TooLarge without reading all of it.
MAX_FILE_BYTES = MAX_CHARS * 4 + 1
# HTML pages may be larger than their text (scripts, styles): the bound of ingest.html applies.
MAX_HTML_FILE_BYTES = 40_000_001

STRING_FIELDS = ("text", "html", "title", "url", "outlet", "author", "published", "language")


def error(article_id: Optional[str], kind: str, message: str) -> ErrorRecord:
    return ErrorRecord(id=article_id, error=ErrorInfo(type=kind, message=message))


# ---------------------------------------------------------------- JSON Lines

def article_from_json(obj: object) -> Article:
    """An article-v1 record from a decoded JSON value, or InputError naming what is wrong."""
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object, got {type(obj).__name__}", kind=INVALID_RECORD)
    article_id = obj.get("id")
    if article_id is None or article_id == "":
        raise InputError("record has no id", kind=MISSING_ID)
    if isinstance(article_id, int) and not isinstance(article_id, bool):
        article_id = str(article_id)  # numeric ids are common; ledgers echo them as strings
    if not isinstance(article_id, str):
        raise InputError(f"id must be a string, got {type(article_id).__name__}", kind=INVALID_RECORD)
    bad = [k for k in STRING_FIELDS if obj.get(k) is not None and not isinstance(obj[k], str)]
    if bad:
        raise InputError("fields must be strings: " + ", ".join(
            f"{k} is {type(obj[k]).__name__}" for k in bad), kind=INVALID_RECORD)
    if obj.get("text") is None and obj.get("html") is None:
        raise InputError("record has neither text nor html", kind=MISSING_TEXT)
    fields = {k: obj[k] for k in STRING_FIELDS if obj.get(k) is not None}
    return Article(id=article_id, **fields)


def _record_id(obj: object) -> Optional[str]:
    if isinstance(obj, dict):
        value = obj.get("id")
        if isinstance(value, str) and value:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return None


def parse_jsonl_lines(lines: Iterable[bytes], where: str = "") -> Iterator[Item]:
    """Articles from JSON Lines (bytes, one record a line); blank lines are skipped.

    A bad line becomes an ErrorRecord whose id is the record's id if it could be read, else
    'line:N' (N counts from 1); its message names the line and `where` (the file) it is in.
    """
    of = f" of {where}" if where else ""
    for n, raw in enumerate(lines, 1):
        line_id = f"line:{n}"
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield error(line_id, INVALID_UTF8,
                        f"line {n}{of} is not valid UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield error(line_id, INVALID_JSON,
                        f"line {n}{of} is not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        try:
            yield article_from_json(obj)
        except InputError as exc:
            yield error(_record_id(obj) or line_id, exc.kind, f"line {n}{of}: {exc}")


def read_jsonl(path: Path) -> Iterator[Item]:
    try:
        with _open_binary(path) as f:
            yield from parse_jsonl_lines(f, where=str(path))
    except OSError as exc:
        yield error(str(path), UNREADABLE, f"cannot read {path}: {exc.strerror or exc}")


# ---------------------------------------------------------------- single files

def _open_binary(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")


def _base_suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return os.path.splitext(name)[1]


def _stem(path: Path) -> str:
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    return os.path.splitext(name)[0]


def decode_text(data: bytes, what: str) -> str:
    """UTF-8 text, byte for byte (no newline translation); InputError for binary or non-UTF-8 data."""
    if bytes_look_binary(data):
        raise InputError(f"{what} looks like binary data (NUL bytes or control characters), not text",
                         kind=BINARY_INPUT)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} is not valid UTF-8 ({exc.reason} at byte {exc.start}); "
                         "convert it to UTF-8 first", kind=INVALID_UTF8) from None


def _read_bounded(path: Path, limit: int) -> bytes:
    with _open_binary(path) as f:
        data = f.read(limit)
    if len(data) >= limit:
        raise InputError(f"{path} is over {limit - 1:,} bytes, too large for one article (limit "
                         f"{MAX_CHARS:,} characters)", kind=TOO_LARGE)
    return data


def read_text_file(path: Path, article_id: Optional[str] = None) -> Item:
    """One article from a plain-text file: the text exactly as in the file ('\\r\\n' kept)."""
    article_id = article_id or _stem(path)
    try:
        data = _read_bounded(path, MAX_FILE_BYTES)
        return Article(id=article_id, text=decode_text(data, str(path)))
    except InputError as exc:
        return error(article_id, exc.kind, str(exc))
    except (OSError, EOFError) as exc:
        return error(article_id, UNREADABLE, f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}")


def decode_html(data: bytes, charset: Optional[str] = None) -> str:
    """HTML bytes to text: the `charset` given (HTTP headers) if it decodes them, else UTF-8, else
    the encoding the page declares or that can be guessed."""
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from trafilatura.utils import decode_file

        return decode_file(data)


def read_html_file(path: Path, article_id: Optional[str] = None) -> Item:
    """One article from an HTML page (its text is extracted later, by prepare)."""
    article_id = article_id or _stem(path)
    try:
        data = _read_bounded(path, MAX_HTML_FILE_BYTES)
        if b"\x00" in data:
            raise InputError(f"{path} looks like binary data (NUL bytes), not HTML", kind=BINARY_INPUT)
        return Article(id=article_id, html=decode_html(data))
    except InputError as exc:
        return error(article_id, exc.kind, str(exc))
    except (OSError, EOFError) as exc:
        return error(article_id, UNREADABLE, f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}")


def read_feed_file(path: Path, allow_private: bool = False, fetch_pages: bool = True) -> Iterator[Item]:
    """The articles of an RSS or Atom feed file (see ingest.feeds: entries' pages are fetched unless
    `fetch_pages` is False)."""
    from .feeds import read_feed

    try:
        data = _read_bounded(path, MAX_HTML_FILE_BYTES)
    except InputError as exc:
        yield error(str(path), exc.kind, str(exc))
        return
    except (OSError, EOFError) as exc:
        yield error(str(path), UNREADABLE, f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}")
        return
    yield from read_feed(data, str(path), fetch_pages=fetch_pages, allow_private=allow_private)


def read_file(path: Path, article_id: Optional[str] = None, *, allow_private: bool = False,
              fetch_pages: bool = True) -> Iterator[Item]:
    suffix = _base_suffix(path)
    if suffix == WARC_SUFFIX:
        from .warc import read_warc

        yield from read_warc(path)
    elif suffix in FEED_SUFFIXES + XML_SUFFIXES:
        yield from read_feed_file(path, allow_private=allow_private, fetch_pages=fetch_pages)
    elif suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path)
    elif suffix in HTML_SUFFIXES:
        yield read_html_file(path, article_id)
    else:  # .txt and anything else named explicitly: plain text
        yield read_text_file(path, article_id)


# ---------------------------------------------------------------- folders and stdin

def _is_feed_file(path: Path) -> bool:
    from .feeds import looks_like_feed

    try:
        with _open_binary(path) as f:
            return looks_like_feed(f.read(2048))
    except (OSError, EOFError):
        return True  # let the reader report it


def folder_files(folder: Path) -> list[Path]:
    """The files readers know under `folder` (.txt, .html, .htm, .jsonl, .ndjson, .rss, .atom, .xml
    that look like feeds, .warc, and .gz of them), recursively, sorted; hidden files and folders are
    left out."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            p = Path(root) / name
            suffix = _base_suffix(p)
            if not name.startswith(".") and suffix in SUFFIXES and (
                    suffix not in XML_SUFFIXES or _is_feed_file(p)):
                found.append(p)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def read_folder(folder: Path, allow_private: bool = False, fetch_pages: bool = True) -> Iterator[Item]:
    for path in folder_files(folder):
        rel = path.relative_to(folder)
        # id: the file's stem; in a subfolder, its relative path without the suffix ("wire/flood").
        # (Feeds and WARC files hold many articles: theirs are the entries' and records' ids.)
        article_id = (rel.parent / _stem(path)).as_posix()
        yield from read_file(path, article_id, allow_private=allow_private, fetch_pages=fetch_pages)


def looks_like_jsonl(data: bytes) -> bool:
    """Does the first non-blank line parse as a JSON object?"""
    for raw in data.splitlines():
        if raw.strip():
            if not raw.lstrip().startswith(b"{"):
                return False
            try:
                return isinstance(json.loads(raw), dict)
            except ValueError:
                return False
    return False


def read_stdin(stream: Optional[BinaryIO] = None) -> Iterator[Item]:
    """JSON Lines if the first line is a JSON object, else all of stdin as one article, id 'stdin'."""
    stream = stream if stream is not None else sys.stdin.buffer
    data = stream.read()
    if looks_like_jsonl(data):
        yield from parse_jsonl_lines(data.split(b"\n"), where="standard input")
        return
    try:
        if len(data) >= MAX_FILE_BYTES:
            raise InputError(f"standard input is over {MAX_FILE_BYTES - 1:,} bytes, too large for one "
                             f"article (limit {MAX_CHARS:,} characters)", kind=TOO_LARGE)
        yield Article(id="stdin", text=decode_text(data, "standard input"))
    except InputError as exc:
        yield error("stdin", exc.kind, str(exc))


def is_url(path: str) -> bool:
    return path.lower().startswith(URL_SCHEMES)


def read_url(url: str, allow_private: bool = False, fetch_pages: bool = True) -> Iterator[Item]:
    """A URL through the guarded fetcher: a feed's articles if it is an RSS or Atom feed with
    entries, else one article (the HTML page), id = the URL."""
    from .feeds import looks_like_feed, parse_feed, read_feed
    from .fetch import decode_body, fetch

    try:
        fetched = fetch(url, allow_private=allow_private)
    except InputError as exc:
        yield error(url, exc.kind, str(exc))
        return
    if fetched.content_type not in ("text/html", "application/xhtml+xml") and looks_like_feed(fetched.body):
        parsed = parse_feed(fetched.body, fetched.url)
        if parsed.entries or parsed.get("version"):  # a feed, possibly without entries (an error)
            yield from read_feed(fetched.body, url, fetch_pages=fetch_pages, allow_private=allow_private,
                                 parsed=parsed)
            return
    yield Article(id=url, html=decode_body(fetched), url=fetched.url)


def read_inputs(path: str, stdin: Optional[BinaryIO] = None, *, allow_private: bool = False,
                fetch_pages: bool = True) -> Iterator[Item]:
    """Articles (or error records in their place) from `path`, in order.

    `path`: an article-v1 JSON Lines file (.jsonl, .ndjson), a plain-text file (.txt: one article,
    id = file stem), an HTML page (.html, .htm: id = file stem), any of them gzipped (.gz), an RSS or
    Atom feed (.rss, .atom, .xml), a WARC file (.warc, .warc.gz), a folder (all of those inside,
    recursively, sorted by path), an http(s) URL (a page or a feed), or '-' for standard input.
    URLs, and the pages of feed entries unless `fetch_pages` is False, are fetched through the
    guarded fetcher, which refuses private addresses unless `allow_private`. Raises InputNotFound
    at once (not on iteration) when a local path does not exist.
    """
    if path == "-":
        return read_stdin(stdin)
    if is_url(path):
        return read_url(path, allow_private=allow_private, fetch_pages=fetch_pages)
    p = Path(path)
    if not p.exists():
        raise InputNotFound(f"no such file or folder: {path}")
    if p.is_dir():
        return read_folder(p, allow_private=allow_private, fetch_pages=fetch_pages)
    return read_file(p, allow_private=allow_private, fetch_pages=fetch_pages)
