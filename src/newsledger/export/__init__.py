"""Exports: stored articles out to files. The store gives the ledgers and the rows
(`store.read`, a batch at a time); here they are formatted.

- jsonl: one ledger-v1 a line
- parquet, csv: one file a table (articles, entities, mentions, attributions, figures, dates)
- gkg: GDELT GKG 2.1 records
- files: where the output goes

    store = open_store("newsledger.db", read_only=True)
    export(store, "parquet", "out/", Filters(outlet="Wire", period=Period("2024-06-01", "2024-06-30")))
"""
from __future__ import annotations

from ..store import Store
from ..store.period import Period
from ..store.read import ALL, Filters
from .csv import write_csv
from .files import ExportError, Target
from .gkg import write_gkg
from .jsonl import write_jsonl
from .parquet import write_parquet

WRITERS = {"jsonl": write_jsonl, "parquet": write_parquet, "csv": write_csv, "gkg": write_gkg}
FORMATS = list(WRITERS)


def export(store: Store, format: str, output: Target, filters: Filters = ALL):
    """Write the selected articles of `store` in `format` to `output` (a file, '-' or a stream for
    jsonl and gkg; a folder for parquet and csv). Returns what the writer counted."""
    if format not in WRITERS:
        raise ExportError(f"unknown export format {format!r}: one of {', '.join(FORMATS)}")
    return WRITERS[format](store, output, filters)


__all__ = ["ALL", "ExportError", "FORMATS", "Filters", "Period", "export", "write_csv", "write_gkg",
           "write_jsonl", "write_parquet"]
