"""The options several commands share, written once: the store (--db), the workers and their time
limit, output formats, --limit, the period (--since, --until), the fetching switches and --scheme."""
from __future__ import annotations

import enum
from typing import Optional

import typer


class Format(str, enum.Enum):
    """analyze's (and info's) --format."""
    json = "json"
    jsonl = "jsonl"
    text = "text"


class Output(str, enum.Enum):
    """query's --format."""
    table = "table"
    json = "json"


class ExportFormat(str, enum.Enum):
    jsonl = "jsonl"
    parquet = "parquet"
    csv = "csv"
    gkg = "gkg"


class Scheme(str, enum.Enum):
    claims = "claims"
    polnear = "polnear"


# ------------------------------------------------------------------ the store

DB = typer.Option(None, "--db", help="Database URL or SQLite file (default: $NEWSLEDGER_DB, else newsledger.db).")
DB_TO_WRITE = typer.Option(None, "--db", help=(
    "Database URL (sqlite:///path.db, postgresql+psycopg://...) or an SQLite file path. "
    "Default: $NEWSLEDGER_DB, else newsledger.db in this folder."))
DB_TO_READ = typer.Option(None, "--db", help=(
    "Database URL or SQLite file path of an existing store. Default: $NEWSLEDGER_DB, else "
    "newsledger.db in this folder."))

# ------------------------------------------------------------------ analysis

WORKERS = typer.Option(1, "--workers", "-w", min=1, max=64, help=(
    "Processes that analyze in parallel (each loads the spaCy pipeline, about 0.5-1 GB)."))
TIME_LIMIT = typer.Option(300.0, "--time-limit", min=0, metavar="SECONDS", help=(
    "Longest an article's analysis may take; one that runs over is ended and recorded as a Timeout "
    "error, and the run goes on. 0: no limit (with one worker, the analysis then runs in this process). "
    "A normal 200 KB article takes about 15 s."))
SERVE_WORKERS = typer.Option(None, "--workers", "-w", min=1, max=64, help=(
    "Processes that analyze posted articles (each loads the spaCy pipeline). Default: one a core."))
SERVE_TIME_LIMIT = typer.Option(60.0, "--time-limit", min=1, metavar="SECONDS", help=(
    "Longest an analysis (with its URL's fetch) may take; one that runs over is ended and answered "
    "503 Timeout, and its worker replaced."))
SCHEME = typer.Option(Scheme.claims, "--scheme", help=(
    "What counts as an attribution. claims: the annotation guideline's (claims, beliefs, intentions, "
    "questions, denials, findings, nested claims included; acts, evidence and the article's own "
    "questions left out). polnear: PolNeAR's broader, univocal scheme (acts and sentiments too), to "
    "compare with figures published on PolNeAR."))

# ------------------------------------------------------------------ fetching

ALLOW_PRIVATE_URLS = typer.Option(False, "--allow-private-urls", help=(
    "Let URLs and feed links reach private, loopback and link-local addresses (refused by default: "
    "a server fetching what users name must not reach its own network)."))
FEED_ENTRIES_ONLY = typer.Option(False, "--feed-entries-only", help=(
    "Feeds: take each entry's own content (or summary) as the article instead of fetching the page "
    "it links to (for full-content feeds, or offline)."))

# ------------------------------------------------------------------ output

ANALYZE_FORMAT = typer.Option(Format.jsonl, "--format", "-f", help=(
    "jsonl: one ledger (or error record) a line, in input order; json: a JSON array of them "
    "(always an array, even for one article); text: a readable report."))
INFO_FORMAT = typer.Option(Format.text, "--format", "-f", help="text (default) or json.")
QUERY_FORMAT = typer.Option(Output.table, "--format", "-f", help="table (for people) or json (a JSON array).")
EXPORT_FORMAT = typer.Option(ExportFormat.jsonl, "--format", "-f", help=(
    "jsonl: one ledger-v1 a line. parquet / csv: a folder with one file a table (articles, entities, "
    "mentions, attributions, figures, dates), rows keyed by the article's content hash and id. gkg: "
    "GDELT GKG 2.1, one tab-separated record (27 fields) an article."))
JSON_SCORES = typer.Option(None, "--json", help="Also write the scores as JSON to this file.")


def limit(default: int = 50) -> "typer.models.OptionInfo":
    """query's --limit: rows at most."""
    return typer.Option(default, "--limit", min=1, max=10_000)


def first(what: str) -> "typer.models.OptionInfo":
    """eval's and train's --limit: only the first N documents (articles, sentences)."""
    return typer.Option(None, "--limit", min=1, help=f"Score only the first N {what}.")



# ------------------------------------------------------------------ the period

SINCE = typer.Option(None, "--since", metavar="YYYY-MM-DD",
                     help="Only articles published on or after this day (UTC).")
UNTIL = typer.Option(None, "--until", metavar="YYYY-MM-DD",
                     help="Only articles published on or before this day (UTC; the whole day counts).")
OUTLET = typer.Option(None, "--outlet")


def period(since: Optional[str], until: Optional[str]):
    """--since and --until as a store.Period (whole days, both inclusive), or a usage error (one that
    is no day, or a --since after the --until)."""
    from ..store import Period, PeriodError
    from .errors import fail

    try:
        return Period(since, until)
    except PeriodError as exc:
        raise fail(exc.described("--"))


def open_db(db: Optional[str], read_only: bool = False):
    """The store at --db (default: $NEWSLEDGER_DB, else newsledger.db), or a usage error.
    read_only: for the commands that read (query, export): a store that is not there is an error,
    never made (a mistyped --db would otherwise answer from a new, empty store); nothing is
    written, so a read-only file or folder will do (see store.db.open_store)."""
    from ..store.db import DEFAULT_URL, StoreError, open_store
    from .errors import store_fail

    try:
        return open_store(db or DEFAULT_URL, read_only=read_only)
    except StoreError as exc:
        raise store_fail(exc)
