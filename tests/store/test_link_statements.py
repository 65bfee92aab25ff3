"""Linking a batch's quotes to claims costs a few statements for the whole batch, not several a
quote (each a round trip on PostgreSQL): the store's claims, candidates and texts are read for all
the batch's quotes at once, their texts, index keys, occurrences and counts written at the end
(issue 19: the corpus layer's share of an ingest). The claims are those of linking one quote at a
time: an exact repeat joins by its digest, a variant its claim, a new quote founds one, and a quote
of the batch sees what an earlier one of it added."""
from sqlalchemy import event

from newsledger.store import open_store, write
from newsledger.store.provenance import claims
from newsledger.store.write import ToStore, save_ledgers

from claim_stories import PROMISE, STORIES, ledger
from test_claims_scale import quoting

FRESH = ["the ferry schedule will change in the autumn so that the early boat leaves before six",
         "our clinic has hired four nurses and will open on weekends from the first of May"]


def variant(i: int) -> str:
    words = PROMISE.split()
    words[3 + i] = words[3 + i][::-1] + "x"
    return " ".join(words)


def test_a_batch_of_quotes_is_linked_in_a_few_statements(store_url, monkeypatch):
    st = open_store(store_url)
    with st.session() as s:
        save_ledgers(s, [ToStore(ledger(story), story.id) for story in STORIES])
    again = [ToStore(ledger(story).model_copy(update={"id": f"{story.id}-2", "outlet": f"{story.outlet} 2"}),
                     f"{story.id}-2") for story in STORIES]  # their quotes repeated word for word
    variants = [ToStore(quoting(f"v{i}", variant(i), day=20 + i), f"v{i}") for i in range(6)]
    fresh = [ToStore(quoting(f"f{i}", q, day=2), f"f{i}") for i, q in enumerate(FRESH)]
    # a quote of the batch that an earlier one of it founded: found by the digest the batch added
    fresh.append(ToStore(quoting("f-again", FRESH[0], speaker="Ana Ruiz", day=3), "f-again"))
    batch = again + variants + fresh
    n_quotes = sum(len(it.ledger.attributions) for it in batch)

    statements, linking = [], []
    event.listen(st.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: linking and statements.append(statement))
    link_quotes = write.link_quotes

    def counted(*args, **kwargs):
        linking.append(True)
        try:
            return link_quotes(*args, **kwargs)
        finally:
            linking.clear()

    monkeypatch.setattr(write, "link_quotes", counted)
    with st.session() as s:
        save_ledgers(s, batch)
    # quote by quote it took four statements for a repeat and up to ten for another quote (114 here);
    # SQLite asks for each new quote's candidates apart (no round trip there), PostgreSQL for all at once
    assert n_quotes == 18
    assert len(statements) <= (16 if store_url.startswith("postgresql") else 30), statements

    by_quote = {c["quote"]: c for c in claims(st)}
    # the seven stories' quotes of the promise (its misquotes and its part among them), again, and the six variants
    assert by_quote[PROMISE]["occurrences"] == 7 + 7 + 6
    assert by_quote[FRESH[0]]["occurrences"] == 2 and by_quote[FRESH[1]]["occurrences"] == 1
    st.close()
