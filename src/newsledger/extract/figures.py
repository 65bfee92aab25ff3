"""Figures: every number in the text with its value, qualifier, unit, what it counts, change,
place and time (ledger-v1 `figures`). A pure function of a parsed Doc.

One pass finds numbers: digit numbers by a precompiled regex over the text (separators, scale
words, glued currency and unit marks), spelled-out numbers by a walk over the tokens. Each number
is then read in its parse: the qualifier before it ("over", "about"), the unit or currency around
it, the noun it counts (nummod head, "of" phrase, or a conjoined figure's head when elided), a
rise or fall ("rose 5%", "cut by $2 billion"), and the place and time of its sentence.

Not figures: dates, years, clock times, ordinals, phone numbers, numbers in names ("iPhone 11",
"S&P 500", "Game 7"), street addresses, scores ("2-0") and "the 45-year-old" used as a name.

The attribution a figure stands in is linked afterwards by the pipeline (`link_figures`), since
it depends on the attributions extractor, not on this one.
"""
from __future__ import annotations

import bisect
import itertools

import math
import re
import unicodedata
from typing import Optional, Sequence

from ..ledger import Figure, TimeExpression
from . import doc_text
from ..text import calendar, marks, numbers

# ------------------------------------------------------------------ lexicons

SMALL = numbers.SMALL
TENS = numbers.TENS
SCALES = {w: float(n) for w, n in numbers.SCALES.items()}  # floats: figure values are floats
# Abbreviated scales after a digit number: "$106bn", "4.3M", "£2.7m", "10k".
SCALE_ABBR = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9,
              "tn": 1e12, "trn": 1e12}
# Vague plurals: "dozens of", "tens of thousands": the lower bound, the next order as value_max.
VAGUE = {"dozens": (12, 120), "hundreds": (100, 1e3), "thousands": (1e3, 1e4),
         "millions": (1e6, 1e7), "billions": (1e9, 1e10), "trillions": (1e12, 1e13)}
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
             "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}

# Qualifiers before a number, longest first when matched (token lowercase sequences).
APPROX = {
    ("about",): "about", ("around",): "about", ("roughly",): "about", ("some",): "about",
    ("approximately",): "about", ("approx",): "about", ("approx.",): "about", ("circa",): "about",
    ("~",): "about", ("≈",): "about", ("close", "to"): "about", ("an", "estimated"): "about",
    ("nearly",): "about", ("almost",): "about", ("almost", "exactly"): "about",
    ("at", "least"): "at_least", ("no", "fewer", "than"): "at_least", ("no", "less", "than"): "at_least",
    ("more", "than"): "more_than", ("over",): "more_than", ("above",): "more_than",
    ("upwards", "of"): "more_than", ("in", "excess", "of"): "more_than", ("just", "over"): "more_than",
    ("well", "over"): "more_than", ("just", "above"): "more_than", ("exceeding",): "more_than",
    ("up", "to"): "up_to", ("as", "many", "as"): "up_to", ("as", "much", "as"): "up_to",
    ("less", "than"): "less_than", ("fewer", "than"): "less_than", ("under",): "less_than",
    ("below",): "less_than", ("just", "under"): "less_than", ("just", "below"): "less_than",
    ("sub",): "less_than", ("at", "most"): "at_most", ("no", "more", "than"): "at_most",
}
MAX_QUAL = max(len(k) for k in APPROX)

UP_WORDS = frozenset("rise increase gain climb jump grow surge soar add advance boost raise rally "
                     "lift hike rebound up higher expand improve spike increment".split())
DOWN_WORDS = frozenset("fall drop decline decrease lose slide slip plunge tumble sink cut reduce "
                       "shed down lower ease dip plummet shrink slump fell sank contract retreat "
                       "reduction loss lose tumble crash".split())

# Currencies: ISO 4217 code -> name used as the counted thing.
CURRENCY_NAMES = {
    "USD": "US dollars", "EUR": "euros", "GBP": "pounds sterling", "JPY": "Japanese yen",
    "CNY": "Chinese yuan", "INR": "Indian rupees", "AUD": "Australian dollars",
    "CAD": "Canadian dollars", "HKD": "Hong Kong dollars", "NZD": "New Zealand dollars",
    "SGD": "Singapore dollars", "TWD": "Taiwan dollars", "CHF": "Swiss francs",
    "ILS": "Israeli shekels", "DKK": "Danish kroner crowns", "SEK": "Swedish kronor crowns",
    "NOK": "Norwegian kroner crowns", "CZK": "Czech koruna crowns", "RUB": "Russian roubles",
    "KRW": "South Korean won", "MXN": "Mexican pesos", "BRL": "Brazilian reais",
    "ZAR": "South African rand", "MYR": "Malaysian ringgit", "AED": "UAE dirhams",
    "SAR": "Saudi riyals", "TRY": "Turkish lira", "THB": "Thai baht", "PHP": "Philippine pesos",
    "NGN": "Nigerian naira", "PKR": "Pakistani rupees", "HRK": "Croatian kuna",
    "PLN": "Polish zloty", "EGP": "Egyptian pounds", "IDR": "Indonesian rupiah",
}
# Marks written before the amount ("$", "HK$", "US $", "£", "Y=" in Reuters ASCII, "PS" for £
# in ASCII-folded text); longest first.
CURRENCY_PREFIX = {
    "US$": "USD", "$US": "USD", "U.S.$": "USD", "USD": "USD", "$": "USD",
    "A$": "AUD", "$A": "AUD", "AU$": "AUD", "AUD": "AUD", "C$": "CAD", "CA$": "CAD", "CAD": "CAD",
    "HK$": "HKD", "HKD": "HKD", "NZ$": "NZD", "NZD": "NZD", "S$": "SGD", "SGD": "SGD",
    "NT$": "TWD", "R$": "BRL", "£": "GBP", "GBP": "GBP", "PS": "GBP", "€": "EUR", "EUR": "EUR",
    "¥": "JPY", "Y=": "JPY", "JPY": "JPY", "CNY": "CNY", "RMB": "CNY", "₹": "INR", "Rs.": "INR",
    "Rs": "INR", "INR": "INR", "₪": "ILS", "NIS": "ILS", "₩": "KRW", "₽": "RUB", "CHF": "CHF",
    "RM": "MYR", "R": "ZAR",
}
_PREFIX_ALT = "|".join(re.escape(p) for p in sorted(CURRENCY_PREFIX, key=len, reverse=True))
# Country words that say which dollar (or crown, pound...) a "$"/"dollars" is.
DOLLAR_COUNTRY = {"us": "USD", "u.s.": "USD", "american": "USD", "australian": "AUD",
                  "canadian": "CAD", "hong": "HKD", "zealand": "NZD", "singapore": "SGD",
                  "taiwan": "TWD", "taiwanese": "TWD"}
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "€": "EUR", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rupees": "INR", "shekel": "ILS",
    "shekels": "ILS", "franc": "CHF", "francs": "CHF", "rouble": "RUB", "roubles": "RUB",
    "ruble": "RUB", "rubles": "RUB", "won": "KRW", "peso": "MXN", "pesos": "MXN", "real": "BRL",
    "reais": "BRL", "rand": "ZAR", "ringgit": "MYR", "dirham": "AED", "dirhams": "AED",
    "riyal": "SAR", "riyals": "SAR", "lira": "TRY", "baht": "THB", "naira": "NGN", "kuna": "HRK",
    "kn": "HRK", "zloty": "PLN", "rupiah": "IDR", "usd": "USD", "eur": "EUR", "gbp": "GBP",
    "jpy": "JPY", "cny": "CNY", "inr": "INR", "aud": "AUD", "cad": "CAD", "hkd": "HKD",
    "chf": "CHF", "ils": "ILS", "nis": "ILS",
}
CROWN_COUNTRY = {"danish": "DKK", "swedish": "SEK", "norwegian": "NOK", "czech": "CZK"}
MINOR_UNITS = {"cent": "cent", "cents": "cent", "pence": "pence", "penny": "pence", "p": "pence",
               "sen": "sen"}

