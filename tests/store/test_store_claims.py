"""Claims across outlets (quote provenance): the same quotation in several articles is one claim,
linked as the articles are stored, whatever their order; its first appearance, its occurrences, its
variants (a dropped "not", a changed year, another speaker) and a reprint; on SQLite and PostgreSQL."""
import json
import random
import threading
import time

import pytest
from typer.testing import CliRunner

import claim_stories as S
from newsledger.cli import app
from newsledger.corpus import provenance as P
from newsledger.corpus.batch import ingest
from newsledger.store import open_store
from newsledger.store.provenance import article_claims, claim, claims, link_stored
from newsledger.store.write import save_duplicate, save_ledger

from conftest import sql_rows

runner = CliRunner()
ORDER = ["metro-times", "daily-ledger", "river-gazette", "valley-post", "harbor-wire", "evening-star", "coast-herald"]


def store_in(url: str, ids, one_transaction: bool = False):
    st = open_store(url)
    if one_transaction:
        with st.session() as s:
            for i in ids:
                save_ledger(s, S.ledger(S.BY_ID[i]), key=i)
    else:
        for i in ids:
            with st.session() as s:
                save_ledger(s, S.ledger(S.BY_ID[i]), key=i)
    return st


def promise(st) -> dict:
    [found] = [c for c in claims(st, limit=100) if "cannery row will lose its home" in c["text"]]
    return claim(st, found["claim"])


def by_article(c: dict) -> dict:
    return {o["article"]: o for o in c["timeline"]}


# ---------------------------------------------------------------- the pure part

def test_quotes_normalize_and_match():
    assert P.normalize("“We don’t — ever — stop,” she…") == "we don't ever stop she"
    assert P.quoted_text("He said the city would “not raise taxes” this year.", "mixed", [(8, 48)]) == "not raise taxes"
    assert P.quoted_text("He said no.", "indirect", [(8, 10)]) is None
    a, b = P.words(P.normalize(S.PROMISE)), P.words(P.normalize(S.NO_NOT))
    assert P.match(a, b)[0] == "similar" and P.match(a, P.words(P.normalize(S.PART)))[0] == "part"
    assert P.match(a, P.words(P.normalize(S.WARNED))) is None
    assert P.changes(P.normalize(S.PROMISE), P.normalize(S.NO_NOT)) == [{"kind": "negation", "from": "not", "to": ""}]
    assert P.changes(P.normalize(S.PROMISE), P.normalize(S.YEAR)) == [{"kind": "number", "from": "2026", "to": "2027"}]
    assert P.changes(P.normalize(S.PROMISE), P.normalize(S.PART)) == []  # quoting less is no change
    assert P.changes("a b c d e", "a b c d e", "Tomas Reyes", " tomas  REYES") == []
    assert P.changes("a b c d e", "a b c d e", "Tomas Reyes", None) == []  # an unnamed speaker never differs
    assert P.changes("a b c d e", "a b c d e", "Tomas Reyes", "Ana Reyes") == [
        {"kind": "speaker", "from": "Tomas Reyes", "to": "Ana Reyes"}]
    assert P.same_speaker("Tomas Reyes", "Reyes") and P.same_speaker("Mayor Tomas Reyes", "tomas reyes")
    assert not P.same_speaker("Ana Reyes", "Tomas Reyes")
    # a partial quote shares a fingerprint with the whole, however short it is next to it
    assert set(P.index_keys(P.words(P.normalize(S.PROMISE)))) & set(P.index_keys(P.words(P.normalize(S.PART))))
    left, right = P.side_by_side(S.PROMISE, S.NO_NOT)
    assert {"text": "not ", "mark": "del"} in left and all(p["mark"] is None for p in right)


# ---------------------------------------------------------------- linked as articles arrive

@pytest.mark.parametrize("order", [ORDER, sorted(ORDER, key=lambda i: S.BY_ID[i].published, reverse=True)],
                         ids=["scrambled", "newest-first"])
def test_three_outlets_carry_one_claim_first_by_publication(store_url, order):
    st = store_in(store_url, order)
    c = promise(st)
    assert (c["article"], c["outlet"], c["first_seen"]) == ("harbor-wire", "Harbor Wire", "2024-03-12T08:00:00")
    assert c["quote"].startswith("The harbor bridge will not close") and c["speaker"] == "Tomas Reyes"
    assert (c["occurrences"], c["articles"], c["outlets"]) == (7, 7, 7)
    assert [o["article"] for o in c["timeline"]] == sorted(ORDER, key=lambda i: S.BY_ID[i].published)
    assert c["timeline"][0]["first"] and [o["first"] for o in c["timeline"]].count(True) == 1
    assert sql_rows(store_url, "select count(*) from claims") == [(3,)]  # the promise, Whitfield's, Lopez's
    st.close()


