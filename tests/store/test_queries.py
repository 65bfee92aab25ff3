"""Queries over the store (quotes, figures, speakers, articles), the `query` command, near-duplicate
linking, and the migrations' agreement with the models; on SQLite and PostgreSQL."""
import json

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.corpus import dedupe
from newsledger.corpus.batch import ingest
from newsledger.ledger import Article, Attribution, Cue, Entity, Figure, Ledger, Source, TimeExpression
from newsledger.store import Period, open_store
from newsledger.store.queries import articles, figures, quotes, speakers
from newsledger.store.write import save_ledger

from conftest import EXAMPLES, sql_rows

runner = CliRunner()

TOLL = ("Gaza health officials said on Monday that at least 5,700 Palestinians had been killed. "
        "Israel says 1,400 people were killed in the attack.")


def toll_ledger(i: int, published: str, value: float, source: str) -> Ledger:
    """A hand-made ledger: one sourced figure inside a claim, one unsourced."""
    text = TOLL
    content = (text.index("that"), text.index("killed.") + 6)
    fig = text.index("at least 5,700")
    return Ledger(id=f"toll-{i}", published=published, outlet=f"Outlet {i % 2}", text=text,
                  attributions=[Attribution(kind="indirect", content=[content],
                                            source=Source(span=(0, 21), name=source),
                                            cue=Cue(span=(text.index("said"), text.index("said") + 4)))],
                  figures=[Figure(span=(fig, fig + 14), value=value, approx="at_least",
                                  quantity="Palestinians killed", attribution=0),
                           Figure(span=(text.index("1,400"), text.index("1,400") + 5), value=1400,
                                  quantity="people killed")],
                  dates=[TimeExpression(span=(text.index("Monday"), text.index("Monday") + 6), type="DATE",
                                        value=published)])


@pytest.fixture
def store(store_url, nlp):
    st = open_store(store_url)
    ingest(["examples"], st, nlp=nlp, items=[Article(**json.loads(line)) for line in
                                             (EXAMPLES / "articles.jsonl").read_text().splitlines()])
    with st.session() as s:
        for i, (day, value, src) in enumerate([("2023-10-23", 5000, "Gaza health officials"),
                                              ("2023-10-25", 5700, "Gaza health officials"),
                                              ("2023-10-24", 5300, "the Hamas-run ministry")]):
            save_ledger(s, toll_ledger(i, day, value, src), key=f"k{i}")
    yield st
    st.close()


def test_a_speaker_by_the_whole_name_or_by_part_of_it(store):
    assert "Gaza health officials" in {p["speaker"] for p in speakers(store, name="HEALTH off")}
    assert speakers(store, name="Gaza health", exact=True) == []
    assert speakers(store, name="Gaza health%", exact=True) == []
    [whole] = speakers(store, name="Gaza health officials", exact=True)
    assert whole["speaker"] == "Gaza health officials" and whole["quotes"] == 2


def test_quotes_by_speaker_entity_mentioned_and_text(store, nlp):
    from newsledger.pipeline import analyze_articles

    by_speaker = quotes(store, speaker="okonjo")
    assert by_speaker and all("Okonjo" in q["speaker"] for q in by_speaker)
    # the same answer from the ledgers themselves: contents that hold a mention of Nordvik
    expected = set()
    for led in analyze_articles([Article(**json.loads(line)) for line in
                                 (EXAMPLES / "articles.jsonl").read_text().splitlines()], nlp=nlp):
        spans = [m for e in led.entities if "Nordvik" in e.name for m in e.mentions]
        for a in led.attributions:
            lo, hi = min(s for s, _ in a.content), max(e for _, e in a.content)
            if any(lo <= s and e <= hi for s, e in spans):
                expected.add((led.id, led.attributions.index(a)))
    mentioning = quotes(store, mentioning="Nordvik", limit=500)
    assert expected and {(q["article"], q["position"]) for q in mentioning} == expected
    assert quotes(store, speaker="%") == []  # LIKE wildcards are plain characters
    assert len(quotes(store, limit=2)) == 2