# Units of measure: written form (lowercase) -> normalized name (singular, SI spelling).
# Full names rather than symbols: symbols are ambiguous in news text ("m", "C", "F", "PS").
UNIT_FORMS = {
    "percent": ("%", "percent", "per cent", "pc", "pct", "percent-owned"),
    "percentage point": ("percentage point", "percentage points", "pts", "ppt", "ppts"),
    "basis point": ("basis point", "basis points", "bps", "bp"),
    "kilometre": ("km", "kms", "kilometre", "kilometres", "kilometer", "kilometers"),
    "metre": ("metre", "metres", "meter", "meters"),
    "centimetre": ("cm", "centimetre", "centimetres", "centimeter", "centimeters"),
    "millimetre": ("mm", "millimetre", "millimetres", "millimeter", "millimeters"),
    "micrometre": ("μm", "µm", "micrometre", "micrometres", "micron", "microns"),
    "nanometre": ("nm", "nanometre", "nanometres", "nanometer", "nanometers"),
    "mile": ("mile", "miles", "mi"), "foot": ("ft", "foot", "feet"),
    "inch": ("inch", "inches", "″", "in."), "yard": ("yard", "yards", "yd", "yds"),
    "square metre": ("sq m", "m2", "m²", "square metre", "square metres", "square meter",
                     "square meters", "sqm"),
    "square kilometre": ("km2", "km²", "sq km", "square kilometre", "square kilometres",
                         "square kilometer", "square kilometers"),
    "square mile": ("square mile", "square miles", "sq mi"),
    "square foot": ("square foot", "square feet", "sq ft", "sq. ft."),
    "cubic foot": ("cubic foot", "cubic feet"), "cubic metre": ("cubic metre", "cubic metres", "m3"),
    "acre": ("acre", "acres"), "hectare": ("hectare", "hectares", "ha"),
    "litre": ("l", "litre", "litres", "liter", "liters"),
    "millilitre": ("ml", "millilitre", "millilitres", "milliliter", "milliliters"),
    "gallon": ("gallon", "gallons"), "pint": ("pint", "pints"), "quart": ("quart", "quarts"),
    "barrel": ("barrel", "barrels", "bbl"), "barrel per day": ("barrel-a-day", "bpd"),
    "kilogram": ("kg", "kgs", "kilogram", "kilograms", "kilo", "kilos"),
    "gram": ("g", "gram", "grams", "gramme", "grammes"),
    "milligram": ("mg", "milligram", "milligrams"), "microgram": ("mcg", "µg", "μg", "microgram", "micrograms"),
    "pound": ("lb", "lbs", "pound", "pounds"), "ounce": ("oz", "ounce", "ounces"),
    "tonne": ("tonne", "tonnes", "ton", "tons", "t"), "stone": ("stone",),
    "second": ("second", "seconds", "sec", "secs", "s"),
    "minute": ("minute", "minutes", "min", "mins"), "hour": ("hour", "hours", "hr", "hrs", "h"),
    "day": ("day", "days"), "week": ("week", "weeks"), "month": ("month", "months"),
    "year": ("year", "years", "yr", "yrs", "a"), "decade": ("decade", "decades"),
    "century": ("century", "centuries"),
    "mile per hour": ("mph", "miles per hour", "mile per hour", "miles an hour"),
    "kilometre per hour": ("km/h", "kph", "km/hr", "kmh", "kilometres per hour",
                           "kilometers per hour", "kilometres an hour", "kilometers an hour"),
    "knot": ("knot", "knots"), "mile per gallon": ("mpg", "miles per gallon", "miles a gallon"),
    "revolution per minute": ("rpm",),
    "watt": ("w", "watt", "watts"), "kilowatt": ("kw", "kilowatt", "kilowatts"),
    "megawatt": ("mw", "megawatt", "megawatts"), "gigawatt": ("gw", "gigawatt", "gigawatts"),
    "kilowatt hour": ("kwh", "kilowatt hour", "kilowatt hours", "kilowatt-hour", "kilowatt-hours"),
    "megawatt hour": ("mwh", "megawatt hour", "megawatt hours"),
    "gigawatt hour": ("gwh", "gigawatt hour", "gigawatt hours"),
    "terawatt hour": ("twh", "terawatt hour", "terawatt hours"),
    "horsepower": ("hp", "bhp", "horsepower", "ps"),
    "newton metre": ("nm·", "newton metre", "newton metres", "newton meters"),
    "pound-foot": ("lb-ft", "pound-feet", "pound-foot", "lb ft"),
    "volt": ("v", "volt", "volts"), "ampere": ("amp", "amps", "ampere", "amperes"),
    "milliampere hour": ("mah",), "hertz": ("hz", "hertz"), "kilohertz": ("khz",),
    "megahertz": ("mhz", "megahertz"), "gigahertz": ("ghz", "gigahertz"),
    "gigapascal": ("gpa", "gigapascal", "gigapascals"), "decibel": ("db", "decibel", "decibels"),
    "degree celsius": ("°c", "celsius", "degrees celsius", "degree celsius", "c"),
    "degree fahrenheit": ("°f", "fahrenheit", "degrees fahrenheit", "degree fahrenheit", "f"),
    "degree": ("degree", "degrees", "°"),
    "byte": ("byte", "bytes"), "kilobyte": ("kb", "kilobyte", "kilobytes"),
    "megabyte": ("mb", "megabyte", "megabytes"), "gigabyte": ("gb", "gigabyte", "gigabytes"),
    "terabyte": ("tb", "terabyte", "terabytes"), "bit": ("bit", "bits"),
    "part per million": ("ppm",), "part per billion": ("ppb",), "calorie": ("calorie", "calories", "kcal"),
}
UNITS = {form: name for name, forms in UNIT_FORMS.items() for form in forms}
# Symbols that are units only when written right after a digit ("37m", "5 s" is not "5s"):
# on their own they are words ("a", "in", "t", "m").
GLUED_ONLY = frozenset("a s h t g l w v c f m in. ps p ha mi bp".split())
UNITS_GLUED = dict(UNITS, m="metre", **{"in": "inch"})
MULTIWORD_UNITS = sorted((f for f in UNITS if " " in f), key=len, reverse=True)

MONTHS = frozenset(calendar.MONTH_NUMBER)  # names and abbreviations, lower case
# Nouns a number names rather than counts after them: "category 4", "Game 7", "route 66".
LABEL_NOUNS = frozenset(("category channel game unit level phase stage grade type route chapter section "
                         "article page room gate flight platform terminal row episode version model "
                         "number no no. vol volume part act scene exit highway interstate district "
                         "ward station item tier series week").split())
# A DATE entity is a time only with a calendar word or a year in it (spaCy also tags ages, "70").
TIME_WORDS = re.compile(r"\b(?:1[5-9]\d\d|2[01]\d\d|today|yesterday|tomorrow|tonight|now|(?:mon|tues|wednes|thurs|"
                        r"fri|satur|sun)day|week|weekend|month|year|quarter|season|century|decade|"
                        r"morning|night|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*",
                        re.I)
INDEX_NAMES = frozenset("s&p sp ftse russell nikkei stoxx cac dax asx nifty sensex kospi tsx aex ibex smi".split())
MOVE_UP = frozenset("go move inch creep tick edge climb rise jump shoot head".split())
WEEKDAYS = frozenset(calendar.WEEKDAY_NUMBER)
TIME_UNITS = frozenset("second minute hour day week month year decade century".split())
NAME_LABELS = frozenset("PERSON ORG PRODUCT WORK_OF_ART EVENT LAW FAC".split())
# Defaults of extractors.FigureSettings: the NER labels that give a figure its place, and how many
# tokens after a number the noun it counts may stand ("12 new electric buses": 3).
PLACE_LABELS = ("GPE", "LOC")
COUNTED_NOUN_REACH = 6
STREET = re.compile(r"(?:[-–]\d+)?\s+(?:[A-Z0-9][\w'.]*\s+){0,3}(?:Road|Rd|Street|St|Avenue|Ave|Way|Lane|Drive|"
                    r"Boulevard|Blvd|Place|Court|Highway)\b\.?")
CLOCK = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\b\.?|[AP]\.?M\b\.?)|\b\d{1,2}:\d{2}\b")
PHONE = re.compile(
    r"(?:\+\d{1,3}[\s.-]?|\b1[\s.-])?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-](?:\d{4}|[A-Z]{4})\b"  # 1-800-273-8255, 1-800-273-TALK
    r"|\b1[\s.-]8\d\d[\s.-][A-Z0-9]{3,}"                                          # toll-free with a word: 1-800-FLOWERS
    r"|(?:\+\d{1,3}\s?)?\(?\b0\d{2,4}\)?[\s-]\d{3,4}(?:[\s-]\d{3,4})?\b"              # trunk 0: 0800 555 111, 020 7946 0958
    r"|\+\d{1,3}(?:[\s.-]\d{1,4}){2,5}\b")                                          # international: +44 20 7946 0958
# A list item's number at the start of a line: "2. Never urged Ukraine", "3) The plan", "(4) ...".
LIST_MARK = re.compile(r"^[ \t]*\(?(\d{1,2})[.)][ \t]+(?=[^\W\d_]|[(" + re.escape(marks.OPENERS) + "])", re.M)
# Emergency and service numbers ("911 calls", "a 999 call", "dial 112"): the number names a line.
EMERGENCY = frozenset("911 999 112 000 111 101 311 988 119 110".split())
PHONE_NOUNS = frozenset("call calls caller callers dispatcher dispatchers operator operators line lines "
                        "hotline center centre centers centres system service services tape tapes "
                        "recording recordings emergency emergencies number".split())
DIAL_VERBS = frozenset("call dial phone ring text".split())

# A digit number: optional currency prefix, sign, digits with grouping (comma, thin or no-break
# space, European dots), decimals, an exponent, then glued letters (scale, unit or ordinal).
NUMBER = re.compile(
    r"(?P<cur>(?:" + _PREFIX_ALT + r")\s?)?"
    r"(?P<sign>(?<![\w.,%])[-−+](?=\d|\.\d))?"
    r"(?P<num>\d{1,2}(?:,\d\d)+,\d{3}(?!\d)"           # Indian grouping: 1,00,000
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)"        # 100,000 / 1,478.2
    r"|\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?(?!\d)"          # European 1.000.000
    r"|\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?![\d.,]\d)(?=\s*[^\W\d]|\s*$|\s*[%.,;)])"  # 5 700
    r"|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<exp>\s?(?:[x×]\s?10\s?\^?|\^|[eE](?=[-+]?\d))\s?[-−+]?\d+)?"
    r"(?P<glued>[^\W\d_]+|[%″°€£¥]+[^\W\d_]*)?")
# "1/16 of a pint", "1⁄32": a fraction (a plain slash only before "of": "24/7", "9/11" are not).
FRACTION = re.compile(r"(?<![\d/⁄.,])(\d{1,3})\s?(?:⁄\s?(\d{1,4})|/(\d{1,4})(?=\s+of\b))(?![\d/⁄])")
PREV_GLUE = re.compile(r"[^\W\d_]+[-–]?$")   # "S22", "TA-35", "iPhone" (letters stuck before)



# ------------------------------------------------------------------ values

def _digits(s: str) -> str:
    """Any Unicode decimal digit as ASCII ("٣" -> "3")."""
    return "".join(str(unicodedata.decimal(c)) if c.isdigit() and not c.isascii() and
                   unicodedata.decimal(c, None) is not None else c for c in s)


