"""The `newsledger` command line: analyze, ingest, export, schema, info, eval, train.

Exit status: 0 all records analyzed; 1 one or more records were errors (each written in its place);
2 usage or set-up error (no such input, unwritable output, no spaCy model or tagger); 130 interrupted.
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
from .text import marks

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

app = typer.Typer(
    name="newsledger", add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="News articles in, a ledger out: entities, who said what (attributions), figures and dates, "
         "each with character offsets into the text.",
    epilog="Exit status of analyze: 0 all records analyzed; 1 one or more error records (written in "
           "their place); 2 usage or set-up error (no such input, unwritable output, no spaCy model or tagger).")
eval_app = typer.Typer(help="Score newsledger against annotated corpora.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
train_app = typer.Typer(help="Train newsledger's learned parts on annotated corpora.", no_args_is_help=True)
app.add_typer(train_app, name="train")
cluster_app = typer.Typer(help="Run the analysis on a Ray cluster (or a local Ray).", no_args_is_help=True)
app.add_typer(cluster_app, name="cluster")
query_app = typer.Typer(help="Ask the store: quotes, figures, speakers, articles (a table, or --format json).",
                        no_args_is_help=True)
app.add_typer(query_app, name="query")

err = Console(stderr=True, highlight=False)


class Format(str, enum.Enum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


class Scheme(str, enum.Enum):
    claims = "claims"
    polnear = "polnear"


SCHEME_HELP = ("What counts as an attribution. claims: the annotation guideline's (claims, beliefs, "
               "intentions, questions, denials, findings, nested claims included; acts, evidence and the "
               "article's own questions left out). polnear: PolNeAR's broader, univocal scheme (acts and "
               "sentiments too), to compare with figures published on PolNeAR.")


def fail(message: str, code: int = EXIT_USAGE) -> "typer.Exit":
    err.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code)


def store_fail(exc: BaseException, doing: str = "") -> "typer.Exit":
    """A store's error (StoreError, SQLAlchemy's, the driver's) as one unwrapped line, exit status 2."""
    from .store.db import explain

    err.print(f"[bold red]error:[/] {escape(doing + explain(exc))}", soft_wrap=True)
    return typer.Exit(EXIT_USAGE)


# ------------------------------------------------------------------ analyze

@contextlib.contextmanager
def open_output(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        yield f


QUOTE_MARKS = marks.QUOTES + " "


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


def _number(x) -> str:
    """1300000.0 -> '1,300,000'; 0.25 -> '0.25'; None -> '?'."""
    if x is None:
        return "?"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.6g}"


def _figure_line(led, fig) -> str:
    """"over 5,700 → >5700 Palestinians dead · Gaza · since October 7 · per local officials"."""
    said = " ".join(led.text[fig.span[0]:fig.span[1]].split())
    value = _number(fig.value)
    if fig.value_max is not None:
        value += f"–{_number(fig.value_max)}"
    approx = {"exact": "", "about": "~", "at_least": "≥", "at_most": "≤", "more_than": ">",
              "less_than": "<", "up_to": "≤"}.get(fig.approx, "")
    what = " ".join(x for x in (approx + value, fig.unit, fig.quantity) if x)
    parts = [f"{said} → {what}"]
    if fig.change:
        parts.append(fig.change)
    parts += [x for x in (fig.location, fig.time) if x]
    if fig.attribution is not None and 0 <= fig.attribution < len(led.attributions):
        src = led.attributions[fig.attribution].source
        who = src.name or (" ".join(led.text[src.span[0]:src.span[1]].split()) if src.span else None)
        if who and src.resolved is False:
            who += " (unresolved)"
        parts.append(f"per {who}" if who else "attributed")
    else:
        parts.append("unsourced")
    return " · ".join(parts)


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
        elif src.resolved is False:
            who += " (unresolved)"
        elif src.span and src.name and src.name != who:  # a relative pronoun's antecedent
            who += f" (→ {src.name})"
        elif not src.span and src.name:
            who = src.name
        cue = " ".join(led.text[att.cue.span[0]:att.cue.span[1]].split()) if att.cue else "—"
        if att.kind == "direct":
            what = f"{marks.LEFT_DOUBLE}{_snippet(led.text, att.content)}{marks.RIGHT_DOUBLE}"
        else:  # reported and mixed speech as written, its own quotation marks kept
            what = _snippet(led.text, att.content, strip_quotes=False)
        console.print(f"  [green]{escape(who)}[/] [magenta]{escape(cue)}[/] [dim]({att.kind})[/]")
        console.print(f"      {escape(what)}")
    if led.figures:
        console.print(f"[bold cyan]Figures[/] ({len(led.figures)})")
        for fig in led.figures:
            console.print("  " + escape(_figure_line(led, fig)))
    if led.dates:
        console.print(f"[bold cyan]Dates[/] ({len(led.dates)})")
        for d in led.dates:
            console.print(f"  {escape(' '.join(led.text[d.span[0]:d.span[1]].split()))} "
                          f"[dim]{d.type}[/] = {escape(d.value)}")
    console.print()


