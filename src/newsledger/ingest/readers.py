"""Paths to article-v1 records: JSON Lines, plain text, HTML, feeds, WARC files, folders of them,
standard input and URLs (through the guarded fetcher, ingest.fetch).

Every reader yields `Article` or, for a record or file that cannot be read, an `ErrorRecord` in its
place, so one bad line never stops a batch. Only a local path that does not exist raises (InputNotFound).
"""
from __future__ import annotations

import gzip
import itertools
import json
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Optional, Union

from ..ledger import Article, ErrorInfo, ErrorRecord
from .errors import (BINARY_INPUT, EMPTY_TEXT, INVALID_FEED, INVALID_JSON, INVALID_RECORD, INVALID_UTF8, MISSING_ID,
                     MISSING_TEXT, TOO_LARGE, UNREADABLE, InputError, InputNotFound)
from . import textcheck
from .textcheck import (MAX_CHARS, MAX_JSON_DEPTH, bytes_look_binary, json_too_deep, replace_surrogates,
                        utf16_kind, utf16_message)

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
    """An error record; lone surrogates (a file name that is not UTF-8) become U+FFFD so that it can
    be written."""
    return ErrorRecord(id=None if article_id is None else replace_surrogates(article_id),
                       error=ErrorInfo(type=kind, message=replace_surrogates(message)))


# ---------------------------------------------------------------- JSON Lines

def article_from_json(obj: object) -> Article:
    """An article-v1 record from a decoded JSON value, or InputError naming what is wrong.

    Lone surrogates that JSON escapes give ("\\udfff") are replaced by U+FFFD in every field: they
    cannot be encoded as UTF-8, and one replacement character for each keeps text offsets as they are.
    """
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
    fields = {k: replace_surrogates(obj[k]) for k in STRING_FIELDS if obj.get(k) is not None}
    return Article(id=replace_surrogates(article_id), **fields)