def test_figures_over_time_with_their_sources(store):
    series = figures(store, quantity="palestinians")
    assert [(f["published"], f["value"], f["source"]) for f in series] == [
        ("2023-10-23", 5000, "Gaza health officials"), ("2023-10-24", 5300, "the Hamas-run ministry"),
        ("2023-10-25", 5700, "Gaza health officials")]
    assert {f["source"] for f in figures(store, quantity="killed", sourced=False)} == {None}
    assert [f["value"] for f in figures(store, source="ministry")] == [5300]
    assert [f["value"] for f in figures(store, quantity="palestinians", period=Period(since="2023-10-24"))] == [5300, 5700]


def test_speaker_profiles_count_quotes_outlets_and_cues(store):
    profiles = {p["speaker"]: p for p in speakers(store, limit=50)}
    officials = profiles["Gaza health officials"]
    assert officials["quotes"] == 2 and officials["articles"] == 2
    assert officials["outlets"] == [{"name": "Outlet 0", "count": 1}, {"name": "Outlet 1", "count": 1}]
    assert officials["cues"] == [{"name": "said", "count": 2}]
    ranked = [p["quotes"] for p in speakers(store, limit=50)]
    assert ranked == sorted(ranked, reverse=True)


def test_article_search_and_counts(store):
    found = articles(store, text="flooded valley")
    assert [a["article"] for a in found] == ["wire-20240314-halden-flood"]
    assert found[0]["attributions"] > 0
    tolls = articles(store, text="palestinians")
    assert {a["article"] for a in tolls} == {"toll-0", "toll-1", "toll-2"}
    assert all(a["figures"] == 2 and a["dates"] == 1 for a in tolls)


def test_query_command_prints_json_and_tables(store_url, store):
    res = runner.invoke(app, ["query", "figures", "--db", store_url, "-q", "palestinians", "-f", "json"])
    assert res.exit_code == 0, res.output
    assert [r["value"] for r in json.loads(res.stdout)] == [5000, 5300, 5700]
    res = runner.invoke(app, ["query", "speakers", "--db", store_url, "--limit", "3"])
    assert res.exit_code == 0 and "speaker" in res.stdout
    res = runner.invoke(app, ["query", "quotes", "--db", store_url, "--since", "last week"])
    assert res.exit_code == 2 and "ISO 8601" in res.output


def test_near_duplicates_are_linked_not_analyzed_again(store_url, nlp):
    st = open_store(store_url)
    stories = [Article(**json.loads(line)) for line in (EXAMPLES / "articles.jsonl").read_text().splitlines()]
    ingest(["x"], st, nlp=nlp, items=stories[:2])
    original = stories[0]
    copy = original.model_copy(update={"id": "copy", "outlet": "Reprinter",
                                       "text": "Reprinted from the wire.\n" + original.text + "\nMore on our site."})
    run = ingest(["y"], st, nlp=nlp, items=[copy, stories[2]])
    assert (run.analyzed, run.duplicates) == (1, 1)
    (row,) = sql_rows(store_url, "select a.duplicate_of, o.source_id, a.similarity from articles a "
                                 "join articles o on o.id = a.duplicate_of where a.source_id = 'copy'")
    assert row[1] == original.id and row[2] >= dedupe.THRESHOLD
    assert sql_rows(store_url, "select count(*) from attributions t join articles a on a.id = t.article_id "
                               "where a.source_id = 'copy'") == [(0,)]
    st.close()


def test_a_copy_whose_original_is_still_in_flight_is_linked_when_written(store_url, nlp):
    """With one article a chunk, the copy is analyzed before its original is written (chunks in
    flight), so the worker cannot see it in the store; the in-order write step links it all the same."""
    st = open_store(store_url)
    original = Article(**json.loads((EXAMPLES / "articles.jsonl").read_text().splitlines()[0]))
    copy = original.model_copy(update={"id": "copy", "text": "From the wire.\n" + original.text})
    run = ingest(["x"], st, nlp=nlp, items=[original, copy], chunk_size=1)
    assert (run.analyzed, run.duplicates) == (1, 1)
    assert sql_rows(store_url, "select a.source_id, o.source_id from articles a join articles o "
                               "on o.id = a.duplicate_of") == [("copy", original.id)]
    assert sql_rows(store_url, "select count(*) from attributions t join articles a on a.id = t.article_id "
                               "where a.source_id = 'copy'") == [(0,)]
    st.close()