ALLOW_PRIVATE_HELP = ("Let URLs and feed links reach private, loopback and link-local addresses "
                      "(refused by default: a server fetching what users name must not reach its own network).")
WORKERS_OPTION = typer.Option(1, "--workers", "-w", min=1, max=64, help=(
    "Processes that analyze in parallel (each loads the spaCy pipeline, about 0.5-1 GB)."))
TIME_LIMIT_OPTION = typer.Option(300.0, "--time-limit", min=0, metavar="SECONDS", help=(
    "Longest an article's analysis may take; one that runs over is ended and recorded as a Timeout "
    "error, and the run goes on. 0: no limit (with one worker, the analysis then runs in this process). "
    "A normal 200 KB article takes about 15 s."))
FEED_ENTRIES_HELP = ("Feeds: take each entry's own content (or summary) as the article instead of fetching "
                     "the page it links to (for full-content feeds, or offline).")


@app.command()
def analyze(
    input: str = typer.Argument(..., metavar="INPUT", help=(
        "article-v1 JSON Lines file (.jsonl), plain-text file (.txt), HTML page (.html/.htm), RSS/Atom "
        "feed (.rss/.atom/.xml), WARC file (.warc/.warc.gz), any of them gzipped (.gz), a folder of "
        "those (recursive, sorted), an http(s) URL (a page or a feed), or '-' for standard input "
        "(JSON Lines if its first line is a JSON object, else one plain-text article with id 'stdin').")),
    format: Format = typer.Option(Format.jsonl, "--format", "-f", help=(
        "jsonl: one ledger (or error record) a line, in input order; json: a JSON array of them "
        "(always an array, even for one article); text: a readable report.")),
    output: str = typer.Option("-", "--output", "-o", help="Where to write; '-' is standard output."),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="Articles parsed together by spaCy."),
    allow_private_urls: bool = typer.Option(False, "--allow-private-urls", help=ALLOW_PRIVATE_HELP),
    feed_entries_only: bool = typer.Option(False, "--feed-entries-only", help=FEED_ENTRIES_HELP),
    scheme: Scheme = typer.Option(Scheme.claims, "--scheme", help=SCHEME_HELP),
    workers: int = WORKERS_OPTION,
    time_limit: float = TIME_LIMIT_OPTION,
) -> None:
    """Analyze articles into ledgers (ledger-v1), written as they are ready, in input order.

    A record that cannot be analyzed is written in its place as {"id": ..., "error": {"type": ...,
    "message": ...}} and the run goes on. Exit status: 0 all records analyzed; 1 one or more records
    were errors; 2 usage or set-up error (no such input, unwritable output, no spaCy model or tagger).
    """
    from .ingest import InputNotFound, read_inputs
    from .workers import Setup, WorkerFailed, Workers, analyze_in

    try:
        items = read_inputs(input, allow_private=allow_private_urls, fetch_pages=not feed_entries_only)
    except InputNotFound as exc:
        raise fail(str(exc))
    if not time_limit and workers == 1:  # no limit to enforce: no process to run it in
        from .nlp import load, model_name
        from .pipeline import analyze_articles

        try:
            nlp = load()
        except Exception as exc:  # noqa: BLE001 - no model, spaCy's OSError for a bad name or path
            raise fail(f"cannot load the spaCy pipeline {_model_label(model_name)!r}: {exc}")
        try:  # a missing or damaged tagger file is a set-up error, not one error record per article
            from .extract.attribution_tagger import TaggerError
            from .extract.attributions import tagger_in_use

            tagger_in_use()
        except TaggerError as exc:
            raise fail(str(exc))
        _write_results(analyze_articles(items, nlp=nlp, batch_size=batch_size, scheme=scheme.value), format, output)
    from .nlp import ModelNotFound, model_name

    try:
        model = model_name()  # named here: a worker's environment is not this process's
    except ModelNotFound as exc:
        raise fail(str(exc))
    # several workers share the cores: one thread each
    pool = Workers(workers, time_limit=time_limit or None, setup=Setup(model, threads=1 if workers > 1 else None))
    with pool:
        try:
            pool.start()
        except WorkerFailed as exc:
            raise fail(str(exc))
        _write_results(analyze_in(pool, items, scheme=scheme.value, piece=batch_size), format, output)


