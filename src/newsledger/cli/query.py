"""`newsledger query ...`: ask the store (quotes, figures, series, speakers, articles, runs), a table or JSON."""
from __future__ import annotations

import contextlib
import json
import sys
from typing import Optional

import typer

from . import app, options
from .errors import exits, store
from .options import Output
from .render import ambiguous_name, print_table

query_app = typer.Typer(help="Ask the store: quotes, figures, series, speakers, articles, claims (a table, or --format json).",
                        no_args_is_help=True)
app.add_typer(query_app, name="query")


def _ask(db: Optional[str], question, output: Output, columns: list[tuple[str, str]], shown=None,
         **filters) -> None:
    """Open the store, run one query function, print its rows as a table (each row through `shown`
    first, when given) or JSON."""
    from ..store import STORE_ERRORS

    db_store = options.open_db(db, read_only=True)  # a read-only file or folder will do
    with contextlib.closing(db_store), exits((STORE_ERRORS, store("cannot read the store: "))):
        rows = question(db_store, **filters)
    if output is Output.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    print_table(rows if shown is None else [shown(r) for r in rows], columns)


@query_app.command("quotes")
def query_quotes(
    speaker: Optional[str] = typer.Option(None, "--speaker", "-s", help="Speaker's name contains this."),
    mentioning: Optional[str] = typer.Option(None, "--mentioning", "-m", help="An entity so named is mentioned in the content."),
    text_: Optional[str] = typer.Option(None, "--text", "-t", help="Words of the content (full-text search, stemmed)."),
    kind: Optional[str] = typer.Option(None, "--kind", help="direct, mixed, indirect or according_to."),
    outlet: Optional[str] = options.OUTLET,
    since: Optional[str] = options.SINCE, until: Optional[str] = options.UNTIL,
    limit: int = options.limit(50), db: Optional[str] = options.DB, format: Output = options.QUERY_FORMAT,
) -> None:
    """Who said what: attributions with their article, newest first.

    Example: newsledger query quotes --speaker Varga --db news.db
    """
    from ..store.queries import quotes

    _ask(db, quotes, format, [("published", "published"), ("outlet", "outlet"), ("speaker", "speaker"),
                              ("cue", "cue"), ("kind", "kind"), ("content", "content")],
         speaker=speaker, mentioning=mentioning, text=text_, kind=kind, outlet=outlet,
         period=options.period(since, until), limit=limit)