def test_variants_are_flagged_with_what_they_change(store_url):
    st = store_in(store_url, ORDER, one_transaction=True)
    c = promise(st)
    occ = by_article(c)
    assert occ["daily-ledger"]["changes"] == [{"kind": "negation", "from": "not", "to": ""}]
    assert occ["metro-times"]["changes"] == [{"kind": "number", "from": "2026", "to": "2027"}]
    assert occ["evening-star"]["changes"] == [{"kind": "speaker", "from": "Tomas Reyes", "to": "Ana Ruiz"}]
    assert {a for a, o in occ.items() if o["variant"]} == {"daily-ledger", "metro-times", "evening-star"}
    assert (occ["river-gazette"]["match"], occ["river-gazette"]["variant"]) == ("part", False)
    assert occ["coast-herald"]["match"] == "same" and occ["coast-herald"]["similarity"] == 1.0
    assert c["changed"] and c["variants"] == 3
    # each quote of an article knows its claim
    assert article_claims(st, "daily-ledger") == {0: {"claim": c["claim"], "occurrences": 7, "changed": True,
                                                      "variant": True, "first": False}}
    assert article_claims(st, "harbor-wire")[0]["first"] and article_claims(st, "harbor-wire")[1]["claim"] != c["claim"]
    st.close()


def test_a_misquote_that_came_first_is_compared_again_when_the_original_arrives(store_url):
    st = store_in(store_url, ["daily-ledger"])
    c = promise(st)
    assert (c["article"], c["changed"]) == ("daily-ledger", False)  # alone, it is its own first
    st.close()
    st = store_in(store_url, ["harbor-wire"])
    c = promise(st)
    assert (c["article"], c["changed"]) == ("harbor-wire", True)
    assert by_article(c)["daily-ledger"]["changes"] == [{"kind": "negation", "from": "not", "to": ""}]
    st.close()


def test_storing_again_links_nothing_twice(store_url):
    st = store_in(store_url, ORDER)
    before = sql_rows(store_url, "select claim_id, article_id, attribution_id, variant from claim_occurrences order by id")
    bands = sql_rows(store_url, "select count(*) from claim_bands")
    st.close()
    st = store_in(store_url, reversed(ORDER))
    assert sql_rows(store_url, "select claim_id, article_id, attribution_id, variant from claim_occurrences order by id") == before
    assert sql_rows(store_url, "select count(*) from claim_bands") == bands
    assert promise(st)["occurrences"] == 7
    st.close()


def test_a_reprint_carries_its_originals_quotes(store_url):
    st = store_in(store_url, ["coast-herald", "harbor-wire"])
    with st.session() as s:
        save_duplicate(s, S.REPRINT, S.REPRINT.text, "reprint", "harbor-wire", 0.93)
    c = promise(st)
    reprint = by_article(c)["bay-times-reprint"]
    assert (reprint["reprint"], reprint["outlet"], reprint["speaker"], reprint["variant"]) == (True, "Bay Times", "Tomas Reyes", False)
    assert [o["article"] for o in c["timeline"]] == ["harbor-wire", "bay-times-reprint", "coast-herald"]
    assert len(article_claims(st, "reprint")) == 2  # Whitfield's quote too
    # a reprint that changed a quote's words does not carry it (finding it would take an analysis)
    edited = S.REPRINT.model_copy(update={"id": "edited", "text": S.REPRINT.text.replace("will not close", "won't close")})
    with st.session() as s:
        save_duplicate(s, edited, edited.text, "edited", "harbor-wire", 0.9)
    assert "edited" not in by_article(promise(st))
    st.close()


def test_articles_stored_before_the_claims_are_linked_once(store_url):
    from alembic import command
    from alembic.config import Config

    from newsledger.store.db import MIGRATIONS

    st = store_in(store_url, ORDER)
    with st.session() as s:
        save_duplicate(s, S.REPRINT, S.REPRINT.text, "reprint", "harbor-wire", 0.93)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with st.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    with st.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert claims(st) == []
    assert link_stored(st, batch=3) == 9 + 2  # the articles' quotes, and the reprint's two
    assert link_stored(st) == 0
    c = promise(st)
    assert (c["article"], c["occurrences"], c["variants"]) == ("harbor-wire", 8, 3)
    st.close()


def test_two_writers_make_one_claim(store_url):
    """The second writer waits for the first (PostgreSQL: the linking lock; SQLite: the file's write
    lock) and finds the claim the first made, instead of making another."""
    st = open_store(store_url)
    saved, go, errors = threading.Event(), threading.Event(), []

    def first():
        try:
            with st.session() as s:
                save_ledger(s, S.ledger(S.BY_ID["coast-herald"]), key="coast-herald")
                saved.set()
                go.wait(10)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
            saved.set()

    def second():
        try:
            saved.wait(10)
            with st.session() as s:
                save_ledger(s, S.ledger(S.BY_ID["daily-ledger"]), key="daily-ledger")  # not the same words
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    saved.wait(10)
    time.sleep(0.5)  # the second is waiting now
    go.set()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert sql_rows(store_url, "select count(*), max(occurrences) from claims") == [(1, 2)]
    st.close()


