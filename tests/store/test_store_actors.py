"""People and organizations across the corpus in the store (store/actors.py), on SQLite and
PostgreSQL: linked as articles are stored, in any order; idempotent; one speaker a person; the
user's merge, split and rename kept as later articles come and replayed by a rebuild; a store
migrated from schema 0005 linked by the next run."""
import threading

import pytest

from newsledger.corpus.batch import Analyzed, load
from newsledger.ledger import Attribution, Entity, Ledger, Source
from newsledger.store import actors, open_store
from newsledger.store.queries import actor, actor_edits, actors as list_actors, entities, quotes, speakers
from newsledger.store.write import ToStore, save_ledger, save_ledgers

from conftest import sql_rows, story, wire_stories


# ---------------------------------------------------------------- three wire stories, one man

WIRE_A, WIRE_B, WIRE_C = wire_stories()


def stored(url: str, *ledgers: Ledger, together: bool = False):
    st = open_store(url)
    if together:
        with st.session() as s:
            save_ledgers(s, [ToStore(led, led.id) for led in ledgers])
    else:
        for led in ledgers:
            with st.session() as s:
                save_ledger(s, led, key=led.id)
    return st


def actor_names(st) -> set[str]:
    return {a["name"] for a in list_actors(st, limit=1000)}


@pytest.mark.parametrize("order", ["abc", "cba", "bca", "together"])
def test_three_wire_stories_name_one_man_whatever_their_order(store_url, order):
    by = {"a": WIRE_A, "b": WIRE_B, "c": WIRE_C}
    st = stored(store_url, *(by[k] for k in ("abc" if order == "together" else order)), together=order == "together")
    [trump] = [a for a in list_actors(st, name="trump")]
    assert trump["name"] == "Donald Trump" and trump["type"] == "PERSON" and trump["articles"] == 3
    assert {a["name"] for a in trump["aliases"]} >= {"Trump", "Donald J. Trump"}
    assert (trump["first_seen"], trump["last_seen"]) == ("2024-03-04T00:00:00", "2024-03-06T00:00:00")
    rows = speakers(st, limit=50)
    assert [r["speaker"] for r in rows] == ["Donald Trump"]
    assert rows[0]["quotes"] == 4 and rows[0]["articles"] == 3 and rows[0]["type"] == "PERSON"
    assert {o["name"] for o in rows[0]["outlets"]} == {"Harbor Wire", "Valley Post", "Coast Daily"}
    assert {q["speaker"] for q in quotes(st)} == {"Donald Trump"}
    assert [q["article"] for q in quotes(st, speaker_is="Donald Trump", limit=10)] == ["wire-c", "wire-b", "wire-b", "wire-a"]
    assert quotes(st, speaker_is="Trump") == [] and len(quotes(st, speaker="trump")) == 4
    # the placeholder a lone "Trump" had before Donald Trump was stored is gone
    assert sql_rows(store_url, "select count(*) from actors where key = 'trump'") == [(0,)]
    st.close()


# ---------------------------------------------------------------- two people, one surname

HILLARY = story("cl-1", "2024-04-01", "Harbor Wire",
                "Hillary Clinton said on Monday the plan was reckless. Clinton added that she would oppose it.",
                [("Hillary Clinton", "PERSON", ["Hillary Clinton", "Clinton", "she"])],
                [("Hillary Clinton", "Hillary Clinton", "the plan was reckless")])
BILL = story("cl-2", "2024-04-02", "Valley Post",
             "Bill Clinton said the foundation would close in June. Clinton said donors had been told.",
             [("Bill Clinton", "PERSON", ["Bill Clinton", "Clinton"])],
             [("Bill Clinton", "Bill Clinton", "the foundation would close in June")])
BARE = story("cl-3", "2024-04-03", "Coast Daily", "Clinton said on Friday that the race was close.",
             [("Clinton", "PERSON", ["Clinton"])], [("Clinton", "Clinton", "the race was close")])


