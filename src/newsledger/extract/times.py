"""Time expressions: detection and TIMEX3 normalization against the publication date
(ledger-v1 `dates`). A pure function of a parsed Doc and the publication date.

Detection is a set of precompiled patterns over the text, following what TimeBank annotates
(TimeML / TempEval-3 conventions); the parse only supplies the tense that places a bare weekday or
month before or after the publication date. The value arithmetic is in `timex_values.py`.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import Optional

from ..ledger import TimeExpression
from . import doc_text
from . import timex_values as tv
from ..text import calendar, numbers
from .spans import Covered


def _alt(words) -> str:
    return "(?:" + "|".join(words) + ")"


# month names, and their abbreviations with a full stop ("Sept. 4")
_MON = _alt(calendar.MONTHS + tuple(re.escape(a + ".") for a in calendar.MONTH_ABBREVIATIONS))
_WD = _alt(calendar.WEEKDAYS)
_TENS = _alt(numbers.TENS_WORDS)
_UNITS = _alt(numbers.DIGIT_WORDS[1:])
_TEENS = _alt(numbers.TEEN_WORDS)
_NUMW = (r"(?:\d+(?:,\d{3})*(?:\.\d+)?(?: \d/\d)?|an?|" + "|".join(numbers.DIGIT_WORDS[1:] + numbers.TEEN_WORDS)
         + f"|{_TENS}(?:-{_UNITS})?" + r"|hundred|several|a few|few|many|some|a couple of|a half|half an?|a dozen|dozen)")
_UNIT = (r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|fortnights?|months?|quarters?|years?"
         r"|decades?|century|centuries|millennium|millennia)")
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_HOLIDAY = (r"(?:Thanksgiving(?: Day)?|Christmas(?: Day| Eve)?|New Year's(?: Day| Eve)|Independence Day|Halloween"
            r"|Valentine's Day|Easter(?: Sunday)?|Election Day|Labor Day|Memorial Day)")
_TOD = r"(?:morning|afternoon|evening|night)"
_TOD_CODE = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_APPROX = r"(?:about|around|nearly|almost|roughly|approximately|some|more than|less than|over|under|at least|up to)"
_PART = r"(?:early|late|mid-?|the end of|the beginning of|the start of|the middle of|the first half of|the second half of)"

I = re.IGNORECASE


def _re(pattern: str, flags: int = 0) -> re.Pattern:
    # word-bounded, and no year or duration out of "$1990" or "20%"
    return re.compile(r"(?<![\w$])" + pattern + r"(?![\w%])", flags)


def _names_case_sensitive(pattern: str) -> str:
    """Month and weekday names inside `pattern` made case-sensitive ("may", "march", "sun" are words)."""
    return pattern.replace(_MON, "(?-i:" + _MON + ")").replace(_WD, "(?-i:" + _WD + ")")


# (kind, pattern): an overlap goes to the longest match, then to the earlier pattern here
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", _re(r"(?P<year>\d{4})-(?P<mon>\d\d)-(?P<day>\d\d)(?:T(?P<h>\d\d):(?P<mi>\d\d))?")),
    ("date", _re(_names_case_sensitive(rf"(?:(?P<wd>{_WD}),?\s+)?(?:(?P<part>{_PART})\s*)?(?P<mon>{_MON})\s+(?P<day>\d{{1,2}})"
                     rf"(?:st|nd|rd|th)?(?:,?\s+(?P<year>{_YEAR}))?"), I)),
    ("date", _re(_names_case_sensitive(rf"(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
                     rf"(?P<mon>{_MON})(?:,?\s+(?P<year>{_YEAR}))?"), I)),
    ("month", _re(_names_case_sensitive(rf"(?:(?P<part>{_PART})\s*)?(?:(?P<rel>last|next|this|earlier this|later this)\s+)?"
                      rf"(?P<mon>{_MON})(?:,?\s+(?:of\s+)?(?P<year>{_YEAR})|\s+(?P<yrel>last|this|next)\s+year)?"), I)),
    ("year", _re(rf"(?:(?P<part>{_PART})\s*)?(?:fiscal\s+)?(?P<year>{_YEAR})(?![.,]\d)", I)),
    ("yearend", _re(r"(?:the\s+)?(?:year[- ]end|year's\s+end|the\s+end\s+of\s+the\s+year)", I)),
    ("decade", _re(rf"(?:the\s+)?(?:(?P<part>early|late|mid-?)\s*)?(?P<dec>(?:1[5-9]|20)\d)0'?s", I)),
    ("decade", _re(rf"(?:the\s+)?(?:(?P<part>early|late|mid-?)\s*)?'(?P<dec2>\d)0s", I)),
    ("ago", _re(rf"(?:{_APPROX}\s+)?(?P<num>{_NUMW})\s+(?P<unit>{_UNIT})\s+(?P<dir>ago|earlier|later|from now|hence)", I)),
    ("relunit", _re(rf"(?:(?P<part>early|late|earlier|later|the end of|the beginning of|the start of)\s+)?"
                    rf"(?P<rel>last|next|this|past|coming|previous|current)\s+"
                    rf"(?P<unit>week|weekend|month|quarter|year|decade|century|spring|summer|fall|autumn|winter)", I)),
    ("season", _re(rf"(?:(?P<part>early|late)\s+)?(?P<season>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?"
                   rf"(?P<year>{_YEAR}))", I)),
    ("bareseason", _re(r"(?:the\s+)?(?:(?P<part>early|late)\s+)?(?P<season>spring|summer|fall|autumn|winter)(?![-\w])", I)),
    ("duration", _re(rf"(?:{_APPROX}\s+)?(?:the\s+(?:past|last|next|first|coming|final|previous)\s+|the\s+)?"
                     rf"(?P<num>{_NUMW})[\s-]+(?P<unit>{_UNIT})(?:-long)?(?![\s-]old)", I)),  # ages are no TIMEX3
    ("pastunit", _re(rf"(?:the\s+)?(?P<rel>past|last|next|coming)\s+(?P<unit>week|month|year|decade|century)", I)),
    ("vague", _re(rf"(?:(?<=for )|(?<=over )|(?<=within )|(?<=recent )|(?<=in )|(?<=took )|(?<=lasted ))"
                  rf"(?:the\s+past\s+)?(?P<unit>seconds|minutes|hours|days|weeks|months|years|decades|centuries)", I)),
    ("vague", _re(r"(?P<unit>weeks|months|years|decades)(?= of )", I)),
    ("recent", _re(r"(?:in\s+)?recent\s+(?P<unit>years|months|weeks|days|decades)", I)),
    ("quarter", _re(rf"(?:(?P<year0>{_YEAR})(?:'s)?\s+)?(?:the\s+)?(?:(?:fiscal|latest|current|calendar|year-ago|year-earlier)\s+)*"
                    rf"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal\s+)?quarter"
                    rf"(?:\s+of\s+(?P<year>{_YEAR}))?", I)),
    ("lastquarter", _re(r"the\s+(?:latest\s+|most recent\s+|recent\s+|just-ended\s+|just-completed\s+)?quarter", I)),
    ("lastquarter", _re(r"the\s+(?:latest|most recent)\s+period", I)),
    ("yearago", _re(r"(?:the\s+)?year-(?:earlier|ago)(?:\s+(?P<unit>quarter|period))?", I)),
    ("weekday", _re(_names_case_sensitive(rf"(?:(?P<rel>last|next|this|early|late)\s+)?(?P<wd>{_WD})(?:\s+(?P<tod>{_TOD}))?"), I)),
    ("deictic", _re(rf"(?:(?P<part>early|late|earlier|later)\s+)?(?P<day>today|yesterday|tomorrow|tonight)"
                    rf"(?:\s+(?P<tod>{_TOD}))?", I)),
    ("thistod", _re(rf"this\s+(?P<tod>morning|afternoon|evening)", I)),
    ("spelled", _re(rf"(?:the\s+year\s+)?nineteen[\s-]+(?P<rest>{_TENS}(?:[\s-]{_UNITS})?|{_TEENS})", I)),
    ("spelled", _re(rf"the\s+year\s+two\s+thousand(?:\s+(?:and\s+)?(?P<rest>{_TENS}(?:[\s-]{_UNITS})?|{_TEENS}|{_UNITS}))?", I)),
    ("century", _re(r"(?:the\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]+century", I)),
    ("decadeword", _re(r"(?:the\s+)?(?:(?:early|late|mid-?)\s*)?(?P<tens>(?:nineteen[\s-]+)?"
                       r"(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))", I)),
    ("future", _re(r"(?:the\s+)?(?:near\s+future|coming\s+(?:days|weeks|months|quarters|years))", I)),
    ("ref", _re(r"(?P<ref>these days|past years)", I)),
    ("lastnight", _re(r"last\s+night", I)),
    ("holiday", _re(rf"(?:(?P<rel>last|next|this)\s+)?(?P<name>{_HOLIDAY})(?:\s+(?P<year>{_YEAR}))?")),
    ("vague", _re(r"the\s+(?P<unit>days|weeks|months|years)(?=\s+(?:before|after|ahead|since|that followed|following|leading))", I)),
    ("weekend", _re(r"(?:the|this|last|next)\s+weekend", I)),
    # anaphoric: "for the year", "the fiscal year ended March 31" (a span of a year), "during the week"
    ("theyear", _re(r"the\s+(?:(?:full|current|fiscal)\s+)*(?P<unit>year|week)(?![-'])"
                    r"(?!\s+(?:\d|two|nineteen|before|earlier|after|later|ago|of(?!\s+[$#])|in\b))", I)),
    # a clock time with its day: "10 p.m. Wednesday", "5 p.m. EST, Nov. 9", "noon yesterday"
    ("clock", _re(_names_case_sensitive(
        rf"(?:(?P<h>\d{{1,2}})(?:[:.](?P<mi>\d\d))?\s*(?P<ap>a\.m\.|p\.m\.|am|pm)|(?P<noon>noon|midnight))"
        rf"(?:\s+(?:EST|EDT|GMT|ET|PST|PDT|CST|CDT|local time))?,?\s+(?:on\s+)?"
        rf"(?:(?P<wd>{_WD})|(?P<day>today|yesterday|tomorrow)"
                      rf"|(?P<mon>{_MON})\s+(?P<dom>\d{{1,2}})(?:,?\s+(?P<year>{_YEAR}))?)"), I)),
    ("clock", _re(rf"(?P<h>\d{{1,2}})(?:[:.](?P<mi>\d\d))?\s*(?P<ap>a\.m\.|p\.m\.|am|pm)"
                  r"(?:\s+(?:EST|EDT|GMT|ET|PST|PDT|CST|CDT|local time))?", I)),
    ("clock", _re(r"(?P<noon>(?-i:noon|midday|midnight))", I)),
    ("ref", _re(r"(?P<ref>now|currently|current|recently|the future"
                r"|in the past(?!\s+(?:\w+\s+)?(?:years?|months?|weeks?|days?|decades?)))", I)),
    # "the Communist Party daily Granma" is a newspaper
    ("set", _re(r"(?P<adv>daily|weekly|monthly|annually|yearly|hourly)(?!\s+(?-i:[A-Z]))", I)),
    ("set", _re(_names_case_sensitive(rf"(?:every|each)\s+(?:(?P<num>{_NUMW})\s+)?(?P<unit>{_UNIT}|{_WD}|{_MON})"), I)),
    ("set", _re(r"(?:(?<=once )|(?<=twice ))(?:a|per)\s+(?P<unit>day|week|month|year)", I)),
]

_SEASON_PREPOSITIONS = {"in", "during", "by", "until", "till", "since", "through", "over", "before", "after",
                        "throughout", "from"}
FAR_AHEAD_DAYS = 120  # a day of a month this far ahead in a past-tense sentence is the last one
_DEICTIC_DAYS = {"yesterday": -1, "tomorrow": 1}
_SET_ADVERBS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P1Q", "annually": "P1Y",
                "yearly": "P1Y", "hourly": "PT1H"}


def _month_number(name: str) -> int:
    return tv.MONTHS[name.lower()[:3]]


def _verb_tense(v) -> Optional[str]:
    """"past", "future" or "present" of a verb from its tag and auxiliaries (will/'ll/shall,
    "going to", "expected to" make a future; a past-tense verb or auxiliary, or a perfect, a past)."""
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    for a in auxes:
        if a.lower_ in ("will", "'ll", "shall", "wo") or (a.lower_ == "going" and v.tag_ == "VB"):
            return "future"
    if v.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if any(a.lower_ in ("has", "have", "'ve") for a in auxes):
        return "past"
    if v.tag_ == "VB" and v.head.lemma_ in ("expect", "plan", "schedule", "set", "hope", "intend"):
        return "future"
    if v.tag_ in ("VBZ", "VBP", "VB", "VBG"):
        return "present"
    return None


def _finite(v) -> bool:
    """Whether a verb carries tense itself (a finite form, or an auxiliary that does), not an
    infinitive, gerund or bare participle."""
    if v.tag_ in ("VBD", "VBZ", "VBP", "MD"):
        return True
    return any(c.dep_ in ("aux", "auxpass") and (c.tag_ in ("MD", "VBD", "VBZ", "VBP")
                                                 or c.lower_ in ("will", "'ll", "shall", "wo"))
               for c in v.children)


# Verbs and nouns of deciding, agreeing, planning and wanting: an infinitive under them ("agreed to
# buy the line in February", "an agreement to acquire it in January", "decided to admit Poland in
# March") names an event ahead of them, not in their tense.
_PROSPECTIVE = {"plan", "schedule", "set", "slate", "decide", "agree", "agreement", "deal", "promise",
                "pledge", "vow", "intend", "expect", "aim", "seek", "offer", "propose", "vote", "prepare",
                "order", "want", "hope", "wish", "bid", "move", "effort", "intention", "decision", "due",
                "likely", "ready", "scheduled", "planned", "expected"}


# Participles of a plan: "a summit scheduled for April", "set for April" (not "a high set on Aug. 6").
_PLANNED = {"plan", "schedule", "reschedule", "slate", "expect", "postpone", "delay"}


def _prospective_infinitive(v) -> bool:
    """A "to" infinitive of purpose, or under a verb, noun or adjective of deciding or planning."""
    if v.tag_ != "VB" or not any(c.dep_ == "aux" and c.tag_ == "TO" for c in v.children):
        return False
    return v.dep_ == "advcl" or v.head.lemma_.lower() in _PROSPECTIVE or v.head.lower_ in _PROSPECTIVE


_PLANNING = {"plan", "schedule", "reschedule", "postpone", "delay", "defer", "adjourn"}


class _Grammar:
    """What the parse says about the word at a character offset."""

    def __init__(self, doc):
        self.doc = doc
        self._starts: Optional[list[int]] = None  # made on first use: most texts need few look-ups

    def token_at(self, pos: int):
        if self._starts is None:
            self._starts = [t.idx for t in self.doc]
        return self.doc[max(0, bisect.bisect_right(self._starts, pos) - 1)] if self._starts else None

    def after_figure(self, pos: int) -> bool:
        """Whether the word before `pos` is a number or a counted noun ("$5 a year", "700 seats a week")."""
        tok = self.token_at(pos)
        if tok is None or tok.i == 0:
            return False
        prev = self.doc[tok.i - 1]
        return prev.tag_ in ("CD", "NNS") or (prev.tag_ == "NN" and any(c.tag_ == "CD" for c in prev.children))

    def tense_at(self, pos: int) -> str:
        """The tense of the nearest verb governing the word (up to 12 steps up the tree); an event
        planned, scheduled or put off ("planned a rally on Saturday", "postponed until Tuesday") lies
        ahead whatever the tense of the report."""
        before = doc_text(self.doc)[max(0, pos - 12):pos].split()
        if before and (before[-1] in ("until", "till") or before[-3:] == ["as", "soon", "as"]):
            return "future"
        tok = start = self.token_at(pos)
        through_noun = False  # "planned a rally on Saturday", not "On Friday, it planned to pay"
        for _ in range(5):
            if tok is None or tok.head is tok:
                break
            tok = tok.head
            if tok.lemma_ in _PLANNING and (through_noun or tok.i < start.i):
                return "future"
            if tok.pos_ in ("VERB", "AUX"):
                break
            through_noun = through_noun or tok.pos_ in ("NOUN", "PROPN")
        tok = self.token_at(pos)
        fallback = None
        for _ in range(12):
            if tok is None:
                break
            if tok.pos_ in ("VERB", "AUX"):
                t = _verb_tense(tok)
                if t == "future" or (t and _finite(tok)):
                    return t
                if tok.tag_ == "VBN" and tok.dep_ in ("acl", "advcl", "amod", "relcl") \
                        and not any(c.dep_ in ("aux", "auxpass") for c in tok.children):
                    # "a bill approved by Republicans in April": a reduced clause, done; "a
                    # summit set for April" is planned, ahead
                    planned = tok.lemma_.lower() in _PLANNED or (
                        tok.lemma_.lower() == "set" and any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children))
                    return "future" if planned else "past"
                if _prospective_infinitive(tok):
                    return t or "present"  # "agreed to buy it in February": ahead of the deal
                # a gerund or another infinitive ("pleaded guilty to threatening to kill ... in
                # March") takes its time from the finite verb above it
                fallback = fallback or t
            if tok.head is tok:
                break
            tok = tok.head
        return fallback or "present"


def _resolve(kind: str, m: re.Match, anchor, grammar: _Grammar, state: dict,
             far_ahead: dt.timedelta = dt.timedelta(days=FAR_AHEAD_DAYS)) -> Optional[tuple[str, str]]:
    """(type, value) of one pattern match, or None when it turns out not to be a time expression.
    `far_ahead`: how far after the anchor a day of a month in a past-tense sentence is taken as the
    one before instead."""
    g = m.groupdict()
    low = m.group(0).lower()
    if kind == "iso":
        v = tv.calendar_date(int(g["year"]), int(g["mon"]), int(g["day"]), anchor, "present") \
            if 1 <= int(g["mon"]) <= 12 else None
        if v is None:
            return None
        return ("TIME", f"{v}T{g['h']}:{g['mi']}") if g["h"] else ("DATE", v)
    if kind == "date":
        year = int(g["year"]) if g.get("year") else None
        # a day of a month without its year: the closest to the anchor (the tense of the sentence often
        # belongs to an event reported now about a date ahead: "was extended to Nov. 16")
        mon = _month_number(g["mon"])
        v = tv.calendar_date(year, mon, int(g["day"]), anchor, _past_by_preposition(m) or "present")
        if v and year is None and anchor is not None and v > tv.ymd(anchor + far_ahead) \
                and grammar.tense_at(m.start()) == "past" \
                and not re.search(r"\b(?:to|until|till|through|by|before|for|from)\s+$",
                                  m.string[max(0, m.start() - 9):m.start()], I):
            # "was shot to death on Oct. 23" in May: last October, not the next one
            v = tv.calendar_date(year, mon, int(g["day"]), anchor, "past")
        return ("DATE", v) if v else None
    if kind == "month":
        mon = _month_number(g["mon"])
        if g["mon"] == "May" and not (g["year"] or g["part"] or g["rel"]) \
                and not re.search(r"\b(?:in|since|until|by|of|through|during|from|to|last|next)\s+$",
                                  m.string[max(0, m.start() - 10):m.start()]):
            return None  # the modal "May"
        if g["year"]:
            return "DATE", f"{g['year']}-{mon:02d}"
        if g["yrel"]:  # "June last year"
            y = anchor.year + {"last": -1, "next": 1}.get(g["yrel"].lower(), 0) if anchor else "XXXX"
            return "DATE", f"{y}-{mon:02d}"
        rel = (g["rel"] or "").lower()
        if anchor is not None and rel in ("last", "next"):
            y = anchor.year - 1 if rel == "last" and mon >= anchor.month else anchor.year
            if rel == "next":
                y = anchor.year + 1 if mon <= anchor.month else anchor.year
            return "DATE", f"{y}-{mon:02d}"
        if anchor is not None and rel:
            return "DATE", f"{anchor.year}-{mon:02d}"
        return "DATE", f"{tv.year_of_month(anchor, mon, _past_by_preposition(m) or grammar.tense_at(m.start()))}-{mon:02d}"
    if kind == "year":
        return "DATE", g["year"]
    if kind == "decade":
        if g.get("dec"):
            return "DATE", g["dec"]
        return "DATE", "19" + g["dec2"]
    if kind == "ago":
        n = tv.number(g["num"])
        unit = g["unit"].lower().rstrip("s")
        if unit in ("hour", "minute", "second"):
            return "TIME", "PAST_REF" if g["dir"].lower() in ("ago", "earlier") else "FUTURE_REF"
        sign = -1 if g["dir"].lower() in ("ago", "earlier") else 1
        if n is None or not float(n).is_integer() or n > 10000:
            return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
        if unit == "year" and state.get("quarter"):
            return "DATE", _quarter_years_back(state["quarter"], -sign * int(n))
        return "DATE", tv.at_granularity(tv.shift(anchor, sign * int(n), unit), unit)
    if kind == "relunit":
        rel, unit = g["rel"].lower(), g["unit"].lower()
        if rel == "past":
            if unit in tv.SEASONS:
                return None
            return "DATE", tv.at_granularity(tv.shift(anchor, -1, unit), unit)
        n = {"last": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
        if unit in tv.SEASONS:
            return "DATE", tv.season(anchor, tv.SEASONS[unit], "present", rel)
        return "DATE", tv.at_granularity(tv.shift(anchor, n, unit) if anchor else None, unit)
    if kind == "season":
        return "DATE", f"{g['year']}-{tv.SEASONS[g['season'].lower()]}"
    if kind == "bareseason":
        # "in the spring", "during the summer", "by early fall": a season after a preposition of
        # time, placed by the tense of its clause; "the fall of Rome", "a fall in prices" are none
        before = m.string[max(0, m.start() - 9):m.start()].lower().split()
        word = g["season"].lower()
        if not before or before[-1] not in _SEASON_PREPOSITIONS:
            return None
        if re.match(r"\s+(?:of|in|from|to|by|on)\b", m.string[m.end():m.end() + 6], I) or \
                (word == "fall" and not m.group(0).lower().startswith("the")):
            return None
        return "DATE", tv.season(anchor, tv.SEASONS[word], _past_by_preposition(m) or grammar.tense_at(m.start()))
    if kind == "duration":
        n = tv.number(g["num"])
        unit = g["unit"].lower()
        if g["num"].lower() in ("a", "an") and grammar.after_figure(m.start()):
            return None  # "358,000 a month", "700 seats a week": a rate, which TimeBank leaves out
        if unit.startswith("quarter") and (m.string[m.end():m.end() + 3] == " of" or "-" in m.group(0)):
            return None  # "three-quarters of its food"
        typ = "DURATION"
        return typ, tv.duration(n, unit)
    if kind == "pastunit":
        # "the past year", "the last decade": TimeBank marks the previous calendar unit
        if g["rel"].lower() in ("past", "last"):
            return "DATE", tv.at_granularity(tv.shift(anchor, -1, g["unit"].lower()), g["unit"].lower())
        return "DURATION", tv.duration(1, g["unit"])
    if kind == "vague":
        return "DURATION", tv.duration(None, g["unit"])
    if kind == "recent":
        return "DATE", "PAST_REF"
    if kind == "quarter":
        q = tv.ORDINALS[g["ord"].lower()]
        year = g.get("year") or g.get("year0")
        if not year:
            if anchor is None:
                year = "XXXX"
            else:
                aq = (anchor.month - 1) // 3 + 1
                year = anchor.year - 1 if q > aq or "year-" in low else anchor.year
        return "DATE", f"{year}-Q{q}"
    if kind == "lastquarter":
        if "period" in low and state.get("quarter"):
            return "DATE", state["quarter"]
        if anchor is None:
            return "DATE", "XXXX-QX"
        return "DATE", tv.at_granularity(tv.shift(anchor, -1, "quarter"), "quarter")
    if kind == "yearago":
        if state.get("quarter"):
            return "DATE", _quarter_years_back(state["quarter"], 1)
        return "DATE", tv.at_granularity(tv.shift(anchor, -1, "year"), "year")
    if kind == "weekday":
        rel = (g["rel"] or "").lower()
        offset = {"last": -1, "next": 1}.get(rel, 0)
        v = tv.weekday(anchor, tv.WEEKDAYS[g["wd"].lower()], grammar.tense_at(m.start()), offset)
        # "Wednesday night", "Friday morning": TimeBank mostly gives the plain day; an evening keeps its part
        if g["tod"] and g["tod"].lower() == "evening":
            return "TIME", v + "T" + _TOD_CODE[g["tod"].lower()]
        return "DATE", v
    if kind == "deictic":
        day = g["day"].lower()
        d = tv.shift(anchor, _DEICTIC_DAYS.get(day, 0), "day")
        v = tv.at_granularity(d, "day")
        if g["tod"]:
            return "TIME", v + "T" + _TOD_CODE[g["tod"].lower()]
        if day == "tonight":
            return "TIME", v + "TNI"
        return "DATE", v
    if kind == "thistod":
        return "TIME", tv.at_granularity(anchor, "day") + "T" + _TOD_CODE[g["tod"].lower()]
    if kind == "weekend":
        n = {"last": -1, "next": 1}.get(low.split()[0], 0)
        if n == 0 and anchor is not None and anchor.weekday() < 5 and grammar.tense_at(m.start()) == "past":
            n = -1  # "over the weekend" in a weekday's past-tense report: the one just gone
        return "DATE", tv.at_granularity(tv.shift(anchor, n, "week"), "weekend")
    if kind == "theyear":
        if g["unit"].lower() == "week":
            return "DATE", (f"{anchor.year}-WXX" if anchor else "XXXX-WXX")
        if re.match(r"\s+(?:ended|ending)\b", m.string[m.end():m.end() + 8], I):
            return "DURATION", "P1Y"
        return "DATE", tv.at_granularity(anchor, "year")
    if kind == "clock":
        if g.get("noon"):
            hh, mi = (24 if g["noon"].lower() == "midnight" else 12), 0
        else:
            hh, mi = int(g["h"]), int(g["mi"] or 0)
            if not (1 <= hh <= 12 and mi < 60):
                return None
            if g["ap"].lower().startswith("p") and hh != 12:
                hh += 12
            elif g["ap"].lower().startswith("a") and hh == 12:
                hh = 0
        if g.get("wd"):
            day = tv.weekday(anchor, tv.WEEKDAYS[g["wd"].lower()], grammar.tense_at(m.start()))
        elif g.get("day"):
            day = tv.at_granularity(tv.shift(anchor, _DEICTIC_DAYS.get(g["day"].lower(), 0), "day"), "day")
        elif g.get("mon"):
            day = tv.calendar_date(int(g["year"]) if g["year"] else None, _month_number(g["mon"]),
                                   int(g["dom"]), anchor, "present") or "XXXX-XX-XX"
        else:
            day = tv.at_granularity(anchor, "day")
        return "TIME", f"{day}T{hh:02d}:{mi:02d}"
    if kind == "ref":
        ref = g["ref"].lower()
        if g["ref"] == "Now" and m.string[m.end():m.end() + 1] == ",":
            return None  # "Now, he says, ...": discourse
        if ref in ("now", "currently", "current", "these days"):
            return "DATE", "PRESENT_REF"
        return "DATE", "FUTURE_REF" if "future" in ref else "PAST_REF"
    if kind == "spelled":
        rest = tv.number(g["rest"]) if g["rest"] else 0
        if rest is None:
            return None
        return "DATE", str(int(rest) + (2000 if "thousand" in low else 1900))
    if kind == "century":
        n = int(g["n"])
        return ("DATE", f"{n - 1:02d}") if 1 <= n <= 21 else None
    if kind == "decadeword":
        tens = tv.number(re.sub(r"ies$", "y", g["tens"].lower().split()[-1].split("-")[-1]))
        return ("DATE", f"19{int(tens) // 10}") if tens else None
    if kind == "holiday":
        return "DATE", tv.holiday(g["name"], int(g["year"]) if g["year"] else None, anchor,
                                  (g["rel"] or "").lower(), _past_by_preposition(m) or grammar.tense_at(m.start()))
    if kind == "yearend":
        return "DATE", tv.at_granularity(anchor, "year")
    if kind == "future":
        return "DATE", "FUTURE_REF"
    if kind == "lastnight":
        return "TIME", tv.at_granularity(tv.shift(anchor, -1, "day"), "day") + "TNI"
    if kind == "set":
        if g.get("adv"):  # adjectives too: TimeML marks "a weekly radio address" (TimeBank is uneven)
            return "SET", _SET_ADVERBS[g["adv"].lower()]
        unit = g["unit"]
        if unit.lower() in tv.WEEKDAYS:
            return "SET", f"XXXX-WXX-{tv.WEEKDAYS[unit.lower()] + 1}"
        if unit[:3].lower() in tv.MONTHS and unit[0].isupper():
            return "SET", f"XXXX-{_month_number(unit):02d}"
        n = tv.number(g["num"]) if g.get("num") else 1
        return "SET", tv.duration(n, unit)
    return None


def _past_by_preposition(m: re.Match) -> Optional[str]:
    """"past" after "since" or "ended": "since October 17", "the year ended March 31" look back,
    whatever the verb."""
    before = m.string[max(0, m.start() - 7):m.start()].lower().split()
    return "past" if before and before[-1] in ("since", "ended") else None


def _quarter_years_back(quarter: str, n: int) -> str:
    """"1989-Q3" n years back: "a year ago" in a quarterly report is the same quarter a year before."""
    year, q = quarter.split("-")
    return f"{int(year) - n}-{q}" if year.isdigit() else quarter


_AFTER_QUARTER = {"ago", "yearago", "lastquarter"}  # kinds whose value may follow a quarter mentioned before
QUARTER_REACH = 400  # characters (about a paragraph) a quarter stays the topic of "a year ago"


def extract_times(doc, published: Optional[str] = None, resolve_relative: bool = True,
                  quarter_reach: int = QUARTER_REACH, far_ahead_days: int = FAR_AHEAD_DAYS) -> list[TimeExpression]:
    """Time expressions of `doc`, in text order, each with its TIMEX3 type and value. Without a
    usable `published`, or with `resolve_relative` false, what needs the anchor stays
    underspecified ("XXXX-08"), never today. `quarter_reach`: for how many characters a quarter
    named is what "a year ago" refers to; `far_ahead_days`: a day of a month in a past-tense
    sentence more than this many days after the publication date is the one before
    (extractors.DateSettings)."""
    text = doc_text(doc)
    anchor = tv.parse_anchor(published) if resolve_relative else None
    far_ahead = dt.timedelta(days=far_ahead_days)
    grammar = _Grammar(doc)
    found: list[tuple[int, int, str, re.Match]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), kind, m))
    # the longest match wins an overlap; among equals, the earlier pattern in PATTERNS
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: list[tuple[int, int, str, re.Match, tuple[str, str]]] = []
    taken_spans = Covered()  # an overlap is a bisection: a scan of every match kept made dates quadratic
    for start, end, kind, m in found:
        if taken_spans.meets(start, end):  # (no match is empty, which Covered would not keep)
            continue
        resolved = _resolve(kind, m, anchor, grammar, {}, far_ahead)
        if resolved is not None:
            taken.append((start, end, kind, m, resolved))
            taken_spans.add(start, end)
    # in text order, the values that depend on what came before ("a year ago" after a quarter) again
    taken.sort(key=lambda f: f[0])
    state: dict = {}
    out: list[TimeExpression] = []
    for start, end, kind, m, (typ, value) in taken:
        if start - state.get("quarter_at", -10 ** 9) > quarter_reach:
            state.pop("quarter", None)
        if kind in _AFTER_QUARTER and state.get("quarter"):
            typ, value = _resolve(kind, m, anchor, grammar, state, far_ahead)
        if kind == "quarter" or (kind == "lastquarter" and "X" not in value):
            state["quarter"], state["quarter_at"] = value, start
        out.append(TimeExpression(span=(start, end), type=typ, value=value))
    return out
