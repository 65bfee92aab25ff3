"""`newsledger ingest`, `load` and `migrate`: the commands that write the store."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from . import app, options
from .errors import EXIT_OK, EXIT_RECORD_ERRORS, RESUMED, err, exits, fail, store, typed, usage


@app.command()
def ingest(
    sources: list[str] = typer.Argument(..., metavar="SOURCE...", help=(
        "Inputs as for analyze: article-v1 JSON Lines, .txt, .html, feeds, WARC files, gzipped or not, "
        "folders of them, http(s) URLs, '-'.")),
    db: Optional[str] = options.DB_TO_WRITE,
    workers: int = options.WORKERS,
    time_limit: float = options.TIME_LIMIT,
    chunk_size: int = typer.Option(32, "--chunk-size", min=1, max=10_000,
                                   help="Articles a transaction (and a worker's unit of work)."),
    allow_private_urls: bool = options.ALLOW_PRIVATE_URLS,
    feed_entries_only: bool = options.FEED_ENTRIES_ONLY,
) -> None:
    """Analyze articles into the store, skipping those already there (keyed by content hash).

    Resumable: after a crash or kill, the same command finishes the job with nothing lost and nothing stored twice. Articles that cannot be analyzed are recorded as failures of the run (and tried again by the next run); the run goes on.

    Exit status: 0 no failures; 1 some failures; 2 usage or set-up error; 130 interrupted (what was written stays written).

    Example: newsledger ingest feeds.txt --db news.db --workers 2
    """
    from ..corpus.batch import count_items, ingest as run_ingest
    from ..ingest import InputNotFound
    from ..ingest.readers import is_url
    from ..nlp import ModelNotFound
    from ..store import STORE_ERRORS
    from ..workers import WorkerFailed

    for source in sources:
        if source != "-" and not is_url(source) and not Path(source).exists():
            raise fail(f"no such input: {source}")
    db_store = options.open_db(db)
    progress = _ingest_progress()
    task = progress.add_task("ingesting", total=count_items(sources)) if progress else None

    def on_progress(summary) -> None:
        if progress:
            progress.update(task, completed=summary.seen,
                            description=f"ingesting · {summary.failed} failed · {summary.existing} already stored")

    with contextlib.closing(db_store), _shown(progress), exits(
            ((InputNotFound, ModelNotFound, WorkerFailed), usage),
            (STORE_ERRORS, store("cannot write to the store: ")),  # e.g. a full disk: the chunk in flight was rolled back
            interrupted=RESUMED):
        summary = run_ingest(sources, db_store, workers=workers, chunk_size=chunk_size, on_progress=on_progress,
                             time_limit=time_limit or None, allow_private=allow_private_urls,
                             fetch_pages=not feed_entries_only)
    _report_run(summary)


@app.command()
def load(
    paths: list[str] = typer.Argument(..., metavar="PARQUET...", help="Files or folders written by `newsledger cluster run`."),
    db: Optional[str] = options.DB,
) -> None:
    """Store the outcomes of a cluster run: idempotent (stored articles are left alone), failures recorded, near-duplicates of stored articles linked to their originals.

    Example: newsledger load outcomes/ --db news.db
    """
    from ..corpus.batch import load as load_outcomes
    from ..corpus.cluster import read_outcomes
    from ..store import STORE_ERRORS

    for p in paths:
        if not Path(p).exists():
            raise fail(f"no such input: {p}")
    db_store = options.open_db(db)
    with contextlib.closing(db_store), exits(
            (STORE_ERRORS, store("cannot write to the store: ")),  # e.g. a full disk: the chunk in flight was rolled back
            (Exception, typed(f"cannot load {', '.join(paths)}: ")),  # pyarrow's, for files not ours
            interrupted=RESUMED):
        summary = load_outcomes(read_outcomes(paths), db_store, paths)
    _report_run(summary)


@app.command()
def migrate(db: Optional[str] = options.DB) -> None:
    """Bring the store to this newsledger's schema (made if missing).

    ingest, load and serve do this themselves; query and export only read, and ask for it.

    Example: newsledger migrate --db postgresql+psycopg://localhost/news
    """
    from ..store.db import head_revision

    options.open_db(db).close()
    err.print(f"the store is at schema {head_revision()}")


def _report_run(summary) -> None:
    for failure in summary.failures:
        err.print(f"[red]failed[/] {escape(str(failure.id))}: {escape(failure.error.type)}: "
                  f"{escape(failure.error.message[:300])}")
    err.print(f"run {summary.run_id}: {summary.analyzed} analyzed, {summary.duplicates} near-duplicates "
              f"linked to their originals, {summary.skipped} stored without analysis (not English), "
              f"{summary.existing} already stored, {summary.failed} failed")
    raise typer.Exit(EXIT_RECORD_ERRORS if summary.failed else EXIT_OK)


@contextlib.contextmanager
def _shown(progress):
    """The progress display, started and (whatever happens) stopped; nothing without one."""
    if progress is None:
        yield
        return
    progress.start()
    try:
        yield
    finally:
        progress.stop()


def _ingest_progress():
    """Articles done, articles/s, elapsed and remaining time on stderr, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} articles/s" if speed else "… articles/s")

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(),
                    TimeElapsedColumn(), TimeRemainingColumn(), console=err, transient=True)