def test_a_surname_two_people_own_stays_apart_shown_ambiguous(store_url):
    st = stored(store_url, HILLARY, BARE)
    assert {r["speaker"] for r in speakers(st)} == {"Hillary Clinton"}  # only she is "Clinton" so far
    with st.session() as s:
        save_ledger(s, BILL, key=BILL.id)  # now he is too: the lone "Clinton" leaves her
    rows = {r["speaker"]: r for r in speakers(st)}
    assert set(rows) == {"Hillary Clinton", "Bill Clinton", "Clinton"}
    assert rows["Clinton"]["ambiguous"] and not rows["Hillary Clinton"]["ambiguous"]
    assert {c["name"] for c in rows["Clinton"]["candidates"]} == {"Hillary Clinton", "Bill Clinton"}
    assert rows["Hillary Clinton"]["quotes"] == 1 and rows["Clinton"]["quotes"] == 1
    [amb] = list_actors(st, ambiguous=True)
    assert amb["name"] == "Clinton" and amb["articles"] == 1
    st.close()


def test_a_surname_tied_only_beside_another_of_that_name_is_no_evidence(store_url):
    """The tagger gave Melania Trump the "Trump" of an article that names Donald Trump too: a lone
    "Trump" elsewhere is still his."""
    both = story("mt", "2024-07-19", "Harbor Wire",
                 "Melania Trump spoke on Monday night. Donald Trump praised the speech, and Trump said it was moving.",
                 [("Melania Trump", "PERSON", ["Melania Trump", "Trump"]), ("Donald Trump", "PERSON", ["Donald Trump"])])
    st = stored(store_url, WIRE_A, both, WIRE_C)
    rows = speakers(st)
    assert [r["speaker"] for r in rows] == ["Donald Trump"] and rows[0]["quotes"] == 2
    st.close()


def test_never_two_different_full_names_in_one(store_url):
    led = story("bush", "2024-05-01", "Harbor Wire",
                "George W. Bush and George H. W. Bush met Jane Smith and John Smith, and Marco Rubio and Mario Rubio.",
                [("George W. Bush", "PERSON", ["George W. Bush"]), ("George H. W. Bush", "PERSON", ["George H. W. Bush"]),
                 ("Jane Smith", "PERSON", ["Jane Smith"]), ("John Smith", "PERSON", ["John Smith"]),
                 ("Marco Rubio", "PERSON", ["Marco Rubio"]), ("Mario Rubio", "PERSON", ["Mario Rubio"])])
    lone = story("smith", "2024-05-02", "Valley Post", "Smith said on Friday the vote was lost.",
                 [("Smith", "PERSON", ["Smith"])], [("Smith", "Smith", "the vote was lost")])
    st = stored(store_url, led, lone)
    assert actor_names(st) == {"George W. Bush", "George H. W. Bush", "Jane Smith", "John Smith", "Marco Rubio",
                               "Mario Rubio", "Smith"}
    [smith] = speakers(st)
    assert smith["speaker"] == "Smith" and smith["ambiguous"]
    st.close()


# ---------------------------------------------------------------- an organization and its acronym

PGE = story("pge-1", "2024-06-03", "Harbor Wire",
            "Pacific Gas & Electric Co. said on Monday it would cut power to 50,000 customers. PG&E said the shutoff "
            "was needed.",
            [("Pacific Gas & Electric Co.", "ORG", ["Pacific Gas & Electric Co.", "it", "PG&E"])],
            [("Pacific Gas & Electric Co.", "Pacific Gas & Electric Co.", "it would cut power to 50,000 customers")])
PGE_ALONE = story("pge-2", "2024-06-06", "Valley Post", "PG&E said on Thursday power was back.",
                  [("PG&E", "ORG", ["PG&E"])], [("PG&E", "PG&E", "power was back")])
PGE_LONG = story("pge-3", "2024-06-07", "Coast Daily", "Pacific Gas and Electric Company said rates would rise.",
                 [("Pacific Gas and Electric Company", "ORG", ["Pacific Gas and Electric Company"])],
                 [("Pacific Gas and Electric Company", "Pacific Gas and Electric Company", "rates would rise")])


