"""Reading the store (issue 18, item 4): one Period, the same whole days for `export`, every `query`
and the API; read commands never make a store; only the store speaks SQL."""
import ast
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.ledger import Attribution, Cue, Figure, Ledger, Source
from newsledger.store import Period, PeriodError, ReversedPeriod, open_store, queries
from newsledger.store.write import save_ledger
from newsledger.web import create_app

runner = CliRunner()
SRC = Path(__file__).resolve().parents[2] / "src" / "newsledger"


# ---------------------------------------------------------------- only store/ speaks SQL

STORE = SRC / "store"
# Modules outside store/ that still use SQLAlchemy or the tables themselves; each one is a debt.
EXEMPT: set = set()
FORBIDDEN = ("sqlalchemy", "newsledger.store.tables")


def _imports(code: str, package: str) -> list[tuple[int, str]]:
    """(line, module) of every import in `code`, a module of `package`, those inside functions too,
    relative ones made absolute; `from x import y` gives both x and x.y (y may be a module)."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def test_only_the_store_imports_sqlalchemy_or_the_tables():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if STORE in path.parents or path in EXEMPT:
            continue
        package = ".".join(path.relative_to(SRC.parent).parts[:-1])
        for line, module in _imports(path.read_text(encoding="utf-8"), package):
            if any(module == f or module.startswith(f + ".") for f in FORBIDDEN):
                offenders.append(f"{path.relative_to(SRC)}:{line}: {module}")
    assert offenders == [], "SQL belongs in store/ (store.read, store.queries, store.write):\n" + "\n".join(offenders)


def test_the_import_check_sees_relative_and_lazy_imports():
    code = ("import os\ndef f():\n    from ..store import tables as T\n    from sqlalchemy.orm import Session\n"
            "    from . import files\n")
    got = {m for _, m in _imports(code, "newsledger.export")}
    assert {"newsledger.store.tables", "sqlalchemy.orm", "newsledger.export.files", "os"} <= got


# ---------------------------------------------------------------- Period

def test_a_period_is_whole_days_both_inclusive():
    p = Period("2024-03-01", date(2024, 3, 14))
    assert (p.since, p.until) == (date(2024, 3, 1), date(2024, 3, 14))
    assert Period(datetime(2024, 3, 14, 17, 5)).since == date(2024, 3, 14)  # a moment counts as its day
    assert not Period() and Period(until="2024-03-14")
    for bad in ("last week", "2024-02-30", "20240314", "2024-W11-4", "2024-03-14T10:00", "", 20240314):
        with pytest.raises(PeriodError, match="YYYY-MM-DD"):
            Period(until=bad)
    assert Period(until=date.max).conditions(None) == []  # no day after the last one


def test_a_since_after_the_until_is_refused_not_an_empty_period():
    with pytest.raises(ReversedPeriod) as caught:
        Period("2024-03-14", "2024-03-01")
    assert isinstance(caught.value, PeriodError) and isinstance(caught.value, ValueError)
    assert "since 2024-03-14" in str(caught.value) and "until 2024-03-01" in str(caught.value)
    assert "--since 2024-03-14" in caught.value.described("--") and "--until 2024-03-01" in caught.value.described("--")
    with pytest.raises(ReversedPeriod):
        Period(date(2024, 3, 15), datetime(2024, 3, 14, 23, 59))  # a moment counts as its day
    one_day = Period(datetime(2024, 3, 14, 23, 0), datetime(2024, 3, 14, 1, 0))  # the same day: fine
    assert one_day.since == one_day.until == date(2024, 3, 14)
    assert Period("2024-03-14") and Period(until="2024-03-01")  # an open end is never after the other


def _toll(i: int, published, outlet: str = "Wire") -> Ledger:
    text = f"Story {i}: officials said at least {i} people were killed."
    said = text.index("officials")
    fig = text.index("at least")
    return Ledger(id=f"day-{i}", outlet=outlet, published=published, text=text,
                  attributions=[Attribution(kind="indirect", content=[(said + 15, len(text) - 1)],
                                            source=Source(span=(said, said + 9), name="officials"),
                                            cue=Cue(span=(said + 10, said + 14)))],
                  figures=[Figure(span=(fig, fig + 9 + len(str(i))), value=i, quantity="people killed",
                                  attribution=0)])


# published -> in a period from 2024-03-01 to 2024-03-14?
DAYS = {
    "2024-02-29T23:59:59Z": False,   # the day before --since
    "2024-03-01": True,              # the --since day, a date only
    "2024-03-01T00:00:00Z": True,    # its first moment
    "2024-03-14": True,              # the --until day, a date only
    "2024-03-14T23:59:59Z": True,    # its last second
    "2024-03-14T20:30:00-05:00": False,  # 01:30 UTC on the 15th: days are UTC's
    "2024-03-15T00:00:00Z": False,   # the day after
    None: False,                     # no date: out whenever a period is given
}


@pytest.fixture
def dated(store_url):
    """A store whose articles are published around the period 2024-03-01 to 2024-03-14 (SQLite and
    PostgreSQL)."""
    url = store_url
    st = open_store(url)
    with st.session() as s:
        for i, published in enumerate(DAYS, start=1):
            save_ledger(s, _toll(i, published), key=f"k{i}")
    st.close()
    return url


EXPECTED = {f"day-{i}" for i, (_, inside) in enumerate(DAYS.items(), start=1) if inside}
SINCE, UNTIL = "2024-03-01", "2024-03-14"


def test_queries_take_the_period_as_export_does(dated):
    st = open_store(dated, read_only=True)
    try:
        period = Period(SINCE, UNTIL)
        assert {a["article"] for a in queries.articles(st, period=period)} == EXPECTED
        assert {q["article"] for q in queries.quotes(st, period=period)} == EXPECTED
        assert {f["article"] for f in queries.figures(st, period=period)} == EXPECTED
        [officials] = queries.speakers(st, period=period)
        assert officials["articles"] == len(EXPECTED)
        assert {a["article"] for a in queries.articles(st, period=Period(until=SINCE))} == {"day-1", "day-2", "day-3"}
    finally:
        st.close()


@pytest.mark.parametrize("command, key", [
    (["query", "articles"], "article"), (["query", "quotes"], "article"), (["query", "figures"], "article"),
    (["query", "speakers"], "articles")])
def test_every_query_command_keeps_the_until_and_the_since_day(dated, command, key):
    res = runner.invoke(app, command + ["--db", dated, "--since", SINCE, "--until", UNTIL, "-f", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    if key == "articles":  # speakers: one profile, counting the articles
        assert rows[0]["articles"] == len(EXPECTED)
    else:
        assert {r[key] for r in rows} == EXPECTED


def test_export_keeps_the_until_and_the_since_day(dated, tmp_path):
    out = tmp_path / "out.jsonl"
    res = runner.invoke(app, ["export", "--db", dated, "-o", str(out), "--since", SINCE, "--until", UNTIL])
    assert res.exit_code == 0, res.output
    assert {json.loads(line)["id"] for line in out.read_text().splitlines()} == EXPECTED
    res = runner.invoke(app, ["export", "--db", dated, "-f", "csv", "-o", str(tmp_path / "csv"), "--until", SINCE])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "csv" / "articles.csv").read_text().count("\n") == 1 + 3  # a header, 3 articles


def test_the_api_keeps_the_until_and_the_since_day(dated):
    with TestClient(create_app(dated), base_url="http://localhost") as client:
        params = {"since": SINCE, "until": UNTIL, "limit": 100}
        for endpoint in ("articles", "quotes", "figures"):
            res = client.get(f"/api/{endpoint}", params=params)
            assert res.status_code == 200, res.text
            assert {r["article"] for r in res.json()["items"]} == EXPECTED, endpoint
        [officials] = client.get("/api/speakers", params=params).json()["items"]
        assert officials["articles"] == len(EXPECTED)
        for bad in ({"until": "last week"}, {"since": "2024-02-30"}, {"since": "2024-03-14T10:00"}):
            res = client.get("/api/quotes", params=bad)
            assert res.status_code == 422, (bad, res.text)
            error = res.json()["error"]
            assert error["type"] == "InvalidRequest" and "YYYY-MM-DD" in error["message"], error
        spec = client.get("/openapi.json").json()
        since = next(p for p in spec["paths"]["/api/quotes"]["get"]["parameters"] if p["name"] == "since")
        assert "format" in json.dumps(since) and "date" in json.dumps(since)


@pytest.mark.parametrize("command", [["export"], ["query", "articles"], ["query", "quotes"],
                                     ["query", "figures"], ["query", "speakers"]])
@pytest.mark.parametrize("option, value", [("--since", "last week"), ("--until", "2024-02-30"),
                                           ("--until", "2024-03-14T10:00")])
def test_a_bad_day_is_a_one_line_usage_error(dated, command, option, value):
    res = runner.invoke(app, command + ["--db", dated, option, value])
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert res.exit_code == 2 and len(lines) == 1, res.output
    assert option in lines[0] and "YYYY-MM-DD" in lines[0] and "ISO 8601" in lines[0], lines


# ---------------------------------------------------------------- read commands never make a store

READERS = [["query", "articles"], ["query", "quotes"], ["query", "figures"], ["query", "speakers"],
           ["query", "runs"], ["export"]]


@pytest.mark.parametrize("command", READERS)
def test_read_commands_refuse_a_store_that_is_not_there(tmp_path, command):
    for db, message in ((tmp_path / "typo.db", "no such database file"),
                        (tmp_path / "no" / "such" / "folder.db", "no such folder")):
        for given in (str(db), f"sqlite:///{db}"):
            res = runner.invoke(app, command + ["--db", given])
            lines = [line for line in res.output.splitlines() if line.strip()]
            assert res.exit_code == 2 and len(lines) == 1 and message in lines[0], (command, given, res.output)
    assert list(tmp_path.iterdir()) == []  # nothing made, not even the -wal file


def test_read_commands_refuse_a_file_that_is_no_store(tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("create table t (x)").connection.close()
    for command in READERS:
        res = runner.invoke(app, command + ["--db", str(empty)])
        assert res.exit_code == 2 and "not a newsledger store" in res.output, (command, res.output)
    assert [r[0] for r in sqlite3.connect(empty).execute("select name from sqlite_master")] == ["t"]


def test_serve_makes_its_store_and_says_so(tmp_path, monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)  # everything but the listening
    db = tmp_path / "new.db"
    res = runner.invoke(app, ["serve", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert db.is_file() and "a new, empty store" in res.output
    res = runner.invoke(app, ["serve", "--db", str(db)])
    assert res.exit_code == 0 and "new, empty" not in res.output
