"""Cheap checks on raw text: does it look binary or UTF-16, how large is it, how deep does its JSON nest,
and its lone surrogates replaced."""
from __future__ import annotations

import re

from .errors import BINARY_INPUT, TOO_LARGE, InputError

# Default bound on an article's text, in characters (code points). A long feature runs ~30,000.
MAX_CHARS = 1_000_000
# Share of control characters (other than tab, newlines, form feed) above which text is not text.
MAX_CONTROL_SHARE = 0.05
SAMPLE_CHARS = 100_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def looks_binary(text: str) -> bool:
    """NUL characters, or a high share of control characters in the first SAMPLE_CHARS."""
    if "\x00" in text:
        return True
    sample = text[:SAMPLE_CHARS]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) / len(sample) > MAX_CONTROL_SHARE


def bytes_look_binary(data: bytes) -> bool:
    if b"\x00" in data[:SAMPLE_CHARS * 4]:
        return True
    return looks_binary(data[:SAMPLE_CHARS].decode("utf-8", errors="replace"))


def check_not_binary(text: str, what: str = "input") -> None:
    if looks_binary(text):
        raise InputError(f"{what} looks like binary data (NUL bytes or control characters), not text",
                         kind=BINARY_INPUT)


def check_size(n_chars: int, max_chars: int = MAX_CHARS, what: str = "text") -> None:
    if n_chars > max_chars:
        raise InputError(f"{what} has {n_chars:,} characters, over the limit of {max_chars:,}",
                         kind=TOO_LARGE)


# ---------------------------------------------------------------- poison in decoded JSON, and bounds on raw input

# A JSON string may escape a lone UTF-16 surrogate ("\udfff"): json.loads gives a str that cannot be
# encoded as UTF-8 (nor written, nor stored). Each one is replaced by U+FFFD, one code point for one,
# so character offsets into the text stay as they were.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def replace_surrogates(text: str) -> str:
    """`text` with every surrogate code point (lone, as JSON escapes and surrogateescape'd file names
    give them) replaced by U+FFFD; `text` itself when it has none."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(REPLACEMENT, text)


# JSON nested deeper than this is refused before json.loads, which recurses once a level (100,000
# '[' raise RecursionError). article-v1 is a flat object: 2 levels are all it needs.
MAX_JSON_DEPTH = 100
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_too_deep(data: bytes, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """Does the JSON text `data` nest arrays and objects deeper than `max_depth`? (Brackets inside
    strings do not count.) Linear in len(data); a line with few brackets is answered at once."""
    if data.count(b"[") + data.count(b"{") <= max_depth:
        return False
    depth = 0
    for m in _BRACKETS.finditer(_JSON_STRING.sub(b'""', data)):
        if m.group() in b"[{":
            depth += 1
            if depth > max_depth:
                return True
        else:
            depth -= 1
    return False


# A JSON Lines line is read in pieces of at most MAX_LINE_BYTES; a longer line is TooLarge, and the
# rest of it skipped unread into memory. The bound leaves room for a record at the other limits: a
# text of MAX_CHARS characters however escaped (12 bytes for an astral character as two \\u escapes)
# and an HTML page of 40,000,000 bytes (ingest.readers.MAX_HTML_FILE_BYTES).
MAX_LINE_BYTES = 64 * 1024 * 1024


def utf16_kind(data: bytes) -> str | None:
    """'UTF-16LE' or 'UTF-16BE' when `data` (the start of a file) looks like UTF-16 text: a byte order
    mark, or NUL bytes at every other position of mostly ASCII text; else None."""
    if data.startswith(b"\xff\xfe") and not data.startswith(b"\xff\xfe\x00\x00"):
        return "UTF-16LE"
    if data.startswith(b"\xfe\xff"):
        return "UTF-16BE"
    sample = data[:4096]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "UTF-16LE"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "UTF-16BE"
    return None


def utf16_message(what: str, kind: str) -> str:
    return f"{what} is {kind} text: save it as UTF-8"
