"""Claims across outlets at scale (issue 19, item 4): what keeps linking a quote bounded pins the
same claims as before. An exact repeat joins by its digest; a quote among many candidate claims
still finds its own; a claim compares a new quote with its first MAX_COMPARED texts only, and its
later variants still join it; its counts move by one while its first stays. The pure parts:
`match`'s cheap bound before difflib changes no answer, `disagreeing(among=)` finds the pairs with
a new point that the full comparison finds."""
import random

import pytest

from newsledger.corpus import provenance as P
from newsledger.corpus.series import disagreeing
from newsledger.ledger import Attribution, Cue, Ledger, Source
from newsledger.store import open_store
from newsledger.store import provenance as SP
from newsledger.store.provenance import claim, claims
from newsledger.store.write import save_ledger

from conftest import sql_rows

BASE = ("the harbor council will vote on the new bridge budget before the spring season ends "
        "and every family on the row will keep its home")


def quoting(article_id: str, quote: str, speaker: str = "Tomas Reyes", day: int = 1) -> Ledger:
    """An article whose one direct quote is `quote`, given to `speaker`."""
    text = f"“{quote},” {speaker} said."
    s = text.index(speaker)
    v = text.index("said")
    return Ledger(id=article_id, outlet=f"Outlet {article_id}", published=f"2024-03-{day:02d}T08:00:00Z",
                  language="en", text=text, attributions=[Attribution(
                      kind="direct", content=[(0, s - 1)], cue=Cue(span=(v, v + 4)),
                      source=Source(span=(s, s + len(speaker)), name=speaker, resolved=True), confidence=0.9)])


def store(url: str, ledgers: list[Ledger]):
    st = open_store(url)
    for led in ledgers:
        with st.session() as s:
            save_ledger(s, led, key=led.id)
    return st


def one_word_changed(words: list[str], i: int) -> str:
    out = list(words)
    out[i] = out[i][::-1] + "x"
    return " ".join(out)


def test_an_exact_repeat_joins_its_claim_by_digest_not_by_the_index(store_url):
    st = store(store_url, [quoting("a", BASE)])
    # the index forgets the claim: only the digest of its text can find it now
    with st.session() as s:
        from sqlalchemy import delete

        from newsledger.store import tables as T
        s.execute(delete(T.ClaimBand))
    with st.session() as s:
        save_ledger(s, quoting("b", BASE, day=2), key="b")
    [c] = claims(st)
    assert c["occurrences"] == 2 and c["article"] == "a"
    assert sql_rows(store_url, "select count(*) from claim_texts") == [(1,)]  # one text, stored once
    st.close()


def test_a_quote_among_many_candidate_claims_finds_its_own(store_url):
    """Seventy claims share a run of words (and so fingerprints) with the quote: more than
    MAX_CANDIDATES. The variant of one of them joins that one."""
    shared = "the harbor council will vote on the new bridge budget"
    rng = random.Random(19)
    others = [f"{shared} " + " ".join(f"w{rng.randrange(10**6)}" for _ in range(12)) for _ in range(70)]
    assert len(others) > SP.MAX_CANDIDATES
    st = store(store_url, [quoting(f"o{i}", q) for i, q in enumerate(others)])
    target = others[37].split()
    with st.session() as s:
        save_ledger(s, quoting("variant", one_word_changed(target, len(target) - 2), day=3), key="variant")
    joined = [c for c in claims(st, limit=100) if c["occurrences"] == 2]
    assert len(joined) == 1 and joined[0]["article"] == "o37"
    assert len(claims(st, limit=100)) == 70
    st.close()


def test_a_claim_compares_its_first_texts_and_its_later_variants_still_join(store_url):
    """More distinct variants than MAX_COMPARED: each joins the claim (through its first texts),
    only the first MAX_COMPARED are compared, every one is found again by its digest, and the
    counts, moved by one an occurrence, are what counting gives."""
    words = BASE.split()
    variants = [BASE] + [one_word_changed(words, i) for i in range(2 * SP.MAX_COMPARED)]
    st = store(store_url, [quoting(f"v{i}", q, day=1 + i % 20) for i, q in enumerate(variants)])
    [c] = claims(st)
    assert c["occurrences"] == len(variants) and c["article"] == "v0" and c["changed"]
    assert sql_rows(store_url, "select count(*), sum(case when compared then 1 else 0 end) from claim_texts") == [
        (len(variants), SP.MAX_COMPARED)]
    with st.session() as s:  # a repeat of a variant that is not compared: by its digest
        save_ledger(s, quoting("again", variants[-1], day=25), key="again")
    [c] = claims(st)
    assert c["occurrences"] == len(variants) + 1
    assert sql_rows(store_url, "select occurrences from claims") == sql_rows(
        store_url, "select count(*) from claim_occurrences")
    timeline = claim(st, c["claim"])["timeline"]
    assert timeline[0]["first"] and all(o["variant"] for o in timeline[1:] if o["text"] != P.normalize(BASE))
    st.close()


def test_an_earlier_occurrence_becomes_the_first_and_the_counts_hold(store_url):
    words = BASE.split()
    st = store(store_url, [quoting(f"late{i}", one_word_changed(words, i), day=10 + i) for i in range(4)])
    with st.session() as s:
        save_ledger(s, quoting("early", BASE, day=2), key="early")
    [c] = claims(st)
    assert c["article"] == "early" and c["occurrences"] == 5 and c["changed"]
    with st.session() as s:
        save_ledger(s, quoting("later", BASE, day=28), key="later")
    [c] = claims(st)
    assert c["article"] == "early" and c["occurrences"] == 6
    later = [o for o in claim(st, c["claim"])["timeline"] if o["article"] == "later"]
    assert later[0]["match"] == "same" and not later[0]["variant"]
    st.close()


# ---------------------------------------------------------------- the pure parts

def _match_by_difflib(a, b):
    """`match` without the bound, as it was."""
    if list(a) == list(b):
        return "same", 1.0
    j = P.jaccard(a, b)
    if j >= P.JACCARD:
        return "similar", j
    if len(a) != len(b):
        c = P.containment(a, b)
        if c >= P.CONTAINMENT:
            return "part", c
    return None


def test_the_bound_before_difflib_changes_no_match():
    rng = random.Random(19)
    vocab = [f"w{i}" for i in range(30)]
    for _ in range(3000):
        a = [rng.choice(vocab) for _ in range(rng.randrange(1, 25))]
        b = list(a) if rng.random() < 0.5 else [rng.choice(vocab) for _ in range(rng.randrange(1, 25))]
        if rng.random() < 0.5:  # a part of a, some words changed
            i = rng.randrange(len(a))
            b = a[i:i + rng.randrange(1, 20)]
            b = [w if rng.random() < 0.9 else rng.choice(vocab) for w in b]
        assert P.match(a, b) == _match_by_difflib(a, b), (a, b)


@pytest.mark.parametrize("seed", range(20))
def test_comparing_new_points_finds_what_comparing_all_pairs_finds(seed):
    rng = random.Random(seed)
    points = [(i, rng.choice([None, 1, 2]), rng.choice([None, "", "A", "a", "B", "C"]), rng.choice([None, 100, 150, 1000]),
               None, rng.choice(["exact", "about", "at_least", "up_to"])) for i in range(40)]
    new = set(rng.sample(range(40), 8))
    full = disagreeing(points)
    pairs_old = disagreeing([p for p in points if p[0] not in new])
    # flags only come on when points are added: the old flags, and those the new pairs bring
    assert pairs_old | disagreeing(points, among=new) == full
    assert full or seed % 2  # most draws have some disagreement to find
