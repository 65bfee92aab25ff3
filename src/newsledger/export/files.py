"""Where an export writes: a text stream ('-' for standard output) or a folder of table files."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import IO, Iterator, Union

Target = Union[str, Path, IO[str]]


class ExportError(ValueError):
    """The export cannot be written as asked (e.g. a folder format to standard output)."""


@contextlib.contextmanager
def text_output(target: Target) -> Iterator[IO[str]]:
    """An open text stream: the one given, standard output for '-', else the file (UTF-8, '\\n')."""
    if not isinstance(target, (str, Path)):
        yield target
        return
    if str(target) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(target, "w", encoding="utf-8", newline="") as f:
        yield f


def table_folder(target: Target) -> Path:
    """The folder the table files go into, made if missing."""
    if not isinstance(target, (str, Path)) or str(target) == "-":
        raise ExportError("this format writes one file per table: --output must be a folder")
    folder = Path(target)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"not a folder: {folder}")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
