"""JSON Lines: one ledger-v1 a line, as `newsledger analyze --format jsonl` writes it, with the
corpus's actors in it (the extension `actor`, {"id", "name"}, on each entity and source that has
one), and the characters other than a newline that some readers take for a line end (U+0085,
U+2028, U+2029) written as JSON escapes: a record stays one line for `str.splitlines` too."""
from __future__ import annotations

import json

from ..store import Store
from ..store.read import ALL, Filters, ledgers_with_actors
from .files import Target, text_output

LINE_ENDS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def write_jsonl(store: Store, output: Target, filters: Filters = ALL) -> int:
    """Write the selected articles' ledgers; returns how many."""
    n = 0
    with text_output(output) as out:
        for led in ledgers_with_actors(store, filters):
            out.write(json.dumps(led.to_json_dict(), ensure_ascii=False).translate(LINE_ENDS) + "\n")
            n += 1
    return n