def _write_results(results, format: Format, output: str) -> None:
    """Writes ledgers and error records as they come, and exits with the documented status."""
    from .ingest.textcheck import replace_surrogates
    from .ledger import ErrorRecord

    n_errors = n_done = 0
    try:
        with open_output(output) as out:
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
    scheme: Scheme = typer.Option(Scheme.claims, "--scheme", help=SCHEME_HELP),
) -> None:
    """Score attribution extraction (who said what) against PolNeAR, in-process, with error analysis.

    PolNeAR annotates by its own, broader scheme: compare with published PolNeAR figures with
    --scheme polnear.
    """
    from .lab.eval import attributions

    _run_scorer(data, lambda: attributions.main(data, split, limit, json_out, scheme.value))


@eval_app.command("realnews")
def eval_realnews(
    split: str = typer.Option("dev", "--split", help="dev (worked on) or test (only measured)."),
    articles: str = typer.Option("../shared/datasets/html-articles", "--articles",
                                 help="The html-articles folder holding ground-truth.json (the texts)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Score only the first N articles."),
    json_out: Optional[str] = typer.Option(None, "--json", help="Also write the scores as JSON to this file."),
    scheme: Scheme = typer.Option(Scheme.claims, "--scheme", help=SCHEME_HELP),
) -> None:
    """Score attributions, entity mentions and figures on the project's own real-news set
    (data/realnews: pages of many outlets annotated by the guideline), in-process.

    Example: newsledger eval realnews --split test --articles ../shared/datasets/html-articles
    """
    from .lab.eval import realnews

    _run_scorer(articles, lambda: realnews.run(split, articles, scheme.value, limit, json_out))


@eval_app.command("timex")
def eval_timex(
    data: str = typer.Option(..., "--data", help="Folder of TimeML .tml documents (e.g. TempEval-3 TimeBank)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Score only the first N documents."),
    json_out: Optional[str] = typer.Option(None, "--json", help="Also write the scores as JSON to this file."),
    examples: int = typer.Option(20, "--examples", min=0, help="Errors listed per kind (missed, spurious, wrong value)."),
) -> None:
    """Score time expressions (TIMEX3 spans and values) against TimeML documents, in-process, with errors listed."""
    from .lab.eval import timex

    _run_scorer(data, lambda: timex.main(data, limit, json_out, examples))


