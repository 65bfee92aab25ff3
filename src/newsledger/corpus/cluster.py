"""The same analysis on Ray Data, for corpora one machine cannot take in time.

    newsledger cluster run INPUT... --output DIR [--address ADDR] [--actors N]
    newsledger load DIR --db URL

Each actor (a stateful class, one per worker) loads the spaCy pipeline once and turns batches of
input rows into rows of outcomes: the article's content hash, its ledger-v1 (or error record) as
JSON, and its MinHash signature. They are written as Parquet; `newsledger load` stores them (and
links near-duplicates then, since actors do not share a store). Inputs: article-v1 JSON Lines
(read as lines, so a bad line is an error row, not a failed job), Parquet with article-v1 columns,
and WARC files (each read as a stream by a task, records as they come).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..ledger import Article, ErrorRecord, Ledger

OUTPUT_COLUMNS = ("key", "id", "ledger", "error", "minhash")
WARC_ERROR = "__newsledger_error__"  # marks a JSON line that carries a WARC reader's error record


def output_schema():
    """Explicit, so that a batch of nothing but errors writes the same columns as any other."""
    import pyarrow as pa

    return pa.schema([("key", pa.string()), ("id", pa.string()), ("ledger", pa.large_string()),
                      ("error", pa.string()), ("minhash", pa.binary())])


def _items_of_rows(batch: dict) -> list:
    """Article | ErrorRecord for each input row: {'text': a JSON line} or article-v1 columns."""
    from ..ingest.readers import article_from_json, error, parse_jsonl_lines

    n = len(next(iter(batch.values()))) if batch else 0
    items = []
    for i in range(n):
        row = {k: _plain(v[i]) for k, v in batch.items()}
        if set(row) <= {"text", "path"} and "html" not in row and "id" not in row:  # a JSON line
            where = row.get("path") or ""
            line = str(row["text"])
            if WARC_ERROR in line:
                obj = json.loads(line)
                if isinstance(obj, dict) and WARC_ERROR in obj:
                    items.append(ErrorRecord.model_validate(obj[WARC_ERROR]))
                    continue
            items.extend(parse_jsonl_lines([line.encode("utf-8", "surrogatepass")], where=where))
            continue
        try:
            items.append(article_from_json({k: v for k, v in row.items() if v is not None and k != "path"}))
        except Exception as exc:  # noqa: BLE001 - InputError, or a column of an odd type
            items.append(error(row.get("id") if isinstance(row.get("id"), str) else None,
                               getattr(exc, "kind", "InvalidRecord"), str(exc)))
    return items


def _plain(value):
    """numpy scalars and bytes from a Ray batch to plain Python."""
    if hasattr(value, "item") and not isinstance(value, (bytes, str)):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    return value


class LedgerMaker:
    """A Ray actor: the spaCy pipeline loaded once, then one batch of rows after another."""

    def __init__(self, model: Optional[str] = None):
        from .. import nlp as nlp_loader
        from ..extract import attribution_tagger

        attribution_tagger.use_threads(1)  # one CPU per actor
        self.nlp = nlp_loader.load(model)

    def __call__(self, batch: dict):
        from ..store.write import article_key
        from .batch import Analyzed, analyze_chunk

        out = {c: [] for c in OUTPUT_COLUMNS}
        items = _items_of_rows(batch)
        todo = [(item, article_key(item)) for item in items if isinstance(item, Article)]
        outcomes = iter(analyze_chunk(todo, self.nlp, None))
        keys = iter(k for _, k in todo)
        for item in items:
            if isinstance(item, ErrorRecord):
                key, outcome = None, item
            else:
                key, outcome = next(keys), next(outcomes)
            analyzed = isinstance(outcome, Analyzed)
            out["key"].append(key)
            out["id"].append(outcome.ledger.id if analyzed else outcome.id)
            out["ledger"].append(json.dumps(outcome.ledger.to_json_dict(), ensure_ascii=False) if analyzed else None)
            out["error"].append(None if analyzed else json.dumps(outcome.to_json_dict(), ensure_ascii=False))
            out["minhash"].append(outcome.minhash if analyzed else None)
        import pyarrow as pa

        return pa.table(out, schema=output_schema())


def split_inputs(inputs: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(JSON Lines, Parquet, WARC) inputs; ValueError naming any other."""
    from ..ingest.warc import is_warc

    jsonl = [p for p in inputs if Path(p).suffix in (".jsonl", ".ndjson") or p.endswith((".jsonl.gz", ".ndjson.gz"))]
    parquet = [p for p in inputs if Path(p).suffix == ".parquet" or Path(p).is_dir()]
    warcs = [p for p in inputs if is_warc(Path(p))]
    unknown = sorted(set(inputs) - set(jsonl) - set(parquet) - set(warcs))
    if unknown:
        raise ValueError(f"not JSON Lines, Parquet or WARC: {', '.join(unknown)}")
    return jsonl, parquet, warcs


