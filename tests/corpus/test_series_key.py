"""The series key (corpus/series.py): what a figure counts, unit and place, from what a ledger's
figure says; and when two sources' claims of a day disagree. Pure Python, no store, no parse."""
from datetime import date

import pytest

from newsledger.corpus.series import (SeriesKey, disagree, disagreeing, ledger_points, main_place, measure_of,
                                      series_key, singular)
from newsledger.ledger import Attribution, Entity, Figure, Ledger, Source, TimeExpression

# (quantity as the ledger holds it, unit) -> measure; None: joins no series
PHRASES = [
    ("people killed", None, "killed"),
    ("Palestinians dead", None, "killed"),
    ("Palestinians killed", None, "killed"),
    ("deaths", None, "killed"),
    ("fatalities", None, "killed"),
    ("soldiers killed", None, "killed"),  # the state, whoever is counted
    ("people who lost their lives", None, "killed"),
    ("people injured", None, "injured"),
    ("wounded", None, "injured"),
    ("people hurt", None, "injured"),
    ("people killed or injured", None, "casualties"),
    ("people missing", None, "missing"),
    ("residents evacuated", None, "displaced"),
    ("people displaced", None, "displaced"),
    ("protesters arrested", None, "arrested"),
    ("people detained", None, "arrested"),
    ("troops", None, "troops"),
    ("troops deployed", None, "troops"),
    ("soldiers", None, "troops"),
    ("confirmed cases", None, "cases"),
    ("people infected", None, "cases"),
    ("votes", None, "votes"),
    ("jobs", None, "jobs"),
    ("jobs cut", None, "jobs lost"),
    ("jobs created", None, "jobs added"),
    ("homes without power", None, "without power"),
    ("people without power", None, "without power"),
    ("teachers registered", None, "teacher registered"),
    ("heart transplants", None, "heart transplant"),
    ("casualties", None, "casualties"),
    ("workers", "percent", "worker"),
    # generic: no series of their own
    ("people", None, None),
    ("one", None, None),
    ("years", None, None),
    ("times", None, None),
    ("others", None, None),
    ("", None, None),
    (None, None, None),
]


@pytest.mark.parametrize("quantity, unit, measure", PHRASES)
def test_what_a_figure_counts_is_one_measure_however_it_is_phrased(quantity, unit, measure):
    key = series_key(quantity, unit, "Gaza")
    assert (key.measure if key else None) == measure


def test_one_death_toll_phrased_two_ways_is_one_key_and_unrelated_people_are_not():
    a = series_key("people killed", None, "Gaza")
    b = series_key("Palestinians dead", None, "Gaza")
    assert a == b == SeriesKey("killed", None, "Gaza") and a.key == "killed||gaza"
    assert series_key("teachers registered", None, "Gaza") != a
    assert series_key("people without power", None, "Gaza") != a
    assert series_key("people killed", None, "Israel") != a  # another place, another series
    assert series_key("people killed", None, None).key == "killed||"


def test_money_takes_the_noun_it_is_of_and_a_bare_amount_joins_none():
    heater = series_key("US dollars", "USD", None, before="A ", after=" heater was recalled")
    loss = series_key("US dollars", "USD", None, before="The company reported a ", after=" loss, its chief said")
    of = series_key("US dollars", "USD", None, before="The company reported a loss of ", after="")
    assert heater.measure == "heater" and loss.measure == "loss" and of.measure == "loss"
    assert heater.key != loss.key and heater.unit == loss.unit == "USD"
    assert series_key("US dollars", "USD", None, before="They raised ", after=" in a year") is None
    assert series_key("US dollars", "USD", None, before="It cost ", after=".") is None
    assert series_key("aid", "USD", None).measure == "aid"  # a noun of its own


def test_a_death_toll_said_before_the_number_is_killed():
    assert series_key(None, None, "Gaza", before="The death toll in Gaza rose to ").measure == "killed"
    assert series_key(None, None, "Gaza", before="The number of injured reached ").measure == "injured"
    assert series_key(None, None, "Gaza", before="The toll rose by ", change="up") is None  # a rise, not a level
    assert series_key(None, None, "Gaza", before="The company said ") is None
    assert series_key(None, "percent", "Gaza", before="The death toll rose ") is None


def test_levels_make_series_rises_durations_and_unvalued_figures_do_not():
    assert series_key("troops", None, None, change="up").measure == "troops (rise)"
    assert series_key("years", "year", None) is None
    assert series_key("days", "day", None) is None
    assert series_key("people killed", None, None, value=None) is None


def test_singular_of_plurals():
    assert [singular(w) for w in ["casualties", "boxes", "teachers", "people", "children", "bus", "crisis",
                                  "crises", "lives", "news", "gas"]] == [
        "casualty", "box", "teacher", "people", "child", "bus", "crisis", "crisis", "life", "news", "gas"]
    assert measure_of("the children displaced") == "displaced"


