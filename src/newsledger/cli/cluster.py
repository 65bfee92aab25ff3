"""`newsledger cluster run`: the analysis on Ray Data, into Parquet for `newsledger load`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from . import app
from .errors import err, exits, fail, usage

cluster_app = typer.Typer(help="Run the analysis on a Ray cluster (or a local Ray).", no_args_is_help=True)
app.add_typer(cluster_app, name="cluster")


@cluster_app.command("run")
def cluster_run(
    inputs: list[str] = typer.Argument(..., metavar="INPUT...", help="article-v1 JSON Lines files, Parquet files or folders, WARC files."),
    output: str = typer.Option(..., "--output", "-o", help="Folder for the Parquet files of outcomes (for `newsledger load`)."),
    address: Optional[str] = typer.Option(None, "--address", help=(
        "Ray cluster address ('auto', 'ray://head:10001'); default: a local Ray on this machine.")),
    actors: int = typer.Option(2, "--actors", min=1, help="Workers, each with the spaCy pipeline loaded once."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Articles an actor takes at a time."),
) -> None:
    """Analyze articles on Ray Data and write Parquet; then `newsledger load OUTPUT --db URL`.

    Example: newsledger cluster run articles.jsonl --output outcomes/
    """
    from ..corpus import cluster

    for source in inputs:
        if not Path(source).exists():
            raise fail(f"no such input: {source}")
    if Path(output).exists() and any(Path(output).iterdir()):
        raise fail(f"{output} is not empty: give a new folder")
    with exits((ValueError, usage), interrupted="interrupted"):
        n = cluster.run(inputs, output, address=address, actors=actors, batch_size=batch_size)
    err.print(f"{n} row(s) → {escape(output)}; store them with: newsledger load {escape(output)} --db URL")