@eval_app.command("figures")
def eval_figures(
    data: str = typer.Option(..., "--data", help="NewsQuant JSON file (a list of sentences with quantities)."),
    json_out: Optional[str] = typer.Option(None, "--json", help="Also write the scores as JSON to this file."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Score only the first N sentences."),
    examples: int = typer.Option(20, "--examples", min=0, help="List at most N errors of each kind."),
    part: str = typer.Option("all", "--part", help="Score one part of the deterministic split: 'tune' "
                             "(the ~70% rules may be tuned on), 'heldout' (~30%, by a hash of each "
                             "sentence's text) or 'all'."),
) -> None:
    """Score figure extraction (numbers and what they count) against NewsQuant, in-process."""
    import os

    from .lab.eval import figures

    from .nlp import ModelNotFound

    if not os.path.isfile(data):
        raise fail(f"no such file: {data}")
    if part not in figures.PARTS:
        raise fail(f"--part must be one of {', '.join(figures.PARTS)}, not {part!r}")
    try:
        figures.main(data, json_out, limit, examples, part)
    except (ValueError, KeyError, TypeError, ModelNotFound) as exc:
        raise fail(f"{data}: not a NewsQuant file ({exc})" if not isinstance(exc, ModelNotFound) else str(exc))
    except OSError as exc:
        raise fail(f"{getattr(exc, 'filename', None) or ''}: {exc.strerror or exc}".lstrip(": "))
    except KeyboardInterrupt:
        raise fail("interrupted", EXIT_INTERRUPTED)


@train_app.command("attributions")
def train_attributions(
    data: str = typer.Option(..., "--data", help="PolNeAR folder (with metadata.tsv and train/)."),
    split: str = typer.Option("train", "--split", help="The compartment to learn from."),
    output: Optional[str] = typer.Option(
        None, "--output", help="Folder for cue_lexicon.json and attribution_model.json "
                               "(default: the package's data folder, i.e. replace the shipped files)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Learn from the first N documents only."),
    tagger: bool = typer.Option(True, "--tagger/--no-tagger",
                                help="Fine-tune the attribution tagger too (most of the time); "
                                     "--no-tagger fits a decision model that does without it."),
    taggers_from: Optional[str] = typer.Option(
        None, "--taggers-from", help="Reuse the taggers an earlier run wrote to this folder "
                                     "(attribution_tagger.onnx and tagger-folds/) and fit the rest again."),
) -> None:
    """Fine-tune the attribution tagger and export it to ONNX (attribution_tagger.onnx, int8), count
    the cue lexicon and fit the attribution decision model (seeded: a retrain on the same data and
    spaCy pipeline reproduces the shipped files). Takes about an hour on 2 cores, 4 minutes with
    --no-tagger. Fine-tuning needs the train extra: pip install 'newsledger[train]'."""
    import os
    import subprocess

    from .lab import training
    from .nlp import ModelNotFound

    if not os.path.isdir(data):
        raise fail(f"no such folder: {data}")
    if output and not os.path.isdir(output):
        raise fail(f"no such folder: {output}")
    if tagger and not taggers_from:
        missing = training.missing_for_tagger()
        if missing:
            raise fail(f"fine-tuning the tagger needs the train extra ({', '.join(missing)} missing): "
                       "pip install 'newsledger[train]', or give --no-tagger or --taggers-from")
    try:
        training.main(data, split, output, limit, tagger=tagger, taggers_from=taggers_from)
    except (FileNotFoundError, ValueError, ModelNotFound) as exc:
        raise fail(str(exc))
    except subprocess.CalledProcessError:
        raise fail("training the attribution tagger failed (its messages are above)")
    except KeyboardInterrupt:
        raise fail("interrupted", EXIT_INTERRUPTED)


@app.command()
def ingest(
    sources: list[str] = typer.Argument(..., metavar="SOURCE...", help=(
        "Inputs as for analyze: article-v1 JSON Lines, .txt, .html, feeds, WARC files, gzipped or not, "
        "folders of them, http(s) URLs, '-'.")),
    db: str = typer.Option(None, "--db", help=(
        "Database URL (sqlite:///path.db, postgresql+psycopg://...) or an SQLite file path. "
        "Default: $NEWSLEDGER_DB, else newsledger.db in this folder.")),
    workers: int = WORKERS_OPTION,
    time_limit: float = TIME_LIMIT_OPTION,
    chunk_size: int = typer.Option(32, "--chunk-size", min=1, max=10_000,
                                   help="Articles a transaction (and a worker's unit of work)."),
    allow_private_urls: bool = typer.Option(False, "--allow-private-urls", help=ALLOW_PRIVATE_HELP),
    feed_entries_only: bool = typer.Option(False, "--feed-entries-only", help=FEED_ENTRIES_HELP),
) -> None:
    """Analyze articles into the store, skipping those already there (keyed by content hash).

    Resumable: after a crash or kill, the same command finishes the job with nothing lost and nothing
    stored twice. Articles that cannot be analyzed are recorded as failures of the run (and tried
    again by the next run); the run goes on. Exit status: 0 no failures; 1 some failures; 2 usage or
    set-up error; 130 interrupted (what was written stays written).
    """
    from .corpus.batch import count_items, ingest as run_ingest
    from .ingest import InputNotFound
    from .ingest.readers import is_url
    from .nlp import ModelNotFound
    from .store import STORE_ERRORS
    from .workers import WorkerFailed

    from pathlib import Path

    for source in sources:
        if source != "-" and not is_url(source) and not Path(source).exists():
            raise fail(f"no such input: {source}")
    store = _open_store(db)
    progress = _ingest_progress()
    task = progress.add_task("ingesting", total=count_items(sources)) if progress else None

    def on_progress(summary) -> None:
        if progress:
            progress.update(task, completed=summary.seen,
                            description=f"ingesting · {summary.failed} failed · {summary.existing} already stored")

    try:
        if progress:
            progress.start()
        summary = run_ingest(sources, store, workers=workers, chunk_size=chunk_size, on_progress=on_progress,
                             time_limit=time_limit or None, allow_private=allow_private_urls,
                             fetch_pages=not feed_entries_only)
    except (InputNotFound, ModelNotFound) as exc:
        raise fail(str(exc))
    except WorkerFailed as exc:
        raise fail(str(exc))
    except STORE_ERRORS as exc:  # e.g. a full disk: the chunk in flight was rolled back
        raise store_fail(exc, "cannot write to the store: ")
    except KeyboardInterrupt:
        raise fail("interrupted; what was stored stays stored: the same command goes on", EXIT_INTERRUPTED)
    finally:
        if progress:
            progress.stop()
        store.close()
    _report_run(summary)


def _open_store(db: Optional[str], read_only: bool = False):
    """The store at --db (default: $NEWSLEDGER_DB, else newsledger.db), or a usage error.
    read_only: for the commands that read (query, export): a store that is not there is an error,
    never made (a mistyped --db would otherwise answer from a new, empty store); nothing is
    written, so a read-only file or folder will do (see store.db.open_store)."""
    from .store.db import DEFAULT_URL, StoreError, open_store

    try:
        return open_store(db or DEFAULT_URL, read_only=read_only)
    except StoreError as exc:
        raise store_fail(exc)


def _report_run(summary) -> None:
    for failure in summary.failures:
        err.print(f"[red]failed[/] {escape(str(failure.id))}: {escape(failure.error.type)}: "
                  f"{escape(failure.error.message[:300])}")
    err.print(f"run {summary.run_id}: {summary.analyzed} analyzed, {summary.duplicates} near-duplicates "
              f"linked to their originals, {summary.skipped} stored without analysis (not English), "
              f"{summary.existing} already stored, {summary.failed} failed")
    raise typer.Exit(EXIT_RECORD_ERRORS if summary.failed else EXIT_OK)


class ExportFormat(str, enum.Enum):
    jsonl = "jsonl"
    parquet = "parquet"
    csv = "csv"
    gkg = "gkg"


SINCE_OPTION = typer.Option(None, "--since", metavar="YYYY-MM-DD",
                            help="Only articles published on or after this day (UTC).")
UNTIL_OPTION = typer.Option(None, "--until", metavar="YYYY-MM-DD",
                            help="Only articles published on or before this day (UTC; the whole day counts).")


def _period(since: Optional[str], until: Optional[str]):
    """--since and --until as a store.Period (whole days, both inclusive), or a usage error."""
    from .store import Period, PeriodError

    try:
        return Period(since, until)
    except PeriodError as exc:
        raise fail(f"--{exc}")


@app.command()
def export(
    db: str = typer.Option(None, "--db", help=(
        "Database URL or SQLite file path of an existing store. Default: $NEWSLEDGER_DB, else "
        "newsledger.db in this folder.")),
    format: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", "-f", help=(
        "jsonl: one ledger-v1 a line. parquet / csv: a folder with one file a table (articles, "
        "entities, mentions, attributions, figures, dates), rows keyed by the article's content hash "
        "and id. gkg: GDELT GKG 2.1, one tab-separated record (27 fields) an article.")),
    output: str = typer.Option("-", "--output", "-o", help=(
        "A file, or '-' for standard output (jsonl, gkg); a folder, made if missing (parquet, csv).")),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Only articles of this outlet (exact)."),
    since: Optional[str] = SINCE_OPTION, until: Optional[str] = UNTIL_OPTION,
) -> None:
    """Export stored articles and their ledgers (see docs/export.md for each format).

    Reads the store a batch at a time: memory stays bounded whatever its size.
    Exit status: 0 written; 2 usage or set-up error (no such store, unwritable output); 130 interrupted.
    """
    from .export import ExportError, export as run_export
    from .store import STORE_ERRORS
    from .store.read import Filters

    filters = Filters(outlet=outlet, period=_period(since, until))
    store = _open_store(db, read_only=True)  # never made, nor written: a read-only file will do
    try:
        counted = run_export(store, format.value, output, filters)
    except ExportError as exc:
        raise fail(str(exc))
    except ValueError as exc:  # e.g. a value Arrow cannot hold: a message, not a traceback
        raise fail(f"cannot export: {type(exc).__name__}: {exc}")
    except BrokenPipeError:  # `newsledger export ... | head`
        with contextlib.suppress(Exception):
            sys.stdout = open("/dev/null", "w")  # noqa: SIM115 - keep interpreter exit quiet
        raise typer.Exit(EXIT_OK)
    except OSError as exc:
        raise fail(f"cannot write {getattr(exc, 'filename', None) or output}: {exc.strerror or exc}")
    except STORE_ERRORS as exc:
        raise store_fail(exc, "cannot read the store: ")
    except KeyboardInterrupt:
        raise fail("interrupted", EXIT_INTERRUPTED)
    finally:
        store.close()
    if output != "-":
        what = f"{counted} article(s)" if isinstance(counted, int) else \
            ", ".join(f"{n} {table}" for table, n in counted.items())
        err.print(f"[dim]{escape(what)} → {escape(output)}[/]")


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


