"""A batch run: sources -> articles -> ledgers -> the store, resumable and parallel.

The input is read as a stream, a chunk at a time. Each chunk's articles whose content hash is
already stored are left alone (so the same command after a crash, or on the same input, does no
work twice); the rest are analyzed (in this process, or by `workers` processes that each load the
spaCy pipeline once) and written, with the failures, in one transaction per chunk. Killed at any
moment, a run loses at most its chunks in flight, which the next run does again. Memory is bounded
by the chunks in flight, not by the input's size.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from sqlalchemy import update

from .. import __version__
from ..ingest import read_inputs
from ..ledger import Article, ErrorRecord, Ledger
from ..store import Store
from ..store import tables as T
from ..store.write import article_key, existing_keys, save_failure, save_ledger

Item = Union[Article, ErrorRecord]
CHUNK = 32  # articles a transaction; also the unit of work a worker gets


@dataclass
class RunSummary:
    run_id: int
    analyzed: int = 0
    skipped: int = 0
    existing: int = 0
    failed: int = 0
    failures: list[ErrorRecord] = field(default_factory=list)  # the first few, for the report

    @property
    def seen(self) -> int:
        return self.analyzed + self.skipped + self.existing + self.failed


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def read_sources(sources: Iterable[str], **options) -> Iterator[Item]:
    """The records of each source in turn; `options` (allow_private, fetch_pages) go to read_inputs."""
    for source in sources:
        yield from read_inputs(source, **options)


def count_items(sources: Iterable[str]) -> Optional[int]:
    """How many records the sources hold, for a progress bar's ETA: lines of JSON Lines files, one
    per other file; None when it cannot be known cheaply (standard input, gzipped JSON Lines, URLs,
    feeds, WARC files)."""
    from ..ingest.readers import FEED_SUFFIXES, JSONL_SUFFIXES, XML_SUFFIXES, folder_files, is_url
    from ..ingest.warc import is_warc

    total = 0
    for source in sources:
        if source == "-" or is_url(source):
            return None
        path = Path(source)
        files = folder_files(path) if path.is_dir() else [path]
        for f in files:
            if (f.suffix == ".gz" and f.with_suffix("").suffix in JSONL_SUFFIXES) or \
                    is_warc(f) or f.suffix.lower() in FEED_SUFFIXES + XML_SUFFIXES:
                return None
            if f.suffix in JSONL_SUFFIXES:
                with open(f, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            else:
                total += 1
    return total


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


# ---------------------------------------------------------------- analysis, in a worker or here

_worker_nlp = None


def _init_worker(model: Optional[str]) -> None:
    global _worker_nlp
    from .. import nlp as nlp_loader

    _worker_nlp = nlp_loader.load(model)


def analyze_chunk(articles: list[Article], nlp=None, batch_size: int = 8) -> list[Union[Ledger, ErrorRecord]]:
    from ..pipeline import analyze_articles

    return list(analyze_articles(articles, nlp=nlp or _worker_nlp, batch_size=batch_size))


class _InProcess:
    """The same interface as a pool, for one worker: no processes, no pickling."""

    def __init__(self, nlp):
        self.nlp = nlp

    def submit(self, articles):
        return analyze_chunk(articles, nlp=self.nlp)

    @staticmethod
    def result(handle):
        return handle

    def close(self):
        pass


class _Pool:
    def __init__(self, workers: int, model: Optional[str]):
        ctx = multiprocessing.get_context("spawn" if os.name != "posix" else "forkserver")
        self.pool = ctx.Pool(workers, initializer=_init_worker, initargs=(model,))

    def submit(self, articles):
        return self.pool.apply_async(analyze_chunk, (articles,))

    @staticmethod
    def result(handle):
        return handle.get()

    def close(self):
        self.pool.close()
        self.pool.join()


# ---------------------------------------------------------------- the run

def ingest(sources: list[str], store: Store, *, workers: int = 1, chunk_size: int = CHUNK,
           nlp=None, model: Optional[str] = None,
           on_progress: Optional[Callable[[RunSummary], None]] = None,
           items: Optional[Iterable[Item]] = None, allow_private: bool = False,
           fetch_pages: bool = True) -> RunSummary:
    """Analyze every article of `sources` (or of `items`) not yet stored, and store it.
    `allow_private`, `fetch_pages`: for URLs and feeds, as in ingest.read_inputs."""
    with store.session() as s:
        run = T.Run(started_at=_now(), sources=list(sources), status="running", version=_version(model),
                    analyzed=0, skipped=0, existing=0, failed=0)
        s.add(run)
    summary = RunSummary(run_id=run.id)
    if workers > 1:
        engine = _Pool(workers, model)
    else:
        from .. import nlp as nlp_loader

        engine = _InProcess(nlp or nlp_loader.load(model))
    in_flight: deque = deque()  # (chunk of articles with keys, read errors, handle): written in order
    status = "interrupted"
    try:
        for chunk in _chunks(read_sources(sources, allow_private=allow_private, fetch_pages=fetch_pages) if items is None else items, chunk_size):
            todo, read_errors, n_existing = _new_articles(store, chunk)
            in_flight.append((todo, read_errors, n_existing,
                              engine.submit([a for a, _ in todo]) if todo else None))
            while len(in_flight) > max(1, 2 * workers):  # bounded: never more than this in memory
                _write(store, *in_flight.popleft(), engine, summary, on_progress)
        while in_flight:
            _write(store, *in_flight.popleft(), engine, summary, on_progress)
        status = "finished"
    finally:
        engine.close()
        with store.session() as s:
            s.execute(update(T.Run).where(T.Run.id == run.id).values(status=status, finished_at=_now()))
    return summary


def _new_articles(store: Store, chunk: list[Item]):
    """The chunk's articles not yet stored (with their keys, each key once), its read errors, and
    how many of its articles are stored already."""
    keyed = [(item, article_key(item)) for item in chunk if isinstance(item, Article)]
    with store.session() as s:
        stored = existing_keys(s, [k for _, k in keyed])
    todo, seen, n_existing = [], set(), 0
    for article, key in keyed:
        if key in stored or key in seen:
            n_existing += 1
            continue
        seen.add(key)
        todo.append((article, key))
    return todo, [item for item in chunk if isinstance(item, ErrorRecord)], n_existing


def _write(store: Store, todo, read_errors, n_existing, handle, engine, summary: RunSummary,
           on_progress) -> None:
    results = engine.result(handle) if handle is not None else []
    counts = {"analyzed": 0, "skipped": 0, "existing": n_existing, "failed": 0}
    failures = []
    with store.session() as s:
        for err in read_errors:
            save_failure(s, summary.run_id, err)
            counts["failed"] += 1
            failures.append(err)
        for (article, key), result in zip(todo, results):
            if isinstance(result, ErrorRecord):
                save_failure(s, summary.run_id, result, key)
                counts["failed"] += 1
                failures.append(result)
                continue
            row = save_ledger(s, result, key, summary.run_id)
            if row is None:  # stored meanwhile, e.g. by a run in parallel
                counts["existing"] += 1
            else:
                counts["skipped" if row.status == "skipped" else "analyzed"] += 1
        s.execute(update(T.Run).where(T.Run.id == summary.run_id).values(
            **{k: getattr(T.Run, k) + v for k, v in counts.items()}))
    for k, v in counts.items():
        setattr(summary, k, getattr(summary, k) + v)
    summary.failures.extend(failures[: max(0, 20 - len(summary.failures))])
    if on_progress is not None:
        on_progress(summary)


def _version(model: Optional[str]) -> str:
    from .. import nlp as nlp_loader

    try:
        name = model or nlp_loader.model_name()
    except nlp_loader.ModelNotFound:
        name = "?"
    return f"newsledger {__version__} / {name}"[:64]
