"""`newsledger entities ...` and `query speakers` over the corpus's people and organizations: one row
a person, an ambiguous name shown so, corrections as one library call each, errors as messages."""
import json

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.store import open_store
from newsledger.store.write import save_ledger

from conftest import story, wire_stories

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'news.db'}"
    st = open_store(url)
    clintons = [
        story("cl-1", "2024-04-01", "Harbor Wire", "Hillary Clinton said the plan was reckless. Clinton said no.",
              [("Hillary Clinton", "PERSON", ["Hillary Clinton", "Clinton"])],
              [("Hillary Clinton", "Hillary Clinton", "the plan was reckless")]),
        story("cl-2", "2024-04-02", "Valley Post", "Bill Clinton said the foundation would close. Clinton said so.",
              [("Bill Clinton", "PERSON", ["Bill Clinton", "Clinton"])]),
        story("cl-3", "2024-04-03", "Coast Daily", "Clinton said on Friday that the race was close.",
              [("Clinton", "PERSON", ["Clinton"])], [("Clinton", "Clinton", "the race was close")])]
    for led in wire_stories() + clintons:
        with st.session() as s:
            save_ledger(s, led, key=led.id)
    st.close()
    return url


def test_query_speakers_gives_one_row_a_person_and_shows_an_ambiguous_name(db):
    res = run("query", "speakers", "--db", db)
    assert res.exit_code == 0, res.output
    rows = [line for line in res.stdout.splitlines() if line.startswith("│")]
    assert [r.split("│")[1].strip() for r in rows] == [
        "Donald Trump", "Clinton (ambiguous: Hillary Clinton, Bill Clinton)", "Hillary Clinton"]
    assert "Donald J. Trump (1)" in rows[0] and "PERSON" in rows[0]
    res = run("query", "speakers", "--db", db, "--format", "json")
    found = {r["speaker"]: r for r in json.loads(res.stdout)}
    assert found["Donald Trump"]["quotes"] == 4 and found["Clinton"]["ambiguous"] is True


def test_entities_list_and_show(db):
    res = run("entities", "list", "--db", db, "--format", "json")
    assert res.exit_code == 0, res.output
    names = [r["name"] for r in json.loads(res.stdout)]
    assert names[0] == "Donald Trump" and "Trump" not in names
    res = run("entities", "list", "--db", db, "--ambiguous")
    assert "Clinton (ambiguous" in res.stdout
    res = run("entities", "show", "TRUMP", "--db", db)  # a name of his finds him
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("#") and "Donald Trump PERSON" in res.stdout.splitlines()[0]
    assert "Coast Daily" in res.stdout and "Donald J. Trump" in res.stdout
    res = run("entities", "show", "Nobody", "--db", db)
    assert res.exit_code == 2 and "no actor named 'Nobody'" in res.output


def test_corrections_then_a_rebuild(db):
    res = run("entities", "merge", "Hillary Clinton", "Clinton", "--db", db)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["from"]["name"] == "Clinton" and "merged #" in res.stderr
    res = run("entities", "split", "Donald Trump", "Trump", "--db", db)
    assert res.exit_code == 0 and json.loads(res.stdout)["actor"]["name"] == "Trump"
    res = run("entities", "rename", "Bill Clinton", "William J. Clinton", "--db", db)
    assert res.exit_code == 0 and "is now William J. Clinton" in res.stderr
    res = run("entities", "edits", "--db", db, "--format", "json")
    assert [e["action"] for e in json.loads(res.stdout)] == ["rename", "split", "merge"]
    res = run("entities", "rebuild", "--db", db)
    assert res.exit_code == 0 and "3 correction(s) replayed, 0 skipped" in res.stderr
    speakers = json.loads(run("query", "speakers", "--db", db, "--format", "json").stdout)
    assert {r["speaker"]: r["quotes"] for r in speakers} == {"Donald Trump": 3, "Trump": 1, "Hillary Clinton": 2}


def test_corrections_that_cannot_be_are_usage_errors(db, tmp_path):
    res = run("entities", "merge", "Hillary Clinton", "Nobody", "--db", db)
    assert res.exit_code == 2 and "no actor named 'Nobody'" in res.output and "Traceback" not in res.output
    res = run("entities", "rename", "Bill Clinton", "Hillary Clinton", "--db", db)
    assert res.exit_code == 2 and "merge the two" in res.output
    res = run("entities", "list", "--db", str(tmp_path / "missing.db"))
    assert res.exit_code == 2 and "no such database file" in res.output