class Output(str, enum.Enum):
    table = "table"
    json = "json"


DB_OPTION = typer.Option(None, "--db", help="Database URL or SQLite file (default: $NEWSLEDGER_DB, else newsledger.db).")
LIMIT_OPTION = typer.Option(50, "--limit", min=1, max=10_000)
OUTPUT_OPTION = typer.Option(Output.table, "--format", "-f", help="table (for people) or json (a JSON array).")


@app.command()
def migrate(db: Optional[str] = DB_OPTION) -> None:
    """Bring the store to this newsledger's schema (made if missing). ingest, load and serve do this
    themselves; query and export only read, and ask for it."""
    from .store.db import head_revision

    store = _open_store(db)
    store.close()
    err.print(f"the store is at schema {head_revision()}")


def _ask(db: Optional[str], question, output: "Output", columns: list[tuple[str, str]], **filters) -> None:
    """Open the store, run one query function, print its rows as a table or JSON."""
    from .store import STORE_ERRORS

    store = _open_store(db, read_only=True)  # a read-only file or folder will do
    try:
        rows = question(store, **filters)
    except STORE_ERRORS as exc:
        raise store_fail(exc, "cannot read the store: ")
    finally:
        store.close()
    if output is Output.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    from rich.table import Table

    table = Table(show_lines=False, highlight=False)
    for _, title in columns:
        table.add_column(title, overflow="fold")
    for row in rows:
        table.add_row(*[escape(_cell(row.get(key))) for key, _ in columns])
    Console(highlight=False, width=None if sys.stdout.isatty() else 160).print(table)
    err.print(f"[dim]{len(rows)} row(s)[/]")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # top-k lists of {"name", "count"}; a run's sources
        return ", ".join(f"{v['name']} ({v['count']})" if isinstance(v, dict) else str(v) for v in value)
    if isinstance(value, float):
        return _number(value)
    text_ = " ".join(str(value).split())
    return text_ if len(text_) <= 300 else text_[:299] + "…"


