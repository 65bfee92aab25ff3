"""The store when things go wrong: a damaged file, a read-only file or folder, a full disk, two
runs making a new store at once, runs killed with kill -9 (issue 17, part 6)."""
import json
import multiprocessing
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.store import open_store
from newsledger.store import tables as T

from conftest import sql_rows as rows

runner = CliRunner()
NEWSLEDGER = [sys.executable, "-m", "newsledger"]
SRC = str(Path(__file__).resolve().parents[2] / "src")


def stored_store(path: Path, n: int = 1) -> str:
    """A store at `path` with n articles (written directly: no analysis needed here)."""
    url = f"sqlite:///{path}"
    st = open_store(url)
    with st.session() as s:
        for i in range(n):
            s.add(T.Article(key=f"{i:064d}", source_id=f"kept-{i}", text=f"Article {i} was stored before.",
                            status="analyzed", warnings=[], language="en"))
    st.close()
    return url


def one_line_error(res_output: str, code: int, exit_code: int, exception=None) -> list[str]:
    lines = [line for line in res_output.splitlines() if line.strip()]
    assert exit_code == code, (res_output, repr(exception))
    assert "Traceback" not in res_output and len(lines) == 1 and lines[0].startswith("error:"), res_output
    return lines


def commands(db: str, tmp_path: Path) -> list[list[str]]:
    """Every command that opens a store, on `db`."""
    some = tmp_path / "in.jsonl"
    some.write_text(json.dumps({"id": "x", "text": "The mayor said so."}) + "\n")
    return [["ingest", str(some), "--db", db], ["query", "articles", "--db", db], ["query", "runs", "--db", db],
            ["export", "--db", db, "-o", str(tmp_path / "out.jsonl")], ["load", str(some), "--db", db],
            ["serve", "--db", db, "--port", "1"], ["migrate", "--db", db]]


# ---------------------------------------------------------------- 1. damaged files

