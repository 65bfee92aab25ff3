"""`newsledger entities ...`: the people and organizations of the corpus (actors: "Donald Trump",
"Donald J. Trump" and "Trump" are one), and the user's corrections to them, kept as articles are
stored later and replayed by `rebuild`."""
from __future__ import annotations

import contextlib
import json
import sys
from typing import Optional

import typer
from rich.markup import escape

from . import app, options
from .errors import err, exits, fail, store, usage
from .options import Output
from .render import _cell, ambiguous_name, print_table, table_console

entities_app = typer.Typer(help="The corpus's people and organizations: list, show, and correct them "
                                "(merge, split, rename).", no_args_is_help=True)
app.add_typer(entities_app, name="entities")

ACTOR = typer.Argument(..., metavar="ACTOR", help="An actor: its id (#12), its name, or a name of its.")


def _read(db: Optional[str], question, **kwargs):
    from ..store import STORE_ERRORS

    db_store = options.open_db(db, read_only=True)
    with contextlib.closing(db_store), exits((STORE_ERRORS, store("cannot read the store: "))):
        return question(db_store, **kwargs)


def _write(db: Optional[str], change, *args):
    """Open the store to write, make one correction, print what it did (JSON on standard output)."""
    from ..store import STORE_ERRORS
    from ..store.actors import ActorNotFound

    db_store = options.open_db(db)
    with contextlib.closing(db_store), exits(((ActorNotFound, ValueError), usage),
                                             (STORE_ERRORS, store("cannot write to the store: ")),
                                             interrupted="interrupted; nothing was changed"):
        result = change(db_store, *args)
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n")
    return result


def _json(rows) -> None:
    sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n")


@entities_app.command("list")
def entities_list(
    name: Optional[str] = typer.Option(None, "--name", "-n", help="A part of its name, or of any name of its."),
    type: Optional[str] = typer.Option(None, "--type", help="PERSON or ORG."),
    ambiguous: bool = typer.Option(False, "--ambiguous", help="Only the one-word names two or more own."),
    limit: int = options.limit(50), db: Optional[str] = options.DB, format: Output = options.QUERY_FORMAT,
) -> None:
    """People and organizations across the corpus, in the most articles first, with their other names.

    Example: newsledger entities list --name trump --db news.db
    """
    from ..store.queries import actors

    rows = _read(db, actors, name=name, type=type, ambiguous=True if ambiguous else None, limit=limit)
    if format is Output.json:
        return _json(rows)
    print_table([ambiguous_name(r, "name") for r in rows],
                [("id", "id"), ("name", "name"), ("type", "type"), ("articles", "articles"), ("mentions", "mentions"),
                 ("aliases", "aliases"), ("first_seen", "first"), ("last_seen", "last")])


@entities_app.command("show")
def entities_show(actor: str = ACTOR, db: Optional[str] = options.DB, format: Output = options.QUERY_FORMAT) -> None:
    """One actor: its names and forms with counts, outlets, how its entities joined it, its latest articles.

    Example: newsledger entities show "Donald Trump" --db news.db
    """
    from ..store.queries import actor as one_actor

    row = _read(db, one_actor, ref=actor)
    if row is None:
        raise fail(f"no actor named {actor!r} (newsledger entities list --name ... finds one)")
    if format is Output.json:
        return _json(row)
    out = table_console(sys.stdout)
    shown = ambiguous_name(row, "name")
    out.print(f"[bold]#{row['id']} {escape(shown['name'])}[/] {row['type']}"
              + (" [dim](renamed)[/]" if row["renamed"] else "") + (" [dim](made by a split)[/]" if row["made_by"] == "user" else ""))
    out.print(f"{row['articles']} article(s), {row['mentions']} mention(s), "
              f"{(row['first_seen'] or '?')[:10]} to {(row['last_seen'] or '?')[:10]}")
    for label, key in (("outlets", "outlets"), ("joined by", "links")):
        value = row[key]
        if isinstance(value, dict):
            value = [{"name": k, "count": v} for k, v in sorted(value.items())]
        out.print(f"{label}: {escape(_cell(value))}")
    print_table(row["forms"], [("name", "form"), ("names", "as entity name"), ("mentions", "mentions"),
                               ("tied", "tied by articles"), ("pinned", "pinned")])
    print_table(row["entities"], [("published", "published"), ("outlet", "outlet"), ("title", "article"),
                                  ("name", "entity"), ("type", "type"), ("link", "joined by")])


