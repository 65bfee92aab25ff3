"""A figure's series: what it counts (a measure), in which unit, where. Pure Python, no SQL, no
spaCy: the store calls it on each ledger it writes (store/write.py) and keeps the series' points,
so a series grows as articles arrive.

`series_key(quantity, unit, place)` gives a figure's (measure, unit, place), or None when it joins
no series. The measure is what a reader searches by (the tables in text/measures.py):

1. a state named in the quantity: "people killed", "Palestinians dead", "deaths" -> "killed";
   "wounded" -> "injured"; ... (whatever the counted noun: one death toll phrased two ways is one
   series); two states ("killed and injured") -> "casualties";
2. else a head that is its own measure: "troops deployed", "soldiers" -> "troops"; "jobs cut" ->
   "jobs lost";
3. else the quantity's words, plurals made singular ("teachers registered" -> "teacher registered",
   "heart transplants" -> "heart transplant"), unless they are all generic ("people", "one",
   "years", "percent"): 15,000 teachers registered and 2.5 million people without power are not
   one series of "people";
4. a quantity that is only a currency's name ("US dollars", what the ledger says of money without a
   noun of its own) takes the noun right after the amount ("a $49 heater", "a $1.2 billion loss")
   or the one it is "of" ("a loss of $1.2 billion"), else joins no series: a $49 heater and a
   $1.2 bn loss are not one series;
5. no quantity: a death toll said just before the number ("the death toll rose to 1,600") is
   "killed"; otherwise no series.

A series is of levels: a figure that is a rise or fall (`change`) joins one only through a noun of
its own, marked as such ("30,000 more troops" -> "troops (rise)"; "a $1.2 billion loss", whose noun
says what it is, -> "loss"), never through a lead ("the toll rose by 200" joins none); a duration or
an age (a unit of time), or a figure with no value, joins none. The unit is the figure's own (a currency, "percent", "km";
none for a count of things). The place is given by the caller (`ledger_points`: the entity whose
mention is the figure's location, by its canonical name; else the article's main place), and is part
of the key in lower case.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from ..ledger import Ledger
from ..text import marks, measures as M

MEASURE_CHARS = 120  # the widths of the store's columns (store/tables.py Series)
PLACE_CHARS = 200
KEY_CHARS = 400
CONTEXT_CHARS = 80  # how far before (and after) a number its sentence is read for a lead or a noun
PLACE_LABELS = ("GPE", "LOC")
CHANGES = {"up": "rise", "down": "fall"}


def _table(groups: dict) -> list[tuple[tuple[str, ...], str]]:
    """(words of a phrase, measure), longest phrase first: "death toll" before "toll"."""
    rows = [(tuple(phrase.split()), measure) for measure, phrases in groups.items() for phrase in phrases]
    return sorted(rows, key=lambda r: -len(r[0]))


_STATES = _table(M.STATES)
_HEADS = _table(M.HEADS)
_LEADS = _table(M.LEAD_PHRASES)
_WORD = re.compile(r"[^\W\d_]+(?:[" + re.escape(marks.APOSTROPHES) + r"-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?]\s|\n")


@dataclass(frozen=True)
class SeriesKey:
    measure: str
    unit: Optional[str]
    place: Optional[str]

    @property
    def key(self) -> str:
        """The stored key: measure, unit and place in lower case, "|" between (one that lower case
        made too long for the column ends in a hash of itself)."""
        key = "|".join((self.measure, (self.unit or "").lower(), (self.place or "").lower()))
        if len(key) > KEY_CHARS:
            key = key[:KEY_CHARS - 17] + "#" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return key


def words(text: Optional[str]) -> list[str]:
    return [w.lower().replace(marks.RIGHT_SINGLE, marks.STRAIGHT_SINGLE) for w in _WORD.findall(text or "")]


def singular(word: str) -> str:
    """A plural's singular by its ending ("casualties" -> "casualty", "boxes" -> "box"), irregular
    plurals from the table; other words as they are."""
    if word in M.IRREGULAR_PLURALS:
        return M.IRREGULAR_PLURALS[word]
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    return word[:-1]


def _find(seq: list[str], table) -> list[tuple[int, str]]:
    """(position, measure) of each phrase of `table` in `seq`, a word used by one phrase at most."""
    used: set[int] = set()
    found = []
    for phrase, measure in table:
        n = len(phrase)
        for i in range(len(seq) - n + 1):
            if tuple(seq[i:i + n]) == phrase and not used & set(range(i, i + n)):
                used.update(range(i, i + n))
                found.append((i, measure))
    return sorted(found)


def measure_of(quantity: Optional[str]) -> Optional[str]:
    """The measure a quantity phrase names (rules 1 to 3 of the module), or None when it is generic."""
    seq = words(quantity)
    if not seq:
        return None
    states = list(dict.fromkeys(m for _, m in _find(seq, _STATES)))
    if len(states) == 1:
        return states[0]
    if len(states) > 1:
        return "casualties" if set(states) <= {"killed", "injured", "casualties"} else " or ".join(states)
    heads = _find(seq, _HEADS)
    if heads:
        head = heads[0][1]
        for state, said in M.HEAD_STATES.get(head, {}).items():
            if any(w in said for w in seq):
                return f"{head} {state}"
        return head
    lemmas = [singular(w) for w in seq]
    while lemmas and lemmas[0] in M.FUNCTION_WORDS:
        lemmas.pop(0)
    if all(w in M.GENERIC or w in M.FUNCTION_WORDS or singular(w) in M.GENERIC for w in lemmas):
        return None
    return " ".join(lemmas)[:MEASURE_CHARS].strip() or None


def _is_money(unit: Optional[str]) -> bool:
    return bool(unit) and (bool(re.fullmatch(r"[A-Z]{3}", unit)) or unit in M.MINOR_CURRENCY_UNITS)


def _only_currency(quantity: Optional[str]) -> bool:
    seq = words(quantity)
    return not seq or seq[-1] in M.CURRENCY_WORDS or seq[-1] in M.MINOR_CURRENCY_UNITS


def _noun_after(after: str) -> Optional[str]:
    """The word right after an amount when it may be what the amount is of ("heater", "loss")."""
    seq = words(after[:CONTEXT_CHARS])
    if not seq or not re.match(r"\s*[-\w]", after) or seq[0] in M.FUNCTION_WORDS or seq[0] in M.CURRENCY_WORDS:
        return None
    return singular(seq[0])


def _noun_before(before: str) -> Optional[str]:
    """The noun an amount is "of" ("a loss of $1.2 billion" -> "loss")."""
    seq = words(before[-CONTEXT_CHARS:])
    if len(seq) >= 2 and seq[-1] == "of" and seq[-2] not in M.FUNCTION_WORDS:
        return singular(seq[-2])
    return None


def series_key(quantity: Optional[str], unit: Optional[str], place: Optional[str], *,
               before: str = "", after: str = "", change: Optional[str] = None,
               value: Optional[float] = 0.0) -> Optional[SeriesKey]:
    """The series a figure belongs to, or None (see the module's rules). `before` and `after`: the
    text of the figure's sentence before and after its span, read only when the quantity does not
    say what is counted."""
    if value is None or (unit and unit.lower() in M.TIME_UNITS):
        return None
    if _is_money(unit) and _only_currency(quantity):
        measure = _noun_after(after) or _noun_before(before)
    elif not words(quantity):
        seq = words(before[-CONTEXT_CHARS:])
        leads = _find(seq, _LEADS)
        measure = leads[-1][1] if leads and not unit and change is None else None
    else:
        measure = measure_of(quantity)
        if measure and change is not None:
            mark = f" ({CHANGES.get(change, change)})"
            measure = measure[:MEASURE_CHARS - len(mark)].rstrip() + mark
    place = " ".join(place.split())[:PLACE_CHARS] if place and place.strip() else None
    if not measure or (place and measure == place.lower()):  # a place is not what is counted
        return None
    return SeriesKey(measure, unit, place)


# ---------------------------------------------------------------- a ledger's points

@dataclass(frozen=True)
class Point:
    """One figure of a ledger in its series: the store adds the ids (figure, article, series)."""
    position: int  # the figure's index in the ledger
    series: SeriesKey
    value: Optional[float]
    value_max: Optional[float]
    approx: str
    source: Optional[str]  # the attribution's source name (a bare pronoun nothing resolved: None)
    outlet: Optional[str]
    date: Optional[date]


def _day(value: Optional[str]) -> Optional[date]:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})(?![\d-])", value or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def main_place(led: Ledger) -> Optional[str]:
    """The article's main place: the place entity with the most mentions (the first named of those)."""
    places = [e for e in led.entities if e.type in PLACE_LABELS and e.mentions]
    if not places:
        return None
    return max(places, key=lambda e: (len(e.mentions), -min(s for s, _ in e.mentions))).name


def _places(led: Ledger) -> dict[str, str]:
    """A place mention's text -> its entity's canonical name ("the US" -> "United States")."""
    out: dict[str, str] = {}
    for e in led.entities:
        if e.type in PLACE_LABELS:
            for s, t in e.mentions:
                out.setdefault(led.text[s:t], e.name)
            out.setdefault(e.name, e.name)
    return out


def _sentence_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the figure's sentence before and after it, at most CONTEXT_CHARS each side."""
    left = text[max(0, start - CONTEXT_CHARS):start]
    cut = list(_SENTENCE_END.finditer(left))
    if cut:
        left = left[cut[-1].end():]
    right = text[end:end + CONTEXT_CHARS]
    stop = _SENTENCE_END.search(right)
    return left, right[:stop.start()] if stop else right


def _figure_day(led: Ledger, fig, published: Optional[date]) -> Optional[date]:
    """The day the figure is of: its own time when that resolves to a day not after publication
    and is not the start of a period ("since October 7"); else the publication day."""
    if fig.time:
        said = [d for d in led.dates if led.text[d.span[0]:d.span[1]] == fig.time]
        said.sort(key=lambda d: abs(d.span[0] - fig.span[0]))
        for d in said[:1]:
            day = _day(d.value)
            lead = words(led.text[max(0, d.span[0] - 12):d.span[0]])
            if day and (published is None or day <= published) and not (lead and lead[-1] in ("since", "from")):
                return day
    return published


def ledger_points(led: Ledger) -> list[Point]:
    """The points a ledger adds to series: one per figure that joins one."""
    if not led.figures:
        return []
    places = _places(led)
    main = main_place(led)
    published = _day(led.published)
    out = []
    for i, fig in enumerate(led.figures):
        place = places.get(fig.location, fig.location) if fig.location else main
        before, after = _sentence_around(led.text, fig.span[0], fig.span[1])
        key = series_key(fig.quantity, fig.unit, place, before=before, after=after, change=fig.change,
                         value=fig.value)
        if key is None:
            continue
        source = None
        if fig.attribution is not None and 0 <= fig.attribution < len(led.attributions):
            src = led.attributions[fig.attribution].source
            source = src.name if src.resolved is not False and src.name else None
        out.append(Point(position=i, series=key, value=fig.value, value_max=fig.value_max, approx=fig.approx,
                         source=source, outlet=led.outlet, date=_figure_day(led, fig, published)))
    return out


# ---------------------------------------------------------------- sources that disagree

TOLERANCE = 0.10  # values further apart than this (relative to the larger) disagree
OPEN_ABOVE = ("at_least", "more_than")
OPEN_BELOW = ("at_most", "less_than", "up_to")


def _interval(value: float, value_max: Optional[float], approx: str) -> tuple[float, float]:
    """What a figure claims, as an interval: "at least 1,400" is 1,400 and up; "up to 50", 0 to 50."""
    low, high = value, value_max if value_max is not None else value
    if approx in OPEN_ABOVE:
        high = float("inf")
    elif approx in OPEN_BELOW:
        low = min(0.0, low)
    return low, high


def disagree(a: tuple, b: tuple) -> bool:
    """Whether two claims (value, value_max, approx) disagree: their intervals neither overlap nor
    come within TOLERANCE of each other ("at least 1,400" agrees with 1,600; 1,500 with 1,600 does not;
    1,500 with "about 1,450" does)."""
    if a[0] is None or b[0] is None:
        return False
    (lo1, hi1), (lo2, hi2) = _interval(*a), _interval(*b)
    if lo1 <= hi2 and lo2 <= hi1:
        return False
    near, far = (hi1, lo2) if hi1 < lo2 else (hi2, lo1)
    return abs(far - near) > TOLERANCE * max(abs(far), abs(near))


def disagreeing(points: list[tuple], among: Optional[set] = None) -> set:
    """The ids of the points that disagree with a point of another source on the same day. Each
    point is (id, day, source, value, value_max, approx); a point without a source or a day disagrees
    with none. `among`: only the pairs with one of these ids in them (points just added: pairs of
    older points were compared when the later of them came), so that adding a point to a day costs
    that day's points, not their pairs."""
    by_day: dict = {}
    for p in points:
        if p[1] is not None and p[2]:
            by_day.setdefault(p[1], []).append(p)
    found = set()
    for same_day in by_day.values():
        if among is None:
            pairs = ((p, q) for i, p in enumerate(same_day) for q in same_day[i + 1:])
        else:  # each new point with every other one, a pair of two new points once
            pairs = ((p, q) for p in same_day if p[0] in among for q in same_day
                     if q[0] not in among or (q[0] != p[0] and str(q[0]) > str(p[0])))
        for p, q in pairs:
            if p[2].casefold() != q[2].casefold() and disagree(p[3:6], q[3:6]):
                found.update((p[0], q[0]))
    return found