@query_app.command("figures")
def query_figures(
    quantity: Optional[str] = typer.Option(None, "--quantity", "-q", help="What is counted contains this (\"killed\", \"troops\")."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Normalized unit: USD, percent, km, ..."),
    source: Optional[str] = typer.Option(None, "--source", help="The claim's source contains this."),
    sourced: Optional[bool] = typer.Option(None, "--sourced/--unsourced", help="Only figures inside (or outside) an attribution."),
    outlet: Optional[str] = options.OUTLET,
    since: Optional[str] = options.SINCE, until: Optional[str] = options.UNTIL,
    limit: int = options.limit(200), db: Optional[str] = options.DB, format: Output = options.QUERY_FORMAT,
) -> None:
    """Figures over time, oldest first, with who claims each.

    Example: newsledger query figures --quantity killed --sourced --db news.db
    """
    from ..store.queries import figures

    _ask(db, figures, format, [("published", "published"), ("outlet", "outlet"), ("text", "figure"),
                               ("value", "value"), ("value_max", "to"), ("unit", "unit"), ("quantity", "quantity"),
                               ("source", "source"), ("time", "time")],
         quantity=quantity, unit=unit, source=source, sourced=sourced, outlet=outlet,
         period=options.period(since, until), limit=limit)


@query_app.command("series")
def query_series(
    measure: Optional[str] = typer.Option(None, "--measure", "-m", help="What is counted: killed (or dead, deaths), injured, troops, ..."),
    place: Optional[str] = typer.Option(None, "--place", "-p", help="The place's name contains this."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Normalized unit: USD, percent, km, ..."),
    disagree: bool = typer.Option(False, "--disagree", help="Only series whose sources disagree on a day."),
    series_id: Optional[int] = typer.Option(None, "--id", min=1, help="One series' points: value, source, outlet, day."),
    limit: int = options.limit(50), db: Optional[str] = options.DB, format: Output = options.QUERY_FORMAT,
) -> None:
    """Figures grouped into series by what they count, unit and place; with --id, one series' points.

    Example: newsledger query series --measure killed --place Gaza --disagree --db news.db
    """
    from ..store.queries import series, series_points

    if series_id is not None:
        _ask(db, series_points, format, [("date", "day"), ("source", "source"), ("outlet", "outlet"),
                                         ("text", "figure"), ("value", "value"), ("value_max", "to"),
                                         ("approx", "qualifier"), ("disagrees", "disagrees"), ("article", "article")],
             series_id=series_id, limit=limit)
        return
    _ask(db, series, format, [("id", "id"), ("measure", "measure"), ("unit", "unit"), ("place", "place"),
                              ("points", "points"), ("sources", "sources"), ("first", "first"), ("last", "last"),
                              ("disagree", "disagree")],
         measure=measure, place=place, unit=unit, disagree=True if disagree else None, limit=limit)


@query_app.command("speakers")
def query_speakers(
    name: Optional[str] = typer.Option(None, "--name", "-n", help="Speaker's name contains this."),
    since: Optional[str] = options.SINCE, until: Optional[str] = options.UNTIL,
    limit: int = options.limit(20), db: Optional[str] = options.DB, format: Output = options.QUERY_FORMAT,
) -> None:
    """Speakers' profiles, most quoted first: how often, by which outlets, with which cues.

    A person or organization is one speaker across the corpus, under its canonical name ("Donald Trump" for "Donald J. Trump" and "Trump" too), its other names as aliases; a one-word name two people own ("Clinton") is shown ambiguous, with who it could be. A bare pronoun nothing resolved is no speaker.

    Example: newsledger query speakers --limit 5 --db news.db
    """
    from ..store.queries import speakers

    _ask(db, speakers, format, [("speaker", "speaker"), ("type", "type"), ("quotes", "quotes"),
                                ("articles", "articles"), ("aliases", "aliases"), ("outlets", "outlets"),
                                ("cues", "cues"), ("first", "first"), ("last", "last")],
         shown=ambiguous_name, name=name, period=options.period(since, until), limit=limit)


@query_app.command("articles")
def query_articles(
    text_: Optional[str] = typer.Option(None, "--text", "-t", help="Words of the title or text (full-text search)."),
    outlet: Optional[str] = options.OUTLET,
    since: Optional[str] = options.SINCE, until: Optional[str] = options.UNTIL,
    limit: int = options.limit(50), db: Optional[str] = options.DB, format: Output = options.QUERY_FORMAT,
) -> None:
    """Stored articles, newest first, with their counts of attributions, figures and dates.

    Example: newsledger query articles --text harbor --format json --db news.db
    """
    from ..store.queries import articles

    _ask(db, articles, format, [("published", "published"), ("outlet", "outlet"), ("article", "id"),
                                ("title", "title"), ("attributions", "attributions"), ("figures", "figures"),
                                ("dates", "dates")],
         text=text_, outlet=outlet, period=options.period(since, until), limit=limit)


@query_app.command("runs")
def query_runs(
    limit: int = options.limit(20), db: Optional[str] = options.DB, format: Output = options.QUERY_FORMAT,
) -> None:
    """Ingest and load runs, newest first: status (running, finished, interrupted, failed) and counts.

    A run whose process died (kill -9) shows as interrupted.

    Example: newsledger query runs --db news.db
    """
    from ..store.queries import runs

    _ask(db, runs, format, [("run", "run"), ("status", "status"), ("started", "started"),
                            ("finished", "finished"), ("analyzed", "analyzed"), ("existing", "existing"),
                            ("duplicates", "duplicates"), ("failed", "failed"), ("sources", "sources")],
         limit=limit)


@query_app.command("claims")
def query_claims(
    speaker: Optional[str] = typer.Option(None, "--speaker", "-s", help="A speaker it is given to, or that speaker's actor (its name or any alias), contains this."),
    text_: Optional[str] = typer.Option(None, "--text", "-t", help="Words of the quotation (full-text search, stemmed)."),
    changed: bool = typer.Option(False, "--changed", help="Only claims quoted with changes somewhere (a variant)."),
    limit: int = options.limit(50), db: Optional[str] = options.DB, format: Output = options.QUERY_FORMAT,
) -> None:
    """The same quotation across articles, most carried first: its first appearance, how many
    outlets carry it, how many variants change its words or its speaker.

    Example: newsledger query claims --speaker Reyes --changed --db news.db
    """
    from ..store.provenance import claims

    _ask(db, claims, format, [("claim", "claim"), ("first_seen", "first seen"), ("outlet", "first outlet"),
                              ("speaker", "speaker"), ("outlets", "outlets"), ("occurrences", "occurrences"),
                              ("variants", "variants"), ("quote", "quote")],
         speaker=speaker, text=text_, changed=True if changed else None, limit=limit)