@pytest.mark.parametrize("order", [(PGE, PGE_ALONE, PGE_LONG), (PGE_ALONE, PGE_LONG, PGE)])
def test_a_legal_form_and_an_acronym_the_article_pairs_are_one_organization(store_url, order):
    st = stored(store_url, *order)
    [pge] = list_actors(st)
    assert pge["name"] == "Pacific Gas & Electric Co." and pge["type"] == "ORG" and pge["articles"] == 3
    assert [r["speaker"] for r in speakers(st)] == ["Pacific Gas & Electric Co."]
    st.close()


def test_an_acronym_the_tagger_split_off_ties_in_its_article(store_url):
    split = story("pge-4", "2024-06-08", "Harbor Wire",
                  "Pacific Gas & Electric Co. (PG&E) said on Friday that crews were ready.",
                  [("Pacific Gas & Electric Co.", "ORG", ["Pacific Gas & Electric Co."]), ("PG&E", "ORG", ["PG&E"])])
    st = stored(store_url, split, PGE_ALONE)
    assert actor_names(st) == {"Pacific Gas & Electric Co."}
    st.close()


# ---------------------------------------------------------------- no pronoun is anyone

def test_pronouns_and_unresolved_sources_are_never_actors_or_speakers(store_url):
    t = "He said the bridge would reopen. I said 12 roads would close."
    led = Ledger(id="p", published="2024-04-02", text=t,
                 entities=[Entity(id="E1", name="He", type="PERSON", mentions=[(0, 2)])],
                 attributions=[Attribution(kind="indirect", content=[(8, 31)], source=Source(span=(0, 2), entity="E1", name="He", resolved=True)),
                               Attribution(kind="indirect", content=[(40, 60)], source=Source(span=(33, 34), name="I", resolved=False))])
    st = stored(store_url, led)
    assert list_actors(st) == [] and [r["speaker"] for r in speakers(st)] == ["He"]
    assert quotes(st)[1]["speaker"] is None
    st.close()


# ---------------------------------------------------------------- idempotent, crash-safe, concurrent

def snapshot(url: str) -> tuple:
    return (sql_rows(url, "select key, name, type, kind, ambiguous, articles, mentions, first_seen, last_seen "
                          "from actors order by key"),
            sql_rows(url, "select a.key, n.name, n.key, n.names, n.mentions, n.tied, n.pinned from actor_names n "
                          "join actors a on a.id = n.actor_id order by a.key, n.name"),
            sql_rows(url, "select e.name, a.key, l.link from entity_actors l join entities e on e.id = l.entity_id "
                          "join actors a on a.id = l.actor_id order by e.id"))


def test_storing_the_same_articles_again_counts_nothing_twice_and_a_rebuild_agrees(store_url):
    ledgers = [WIRE_A, WIRE_B, WIRE_C, HILLARY, BILL, BARE, PGE, PGE_ALONE]
    st = stored(store_url, *ledgers)
    before = snapshot(store_url)
    with st.session() as s:
        assert save_ledgers(s, [ToStore(led, led.id) for led in ledgers]) == [None] * len(ledgers)
    run = load([(led.id, Analyzed(led)) for led in ledgers], st, ["again"])
    assert run.existing == len(ledgers) and run.analyzed == 0
    assert snapshot(store_url) == before
    result = actors.rebuild(st)
    assert result["articles"] == len(ledgers) and result["skipped"] == []
    assert snapshot(store_url) == before  # what ingest made, link by link, is what a rebuild makes
    st.close()


def test_a_failed_write_leaves_the_actors_as_they_were(store_url):
    st = stored(store_url, WIRE_A)
    before = snapshot(store_url)
    with pytest.raises(RuntimeError):
        with st.session() as s:
            save_ledger(s, WIRE_C, key=WIRE_C.id)
            raise RuntimeError("the disk is full")  # the chunk's transaction rolls back, links and all
    assert snapshot(store_url) == before
    st.close()


