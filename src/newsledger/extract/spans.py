"""Sets of character ranges looked up by position (bisection), shared by the extractors: a scan of
every range kept for every new one makes a text full of matches (cues, dates) quadratic."""
from __future__ import annotations

import bisect
import itertools
from typing import Iterator, Sequence


class Covered:
    """The union of character ranges added one by one, kept as sorted disjoint ranges: whether an
    offset is covered and which ranges meet a span are looked up by bisection, not by a scan of
    every range added (resolve_overlaps adds a few per candidate, and a text with thousands of cues
    made that scan quadratic). Empty ranges are never added."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, s: int, e: int) -> None:
        if e <= s:
            return
        i = bisect.bisect_left(self.ends, s)        # the first range that ends at or after s
        j = bisect.bisect_right(self.starts, e)     # the ranges before j start at or before e
        if i < j:  # merge with the ranges it meets or touches
            s, e = min(s, self.starts[i]), max(e, self.ends[j - 1])
        self.starts[i:j] = [s]
        self.ends[i:j] = [e]

    def covers(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]

    def meets(self, s: int, e: int) -> bool:
        """Does any range added overlap [s, e)? (The union has the points of the ranges added, so
        this is whether one of them does.)"""
        i = bisect.bisect_right(self.ends, s)       # the first range that ends after s
        return i < len(self.starts) and self.starts[i] < e

    def meeting(self, s: int, e: int) -> list[tuple[int, int]]:
        """The ranges that overlap [s, e), in order."""
        i = bisect.bisect_right(self.ends, s)
        out = []
        while i < len(self.starts) and self.starts[i] < e:
            out.append((self.starts[i], self.ends[i]))
            i += 1
        return out


class ByStart:
    """Ranges (start, end, ...) sorted by start, with the furthest end reached up to each: the
    ranges that may overlap a span are read from the first one that reaches past its start, not
    from the first range of the text."""

    def __init__(self, ranges: Sequence[tuple]):
        self.ranges = list(ranges)  # sorted by start already: their order is the caller's
        self.starts = [r[0] for r in self.ranges]
        self.reach = list(itertools.accumulate((r[1] for r in self.ranges), max))

    def from_reaching(self, s: int) -> Iterator[tuple]:
        """The ranges in order from the first that ends after `s` (every one before it ends at or
        before `s`); the caller stops where they start too late."""
        return self._from(bisect.bisect_right(self.reach, s))

    def from_start(self, s: int) -> Iterator[tuple]:
        """The ranges in order from the first that starts at or after `s`."""
        return self._from(bisect.bisect_left(self.starts, s))

    def _from(self, i: int) -> Iterator[tuple]:
        # by index: islice would step through the ranges before i one by one
        return (self.ranges[k] for k in range(i, len(self.ranges)))
