"""The store's flat tables (store.read.TABLES: one per kind of record) as Arrow schemas, for the
Parquet and CSV exports.

The store names each table's columns and gives its rows; here each column gets its Arrow type, and
each table its batch size. Every row carries its article's key (the content hash) and the caller's
id, so the tables join without the store's internal ids. Offsets are code points into
`articles.text`, as in ledger-v1."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import pyarrow as pa

from ..store import Store, read
from ..store.read import ALL, Filters

STR, INT, FLOAT = pa.string(), pa.int32(), pa.float64()
TYPES = {  # by column name, the same in every table but where a table says otherwise (Table.types)
    "key": STR, "id": STR, "title": STR, "url": STR, "outlet": STR, "author": STR, "published": STR,
    "published_at": pa.timestamp("us"), "language": STR, "status": STR, "text": STR, "warnings": pa.list_(STR),
    "article_key": STR, "article_id": STR, "entity": STR, "name": STR, "type": STR, "start": INT, "end": INT,
    "position": INT, "kind": STR, "content": STR, "content_spans": pa.list_(pa.list_(INT)),
    "source_start": INT, "source_end": INT, "source_text": STR, "source_entity": STR, "source_name": STR,
    "cue_start": INT, "cue_end": INT, "cue": STR, "confidence": FLOAT, "source_resolved": pa.bool_(),
    "value": FLOAT, "value_max": FLOAT, "approx": STR, "unit": STR, "quantity": STR, "attribution": INT,
    "location": STR, "time": STR, "change": STR, "actor": STR, "source_actor": STR,
    "actor_id": pa.int64(), "source_actor_id": pa.int64(),  # the store's actor ids (entities show '#12')
}


@dataclass(frozen=True)
class Table:
    name: str
    batch_size: int = 10_000  # rows a Parquet row group, and a fetch
    types: dict = field(default_factory=dict)  # this table's own types for some columns

    @property
    def columns(self) -> list[tuple[str, pa.DataType]]:
        """(name, Arrow type) of each column, in the order of the store's rows."""
        return [(column, self.types.get(column, TYPES[column])) for column in read.TABLES[self.name].columns]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(name, kind) for name, kind in self.columns])


TABLES = [Table("articles", batch_size=200),  # texts run to a million characters: small row groups
          Table("entities"), Table("mentions"), Table("attributions"), Table("figures"),
          Table("dates", types={"value": STR})]  # a TIMEX value ("2024-03-14"), where a figure's is a number


def row_batches(store: Store, table: Table, filters: Filters = ALL) -> Iterator[list[tuple]]:
    """The table's rows, streamed from the store `table.batch_size` at a time."""
    return read.table_rows(store, table.name, filters, table.batch_size)