def test_two_writers_naming_the_same_new_person_make_one_actor(store_url):
    """The first writer has made "Ana Ruiz" and not committed; the second, meanwhile, makes her too:
    on PostgreSQL its INSERT waits on the unique key, then finds hers (ON CONFLICT DO NOTHING); on
    SQLite it waits for the lock. One actor, both articles."""
    import time

    st = open_store(store_url)
    a = story("w1", "2024-08-01", "Harbor Wire", "Ana Ruiz said the bridge would reopen.",
              [("Ana Ruiz", "PERSON", ["Ana Ruiz"])], [("Ana Ruiz", "Ana Ruiz", "the bridge would reopen")])
    b = story("w2", "2024-08-02", "Valley Post", "Ana Ruiz said the road would close.",
              [("Ana Ruiz", "PERSON", ["Ana Ruiz"])], [("Ana Ruiz", "Ana Ruiz", "the road would close")])
    errors = []

    def second():
        try:
            with st.session() as s:
                save_ledger(s, b, key=b.id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
    with st.session() as first:
        save_ledger(first, a, key=a.id)
        other = threading.Thread(target=second)
        other.start()
        time.sleep(0.5)  # the second writer is waiting now
    other.join(60)
    assert errors == [] and not other.is_alive()
    [ruiz] = list_actors(st)
    assert ruiz["name"] == "Ana Ruiz" and ruiz["articles"] == 2
    assert ruiz["first_seen"] == "2024-08-01T00:00:00" and ruiz["last_seen"] == "2024-08-02T00:00:00"
    assert sql_rows(store_url, "select count(*) from entity_actors") == [(2,)]
    st.close()


# ---------------------------------------------------------------- the user's corrections

def test_merge_split_and_rename_hold_for_articles_stored_later_and_a_rebuild(store_url):
    st = stored(store_url, HILLARY, BILL, BARE, WIRE_A)
    merged = actors.merge(st, "Hillary Clinton", "Clinton")  # the lone "Clinton" was her
    assert merged["from"]["name"] == "Clinton" and merged["actor"]["name"] == "Hillary Clinton"
    assert {r["speaker"] for r in speakers(st)} == {"Hillary Clinton", "Bill Clinton", "Donald Trump"}
    later = story("cl-4", "2024-04-04", "Coast Daily", "Clinton said on Saturday she had won.",
                  [("Clinton", "PERSON", ["Clinton", "she"])], [("Clinton", "Clinton", "she had won")])
    with st.session() as s:
        save_ledger(s, later, key=later.id)
    assert [r["quotes"] for r in speakers(st, name="Hillary Clinton", exact=True)] == [3]

    split = actors.split(st, "Donald Trump", "Trump")  # the user wants the lone "Trump" apart
    assert split["moved"] == 0 and split["actor"]["name"] == "Trump"
    with st.session() as s:
        save_ledger(s, WIRE_C, key=WIRE_C.id)
    assert {r["speaker"]: r["quotes"] for r in speakers(st, name="Trump")} == {"Donald Trump": 1, "Trump": 1}

    renamed = actors.rename(st, "Bill Clinton", "William J. Clinton")
    assert renamed["actor"]["name"] == "William J. Clinton"
    fuller = story("cl-5", "2024-04-05", "Harbor Wire", "William Jefferson Clinton said the talks went well.",
                   [("William Jefferson Clinton", "PERSON", ["William Jefferson Clinton"])])
    with st.session() as s:
        save_ledger(s, fuller, key=fuller.id)
    assert "William J. Clinton" in actor_names(st)

    assert [e["action"] for e in actor_edits(st)] == ["rename", "split", "merge"]
    before = snapshot(store_url)
    result = actors.rebuild(st)
    assert result["replayed"] == 3 and result["skipped"] == []
    after = snapshot(store_url)
    assert after[0] == before[0] and after[2] == before[2]
    assert {r["speaker"]: r["quotes"] for r in speakers(st)} == {
        "Hillary Clinton": 3, "William J. Clinton": 1, "Donald Trump": 1, "Trump": 1}
    st.close()


def test_corrections_refuse_what_they_cannot_do(store_url):
    st = stored(store_url, HILLARY, BILL, WIRE_A)
    with pytest.raises(actors.ActorNotFound, match="no actor named 'Nobody'"):
        actors.merge(st, "Hillary Clinton", "Nobody")
    with pytest.raises(ValueError, match="one actor already"):
        actors.merge(st, "Hillary Clinton", "hillary clinton")
    with pytest.raises(ValueError, match="own name"):
        actors.split(st, "Donald Trump", "Donald J. Trump")
    with pytest.raises(ValueError, match="merge the two"):
        actors.rename(st, "Bill Clinton", "Hillary Clinton")
    assert actor_edits(st) == []
    one = actor(st, "Trump")  # a name of his finds him
    assert one["name"] == "Donald Trump" and one["links"] == {"name": 1}
    assert actor(st, f"#{one['id']}")["id"] == one["id"] and actor(st, "Nobody") is None
    assert {e["actor"] for e in entities(st, name="Trump")} == {"Donald Trump"}
    st.close()


# ---------------------------------------------------------------- a store from before the actors

def test_a_store_migrated_from_0005_is_linked_by_the_next_run(store_url):
    from alembic import command
    from alembic.config import Config

    from newsledger.store.db import MIGRATIONS

    st = stored(store_url, WIRE_A, WIRE_B)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with st.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    st.close()
    st = open_store(store_url)  # migrated up again: actors empty
    assert list_actors(st) == [] and {r["speaker"] for r in speakers(st)} == {"Donald Trump", "Donald J. Trump"}
    load([(WIRE_C.id, Analyzed(WIRE_C))], st, ["later"])
    assert [(r["speaker"], r["quotes"]) for r in speakers(st)] == [("Donald Trump", 4)]
    st.close()


# ---------------------------------------------------------------- through the analysis

WIRES = [
    ("wire-1", "2024-03-04", "Harbor Wire",
     "Donald Trump said on Monday that tariffs on imported steel would rise next "
     "month. Trump told reporters at the White House that talks with Canada had stalled. \"We will not be "
     "pushed around,\" Trump said."),
    ("wire-2", "2024-03-05", "Valley Post",
     "Donald J. Trump said on Tuesday that he would visit three steel plants in Ohio next "
     "week. Trump said farmers would be helped by a new program."),
    ("wire-3", "2024-03-06", "Coast Daily",
     "Trump said on Wednesday that the trade deal with Canada was dead. \"It is over,\" Trump told a rally "
     "in Florida."),
    ("pge-1", "2024-06-03", "Harbor Wire",
     "Pacific Gas & Electric Co. said on Monday it would cut power to 50,000 customers. "
     "PG&E spokesman Mark Lopez said the shutoff was needed to prevent fires."),
    ("pge-2", "2024-06-06", "Valley Post", "PG&E said on Thursday that power had been restored to most homes."),
]


def test_ingest_links_as_it_stores_and_ingesting_again_changes_nothing(store_url, nlp):
    from newsledger.corpus.batch import ingest
    from newsledger.ledger import Article

    st = open_store(store_url)
    items = [Article(id=i, published=p, outlet=o, text=t) for i, p, o, t in WIRES]
    run = ingest(["wires"], st, nlp=nlp, items=items, chunk_size=2)
    assert run.analyzed == len(WIRES)
    rows = {r["speaker"]: r for r in speakers(st, limit=50)}
    assert "Trump" not in rows and "Donald J. Trump" not in rows
    assert rows["Donald Trump"]["articles"] == 3 and rows["Donald Trump"]["type"] == "PERSON"
    assert "PG&E" not in rows and rows["Pacific Gas & Electric Co."]["articles"] == 2
    before = snapshot(store_url)
    again = ingest(["wires"], st, nlp=nlp, items=items)
    assert again.existing == len(WIRES) and again.analyzed == 0
    assert snapshot(store_url) == before
    st.close()
