"""Analyses in worker processes that can be ended: the per-article time budget.

A thread cannot be stopped, so an analysis that runs away (a text no extractor bound foresaw, a
library's slow path) would hold its core and its slot for as long as it likes. Here each worker is a
process that loads the pipeline once and takes pieces of work from a queue; a piece that runs over
its budget (the time limit for each of its items) has its process killed. A piece of several items
is then tried again one item at a time, each in turn by a fresh worker, so that only the item at
fault becomes a `Timeout` error record and its neighbours are analyzed as usual. A worker that dies
(killed for memory, a crash in native code) is replaced the same way, its item a `WorkerDied`
record. Loading the pipeline is not counted against the budget.

Used by batch runs (`corpus.batch`, `newsledger analyze` and `ingest`) and by the server's analyses
(`web.turns`). A job is a module-level function `job(loaded, items) -> results` (one result for
each item, in order), run in a worker with what `Setup` loaded there.
"""
from __future__ import annotations

import functools
import multiprocessing
import os
import queue
import signal
import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from itertools import islice
from typing import Callable, Iterable, Iterator, Optional

from .ledger import ErrorInfo, ErrorRecord

TIME_LIMIT = 300.0  # seconds an article may take in a batch run; a normal 200 KB article takes ~15 s
START_LIMIT = 600.0  # seconds a worker may take to load the pipeline before it is called broken


class WorkerFailed(RuntimeError):
    """A worker could not start (no spaCy model, a broken model file): no analysis can run."""


def _settings_now() -> tuple:
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("NEWSLEDGER_")))


@dataclass(frozen=True)
class Setup:
    """What a worker loads once, before its first job. Picklable: it travels to the process."""
    model: Optional[str] = None  # spaCy pipeline name or path; None: nlp.model_name()
    threads: Optional[int] = None  # the attribution tagger's threads; None: its default
    store_url: Optional[str] = None  # a store to compare texts with (near-duplicates)
    # the NEWSLEDGER_* settings of the process that made the setup: a worker is forked from a server
    # process started earlier, whose environment may be older
    settings: tuple = field(default_factory=_settings_now)

    def __call__(self) -> "Loaded":
        from . import nlp as nlp_loader
        from .extract import attribution_tagger
        from .extract.attributions import tagger_in_use
        from .pipeline import analyze

        for name in [k for k in os.environ if k.startswith("NEWSLEDGER_")]:
            del os.environ[name]
        os.environ.update(self.settings)
        if self.threads is not None:
            attribution_tagger.use_threads(self.threads)
        try:
            name = self.model or nlp_loader.model_name()  # read with the settings above
        except nlp_loader.ModelNotFound as exc:
            raise WorkerFailed(str(exc)) from None
        try:
            nlp = nlp_loader.load(name)
        except Exception as exc:  # noqa: BLE001 - spaCy's OSError for a bad name or path, and the like
            raise WorkerFailed(f"cannot load the spaCy pipeline {name!r}: {exc}") from None
        tagger_in_use()  # a missing or damaged tagger file: its own TaggerError, named
        # one small article: what loads on first use (the tagger) loads now, outside any budget
        analyze("The mayor said on Monday that 3 bridges had closed.", "2024-01-01", nlp=nlp)
        store = None
        if self.store_url is not None:
            from .store import open_store

            store = open_store(self.store_url, migrate_schema=False)
        return Loaded(nlp, store)


@dataclass
class Loaded:
    """What a job gets: the pipeline, and the store when the setup named one."""
    nlp: object
    store: object = None


def item_id(item) -> Optional[str]:
    """The article id of a work item: an Article, a Prepared article, an ErrorRecord, a (item,
    key) pair, or anything with an `id`."""
    if isinstance(item, tuple) and item:
        return item_id(item[0])
    article = getattr(item, "article", None)
    return getattr(article if article is not None else item, "id", None)


def failure(item, kind: str, message: str) -> ErrorRecord:
    return ErrorRecord(id=item_id(item), error=ErrorInfo(type=kind, message=message))