def test_minhash_tells_copies_from_other_stories():
    base = " ".join(f"word{i}" for i in range(200))
    edited = base.replace("word50 ", "changed ").replace("word150 ", "edited ")
    other = " ".join(f"term{i}" for i in range(200))
    sig = dedupe.signature(base)
    assert dedupe.similarity(sig, dedupe.signature(edited)) >= dedupe.THRESHOLD
    assert dedupe.similarity(sig, dedupe.signature(other)) < 0.2
    assert set(dedupe.band_keys(sig)) & set(dedupe.band_keys(dedupe.signature(edited)))
    assert dedupe.signature("too short to compare") is None


def test_migrations_create_exactly_the_models_tables(store_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from newsledger.store.tables import Base

    st = open_store(store_url)
    with st.engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c), Base.metadata)
    st.close()
    # full-text search tables and indexes are the migrations' own (no model describes them)
    diff = [d for d in diff if "_fts" not in str(d)]
    assert diff == []


def test_migrations_go_down_and_up_again(store_url):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from newsledger.store.db import MIGRATIONS

    st = open_store(store_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with st.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(st.engine).get_table_names()) <= {"alembic_version"}
    st.close()
    st = open_store(store_url)  # migrates up again
    assert {"articles", "attributions", "figures", "minhash_bands"} <= set(inspect(st.engine).get_table_names())
    st.close()


def test_most_quoted_article_is_the_one_with_most_attributions(store_url):
    from newsledger.store.queries import most_quoted_article

    st = open_store(store_url)
    try:
        assert most_quoted_article(st) is None  # an empty store has none to show
        one = toll_ledger(0, "2023-10-23", 5000, "Gaza health officials")
        two = toll_ledger(1, "2023-10-24", 5300, "the Hamas-run ministry")
        two.attributions = two.attributions * 2
        with st.session() as s:
            save_ledger(s, one, key="one")
            save_ledger(s, two, key="two")
        assert most_quoted_article(st) == "two"
    finally:
        st.close()


# ---------------------------------------------------------------- unresolved sources are no speakers

PRONOUN_TEXT = ("Mayor Ana Ruiz said the bridge would reopen. I said 12 roads would close. "
                "Residents who live nearby said 40 homes flooded.")


def pronoun_ledger() -> Ledger:
    """Three quotes: an entity's, a bare "I" nothing resolved, a "who" resolved to its antecedent."""
    t = PRONOUN_TEXT

    def at(words, length=None):
        return (t.index(words), t.index(words) + (length or len(words)))
    return Ledger(id="pronouns", published="2024-04-02", outlet="Harbor Gazette", text=t,
                  entities=[Entity(id="E1", name="Ana Ruiz", type="PERSON", mentions=[at("Ana Ruiz")])],
                  attributions=[
                      Attribution(kind="indirect", content=[at("the bridge would reopen")], cue=Cue(span=at("said")),
                                  source=Source(span=at("Mayor Ana Ruiz"), entity="E1", name="Ana Ruiz", resolved=True)),
                      Attribution(kind="indirect", content=[at("12 roads would close")], cue=Cue(span=at("said 12", 4)),
                                  source=Source(span=at("I said", 1), name="I", resolved=False)),
                      Attribution(kind="indirect", content=[at("40 homes flooded")],
                                  source=Source(span=at("who"), name="Residents", resolved=True))],
                  figures=[Figure(span=at("12"), value=12, quantity="roads", attribution=1),
                           Figure(span=at("40"), value=40, quantity="homes", attribution=2)])