def parse_number(text: str) -> Optional[float]:
    """A digit number's value, grouping of any convention removed; None when it is no finite
    number ("10^400" overflows, "1.2.3" is no number)."""
    t = _digits(text.strip()).replace("−", "-")
    t = re.sub(r"[\u00a0\u202f\u2009 ]", "", t)
    if re.fullmatch(r"-?\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?", t):   # European 1.000.000,5
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", "")
    m = re.fullmatch(r"([-+]?(?:\d+(?:\.\d*)?|\.\d+))(?:(?:[x×]10\^?|\^|[eE])([-+]?\d+))?", t)
    if not m:
        return None
    try:
        base = float(m.group(1))
        if m.group(2) is not None:
            e = int(m.group(2))
            if abs(e) > 308:
                return None
            # "10^6" is a power; "1.2x10^6" and "1e6" scale by ten
            base = base ** e if "^" in t and not re.search(r"[x×]", t) else base * 10.0 ** e
    except (OverflowError, ValueError):
        return None
    return base if math.isfinite(base) else None


def _scaled(value: Optional[float], scale: float) -> Optional[float]:
    if value is None:
        return None
    v = value * scale
    return v if math.isfinite(v) else None


def words_value(words: Sequence[str]) -> Optional[float]:
    """The value of spelled-out number words: "twenty-one", "two hundred and five", "a dozen",
    "4 hundred million", "half a million"."""
    total = current = 0.0
    seen = False
    for w in words:
        w = w.lower()
        if w in ("and", "-", "a", "an"):
            if w in ("a", "an") and not seen:
                current, seen = 1.0, True
            continue
        if w in SMALL:
            current += SMALL[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w in SCALES:
            scale = SCALES[w]
            current = (current or 1) * scale
            if scale >= 1e3:
                total, current = total + current, 0.0
        else:
            v = parse_number(w)
            if v is None:
                return None
            current += v
        seen = True
    v = total + current
    return v if seen and math.isfinite(v) else None


# ------------------------------------------------------------------ finding numbers

class _Num:
    """A number found in the text before it is read in its parse."""
    __slots__ = ("start", "end", "value", "value_max", "unit", "currency", "first", "last",
                 "quantity", "sign", "vague", "qual", "suspended", "noun")

    def __init__(self, start, end, value, unit=None, currency=None, sign=None):
        self.start, self.end, self.value, self.value_max = start, end, value, None
        self.unit, self.currency, self.sign = unit, currency, sign
        self.first = self.last = None
        self.quantity = None
        self.vague = False
        self.qual = None          # a qualifier glued to the number: "sub-7" (less_than)
        self.suspended = False    # "four-, five- and six-cylinder": the head comes after
        self.noun = None          # token index of the noun counted, when the parse gives one


def _excluded_spans(doc, dates) -> list[tuple[int, int]]:
    """Character spans no figure may start in: clock times, phone numbers and list numbering."""
    text = doc_text(doc)
    return [m.span() for m in CLOCK.finditer(text)] + [m.span() for m in PHONE.finditer(text)] \
        + [m.span(1) for m in LIST_MARK.finditer(text)]


def _is_phone_code(doc, n: _Num) -> bool:
    """A number that is dialled, not counted: "call 999", "dialled 911", "911 calls", "a 999
    operator" (an emergency or service code before a telephone noun)."""
    if n.first is None or n.unit or n.currency or n.value_max is not None:
        return False
    num = doc_text(doc)[n.start:n.end]
    k = n.first - 1
    while k >= 0 and doc[k].lower_ in ("on", "the", "number", "no", "no.", "to"):
        k -= 1
    if k >= 0 and doc[k].pos_ in ("VERB", "AUX", "NOUN") and doc[k].lemma_.lower() in DIAL_VERBS \
            and re.fullmatch(r"\d{3,}", num):
        return True  # "call 999", "dialled 911", "a call to 911"
    nxt = doc[n.last + 1].lower_ if n.last + 1 < len(doc) else ""
    return num in EMERGENCY and (nxt in PHONE_NOUNS or nxt in ("-", "or") or not nxt.isalpha())


def _in(spans, start, end) -> bool:
    """Does a span hold `start`, or the last character before `end`? `spans`: a list, or a _Spans."""
    if isinstance(spans, _Spans):
        return spans.holds(start, end)
    return any(s <= start < e or s < end <= e for s, e in spans)


class _Spans:
    """Character spans sorted by start, with the furthest end reached up to each: `_in` by
    bisection rather than a scan of every span for every number."""

    def __init__(self, spans):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.reach = list(itertools.accumulate((e for _, e in spans), max))

    def _reach_before(self, i: int) -> int:
        return self.reach[i - 1] if i else -1

    def holds(self, start: int, end: int) -> bool:
        # some span with s <= start < e, or with s < end <= e
        return self._reach_before(bisect.bisect_right(self.starts, start)) > start or \
            self._reach_before(bisect.bisect_left(self.starts, end)) >= end


def _digit_numbers(doc) -> list[_Num]:
    text = doc_text(doc)
    out: list[_Num] = []
    fractions = []
    for m in FRACTION.finditer(text):
        den = int(m.group(2) or m.group(3))
        if den:
            fractions.append(m.span())
            out.append(_Num(m.start(), m.end(), int(m.group(1)) / den))
    fractions = _Spans(fractions)
    for m in NUMBER.finditer(text):
        start, end = m.span()
        if _in(fractions, start, end):
            continue
        num_start = m.start("num") if m.group("sign") is None else m.start("sign")
        cur = m.group("cur")
        before = text[max(0, start - 12):start]
        if cur is None and start and (text[start - 1].isdigit() or text[start - 1] in ".,"):
            continue  # a tail of something longer ("1.2.3", "9AB8")
        sub = cur is None and re.search(r"\bsub-$", before, re.I)
        # "her now-18 month-old", "200,000 to-260,000": a stray hyphen after a small word, no name
        stray = re.search(r"(?<![^\W\d_])(?:now|to|than|about|around|nearly|almost|some|only|just|from)[-–]$", before)
        if cur is None and PREV_GLUE.search(before) and not re.search(r"minus-$", before, re.I) and not sub and not stray:
            continue  # "S22", "TA-35", "COVID-19": part of a name
        if cur is not None and cur.strip() in ("R", "RM", "PS", "Rs") and PREV_GLUE.search(before):
            continue
        if cur is not None and cur.strip().isalpha() and start and text[start - 1].isalpha():
            continue
        if m.group("sign") in ("-", "−") and re.search(r"[A-Z]\s?$", text[max(0, start - 2):start]):
            continue  # "COVID -19": a name's tail, not a negative number
        glued = m.group("glued") or ""
        gl = glued.lower()
        value = parse_number(m.group("num") + (m.group("exp") or "").replace(" ", ""))
        if m.group("exp") and value is None:
            pass  # absurd magnitude: kept, value unknown
        elif value is None:
            continue
        sign = m.group("sign")
        if sign in ("-", "−") and value is not None:
            # a sign only after a space, "(" or "$": "TA-25" is excluded above, "5-10" is a range
            if start and not (text[num_start - 1:num_start].isspace() or text[num_start - 1] in "($=" or cur):
                sign = None
                num_start += 1
            else:
                value = -value
        if re.search(r"minus[-\s]$", before, re.I) and value is not None:
            value = -abs(value)
            start = start - len(re.search(r"minus[-\s]$", before, re.I).group(0))
        unit = currency = None
        end_num = end
        if cur:
            currency = CURRENCY_PREFIX[cur.strip()]
        if glued:
            if gl in ("st", "nd", "rd", "th") or (gl == "s" and not cur):
                continue  # ordinal "96th", decade "1990s"
            if glued == "Nm":
                unit = "newton metre"
            elif glued == "G" and not cur and value in (2, 3, 4, 5, 6):
                unit = "network generation"  # "5G data", "4G": a mobile network generation, no grams
            elif gl in SCALE_ABBR and (currency or gl not in UNITS_GLUED or glued in ("bn", "k", "mn", "tn", "M")):
                value = _scaled(value, SCALE_ABBR[gl])
            elif glued[0] in "%″°€£¥" or gl in UNITS_GLUED or gl in CURRENCY_WORDS or gl in MINOR_UNITS:
                g = glued
                if glued[0] in "€£¥" and not currency:
                    currency = CURRENCY_PREFIX[glued[0]]
                elif gl in CURRENCY_WORDS and not currency:
                    currency = CURRENCY_WORDS[gl]
                elif gl in MINOR_UNITS:
                    unit = MINOR_UNITS[gl]
                elif g[0] == "%" or gl in UNITS_GLUED:
                    unit = UNITS_GLUED.get(gl) or UNITS_GLUED.get(g[0])
                elif g[0] in "″°":
                    unit = UNITS_GLUED.get(g[0])
            else:
                continue  # "5G", "3D", "M21": a code, not an amount
        n = _Num(start, end_num, value, unit=unit, currency=currency, sign=sign)
        if sub:
            n.start, n.qual = start - 4, "less_than"
        out.append(n)
    return out


def _word_numbers(doc, taken: list[tuple[int, int]]) -> list[_Num]:
    """Spelled-out numbers ("twenty-one", "a dozen", "three thousand"), vague plurals ("dozens
    of", "tens of thousands of") and fractions ("two-thirds of", "half a million")."""
    out: list[_Num] = []
    toks = list(doc)
    covered = {c for s, e in taken for c in range(s, e)}  # numbers are short: a set beats a scan
    i = 0
    while i < len(toks):
        t = toks[i]
        low = t.lower_
        if t.idx in covered:
            i += 1
            continue
        # "tens of thousands", "dozens of", "millions of"
        if low in VAGUE or (low == "tens" and i + 2 < len(toks) and toks[i + 1].lower_ == "of"
                            and toks[i + 2].lower_ in VAGUE):
            if low == "tens":
                lo, hi = VAGUE[toks[i + 2].lower_]
                j = i + 2
                lo, hi = lo * 10, hi * 10
            else:
                lo, hi = VAGUE[low]
                j = i
            if j + 1 < len(toks) and toks[j + 1].lower_ == "of" or low == "tens":
                n = _Num(t.idx, toks[j].idx + len(toks[j]), float(lo))
                n.value_max, n.vague = float(hi), True
                n.first, n.last = t.i, toks[j].i
                out.append(n)
                i = j + 1
                continue
        # fractions: "two-thirds of", "a third of", "half of", "half a million"
        if low in FRACTIONS or (low in SMALL and i + 2 < len(toks) and toks[i + 1].text == "-"
                                and toks[i + 2].lower_ in FRACTIONS):
            j = i if low in FRACTIONS else i + 2
            frac = toks[j].lower_
            k = j + 1
            prev = toks[i - 1].lower_ if i else ""
            num = 1.0 if low in FRACTIONS else float(SMALL[low])
            start = t.idx
            if low in FRACTIONS and prev in ("a", "one") and frac != "half":
                start = toks[i - 1].idx
            elif low in FRACTIONS and frac != "half":
                i += 1
                continue
            if frac == "half" and k + 1 < len(toks) and toks[k].lower_ in ("a", "an") and toks[k + 1].lower_ in SCALES:
                n = _Num(start, toks[k + 1].idx + len(toks[k + 1]), 0.5 * SCALES[toks[k + 1].lower_])
                n.first, n.last = i, k + 1
                out.append(n)
                i = k + 2
                continue
            if k < len(toks) and toks[k].lower_ == "of" and not (frac == "half" and prev in ("first", "second", "this", "the")):
                n = _Num(start, toks[j].idx + len(toks[j]), num / FRACTIONS[frac])
                n.first, n.last = (i - 1 if start < t.idx else i), j
                out.append(n)
                i = k
                continue
            i += 1
            continue
        stem = low[:-1] if low.endswith("-") and len(low) > 2 else None
        if stem in SMALL or stem in TENS:  # "four-, five- and six-cylinder"
            n = _Num(t.idx, t.idx + len(stem), float(SMALL.get(stem, TENS.get(stem, 0))))
            n.first = n.last = i
            n.suspended = True
            out.append(n)
            i += 1
            continue
        if low in SMALL or low in TENS or low in ("dozen", "hundred", "thousand", "million", "billion", "trillion") \
                or (low in ("a", "an") and i + 1 < len(toks) and toks[i + 1].lower_ in ("dozen", "hundred", "thousand", "million", "billion", "trillion")):
            j = i
            words = []
            while j < len(toks) and (toks[j].lower_ in SMALL or toks[j].lower_ in TENS or toks[j].lower_ in SCALES
                                     or toks[j].lower_ == "dozen"
                                     or (toks[j].lower_ in ("a", "an") and j == i)
                                     or (toks[j].text == "-" and j > i and j + 1 < len(toks) and toks[j + 1].lower_ in SMALL)
                                     or (toks[j].lower_ == "and" and j > i and toks[j - 1].lower_ == "hundred"
                                         and j + 1 < len(toks) and (toks[j + 1].lower_ in SMALL or toks[j + 1].lower_ in TENS))):
                words.append(toks[j].lower_)
                j += 1
            if words and words[-1] in ("a", "an"):
                i += 1
                continue
            if low in ("hundred", "thousand", "million", "billion", "trillion") and i and toks[i - 1].like_num:
                i += 1
                continue  # "4 hundred" is read with its digits
            if words == ["one"] and not _one_is_number(toks, i):
                i += 1
                continue
            if low in ("dozen", "hundred", "thousand") and not (i and toks[i - 1].lower_ in ("a", "an", "one")):
                i = max(j, i + 1)
                continue  # "a baker's dozen", "several hundred": no count
            value = words_value(words)
            if value is not None:
                n = _Num(t.idx, toks[j - 1].idx + len(toks[j - 1]), value)
                n.first, n.last = i, j - 1
                out.append(n)
            i = max(j, i + 1)
            continue
        i += 1
    return out


# Nouns of a moment that "one" makes indefinite, as "a" would: "at one point", "one day".
ONE_MOMENT = frozenset("point time stage moment juncture day night morning evening afternoon".split())


def _one_is_number(toks, i) -> bool:
    """"one" counts ("one solution", "one person died", "one of the 11 candidates") unless it is a
    pronoun ("each one", "the one who", "no one", "one another"), a partitive that picks one out
    of an uncounted set ("one of the largest leaks", "one of them"), or an indefinite moment ("at
    one point", "one day, ...")."""
    t = toks[i]
    prev = toks[i - 1].lower_ if i else ""
    nxt = toks[i + 1].lower_ if i + 1 < len(toks) else ""
    if prev in ("each", "the", "this", "that", "no", "any", "every", "which", "same", "another",
                "last", "little", "big", "new", "other", "someone", "a", "an"):
        return False
    if nxt in ("another", *marks.POSSESSIVES, "way", "thing", "who", "whom", "that", "which") or t.dep_ == "compound":
        return False
    if nxt in ("in", "out") and any(x.like_num for x in toks[i + 2:i + 4]):
        return True  # "one in five", "one out of three": a proportion
    if nxt == "of":
        # "one of the largest leaks", "one of them", "one of three diseases": a partitive (the
        # guideline's), whose set may carry a figure of its own ("three")
        return False
    if nxt in ONE_MOMENT and i + 1 < len(toks):
        noun = toks[i + 1]
        # "at one point", "at one time"; "One day, she said": an adverbial moment, no count
        # ("the strike lasted one day", "for one night" are durations and count)
        opens = i == t.sent.start or toks[i - 1].is_punct or toks[i - 1].pos_ in ("CCONJ", "SCONJ")
        if prev == "at" or (opens and noun.dep_ in ("npadvmod", "advmod")):
            return False
    if t.tag_ == "PRP" or (t.pos_ == "PRON"):
        return False
    return t.dep_ == "nummod" or t.head.pos_ == "NOUN"


def _attach_scales(doc, nums: list[_Num]) -> None:
    """Scale words after a digit number ("1.5 million", "4 hundred million", "$106 bn") and
    token bounds of each number."""
    text = doc_text(doc)
    for n in nums:
        if n.first is not None:
            continue
        rest = text[n.end:n.end + 40]
        m = re.match(r"(?:\s*-?\s*(hundred|thousand|million|billion|trillion|lakh|crore|bn|mn|m|tn|k)\b)+", rest, re.I)
        if m and n.value is not None:
            words = re.findall(r"[A-Za-z]+", m.group(0))
            scale = 1.0
            for w in words:
                w = w.lower()
                if w in ("m", "k") and not n.currency:
                    break  # "5 m" after a non-money number is metres
                scale *= SCALES.get(w) or SCALE_ABBR[w]
            if scale != 1.0:
                n.value = _scaled(n.value, scale)
                n.end += m.end()
        span = doc.char_span(n.start, n.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        n.first, n.last = span.start, span.end - 1
        while n.first > 0 and doc[n.first - 1].idx >= n.start:
            n.first -= 1


# ------------------------------------------------------------------ reading numbers in the parse

def _qualifier(doc, first: int) -> tuple[str, int]:
    """The approx value from the words right before token `first`, and the first token of the
    qualifier (== `first` when none)."""
    low = [t.lower_ for t in doc[max(0, first - MAX_QUAL - 1):first]]
    skip = 0
    if low and low[-1] in ("$", "£", "€", "¥", "us$", "hk$", "a$", "c$", "us"):
        skip = 1  # "over $100 million": the qualifier stands before the currency
        if len(low) > 1 and low[-2] in ("us", "hk", "a", "c") and low[-1] == "$":
            skip = 2
    body = low[:len(low) - skip] if skip else low
    for k in range(MAX_QUAL, 0, -1):
        if len(body) >= k and tuple(body[-k:]) in APPROX:
            key = tuple(body[-k:])
            q = doc[first - skip - k]
            if key in (("over",), ("under",)) and q.dep_ == "prep" and any(
                    c.dep_ == "pobj" and UNITS.get(c.lower_) in TIME_UNITS for c in q.children):
                break  # "over 10 years": a period, not "more than"
            if key == ("up", "to") and first - skip - k >= 1 and (doc[first - skip - k - 1].lower_ in ("back", "way", "all")
                                                                 or doc[first - skip - k - 1].lemma_.lower() in MOVE_UP):
                break  # "inching back up to 4.8 percent", "moved up to third": the level reached, no cap
            if key == ("some",) and first - skip - 1 >= 0 and doc[first - skip - 1].dep_ == "det" \
                    and doc[first - skip - 1].head.i != first:
                continue
            return APPROX[key], first - skip - k
    return "exact", first


def _unit_after(doc, n: _Num) -> None:
    """The unit, currency or scale written after the number: "5 per cent", "10.5 million Australian
    dollars", "7.5 million Danish crowns", "300 PS", "12 miles per hour"."""
    text = doc_text(doc)
    rest = text[n.end:n.end + 40]
    low = rest.lower()
    m = re.match(r"[\s-]*", low)
    off = m.end()
    if n.unit or (n.currency and not n.currency == "USD"):
        # "$84 US", "$76 US a barrel": the US says which dollar only
        mm = re.match(r"\s+(US|U\.S\.)\b", rest)
        if mm and n.currency == "USD":
            n.end += mm.end()
        return
    # currency words, with a country before: "Australian dollars", "Danish crowns", "pounds sterling"
    if n.currency is None:
        found = _currency_after(low[off:], n.value)
        if found:
            n.currency = found[0]
            n.end += off + found[1]
            return
    if n.currency:
        return
    # units: multiword first ("per cent", "square miles", "miles per hour"), then one word
    for form in MULTIWORD_UNITS:
        if low.startswith(form, off) and not low[off + len(form):off + len(form) + 1].isalpha():
            n.unit = UNITS[form]
            n.end += off + len(form)
            return
    mm = re.match(r"([a-zμµ°″%/]+(?:[/-][a-z]+)?)", low[off:])
    if not mm:
        if low[off:off + 1] in ("%", "″", "°"):
            n.unit = UNITS.get(low[off])
            n.end += off + 1
        return
    word = mm.group(1)
    if re.match(r"-?\d", low[off + mm.end():off + mm.end() + 2]):
        return  # "12 F-35 fighters", "30 A320 jets": a model name follows, not a unit
    if off == 0 and word in UNITS_GLUED:
        n.unit = UNITS_GLUED[word]
        n.end += mm.end()
        return
    if rest[off:off + 2] == "Nm" and not rest[off + 2:off + 3].isalpha():
        n.unit = "newton metre"
        n.end += off + 2
        return
    if word in UNITS and word not in GLUED_ONLY:
        if word in ("ps", "c", "f") and rest[off:off + len(word)].islower():
            return
        if word in ("pound", "pounds") and re.match(r"pounds?-f", low[off:]):
            n.unit = "pound-foot"
            n.end += off + len("pound-feet")
            return
        n.unit = UNITS[word]
        n.end += off + len(word)
        # "degrees Celsius"
        m2 = re.match(r"\s+(celsius|fahrenheit)\b", low[off + len(word):])
        if n.unit == "degree" and m2:
            n.unit = "degree " + m2.group(1)
            n.end += m2.end()
        return
    if word in ("ps", "c", "f", "w", "v") and rest[off:off + len(word)].isupper():
        n.unit = UNITS[word]
        n.end += off + len(word)
    elif word in MINOR_UNITS and word != "p":
        n.unit = MINOR_UNITS[word]
        n.end += off + len(word)
    elif word in ("year-old", "years-old", "month-old", "week-old", "day-old"):
        n.unit = word.split("-")[0].rstrip("s")


COUNTRY_CURRENCY = {**DOLLAR_COUNTRY, **CROWN_COUNTRY, "hong kong": "HKD", "new zealand": "NZD",
                    "british": "GBP", "egyptian": "EGP", "swiss": "CHF", "mexican": "MXN",
                    "indian": "INR", "pakistani": "PKR", "chinese": "CNY", "japanese": "JPY",
                    "israeli": "ILS", "south african": "ZAR", "brazilian": "BRL", "philippine": "PHP"}
_CURRENCY_WORD = (r"(?P<word>dollars?|crowns?|kroner|krone|kronor|krona|pounds?(?P<sterling>\s+sterling)?|"
                  + "|".join(sorted((w for w in CURRENCY_WORDS if w.isalpha() and w not in ("real", "won", "dollar", "dollars")),
                                    key=len, reverse=True)) + r")\b")
CURRENCY_WORD = re.compile(_CURRENCY_WORD)
CURRENCY_AFTER = re.compile(r"(?P<adj>hong kong|new zealand|south african|[a-z.]+)\s+" + _CURRENCY_WORD)


def _currency_after(low: str, value: Optional[float]) -> Optional[tuple[str, int]]:
    """(ISO code, length) of a currency named after a number: "dollars", "Australian dollars",
    "Danish crowns", "pounds sterling", "shekels"; plain "pounds" are money only in millions."""
    m = CURRENCY_WORD.match(low)
    if m is None:
        m = CURRENCY_AFTER.match(low)
        if m is None or m.group("adj").rstrip(".") not in COUNTRY_CURRENCY:
            return None
    adj = (m.groupdict().get("adj") or "").rstrip(".")
    word = m.group("word")
    if word.startswith(("dollar", "crown", "kron")):
        default = "USD" if word.startswith("dollar") else ("SEK" if word in ("kronor", "krona") else "DKK")
        return COUNTRY_CURRENCY.get(adj, default), m.end()
    if word.startswith("pound"):
        if m.group("sterling") or adj in ("british", "uk", "egyptian") or (value is not None and value >= 1e6):
            return COUNTRY_CURRENCY.get(adj, "GBP"), m.end()
        return None  # "208 pounds": weight
    if word in ("kn",) and adj:
        return None
    return (COUNTRY_CURRENCY.get(adj) or CURRENCY_WORDS[word]), m.end()


def _head_noun(doc, n: _Num, reach: int = COUNTED_NOUN_REACH):
    """The noun the number counts: its nummod head to the right, at most `reach` tokens on, else
    None."""
    t = doc[n.last]
    # the number's own token may be a scale word or unit the parser took as head
    for tok in (t,) + tuple(doc[n.first:n.last]):
        h = tok.head
        if h.pos_ == "ADJ" and h.i > n.last:
            # "4.3M digital and physical sales": the parser hangs the number on the first adjective
            nouns = [c for c in h.conjuncts if c.pos_ == "NOUN" and c.i > h.i]
            h = nouns[0] if nouns else h
        if h.i > n.last and h.pos_ in ("NOUN", "PROPN") and h.i - n.last <= reach \
                and tok.dep_ in ("nummod", "compound", "amod", "quantmod", "nmod", "npadvmod", "advmod"):
            return h
    return None


def _span_text(doc, a: int, b: int) -> str:
    """Tokens a..b-1 as one line, minus leading determiners and punctuation."""
    toks = [t for t in doc[a:b]]
    cut = max((i + 1 for i, t in enumerate(toks) if t.tag_ in ("POS", "PRP$", "CD") and i + 1 < len(toks)), default=0)
    toks = toks[cut:]  # "80 of his 220 cows", "four of the city's nine branches": cows, branches
    while toks and (toks[0].pos_ in ("DET", "PUNCT", "ADP", "CCONJ", "NUM") or toks[0].text in ("-", "–")):
        toks = toks[1:]
    while toks and toks[-1].pos_ in ("PUNCT", "ADP", "CCONJ", "DET"):
        toks = toks[:-1]
    return " ".join(t.text for t in toks)


def _of_phrase(doc, tok):
    """The pobj of an "of" right after `tok` ("millions of people", "60% of its revenue")."""
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj":
                    left = min(x.i for x in p.subtree if x.i > c.i) if any(x.i > c.i for x in p.subtree) else p.i
                    return _span_text(doc, left, p.i + 1)
    nxt = tok.i + 1
    if nxt + 1 < len(doc) and doc[nxt].lower_ == "of" and doc[nxt + 1].pos_ in ("NOUN", "PROPN", "DET", "ADJ", "PRON"):
        # "of" missing from the tree: take the noun phrase that follows
        end = nxt + 1
        while end < len(doc) and doc[end].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "PRON", "NUM") and end - nxt <= 5:
            end += 1
        return _span_text(doc, nxt + 1, end)
    return None


def _read_quantity(doc, n: _Num, counted_noun_reach: int = COUNTED_NOUN_REACH) -> None:
    """What the number counts, from the parse; a unit word found as head becomes the unit."""
    if n.last is None:
        return
    last = doc[n.last]
    # a unit token right after the number: "of" phrase of the unit ("barrels of oil")
    end_tok = doc.char_span(n.start, n.end, alignment_mode="expand")
    after = end_tok.end if end_tok is not None else n.last + 1
    if n.unit or n.currency:
        anchor = doc[after - 1]
        of = _of_phrase(doc, anchor) if after - 1 >= 0 else None
        if n.unit in ("percent",) and of:
            n.quantity = of
        elif n.unit and of and n.unit not in ("percent",):
            n.quantity = of
        return
    head = _head_noun(doc, n, counted_noun_reach)
    if head is not None and head.tag_ in ("NN", "NNP") and n.value is not None and n.value != 1:
        # "four national security and diplomatic officials": a number above one counts a plural,
        # the parser hangs it on the first conjunct's singular noun
        plural = [c for c in head.conjuncts if c.i > head.i and c.tag_ in ("NNS", "NNPS") and c.i - head.i <= 6]
        if plural:
            head = plural[0]
    if head is not None and head.i >= after:
        n.noun = head.i
        words = doc[after:head.i + 1]
        unit = UNITS.get(head.lower_) if head.i == after else None
        if unit and head.lower_ not in GLUED_ONLY:
            n.unit = unit
            n.end = head.idx + len(head)
            of = _of_phrase(doc, head)
            n.quantity = of
            return
        q = _span_text(doc, after, head.i + 1)
        # a participle or adjective after the noun: "5,700 Palestinians dead"
        if head.i + 1 < len(doc):
            nx = doc[head.i + 1]
            if nx.tag_ == "VBN" and nx.dep_ in ("acl", "amod") or (nx.pos_ == "ADJ" and nx.lower_ in ("dead", "injured", "wounded", "missing", "killed", "homeless")):
                q = f"{q} {nx.text}"
        n.quantity = q or None
        if words and words[0].lower_ in ("year-old", "years-old"):
            n.unit = "year"
        return
    of = _of_phrase(doc, last)
    if of:
        n.quantity = of
        return
    # a participle right after: "200 captured", "14 injured"
    if n.last + 1 < len(doc) and doc[n.last + 1].tag_ in ("VBN", "VBD") and doc[n.last + 1].dep_ in ("acl", "amod", "ROOT", "conj", "relcl", "advcl"):
        n.quantity = doc[n.last + 1].text


# What a count is searched by is often the state its things are in: "1,400 people have been
# killed" counts "people killed", "5,700 Palestinians have died" "Palestinians dead", "left 40,000
# homes without power" "homes without power". Verbs whose subject ends in a state: the state.
FATE_VERBS = {"die": "dead", "perish": "dead", "drown": "drowned", "disappear": "missing",
              "vanish": "missing", "flee": "fled", "starve": "starved", "survive": "survived"}
# Verbs whose complement names the state their object or subject is put in ("were found dead",
# "remain missing", "left 40,000 homes without power"): the complement, not the verb.
STATE_VERBS = frozenset("leave find keep remain stay become render make declare fear believe presume "
                        "report list confirm".split())
# Verbs of having, being or counting: "has 13,000 workers" says no state of the workers.
LIGHT_VERBS = frozenset("be have include contain get take give need want see say tell ask number total "
                        "comprise involve own hold seem do use count reach hit represent account cover "
                        "mean let like love hate expect estimate put add".split())
# Adjectives (and -ing forms the parser takes as verbs) that are a state: "3,000 people are missing".
STATE_ADJ = frozenset("dead injured wounded missing homeless displaced hospitalized hospitalised "
                      "stranded trapped unaccounted infected sick ill unemployed jobless alive "
                      "critical".split())
# Past tense forms that differ from the past participle ("took 40 hostages" -> "hostages taken").
IRREGULAR_VBN = {"took": "taken", "gave": "given", "saw": "seen", "wrote": "written", "stole": "stolen",
                 "drove": "driven", "ate": "eaten", "froze": "frozen", "shook": "shaken", "broke": "broken",
                 "chose": "chosen", "rose": "risen", "fell": "fallen", "grew": "grown", "threw": "thrown",
                 "drew": "drawn", "flew": "flown", "knew": "known", "showed": "shown", "bit": "bitten",
                 "hid": "hidden", "began": "begun", "ran": "run", "sank": "sunk", "forgot": "forgotten",
                 "swore": "sworn", "tore": "torn", "wore": "worn", "slew": "slain", "rode": "ridden",
                 "spoke": "spoken", "forgave": "forgiven", "overtook": "overtaken"}


def _complement(doc, verb, after: int) -> Optional[str]:
    """The state a verb's complement names: an adjective ("found dead", "left homeless") or a
    "without" phrase ("left without power")."""
    for c in verb.children:
        if c.i <= after:
            continue
        if c.dep_ in ("acomp", "oprd", "xcomp") and (c.pos_ == "ADJ" or c.tag_ == "VBN" or c.lower_ in STATE_ADJ) \
                and not any(x.dep_ in ("xcomp", "ccomp") for x in c.children):
            return c.lower_
        if c.dep_ == "prep" and c.lower_ == "without":
            objs = [x for x in c.children if x.dep_ == "pobj"]
            if objs:
                return "without " + " ".join(t.text for t in doc[c.i + 1:objs[0].i + 1])
    return None


def _state(doc, n: _Num) -> Optional[str]:
    """The state the counted things are in, from the clause the count stands in: the participle
    of a passive ("have been killed") or of a past active verb taking the count as object
    ("killed 14 soldiers"), the end state of a verb of fate ("died": dead), or a complement of
    state ("are missing", "left ... without power")."""
    if n.unit or n.currency or n.last is None:
        return None
    tok = doc[n.noun] if n.noun is not None else doc[n.last]
    if n.noun is None and tok.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return None
    verb, dep = tok.head, tok.dep_
    lemma = verb.lemma_.lower()
    if dep == "nsubjpass" and verb.tag_ == "VBN":
        if lemma in STATE_VERBS:
            return _complement(doc, verb, verb.i)
        return verb.lower_
    if dep == "nsubj":
        if verb.pos_ == "VERB" and lemma in FATE_VERBS:
            return FATE_VERBS[lemma]
        if verb.lower_ in STATE_ADJ and verb.i > tok.i:
            return verb.lower_
        if lemma in ("be", "remain", "stay") or verb.pos_ == "AUX":
            return _complement(doc, verb, tok.i)
        return None
    if dep == "dobj" and verb.pos_ == "VERB":
        if lemma in STATE_VERBS:
            return _complement(doc, verb, tok.i)
        if lemma in LIGHT_VERBS or verb.tag_ not in ("VBD", "VBN") or not verb.is_lower:
            return None
        return IRREGULAR_VBN.get(verb.lower_, verb.lower_)
    return None


def _with_state(quantity: Optional[str], state: Optional[str]) -> Optional[str]:
    if not state:
        return quantity
    if not quantity:
        return state
    if state.lower() in quantity.lower().split() or quantity.lower().endswith(state.lower()):
        return quantity
    return f"{quantity} {state}"


def _change(doc, n: _Num, q_first: int) -> Optional[str]:
    """"up"/"down" when the number is the amount of a rise or fall: "rose 5%", "fell by 3
    percent", "a 10% increase", "cut by $2 billion", "up 5pc", "+0.3%"."""
    if n.sign == "+":
        return "up"
    if n.last is None:
        return None
    span = doc[n.first:n.last + 1]
    if q_first > 0:
        k = q_first - 1
        while k > 0 and doc[k].lower_ in ("$", "£", "€", "us", "by"):
            k -= 1
        prev = doc[k]
        if prev.lower_ in ("to", "from", "at"):
            return None  # "rose to $7.36 billion": the level reached, not the rise
        if prev.lower_ in ("up", "higher") or prev.lemma_ in UP_WORDS and prev.pos_ in ("VERB", "AUX"):
            return "up"
        if prev.lower_ in ("down", "lower") or prev.lemma_ in DOWN_WORDS and prev.pos_ == "VERB":
            return "down"
    root = span.root
    # the phrase head: unit or noun after the number
    h = root
    while h.head.i != h.i and h.dep_ in ("nummod", "compound", "quantmod", "amod", "nmod") and h.head.i - h.i <= 3:
        h = h.head
    if h.tag_ == "NN" and h is not root:  # "a 10% increase"; "12 rebounds" counts rebounds
        if h.lemma_.lower() in UP_WORDS:
            return "up"
        if h.lemma_.lower() in DOWN_WORDS:
            return "down"
    gov = h.head
    if h.dep_ == "pobj" and gov.lower_ == "by":
        gov = gov.head
    elif h.dep_ not in ("dobj", "npadvmod", "advmod", "attr", "obj", "oprd", "acomp"):  # "410mm of rain fell": no fall
        return None
    if gov.lemma_.lower() in UP_WORDS and gov.pos_ in ("VERB", "ADV", "ADJ"):
        return "up"
    if gov.lemma_.lower() in DOWN_WORDS and gov.pos_ in ("VERB", "ADV", "ADJ"):
        return "down"
    return None


def _is_year_or_date(doc, n: _Num, date_spans) -> bool:
    if n.value is None or n.unit or n.currency:
        return False
    text = doc_text(doc)
    if re.match(r"(?:1[5-9]|2[01])\d\d[/–-]\d\d\b", text[n.start:n.start + 7]):
        return True  # a season or fiscal year: "the 2022/23 season"
    num = text[n.start:n.end].strip()
    first = doc[n.first] if n.first is not None else None
    prev = doc[n.first - 1].lower_.rstrip(".") if n.first else ""
    nxt = doc[n.last + 1].lower_.rstrip(".") if n.last is not None and n.last + 1 < len(doc) else ""
    if prev in MONTHS or nxt in MONTHS:
        return n.value.is_integer() and 1 <= n.value <= 31 or _yearlike(num, n.value)
    if _yearlike(num, n.value):
        in_date = _in(date_spans, n.start, n.end) or (first is not None and first.ent_type_ == "DATE")
        if in_date:
            return True
        nx = doc[n.last + 1] if n.last is not None and n.last + 1 < len(doc) else None
        counts = nx is not None and nx.tag_ == "NNS" and doc[n.last].dep_ == "nummod"
        return not counts
    return False


def _yearlike(num: str, value: float) -> bool:
    return bool(re.fullmatch(r"1[5-9]\d\d|2[01]\d\d", num)) and value.is_integer()


AGE_AFTER = re.compile(r"[-–\s]?years?[-–\s]old\b|[-–\s]?years?[-–\s]olds\b", re.I)


def _is_age(doc, n: _Num) -> bool:
    """An age, which says who someone is as a name does (the guideline's "ages used as names"):
    "Jamie Smith, 25, said", "Braun, 38 – who", "the suspect, 34,", "a 43-year-old man", "the
    48-year-old Australian", "aged 7 and 9", "aged between 12 to 17", "above age 6"."""
    if n.first is None or n.currency or n.value is None or not 0 < n.value < 130 or n.last + 1 >= len(doc):
        return False
    text = doc_text(doc)
    if (n.unit in (None, "year") and AGE_AFTER.match(text, n.end)) or \
            (n.unit == "year" and re.match(r"[-–\s]?olds?\b", text[n.end:], re.I)):
        return True  # "a 43-year-old man", "17-years-old"
    before = [t.lower_ for t in doc[max(0, n.first - 3):n.first]]
    if before[-1:] == ["age"] or (not n.unit and before[-1:] == ["aged"]) or before[-2:] == ["aged", "between"]:
        return True  # "above age 6 months", "aged 7", "aged between 12 to 17"
    if n.unit or not n.value.is_integer():
        return False
    if before[-1:] in (["and"], ["or"], ["to"]) and ("aged" in before or "age" in before):
        return True  # "aged 7 and 9"
    prev = doc[n.first - 1] if n.first else None
    nxt = doc[n.last + 1]
    if prev is None or prev.text != "," or nxt.text not in (",", ")", "–", "—", "-") or n.first < 2:
        return False
    person = doc[n.first - 2]
    return person.ent_type_ == "PERSON" or (person.pos_ == "NOUN" and person.tag_ == "NN" and person.lower_ in PERSON_NOUNS) \
        or (person.pos_ == "PROPN" and person.ent_type_ in ("", "PERSON"))


PERSON_NOUNS = frozenset("man woman boy girl suspect victim driver mother father son daughter wife husband "
                         "teenager child student officer soldier nurse doctor teacher worker resident "
                         "pilot passenger survivor defendant witness".split())


def _is_name(doc, n: _Num) -> bool:
    """A number that is part of a name: "iPhone 11", "Game 7", "S&P 500", "Channel 5", "Boeing
    737", "the Six-Day War", a street address, a ZIP code."""
    if n.first is None or n.currency:
        return False
    text = doc_text(doc)
    digits = re.match(r"\d[\d,]*", text[n.start:n.end])
    if digits and re.match(r"\s+[NSEW]\.?\s+(?:[A-Z][\w'.]*\s+){0,3}(?:Road|Rd|Street|St|Avenue|Ave|Drive|Lane)\b",
                           text[n.start + digits.end():]):
        return True  # a street address with its direction: "3170 W. County Road" (no watts)
    first = doc[n.first]
    if first.text[:1].isupper() and first.i > first.sent.start and first.i + 2 < len(doc) \
            and doc[first.i + 1].text in ("-", "–") and doc[first.i + 2].text[:1].isupper():
        return True  # a name made of a number word: "the Six-Day War"
    if n.unit:
        return False
    t = doc[n.first]
    if t.ent_type_ in NAME_LABELS and not t.like_num is False:
        if t.ent_iob_ == "I":
            return True  # inside a name, not its first word
    if n.first > 0:
        prev = doc[n.first - 1]
        label = prev.lower_ if prev.text != "." or n.first < 2 else doc[n.first - 2].lower_ + "."
        if label in INDEX_NAMES and n.value is not None and n.value.is_integer():
            return True  # "S&P 500", "FTSE 100", "Russell 2000": a stock index
        if label in LABEL_NOUNS and n.value is not None and n.value.is_integer():
            return True  # "category 4", "Game 7", "Channel 5"
        mixed = prev.text[1:] != prev.text[1:].lower() and prev.text.isalpha()  # "iPhone", "TA"
        # "the Big 12": a capitalized word the tagger put in a DATE, that is no day or month name
        in_date = prev.ent_type_ == "DATE" and prev.i > prev.sent.start and not TIME_WORDS.search(prev.text) \
            and prev.lower_ not in WEEKDAYS
        if (prev.pos_ == "PROPN" or mixed) and any(c.isupper() for c in prev.text) and prev.whitespace_ and prev.lower_ not in MONTHS \
                and (in_date or prev.ent_type_ not in ("GPE", "NORP", "DATE", "MONEY", "CARDINAL", "PERCENT", "QUANTITY")) \
                and not (n.last + 1 < len(doc) and doc[n.last + 1].lower_ in UNITS):
            return True
    if STREET.match(doc_text(doc), n.end) and n.value is not None and n.value.is_integer():
        return True
    # a model or series name after the number: "737 Max jets", "787 Dreamliner", "11 Pro Max"; a
    # counted noun is rarely one capitalized singular name ("40 Democrats", "500 Britons" are plural)
    last = doc[n.last] if n.last is not None else None
    if last is not None and last.whitespace_ and n.last + 1 < len(doc) and re.fullmatch(r"\d+", doc_text(doc)[n.start:n.end]):
        nx = doc[n.last + 1]
        if nx.tag_ == "NNP" and nx.text[:1].isupper() and nx.text[1:].islower() and not nx.lower_.endswith("s") \
                and nx.lower_ not in UNITS and nx.lower_ not in MONTHS and nx.lower_ not in WEEKDAYS \
                and nx.lower_ not in SCALES and nx.lower_ not in CURRENCY_WORDS \
                and nx.ent_type_ not in ("GPE", "NORP", "LOC", "ORG", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL"):
            head = last.head
            counts = head.i > nx.i and head.pos_ == "NOUN" and last.dep_ == "nummod" and not any(
                c.dep_ == "nummod" and c.i < last.i for c in head.children)
            if not counts:  # "500 Cruz supporters" counts; "two new 737 Max jets" has its count
                return True
    return False


def _counts_after(doc, n: _Num) -> bool:
    """Does a noun follow that the number counts ("3-4 people", "20-30 bodies")?"""
    nxt = next((t for t in doc[n.last + 1:n.last + 3] if not t.is_space), None) if n.last is not None else None
    return nxt is not None and (nxt.pos_ in ("NOUN", "PROPN") or (nxt.pos_ == "ADJ" and nxt.i + 1 < len(doc)
                                                                   and doc[nxt.i + 1].pos_ == "NOUN"))


def _ranges(doc, nums: list[_Num]) -> list[_Num]:
    """"3-4", "15 to 22 mph", "between $62 and $68": one figure, value and value_max, when the
    second is larger (a "from 75 to 45" fall stays two figures; "2-0" is a score, dropped)."""
    text = doc_text(doc)
    out: list[_Num] = []
    i = 0
    while i < len(nums):
        a = nums[i]
        if i + 1 < len(nums):
            b = nums[i + 1]
            gap = text[a.end:b.start]
            hyphen = re.fullmatch(r"\s*[-–]\s*", gap) is not None
            joined = hyphen or re.fullmatch(r"\s*(to|-to-|to-|and|or)\s*", gap) is not None
            a_unit, b_unit = a.currency or a.unit, b.currency or b.unit
            if re.fullmatch(r"\s+(?:out\s+of|in)\s+", gap) and not (a_unit or b_unit) \
                    and a.value is not None and b.value is not None and b.value >= 2 \
                    and b.value.is_integer() and 0 < a.value < b.value and not (a.vague or b.vague):
                # "one in five adults", "1 out of 3 Germans": a proportion
                a.value, a.end, a.last = a.value / b.value, b.end, b.last
                out.append(a)
                i += 2
                continue
            compatible = not (a_unit and b_unit and a_unit != b_unit) and not (a_unit and not b_unit and not hyphen)
            if joined and compatible and a.value is not None and b.value is not None and not a.vague:
                between = re.search(r"\bbetween\s+(\S+\s+)?$", text[max(0, a.start - 20):a.start], re.I)
                if hyphen and a.value.is_integer() and b.value.is_integer() and not (a_unit or b_unit) \
                        and (a.value >= b.value or not _counts_after(doc, b)):
                    i += 2  # "2-0", "89-89": a score; "(6-5, 3-4)": a record of wins and losses
                    continue
                # "increased by $43.6 billion to $419.2 billion", "fell 2.1p to 45.6p": a change, then
                # the level reached, when both carry their unit
                by_to = gap.strip() == "to" and a_unit and b_unit and _after_change(doc, a)
                if b.value > a.value and (hyphen or gap.strip() in ("to", "to-", "or") or between) and not by_to:
                    a.value_max = b.value
                    _borrow_scale(text, a, b)
                    a.end = b.end
                    a.unit = a.unit or b.unit
                    a.currency = a.currency or b.currency
                    a.last = b.last
                    out.append(a)
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _is_duration(ent) -> bool:
    """"25 years", "three months": a length of time, not a point in it ("a year earlier" is)."""
    root = ent.root
    return UNITS.get(root.lower_) in TIME_UNITS and any(c.dep_ == "nummod" for c in root.children) \
        and not re.search(r"\b(?:ago|earlier|later|last|next|past|this|previous|before|after)\b", ent.text, re.I)


def _after_change(doc, n: _Num) -> bool:
    """Whether the number follows "by" or a verb of rising or falling ("rose 5%")."""
    k = n.first - 1
    while k >= 0 and (doc[k].lower_ in ("$", "£", "€", "us", "about", "around", "nearly", "almost", "some", "roughly")):
        k -= 1
    return k >= 0 and (doc[k].lower_ == "by" or doc[k].pos_ == "VERB" and doc[k].lemma_.lower() in UP_WORDS | DOWN_WORDS)


def _borrow_scale(text: str, a: _Num, b: _Num) -> None:
    """"$89 to $93 billion", "1 to 2 thousand": the range's lower end takes the upper end's scale
    word when it has none of its own and stays below the upper end."""
    scale_word = re.compile(r"(thousand|million|billion|trillion)\b|\d\s?(bn|m|k)\b", re.I)
    found = scale_word.search(text, b.start, b.end)
    if not found or scale_word.search(text, a.start, a.end) or a.value is None:
        return
    word = (found.group(1) or found.group(2)).lower()
    scale = SCALES.get(word) or SCALE_ABBR.get(word, 1.0)
    if a.value * scale <= b.value:
        a.value = a.value * scale


class _ByPosition:
    """The entities and time expressions of a document, sorted by where they start, so that those
    of one sentence are found by bisection: a scan of them all for every number made a text of
    numbers quadratic."""

    def __init__(self, dates, ents):
        self.ents = sorted(ents, key=lambda e: e.start)  # stable: Doc.ents are in order already
        self.ent_starts = [e.start for e in self.ents]
        self.dates = sorted(dates, key=lambda d: d.span[0])
        self.date_starts = [d.span[0] for d in self.dates]

    def ents_in(self, sent) -> list:
        return self.ents[bisect.bisect_left(self.ent_starts, sent.start):
                         bisect.bisect_left(self.ent_starts, sent.end)]

    def dates_in(self, sent) -> list:
        return self.dates[bisect.bisect_left(self.date_starts, sent.start_char):
                          bisect.bisect_left(self.date_starts, sent.end_char)]


def _sentence_context(doc, n: _Num, dates, ents,
                      place_labels=PLACE_LABELS) -> tuple[Optional[str], Optional[str]]:
    """Place (nearest entity of `place_labels` in the sentence) and time (a time expression of the
    sentence). `dates` and `ents` in a _ByPosition, or as two sequences (indexed here)."""
    if n.first is None:
        return None, None
    index = dates if isinstance(dates, _ByPosition) else _ByPosition(dates, ents)
    sent = doc[n.first].sent
    loc, best = None, None
    sent_ents = index.ents_in(sent)
    for e in sent_ents:
        if e.label_ in place_labels:
            d = abs(e.start - n.first)
            if best is None or d < best:
                loc, best = e.text, d
    # the nearest time expression of the figure's clause ("8.1 billion in 2023 from 7.9 billion in
    # 2021"), else of the nearest clause above it ("..., the Pentagon said on Monday"); never one of
    # another clause: "The mission, which began in 2014, now has 2,500 troops" is no 2014 count
    spans = [tuple(d.span) for d in index.dates_in(sent)]
    if not spans:
        spans = [(e.start_char, e.end_char) for e in sent_ents
                 if e.label_ == "DATE" and TIME_WORDS.search(e.text)
                 and not re.search(r"\bold\b|-old|^\w+-(?:year|month|week|day)\b", e.text)
                 and not _is_duration(e)]
    spans = [(s, e) for s, e in spans if not (s <= n.start < e)]
    if not spans:
        return loc, None
    own = _clauses_above(doc[n.first])
    ranked = []
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or not len(span):
            continue
        clause = _clause_of(span.root)
        if clause.i in own:
            ranked.append((own.index(clause.i), min(abs(s - n.end), abs(n.start - e)), s, e))
    if not ranked:
        return loc, None
    _, _, s, e = min(ranked)
    return loc, doc_text(doc)[s:e]


# Dependencies that open a clause of their own: a verb under one of these has its own time.
CLAUSE_DEPS = frozenset("ROOT ccomp xcomp advcl relcl acl conj csubj csubjpass pcomp parataxis".split())


def _clause_of(tok):
    """The head of the clause a token stands in: the nearest verb (or the root) at or above it that
    opens a clause ("which began in 2014": began; "launched in 2014": launched)."""
    t = tok
    while True:
        if t.dep_ == "ROOT" or t.head.i == t.i:
            return t
        if t.pos_ in ("VERB", "AUX") and t.dep_ in CLAUSE_DEPS and not (t.dep_ == "conj" and t.head.pos_ not in ("VERB", "AUX")):
            return t
        t = t.head


def _clauses_above(tok) -> list[int]:
    """The heads of the clause a token stands in and of the clauses above it, innermost first."""
    out = []
    c = _clause_of(tok)
    while True:
        out.append(c.i)
        if c.dep_ == "ROOT" or c.head.i == c.i:
            return out
        c = _clause_of(c.head)


def _share_heads(doc, nums: list[_Num]) -> None:
    """An elided head comes from a conjoined figure: "2,500 troops in Iraq and nearly 1,000 in
    Syria", "three or four years", "4.8 to 4.7 percent"."""
    for a, b in reversed(list(zip(nums, nums[1:]))):
        if a.suspended and b.last is not None and b.last - a.last <= 4 and not (a.unit or a.quantity):
            a.unit, a.quantity = b.unit, b.quantity
    for a, b in zip(nums, nums[1:]):
        if a.last is None or b.first is None or doc[a.last].sent.start != doc[b.first].sent.start:
            continue
        gap = doc[a.last + 1:b.first]
        linked = len(gap) <= 6 and any(t.lower_ in ("and", "or", "but", "vs", "versus") for t in gap) \
            and not any(t.text in (",", ";", "(", ")") for t in gap) or [t.lower_ for t in gap] == ["to"]
        from_to = doc_text(doc)[a.end:b.start].strip().lower() == "to" and _from_before(doc, a)
        if from_to and not (b.unit or b.currency or b.quantity) and (a.unit or a.currency):
            b.unit, b.currency = a.unit, a.currency  # "from 14-18 mpg to 24": 24 mpg
            continue
        if not linked:
            continue
        for x, y in ((a, b), (b, a)):
            if not (x.unit or x.currency or x.quantity) and (y.unit or y.currency or y.quantity):
                if x is a and len(gap) > 2:
                    continue
                if x is b and [t.lower_ for t in gap] == ["to"] and not _from_before(doc, a):
                    continue  # "rose 8.15% to 3.65": the level after "to" is not in the rise's unit  # a forward loan needs "three or four years", not a whole clause
                x.unit, x.currency, x.quantity = y.unit, y.currency, y.quantity


def _from_before(doc, n: _Num) -> bool:
    """Whether "from" opens the number ("from about 14-18 mpg to 24"): the level after "to" is then
    in the same unit."""
    k = n.first - 1
    while k >= 0 and k >= n.first - 3 and doc[k].lower_ in ("about", "around", "nearly", "almost", "roughly", "some", "just", "$", "£", "€"):
        k -= 1
    return k >= 0 and doc[k].lower_ == "from"


def _elided_noun_before(doc, n: _Num) -> None:
    """"a pick or two", "a day or two", "over the age of 21": the noun before says what is counted."""
    if n.unit or n.currency or n.quantity or n.first is None or n.first < 2:
        return
    prev, noun = doc[n.first - 1], doc[n.first - 2]
    end = n.last + 1 >= len(doc) or doc[n.last + 1].is_punct or doc[n.last + 1].pos_ in ("ADP", "CCONJ", "SCONJ")
    if prev.lower_ in ("or", "and") and noun.pos_ == "NOUN" and end and n.value_max is None:
        n.quantity = noun.text
    elif prev.lower_ == "of" and noun.lower_ in ("age", "ages") and end:
        n.quantity = "age"


def extract_figures(doc, dates: Sequence[TimeExpression] = (), place_labels=PLACE_LABELS,
                    counted_noun_reach: int = COUNTED_NOUN_REACH) -> list[Figure]:
    """Figures of `doc`, in text order. `dates` (from `extract_times`) keeps dates and years out of
    the figures and gives a figure its time when its sentence holds one. `place_labels`: the NER
    labels that give a figure its place; `counted_noun_reach`: how many tokens after a number the
    noun it counts may stand (extractors.FigureSettings)."""
    text = doc_text(doc)
    blocked = _Spans(_excluded_spans(doc, dates))
    date_spans = _Spans(tuple(d.span) for d in dates if d.type in ("DATE", "TIME"))
    nums = [n for n in _digit_numbers(doc) if not _in(blocked, n.start, n.end)]
    _attach_scales(doc, nums)
    taken = [(n.start, n.end) for n in nums]
    nums += [n for n in _word_numbers(doc, taken) if not _in(blocked, n.start, n.end)]
    nums.sort(key=lambda n: n.start)
    for n in nums:
        if n.first is None:
            continue
        if n.unit == "metre" and text[n.end - 1] == "m" and n.last + 1 < len(doc) \
                and (doc[n.last + 1].tag_ == "NNS" or doc[n.last + 1].lower_ == "of"):
            n.unit, n.value = None, _scaled(n.value, 1e6)  # "3m units", "2m of them": millions
        _unit_after(doc, n)
    keep = []
    for n in nums:
        if n.first is None:
            continue
        if _is_year_or_date(doc, n, date_spans) or _is_name(doc, n) or _is_phone_code(doc, n) or _is_age(doc, n):
            continue
        if doc[n.first].pos_ == "VERB" or (doc[n.first].lower_ == "zero" and
                                           [t.lower_ for t in doc[n.first + 1:n.first + 3]] == ["in", "on"]):
            continue  # "trying to zero in on": a verb
        # "the 45-year-old said": an age used as a name; "a 50-year-old man" is a figure
        tail = text[n.end:n.end + 12]
        if re.match(r"-years?-old\b", tail) or (n.unit == "year" and re.match(r"-old\b", tail)):
            nxt = doc.char_span(n.end, n.end + len(re.match(r"-years?-old|-old", tail).group(0)), alignment_mode="expand")
            after = doc[nxt.end] if nxt is not None and nxt.end < len(doc) else None
            if after is None or after.pos_ not in ("NOUN", "PROPN", "ADJ"):
                continue
            n.unit = "year"
        keep.append(n)
    nums = [n for n in _ranges(doc, keep)
            # the second half of a score whose first half went as a name's ("Rockledge 70-44")
            if n.unit or n.currency or not re.search(r"\d[-–]$", text[max(0, n.start - 4):n.start])]
    ents = list(doc.ents)  # once: Doc.ents builds its spans on every access
    by_position = _ByPosition(dates, ents)
    for n in nums:
        _read_quantity(doc, n, counted_noun_reach)
        _elided_noun_before(doc, n)
    _share_heads(doc, nums)
    for n in nums:
        n.quantity = _with_state(n.quantity, _state(doc, n))
    figures = []
    for n in nums:
        approx, q_first = _qualifier(doc, n.first)
        tok_start = doc[n.first].idx
        if re.fullmatch(r"[a-z]+[-–]", text[tok_start:n.start]):
            tok_start = n.start  # "now-18": the stray word is no part of the figure
        start = doc[q_first].idx if q_first < n.first else min(n.start, tok_start)
        if n.vague and approx == "exact":
            approx = "at_least"
        if n.qual and approx == "exact":
            approx, start = n.qual, n.start
        loc, time = _sentence_context(doc, n, by_position, ents, place_labels)
        unit = n.currency or n.unit
        quantity = n.quantity
        if n.currency and not quantity:
            quantity = CURRENCY_NAMES.get(n.currency)
        figures.append(Figure(span=(start, n.end), value=n.value, value_max=n.value_max, approx=approx,
                              unit=unit, quantity=quantity, location=loc, time=time,
                              change=_change(doc, n, q_first)))
    return figures
