"""WARC files (plain or gzipped, as Common Crawl's CC-NEWS ships them) to article-v1 records.

Each `response` record with a successful HTTP status and an HTML payload is one article: id = its
WARC-Record-ID (without the angle brackets), url = its WARC-Target-URI, html = the payload decoded
with the charset of the HTTP headers (else as HTML files are). Text, title, author and publication
time come from the page later, as for any HTML. Other records (warcinfo, request, metadata,
revisits, redirects, PDFs, images) are skipped. A damaged file (truncated, corrupt) yields the
records before the damage, then one InvalidWARC error record.

Each block of headers (a record's WARC headers, its HTTP headers) is bounded before warcio parses it:
at most MAX_HEADER_BYTES bytes and MAX_HEADER_LINES lines (warcio joins folded header lines in
quadratic time: 4 MB of them took 35 s). A record over either bound is a TooLarge error record; as
its length is not known, the records after it in that file are not read (the run goes on with the
next input).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Union

from ..ledger import Article, ErrorInfo, ErrorRecord
from .errors import INVALID_WARC, TOO_LARGE, UNREADABLE
from .textcheck import replace_surrogates
from .fetch import parse_content_type
from .readers import MAX_HTML_FILE_BYTES, decode_html

Item = Union[Article, ErrorRecord]

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_RECORD_BYTES = MAX_HTML_FILE_BYTES  # the bound of an HTML file, for each record's payload
CHUNK = 64 * 1024
MAX_HEADER_BYTES = 1024 * 1024  # a block of headers (WARC or HTTP): a long URL is some kilobytes
MAX_HEADER_LINES = 1000


class HeadersTooLarge(Exception):
    """A block of headers over MAX_HEADER_BYTES or MAX_HEADER_LINES."""


class _BoundedLines:
    """warcio's reader, its readline bounded: consecutive lines read with readline() (a block of
    headers; a blank line or a read() ends it) may add up to `max_bytes` bytes and `max_lines`
    lines, else HeadersTooLarge, and a line is never read whole past that bound. Everything else
    goes to the reader itself."""

    def __init__(self, reader, max_bytes: int, max_lines: int):
        self._reader, self._max_bytes, self._max_lines = reader, max_bytes, max_lines
        self._bytes = self._lines = 0

    def __getattr__(self, name):
        return getattr(self._reader, name)

    def read(self, *args, **kwargs):
        self._bytes = self._lines = 0
        return self._reader.read(*args, **kwargs)

    def readline(self, length=None):
        room = self._max_bytes - self._bytes
        want = room + 1 if length is None or length < 0 else min(length, room + 1)
        pieces, n = [], 0
        while n < want:  # warcio's readline(length) may stop short of a newline at a buffer's end
            piece = self._reader.readline(want - n)
            if not piece:
                break
            pieces.append(piece)
            n += len(piece)
            if piece.endswith(b"\n"):
                break
        line = b"".join(pieces)
        if not line.strip():
            self._bytes = self._lines = 0
            return line
        self._bytes += n
        self._lines += 1
        if self._bytes > self._max_bytes:
            raise HeadersTooLarge(f"headers over {self._max_bytes:,} bytes")
        if self._lines > self._max_lines:
            raise HeadersTooLarge(f"over {self._max_lines:,} header lines")
        return line


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_warc(path: Path, max_record_bytes: int = MAX_RECORD_BYTES, max_header_bytes: int = MAX_HEADER_BYTES,
              max_header_lines: int = MAX_HEADER_LINES) -> Iterator[Item]:
    _ArchiveIterator = _archive_iterator_class()
    where = replace_surrogates(str(path))
    try:
        raw = open(path, "rb")
    except OSError as exc:
        yield ErrorRecord(id=where, error=ErrorInfo(type=UNREADABLE, message=(
            f"cannot read {where}: {exc.strerror or exc}")))
        return
    n = 0  # records read whole
    with raw:
        try:
            iterator = _ArchiveIterator(raw)
            iterator.reader = _BoundedLines(iterator.reader, max_header_bytes, max_header_lines)
            for record in iterator:
                item = None
                if record.rec_type == "response" and record.http_headers is not None:
                    item = _article(record, where, n + 1, max_record_bytes)
                _check_whole(record)
                n += 1
                if item is not None:
                    yield item
            if iterator.gzip_cut_short:
                raise EOFError("the file ends inside a gzip member")
            # A file cut inside a record's headers ends the iteration quietly: bytes after the last
            # whole record (beyond the blank lines that close it) are what is left of that record.
            if n and not iterator.gzipped and \
                    raw.tell() - (iterator.get_record_offset() + iterator.get_record_length()) > 4:
                raise EOFError("the file ends inside a record's headers")
        except HeadersTooLarge as exc:
            yield ErrorRecord(id=f"{where}#{n + 1}", error=ErrorInfo(type=TOO_LARGE, message=(
                f"record {n + 1} of {where}: {exc}, not read; the records after it in this file are "
                "not read either")))
        except Exception as exc:  # noqa: BLE001 - warcio's ArchiveLoadFailed, zlib, EOF and gzip errors on damage
            yield ErrorRecord(id=where, error=ErrorInfo(type=INVALID_WARC, message=(
                f"{where} is damaged after {n} record(s): {type(exc).__name__}: {exc}; the records "
                "before the damage were read")))


def _archive_iterator_class():
    from warcio.archiveiterator import ArchiveIterator

    class _Iterator(ArchiveIterator):
        """warcio's iterator, telling whether the file ended inside a gzip member (which warcio
        takes quietly for the end of the file)."""
        gzipped = False
        gzip_cut_short = False

        def close(self):
            decompressor = getattr(self.reader, "decompressor", None) if self.reader else None
            if decompressor is not None:
                self.gzipped = True
                self.gzip_cut_short = not decompressor.eof
            super().close()

    return _Iterator


def _check_whole(record) -> None:
    """Read what is left of the record; EOFError if the file ends before the record's length."""
    while record.raw_stream.read(CHUNK):
        pass
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise EOFError(f"record {record.rec_headers.get_header('WARC-Record-ID')} is cut short")


def _article(record, where: str, n: int, max_record_bytes: int) -> Item | None:
    """The record's article, an error record for an oversized page, or None for a record skipped."""
    status = record.http_headers.get_statuscode() or ""
    media, charset = parse_content_type(record.http_headers.get_header("Content-Type"))
    if not status.startswith("2") or media not in HTML_TYPES:
        return None
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<> ") or f"{where}#{n}"
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    payload = record.content_stream().read(max_record_bytes + 1)
    if len(payload) > max_record_bytes:
        return ErrorRecord(id=record_id, error=ErrorInfo(type=TOO_LARGE, message=(
            f"record {record_id} of {where}: HTML payload over {max_record_bytes:,} bytes")))
    return Article(id=record_id, html=decode_html(payload, charset), url=url)