def test_a_bare_pronoun_source_is_no_speaker_but_its_quote_stays(store_url):
    st = open_store(store_url)
    with st.session() as s:
        save_ledger(s, pronoun_ledger(), key="pronouns")
    assert {p["speaker"] for p in speakers(st)} == {"Ana Ruiz", "Residents"}
    assert speakers(st, name="I", exact=True) == []
    rows = {q["position"]: q for q in quotes(st)}
    assert len(rows) == 3
    assert (rows[1]["speaker"], rows[1]["source_name"], rows[1]["source_text"], rows[1]["source_resolved"]) == \
        (None, "I", "I", False)
    assert (rows[2]["speaker"], rows[2]["source_text"], rows[2]["source_resolved"]) == ("Residents", "who", True)
    assert quotes(st, speaker_is="I") == [] and [q["position"] for q in quotes(st, speaker_is="Residents")] == [2]
    assert {f["quantity"]: (f["source"], f["source_resolved"]) for f in figures(st)} == {
        "roads": ("I", False), "homes": ("Residents", True)}
    result = runner.invoke(app, ["query", "speakers", "--db", store_url, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert {p["speaker"] for p in json.loads(result.stdout)} == {"Ana Ruiz", "Residents"}
    st.close()


def test_migration_marks_stored_pronoun_sources(store_url):
    """Rows stored before revision 0003 are judged by their columns when it adds `source_resolved`."""
    from alembic import command
    from alembic.config import Config

    from newsledger.store.db import MIGRATIONS

    st = open_store(store_url)
    with st.session() as s:
        save_ledger(s, pronoun_ledger(), key="pronouns")
        save_ledger(s, toll_ledger(9, "2023-10-23", 5000, "Gaza health officials").model_copy(
            update={"attributions": [Attribution(kind="indirect", content=[(0, 4)])]}), key="spanless")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with st.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    with st.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    got = sql_rows(store_url, "select source_text, source_resolved from attributions order by id")
    # "who" had no entity: only a new analysis finds its antecedent
    assert [(t, None if r is None else bool(r)) for t, r in got] == [
        ("Mayor Ana Ruiz", True), ("I", False), ("who", False), (None, None)]
    assert [q["speaker"] for q in quotes(st, text="homes")] == [None]
    st.close()


def test_counts_are_what_the_store_holds(store_url):
    from newsledger.ledger import ErrorInfo, ErrorRecord
    from newsledger.store.queries import counts
    from newsledger.store.runs import begin_run
    from newsledger.store.write import save_failure

    st = open_store(store_url)
    try:
        assert set(counts(st).values()) == {0}
        ledgers = [toll_ledger(i, f"2023-10-2{i}", 5000 + i, "Gaza health officials") for i in range(3)]
        run_id = begin_run(st, ["test"], "test", ("analyzed", "failed"))
        with st.session() as s:
            for i, led in enumerate(ledgers):
                save_ledger(s, led, key=f"k{i}", run_id=run_id)
            save_failure(s, run_id, ErrorRecord(id="bad", error=ErrorInfo(type="EmptyText", message="empty")))
        got = counts(st)
        assert got == {"articles": len(ledgers), "entities": sum(len(l.entities) for l in ledgers),
                       "attributions": sum(len(l.attributions) for l in ledgers),
                       "figures": sum(len(l.figures) for l in ledgers), "dates": sum(len(l.dates) for l in ledgers),
                       "failures": 1, "runs": 1}
    finally:
        st.close()


def test_a_new_database_is_made_on_a_postgresql_server_only(tmp_path):
    from conftest import PG_URL
    from newsledger.store import StoreError
    from newsledger.store.db import new_database
    from newsledger.store.queries import counts

    with pytest.raises(StoreError, match="PostgreSQL"):
        new_database(f"sqlite:///{tmp_path / 's.db'}", "fresh")
    for unsafe in ('x"; DROP DATABASE postgres; --', "Upper", "", "a" * 64):
        with pytest.raises(StoreError, match="plain database name"):
            new_database("postgresql+psycopg://nobody@127.0.0.1:1/none", unsafe)
    if not PG_URL:
        pytest.skip("no PostgreSQL test server (NEWSLEDGER_TEST_PG unset; `make test` starts one)")
    import uuid

    from sqlalchemy import create_engine, text

    name = f"t_new_{uuid.uuid4().hex[:8]}"
    url = new_database(PG_URL, name)
    try:
        st = open_store(url)
        assert st.engine.url.database == name and set(counts(st).values()) == {0}
        st.close()
        with pytest.raises(StoreError, match=name):
            new_database(PG_URL, name)  # there already
    finally:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
