"""The `newsledger` command line: analyze, schema, info, eval.

Exit status: 0 all records analyzed; 1 one or more records were errors (each written in its place);
2 usage or set-up error (no such input, unwritable output, no spaCy model); 130 interrupted.
Never a traceback: problems are one-line messages on standard error.
"""
from __future__ import annotations

import contextlib
import enum
import json
import sys
from typing import IO, Callable, Iterator, Optional

import typer
from rich.console import Console
from rich.markup import escape

from . import __version__

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

app = typer.Typer(
    name="newsledger", add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="News articles in, a ledger out: entities, who said what (attributions), figures and dates, "
         "each with character offsets into the text.",
    epilog="Exit status of analyze: 0 all records analyzed; 1 one or more error records (written in "
           "their place); 2 usage or set-up error (no such input, unwritable output, no spaCy model).")
eval_app = typer.Typer(help="Score newsledger against annotated corpora.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
train_app = typer.Typer(help="Train newsledger's learned parts on annotated corpora.", no_args_is_help=True)
app.add_typer(train_app, name="train")

err = Console(stderr=True, highlight=False)


class Format(str, enum.Enum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


def fail(message: str, code: int = EXIT_USAGE) -> "typer.Exit":
    err.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code)


# ------------------------------------------------------------------ analyze

@contextlib.contextmanager
def open_output(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        yield f


QUOTE_MARKS = "\"'“”‘’„«» "


def _snippet(text: str, spans, limit: int = 240, strip_quotes: bool = True) -> str:
    """The content, whitespace collapsed (and, for a direct quote, without its outer quotation
    marks); a long one keeps its beginning and its end."""
    parts = [" ".join(text[s:e].split()) for s, e in spans]
    out = " … ".join(p for p in parts if p)
    if strip_quotes:
        out = out.strip(QUOTE_MARKS).rstrip(",").rstrip(QUOTE_MARKS)
    if len(out) <= limit:
        return out
    head, tail = out[: limit * 2 // 3].rstrip(), out[-(limit // 3):].lstrip()
    return f"{head} … {tail}"


def render_text(result, console: Console) -> None:
    """A readable report of one ledger (or error record) for a terminal."""
    from .ledger import ErrorRecord

    if isinstance(result, ErrorRecord):
        console.print(f"[bold red]✗ {escape(str(result.id))}[/]  {escape(result.error.type)}: "
                      f"{escape(result.error.message)}")
        console.print()
        return
    led = result
    console.rule(f"[bold]{escape(led.id)}[/]", align="left")
    if led.title:
        console.print(f"[bold]{escape(led.title)}[/]")
    meta = [x for x in (led.outlet, led.author, led.published) if x]
    if meta:
        console.print("[dim]" + escape(" · ".join(meta)) + "[/]")
    for w in led.warnings:
        console.print(f"[yellow]warning:[/] {escape(w)}")
    names = {e.id: e.name for e in led.entities}
    console.print(f"[bold cyan]Entities[/] ({len(led.entities)})")
    for ent in sorted(led.entities, key=lambda e: (-len(e.mentions), e.name)):
        console.print(f"  {escape(ent.name)} [dim]{escape(ent.type)}[/] ×{len(ent.mentions)}")
    console.print(f"[bold cyan]Attributions[/] ({len(led.attributions)})")
    for att in led.attributions:
        src = att.source
        who = " ".join(led.text[src.span[0]:src.span[1]].split()) if src.span else "?"
        if src.entity and src.entity in names and names[src.entity] != who:
            who += f" (→ {names[src.entity]})"
        elif not src.span and src.name:
            who = src.name
        cue = " ".join(led.text[att.cue.span[0]:att.cue.span[1]].split()) if att.cue else "—"
        if att.kind == "direct":
            what = f"“{_snippet(led.text, att.content)}”"
        else:  # reported and mixed speech as written, its own quotation marks kept
            what = _snippet(led.text, att.content, strip_quotes=False)
        console.print(f"  [green]{escape(who)}[/] [magenta]{escape(cue)}[/] [dim]({att.kind})[/]")
        console.print(f"      {escape(what)}")
    if led.figures:
        console.print(f"[bold cyan]Figures[/] ({len(led.figures)}): " + escape(
            "; ".join(" ".join(led.text[f.span[0]:f.span[1]].split()) for f in led.figures[:12])))
    if led.dates:
        console.print(f"[bold cyan]Dates[/] ({len(led.dates)}): " + escape(
            "; ".join(f"{' '.join(led.text[d.span[0]:d.span[1]].split())} = {d.value}" for d in led.dates[:12])))
    console.print()


@app.command()
def analyze(
    input: str = typer.Argument(..., metavar="INPUT", help=(
        "article-v1 JSON Lines file (.jsonl), plain-text file (.txt), HTML page (.html/.htm), any of "
        "them gzipped (.gz), a folder of those (recursive, sorted), or '-' for standard input "
        "(JSON Lines if its first line is a JSON object, else one plain-text article with id 'stdin').")),
    format: Format = typer.Option(Format.jsonl, "--format", "-f", help=(
        "jsonl: one ledger (or error record) a line, in input order; json: a JSON array of them "
        "(always an array, even for one article); text: a readable report.")),
    output: str = typer.Option("-", "--output", "-o", help="Where to write; '-' is standard output."),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="Articles parsed together by spaCy."),
) -> None:
    """Analyze articles into ledgers (ledger-v1), written as they are ready, in input order.

    A record that cannot be analyzed is written in its place as {"id": ..., "error": {"type": ...,
    "message": ...}} and the run goes on. Exit status: 0 all records analyzed; 1 one or more records
    were errors; 2 usage or set-up error (no such input, unwritable output, no spaCy model).
    """
    from .ingest import InputNotFound, read_inputs
    from .ledger import ErrorRecord
    from .nlp import ModelNotFound

    try:
        items = read_inputs(input)
    except InputNotFound as exc:
        raise fail(str(exc))
    try:
        from .nlp import load, model_name

        nlp = load()
    except ModelNotFound as exc:
        raise fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - spaCy's OSError for an unknown name or path, and the like
        raise fail(f"cannot load the spaCy pipeline {_model_label(model_name)!r}: {exc}")
    n_errors = n_done = 0
    try:
        with open_output(output) as out:
            from .pipeline import analyze_articles

            text_console = (Console(file=out, highlight=False, soft_wrap=False,
                                    force_terminal=out.isatty() if hasattr(out, "isatty") else False)
                            if format is Format.text else None)
            progress = _progress(output)
            task = progress.add_task("analyzing", total=None) if progress else None
            if progress:
                progress.start()
            try:
                if format is Format.json:
                    out.write("[")
                for result in analyze_articles(items, nlp=nlp, batch_size=batch_size):
                    n_errors += isinstance(result, ErrorRecord)
                    if format is Format.text:
                        render_text(result, text_console)
                    else:
                        record = json.dumps(result.to_json_dict(), ensure_ascii=False,
                                            indent=2 if format is Format.json else None)
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
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):  # `newsledger analyze ... | head`
            with contextlib.suppress(Exception):
                sys.stdout = open("/dev/null", "w")  # noqa: SIM115 - keep interpreter exit quiet
            raise typer.Exit(EXIT_OK if not n_errors else EXIT_RECORD_ERRORS)
        raise fail(f"cannot write {output}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        raise fail("interrupted", EXIT_INTERRUPTED)
    if output != "-":
        err.print(f"[dim]{n_done} record(s), {n_errors} error(s) → {escape(output)}[/]")
    raise typer.Exit(EXIT_RECORD_ERRORS if n_errors else EXIT_OK)


def _model_label(model_name) -> str:
    try:
        return model_name()
    except Exception:  # noqa: BLE001
        return "?"


def _progress(output: str):
    """A progress display on stderr, only when writing to a file and stderr is a terminal."""
    if output == "-" or not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True)


# ------------------------------------------------------------------ schema, info

@app.command()
def schema() -> None:
    """Print the JSON Schema of a ledger (ledger-v1), generated from the models."""
    from .ledger import Ledger

    typer.echo(json.dumps(Ledger.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


@app.command()
def info(format: Format = typer.Option(Format.text, "--format", "-f",
                                       help="text (default) or json.")) -> None:
    """Print the newsledger version, the spaCy pipeline it uses and the spaCy version."""
    import platform
    from importlib import metadata

    from .nlp import ModelNotFound, model_name

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


# ------------------------------------------------------------------ eval

def _run_scorer(data: str, score: Callable[[], object]) -> None:
    """Run an in-process scorer on the folder `data`, its failures as command-line errors."""
    import os

    from .nlp import ModelNotFound

    if not os.path.isdir(data):
        raise fail(f"no such folder: {data}")
    try:
        score()
    except (FileNotFoundError, ValueError, ModelNotFound) as exc:
        raise fail(str(exc))
    except OSError as exc:  # e.g. an unwritable --json file
        raise fail(f"{getattr(exc, 'filename', None) or ''}: {exc.strerror or exc}".lstrip(": "))
    except KeyboardInterrupt:
        raise fail("interrupted", EXIT_INTERRUPTED)


@eval_app.command("attributions")
def eval_attributions(
    data: str = typer.Option(..., "--data", help="PolNeAR folder (with metadata.tsv, train/, dev/, test/)."),
    split: str = typer.Option("dev", "--split", help="Which compartment to score: train, dev or test."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Score only the first N documents."),
    json_out: Optional[str] = typer.Option(None, "--json", help="Also write the scores as JSON to this file."),
) -> None:
    """Score attribution extraction (who said what) against PolNeAR, in-process, with error analysis."""
    from .eval import attributions

    _run_scorer(data, lambda: attributions.main(data, split, limit, json_out))


@eval_app.command("timex")
def eval_timex(
    data: str = typer.Option(..., "--data", help="Folder of TimeML .tml documents (e.g. TempEval-3 TimeBank)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Score only the first N documents."),
    json_out: Optional[str] = typer.Option(None, "--json", help="Also write the scores as JSON to this file."),
    examples: int = typer.Option(20, "--examples", min=0, help="Errors listed per kind (missed, spurious, wrong value)."),
) -> None:
    """Score time expressions (TIMEX3 spans and values) against TimeML documents, in-process, with errors listed."""
    from .eval import timex

    _run_scorer(data, lambda: timex.main(data, limit, json_out, examples))


@train_app.command("attributions")
def train_attributions(
    data: str = typer.Option(..., "--data", help="PolNeAR folder (with metadata.tsv and train/)."),
    split: str = typer.Option("train", "--split", help="The compartment to learn from."),
    output: Optional[str] = typer.Option(
        None, "--output", help="Folder for cue_lexicon.json and attribution_model.json "
                               "(default: the package's data folder, i.e. replace the shipped files)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Learn from the first N documents only."),
) -> None:
    """Count the cue lexicon and fit the attribution decision model (deterministic: a retrain on the
    same data and spaCy pipeline reproduces the shipped files). Takes about 4 minutes on 2 cores."""
    import os

    from . import training
    from .nlp import ModelNotFound

    if not os.path.isdir(data):
        raise fail(f"no such folder: {data}")
    if output and not os.path.isdir(output):
        raise fail(f"no such folder: {output}")
    try:
        training.main(data, split, output, limit)
    except (FileNotFoundError, ValueError, ModelNotFound) as exc:
        raise fail(str(exc))
    except KeyboardInterrupt:
        raise fail("interrupted", EXIT_INTERRUPTED)


def main() -> None:  # `python -m newsledger`
    app()
