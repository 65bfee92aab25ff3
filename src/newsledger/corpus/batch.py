"""A batch run: sources -> articles -> ledgers -> the store, resumable and parallel.

The input is read as a stream, a chunk at a time. Each chunk's articles whose content hash is
already stored are left alone (so the same command after a crash, or on the same input, does no
work twice); the rest are prepared (HTML extraction, checks), compared by MinHash with the stored
articles and the chunk's earlier ones (a near-duplicate is stored and linked to its original, not
analyzed), analyzed, and written with the failures in one transaction per chunk, in input order.
Writing checks for copies again, for an original that was still in flight when its copy was
compared, and links the chunk's people and organizations to the corpus's actors (store/actors.py)
in the same transaction. The analysis runs in `workers` processes that each load the spaCy pipeline once and take
a chunk in pieces of eight; an article over the time limit is ended there (workers.py) and stored
as a failure, which the next run tries again.
Killed at any moment, a run loses at most its chunks in flight, which the next run does again.
Memory is bounded by the chunks in flight, not by the input's size.
"""
from __future__ import annotations

from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from .. import __version__
from ..ingest import prepare, read_inputs
from ..ledger import Article, ErrorInfo, ErrorRecord, Ledger
from ..store import Store
from ..store.actors import backfill
from ..store.read import minhash_candidates
from ..store.runs import begin_run, count_chunk, end_run
from ..store.write import ToStore, article_key, existing_keys, save_duplicate, save_failure, save_ledgers
from ..workers import TIME_LIMIT, Setup, Workers
from . import dedupe

Item = Union[Article, ErrorRecord]
CHUNK = 32  # articles a transaction
PIECE = 8  # articles a task for a worker process (its spaCy batch)
COUNTERS = ("analyzed", "skipped", "existing", "duplicates", "failed")


@dataclass
class Analyzed:
    ledger: Ledger
    minhash: Optional[bytes] = None  # dedupe signature, stored so that later copies are found

    @property
    def bands(self) -> list[str]:
        return dedupe.band_keys(dedupe.from_bytes(self.minhash)) if self.minhash else []


@dataclass
class Duplicate:
    article: Article  # metadata, as prepared (e.g. read from the HTML page)
    text: str
    original_key: str
    similarity: float


Outcome = Union[Analyzed, Duplicate, ErrorRecord]


@dataclass
class RunSummary:
    run_id: int
    analyzed: int = 0
    skipped: int = 0
    existing: int = 0
    duplicates: int = 0
    failed: int = 0
    failures: list[ErrorRecord] = field(default_factory=list)  # the first few, for the report

    @property
    def seen(self) -> int:
        return sum(getattr(self, k) for k in COUNTERS)


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


# ---------------------------------------------------------------- one chunk, in a worker or here

def stored_candidates(store: Store, bands: list[str]) -> list[tuple[str, object]]:
    """(key, signature) of the stored articles that share a band with `bands`."""
    return [(key, dedupe.from_bytes(blob)) for key, blob in minhash_candidates(store, bands)]


def copy_of(sig, key: str, store: Optional[Store], seen_here: dict) -> Optional[tuple[str, float]]:
    """(original's key, similarity) if the signature's article is a near-duplicate of a stored one
    or of one seen earlier (`seen_here`: band -> (key, signature), updated with this article when it
    is an original); None when it is an original."""
    bands = dedupe.band_keys(sig)
    candidates = (stored_candidates(store, bands) if store is not None else []) + \
        [seen_here[b] for b in bands if b in seen_here]
    best = max(((dedupe.similarity(sig, other), k) for k, other in candidates), default=(0.0, None))
    if best[0] >= dedupe.THRESHOLD:
        return best[1], best[0]
    for b in bands:
        seen_here.setdefault(b, (key, sig))
    return None


def analyze_chunk(todo: list[tuple[Article, str]], nlp, store: Optional[Store],
                  batch_size: int = 8) -> list[Outcome]:
    """Each (article, key)'s outcome, in order: analyzed, a near-duplicate, or an error. Without a
    store (on a cluster) no article is called a copy here: `load` links them when it stores them."""
    from ..pipeline import analyze_articles, error_record

    outcomes: list[Optional[Outcome]] = [None] * len(todo)
    seen_here: dict = {}
    to_parse = []
    for i, (article, key) in enumerate(todo):
        try:
            prepared = prepare(article)
        except Exception as exc:  # noqa: BLE001 - recorded as the article's failure
            outcomes[i] = error_record(article.id, exc)
            continue
        sig = None if prepared.skip_reason else dedupe.signature(prepared.text)
        if sig is not None and store is not None:
            copy = copy_of(sig, key, store, seen_here)
            if copy is not None:
                outcomes[i] = Duplicate(prepared.article, prepared.text, *copy)
                continue
        to_parse.append((i, prepared, sig))  # prepared once: HTML is not extracted again
    results = analyze_articles([p for _, p, _ in to_parse], nlp=nlp, batch_size=batch_size)
    for (i, _, sig), result in zip(to_parse, results):
        outcomes[i] = result if isinstance(result, ErrorRecord) else Analyzed(
            result, dedupe.to_bytes(sig) if sig is not None else None)
    return outcomes