@query_app.command("quotes")
def query_quotes(
    speaker: Optional[str] = typer.Option(None, "--speaker", "-s", help="Speaker's name contains this."),
    mentioning: Optional[str] = typer.Option(None, "--mentioning", "-m", help="An entity so named is mentioned in the content."),
    text_: Optional[str] = typer.Option(None, "--text", "-t", help="Words of the content (full-text search, stemmed)."),
    kind: Optional[str] = typer.Option(None, "--kind", help="direct, mixed, indirect or according_to."),
    outlet: Optional[str] = typer.Option(None, "--outlet"),
    since: Optional[str] = SINCE_OPTION, until: Optional[str] = UNTIL_OPTION,
    limit: int = LIMIT_OPTION, db: Optional[str] = DB_OPTION, format: Output = OUTPUT_OPTION,
) -> None:
    """Who said what: attributions with their article, newest first."""
    from .store.queries import quotes

    _ask(db, quotes, format, [("published", "published"), ("outlet", "outlet"), ("speaker", "speaker"),
                              ("cue", "cue"), ("kind", "kind"), ("content", "content")],
         speaker=speaker, mentioning=mentioning, text=text_, kind=kind, outlet=outlet,
         period=_period(since, until), limit=limit)


@query_app.command("figures")
def query_figures(
    quantity: Optional[str] = typer.Option(None, "--quantity", "-q", help="What is counted contains this (\"killed\", \"troops\")."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Normalized unit: USD, percent, km, ..."),
    source: Optional[str] = typer.Option(None, "--source", help="The claim's source contains this."),
    sourced: Optional[bool] = typer.Option(None, "--sourced/--unsourced", help="Only figures inside (or outside) an attribution."),
    outlet: Optional[str] = typer.Option(None, "--outlet"),
    since: Optional[str] = SINCE_OPTION, until: Optional[str] = UNTIL_OPTION,
    limit: int = typer.Option(200, "--limit", min=1, max=10_000), db: Optional[str] = DB_OPTION,
    format: Output = OUTPUT_OPTION,
) -> None:
    """Figures over time, oldest first, with who claims each."""
    from .store.queries import figures

    _ask(db, figures, format, [("published", "published"), ("outlet", "outlet"), ("text", "figure"),
                               ("value", "value"), ("value_max", "to"), ("unit", "unit"), ("quantity", "quantity"),
                               ("source", "source"), ("time", "time")],
         quantity=quantity, unit=unit, source=source, sourced=sourced, outlet=outlet,
         period=_period(since, until), limit=limit)


@query_app.command("speakers")
def query_speakers(
    name: Optional[str] = typer.Option(None, "--name", "-n", help="Speaker's name contains this."),
    since: Optional[str] = SINCE_OPTION, until: Optional[str] = UNTIL_OPTION,
    limit: int = typer.Option(20, "--limit", min=1, max=10_000), db: Optional[str] = DB_OPTION,
    format: Output = OUTPUT_OPTION,
) -> None:
    """Speakers' profiles, most quoted first: how often, by which outlets, with which cues."""
    from .store.queries import speakers

    _ask(db, speakers, format, [("speaker", "speaker"), ("quotes", "quotes"), ("articles", "articles"),
                                ("outlets", "outlets"), ("cues", "cues"), ("first", "first"), ("last", "last")],
         name=name, period=_period(since, until), limit=limit)


@query_app.command("articles")
def query_articles(
    text_: Optional[str] = typer.Option(None, "--text", "-t", help="Words of the title or text (full-text search)."),
    outlet: Optional[str] = typer.Option(None, "--outlet"),
    since: Optional[str] = SINCE_OPTION, until: Optional[str] = UNTIL_OPTION,
    limit: int = LIMIT_OPTION, db: Optional[str] = DB_OPTION, format: Output = OUTPUT_OPTION,
) -> None:
    """Stored articles, newest first, with their counts of attributions, figures and dates."""
    from .store.queries import articles

    _ask(db, articles, format, [("published", "published"), ("outlet", "outlet"), ("article", "id"),
                                ("title", "title"), ("attributions", "attributions"), ("figures", "figures"),
                                ("dates", "dates")],
         text=text_, outlet=outlet, period=_period(since, until), limit=limit)


@query_app.command("runs")
def query_runs(
    limit: int = typer.Option(20, "--limit", min=1, max=10_000), db: Optional[str] = DB_OPTION,
    format: Output = OUTPUT_OPTION,
) -> None:
    """Ingest and load runs, newest first: status (running, finished, interrupted, failed) and counts.
    A run whose process died (kill -9) shows as interrupted."""
    from .store.queries import runs

    _ask(db, runs, format, [("run", "run"), ("status", "status"), ("started", "started"),
                            ("finished", "finished"), ("analyzed", "analyzed"), ("existing", "existing"),
                            ("duplicates", "duplicates"), ("failed", "failed"), ("sources", "sources")],
         limit=limit)


@cluster_app.command("run")
def cluster_run(
    inputs: list[str] = typer.Argument(..., metavar="INPUT...", help="article-v1 JSON Lines files, Parquet files or folders, WARC files."),
    output: str = typer.Option(..., "--output", "-o", help="Folder for the Parquet files of outcomes (for `newsledger load`)."),
    address: Optional[str] = typer.Option(None, "--address", help=(
        "Ray cluster address ('auto', 'ray://head:10001'); default: a local Ray on this machine.")),
    actors: int = typer.Option(2, "--actors", min=1, help="Workers, each with the spaCy pipeline loaded once."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Articles an actor takes at a time."),
) -> None:
    """Analyze articles on Ray Data and write Parquet; then `newsledger load OUTPUT --db URL`."""
    from pathlib import Path

    from .corpus import cluster

    for source in inputs:
        if not Path(source).exists():
            raise fail(f"no such input: {source}")
    if Path(output).exists() and any(Path(output).iterdir()):
        raise fail(f"{output} is not empty: give a new folder")
    try:
        n = cluster.run(inputs, output, address=address, actors=actors, batch_size=batch_size)
    except ValueError as exc:
        raise fail(str(exc))
    except KeyboardInterrupt:
        raise fail("interrupted", EXIT_INTERRUPTED)
    err.print(f"{n} row(s) → {escape(output)}; store them with: newsledger load {escape(output)} --db URL")


@app.command()
def load(
    paths: list[str] = typer.Argument(..., metavar="PARQUET...", help="Files or folders written by `newsledger cluster run`."),
    db: Optional[str] = DB_OPTION,
) -> None:
    """Store the outcomes of a cluster run: idempotent (stored articles are left alone), failures
    recorded, near-duplicates of stored articles linked to their originals."""
    from pathlib import Path

    from .corpus.batch import load as load_outcomes
    from .corpus.cluster import read_outcomes
    from .store import STORE_ERRORS

    for p in paths:
        if not Path(p).exists():
            raise fail(f"no such input: {p}")
    store = _open_store(db)
    try:
        summary = load_outcomes(read_outcomes(paths), store, paths)
    except KeyboardInterrupt:
        raise fail("interrupted; what was stored stays stored: the same command goes on", EXIT_INTERRUPTED)
    except STORE_ERRORS as exc:  # e.g. a full disk: the chunk in flight was rolled back
        raise store_fail(exc, "cannot write to the store: ")
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors for files that are not our Parquet
        raise fail(f"cannot load {', '.join(paths)}: {type(exc).__name__}: {exc}")
    finally:
        store.close()
    _report_run(summary)


@app.command()
def serve(
    db: Optional[str] = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; beyond localhost, writes need the token."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    token: Optional[str] = typer.Option(None, "--token", envvar="NEWSLEDGER_TOKEN", help=(
        "Token for writes (POST /api/analyze as a Bearer token; the paste form asks for it). Required beyond localhost: when none is "
        "given there, one is made and printed.")),
    allow_private_urls: bool = typer.Option(False, "--allow-private-urls", help=ALLOW_PRIVATE_HELP),
    allowed_host: list[str] = typer.Option([], "--allowed-host", metavar="NAME", help=(
        "A name the server is reached by, besides its --host and port and localhost's names (repeatable): 'news.example.org' "
        "(any port), 'news.example.org:8443', or '*' for any. Other Host headers get 400 (no DNS rebinding).")),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, max=64, help=(
        "Processes that analyze posted articles (each loads the spaCy pipeline). Default: one a core.")),
    time_limit: float = typer.Option(60.0, "--time-limit", min=1, metavar="SECONDS", help=(
        "Longest an analysis (with its URL's fetch) may take; one that runs over is ended and answered "
        "503 Timeout, and its worker replaced.")),
) -> None:
    """Serve the web pages (at /) and the HTTP API (at /api; its OpenAPI description at /openapi.json) over the store.

    Unlike query and export, serve makes the store when there is none: its paste form stores what it
    analyzes, so a new server may start empty (and says so)."""
    import ipaddress
    import secrets

    import uvicorn

    from .nlp import ModelNotFound
    from .store import DEFAULT_URL, STORE_ERRORS
    from .store.db import sqlite_file
    from .web import create_app
    from .workers import WorkerFailed

    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = host == "localhost"
    if not local and not token:
        token = secrets.token_urlsafe(24)
        err.print(f"write endpoints need: Authorization: Bearer {token}")
    try:
        new_file = sqlite_file(db or DEFAULT_URL)
        if new_file is not None and new_file.exists():
            new_file = None
        api = create_app(db or DEFAULT_URL, token=token, allow_private_urls=allow_private_urls,
                         host=host, port=port, allowed_hosts=allowed_host, analyze_workers=workers,
                         analyze_seconds=time_limit)
        showcase = _most_quoted(db or DEFAULT_URL)
    except STORE_ERRORS as exc:
        raise store_fail(exc)
    except ValueError as exc:
        raise fail(str(exc))
    if new_file is not None:  # a mistyped --db shows here, not as an empty site
        err.print(f"a new, empty store: {escape(str(new_file))}", soft_wrap=True)
    if host in ("0.0.0.0", "::") and not allowed_host:
        err.print("requests must name this server localhost, 127.0.0.1 or [::1]: give --allowed-host NAME for the "
                  "names or addresses others reach it by", soft_wrap=True)
    _fewer_malloc_arenas()
    try:
        api.state.turns.start()  # the pipeline loads now: the first analysis does not wait for it
    except ModelNotFound as exc:
        raise fail(str(exc))
    except WorkerFailed as exc:
        raise fail(str(exc))
    err.print(f"newsledger on http://{host}:{port}/ (the API: /api/, its OpenAPI description: /openapi.json)",
              soft_wrap=True)
    if showcase:  # addresses printed whole: a wrapped one cannot be clicked or copied
        err.print(f"an annotated article: http://{host}:{port}/articles/{showcase}", soft_wrap=True)
    uvicorn.run(api, host=host, port=port, log_level="warning")


def _fewer_malloc_arenas() -> None:
    """glibc gives threads malloc arenas of their own, up to 8 a core; a server whose analyses run
    in pool threads then grows with every new thread's arena (bench/bench_web.py measured RSS rising
    round after round). Two arenas keep it steady. A no-op off glibc."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def _most_quoted(url: str) -> Optional[str]:
    from .store import open_store, queries

    store = open_store(url)
    try:
        return queries.most_quoted_article(store)
    finally:
        store.close()


def main() -> None:  # `python -m newsledger`
    app()