@pytest.mark.parametrize("a, b, disagrees", [
    ((1500, None, "exact"), (1600, None, "exact"), False),  # 6% apart
    ((1300, None, "exact"), (1600, None, "exact"), True),  # 19% apart
    ((1400, None, "at_least"), (1600, None, "exact"), False),  # at least 1,400 holds 1,600
    ((1700, None, "at_least"), (1500, None, "exact"), True),
    ((1000, 1500, "exact"), (1600, None, "exact"), False),  # within 10% of the range's end
    ((100, None, "up_to"), (90, None, "exact"), False),
    ((100, None, "up_to"), (130, None, "exact"), True),
    ((None, None, "exact"), (130, None, "exact"), False),
])
def test_two_claims_disagree_when_their_ranges_are_over_ten_percent_apart(a, b, disagrees):
    assert disagree(a, b) is disagrees and disagree(b, a) is disagrees


def test_only_points_of_different_sources_on_the_same_day_disagree():
    d1, d2 = date(2023, 10, 11), date(2023, 10, 12)
    pts = [(1, d1, "Gaza Health Ministry", 1600, None, "exact"),
           (2, d1, "gaza health ministry", 1300, None, "exact"),  # the same source, told apart by case only
           (3, d2, "Israeli military", 1300, None, "exact"),
           (4, d2, "Gaza Health Ministry", 1600, None, "exact"),
           (5, d2, None, 900, None, "exact"),  # no source: nobody's claim to weigh
           (6, None, "Israeli military", 100, None, "exact")]
    assert disagreeing(pts) == {3, 4}


def _ledger():
    text = ("GAZA CITY (Wire) — At least 1,400 people have been killed in Gaza since October 7, the Gaza Health "
            "Ministry said on Tuesday. A $49 heater was recalled.")
    fig = text.index("At least 1,400")
    tue = text.index("Tuesday")
    oct7 = text.index("October 7")
    heater = text.index("$49")
    return Ledger(
        id="t", text=text, published="2023-10-11T08:00:00Z", outlet="Wire",
        entities=[Entity(id="E1", name="Gaza City", type="GPE", mentions=[(0, 9)]),
                  Entity(id="E2", name="Gaza", type="GPE", mentions=[(text.index("in Gaza") + 3, text.index("in Gaza") + 7)]),
                  Entity(id="E3", name="Gaza Health Ministry", type="ORG", mentions=[(text.index("the Gaza H") + 4, tue - 12)])],
        attributions=[Attribution(kind="indirect", content=[(fig, oct7 + 9)],
                                  source=Source(span=(text.index("the Gaza H"), tue - 12), entity="E3",
                                                name="Gaza Health Ministry"))],
        figures=[Figure(span=(fig, fig + 14), value=1400, approx="at_least", quantity="people killed",
                        attribution=0, location="Gaza", time="Tuesday"),
                 Figure(span=(heater, heater + 3), value=49, unit="USD", quantity="US dollars")],
        dates=[TimeExpression(span=(oct7, oct7 + 9), type="DATE", value="2023-10-07"),
               TimeExpression(span=(tue, tue + 7), type="DATE", value="2023-10-10")])


def test_a_ledgers_points_carry_source_outlet_place_and_day():
    led = _ledger()
    toll, heater = ledger_points(led)
    assert toll.series == SeriesKey("killed", None, "Gaza") and toll.source == "Gaza Health Ministry"
    assert (toll.value, toll.approx, toll.outlet, toll.date) == (1400, "at_least", "Wire", date(2023, 10, 10))
    # no place of its own: the article's main place; no time of its own: the day of publication
    assert heater.series == SeriesKey("heater", "USD", "Gaza City") and heater.source is None
    assert heater.date == date(2023, 10, 11) and main_place(led) == "Gaza City"


def test_a_time_that_starts_a_period_or_lies_after_publication_is_not_the_figures_day():
    led = _ledger()
    since = led.model_copy(update={"figures": [led.figures[0].model_copy(update={"time": "October 7"})]})
    assert ledger_points(since)[0].date == date(2023, 10, 11)  # "since October 7": the publication day
    later = led.model_copy(update={"published": "2023-10-09"})
    assert ledger_points(later)[0].date == date(2023, 10, 9)
    undated = led.model_copy(update={"published": None})
    assert [p.date for p in ledger_points(undated)] == [date(2023, 10, 10), None]


def test_a_place_read_as_the_counted_noun_joins_no_series():
    assert series_key("Alder", None, "Alder") is None
    assert series_key("Gazans", None, "Gaza").measure == "gazan"


def test_keys_fit_the_stores_columns_whatever_the_text():
    long = " ".join(["heart"] * 80) + " transplants"
    risen = series_key(long, None, "x", change="up")
    assert risen.measure.endswith(" (rise)") and len(risen.measure) <= 120
    wide = series_key("troops", None, "İ" * 300)  # lower case makes this place longer
    assert len(wide.place) <= 200 and len(wide.key) <= 400
    assert wide.key != series_key("troops", None, "İ" * 199 + "I").key
