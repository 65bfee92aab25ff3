"""`newsledger export`: stored articles and their ledgers as JSON Lines, Parquet, CSV or GDELT GKG."""
from __future__ import annotations

import contextlib
from typing import Optional

import typer
from rich.markup import escape

from . import app, options
from .errors import EXIT_OK, cannot_write, closed_pipe, err, exits, store, typed, usage
from .options import ExportFormat


@app.command()
def export(
    db: Optional[str] = options.DB_TO_READ,
    format: ExportFormat = options.EXPORT_FORMAT,
    output: str = typer.Option("-", "--output", "-o", help=(
        "A file, or '-' for standard output (jsonl, gkg); a folder, made if missing (parquet, csv).")),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Only articles of this outlet (exact)."),
    since: Optional[str] = options.SINCE, until: Optional[str] = options.UNTIL,
) -> None:
    """Export stored articles and their ledgers (see docs/export.md for each format).

    Reads the store a batch at a time: memory stays bounded whatever its size.

    Entities and speakers come with the corpus's person or organization they belong to (see newsledger entities): jsonl adds `actor` ({"id", "name"}) to entities and sources, parquet and csv the columns actor, actor_id (entities) and source_actor, source_actor_id (attributions), gkg writes the actor's name.

    Exit status: 0 written; 2 usage or set-up error (no such store, unwritable output); 130 interrupted.

    Example: newsledger export --db news.db --format parquet --output tables/
    """
    from ..export import ExportError, export as run_export
    from ..store import STORE_ERRORS
    from ..store.read import Filters

    filters = Filters(outlet=outlet, period=options.period(since, until))
    db_store = options.open_db(db, read_only=True)  # never made, nor written: a read-only file will do
    with contextlib.closing(db_store), exits(
            (ExportError, usage),
            (ValueError, typed("cannot export: ")),  # e.g. a value Arrow cannot hold: a message, not a traceback
            (BrokenPipeError, lambda exc: closed_pipe(EXIT_OK)),  # `newsledger export ... | head`
            (OSError, cannot_write(output)),
            (STORE_ERRORS, store("cannot read the store: ")),
            interrupted="interrupted"):
        counted = run_export(db_store, format.value, output, filters)
    if output != "-":
        what = f"{counted} article(s)" if isinstance(counted, int) else \
            ", ".join(f"{n} {table}" for table, n in counted.items())
        err.print(f"[dim]{escape(what)} → {escape(output)}[/]")
