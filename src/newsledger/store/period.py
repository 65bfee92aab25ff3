"""The days of publication a question is about: `--since` and `--until` of every command (`export`,
`query ...`) and the `since` and `until` of the API, all with one meaning.

Whole days, both ends inclusive: `Period("2024-03-01", "2024-03-14")` holds the articles published
from the first moment of 1 March to the last of 14 March. A day is that of the stored publication
time, which is in UTC (published at 23:30 in New York on 14 March is 03:30 UTC on the 15th: the
15th); an article published with a date only is of that date. Either end may be left open; when
either is given, an article without a publication date that parses is left out. A `since` after
the `until` is refused (ReversedPeriod): such a period holds no day, and answering nothing would
pass a slip of the dates off as an empty store.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Optional, Union

Day = Union[date, str, None]
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class PeriodError(ValueError):
    """A bound that is not a day: `name` is 'since' or 'until', `value` what was given."""

    def __init__(self, name: str, value):
        self.name, self.value = name, value
        super().__init__(self.described())

    def described(self, prefix: str = "") -> str:
        """The message, with the bounds named as `prefix` + since/until ("--" for the options)."""
        shown = self.value if not isinstance(self.value, str) or len(self.value) <= 40 else self.value[:40] + "…"
        return f"{prefix}{self.name} takes a day as YYYY-MM-DD (ISO 8601), not {shown!r}"


class ReversedPeriod(PeriodError):
    """`since` after `until`: no day is in such a period."""

    def __init__(self, since: date, until: date):
        self.since, self.until = since, until
        super().__init__("since", since)

    def described(self, prefix: str = "") -> str:
        return (f"{prefix}since {self.since.isoformat()} is after {prefix}until {self.until.isoformat()}: "
                "no day is in that period")


def _day(name: str, value: Day) -> Optional[date]:
    if value is None:
        return None
    if isinstance(value, datetime):  # a moment counts as its day: periods are whole days
        return value.date()
    if isinstance(value, date):
        return value
    # YYYY-MM-DD only: date.fromisoformat would also take '20240314' and week dates ('2024-W11-4')
    if isinstance(value, str) and _DAY.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:  # '2024-02-30'
            pass
    raise PeriodError(name, value)


@dataclass(frozen=True)
class Period:
    """`since` and `until`: days (a `date`, or a 'YYYY-MM-DD' string, parsed here: PeriodError if it
    is not one), None for an open end; ReversedPeriod (a PeriodError) for a `since` after the
    `until`. The default, Period(), is all time."""
    since: Optional[date] = None
    until: Optional[date] = None

    def __post_init__(self):
        object.__setattr__(self, "since", _day("since", self.since))
        object.__setattr__(self, "until", _day("until", self.until))
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ReversedPeriod(self.since, self.until)

    def __bool__(self) -> bool:
        return self.since is not None or self.until is not None

    def conditions(self, published_at) -> list:
        """WHERE clauses on a timestamp column (naive UTC): from the start of `since` to the start of
        the day after `until`, that one excluded, so that the whole of `until` is in."""
        out = []
        if self.since is not None:
            out.append(published_at >= datetime.combine(self.since, time.min))
        if self.until is not None and self.until < date.max:  # the last day has no day after it
            out.append(published_at < datetime.combine(self.until + timedelta(days=1), time.min))
        return out


ALL_TIME = Period()