def analyze_piece(loaded, todo: list[tuple[Article, str]]) -> list[Outcome]:
    """A worker's job (workers.Workers): a piece of a chunk, compared with the worker's store."""
    return analyze_chunk(todo, loaded.nlp, loaded.store)


class _InProcess:
    """The same interface as the workers, analyzing in this process with a pipeline it was given:
    no processes, no pickling, and no time limit (nothing here can end a runaway analysis)."""

    def __init__(self, nlp, store: Store):
        self.nlp, self.store = nlp, store

    def submit(self, todo):
        return analyze_chunk(todo, self.nlp, self.store)

    @staticmethod
    def result(handle):
        return handle

    def close(self, aborted: bool = False):
        pass


class _InWorkers:
    """Worker processes that each load the pipeline once and take a chunk in pieces: a piece that
    runs over its time limit is ended (see workers.py) and its article at fault recorded."""

    def __init__(self, workers: int, model: Optional[str], url: str, time_limit: Optional[float]):
        # several workers share the cores already: one thread each
        setup = Setup(model=model, threads=1 if workers > 1 else None, store_url=url)
        self.workers = Workers(workers, time_limit=time_limit, setup=setup)
        self.workers.start()  # a pipeline that cannot load stops the run before it reads anything

    def submit(self, todo):
        # a chunk in pieces, so that the workers share it instead of one taking it whole while the
        # other waits at the end of the input
        return [self.workers.submit(analyze_piece, todo[i:i + PIECE]) for i in range(0, len(todo), PIECE)]

    @staticmethod
    def result(handle):
        return [outcome for piece in handle for outcome in piece.result()]

    def close(self, aborted: bool = False):
        if aborted:
            self.workers.terminate()
        self.workers.close()


# ---------------------------------------------------------------- the run

def _begin_run(store: Store, sources: list[str], version: str) -> RunSummary:
    return RunSummary(run_id=begin_run(store, sources, version, COUNTERS))


def _end_run(store: Store, summary: RunSummary, status: str) -> None:
    end_run(store, summary.run_id, status)


@contextmanager
def _run_status(store: Store, summary: RunSummary,
                close: Callable[[bool], None] = lambda aborted: None) -> Iterator[None]:
    """Ends the run as finished, interrupted (Ctrl-C) or failed (an error, e.g. a full disk). When
    the run's end cannot be written either, the error that ended it is the one raised. `close(aborted)`
    ends the analysis: at once when the run was interrupted."""
    try:
        yield
    except BaseException as exc:
        close(not isinstance(exc, Exception))
        status = "failed" if isinstance(exc, Exception) else "interrupted"
        try:
            _end_run(store, summary, status)
        except Exception:  # noqa: BLE001 - e.g. the same full disk: the next run marks it interrupted
            pass
        raise
    close(False)
    _end_run(store, summary, "finished")


def ingest(sources: list[str], store: Store, *, workers: int = 1, chunk_size: int = CHUNK,
           nlp=None, model: Optional[str] = None, time_limit: Optional[float] = TIME_LIMIT,
           on_progress: Optional[Callable[[RunSummary], None]] = None,
           items: Optional[Iterable[Item]] = None, allow_private: bool = False,
           fetch_pages: bool = True) -> RunSummary:
    """Analyze every article of `sources` (or of `items`) not yet stored, and store it.
    The analysis runs in `workers` processes that load the pipeline `model`, where an article taking
    over `time_limit` seconds (None: no limit) is ended and recorded as a Timeout failure; or, given
    `nlp` (a pipeline loaded here), in this process without a time limit.
    `allow_private`, `fetch_pages`: for URLs and feeds, as in ingest.read_inputs.
    Raises workers.WorkerFailed when the pipeline cannot load."""
    backfill(store)  # a store migrated from schema 0005: its stored entities get their actors first
    summary = _begin_run(store, sources, _version(model))
    engine = None
    in_flight: deque = deque()  # (todo, read errors, how many stored already, handle): written in order
    with _run_status(store, summary, lambda aborted: engine is not None and engine.close(aborted)):
        if nlp is not None:
            engine = _InProcess(nlp, store)
        else:
            engine = _InWorkers(workers, model, store.engine.url.render_as_string(hide_password=False),
                                time_limit)
        items = read_sources(sources, allow_private=allow_private, fetch_pages=fetch_pages) if items is None else items
        for chunk in _chunks(items, chunk_size):
            todo, read_errors, n_existing = _new_articles(store, chunk)
            in_flight.append((todo, read_errors, n_existing, engine.submit(todo) if todo else None))
            while len(in_flight) > max(1, 2 * workers):  # bounded: never more than this in memory
                _write(store, *in_flight.popleft(), engine, summary, on_progress)
        while in_flight:
            _write(store, *in_flight.popleft(), engine, summary, on_progress)
    return summary


