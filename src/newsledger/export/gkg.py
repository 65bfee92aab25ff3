"""GDELT Global Knowledge Graph 2.1: one tab-separated record (27 fields, no header) an article.

We fill what a ledger knows and leave the rest empty (see docs/export.md for the mapping):
persons, organizations and locations from entities (persons and organizations by the corpus's
actors: one name for "Donald Trump", "Donald J. Trump" and "Trump"), all names, quotations from direct
attributions, amounts and counts from figures, dates from time expressions. Offsets are code
points into the article text. Article text is untrusted: every field has tabs, line breaks,
control characters and its own delimiters replaced by spaces, so a record is always one line of
27 fields that parses back."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Optional
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from .. import ledger as L
from ..ingest import parse_published
from ..store import Store
from ..store.read import ALL, Filters, keyed_ledgers_with_actors
from ..text import marks
from .files import Target, text_output

COLUMNS = ["GKGRECORDID", "DATE", "SourceCollectionIdentifier", "SourceCommonName", "DocumentIdentifier",
           "Counts", "V2Counts", "Themes", "V2Themes", "Locations", "V2Locations", "Persons", "V2Persons",
           "Organizations", "V2Organizations", "V2Tone", "Dates", "GCAM", "SharingImage", "RelatedImages",
           "SocialImageEmbeds", "SocialVideoEmbeds", "Quotations", "AllNames", "Amounts", "TranslationInfo",
           "Extras"]
WEB, CITATION_ONLY = "1", "2"  # SourceCollectionIdentifier: a URL, else an offline citation
LOCATION_TYPES = {"GPE", "LOC"}
QUOTE_MARKS = marks.QUOTES + " "
PERCENT_UNITS = {"%", "percent", "per cent", "percentage point", "percentage points"}
# GKG count types, recognized by the words of what a figure counts ("Palestinians dead").
COUNT_TYPES = [
    ("KILL", re.compile(r"\b(killed|dead|deaths?|died|fatalit(y|ies)|lives)\b")),
    ("WOUND", re.compile(r"\b(wounded|injured|injur(y|ies)|hurt)\b")),
    ("ARREST", re.compile(r"\b(arrested|arrests?|detained|detentions?)\b")),
    ("KIDNAP", re.compile(r"\b(kidnapped|abducted|hostages?)\b")),
    ("PROTEST", re.compile(r"\b(protest(er|or)s?|demonstrators|marchers)\b")),
    ("SEIZE", re.compile(r"\b(seized|confiscated)\b")),
    ("AFFECT", re.compile(r"\b(displaced|evacuated|affected|homeless|stranded|refugees)\b")),
]
TIMEX_DATE = re.compile(r"^(\d{4}|XXXX)(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean(value: Optional[str], delimiters: str = "") -> str:
    """`value` safe inside a field: control characters (tabs, line breaks) and `delimiters` become
    spaces, runs of white space one space."""
    if not value:
        return ""
    value = _CONTROL.sub(" ", value)
    if delimiters:
        value = value.translate({ord(c): " " for c in delimiters})
    return " ".join(value.split())


def number(value: float) -> str:
    """A figure's value as GDELT writes amounts: digits, no thousands separators."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)


def gkg_date(published: Optional[str]) -> str:
    """YYYYMMDDHHMMSS of the published date (in UTC when it has an offset); '0' when unknown."""
    parsed = parse_published(published) if published else None
    if parsed is None:
        return "0"
    if not isinstance(parsed, datetime):
        parsed = datetime(parsed.year, parsed.month, parsed.day)
    elif parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc)
    return parsed.strftime("%Y%m%d%H%M%S")


def _is_name(mention: str, name: str) -> bool:
    """Whether a mention's text is the entity's name or a part of it ("Whitfield" of "Dana
    Whitfield"), as opposed to a description ("the mayor") or a pronoun."""
    words, name_words = mention.split(), name.split()
    return bool(words) and mention[:1].isupper() and all(w in name_words for w in words)


Actors = dict[str, tuple[str, str]]  # ledger id -> the corpus actor's (canonical name, type)


def name_mentions(led: L.Ledger, types: Optional[set[str]] = None, actors: Optional[Actors] = None) -> list[tuple[str, int]]:
    """(canonical name, offset) for each mention that is a name, in text order. An entity that
    belongs to one of the corpus's actors (`actors`) goes by the actor's name and type: "Trump" (typed
    ORG by the tagger) is written "Donald Trump", a person."""
    actors = actors or {}
    out = []
    for ent in led.entities:
        name, type_ = actors.get(ent.id, (ent.name, ent.type))
        if types is None or type_ in types:
            out += [(name, s) for s, e in ent.mentions if _is_name(led.text[s:e], ent.name)]
    return sorted(out, key=lambda x: x[1])


def _names(led: L.Ledger, types: Optional[set[str]], actors: Optional[Actors] = None) -> tuple[str, str]:
    """A names field, V1 (unique names) and V2 (name,offset a mention)."""
    found = name_mentions(led, types, actors)
    unique = dict.fromkeys(clean(name, ";") for name, _ in found)
    return ";".join(unique), ";".join(f"{clean(name, ',;')},{offset}" for name, offset in found)


