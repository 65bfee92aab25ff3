"""`newsledger link`: one call that gives stored articles the corpus layer, printing what it linked;
run again, it links nothing."""
import json

from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.store import open_store
from newsledger.store.write import save_ledgers

from harbor_fixtures import STORIES

runner = CliRunner()


def test_link_links_once_and_says_what(tmp_path):
    url = f"sqlite:///{tmp_path / 'news.db'}"
    store = open_store(url)
    with store.session() as s:
        save_ledgers(s, STORIES, corpus=False)
    store.close()
    res = runner.invoke(app, ["link", "--db", url])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == {"articles": 3, "occurrences": 3, "points": 3}
    assert "3 quote occurrence(s) to claims" in res.stderr
    res = runner.invoke(app, ["link", "--db", url])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == {"articles": 0, "occurrences": 0, "points": 0}
    res = runner.invoke(app, ["query", "claims", "--db", url, "--format", "json"])
    assert [c["occurrences"] for c in json.loads(res.stdout)] == [3]


def test_link_help_has_an_example():
    res = runner.invoke(app, ["link", "--help"])
    assert res.exit_code == 0 and "newsledger link --db news.db" in res.stdout


def test_link_refuses_a_file_that_is_not_a_store_and_leaves_it_as_it_was(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"this is not a database\n" * 50)
    res = runner.invoke(app, ["link", "--db", str(bad)])
    assert res.exit_code == 2
    assert "not an SQLite database" in res.stderr and res.stdout == ""
    assert bad.read_bytes() == b"this is not a database\n" * 50