@entities_app.command("merge")
def entities_merge(
    into: str = typer.Argument(..., metavar="ACTOR", help="The actor that stays: its id (#12), its name, or a name of its."),
    other: str = typer.Argument(..., metavar="OTHER", help="The actor merged into it, which goes."),
    db: Optional[str] = options.DB_TO_WRITE,
) -> None:
    """Merge OTHER into ACTOR: its entities, names and counts join it, and articles stored later that name it go to ACTOR too. Recorded, and replayed by `entities rebuild`.

    A claim quoted from both is no longer a speaker variant (newsledger query claims --changed), and series count them as one source.

    Example: newsledger entities merge "Hillary Clinton" "Clinton" --db news.db
    """
    from ..store.actors import merge

    result = _write(db, merge, into, other)
    err.print(f"merged #{result['from']['id']} {escape(result['from']['name'])} into "
              f"#{result['actor']['id']} {escape(result['actor']['name'])}")


@entities_app.command("split")
def entities_split(
    actor: str = ACTOR,
    name: str = typer.Argument(..., metavar="NAME", help="The name to split off, as its entities are named (\"Trump\")."),
    db: Optional[str] = options.DB_TO_WRITE,
) -> None:
    """Split off ACTOR the entities named NAME into an actor of their own, named NAME; articles stored later that so name one go there too. Recorded, and replayed by `entities rebuild`.

    A claim quoted from both is a speaker variant again, and series count them as two sources.

    Example: newsledger entities split "Donald Trump" "Trump Organization" --db news.db
    """
    from ..store.actors import split

    result = _write(db, split, actor, name)
    err.print(f"split {result['moved']} entit{'y' if result['moved'] == 1 else 'ies'} off "
              f"{escape(result['from']['name'])} into #{result['actor']['id']} {escape(result['actor']['name'])}")


@entities_app.command("rename")
def entities_rename(
    actor: str = ACTOR,
    new_name: str = typer.Argument(..., metavar="NEW_NAME", help="Its name from now on."),
    db: Optional[str] = options.DB_TO_WRITE,
) -> None:
    """Name ACTOR NEW_NAME from now on: the name no longer follows its fullest form. Recorded, and replayed by `entities rebuild`.

    Example: newsledger entities rename "Grand Old Party" "Republican Party" --db news.db
    """
    from ..store.actors import rename

    result = _write(db, rename, actor, new_name)
    err.print(f"#{result['actor']['id']} {escape(result['before']['name'])} is now {escape(result['actor']['name'])}")


@entities_app.command("rebuild")
def entities_rebuild(db: Optional[str] = options.DB_TO_WRITE) -> None:
    """Link every stored article's people and organizations again, in store order, then replay the recorded corrections (one transaction).

    ingest and load link the articles they store; this is for a store whose rules changed, or to check that the corrections replay. Claims compare their speakers by the actors made again. For articles stored without any link, newsledger link is enough.

    Example: newsledger entities rebuild --db news.db
    """
    from ..store.actors import rebuild

    result = _write(db, rebuild)
    err.print(f"{result['articles']} article(s) linked, {result['actors']} actor(s); "
              f"{result['replayed']} correction(s) replayed, {len(result['skipped'])} skipped")


@entities_app.command("edits")
def entities_edits(limit: int = options.limit(100), db: Optional[str] = options.DB,
                   format: Output = options.QUERY_FORMAT) -> None:
    """The recorded corrections (merge, split, rename), newest first.

    Example: newsledger entities edits --db news.db
    """
    from ..store.queries import actor_edits

    rows = _read(db, actor_edits, limit=limit)
    if format is Output.json:
        return _json(rows)
    print_table([{**r, "args": ", ".join(f"{k}={v!r}" for k, v in r.items() if k not in ("edit", "at", "action"))}
                 for r in rows],
                [("edit", "edit"), ("at", "at"), ("action", "action"), ("args", "arguments")])