def _record_id(obj: object) -> Optional[str]:
    if isinstance(obj, dict):
        value = obj.get("id")
        if isinstance(value, str) and value:
            return replace_surrogates(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return None


class Overlong:
    """A line over the bound, read in pieces and dropped: only its size is kept."""

    def __init__(self, n_bytes: int, limit: int):
        self.n_bytes, self.limit = n_bytes, limit


def bounded_lines(f: BinaryIO, limit: Optional[int] = None) -> Iterator[Union[bytes, Overlong]]:
    """The lines of `f` (bytes, newline kept), each read with readline(limit): a line of `limit`
    bytes or more (textcheck.MAX_LINE_BYTES by default) is never held whole; the rest of it is
    skipped in pieces and an Overlong stands in its place."""
    limit = limit or textcheck.MAX_LINE_BYTES
    while True:
        line = f.readline(limit)
        if not line:
            return
        if len(line) < limit or line.endswith(b"\n"):
            yield line
            continue
        n = len(line)
        del line
        yield _skip_rest(f, n, limit)


def _skip_rest(f: BinaryIO, n: int, limit: int) -> Overlong:
    """Read what is left of an overlong line (`n` bytes of it read so far) in pieces, and drop it."""
    while True:
        rest = f.readline(min(limit, 1 << 20))
        n += len(rest)
        if not rest or rest.endswith(b"\n"):
            return Overlong(n, limit)


def parse_jsonl_lines(lines: Iterable[Union[bytes, Overlong]], where: str = "") -> Iterator[Item]:
    """Articles from JSON Lines (bytes, one record a line, or an Overlong from bounded_lines); blank
    lines are skipped.

    A bad line becomes an ErrorRecord whose id is the record's id if it could be read, else
    'line:N' (N counts from 1); its message names the line and `where` (the file) it is in. Input
    that is UTF-16 (seen on its first line) is one error record, and nothing more is read of it.
    """
    of = f" of {where}" if where else ""
    first = True
    for n, raw in enumerate(lines, 1):
        line_id = f"line:{n}"
        if isinstance(raw, Overlong):
            yield error(line_id, TOO_LARGE, f"line {n}{of} is over {raw.limit - 1:,} bytes ({raw.n_bytes:,}): "
                        "too large for one record, skipped")
            first = False
            continue
        if not raw.strip():
            continue
        if first and (kind := utf16_kind(raw)):
            yield error(where or line_id, INVALID_UTF8, utf16_message(where or "the input", kind))
            return
        first = False
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield error(line_id, INVALID_UTF8,
                        f"line {n}{of} is not valid UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        try:
            if json_too_deep(raw):
                raise RecursionError
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield error(line_id, INVALID_JSON,
                        f"line {n}{of} is not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            yield error(line_id, INVALID_JSON,
                        f"line {n}{of} is not read: JSON nested deeper than {MAX_JSON_DEPTH} levels")
            continue
        try:
            yield article_from_json(obj)
        except InputError as exc:
            yield error(_record_id(obj) or line_id, exc.kind, f"line {n}{of}: {exc}")


def read_jsonl(path: Path) -> Iterator[Item]:
    """The records of a JSON Lines file, its lines read in bounded pieces; a file without one record
    (empty, or only blank lines) is one EmptyText error record."""
    n = 0
    try:
        with _open_binary(path) as f:
            for item in parse_jsonl_lines(bounded_lines(f), where=str(path)):
                n += 1
                yield item
    except (OSError, EOFError) as exc:
        n += 1
        yield error(str(path), UNREADABLE, f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}")
    if n == 0:
        yield error(str(path), EMPTY_TEXT, f"{path} holds no records: it is empty or all blank lines")


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
    """UTF-8 text, byte for byte (no newline translation); InputError for binary or non-UTF-8 data
    (UTF-16 named as such)."""
    if kind := utf16_kind(data):
        raise InputError(utf16_message(what, kind), kind=INVALID_UTF8)
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
    article_id = replace_surrogates(article_id or _stem(path))
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
    article_id = replace_surrogates(article_id or _stem(path))
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
    try:
        yield from read_feed(data, str(path), fetch_pages=fetch_pages, allow_private=allow_private)
    except UnicodeError as exc:  # feedparser on a character reference to a lone surrogate (&#xDFFF;)
        yield error(str(path), INVALID_FEED, f"{path} cannot be parsed as a feed: {exc}")


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


_SPECIAL = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
            (stat.S_ISSOCK, "socket"))


def folder_entries(folder: Path) -> list[tuple[Path, Optional[ErrorRecord]]]:
    """The files readers know under `folder` (.txt, .html, .htm, .jsonl, .ndjson, .rss, .atom, .xml
    that look like feeds, .warc, and .gz of them), recursively, sorted, each with None, or with an
    Unreadable error record for what cannot be read: a subfolder that cannot be listed, a file that
    cannot be stat'ed, a special file (FIFO, device, socket: never opened, so never a hang). Hidden
    files and folders are left out."""
    found: list[tuple[Path, Optional[ErrorRecord]]] = []

    def unlistable(exc: OSError) -> None:
        name = exc.filename or folder
        found.append((Path(name), error(str(name), UNREADABLE,
                                        f"cannot read folder {name}: {exc.strerror or exc}")))

    for root, dirs, files in os.walk(folder, onerror=unlistable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            p = Path(root) / name
            suffix = _base_suffix(p)
            if name.startswith(".") or suffix not in SUFFIXES:
                continue
            try:
                mode = os.stat(p).st_mode
            except OSError as exc:
                found.append((p, error(str(p), UNREADABLE, f"cannot read {p}: {exc.strerror or exc}")))
                continue
            if not stat.S_ISREG(mode):
                what = next((label for test, label in _SPECIAL if test(mode)), "special file")
                found.append((p, error(str(p), UNREADABLE, f"{p} is a {what}, not a regular file: not read")))
                continue
            if suffix not in XML_SUFFIXES or _is_feed_file(p):
                found.append((p, None))
    return sorted(found, key=lambda entry: entry[0].relative_to(folder).as_posix())


def folder_files(folder: Path) -> list[Path]:
    """The regular files of folder_entries, those that can be opened without a hang."""
    return [p for p, problem in folder_entries(folder) if problem is None]


def read_folder(folder: Path, allow_private: bool = False, fetch_pages: bool = True) -> Iterator[Item]:
    for path, problem in folder_entries(folder):
        if problem is not None:
            yield problem
            continue
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
            if json_too_deep(raw):
                return True  # JSON Lines, whose first record is an InvalidJSON error
            try:
                return isinstance(json.loads(raw), dict)
            except (ValueError, RecursionError):
                return False
    return False


def read_stdin(stream: Optional[BinaryIO] = None) -> Iterator[Item]:
    """JSON Lines if the first line is a JSON object, else all of stdin as one article, id 'stdin'.

    Read in bounded pieces, never whole: JSON Lines a line at a time (bounded_lines), plain text up to
    MAX_FILE_BYTES."""
    stream = stream if stream is not None else sys.stdin.buffer
    limit = textcheck.MAX_LINE_BYTES
    head: list[bytes] = []  # blank lines before the first one with something on it
    size = 0
    first: Union[bytes, Overlong, None] = None
    while size < MAX_FILE_BYTES:
        line = stream.readline(MAX_FILE_BYTES)  # plain text is never longer
        if not line:
            break
        if line.strip():
            first = line
            if not line.endswith(b"\n") and line.lstrip().startswith(b"{"):  # a long JSON record?
                first += stream.readline(limit - len(line))
            break
        head.append(line)
        size += len(line)
    overlong = first is not None and len(first) >= limit and not first.endswith(b"\n")
    if first is not None and (looks_like_jsonl(first) or overlong and first.lstrip().startswith(b"{")):
        if overlong:  # JSON Lines whose first record is too large: skip the rest of it
            first = _skip_rest(stream, len(first), limit)
        yield from parse_jsonl_lines(itertools.chain(head, [first], bounded_lines(stream)),
                                     where="standard input")
        return
    data = b"".join(head) + (first or b"")  # plain text: the rest read up to the bound, never past it
    if first is not None and len(data) < MAX_FILE_BYTES:
        data += stream.read(MAX_FILE_BYTES - len(data))
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
        try:
            parsed = parse_feed(fetched.body, fetched.url)
        except UnicodeError as exc:  # feedparser on a character reference to a lone surrogate
            yield error(url, INVALID_FEED, f"{url} cannot be parsed as a feed: {exc}")
            return
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
