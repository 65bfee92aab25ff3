"""Parquet: one file a table (`articles.parquet`, `entities.parquet`, ...), explicit Arrow schemas,
written a row group at a time as rows stream from the store."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from ..store import Store
from .files import Target, table_folder
from ..store.read import ALL, Filters
from .tables import TABLES, row_batches


def write_parquet(store: Store, output: Target, filters: Filters = ALL) -> dict[str, int]:
    """Write every table into the folder `output`; returns the rows written per table."""
    folder = table_folder(output)
    counts = {}
    for table in TABLES:
        schema, n = table.schema, 0
        with pq.ParquetWriter(folder / f"{table.name}.parquet", schema) as writer:
            for rows in row_batches(store, table, filters):
                columns = [pa.array(values, type=field.type) for values, field in zip(zip(*rows), schema)]
                writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=schema))
                n += len(rows)
        counts[table.name] = n
    return counts
