"""Exit codes, one-line error messages, and the one mapping from a library's exceptions to them.

Exit status: 0 all records analyzed; 1 one or more records were errors (each written in its place);
2 usage or set-up error (no such input, unwritable output, no spaCy model or tagger); 130 interrupted.
Never a traceback: problems are one-line messages on standard error.

A command runs its library call inside `exits(...)`, given its rules in order:

    with exits((InputNotFound, usage), (STORE_ERRORS, store("cannot write to the store: ")),
               interrupted=RESUMED):
        summary = run_ingest(...)
"""
from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator, Optional, Union

import typer
from rich.console import Console
from rich.markup import escape

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

RESUMED = "interrupted; what was stored stays stored: the same command goes on"

class _StandardError(Console):
    """Standard error, through Rich: on a terminal, lines wrap at its width; into a pipe or a file
    (a log, `2> errors.txt`, a supervisor), where Rich would wrap at 80 columns, every message stays
    one line however long, so that it can be grepped and read back whole."""

    def print(self, *objects, soft_wrap: Optional[bool] = None, **kwargs) -> None:
        if soft_wrap is None:
            soft_wrap = not self.is_terminal
        super().print(*objects, soft_wrap=soft_wrap, **kwargs)


err = _StandardError(stderr=True, highlight=False)

Types = Union[type, tuple]
Action = Callable[[BaseException], "typer.Exit"]


def fail(message: str, code: int = EXIT_USAGE) -> "typer.Exit":
    """Print `error: message` on standard error; the exit to raise."""
    err.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code)


def store_fail(exc: BaseException, doing: str = "") -> "typer.Exit":
    """A store's error (StoreError, SQLAlchemy's, the driver's) as one unwrapped line, exit status 2."""
    from ..store.db import explain

    err.print(f"[bold red]error:[/] {escape(doing + explain(exc))}", soft_wrap=True)
    return typer.Exit(EXIT_USAGE)


# ------------------------------------------------------------------ actions: an exception -> an exit

def usage(exc: BaseException) -> "typer.Exit":
    """The exception's own message, exit status 2."""
    return fail(str(exc))


def typed(prefix: str) -> Action:
    """`prefix` then the exception's class and message ("cannot export: ArrowInvalid: ...")."""
    return lambda exc: fail(f"{prefix}{type(exc).__name__}: {exc}")


def store(doing: str = "") -> Action:
    """A store's error, prefixed with what was being done ("cannot write to the store: ")."""
    return lambda exc: store_fail(exc, doing)


def cannot_write(output: str) -> Action:
    """An OSError writing `output` (or the file it names)."""
    return lambda exc: fail(f"cannot write {getattr(exc, 'filename', None) or output}: {exc.strerror or exc}")


def os_error(exc: BaseException) -> "typer.Exit":
    """An OSError as 'file: reason' (e.g. an unwritable --json file)."""
    return fail(f"{getattr(exc, 'filename', None) or ''}: {exc.strerror or exc}".lstrip(": "))


def closed_pipe(code: int = EXIT_OK) -> "typer.Exit":
    """The reader went away (`newsledger ... | head`): stop quietly with `code`."""
    with contextlib.suppress(Exception):
        sys.stdout = open("/dev/null", "w")  # noqa: SIM115 - keep interpreter exit quiet
    return typer.Exit(code)


@contextlib.contextmanager
def exits(*rules: tuple[Types, Action], interrupted: Optional[str] = None) -> Iterator[None]:
    """Run a command's library call with its errors turned into exits: the first rule whose
    exception types match decides (rules are tried in order, so a subclass goes before its base);
    an exception no rule names goes on. With `interrupted`, Ctrl-C is that message, status 130."""
    try:
        yield
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        if interrupted is None:
            raise
        raise fail(interrupted, EXIT_INTERRUPTED)
    except Exception as exc:
        for types, action in rules:
            if isinstance(exc, types):
                raise action(exc)
        raise
