"""`newsledger link`: the corpus layer (actors, claims, series) for stored articles it has not seen."""
from __future__ import annotations

import contextlib
import json
import sys
from typing import Optional

from . import app, options
from .errors import err, exits, store


@app.command()
def link(db: Optional[str] = options.DB_TO_WRITE) -> None:
    """Link the stored articles the corpus layer has not seen: people and organizations to the corpus's actors (the corrections on record apply), quotes to claims across outlets, figures to series.

    ingest and load link each article they store; this is for a store written before the corpus layer (a migration does not link its quotes) or bulk-loaded without it. Only what has nothing linked is linked: run twice, the second run changes nothing. Prints what it linked as JSON.

    Example: newsledger link --db news.db
    """
    from ..store import STORE_ERRORS
    from ..store.linking import link_stored_articles

    db_store = options.open_db(db)
    with contextlib.closing(db_store), exits((STORE_ERRORS, store("cannot write to the store: ")),
                                             interrupted="interrupted; what was linked before stays linked"):
        linked = link_stored_articles(db_store)
    sys.stdout.write(json.dumps(linked.as_dict()) + "\n")
    err.print(f"{linked.articles} article(s)' people and organizations linked to actors, "
              f"{linked.occurrences} quote occurrence(s) to claims, {linked.points} figure(s) to series")
