"""Quotation spans over raw text: straight, curly, guillemets and doubled single quotes ('' ... ''),
and single quotes ('...', ‘...’) when they open at a word's start and close in their paragraph.

A paragraph is a line (news text often puts one paragraph on a line, without a blank line between).
A quote that does not close in its paragraph goes on when the next paragraph opens with a quote
mark again (the newspaper convention). Unbalanced marks never raise: an opening mark
that never closes ends its quote at the end of its paragraph; a paragraph that starts with a
closing mark (”) and closes it again opens a quotation there.

The one quotation detector of the package: the extractors ask a `QuoteIndex` over characters, and
the entity walk asks `token_mask` over tokens. Single guillemets (‹...›) are not detected (the
single-quote path reads ’ and ' as closers); they are all but absent from English news.
"""
from __future__ import annotations

import bisect
import itertools
import re
from typing import Iterable, Iterator

from . import marks as M

OPEN = M.DOUBLE_PAIRS
_SINGLES = (M.LEFT_SINGLE, M.STRAIGHT_SINGLE, M.RIGHT_SINGLE)  # the single marks read here (no ‹ ›)
_MARK = re.compile(re.escape(M.DOUBLED_SINGLE) + "|" + re.escape(M.BACKTICKS) + "|["
                   + re.escape(M.DOUBLE_QUOTES + "".join(_SINGLES)) + "]")
