"""`newsledger schema` and `newsledger info`: what a ledger is, what this installation runs."""
from __future__ import annotations

import contextlib
import json

import typer
from rich.console import Console
from rich.markup import escape

from .. import __version__
from . import app, options
from .options import Format


@app.command()
def schema() -> None:
    """Print the JSON Schema of a ledger (ledger-v1), generated from the models.

    Example: newsledger schema > ledger-v1.schema.json
    """
    from ..ledger import Ledger

    typer.echo(json.dumps(Ledger.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


@app.command()
def info(format: Format = options.INFO_FORMAT) -> None:
    """Print the newsledger version, the spaCy pipeline it uses and the spaCy version.

    Example: newsledger info --format json
    """
    import platform
    from importlib import metadata

    from ..nlp import ModelNotFound, model_name

    try:
        spacy_version = metadata.version("spacy")
    except metadata.PackageNotFoundError:
        spacy_version = None
    try:
        model, problem = model_name(), None
    except ModelNotFound as exc:
        model, problem = None, str(exc)
    model_version = None
    if model:
        for dist in (model, model.replace("_", "-")):
            with contextlib.suppress(metadata.PackageNotFoundError, ValueError):
                model_version = metadata.version(dist)
                break
    data = {"version": __version__, "spacy_model": model, "spacy_model_version": model_version,
            "spacy_version": spacy_version, "python": platform.python_version()}
    if problem:
        data["problem"] = problem
    if format is Format.json or format is Format.jsonl:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    out = Console(highlight=False)
    for key, value in data.items():
        out.print(f"[bold]{key}[/]: {escape(str(value))}")
