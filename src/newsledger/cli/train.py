"""`newsledger train ...`: train newsledger's learned parts (the lab's training, imported inside the command)."""
from __future__ import annotations

import os
from typing import Optional

import typer

from . import app
from .errors import exits, fail, usage

train_app = typer.Typer(help="Train newsledger's learned parts on annotated corpora.", no_args_is_help=True)
app.add_typer(train_app, name="train")


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
    """Fine-tune the attribution tagger and export it to ONNX (attribution_tagger.onnx, int8), count the cue lexicon and fit the attribution decision model.

    Seeded: a retrain on the same data and spaCy pipeline reproduces the shipped files. Takes about an hour on 2 cores, 4 minutes with --no-tagger. Fine-tuning needs the train extra: pip install 'newsledger\\[train]'.

    Example: newsledger train attributions --data polnear/ --no-tagger
    """
    import subprocess

    from ..lab import training
    from ..nlp import ModelNotFound

    if not os.path.isdir(data):
        raise fail(f"no such folder: {data}")
    if output and not os.path.isdir(output):
        raise fail(f"no such folder: {output}")
    if tagger and not taggers_from:
        missing = training.missing_for_tagger()
        if missing:
            raise fail(f"fine-tuning the tagger needs the train extra ({', '.join(missing)} missing): "
                       "pip install 'newsledger[train]', or give --no-tagger or --taggers-from")
    with exits(((FileNotFoundError, ValueError, ModelNotFound), usage),
               (subprocess.CalledProcessError,
                lambda exc: fail("training the attribution tagger failed (its messages are above)")),
               interrupted="interrupted"):
        training.main(data, split, output, limit, tagger=tagger, taggers_from=taggers_from)
