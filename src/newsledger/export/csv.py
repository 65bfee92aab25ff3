"""CSV: one file a table (`articles.csv`, `entities.csv`, ...), with a header row, RFC 4180
quoting (texts keep their newlines and quotation marks), UTF-8. An empty field is a null; list
columns (`warnings`, `content_spans`) are JSON; timestamps ISO 8601."""
from __future__ import annotations

import csv
import json
from datetime import datetime

from ..store import Store
from .files import Target, table_folder
from ..store.read import ALL, Filters
from .tables import TABLES, row_batches


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def write_csv(store: Store, output: Target, filters: Filters = ALL) -> dict[str, int]:
    """Write every table into the folder `output`; returns the rows written per table."""
    folder = table_folder(output)
    counts = {}
    for table in TABLES:
        n = 0
        with open(folder / f"{table.name}.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([name for name, _ in table.columns])
            for rows in row_batches(store, table, filters):
                writer.writerows([_cell(v) for v in row] for row in rows)
                n += len(rows)
        counts[table.name] = n
    return counts
