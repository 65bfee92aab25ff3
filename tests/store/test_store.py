"""The store and batch runs: ledgers in SQLite, idempotent by content hash, failures recorded,
resumable after kill -9, the same rows with one worker or two."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.corpus.batch import ingest
from newsledger.ledger import Article
from newsledger.pipeline import analyze_articles
from newsledger.store import open_store
from newsledger.store.db import StoreError

from conftest import EXAMPLES, sql_rows as rows

runner = CliRunner()
NEWSLEDGER = [sys.executable, "-m", "newsledger"]


def examples():
    return [Article(**json.loads(line)) for line in (EXAMPLES / "articles.jsonl").read_text().splitlines()]


def many_articles(n):
    """n distinct small wire stories (distinct texts, so distinct keys)."""
    out = []
    for i in range(n):
        out.append({"id": f"story-{i}", "published": "2024-03-14",
                    "text": f"Officials in Port Alder said on Tuesday that {i + 3} bridges would close. "
                            f"\"We have no choice,\" Mayor Dana Whitcombe told reporters, adding that "
                            f"repairs would cost ${i + 2} million."})
    return out


def test_ledger_rows_match_the_ledger_and_reingest_changes_nothing(store_url, nlp):
    db = store_url
    store = open_store(db)
    first = ingest(["examples"], store, nlp=nlp, items=examples())
    ledgers = list(analyze_articles(examples(), nlp=nlp))
    assert first.analyzed == 3 and first.failed == 0
    assert rows(db, "select count(*) from attributions")[0][0] == sum(len(l.attributions) for l in ledgers)
    assert rows(db, "select count(*) from mentions")[0][0] == sum(
        len(e.mentions) for l in ledgers for e in l.entities)
    # a stored quote's text is the ledger's span text, and its speaker row is the resolved entity
    led = ledgers[0]
    att = next(a for a in led.attributions if a.source.entity)
    got = rows(db, f"select a.content, e.name from attributions a join entities e on e.id = a.source_entity_id "
                   f"where a.position = {led.attributions.index(att)} and a.article_id = "
                   f"(select id from articles where source_id = '{led.id}')")
    s, e = att.content[0]
    assert got[0][0].startswith(led.text[s:e]) and got[0][1] == att.source.name
    before = rows(db, "select count(*) from articles union all select count(*) from attributions")
    second = ingest(["examples"], store, nlp=nlp, items=examples())
    assert (second.analyzed, second.existing) == (0, 3)
    assert rows(db, "select count(*) from articles union all select count(*) from attributions") == before
    assert rows(db, "select status, analyzed, existing from runs order by id") == [
        ("finished", 3, 0), ("finished", 0, 3)]
    store.close()


def test_full_text_search_over_quotes(store_url, nlp):
    from newsledger.store.queries import quotes

    store = open_store(store_url)
    ingest(["x"], store, nlp=nlp, items=examples())
    hits = quotes(store, text="recalls")  # stemmed: finds "recall" and "recalled" too
    assert hits and all("recall" in (h["content"] + (h["source_name"] or "")).lower() for h in hits)
    assert quotes(store, text='"; drop table attributions; --') == []  # syntax is text, never SQL
    assert rows(store_url, "select count(*) from attributions")[0][0] > 0
    store.close()


def test_broken_records_are_failures_and_the_run_goes_on(store_url, write):
    good = many_articles(2)
    src = write("mixed.jsonl", "\n".join([json.dumps(good[0]), "{not json", json.dumps({"id": "x"}),
                                          json.dumps({"id": "bin", "text": "\x00\x01\x02" * 50}),
                                          json.dumps(good[1])]) + "\n")
    db = store_url
    res = runner.invoke(app, ["ingest", str(src), "--db", db])
    assert res.exit_code == 1, res.output
    assert sorted(r[0] for r in rows(db, "select source_id from articles")) == ["story-0", "story-1"]
    assert sorted(r[0] for r in rows(db, "select error_type from failures")) == [
        "BinaryInput", "InvalidJSON", "MissingText"]
    # failures are tried again by the next run, the stored articles are not
    res = runner.invoke(app, ["ingest", str(src), "--db", db])
    assert rows(db, "select existing, failed from runs where id = 2") == [(2, 3)]


def test_unusable_database_is_a_usage_error(tmp_path):
    res = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", str(tmp_path / "no" / "such" / "s.db")])
    assert res.exit_code == 2 and "no such folder" in res.output
    res = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", "nosuchdialect://x"])
    assert res.exit_code == 2
    with pytest.raises(StoreError):
        open_store(str(tmp_path / "not-a-dir" / "x.db"))


def test_kill_9_then_the_same_command_finishes_with_nothing_lost_or_twice(store_url, write):
    arts = many_articles(48)
    src = write("many.jsonl", "".join(json.dumps(a) + "\n" for a in arts))
    db = store_url
    cmd = NEWSLEDGER + ["ingest", str(src), "--db", db, "--chunk-size", "4"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        try:
            stored = rows(db, "select count(*) from articles")[0][0]
        except Exception:  # noqa: BLE001 - not created or not migrated yet
            stored = 0
        if stored >= 8:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed: make the input larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = rows(db, "select count(*) from articles")[0][0]
    assert 8 <= killed_at < len(arts)
    assert rows(db, "select status from runs") == [("running",)]  # it never got to say otherwise
    # but its process is gone: a query shows it interrupted, and the next run marks it so
    res = runner.invoke(app, ["query", "runs", "--db", db, "-f", "json"])
    assert res.exit_code == 0 and [r["status"] for r in json.loads(res.stdout)] == ["interrupted"], res.output
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert rows(db, "select id, status from runs order by id") == [(1, "interrupted"), (2, "finished")]
    assert rows(db, "select pid from runs where id = 1") == [(proc.pid,)]
    ids = [r[0] for r in rows(db, "select source_id from articles")]
    assert sorted(ids) == sorted(a["id"] for a in arts)  # nothing lost, nothing twice
    assert rows(db, "select analyzed, existing from runs where id = 2") == [(len(arts) - killed_at, killed_at)]
    # every stored article has its full ledger: the interrupted chunk left no half-written rows
    assert rows(db, "select count(*) from articles a where not exists "
                    "(select 1 from figures f where f.article_id = a.id) and not exists "
                    "(select 1 from attributions t where t.article_id = a.id)") == [(0,)]


def test_two_workers_store_what_one_worker_stores(tmp_path, write):
    # (SQLite only: the backends' equality is what the other tests pin down)
    arts = many_articles(12)
    src = write("many.jsonl", "".join(json.dumps(a) + "\n" for a in arts))
    dbs = []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        res = subprocess.run(NEWSLEDGER + ["ingest", str(src), "--db", str(db), "--workers", str(workers),
                                           "--chunk-size", "3"], capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        dbs.append(db)
    query = ("select r.source_id, a.kind, a.content, a.source_name from attributions a "
             "join articles r on r.id = a.article_id order by r.source_id, a.position")
    one, two = rows(f"sqlite:///{dbs[0]}", query), rows(f"sqlite:///{dbs[1]}", query)
    assert len(one) >= len(arts) and one == two
