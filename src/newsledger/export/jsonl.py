"""JSON Lines: one ledger-v1 a line, exactly as `newsledger analyze --format jsonl` writes it."""
from __future__ import annotations

import json

from ..store import Store
from .files import Target, text_output
from .ledgers import iter_ledgers
from .reading import ALL, Filters


def write_jsonl(store: Store, output: Target, filters: Filters = ALL) -> int:
    """Write the selected articles' ledgers; returns how many."""
    n = 0
    with text_output(output) as out:
        for led in iter_ledgers(store, filters):
            out.write(json.dumps(led.to_json_dict(), ensure_ascii=False) + "\n")
            n += 1
    return n
