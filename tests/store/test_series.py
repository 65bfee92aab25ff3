"""Series in the store: built as articles are written (ingest, load, a single save), on SQLite and
PostgreSQL; one death toll phrased three ways by two sources over three days is one series whose
sources disagree on the third day; unrelated figures are not in it; storing again adds nothing;
writers that make the same series at once share it; a store written before series fills them when
migrated."""
import threading

import pytest

from newsledger.corpus.batch import Analyzed, ingest, load
from newsledger.store import open_store
from newsledger.store.queries import figures, one_series, series, series_points
from newsledger.store.write import save_ledger

from conftest import sql_rows
from series_fixtures import TOLL_IDS, articles


@pytest.fixture
def stored(store_url, nlp):
    st = open_store(store_url)
    ingest(["series"], st, nlp=nlp, items=articles())
    yield st
    st.close()


def _toll(st):
    [toll] = series(st, measure="killed", place="Gaza")
    return toll


def test_one_death_toll_phrased_three_ways_by_two_sources_is_one_series(stored):
    toll = _toll(stored)
    assert (toll["measure"], toll["unit"], toll["place"]) == ("killed", None, "Gaza")
    assert (toll["points"], toll["sources"], toll["first"], toll["last"]) == (4, 2, "2023-10-10", "2023-10-12")
    points = series_points(stored, toll["id"])
    assert [p["article"] for p in points] == list(TOLL_IDS)  # by day, then source
    assert [(p["date"], p["value"], p["approx"]) for p in points] == [
        ("2023-10-10", 1400, "at_least"), ("2023-10-11", 1500, "exact"),
        ("2023-10-12", 1600, "exact"), ("2023-10-12", 1300, "about")]
    assert {p["source"].lower() for p in points} == {"gaza health ministry", "the israeli military"}
    assert [p["outlet"] for p in points] == ["Harbor Wire", "Northern Courier", "Harbor Wire", "Northern Courier"]
    # each point says where its figure is: the article's page anchors it by position
    assert all(p["article_key"] and p["position"] is not None and p["text"] for p in points)


def test_sources_that_disagree_the_same_day_are_flagged(stored):
    toll = _toll(stored)
    assert toll["disagree"] is True
    points = series_points(stored, toll["id"])
    assert [p["disagrees"] for p in points] == [False, False, True, True]  # only the third day's
    assert [s["id"] for s in series(stored, disagree=True)] == [toll["id"]]
    assert toll["id"] not in [s["id"] for s in series(stored, disagree=False)]


def test_unrelated_figures_are_other_series(stored):
    everything = {(s["measure"], s["unit"]): s for s in series(stored)}
    assert everything[("teacher registered", None)]["place"] == "Ohio"
    heater, loss = everything[("heater", "USD")], everything[("loss", "USD")]
    assert heater["id"] != loss["id"] and heater["points"] == loss["points"] == 1
    assert [p["value"] for p in series_points(stored, loss["id"])] == [1.2e9]
    # a measure is asked for as a reader says it
    for said in ("killed", "dead", "Deaths", "death toll"):
        assert [s["id"] for s in series(stored, measure=said)] == [_toll(stored)["id"]], said
    assert series(stored, measure="people") == []
    # the figures' rows name their series
    rows = figures(stored, quantity="teachers")
    assert rows and rows[0]["series_id"] == everything[("teacher registered", None)]["id"]


def test_ingesting_again_adds_nothing(stored, store_url, nlp):
    before = sql_rows(store_url, "select id, series_id, figure_id, disagrees from series_points order by id")
    counts = sql_rows(store_url, "select id, points, sources, disagree from series order by id")
    again = ingest(["series"], stored, nlp=nlp, items=articles())
    assert again.existing == len(articles())
    assert sql_rows(store_url, "select id, series_id, figure_id, disagrees from series_points order by id") == before
    assert sql_rows(store_url, "select id, points, sources, disagree from series order by id") == counts
    one = one_series(stored, _toll(stored)["id"])
    assert len(one["items"]) == one["points"] == 4


