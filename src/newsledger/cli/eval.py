"""`newsledger eval ...`: score newsledger against annotated corpora, in-process (the lab's scorers,
imported inside each command)."""
from __future__ import annotations

import os
from typing import Callable, Optional

import typer

from . import app, options
from .errors import exits, fail, os_error, usage

eval_app = typer.Typer(help="Score newsledger against annotated corpora.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


def _run_scorer(data: str, score: Callable[[], object]) -> None:
    """Run an in-process scorer on the folder `data`, its failures as command-line errors."""
    from ..nlp import ModelNotFound

    if not os.path.isdir(data):
        raise fail(f"no such folder: {data}")
    with exits(((FileNotFoundError, ValueError, ModelNotFound), usage),
               (OSError, os_error),  # e.g. an unwritable --json file
               interrupted="interrupted"):
        score()


@eval_app.command("attributions")
def eval_attributions(
    data: str = typer.Option(..., "--data", help="PolNeAR folder (with metadata.tsv, train/, dev/, test/)."),
    split: str = typer.Option("dev", "--split", help="Which compartment to score: train, dev or test."),
    limit: Optional[int] = options.first("documents"),
    json_out: Optional[str] = options.JSON_SCORES,
    scheme: options.Scheme = options.SCHEME,
) -> None:
    """Score attribution extraction (who said what) against PolNeAR, in-process, with error analysis.

    PolNeAR annotates by its own, broader scheme: compare with published PolNeAR figures with --scheme polnear.

    Example: newsledger eval attributions --data polnear/ --split dev
    """
    from ..lab.eval import attributions

    _run_scorer(data, lambda: attributions.main(data, split, limit, json_out, scheme.value))


@eval_app.command("realnews")
def eval_realnews(
    split: str = typer.Option("dev", "--split", help="dev, dev2 or dev3 (worked on), test or test2 (only measured)."),
    articles: str = typer.Option("../shared/datasets/html-articles", "--articles",
                                 help="The html-articles folder holding ground-truth.json (the texts)."),
    limit: Optional[int] = options.first("articles"),
    json_out: Optional[str] = options.JSON_SCORES,
    scheme: options.Scheme = options.SCHEME,
) -> None:
    """Score attributions, entity mentions and figures on the project's own real-news set (data/realnews: pages of many outlets annotated by the guideline), in-process.

    Example: newsledger eval realnews --split test
    """
    from ..lab.eval import realnews

    _run_scorer(articles, lambda: realnews.run(split, articles, scheme.value, limit, json_out))


@eval_app.command("timex")
def eval_timex(
    data: str = typer.Option(..., "--data", help="Folder of TimeML .tml documents (e.g. TempEval-3 TimeBank)."),
    limit: Optional[int] = options.first("documents"),
    json_out: Optional[str] = options.JSON_SCORES,
    examples: int = typer.Option(20, "--examples", min=0, help="Errors listed per kind (missed, spurious, wrong value)."),
) -> None:
    """Score time expressions (TIMEX3 spans and values) against TimeML documents, in-process, with errors listed.

    Example: newsledger eval timex --data ../shared/datasets/timebank
    """
    from ..lab.eval import timex

    _run_scorer(data, lambda: timex.main(data, limit, json_out, examples))


@eval_app.command("figures")
def eval_figures(
    data: str = typer.Option(..., "--data", help="NewsQuant JSON file (a list of sentences with quantities)."),
    json_out: Optional[str] = options.JSON_SCORES,
    limit: Optional[int] = options.first("sentences"),
    examples: int = typer.Option(20, "--examples", min=0, help="List at most N errors of each kind."),
    part: str = typer.Option("all", "--part", help="Score one part of the deterministic split: 'tune' "
                             "(the ~70% rules may be tuned on), 'heldout' (~30%, by a hash of each "
                             "sentence's text) or 'all'."),
) -> None:
    """Score figure extraction (numbers and what they count) against NewsQuant, in-process.

    Example: newsledger eval figures --data newsquant.json --part heldout
    """
    from ..lab.eval import figures
    from ..nlp import ModelNotFound

    if not os.path.isfile(data):
        raise fail(f"no such file: {data}")
    if part not in figures.PARTS:
        raise fail(f"--part must be one of {', '.join(figures.PARTS)}, not {part!r}")
    with exits((ModelNotFound, usage),
               ((ValueError, KeyError, TypeError), lambda exc: fail(f"{data}: not a NewsQuant file ({exc})")),
               (OSError, os_error),
               interrupted="interrupted"):
        figures.main(data, json_out, limit, examples, part)
