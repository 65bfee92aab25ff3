"""A correction of the corpus's actors reaches the claims: whether an occurrence gives its quote to
another speaker than the first goes by actor, so after `entities merge` two names of one person are
no speaker variant, and after `entities split` they are one again; on SQLite and PostgreSQL."""
import pytest

from newsledger import ledger as L
from newsledger.store import open_store
from newsledger.store.actors import merge, rebuild, split
from newsledger.store.provenance import claim, claims
from newsledger.store.write import ToStore, save_ledgers

PLEDGE = "The ferry to Gull Island will run every hour from the first of June"


def quoted_by(i: int, speaker: str, outlet: str, day: str, lead: str) -> ToStore:
    """An article of two sentences: a lead, then "“PLEDGE,” said SPEAKER at the pier."."""
    text = f"{lead}\n\n\u201c{PLEDGE},\u201d said {speaker} at the pier."
    quote_start = text.index("\u201c") + 1
    start = text.index(speaker, quote_start)
    span = (start, start + len(speaker))
    led = L.Ledger(id=f"ferry-{i}", text=text, outlet=outlet, published=day,
                   entities=[L.Entity(id="E1", name=speaker, type="PERSON", mentions=[span])],
                   attributions=[L.Attribution(kind="direct", content=[(quote_start, quote_start + len(PLEDGE))],
                                               source=L.Source(span=span, entity="E1", name=speaker, resolved=True))])
    return ToStore(led, f"ferry-key-{i}")


@pytest.fixture
def st(store_url):
    store = open_store(store_url)
    with store.session() as s:
        save_ledgers(s, [quoted_by(1, "Ana Reyes", "Island Courier", "2024-05-02",
                                   "Gull Island's harbor master promised on Thursday a better ferry service.")])
    with store.session() as s:
        save_ledgers(s, [quoted_by(2, "A. Reyes", "Coast Herald", "2024-05-03",
                                   "Ferry riders on the Gull Island line have waited months for a timetable.")])
    yield store
    store.close()


def pledge(store):
    [found] = [c for c in claims(store) if c["text"].startswith("the ferry to gull island")]
    return found, claim(store, found["claim"])["timeline"]


def speakers_and_flags(store):
    found, timeline = pledge(store)
    return found["changed"], found["variants"], [(o["speaker"], o["variant"], [c["kind"] for c in o["changes"]])
                                                 for o in timeline]


APART = (True, 1, [("Ana Reyes", False, []), ("A. Reyes", True, ["speaker"])])
ONE = (False, 0, [("Ana Reyes", False, []), ("A. Reyes", False, [])])


def test_two_names_kept_apart_are_two_speakers(st):
    _, timeline = pledge(st)
    assert timeline[0]["actor"] != timeline[1]["actor"]  # "A. Reyes" is not "Ana Reyes" by name alone
    assert speakers_and_flags(st) == APART


def test_a_merge_makes_them_one_speaker_and_a_split_two_again(st):
    merge(st, "Ana Reyes", "A. Reyes")
    _, timeline = pledge(st)
    assert timeline[0]["actor"] == timeline[1]["actor"]
    assert speakers_and_flags(st) == ONE
    split(st, "Ana Reyes", "A. Reyes")
    _, timeline = pledge(st)
    assert timeline[0]["actor"] != timeline[1]["actor"]
    assert speakers_and_flags(st) == APART


def test_articles_stored_after_a_merge_follow_it_and_a_rebuild_keeps_it(st):
    merge(st, "Ana Reyes", "A. Reyes")
    with st.session() as s:
        save_ledgers(s, [quoted_by(3, "A. Reyes", "Valley Post", "2024-05-04",
                                   "The county approved the ferry budget on Saturday.")])
    found, timeline = pledge(st)
    assert (found["changed"], [o["variant"] for o in timeline]) == (False, [False, False, False])
    rebuild(st)  # every actor made again, the merge replayed: still one speaker
    found, timeline = pledge(st)
    assert (found["changed"], [o["variant"] for o in timeline]) == (False, [False, False, False])