def _serve(conn, setup: Callable[[], object]) -> None:
    """A worker's life: load, say ready, then run jobs until told to stop or the parent goes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends us
    try:
        loaded = setup()
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises WorkerFailed
        conn.send(("failed", str(exc) or type(exc).__name__))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the parent has gone
            return
        if job is None:
            return
        fn, items = job
        try:
            reply = ("done", fn(loaded, items))
        except BaseException as exc:  # noqa: BLE001 - the job's bug: its items fail, the worker lives
            reply = ("raised", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send(("raised", f"{type(exc).__name__}: {exc}"))


class _Worker:
    """One process and its end of the pipe, started on demand and replaced when it is killed."""

    def __init__(self, ctx, setup):
        self.ctx, self.setup = ctx, setup
        self.process = self.conn = None

    def start(self) -> None:
        parent, child = self.ctx.Pipe()
        self.process = self.ctx.Process(target=_serve, args=(child, self.setup), daemon=True,
                                        name="newsledger-worker")
        self.process.start()
        child.close()
        self.conn = parent
        if not parent.poll(START_LIMIT):
            self.kill()
            raise WorkerFailed(f"a worker did not load the pipeline within {START_LIMIT:g} s")
        try:
            state, message = parent.recv()
        except EOFError:
            self.process.join(5)
            code = self.process.exitcode
            self.kill()
            raise WorkerFailed(f"a worker died while loading the pipeline (exit code {code})") from None
        if state != "ready":
            self.kill()
            raise WorkerFailed(message)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.process = None
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def stop(self) -> None:
        """Ends the process politely (it finishes nothing: stop is called with no job running)."""
        if self.process is None:
            return
        try:
            self.conn.send(None)
            self.process.join(5)
        except OSError:
            pass
        self.kill()


class Workers:
    """`size` worker processes sharing one queue of jobs. `time_limit`: seconds each item of a job
    may take (None: no limit). Each worker starts when there is work for it."""

    def __init__(self, size: int = 1, *, time_limit: Optional[float] = TIME_LIMIT,
                 setup: Callable[[], object] = Setup()):
        if size < 1:
            raise ValueError("at least one worker")
        self.size, self.time_limit = size, time_limit
        self.jobs: "queue.Queue" = queue.Queue()
        self.broken: Optional[WorkerFailed] = None  # set when a worker could not start: no other will
        self.stopped = False  # set by terminate: no worker starts again
        ctx = multiprocessing.get_context("forkserver")  # not fork: the parent has threads
        self._workers = [_Worker(ctx, setup) for _ in range(size)]
        self._threads = [threading.Thread(target=self._drive, args=(w,), daemon=True, name="newsledger-driver")
                         for w in self._workers]
        for t in self._threads:
            t.start()

    def submit(self, job: Callable, items: list) -> "Future[list]":
        """A future of `job(loaded, items)`, one result an item; an item that ran over its time or
        whose worker died is an error record in its place. The future raises WorkerFailed when no
        worker can start."""
        future: Future = Future()
        self.jobs.put((job, list(items), future))
        return future

    def start(self) -> None:
        """Starts one worker now and waits for it: raises WorkerFailed at once when the pipeline
        cannot load (a usage error), instead of with the first result."""
        self.submit(_nothing, []).result()

    def close(self) -> None:
        for _ in self._threads:
            self.jobs.put(None)
        for t in self._threads:
            t.join()

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:  # Ctrl-C, a broken pipe: the work in flight is no one's now
            self.terminate()
        self.close()

    def terminate(self) -> None:
        """Ends every worker at once, whatever it is doing (their jobs fail)."""
        self.stopped = True
        for w in self._workers:
            process = w.process  # read once: its driver thread may be replacing it
            if process is not None:
                process.kill()

    # ------------------------------------------------------------ in the driver threads

    def _drive(self, worker: _Worker) -> None:
        try:
            while True:
                task = self.jobs.get()
                if task is None:
                    return
                job, items, future = task
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(self._run(worker, job, items))
                except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for it
                    future.set_exception(exc)
        finally:
            worker.stop()

    def _ready(self, worker: _Worker) -> None:
        if self.stopped:
            raise WorkerFailed("the workers were stopped")
        if self.broken is not None:
            raise self.broken
        if worker.process is None or not worker.process.is_alive():
            worker.kill()
            try:
                worker.start()
            except WorkerFailed as exc:
                self.broken = exc
                raise

    def _run(self, worker: _Worker, job: Callable, items: list) -> list:
        self._ready(worker)
        limit = None if self.time_limit is None else self.time_limit * max(1, len(items))
        try:
            worker.conn.send((job, items))
            if worker.conn.poll(limit):
                state, reply = worker.conn.recv()
                if state == "done":
                    return reply
                return [failure(item, "AnalysisFailed", reply) for item in items]
            died = None  # still at work: over its time
        except (EOFError, OSError):
            worker.process.join(1)
            died = worker.process.exitcode
        worker.kill()  # over its time, or dead already: a fresh one takes the next job
        if self.stopped:
            raise WorkerFailed("the workers were stopped")
        if len(items) > 1:  # find the item at fault: each alone, in a fresh worker
            return [result for item in items for result in self._run(worker, job, [item])]
        if died is None:
            return [failure(item, "Timeout", f"the analysis took over {self.time_limit:g} s, "
                                               "the time limit for one article") for item in items]
        return [failure(item, "WorkerDied", f"the analysis process died (exit code {died}); "
                                            "out of memory?") for item in items]


def _nothing(loaded, items: list) -> list:
    return []


# ---------------------------------------------------------------- the analysis as a job

PIECE = 8  # articles a job: a worker's spaCy batch


def analysis(loaded, items: list, scheme: str = "claims") -> list:
    """A worker's job: the results of `pipeline.analyze_articles`, one an item (an article, a
    prepared article, or an error record, which passes through)."""
    from .pipeline import analyze_articles

    return list(analyze_articles(items, nlp=loaded.nlp, batch_size=max(1, len(items)), scheme=scheme))


def analyze_in(workers: Workers, items: Iterable, *, scheme: str = "claims", piece: int = PIECE) -> Iterator:
    """Ledgers and error records in input order, analyzed by `workers` in pieces of `piece` items;
    a bounded number of pieces in flight, so memory does not grow with the input."""
    job = functools.partial(analysis, scheme=scheme)
    in_flight: deque = deque()
    it = iter(items)
    while chunk := list(islice(it, piece)):
        in_flight.append(workers.submit(job, chunk))
        while len(in_flight) > 2 * workers.size:
            yield from in_flight.popleft().result()
    while in_flight:
        yield from in_flight.popleft().result()
