"""Runs' liveness: a run records its process (pid and host) and writes a heartbeat with each chunk;
one whose process is gone (kill -9, a crash, power loss) never says it ended, and is marked
`interrupted` by the next run that opens the store (and shown so by queries meanwhile)."""
from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta, timezone
from typing import Optional

from sqlalchemy import select, update

from . import tables as T
from .db import Store


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


STALE_AFTER = timedelta(hours=6)  # a run that has not written for this long is taken for dead


def this_host() -> str:
    return socket.gethostname()[:255]


def alive(pid: int) -> bool:
    """Whether a process with this id runs on this host (a zombie, killed but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def dead_runs(runs, now: Optional[datetime] = None) -> set[int]:
    """The ids of those `running` runs (Run rows) whose process is gone: on this host, its pid no
    longer runs; anywhere, it has not written for STALE_AFTER."""
    now = now or now_utc()
    host = this_host()
    dead = set()
    for run in runs:
        if run.status != "running":
            continue
        last = run.heartbeat_at or run.started_at
        if (run.host == host and run.pid is not None and not alive(run.pid)) or \
                (last is not None and now - last > STALE_AFTER):
            dead.add(run.id)
    return dead


def mark_dead_runs(store: Store) -> list[int]:
    """Mark `interrupted` the runs left `running` by a process that died (kill -9, power loss)."""
    with store.session() as s:
        dead = sorted(dead_runs(s.scalars(select(T.Run).where(T.Run.status == "running"))))
        if dead:
            s.execute(update(T.Run).where(T.Run.id.in_(dead), T.Run.status == "running")
                      .values(status="interrupted"))
    return dead


def begin_run(store: Store, sources: list[str], version: str, counters: tuple[str, ...]) -> int:
    """A new run, `running`, with its process and a first heartbeat; runs that died are marked
    `interrupted` first. Returns its id."""
    mark_dead_runs(store)
    with store.session() as s:
        now = now_utc()
        run = T.Run(started_at=now, sources=list(sources), status="running", version=version,
                    pid=os.getpid(), host=this_host(), heartbeat_at=now, **{k: 0 for k in counters})
        s.add(run)
    return run.id


def end_run(store: Store, run_id: int, status: str) -> None:
    """The run ended: finished, interrupted or failed."""
    with store.session() as s:
        s.execute(update(T.Run).where(T.Run.id == run_id).values(status=status, finished_at=now_utc()))


def count_chunk(session, run_id: int, counts: dict[str, int]) -> None:
    """Adds a chunk's counts to its run, in the chunk's own transaction, with a heartbeat."""
    session.execute(update(T.Run).where(T.Run.id == run_id).values(
        status="running", heartbeat_at=now_utc(), **{k: getattr(T.Run, k) + v for k, v in counts.items()}))