def test_load_and_a_single_save_build_series_too(store_url, nlp):
    from newsledger.pipeline import analyze_articles

    ledgers = list(analyze_articles(articles(), nlp=nlp))
    st = open_store(store_url)
    try:
        load([(f"k{i}", Analyzed(led)) for i, led in enumerate(ledgers[:2])], st, ["cluster"])
        with st.session() as s:
            save_ledger(s, ledgers[2], key="k2")
        toll = _toll(st)
        assert (toll["points"], toll["first"], toll["last"], toll["disagree"]) == (3, "2023-10-10", "2023-10-12", False)
        load([("k3", Analyzed(ledgers[3]))], st, ["cluster"])  # the point that disagrees arrives last
        toll = _toll(st)
        assert (toll["points"], toll["disagree"]) == (4, True)
    finally:
        st.close()


def test_writers_making_the_same_series_at_once_share_it(store_url, nlp):
    """Two transactions each write an article of the same new series; the second waits on the first
    (PostgreSQL: on the series' unique key; SQLite: on the file's lock) and then joins its series."""
    from newsledger.pipeline import analyze_articles

    first, second = [led for led in analyze_articles(articles(), nlp=nlp) if led.id in TOLL_IDS[2:]]
    st = open_store(store_url)
    written, go_on, errors = threading.Event(), threading.Event(), []

    def writer(led, key, hold):
        try:
            with st.session() as s:
                save_ledger(s, led, key=key)
                if hold:
                    written.set()
                    go_on.wait(20)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            written.set()

    a = threading.Thread(target=writer, args=(first, "a", True))
    a.start()
    assert written.wait(30)
    b = threading.Thread(target=writer, args=(second, "b", False))
    b.start()
    b.join(1.0)
    assert b.is_alive(), "the second writer waits for the first"
    go_on.set()
    a.join(30)
    b.join(60)
    try:
        assert not errors, errors
        toll = _toll(st)
        assert (toll["points"], toll["sources"], toll["disagree"]) == (2, 2, True)
        assert sql_rows(store_url, "select count(*) from series where measure = 'killed'") == [(1,)]
        assert all(p["disagrees"] for p in series_points(st, toll["id"]))
    finally:
        st.close()


def test_a_store_written_before_series_fills_them_when_migrated(store_url, nlp):
    from alembic import command
    from alembic.config import Config

    from newsledger.store.db import MIGRATIONS

    st = open_store(store_url)
    ingest(["series"], st, nlp=nlp, items=articles())
    made = sql_rows(store_url, "select s.key, p.figure_id, p.value, p.source, p.date, p.disagrees from series_points p "
                               "join series s on s.id = p.series_id order by p.figure_id")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with st.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")  # as a store was before series
    st.close()
    assert sql_rows(store_url, "select version_num from alembic_version") == [("0005",)]
    st = open_store(store_url)  # migrated, and its figures put in series
    try:
        assert sql_rows(store_url, "select s.key, p.figure_id, p.value, p.source, p.date, p.disagrees from series_points p "
                                   "join series s on s.id = p.series_id order by p.figure_id") == made
        assert _toll(st)["disagree"] is True
    finally:
        st.close()


def test_query_series_command_lists_series_and_one_series_points(stored, store_url):
    import json

    from typer.testing import CliRunner

    from newsledger.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["query", "series", "--db", store_url, "--measure", "dead", "--place", "gaza", "-f", "json"])
    assert res.exit_code == 0, res.output
    [toll] = json.loads(res.stdout)
    assert (toll["measure"], toll["place"], toll["points"], toll["disagree"]) == ("killed", "Gaza", 4, True)
    res = runner.invoke(app, ["query", "series", "--db", store_url, "--disagree"])
    assert res.exit_code == 0 and "killed" in res.stdout and "heater" not in res.stdout
    res = runner.invoke(app, ["query", "series", "--db", store_url, "--id", str(toll["id"]), "-f", "json"])
    points = json.loads(res.stdout)
    assert [(p["date"], p["value"], p["disagrees"]) for p in points] == [
        ("2023-10-10", 1400, False), ("2023-10-11", 1500, False), ("2023-10-12", 1600, True), ("2023-10-12", 1300, True)]
    res = runner.invoke(app, ["query", "series", "--db", store_url, "--id", str(toll["id"])])
    assert res.exit_code == 0 and "At least 1,400" in res.stdout and "Harbor Wire" in res.stdout
    assert runner.invoke(app, ["query", "series", "--help"]).stdout.count("Example: newsledger query series") == 1
    res = runner.invoke(app, ["query", "series", "--db", store_url, "--id", "0"])
    assert res.exit_code == 2