def _locations(led: L.Ledger) -> tuple[str, str]:
    """Not geocoded: each location block has its name (and V2 its offset), its other fields empty."""
    found = name_mentions(led, LOCATION_TYPES)
    unique = dict.fromkeys(clean(name, "#;") for name, _ in found)
    v1 = ";".join("#".join(["", name, "", "", "", "", ""]) for name in unique)
    v2 = ";".join("#".join(["", clean(name, "#;"), "", "", "", "", "", "", str(offset)]) for name, offset in found)
    return v1, v2


def _counts(led: L.Ledger) -> tuple[str, str]:
    v1, v2 = [], []
    for fig in led.figures:
        if fig.value is None or not fig.quantity:
            continue
        kind = next((k for k, words in COUNT_TYPES if words.search(fig.quantity.lower())), None)
        if kind is None:
            continue
        fields = [kind, number(fig.value), clean(fig.quantity, "#;"), "", clean(fig.location, "#;"),
                  "", "", "", "", ""]
        v1.append("#".join(fields))
        v2.append("#".join(fields + [str(fig.span[0])]))
    return ";".join(v1), ";".join(v2)


def _amounts(led: L.Ledger) -> str:
    """Amount,object,offset for each figure with a value; percentages left out, as GDELT does."""
    out = []
    for fig in led.figures:
        if fig.value is None or (fig.unit or "").lower() in PERCENT_UNITS:
            continue
        what = " ".join(x for x in (fig.unit, fig.quantity) if x)
        out.append(f"{number(fig.value)},{clean(what, ',;')},{fig.span[0]}")
    return ";".join(out)


def _dates(led: L.Ledger) -> str:
    """resolution#month#day#year#offset: 1 a year, 2 a month of a year, 3 a day with its year,
    4 a day of a month without its year. Other TIMEX values (weeks, seasons, durations) are left out."""
    out = []
    for d in led.dates:
        m = TIMEX_DATE.match(d.value) if d.type in ("DATE", "TIME") else None
        if not m:
            continue
        year, month, day = m.groups()
        if year == "XXXX":
            if not (month and day):
                continue
            fields = ["4", str(int(month)), str(int(day)), "0"]
        elif day:
            fields = ["3", str(int(month)), str(int(day)), year]
        elif month:
            fields = ["2", str(int(month)), "0", year]
        else:
            fields = ["1", "0", "0", year]
        out.append("#".join(fields + [str(d.span[0])]))
    return ";".join(out)


def quote_span(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span without its outer quotation marks and trailing comma: the words quoted."""
    s, e = span
    while s < e and (text[s] in QUOTE_MARKS or text[s].isspace()):
        s += 1
    while e > s and (text[e - 1] in QUOTE_MARKS + ",." or text[e - 1].isspace()):
        e -= 1
    return s, e


def _quotations(led: L.Ledger) -> str:
    """offset|length|verb|quote for each span of each direct quotation."""
    out = []
    for att in led.attributions:
        if att.kind != "direct":
            continue
        verb = clean(led.text[att.cue.span[0]:att.cue.span[1]], "|#") if att.cue else ""
        for span in att.content:
            s, e = quote_span(led.text, span)
            if e > s:
                out.append(f"{s}|{e - s}|{verb}|{clean(led.text[s:e], '|#')}")
    return "#".join(out)


def _host(url: Optional[str]) -> str:
    try:
        return (urlsplit(url).hostname or "") if url else ""
    except ValueError:  # e.g. an invalid IPv6 host: no common name then
        return ""


def record(key: str, led: L.Ledger, record_id: str, actors: Optional[Actors] = None) -> list[str]:
    """The 27 fields of the GKG record of one article, stored under content hash `key`; persons,
    organizations and all names by their actors' names and types where `actors` gives them."""
    persons, v2_persons = _names(led, {"PERSON"}, actors)
    orgs, v2_orgs = _names(led, {"ORG"}, actors)
    locations, v2_locations = _locations(led)
    counts, v2_counts = _counts(led)
    source = led.outlet or _host(led.url)
    extras = (f"<NEWSLEDGER_KEY>{key}</NEWSLEDGER_KEY>"
              f"<NEWSLEDGER_ID>{xml_escape(clean(led.id))}</NEWSLEDGER_ID>")
    fields = [record_id, gkg_date(led.published), WEB if led.url else CITATION_ONLY, clean(source),
              clean(led.url or led.id), counts, v2_counts, "", "", locations, v2_locations, persons,
              v2_persons, orgs, v2_orgs, "", _dates(led), "", "", "", "", "", _quotations(led),
              _names(led, None, actors)[1], _amounts(led), "", extras]
    return fields


def write_gkg(store: Store, output: Target, filters: Filters = ALL,
              batch_time: Optional[datetime] = None) -> int:
    """Write one GKG 2.1 record a selected article; returns how many. Record ids are GDELT's
    shape, `YYYYMMDDHHMMSS-N`: the export's start (UTC) as the batch time, N from 1 in order."""
    batch = (batch_time or datetime.now(timezone.utc)).strftime("%Y%m%d%H%M%S")
    n = 0
    with text_output(output) as out:
        for key, led, actors in keyed_ledgers_with_actors(store, filters):
            n += 1
            out.write("\t".join(record(key, led, f"{batch}-{n}", actors)) + "\n")
    return n


def parse_line(line: str) -> dict[str, str]:
    """A record back into its named fields (for tests and quick checks)."""
    values = line.rstrip("\n").split("\t")
    if len(values) != len(COLUMNS):
        raise ValueError(f"a GKG 2.1 record has {len(COLUMNS)} fields, not {len(values)}")
    return dict(zip(COLUMNS, values))
