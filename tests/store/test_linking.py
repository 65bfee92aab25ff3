"""Articles stored without the corpus layer (before it existed, or bulk-loaded without it) get it
from one call, `store.linking.link_stored_articles` (`newsledger link`): actors, claims, series, as
ingest would have made them; a second run changes nothing; on SQLite and PostgreSQL."""
import pytest

from newsledger.store import actors, open_store
from newsledger.store.linking import Linked, link_stored_articles
from newsledger.store.provenance import claim, claims
from newsledger.store.queries import series, series_points
from newsledger.store.write import save_ledgers

from conftest import sql_rows
from harbor_fixtures import STORIES, harbor_story

CORPUS_TABLES = ["actors", "actor_names", "entity_actors", "claims", "claim_occurrences", "claim_bands",
                 "series", "series_points"]


def snapshot(url: str) -> dict:
    """Every row of the corpus layer's tables, in a stable order."""
    return {t: sorted(sql_rows(url, f"select * from {t}"), key=repr) for t in CORPUS_TABLES}


@pytest.fixture
def unlinked(store_url):
    store = open_store(store_url)
    with store.session() as s:
        save_ledgers(s, STORIES, corpus=False)  # as a bulk load, or a store from before the layer
    yield store
    store.close()


def test_articles_stored_without_the_layer_have_none_of_it(unlinked, store_url):
    assert claims(unlinked) == [] and series(unlinked) == []
    assert sql_rows(store_url, "select count(*) from entity_actors") == [(0,)]


def test_one_call_links_actors_claims_and_series_as_ingest_would(unlinked, store_url):
    assert link_stored_articles(unlinked) == Linked(articles=3, occurrences=3, points=3)
    [pledge] = claims(unlinked)
    assert (pledge["occurrences"], pledge["outlets"], pledge["actor_name"]) == (3, 3, "Ana Reyes")
    timeline = claim(unlinked, pledge["claim"])["timeline"]
    assert [(o["speaker"], o["variant"]) for o in timeline] == [
        ("Ana Reyes", False), ("Ana Reyes", False), ("A. Reyes", True)]  # two actors by name: another speaker
    [injured] = series(unlinked, measure="injured")
    points = series_points(unlinked, injured["id"])
    assert [(p["value"], p["source"]) for p in points] == [(12, "Harbor Patrol"), (14, "Harbor Patrol"),
                                                          (15, "Harbor Patrol")]
    assert len({p["actor"] for p in points}) == 1 and points[0]["actor"] is not None
    names = sorted(n for n, in sql_rows(store_url, "select name from actors"))
    assert names == ["A. Reyes", "Ana Reyes", "Harbor Patrol"]


def test_a_second_run_changes_nothing(unlinked, store_url):
    link_stored_articles(unlinked)
    before = snapshot(store_url)
    assert link_stored_articles(unlinked) == Linked(articles=0, occurrences=0, points=0)
    assert snapshot(store_url) == before


def test_articles_stored_since_with_the_layer_are_left_alone(unlinked, store_url):
    link_stored_articles(unlinked)
    with unlinked.session() as s:
        save_ledgers(s, [harbor_story(4, "Ana Reyes", 16, "Island Courier", "2024-05-04")])
    before = snapshot(store_url)
    assert link_stored_articles(unlinked) == Linked(articles=0, occurrences=0, points=0)
    assert snapshot(store_url) == before


def test_the_corrections_on_record_apply_to_the_articles_it_links(store_url):
    store = open_store(store_url)
    try:
        with store.session() as s:
            save_ledgers(s, STORIES[:1] + STORIES[2:])  # "Ana Reyes" and "A. Reyes", linked as stored
        actors.merge(store, "Ana Reyes", "A. Reyes")
        with store.session() as s:
            save_ledgers(s, [harbor_story(4, "A. Reyes", 16, "Island Courier", "2024-05-04")], corpus=False)
        assert link_stored_articles(store) == Linked(articles=1, occurrences=1, points=1)
        [pledge] = claims(store)
        timeline = claim(store, pledge["claim"])["timeline"]
        assert [(o["speaker"], o["actor_name"], o["variant"]) for o in timeline] == [
            ("Ana Reyes", "Ana Reyes", False), ("A. Reyes", "Ana Reyes", False), ("A. Reyes", "Ana Reyes", False)]
    finally:
        store.close()


def test_a_store_from_before_the_layer_gets_all_of_it(store_url):
    """A store of schema 0005 (no actors, claims or series), migrated: the migration puts its
    figures in series; `link_stored_articles` links its actors and claims, and the points follow."""
    from alembic import command
    from alembic.config import Config

    from newsledger.store.db import MIGRATIONS

    store = open_store(store_url)
    with store.session() as s:
        save_ledgers(s, STORIES)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")  # as a store was before actors, claims and series
    store.close()
    store = open_store(store_url)  # migrated as any writer opens it
    try:
        assert claims(store) == [] and sql_rows(store_url, "select count(*) from actors") == [(0,)]
        # the figures joined their series at the migration
        assert link_stored_articles(store) == Linked(articles=3, occurrences=3, points=0)
        [pledge] = claims(store)
        assert (pledge["occurrences"], pledge["actor_name"], pledge["variants"]) == (3, "Ana Reyes", 1)
        [injured] = series(store, measure="injured")
        assert {p["actor"] for p in series_points(store, injured["id"])} == {
            i for i, n in sql_rows(store_url, "select id, name from actors") if n == "Harbor Patrol"}
        assert link_stored_articles(store) == Linked(articles=0, occurrences=0, points=0)
    finally:
        store.close()