def test_the_same_new_claim_twice_is_one_row(store_url):
    from newsledger.store.provenance import _new_claim, _Quote

    st = store_in(store_url, ["coast-herald"])
    q = _Quote(1, 1, "x", None, None, "a quote of some words here", "a quote of some words here")
    with st.session() as s:
        made, again = _new_claim(s, q), _new_claim(s, q)
        assert made[0] == again[0] and (made[1], again[1]) == (True, False)
    st.close()


# ---------------------------------------------------------------- the questions

def test_claims_by_speaker_words_and_change(store_url):
    st = store_in(store_url, ORDER, one_transaction=True)
    promised = promise(st)["claim"]
    assert [c["claim"] for c in claims(st, changed=True)] == [promised]
    assert promised not in {c["claim"] for c in claims(st, changed=False)}
    assert [c["claim"] for c in claims(st, speaker="ruiz")] == [promised]  # some occurrence gives it to her
    assert [c["speaker"] for c in claims(st, speaker="whitfield")] == ["Dana Whitfield"]
    assert [c["claim"] for c in claims(st, text="cannery homes")] == [promised]
    assert claims(st, speaker="%") == [] and claims(st, text="AND OR NEAR(") == []
    listed = claims(st)
    assert listed[0]["claim"] == promised and [c["occurrences"] for c in listed] == [7, 1, 1]
    assert claim(st, 999_999) is None
    res = runner.invoke(app, ["query", "claims", "--db", store_url, "--changed", "--format", "json"])
    assert res.exit_code == 0, res.output
    [row] = json.loads(res.stdout)
    assert (row["claim"], row["outlets"], row["variants"], row["article"]) == (promised, 7, 3, "harbor-wire")
    res = runner.invoke(app, ["query", "claims", "--db", store_url, "--speaker", "Lopez"])
    assert res.exit_code == 0 and "We have heard promises before" in res.stdout
    st.close()


# ---------------------------------------------------------------- through the pipeline

def test_a_batch_run_links_claims_in_any_order(store_url, nlp):
    """The real pipeline, three articles a chunk, shuffled, with the reprint: the same claim."""
    st = open_store(store_url)
    items = S.STORIES + [S.REPRINT]
    random.Random(19).shuffle(items)
    items.remove(S.REPRINT)
    items.append(S.REPRINT)  # after its original: a near-duplicate of a stored article
    run = ingest(["claims"], st, nlp=nlp, items=items, chunk_size=3)
    assert (run.analyzed, run.duplicates, run.failed) == (7, 1, 0)
    c = promise(st)
    occ = by_article(c)
    assert c["article"] == "harbor-wire" and c["outlets"] >= 6
    assert {"harbor-wire", "coast-herald", "valley-post", "daily-ledger", "metro-times", "bay-times-reprint"} <= set(occ)
    assert occ["bay-times-reprint"]["reprint"]
    assert any(ch["kind"] == "negation" for ch in occ["daily-ledger"]["changes"])
    assert any(ch["kind"] == "number" for ch in occ["metro-times"]["changes"])
    before = sql_rows(store_url, "select count(*) from claim_occurrences")
    again = ingest(["claims"], st, nlp=nlp, items=items, chunk_size=3)
    assert (again.analyzed, again.existing) == (0, 8)
    assert sql_rows(store_url, "select count(*) from claim_occurrences") == before
    st.close()


def test_load_links_a_cluster_runs_outcomes(store_url):
    """`newsledger load` stores a cluster run's outcomes through the same write step: claims are
    linked there, a near-duplicate of a stored article carries its original's quotes."""
    from newsledger.corpus.batch import Analyzed, Duplicate, load

    st = open_store(store_url)
    outcomes = [(i, Analyzed(S.ledger(S.BY_ID[i]))) for i in ORDER]
    run = load(outcomes + [("reprint", Duplicate(S.REPRINT, S.REPRINT.text, "harbor-wire", 0.93))], st, ["cluster"],
               chunk_size=3)
    assert (run.analyzed, run.duplicates, run.failed) == (7, 1, 0)
    c = promise(st)
    assert (c["article"], c["occurrences"], c["variants"]) == ("harbor-wire", 8, 3)
    again = load(outcomes, st, ["cluster"])
    assert again.existing == 7 and promise(st)["occurrences"] == 8
    st.close()
