"""Claims by actor: an occurrence's speaker is also the corpus actor of its source entity; two
speakers who are one actor ("Donald Trump", "President Trump") make no "another speaker" variant;
the speaker filter matches an actor's name and aliases; on SQLite and PostgreSQL."""
import pytest

from newsledger import ledger as L
from newsledger.corpus import provenance as P
from newsledger.store import open_store
from newsledger.store.provenance import claim, claims
from newsledger.store.write import ToStore, save_ledgers

PROMISE = "We will rebuild every school in this city before winter"
OTHER = "Nobody has ever seen a harbor project move this fast"


def said(i: int, speaker: str, quote: str, outlet: str, day: str) -> ToStore:
    """A one-sentence article: "quote," said speaker."""
    text = f"\u201c{quote},\u201d said {speaker}."
    start = text.index(speaker)
    span = (start, start + len(speaker))
    led = L.Ledger(id=f"q-{i}", text=text, outlet=outlet, published=day,
                   entities=[L.Entity(id="E1", name=speaker, type="PERSON", mentions=[span])],
                   attributions=[L.Attribution(kind="direct", content=[(1, 1 + len(quote))],
                                               source=L.Source(span=span, entity="E1", name=speaker, resolved=True))])
    return ToStore(led, f"q-key-{i}")


@pytest.fixture
def st(store_url):
    store = open_store(store_url)
    with store.session() as s:
        save_ledgers(s, [said(1, "Donald Trump", PROMISE, "Harbor Wire", "2024-03-01")])
    with store.session() as s:
        save_ledgers(s, [said(2, "President Trump", PROMISE, "Courier", "2024-03-02"),
                         said(3, "Mayor Ana Reyes", PROMISE, "Gazette", "2024-03-03"),
                         said(4, "President Trump", OTHER, "Courier", "2024-03-02")])
    yield store
    store.close()


def test_names_alone_would_call_them_two_speakers():
    assert P.changes("a b c", "a b c", "Donald Trump", "President Trump") == [
        {"kind": "speaker", "from": "Donald Trump", "to": "President Trump"}]
    assert P.changes("a b c", "a b c", "Donald Trump", "President Trump", same_actor=True) == []


def test_one_actor_under_two_names_is_no_variant(st):
    [found] = [c for c in claims(st) if c["quote"].startswith("We will rebuild")]
    assert found["speaker"] == "Donald Trump" and found["actor_name"] == "Donald Trump"
    timeline = claim(st, found["claim"])["timeline"]
    assert [(o["speaker"], o["actor_name"]) for o in timeline] == [
        ("Donald Trump", "Donald Trump"), ("President Trump", "Donald Trump"), ("Mayor Ana Reyes", "Ana Reyes")]
    assert timeline[0]["actor"] == timeline[1]["actor"] != timeline[2]["actor"]
    assert [o["variant"] for o in timeline] == [False, False, True]  # only the mayor is another speaker
    assert timeline[2]["changes"] == [{"kind": "speaker", "from": "Donald Trump", "to": "Mayor Ana Reyes"}]


def test_the_speaker_filter_matches_the_actors_name_and_aliases(st):
    # the harbor quote was given to "President Trump" only: found by the actor's canonical name
    assert sorted(c["quote"][:6] for c in claims(st, speaker="Donald Trump")) == ["Nobody", "We wil"]
    assert sorted(c["quote"][:6] for c in claims(st, speaker="president trump")) == ["Nobody", "We wil"]
    assert [c["quote"][:6] for c in claims(st, speaker="Reyes")] == ["We wil"]
    assert claims(st, speaker="Clinton") == []
