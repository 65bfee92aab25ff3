"""Analyses take turns: they are CPU-bound, so more at once than there are cores only makes each
slower (and they would hold every thread the read endpoints need). Shared by the API and the paste
form, so that both wait in the same line."""
from __future__ import annotations

import os
import threading
from typing import Callable, Optional, TypeVar

import anyio

T = TypeVar("T")


class Busy(Exception):
    """Too many analyses are waiting already."""


class TooSlow(Exception):
    """The analysis ran over its time limit."""


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Turns:
    """At most `workers` analyses run at once; up to `queue` wait for a turn (the wait is not timed);
    each runs at most `seconds` before its answer is given up on."""

    def __init__(self, workers: Optional[int], queue: int, seconds: float):
        self.workers, self.queue, self.seconds = workers or cores(), queue, seconds
        self.slots: Optional[anyio.CapacityLimiter] = None  # made in the event loop, at the first turn
        self.waiting = 0

    async def run(self, work: Callable[[], T]) -> T:
        """`work()` in a thread, in its turn. Busy when the line is full; TooSlow past the limit.
        The turn is the thread's until its work ends, even when the answer was given up on (a thread
        cannot be stopped): `claim` says whether the thread ran (and gives the turn back) or this
        call did not start it."""
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
                return work()
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
