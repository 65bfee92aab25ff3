"""Worker processes that can be ended: the per-article time budget (newsledger.workers).

The jobs here are small functions of this module (a worker imports them by name); the worker's
setup loads nothing, so that these tests time the machinery, not spaCy."""
import os
import time

import pytest

from newsledger.ledger import ErrorRecord
from newsledger.workers import Loaded, WorkerFailed, Workers


def nothing_loaded():
    return Loaded(nlp=None)


def broken_setup():
    raise OSError("[E050] Can't find model 'en_core_web_xx'")


def echo(loaded, items):
    """'sleep:S' sleeps S seconds; 'die' ends its process as the OOM killer would; 'raise' fails."""
    out = []
    for item in items:
        if item.startswith("sleep:"):
            time.sleep(float(item.split(":")[1]))
        elif item == "die":
            os.kill(os.getpid(), 9)
        elif item == "raise":
            raise ValueError("a bug in the job")
        out.append(f"{item} by {os.getpid()}")
    return out


class Item:
    def __init__(self, id):
        self.id = id


def pids(results):
    return {r.split(" by ")[1] for r in results if isinstance(r, str)}


def test_jobs_come_back_in_order_from_every_worker():
    with Workers(2, time_limit=30, setup=nothing_loaded) as workers:
        futures = [workers.submit(echo, [f"a{i}", f"b{i}"]) for i in range(6)]
        results = [f.result(60) for f in futures]
    assert [[r.split(" by ")[0] for r in rs] for rs in results] == [[f"a{i}", f"b{i}"] for i in range(6)]


def test_an_item_over_its_time_becomes_a_timeout_and_its_neighbours_are_kept():
    with Workers(1, time_limit=1.0, setup=nothing_loaded) as workers:
        first = workers.submit(echo, ["before"]).result(30)
        started = time.monotonic()
        results = workers.submit(echo, ["left", "sleep:60", "right"]).result(60)
        took = time.monotonic() - started
        after = workers.submit(echo, ["after"]).result(30)
    assert results[0].startswith("left by ") and results[2].startswith("right by ")
    assert isinstance(results[1], ErrorRecord) and results[1].error.type == "Timeout"
    assert "1 s" in results[1].error.message
    assert took < 30  # the sleeper was ended, not waited for
    # the piece ran over: its worker was killed, and the items were tried again in fresh workers
    assert pids(first) != pids(after) and len(pids(results) | pids(first) | pids(after)) >= 3


def test_a_worker_that_dies_is_replaced_and_only_its_item_fails():
    with Workers(1, time_limit=30, setup=nothing_loaded) as workers:
        results = workers.submit(echo, [Item("x").id, "die", "y"]).result(60)
        after = workers.submit(echo, ["z"]).result(30)
    assert results[0].startswith("x by ") and results[2].startswith("y by ")
    assert results[1].error.type == "WorkerDied" and "exit code -9" in results[1].error.message
    assert after[0].startswith("z by ")


def test_a_failing_job_fails_its_items_and_the_worker_goes_on():
    with Workers(1, time_limit=30, setup=nothing_loaded) as workers:
        failed = workers.submit(echo, ["raise"]).result(30)
        ok = workers.submit(echo, ["fine"]).result(30)
    assert failed[0].error.type == "AnalysisFailed" and "a bug in the job" in failed[0].error.message
    assert ok[0].startswith("fine by ")


def test_a_worker_that_cannot_load_is_a_clear_error_at_start():
    with Workers(2, time_limit=30, setup=broken_setup) as workers:
        with pytest.raises(WorkerFailed, match="Can't find model"):
            workers.start()
        with pytest.raises(WorkerFailed):  # and every job after it, without trying again
            workers.submit(echo, ["a"]).result(30)


def test_without_a_time_limit_a_slow_item_is_waited_for():
    with Workers(1, time_limit=None, setup=nothing_loaded) as workers:
        assert workers.submit(echo, ["sleep:1.5"]).result(30)[0].startswith("sleep:1.5 by ")


def test_a_setup_carries_the_settings_of_the_process_that_made_it(monkeypatch):
    """Workers are forked from a server process started earlier: the NEWSLEDGER_* settings travel
    with the setup, so that a worker reads the tagger, the model and the rest as its parent does."""
    from newsledger.workers import Setup

    monkeypatch.setenv("NEWSLEDGER_ATTRIBUTION_TAGGER", "/elsewhere/tagger.onnx")
    monkeypatch.delenv("NEWSLEDGER_MODEL", raising=False)
    settings = dict(Setup().settings)
    assert settings["NEWSLEDGER_ATTRIBUTION_TAGGER"] == "/elsewhere/tagger.onnx" and "NEWSLEDGER_MODEL" not in settings