# what a single quotation mark may follow to open a quotation (else it is an apostrophe)
_SINGLE_OPEN_AFTER = set(" \t\n([{/" + M.LEFT_DOUBLE + M.STRAIGHT_DOUBLE + M.EM_DASH + M.EN_DASH + M.HYPHEN_MINUS)
_CLOSE_ONLY = (M.RIGHT_DOUBLE, M.RIGHT_GUILLEMET)  # closing marks that never open (but see the slip)
_PARA = re.compile(r"[ \t]*(?:\r?\n|\r)\s*")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _PARA.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _quotes_in(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed quotes in text[start:end], and the offset of a quote left open at the end (or None)."""
    quotes: list[tuple[int, int]] = []
    open_at: int | None = None
    closer = None
    skip_to = start
    for m in _MARK.finditer(text, start, end):
        mark = m.group()
        if m.start() < skip_to:
            continue
        if mark in _SINGLES:
            if open_at is None and mark != M.RIGHT_SINGLE:
                close = _single_closer(text, m.start(), end)
                if close is not None:
                    quotes.append((m.start(), close))
                    skip_to = close
            continue
        if open_at is None:
            if mark == M.RIGHT_DOUBLE and _opens_paragraph_by_slip(text, start, m.start(), end):
                open_at, closer = m.start(), M.RIGHT_DOUBLE
            elif mark in OPEN and mark not in _CLOSE_ONLY:
                # A straight quote right after a letter is a closing/stray mark, not an opener.
                if mark == M.STRAIGHT_DOUBLE and m.start() > start and text[m.start() - 1].isalnum():
                    continue
                open_at, closer = m.start(), OPEN[mark]
        else:
            if mark == closer or {closer, mark} == {M.STRAIGHT_DOUBLE, M.RIGHT_DOUBLE}:
                quotes.append((open_at, m.end()))
                open_at = None
            elif mark in (M.LEFT_DOUBLE, M.LEFT_GUILLEMET) and closer in _CLOSE_ONLY:
                if not text[m.end():end].strip():
                    # an opening mark typed for the closing one, last in its paragraph: it closes
                    quotes.append((open_at, m.end()))
                    open_at = None
                else:
                    # a new opener before the close: the earlier one was stray
                    open_at, closer = m.start(), OPEN[mark]
    return quotes, open_at


def _opens_paragraph_by_slip(text: str, start: int, i: int, end: int) -> bool:
    """A closing mark typed for the opening one ('”We are afraid.” ― Karen Bobadilla'): it starts
    its paragraph, a word follows it at once, and the next mark in the paragraph is its closer."""
    if text[start:i].strip() or i + 1 >= end or not text[i + 1].isalnum():
        return False
    nxt = _MARK.search(text, i + 1, end)
    while nxt is not None and nxt.group() in _SINGLES:  # apostrophes and inner quotes
        nxt = _MARK.search(text, nxt.end(), end)
    return nxt is not None and nxt.group() == M.RIGHT_DOUBLE


def _single_closer(text: str, i: int, end: int) -> int | None:
    """The end of a single-quoted quotation opening at i ('...' or ‘...’), or None when the mark
    is an apostrophe ('90s, 'n') or never closes in its paragraph."""
    if i > 0 and text[i - 1] not in _SINGLE_OPEN_AFTER:
        return None
    if i + 1 >= end or not text[i + 1].isalnum():
        return None
    for j in range(i + 2, end):
        ch = text[j]
        if ch in M.APOSTROPHES and not text[j - 1].isspace() and (j + 1 >= end or not text[j + 1].isalnum()):
            if j - i < 4:
                return None  # 'n', 'em: too short to be a quotation
            return j + 1
    return None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty paragraph, end excluding trailing spaces."""
    return [(s, e) for s, e in _paragraphs(text) if e > s]


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations, marks included, in order, not overlapping."""
    out: list[tuple[int, int]] = []
    carry: int | None = None  # start of a quote still open from an earlier paragraph
    _last_end = 0  # end of the previous paragraph
    for p_start, p_end in _paragraphs(text):
        body = text[p_start:p_end]
        lead = len(body) - len(body.lstrip())
        opens_with_mark = bool(_MARK.match(body, lead))
        if carry is not None and not opens_with_mark:
            # the quote did not go on: close it at the end of the previous paragraph
            out.append((carry, _last_end))
            carry = None
        quotes, open_at = _quotes_in(text, p_start, p_end)
        if carry is not None:
            # this paragraph's first mark re-opens the carried quote
            if quotes and quotes[0][0] == p_start + lead:
                out.append((carry, quotes[0][1]))
                quotes = quotes[1:]
                carry = None
            elif open_at == p_start + lead and not quotes:
                open_at = carry  # still going on
            else:
                out.append((carry, _last_end))
                carry = None
        out.extend(quotes)
        if open_at is not None and carry is None:
            carry = open_at  # goes on if the next paragraph opens with a quote mark
        _last_end = p_start + len(body.rstrip())
    if carry is not None:
        out.append((carry, _last_end))
    out.sort()
    return out


class QuoteIndex:
    """Which quote, if any, holds a character offset."""

    def __init__(self, text: str):
        self.text = text
        self.spans = find_quotes(text)
        self._starts = [s for s, _ in self.spans]
        self._reach = list(itertools.accumulate((e for _, e in self.spans), max))  # furthest end so far
        self.paragraphs = paragraphs(text)
        self._para_starts = [s for s, _ in self.paragraphs]
        self._alnum: list[int] | None = None

    def paragraph(self, offset: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self._para_starts, offset) - 1, 0)
        return self.paragraphs[i] if self.paragraphs else (0, len(self.text))

    def following(self, end: int, limit: int) -> list[tuple[int, int]]:
        """Quotes that start after `end` and before `limit`, in order."""
        return list(self.iter_following(end, limit))

    def iter_following(self, end: int, limit: int) -> Iterator[tuple[int, int]]:
        """`following`, one at a time: a caller that stops at the first reads no further."""
        i = bisect.bisect_left(self._starts, end)
        while i < len(self.spans) and self.spans[i][0] < limit:
            yield self.spans[i]
            i += 1

    def first_following(self, end: int, limit: int) -> tuple[int, int] | None:
        """The first of `following`, or None."""
        return next(self.iter_following(end, limit), None)

    def near(self, lo: int, hi: int, gap: int) -> list[tuple[int, int]]:
        """Quotes that end within `gap` characters before `lo` (in [lo - gap, lo]) or start within
        `gap` after `hi` (in [hi, hi + gap]), in order; by bisection, not a scan of every quote."""
        i = bisect.bisect_left(self._reach, lo - gap)  # the quotes before i all end before lo - gap
        before = []
        while i < len(self.spans) and self.spans[i][0] < lo:
            if lo - gap <= self.spans[i][1] <= lo:
                before.append(self.spans[i])
            i += 1
        i = bisect.bisect_left(self._starts, hi)
        after = []
        while i < len(self.spans) and self.spans[i][0] <= hi + gap:
            after.append(self.spans[i])
            i += 1
        return before + after  # in order: the first end by lo, the others start at hi or after

    def at(self, offset: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.spans[i][0] <= offset < self.spans[i][1]:
            return self.spans[i]
        return None

    def any_between(self, start: int, end: int) -> bool:
        """Does a quotation overlap [start, end)?"""
        i = bisect.bisect_left(self._starts, end) - 1
        return i >= 0 and self.spans[i][1] > start

    def inside(self, offset: int) -> bool:
        q = self.at(offset)
        return q is not None and q[0] < offset < q[1] - 1

    def alnum_count(self, start: int, end: int) -> int:
        """How many letters and digits text[start:end] holds (prefix sums, built on first use)."""
        if end <= start:
            return 0
        if self._alnum is None:
            self._alnum = list(itertools.accumulate((ch.isalnum() for ch in self.text), initial=0))
        return self._alnum[end] - self._alnum[start]

    def alnum_inside(self, start: int, end: int) -> int:
        """How many letters and digits of text[start:end] are `inside` a quotation: the offsets
        whose quote (`at`) is quote k are [start_k, start_k+1), of which inside are those strictly
        between its marks."""
        n = 0
        k = max(bisect.bisect_right(self._starts, start) - 1, 0)
        while k < len(self.spans) and self.spans[k][0] < end:
            qs, qe = self.spans[k]
            nxt = self._starts[k + 1] if k + 1 < len(self.spans) else len(self.text)
            n += self.alnum_count(max(start, qs + 1), min(end, qe - 1, nxt))
            k += 1
        return n


def token_mask(index: QuoteIndex, tokens: Iterable) -> list[bool]:
    """Per token (anything with `.idx` and `.text`, such as a spaCy Doc): is it inside a quotation
    of `index`, strictly between its outer marks? The outer marks and line breaks are not; the
    marks of a quotation nested in it are (they are part of what is quoted)."""
    out = []
    for tok in tokens:
        t, i = tok.text, tok.idx
        q = index.at(i)
        out.append(q is not None and q[0] < i and i + len(t) < q[1]
                   and not (t.isspace() and ("\n" in t or "\r" in t)))
    return out
