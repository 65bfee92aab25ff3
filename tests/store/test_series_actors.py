"""Series by actor: a point's source is the corpus actor of its attribution's source entity, so one
ministry named two ways is one source (one line, no disagreement with itself), and relinking actors
(a merge, a rename, a rebuild) moves the points with them; on SQLite and PostgreSQL."""
import pytest

from newsledger import ledger as L
from newsledger.store import actors, open_store
from newsledger.store.queries import series, series_points
from newsledger.store.write import ToStore, save_ledgers
from newsledger.web.chart import series_chart


def toll(i: int, source: str, value: int, outlet: str = "Harbor Wire", day: str = "2023-10-12") -> ToStore:
    """A one-sentence article: `source` said `value` people were killed in Gaza."""
    text = f"{source} said {value:,} people were killed in Gaza."
    n, gaza = len(source), text.rindex("Gaza")
    led = L.Ledger(id=f"toll-{i}", text=text, outlet=outlet, published=day, entities=[
        L.Entity(id="E1", name=source, type="ORG", mentions=[(0, n)]),
        L.Entity(id="E2", name="Gaza", type="GPE", mentions=[(gaza, gaza + 4)])],
        attributions=[L.Attribution(kind="indirect", content=[(n + 6, len(text) - 1)],
                                    source=L.Source(span=(0, n), entity="E1", name=source, resolved=True))],
        figures=[L.Figure(span=(n + 6, n + 6 + len(f"{value:,}")), value=value, quantity="people killed",
                          attribution=0)])
    return ToStore(led, f"toll-key-{i}")


@pytest.fixture
def st(store_url):
    store = open_store(store_url)
    with store.session() as s:
        save_ledgers(s, [toll(1, "Gaza Health Ministry", 1400), toll(2, "the Gaza Health Ministry", 1600, "Courier"),
                         toll(3, "Ministry of Health in Gaza", 1700)])
    yield store
    store.close()


def _points(st):
    [one] = series(st, measure="killed")
    return one, series_points(st, one["id"])


def test_a_point_speaks_for_its_source_entitys_actor(st):
    one, points = _points(st)
    assert [(p["source"], p["source_as_written"]) for p in points] == [
        ("Gaza Health Ministry", "Gaza Health Ministry"), ("Gaza Health Ministry", "the Gaza Health Ministry"),
        ("Ministry of Health in Gaza", "Ministry of Health in Gaza")]
    assert points[0]["actor"] == points[1]["actor"] != points[2]["actor"] and points[2]["actor"]
    # 1,400 and 1,600 are one source's (no disagreement); 1,700 is another's, far from 1,400
    assert [p["disagrees"] for p in points] == [True, False, True]
    assert one["sources"] == 2
    lines = series_chart(points, lambda p: "#")
    assert len(lines["lines"]) == 2


def test_merging_two_actors_makes_their_points_one_source(st):
    actors.merge(st, "Gaza Health Ministry", "Ministry of Health in Gaza")
    one, points = _points(st)
    assert {p["source"] for p in points} == {"Gaza Health Ministry"}
    assert len({p["actor"] for p in points}) == 1
    assert [p["disagrees"] for p in points] == [False, False, False]
    assert (one["sources"], one["disagree"]) == (1, False)


def test_a_rename_and_a_rebuild_carry_the_points_along(st):
    actors.rename(st, "Gaza Health Ministry", "Gaza's Health Ministry")
    _, points = _points(st)
    assert [p["source"] for p in points][:2] == ["Gaza's Health Ministry"] * 2
    actors.merge(st, "Gaza's Health Ministry", "Ministry of Health in Gaza")
    actors.rebuild(st)  # every actor made again (new ids), the corrections replayed
    one, points = _points(st)
    assert {p["source"] for p in points} == {"Gaza's Health Ministry"}
    assert len({p["actor"] for p in points}) == 1 and points[0]["actor"] is not None
    assert (one["sources"], one["disagree"]) == (1, False)


def test_storing_without_the_corpus_layer_makes_no_points(store_url):
    store = open_store(store_url)
    try:
        with store.session() as s:
            save_ledgers(s, [toll(1, "Gaza Health Ministry", 1400)], corpus=False)
        assert series(store) == []
    finally:
        store.close()