def warc_lines(row: dict) -> Iterator[dict]:
    """The records of one WARC file (a row {'path': ...}) as JSON-line rows, read as a stream where
    the task runs: the file must be at a path every node can read."""
    from ..ingest.warc import read_warc

    for item in read_warc(Path(row["path"])):
        if isinstance(item, ErrorRecord):
            line = json.dumps({WARC_ERROR: item.to_json_dict()})
        else:
            line = json.dumps(item.model_dump(exclude_none=True), ensure_ascii=False)
        yield {"text": line, "path": row["path"]}


def read_dataset(inputs: list[str]):
    """A Ray dataset of input rows from JSON Lines, Parquet and WARC files (or folders of Parquet)."""
    import ray.data

    jsonl, parquet, warcs = split_inputs(inputs)
    parts = []
    if warcs:
        parts.append(ray.data.from_items([{"path": p} for p in warcs]).flat_map(warc_lines))
    if jsonl:
        parts.append(ray.data.read_text(jsonl, include_paths=True, drop_empty_lines=True))
    if parquet:
        parts.append(ray.data.read_parquet(parquet))
    ds = parts[0]
    for other in parts[1:]:
        ds = ds.union(other)
    return ds


def run(inputs: list[str], output: str, *, address: Optional[str] = None, actors: int = 2,
        batch_size: int = 32, model: Optional[str] = None) -> int:
    """Analyze the inputs on Ray (a local one, or the cluster at `address`), write Parquet files of
    outcomes into `output`; the number of rows written."""
    import ray

    split_inputs(inputs)  # before starting Ray: a bad input is a usage error, not a cluster job
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 **({} if address else {"num_cpus": actors + 1}))  # one more CPU for reading and writing
    ds = read_dataset(inputs)
    ds = ds.map_batches(LedgerMaker, fn_constructor_kwargs={"model": model}, concurrency=actors,
                        batch_size=batch_size, batch_format="numpy", num_cpus=1)
    ds.write_parquet(output)
    import pyarrow.dataset as pads

    return pads.dataset(output, format="parquet").count_rows()


def read_outcomes(paths: Iterable[str], batch_rows: int = 256) -> Iterator[tuple[Optional[str], object]]:
    """(key, outcome) from the Parquet files a cluster run wrote, streamed in batches."""
    import pyarrow.dataset as pads

    from .batch import Analyzed

    for path in paths:
        dataset = pads.dataset(path, format="parquet")
        for batch in dataset.to_batches(columns=list(OUTPUT_COLUMNS), batch_size=batch_rows):
            for row in batch.to_pylist():
                if row["ledger"] is not None:
                    yield row["key"], Analyzed(Ledger.model_validate_json(row["ledger"]), row["minhash"])
                elif row["key"] is not None:  # an article that failed: stored as a failure
                    yield row["key"], ErrorRecord.model_validate_json(row["error"])
                else:  # a record that could not be read: no content, no key
                    yield None, ErrorRecord.model_validate_json(row["error"])
