"""TIMEX3 value arithmetic against a publication date (the anchor), for `times.py`.

Every function takes the anchor as a `datetime.date` or None; without an anchor, what needs it stays
underspecified ("XXXX-08", "XXXX-XX-XX"), never today's date.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from dateutil.easter import easter
from dateutil.relativedelta import MO, TH, relativedelta

from ..text import calendar, numbers

# keyed by a name's first three letters ("sept" is looked up as "sep")
MONTHS = {k: n for k, n in calendar.MONTH_NUMBER.items() if len(k) == 3}
WEEKDAYS = calendar.WEEKDAY_NUMBER
SEASONS = calendar.SEASONS
# TIMEX3 unit letters; time units get the "T" designator
UNITS = {"second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W", "weekend": "WE",
         "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "C", "centurie": "C",
         "millennium": "ML", "millennia": "ML", "fortnight": "W"}
TIME_UNITS = {"second", "minute", "hour"}
# counts of a duration: one to nineteen, the tens, "hundred" (no "zero", no larger scale), and the
# articles and quantity words that count one
NUMBER_WORDS = {**{w: n for w, n in numbers.SMALL.items() if n}, **numbers.TENS,
                "hundred": numbers.SCALES["hundred"], "a": 1, "an": 1, "half": 0.5, "a half": 0.5, "single": 1, "dozen": 12, "a dozen": 12,
                "couple": 2, "a couple": 2, "a couple of": 2}
VAGUE_NUMBERS = {"several", "few", "a few", "many", "some", "the past", "recent",
                 "the last", "coming", "the coming", "next", "the next", "past", "last"}
# quarters of a year ("the third quarter"): first to fourth, and the last one
ORDINALS = {**{w: n for w, n in numbers.ORDINALS.items() if n <= 4}, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "final": 4,
            "last": 4}
_SMALLER = {"year": ("month", 12), "month": ("day", 30), "day": ("hour", 24), "hour": ("minute", 60),
            "minute": ("second", 60)}


def parse_anchor(published: Optional[str]) -> Optional[dt.date]:
    """The publication date as a date, or None when it is missing or not an ISO-like date."""
    if not published or not isinstance(published, str):
        return None
    m = re.match(r"\s*(\d{4})-?(\d{2})-?(\d{2})", published)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def number(word: str) -> Optional[float]:
    """A cardinal written in digits or words ("three", "twenty-four", "1,000", "5 1/2"); None if vague."""
    w = word.lower().replace(",", "").strip()
    if w in VAGUE_NUMBERS:
        return None
    if w in NUMBER_WORDS:
        return NUMBER_WORDS[w]
    m = re.fullmatch(r"(\d+)(?:\s+(\d)/(\d))?", w)
    if m:
        n = int(m.group(1))
        return n + int(m.group(2)) / int(m.group(3)) if m.group(2) else n
    try:
        return float(w)
    except ValueError:
        pass
    parts = re.split(r"[- ]", w)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def duration(n: Optional[float], unit: str) -> str:
    """P3Y, PT24H, PXW; a half becomes the next smaller unit where it is whole (P1.5Y stays as is)."""
    unit = unit.lower().rstrip("s") if unit.lower() not in ("centuries",) else "century"
    if unit == "decade" and n is not None:
        n, unit = n * 10, "year"  # TimeBank writes "two decades" as P20Y
    # a fraction goes down a unit where that is whole: 2 1/2 years is P2Y6M, 5 1/2 hours PT5H30M
    if n is not None and not float(n).is_integer() and unit in _SMALLER:
        whole, small, factor = int(n), _SMALLER[unit][0], _SMALLER[unit][1]
        rest = round((n - whole) * factor)
        if float((n - whole) * factor).is_integer():
            head = f"{whole}{UNITS[unit]}" if whole else ""
            if unit in TIME_UNITS:
                return f"PT{head}{rest}{UNITS[small]}"
            return f"P{head}{'T' if small in TIME_UNITS else ''}{rest}{UNITS[small]}"
    letter = UNITS.get(unit, "X")
    amount = "X" if n is None else (str(int(n)) if float(n).is_integer() else str(n))
    if n is not None and n > 10 ** 6:
        amount = "X"
    return ("PT" if unit in TIME_UNITS else "P") + amount + letter


def ymd(d: dt.date) -> str:
    return d.isoformat()


def week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def shift(anchor: Optional[dt.date], n: int, unit: str) -> Optional[dt.date]:
    """anchor moved by n units (negative: back); None when out of the calendar."""
    if anchor is None:
        return None
    unit = unit.rstrip("s")
    try:
        if unit in ("day", "night"):
            return anchor + dt.timedelta(days=n)
        if unit in ("week", "weekend"):
            return anchor + dt.timedelta(weeks=n)
        if unit == "month":
            return anchor + relativedelta(months=n)
        if unit == "quarter":
            return anchor + relativedelta(months=3 * n)
        if unit == "year":
            return anchor + relativedelta(years=n)
        if unit == "decade":
            return anchor + relativedelta(years=10 * n)
        if unit in ("century", "centurie"):
            return anchor + relativedelta(years=100 * n)
    except (OverflowError, ValueError):
        return None
    return None


def at_granularity(d: Optional[dt.date], unit: str) -> str:
    """A date written to the granularity of `unit`: day 1998-08-07, week 1998-W32, month 1998-08, ..."""
    unit = unit.rstrip("s")
    if d is None:
        return {"day": "XXXX-XX-XX", "night": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE",
                "month": "XXXX-XX", "quarter": "XXXX-QX", "decade": "XXX", "century": "XX"}.get(unit, "XXXX")
    if unit in ("day", "night"):
        return ymd(d)
    if unit == "week":
        return week(d)
    if unit == "weekend":
        return week(d) + "-WE"
    if unit == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if unit == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if unit == "decade":
        return f"{d.year // 10:03d}"
    if unit in ("century", "centurie"):
        return f"{d.year // 100:02d}"
    return f"{d.year:04d}"


def year_of_month(anchor: Optional[dt.date], month: int, tense: str) -> str:
    """The year of a bare month name: the past one in a past sentence, the coming one in a future
    sentence, otherwise the closest to the anchor."""
    if anchor is None:
        return "XXXX"
    y = anchor.year
    if tense == "past":
        return str(y if month <= anchor.month else y - 1)
    if tense == "future":
        return str(y if month >= anchor.month else y + 1)
    diff = month - anchor.month
    if diff > 6:
        return str(y - 1)
    if diff < -6:
        return str(y + 1)
    return str(y)


_SEASON_ORDER = ("SP", "SU", "FA", "WI")  # in a year; a winter is named by the year of its December


def _season_index(d: dt.date) -> int:
    """A running number of the season `d` falls in (spring: March to May, summer: June to August,
    fall: September to November, winter: December to February)."""
    if d.month in (1, 2):
        return (d.year - 1) * 4 + 3
    return d.year * 4 + (d.month - 3) // 3


def season(anchor: Optional[dt.date], code: str, tense: str, rel: str = "") -> str:
    """YYYY-SP/SU/FA/WI of a season name. "last spring" is the latest spring before the season the
    anchor is in (in November 2019, 2019-SP; in April 2019, 2018-SP), "next spring" the first after
    it, "this spring" the one of the anchor's year. A bare season ("in the spring") takes its
    tense: a past clause looks back (the latest one begun by the anchor), a future one ahead (the
    first one not yet over), otherwise the closest."""
    if anchor is None:
        return "XXXX-" + code
    now, k = _season_index(anchor), _SEASON_ORDER.index(code)
    before = [i for i in range(now - 4, now) if i % 4 == k][-1]       # latest ended
    after = [i for i in range(now + 1, now + 5) if i % 4 == k][0]     # first to come
    if rel in ("last", "previous", "past"):
        i = before
    elif rel in ("next", "coming"):
        i = after
    elif rel == "this":
        i = anchor.year * 4 + k
    elif now % 4 == k:
        i = now
    elif tense == "past":
        i = before
    elif tense == "future":
        i = after
    else:
        i = min(after, before, key=lambda j: abs(j - now))  # a tie leans ahead ("are due in the spring")
    return f"{i // 4}-{_SEASON_ORDER[i % 4]}"


def weekday(anchor: Optional[dt.date], wd: int, tense: str, offset: int = 0) -> str:
    """The date of a weekday name: the last one before the anchor in a past sentence, the next one in a
    future sentence, the nearest otherwise (leaning to the past); `offset` weeks more ("last Friday": -1, "next Friday": +1)."""
    if anchor is None:
        return "XXXX-WXX-" + str(wd + 1)
    delta = wd - anchor.weekday()
    if offset < 0 or (offset == 0 and tense == "past"):
        if delta > 0:
            delta -= 7
        elif delta == 0 and offset < 0:
            delta = -7
    elif offset > 0 or tense == "future":
        if delta < 0:
            delta += 7
        elif delta == 0 and offset > 0:
            delta = 7
    else:
        # no tense to go by: news mostly reports what happened; only today and tomorrow stay ahead
        if delta > 1:
            delta -= 7
        elif delta < -3:
            delta += 7
    return ymd(anchor + dt.timedelta(days=delta))


def calendar_date(year: Optional[int], month: int, day: Optional[int], anchor: Optional[dt.date],
                  tense: str) -> Optional[str]:
    """YYYY-MM-DD (or YYYY-MM); a missing year comes from the anchor; an impossible day gives None."""
    y = str(year) if year is not None else year_of_month(anchor, month, tense)
    if day is None:
        return f"{y}-{month:02d}"
    if not 1 <= day <= 31:
        return None
    try:
        dt.date(int(y) if y != "XXXX" else 2000, month, day)
    except ValueError:
        return None
    return f"{y}-{month:02d}-{day:02d}"


def _holiday_date(name: str, year: int) -> dt.date:
    name = name.lower()
    fixed = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
             "new year's eve": (12, 31), "independence day": (7, 4), "halloween": (10, 31),
             "valentine's day": (2, 14)}
    if name in fixed:
        return dt.date(year, *fixed[name])
    if name.startswith("thanksgiving"):  # the fourth Thursday of November
        return dt.date(year, 11, 1) + relativedelta(weekday=TH(4))
    if name.startswith("easter"):
        return easter(year)
    if name == "election day":  # the Tuesday after the first Monday of November
        return dt.date(year, 11, 1) + relativedelta(weekday=MO(1)) + dt.timedelta(days=1)
    if name == "labor day":
        return dt.date(year, 9, 1) + relativedelta(weekday=MO(1))
    return dt.date(year, 5, 31) + relativedelta(weekday=MO(-1))  # Memorial Day


def holiday(name: str, year: Optional[int], anchor: Optional[dt.date], rel: str, tense: str) -> str:
    """The date of a named holiday: of `year` if given; else "last" / "next" one or, by tense, the past or
    coming one (the closest without tense); XXXX-MM-DD-like without an anchor."""
    if year is None and anchor is None:
        return "XXXX-" + _holiday_date(name, 2001).strftime("%m-%d") if not name.lower().startswith(
            ("thanksgiving", "easter", "election", "labor", "memorial")) else "XXXX-XX-XX"
    if year is not None:
        return ymd(_holiday_date(name, year))
    this = _holiday_date(name, anchor.year)
    if rel == "last" or (not rel and tense == "past"):
        return ymd(this if this < anchor else _holiday_date(name, anchor.year - 1))
    if rel == "next" or (not rel and tense == "future"):
        return ymd(this if this >= anchor else _holiday_date(name, anchor.year + 1))
    prev, nxt = _holiday_date(name, anchor.year - 1), _holiday_date(name, anchor.year + 1)
    return ymd(min((prev, this, nxt), key=lambda d: abs((d - anchor).days)))
