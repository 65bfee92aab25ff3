"""The `newsledger` command line: analyze, ingest, load, migrate, link, query, entities, export, serve,
schema, info, eval, train, cluster.

One module a command group, each command a thin layer over one library call: it parses its
options (the shared ones are in options.py), opens what it needs, makes the call inside
errors.exits(...) (the one mapping of exceptions to messages and exit codes) and renders
(render.py). Heavy libraries (spaCy, ONNX Runtime, the store's drivers) are imported inside the
commands: `newsledger --help` and `newsledger info` load none of them.

Exit status: 0 all records analyzed; 1 one or more records were errors (each written in its place);
2 usage or set-up error (no such input, unwritable output, no spaCy model or tagger); 130 interrupted.
Never a traceback: problems are one-line messages on standard error.
"""
from __future__ import annotations

import typer

from .. import __version__
from .errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE, err, fail, store_fail

app = typer.Typer(
    name="newsledger", add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="News articles in, a ledger out: entities, who said what (attributions), figures and dates, "
         "each with character offsets into the text.",
    epilog="Exit status of analyze: 0 all records analyzed; 1 one or more error records (written in "
           "their place); 2 usage or set-up error (no such input, unwritable output, no spaCy model or tagger).")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"newsledger {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                       help="Print the version (newsledger X.Y.Z) and exit.")) -> None:
    pass


# each module registers its commands on `app` (the order is the order of `newsledger --help`)
from . import analyze, info, ingest, link, export, serve, eval, train, cluster, query, entities  # noqa: E402,F401,I001
from .render import _figure_line, _number, _snippet, render_text  # noqa: E402,F401


def main() -> None:  # `python -m newsledger`
    app()


__all__ = ["app", "main", "EXIT_OK", "EXIT_RECORD_ERRORS", "EXIT_USAGE", "EXIT_INTERRUPTED",
           "fail", "store_fail", "err", "render_text"]