def load(outcomes: Iterable[tuple[Optional[str], Outcome]], store: Store, sources: list[str], *,
         chunk_size: int = 256, on_progress: Optional[Callable[[RunSummary], None]] = None) -> RunSummary:
    """Store (key, outcome) pairs made elsewhere (a cluster run's Parquet files): what is stored
    already is left alone, near-duplicates of stored articles are linked instead of stored again."""
    backfill(store)
    summary = _begin_run(store, sources, f"newsledger {__version__} / load")
    ready = _InProcess(None, store)
    with _run_status(store, summary):
        for chunk in _chunks(outcomes, chunk_size):
            with store.session() as s:
                stored = existing_keys(s, [k for k, _ in chunk if k is not None])
            todo, done, seen, n_existing = [], [], set(), 0
            for key, outcome in chunk:
                if key is not None and (key in stored or key in seen):
                    n_existing += 1
                    continue
                seen.add(key)
                todo.append((Article(id=_outcome_id(outcome)), key))
                done.append(outcome)
            _write(store, todo, [], n_existing, done, ready, summary, on_progress)
    return summary


def _outcome_id(outcome: Outcome) -> str:
    if isinstance(outcome, Analyzed):
        return outcome.ledger.id
    if isinstance(outcome, Duplicate):
        return outcome.article.id
    return outcome.id or "?"


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


def _linked_copies(store: Store, todo, outcomes: list[Outcome]) -> list[Outcome]:
    """The outcomes with each analyzed near-duplicate of a stored article, or of an earlier one here,
    turned into a link to it. Workers look for copies before they analyze, but an original still in
    flight (analyzed in another chunk, not yet written) is not in the store then; chunks are written
    in input order, so here it is."""
    seen_here: dict = {}
    linked = []
    for (_, key), outcome in zip(todo, outcomes):
        copy = copy_of(dedupe.from_bytes(outcome.minhash), key, store, seen_here) \
            if isinstance(outcome, Analyzed) and outcome.minhash else None
        if copy is not None:
            led = outcome.ledger
            outcome = Duplicate(Article(id=led.id, title=led.title, url=led.url, outlet=led.outlet,
                                        author=led.author, published=led.published, language=led.language),
                                led.text, *copy)
        linked.append(outcome)
    return linked


def _write(store: Store, todo, read_errors, n_existing, handle, engine, summary: RunSummary,
           on_progress) -> None:
    outcomes = _linked_copies(store, todo, engine.result(handle)) if handle is not None else []
    counts = dict.fromkeys(COUNTERS, 0)
    counts["existing"] = n_existing
    failures: list[ErrorRecord] = list(read_errors)
    with store.session() as s:
        for err in read_errors:
            save_failure(s, summary.run_id, err)
        # the chunk's ledgers in a few statements, before the near-duplicates that may point to them
        statuses = save_ledgers(s, [ToStore(o.ledger, key, o.minhash, tuple(o.bands))
                                    for (_, key), o in zip(todo, outcomes) if isinstance(o, Analyzed)], summary.run_id)
        for status in statuses:
            counts[{"skipped": "skipped", None: "existing"}.get(status, "analyzed")] += 1
        for (article, key), outcome in zip(todo, outcomes):
            if isinstance(outcome, ErrorRecord):
                save_failure(s, summary.run_id, outcome, key)
                failures.append(outcome)
            elif isinstance(outcome, Duplicate):
                try:
                    row = save_duplicate(s, outcome.article, outcome.text, key, outcome.original_key,
                                         outcome.similarity, summary.run_id)
                except LookupError as exc:  # its original failed: the next run tries both again
                    err = ErrorRecord(id=article.id, error=ErrorInfo(type="OriginalNotStored", message=str(exc)))
                    save_failure(s, summary.run_id, err, key)
                    failures.append(err)
                    continue
                counts["existing" if row is None else "duplicates"] += 1  # None: stored meanwhile
        counts["failed"] = len(failures)
        count_chunk(s, summary.run_id, counts)
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
