"""Cheap checks on raw text: does it look binary, and how large is it."""
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
