"""Analyses take turns: they are CPU-bound, so more at once than there are cores only makes each
slower (and they would hold every thread the read endpoints need). Shared by the API and the paste
form, so that both wait in the same line.

The server's analyses run in worker processes (workers.py): one over its time limit is ended, its
process replaced, and its turn given back at once, so a hostile text cannot hold a core or a slot.
Given a pipeline of this process instead (tests, an app embedded in another program), they run in
threads here, where the limit answers the client but cannot stop the work.
"""
from __future__ import annotations

import asyncio
import os
import threading
from typing import Callable, Optional

import anyio

from ..ledger import ErrorRecord
from ..workers import Loaded, Setup, Workers, failure


class Busy(Exception):
    """Too many analyses are waiting already."""


class TooSlow(Exception):
    """The analysis ran over its time limit."""


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Turns:
    """At most `workers` analyses run at once; up to `queue` wait for a turn (the wait is not timed);
    each runs at most `seconds`. In worker processes, or, given `nlp`, in threads of this process."""

    def __init__(self, workers: Optional[int], queue: int, seconds: float, *, nlp=None,
                 model: Optional[str] = None):
        self.workers, self.queue, self.seconds = workers or cores(), queue, seconds
        self.waiting = 0  # in threads: waiting for a slot; in processes: submitted and not answered
        self.loaded = Loaded(nlp) if nlp is not None else None
        self.model = model
        self.pool: Optional[Workers] = None  # processes: made at the first turn (or start), ended by close
        self.slots: Optional[anyio.CapacityLimiter] = None  # threads: made in the event loop, at the first turn

    def _workers(self) -> Workers:
        if self.pool is None:
            setup = Setup(self.model, threads=1 if self.workers > 1 else None)
            self.pool = Workers(self.workers, time_limit=self.seconds, setup=setup)
        return self.pool

    def start(self) -> None:
        """Loads the workers' pipeline now rather than at the first analysis; raises WorkerFailed."""
        if self.loaded is None:
            self._workers().start()

    def close(self) -> None:
        """Ends the workers (the server is stopping: nobody waits for their answers); a later turn
        starts new ones."""
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.terminate()
            pool.close()

    async def run(self, job: Callable, item):
        """`job(loaded, [item])`'s one result, in its turn. Busy when the line is full; TooSlow
        past the limit."""
        if self.loaded is not None:
            return await self._in_thread(job, item)
        if self.waiting >= self.workers + self.queue:
            raise Busy(f"{self.queue} analyses are waiting already; try again later")
        self.waiting += 1
        try:
            (result,) = await asyncio.wrap_future(self._workers().submit(job, [item]))
        finally:
            self.waiting -= 1
        if isinstance(result, ErrorRecord) and result.error.type == "Timeout":
            raise TooSlow(f"the analysis took over {self.seconds:g} s")
        return result

    async def _in_thread(self, job: Callable, item):
        """The turn is the thread's until its work ends, even when the answer was given up on (a
        thread cannot be stopped): `claim` says whether the thread ran (and gives the turn back) or
        this call did not start it."""
        if self.waiting >= self.queue:
            raise Busy(f"{self.queue} analyses are waiting already; try again later")
        slots = self.slots = self.slots or anyio.CapacityLimiter(self.workers)
        turn, claim = object(), threading.Lock()
        self.waiting += 1
        try:
            await slots.acquire_on_behalf_of(turn)
        finally:
            self.waiting -= 1

        def in_thread():
            if not claim.acquire(blocking=False):
                return None  # given up before it started; the turn was given back
            try:
                return job(self.loaded, [item])[0]
            finally:
                try:
                    anyio.from_thread.run_sync(slots.release_on_behalf_of, turn)
                except RuntimeError:  # the event loop has ended: the server is stopping
                    pass

        try:
            with anyio.fail_after(self.seconds):
                return await anyio.to_thread.run_sync(in_thread, abandon_on_cancel=True)
        except TimeoutError:
            raise TooSlow(f"the analysis took over {self.seconds:g} s") from None
        finally:
            if claim.acquire(blocking=False):  # the thread never started
                slots.release_on_behalf_of(turn)


# ---------------------------------------------------------------- the jobs (run in a worker)

def analyze_request(loaded, items: list) -> list:
    """The API's job: the result of each item, an Article, or a URL (a str) fetched here, in the
    turn, so that a slow server is bounded by the same limit and cannot take the threads the pages
    are served from. `allow_private` travels with a URL as (url, allow_private)."""
    from ..ingest import read_inputs
    from ..pipeline import analyze_articles

    results = []
    for item in items:
        if isinstance(item, tuple):
            url, allow_private = item
            got = list(read_inputs(url, allow_private=allow_private))
            if len(got) != 1:
                results.append(failure(url, "NotAnArticle", f"{url} is a feed of {len(got)} entries, not one article"))
                continue
            item = got[0]
        results.extend(analyze_articles([item], nlp=loaded.nlp))
    return results


def analyze_for_store(loaded, items: list) -> list:
    """The paste form's job: each (article, key)'s outcome for `corpus.batch.load`, which stores it
    (and links it to an original it copies) in the server."""
    from ..corpus.batch import analyze_chunk

    return analyze_chunk(items, loaded.nlp, None)
