"""Exports: the store out to files, read through SQLAlchemy a batch at a time.

- ledgers: stored rows back into ledger-v1 (`ledger_from_store`, `iter_ledgers`)
- jsonl: one ledger a line
- parquet, csv: one file a table (articles, entities, mentions, attributions, figures, dates)
- gkg: GDELT GKG 2.1 records
- reading: opening an existing store, the caller's filters; files: where the output goes

    store = open_existing("newsledger.db")
    export(store, "parquet", "out/", Filters(outlet="Wire"))
"""
from __future__ import annotations

from ..store import Store
from .csv import write_csv
from .files import ExportError, Target
from .gkg import write_gkg
from .jsonl import write_jsonl
from .ledgers import iter_ledgers, ledger_from_store
from .parquet import write_parquet
from .reading import ALL, Filters, open_existing

WRITERS = {"jsonl": write_jsonl, "parquet": write_parquet, "csv": write_csv, "gkg": write_gkg}
FORMATS = list(WRITERS)


def export(store: Store, format: str, output: Target, filters: Filters = ALL):
    """Write the selected articles of `store` in `format` to `output` (a file, '-' or a stream for
    jsonl and gkg; a folder for parquet and csv). Returns what the writer counted."""
    if format not in WRITERS:
        raise ExportError(f"unknown export format {format!r}: one of {', '.join(FORMATS)}")
    return WRITERS[format](store, output, filters)


__all__ = ["ALL", "ExportError", "FORMATS", "Filters", "export", "iter_ledgers", "ledger_from_store",
           "open_existing", "write_csv", "write_gkg", "write_jsonl", "write_parquet"]