@pytest.mark.parametrize("damage", ["random", "truncated"])
def test_a_damaged_store_is_a_one_line_error_for_every_command(tmp_path, damage):
    db = tmp_path / "store.db"
    if damage == "random":
        db.write_bytes(os.urandom(64 * 1024))
    else:
        stored_store(db, 50)
        whole = db.read_bytes()
        db.write_bytes(whole[:len(whole) // 3])
    for args in commands(str(db), tmp_path):
        res = runner.invoke(app, args)
        line = one_line_error(res.output, 2, res.exit_code, res.exception)[0]
        assert "damaged" in line or "not an SQLite database" in line, (args, line)


# ---------------------------------------------------------------- 1. read-only file or folder

def _as_user_without_override(cmd: list[str]) -> list[str]:
    """Root ignores file modes: run without the capabilities that let it (setpriv), so that a
    read-only file is read-only."""
    if os.geteuid() != 0:
        return cmd
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: file modes cannot be enforced")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"] + cmd


def _cli(args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(_as_user_without_override(NEWSLEDGER + args), capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.fixture
def read_only(tmp_path):
    """read_only(path): make a file or folder read-only; made writable again at the end."""
    made = []

    def _ro(p: Path) -> None:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        made.append(p)
    yield _ro
    for p in made:
        p.chmod(p.stat().st_mode | stat.S_IWUSR)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_store_can_be_read_not_written(tmp_path, read_only, what):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "store.db"
    stored_store(db, 2)
    before = sorted(os.listdir(folder))
    read_only(db)
    if what == "folder":
        read_only(folder)
    res = _cli(["query", "articles", "--db", str(db), "-f", "json"])
    assert res.returncode == 0, res.stderr
    assert sorted(a["article"] for a in json.loads(res.stdout)) == ["kept-0", "kept-1"]
    res = _cli(["export", "--db", str(db)])
    assert res.returncode == 0 and len(res.stdout.splitlines()) == 2, res.stderr
    # writers say it is read-only, in one line, and change nothing
    some = tmp_path / "in.jsonl"
    some.write_text(json.dumps({"id": "x", "text": "The mayor said so."}) + "\n")
    for args in (["ingest", str(some), "--db", str(db)], ["load", str(some), "--db", str(db)]):
        res = _cli(args)
        line = one_line_error(res.stderr, 2, res.returncode)[0]
        assert "read-only" in line, line
    if what == "folder":
        assert sorted(os.listdir(folder)) == before  # no journal, no WAL, no lock file made
    res = _cli(["query", "runs", "--db", str(db), "-f", "json"])
    assert res.returncode == 0 and json.loads(res.stdout) == [], res.stderr
    assert rows(f"sqlite:///{db}?mode=ro", "select count(*) from articles") == [(2,)]


def test_a_store_that_needs_a_migration_says_so_to_readers(tmp_path, read_only):
    from alembic import command
    from alembic.config import Config

    from newsledger.store.db import MIGRATIONS

    db = tmp_path / "old" / "store.db"
    db.parent.mkdir()
    url = stored_store(db, 1)
    st = open_store(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with st.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    st.close()
    read_only(db)
    read_only(db.parent)
    res = _cli(["query", "articles", "--db", str(db)])
    line = one_line_error(res.stderr, 2, res.returncode)[0]
    assert "needs a migration" in line and "newsledger migrate" in line, line


# ---------------------------------------------------------------- 1. a full disk

def test_a_full_disk_is_a_one_line_error_and_what_was_stored_is_kept(tmp_path, monkeypatch):
    from newsledger.store import db as store_db

    db = tmp_path / "store.db"
    url = stored_store(db, 3)
    pages = rows(url, "pragma page_count")[0][0]
    pragmas = store_db._sqlite_pragmas

    def full_disk(dbapi_connection, record):  # the file may not grow: as a full disk
        pragmas(dbapi_connection, record)
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    monkeypatch.setattr(store_db, "_sqlite_pragmas", full_disk)
    src = tmp_path / "many.jsonl"
    src.write_text("".join(json.dumps({"id": f"new-{i}", "text": f"Story {i}. " + "The mayor said the bridges "
                                       f"would close on Tuesday. " * 400}) + "\n" for i in range(8)))
    res = runner.invoke(app, ["ingest", str(src), "--db", str(db), "--chunk-size", "4"])
    line = one_line_error(res.output, 2, res.exit_code, res.exception)[0]
    assert "disk is full" in line, line
    monkeypatch.setattr(store_db, "_sqlite_pragmas", pragmas)
    assert sorted(r[0] for r in rows(url, "select source_id from articles")) == ["kept-0", "kept-1", "kept-2"]
    assert rows(url, "pragma integrity_check") == [("ok",)]
    assert rows(url, "select count(*) from runs where status = 'running'") == [(0,)]


# ---------------------------------------------------------------- 2. two runs making a new store

def _open_at_once(url, start, results):
    import alembic.command  # noqa: F401 - imported before the start, so that all start together

    from newsledger.store.db import StoreError

    start.wait()
    try:
        open_store(url).close()
        results.put("ok")
    except StoreError as exc:
        results.put(str(exc))


def test_runs_started_together_on_a_new_store_all_find_it_made(tmp_path, store_url):
    ctx = multiprocessing.get_context("spawn")
    sqlite = store_url.startswith("sqlite")
    for attempt in range(3 if sqlite else 1):  # a race: tries with processes released at once
        url = f"sqlite:///{tmp_path / f'new{attempt}.db'}" if sqlite else store_url  # a fresh database
        start, results = ctx.Barrier(3), ctx.Queue()
        procs = [ctx.Process(target=_open_at_once, args=(url, start, results)) for _ in range(3)]
        for p in procs:
            p.start()
        got = [results.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(60)
        assert got == ["ok"] * 3, got
        assert rows(url, "select count(*) from alembic_version") == [(1,)]
        assert rows(url, "select count(*) from runs") == [(0,)]


def test_a_write_ahead_log_left_in_a_read_only_folder_is_explained(tmp_path, read_only):
    import sqlite3

    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "store.db"
    stored_store(db, 1)
    conn = sqlite3.connect(db)  # a write left in the -wal file, as by a writer killed before its checkpoint
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE articles SET title = 'new'")
    conn.commit()
    wal = Path(f"{db}-wal").read_bytes()
    conn.close()
    Path(f"{db}-wal").write_bytes(wal)
    read_only(db)
    read_only(folder)
    res = _cli(["query", "articles", "--db", str(db)])
    line = one_line_error(res.stderr, 2, res.returncode)[0]
    assert "write-ahead log" in line and "newsledger migrate" in line, line
