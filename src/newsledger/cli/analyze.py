"""`newsledger analyze`: articles in, ledgers out (JSON Lines, a JSON array, or a text report)."""
from __future__ import annotations

import contextlib
import itertools
import json
import sys
from typing import IO, Iterator

import typer
from rich.markup import escape

from . import app, options
from .errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_RECORD_ERRORS, closed_pipe, err, exits, fail, usage
from .options import Format
from .render import render_text, report_console


@app.command()
def analyze(
    inputs: list[str] = typer.Argument(..., metavar="INPUT...", help=(
        "One or more, read in turn: article-v1 JSON Lines file (.jsonl), plain-text file (.txt), HTML page (.html/.htm), RSS/Atom "
        "feed (.rss/.atom/.xml), WARC file (.warc/.warc.gz), any of them gzipped (.gz), a folder of "
        "those (recursive, sorted), an http(s) URL (a page or a feed), or '-' for standard input "
        "(JSON Lines if its first line is a JSON object, else one plain-text article with id 'stdin').")),
    format: Format = options.ANALYZE_FORMAT,
    output: str = typer.Option("-", "--output", "-o", help="Where to write; '-' is standard output."),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="Articles parsed together by spaCy."),
    allow_private_urls: bool = options.ALLOW_PRIVATE_URLS,
    feed_entries_only: bool = options.FEED_ENTRIES_ONLY,
    scheme: options.Scheme = options.SCHEME,
    workers: int = options.WORKERS,
    time_limit: float = options.TIME_LIMIT,
) -> None:
    """Analyze articles into ledgers (ledger-v1), written as they are ready, in input order.

    A record that cannot be analyzed is written in its place as {"id": ..., "error": {"type": ..., "message": ...}} and the run goes on.

    Exit status: 0 all records analyzed; 1 one or more records were errors; 2 usage or set-up error (no such input, unwritable output, no spaCy model or tagger).

    Example: newsledger analyze articles.jsonl story.html --format text
    """
    from ..ingest import InputNotFound, read_inputs
    from ..nlp import ModelNotFound
    from ..workers import Setup, WorkerFailed, Workers, analyze_in

    with exits((InputNotFound, usage)):  # every local input checked before any is read
        streams = [read_inputs(one, allow_private=allow_private_urls, fetch_pages=not feed_entries_only)
                   for one in inputs]
    items = itertools.chain.from_iterable(streams)
    if not time_limit and workers == 1:  # no limit to enforce: no process to run it in
        _write_results(_in_this_process(items, batch_size, scheme), format, output)
    from ..nlp import model_name

    with exits((ModelNotFound, usage)):
        model = model_name()  # no pipeline installed: a usage error before any worker starts
    # several workers share the cores: one thread each
    pool = Workers(workers, time_limit=time_limit or None, setup=Setup(model, threads=1 if workers > 1 else None))
    with pool:
        with exits((WorkerFailed, usage)):
            pool.start()
        _write_results(analyze_in(pool, items, scheme=scheme.value, piece=batch_size), format, output)


def _in_this_process(items, batch_size: int, scheme: options.Scheme):
    """The analysis in this process, its pipeline and tagger loaded first (a missing or damaged one
    is a set-up error, not one error record per article)."""
    from ..extract.attribution_tagger import TaggerError
    from ..extract.attributions import tagger_in_use
    from ..nlp import load, model_name
    from ..pipeline import analyze_articles

    try:
        nlp = load()
    except Exception as exc:  # noqa: BLE001 - no model, spaCy's OSError for a bad name or path
        raise fail(f"cannot load the spaCy pipeline {_model_label(model_name)!r}: {exc}")
    with exits((TaggerError, usage)):
        tagger_in_use()
    return analyze_articles(items, nlp=nlp, batch_size=batch_size, scheme=scheme.value)


def _model_label(model_name) -> str:
    try:
        return model_name()
    except Exception:  # noqa: BLE001
        return "?"


@contextlib.contextmanager
def open_output(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        yield f


def _write_results(results, format: Format, output: str) -> None:
    """Writes ledgers and error records as they come, and exits with the documented status."""
    from ..ingest.textcheck import replace_surrogates
    from ..ledger import ErrorRecord

    n_errors = n_done = 0
    try:
        with open_output(output) as out:
            text_console = report_console(out) if format is Format.text else None
            progress = _progress(output)
            task = progress.add_task("analyzing", total=None) if progress else None
            if progress:
                progress.start()
            try:
                if format is Format.json:
                    out.write("[")
                for result in results:
                    n_errors += isinstance(result, ErrorRecord)
                    if format is Format.text:
                        render_text(result, text_console)
                    else:
                        # no lone surrogate can reach the output: it cannot be encoded (readers
                        # replace them; this guards sources that do not)
                        record = replace_surrogates(json.dumps(result.to_json_dict(), ensure_ascii=False,
                                                               indent=2 if format is Format.json else None))
                        if format is Format.json:
                            out.write(("\n" if n_done == 0 else ",\n") + record)
                        else:
                            out.write(record + "\n")
                    out.flush()
                    n_done += 1
                    if progress:
                        progress.update(task, advance=1)
                if format is Format.json:
                    out.write("\n]\n" if n_done else "]\n")
            finally:
                if progress:
                    progress.stop()
    except BrokenPipeError:  # `newsledger analyze ... | head`
        raise closed_pipe(EXIT_OK if not n_errors else EXIT_RECORD_ERRORS)
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        raise fail("interrupted", EXIT_INTERRUPTED)
    if output != "-":
        err.print(f"[dim]{n_done} record(s), {n_errors} error(s) → {escape(output)}[/]")
    raise typer.Exit(EXIT_RECORD_ERRORS if n_errors else EXIT_OK)


def _progress(output: str):
    """A progress display on stderr, only when writing to a file and stderr is a terminal."""
    if output == "-" or not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True)
