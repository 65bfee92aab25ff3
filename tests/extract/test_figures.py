"""Pinning the behaviour of `extract_figures(doc)` on small, realistic news sentences parsed with the
real pipeline (`newsledger.nlp.load()`): values (digits and words), qualifiers, units and
currencies, what is counted, ranges, rises and falls, exclusions, odd input, and the NewsQuant
score (in-process) with a floor. The `nlp` fixture is conftest's.
"""
import pytest

from newsledger.extract.figures import extract_figures, parse_number, words_value
from newsledger.ledger import TimeExpression

from conftest import SHARED, needs_shared


def figs(nlp, text, dates=()):
    doc = nlp(text)
    return [(text[f.span[0]:f.span[1]], f) for f in extract_figures(doc, dates)]


def by_value(nlp, text):
    return {f.value: f for _, f in figs(nlp, text)}


# ------------------------------------------------------------------ values

@pytest.mark.parametrize("text, value", [
    ("The company will hire two dozen engineers.", 24),
    ("The city has 1.5 million residents.", 1.5e6),
    ("The deal is worth $106bn.", 106e9),
    ("Officials counted twenty-one ships.", 21),
    ("Some 100,000 people marched.", 100000),
    ("Half a million people fled the region.", 500000),
    ("She bought a dozen eggs.", 12),
    ("The firm hired five analysts.", 5),
    ("There were 4 hundred million people.", 400e6),
])
def test_values_in_digits_and_words(nlp, text, value):
    values = [f.value for _, f in figs(nlp, text)]
    assert value in values


def test_range_has_value_max(nlp):
    (_, f), = figs(nlp, "The talks could last 3-4 weeks.")
    assert (f.value, f.value_max, f.unit) == (3, 4, "week")
    (_, g), = figs(nlp, "Shares were priced at between $62 and $68.")
    assert (g.value, g.value_max, g.unit) == (62, 68, "USD")
    (_, h), = figs(nlp, "Apple had projected US $89 to $93 billion in revenue.")
    assert (h.value, h.value_max) == (89e9, 93e9)


def test_change_then_level_is_no_range(nlp):
    got = [(f.value, f.value_max, f.change) for _, f in figs(nlp, "Lloyds shares fell 2.1p to 45.6p.")]
    assert got == [(2.1, None, "down"), (45.6, None, None)]


def test_vague_plurals_are_lower_bounds(nlp):
    (text, f), = figs(nlp, "Tens of thousands of protesters filled the square.")
    assert (f.value, f.value_max, f.approx) == (1e4, 1e5, "at_least")
    assert f.quantity == "protesters"


def test_score_is_no_range(nlp):
    assert [f.value for _, f in figs(nlp, "At 2-0 down it was easy to give up.")] == []


@pytest.mark.parametrize("text", [
    "The Eagles (6-5, 3-4) snapped a losing streak against the Huskies.",
    "Palm Bay d. Rockledge 70-44 on Tuesday night.",
    "Doctors tried to zero in on the cause of his illness.",
])
def test_records_scores_and_verbs_are_no_figures(nlp, text):
    assert figs(nlp, text) == []


def test_a_hyphen_range_before_what_it_counts_stays_a_range(nlp):
    assert by_value(nlp, "Police found 20-30 bodies near the river.")[20].value_max == 30


# ------------------------------------------------------------------ qualifiers

@pytest.mark.parametrize("text, approx, span", [
    ("Over 5,700 Palestinians have died.", "more_than", "Over 5,700"),
    ("About 200 people attended.", "about", "About 200"),
    ("At least 30 people were hurt.", "at_least", "At least 30"),
    ("The grant is worth up to $8 million.", "up_to", "up to $8 million"),
    ("Fewer than 60 seats remain.", "less_than", "Fewer than 60"),
    ("Nearly 1,000 soldiers were sent.", "about", "Nearly 1,000"),
    ("The company paid more than $100 million.", "more_than", "more than $100 million"),
    ("Just under 20 percent of spending is cash.", "less_than", "Just under 20 percent"),
])
def test_qualifier_sets_approx_and_is_in_span(nlp, text, approx, span):
    (got, f), = figs(nlp, text)
    assert (f.approx, got) == (approx, span)


def test_over_a_period_is_no_qualifier(nlp):
    f = by_value(nlp, "The bill allocates $1.2 trillion over 10 years.")[10]
    assert (f.approx, f.unit) == ("exact", "year")


# ------------------------------------------------------------------ units and currencies

@pytest.mark.parametrize("text, value, unit", [
    ("The fine was 10.5 million Australian dollars.", 10.5e6, "AUD"),
    ("They paid 20 dollars each.", 20, "USD"),
    ("The charity raised 5 million pounds.", 5e6, "GBP"),
    ("The fighter weighed 208 pounds.", 208, "pound"),
    ("Those passengers paid a total of HK$216,925.", 216925, "HKD"),
    ("It had 7.5 million Danish crowns in deposits.", 7.5e6, "DKK"),
    ("He earns £1,000 a week.", 1000, "GBP"),
    ("Revenue reached €3bn.", 3e9, "EUR"),
    ("The catch sold for 333.6 million yen.", 333.6e6, "JPY"),
    ("The plant cost 5 billion yuan.", 5e9, "CNY"),
    ("Tickets cost 500 rupees.", 500, "INR"),
    ("It owns 13% of the company.", 13, "percent"),
    ("Inflation hit 4.1 per cent.", 4.1, "percent"),
    ("The storm had winds of 155mph.", 155, "mile per hour"),
    ("The tunnel runs 8 miles under the river.", 8, "mile"),
    ("The bluefin tuna weighed 278kg.", 278, "kilogram"),
    ("The field produced about 1 million barrels of oil.", 1e6, "barrel"),
    ("The engine makes 640bhp.", 640, "horsepower"),
])
def test_units_are_normalized(nlp, text, value, unit):
    f = by_value(nlp, text)[value]
    assert f.unit == unit


def test_dollar_defaults_to_usd_and_money_counts_its_currency(nlp):
    f = by_value(nlp, "Ford said it would cost $800 million.")[800e6]
    assert f.unit == "USD" and "dollars" in f.quantity


# ------------------------------------------------------------------ what is counted

def test_quantity_from_nummod_and_elided_head(nlp):
    got = {t: f.quantity for t, f in figs(nlp, "The US has 2,500 troops in Iraq and nearly 1,000 in Syria.")}
    assert got == {"2,500": "troops", "nearly 1,000": "troops"}


def test_quantity_keeps_modifiers_and_participle(nlp):
    f = by_value(nlp, "OHSU has performed more than 700 heart transplants.")[700]
    assert f.quantity == "heart transplants performed"
    f = by_value(nlp, "OHSU has more than 700 heart transplants on record.")[700]
    assert f.quantity == "heart transplants"
    g = by_value(nlp, "Officials reported 5,700 Palestinians dead.")[5700]
    assert g.quantity == "Palestinians dead"


@pytest.mark.parametrize("text, value, quantity", [
    ("At least 1,400 people have been killed since the fighting began.", 1400, "people killed"),
    ("More than 5,700 Palestinians have died, according to the ministry.", 5700, "Palestinians dead"),
    ("About 200,000 homes were left without power.", 200000, "homes without power"),
    ("The storm left 40,000 homes without power.", 40000, "homes without power"),
    ("Some 30 people were injured in the attack.", 30, "people injured"),
    ("At least 3,000 people are missing.", 3000, "people missing"),
    ("The blast killed 14 soldiers.", 14, "soldiers killed"),
    ("Twenty people were wounded and three were killed.", 3, "people killed"),
    ("Five climbers were found dead.", 5, "climbers dead"),
    ("The company has 13,000 workers.", 13000, "workers"),
    ("Forty Democrats voted for the bill.", 40, "Democrats"),
    ("Four national security and diplomatic officials said the plan was dropped.", 4,
     "national security and diplomatic officials"),
])
def test_quantity_keeps_the_state_it_is_searched_by(nlp, text, value, quantity):
    assert by_value(nlp, text)[value].quantity == quantity


def test_quantity_from_of_phrase(nlp):
    f = by_value(nlp, "So far 60% of the workers approved the contract.")[60]
    assert f.unit == "percent" and f.quantity == "workers"


def test_of_phrase_loses_possessive_and_number(nlp):
    got = {f.value: f.quantity for _, f in figs(nlp, "The farmer lost 80 of his 220 cows.")}
    assert got == {80: "cows lost", 220: "cows"}  # the 80 lost, not the herd


def test_falling_subject_is_no_change(nlp):
    f = by_value(nlp, "Some 410 millimetres of rain fell on the valley.")[410]
    assert (f.unit, f.quantity, f.change) == ("millimetre", "rain", None)


def test_suspended_hyphens_share_the_head(nlp):
    got = [(f.value, f.quantity) for _, f in figs(nlp, "It comes with four-, five- and six-cylinder engines.")]
    assert got == [(4, "cylinder"), (5, "cylinder"), (6, "cylinder")]


def test_sub_is_less_than(nlp):
    (text, f), = figs(nlp, "Chipmakers produce sub-7 nanometer chips.")
    assert (text, f.value, f.approx, f.unit) == ("sub-7 nanometer", 7, "less_than", "nanometre")


def test_proportion_in_words_and_digits(nlp):
    got = {t: (f.value, f.quantity) for t, f in figs(nlp, "One out of three Germans have housing problems, and 1 in 4 adults are obese.")}
    assert got == {"One out of three": (pytest.approx(1 / 3), "Germans"), "1 in 4": (0.25, "adults obese")}


def test_one_of_a_counted_set_is_a_partitive_and_the_set_its_figure(nlp):
    got = by_value(nlp, "Only one of the 11 candidates won a majority.")
    assert 1 not in got and got[11].quantity == "candidates"
    assert by_value(nlp, "One person died and two were injured.")[1].quantity == "person dead" or \
        1 in by_value(nlp, "One person died and two were injured.")


@pytest.mark.parametrize("text, number", [
    ("A 43-year-old man saw his doctor in November.", 43),
    ("The 48-year-old Australian was arrested in April.", 48),
    ("Braun, 38 – who manages several singers – has been trying to reach her.", 38),
    ("Respondents aged between 12 to 17 were asked about their use.", 12),
    ("The agency recommends that everyone above age 6 months get a vaccine.", 6),
])
def test_ages_are_no_figures(nlp, text, number):
    assert number not in by_value(nlp, text)


@pytest.mark.parametrize("text, number", [
    ("The land was captured in the 1967 Six-Day War.", 6),
    ("The league moved the Week 13 rematch to an earlier start.", 13),
    ("He signed until the end of the 2022/23 season.", 2022),
    ("Police arrested a man of 3170 W. County Road on Tuesday.", 3170),
])
def test_numbers_in_names_seasons_and_addresses_are_no_figures(nlp, text, number):
    assert number not in by_value(nlp, text)


@pytest.mark.parametrize("text", [
    "It was one of the largest leaks in the agency's history.",
    "One of the victims was a teacher.",
    "At one point, the crowd surged toward the gate.",
    "No one was hurt in the blast.",
    "The two leaders congratulated one another.",
    "She is the one who signed the order.",
    "One day, she said, the war will end.",
])
def test_one_as_pronoun_partitive_or_moment_is_no_figure(nlp, text):
    assert 1 not in by_value(nlp, text)


@pytest.mark.parametrize("text, value, quantity", [
    ("One person died in the crash.", 1, "person"),
    ("One in five residents lost power.", 0.2, "residents"),
    ("The strike lasted one day.", 1, None),
    ("He pleaded guilty to one count of wire fraud.", 1, "count"),
])
def test_one_that_counts_stays_a_figure(nlp, text, value, quantity):
    f = by_value(nlp, text)[value]
    assert quantity is None or f.quantity.startswith(quantity)


def test_glued_m_is_million_before_a_plural_and_metre_otherwise(nlp):
    got = by_value(nlp, "The firm sold 3m units and built a 37m tower.")
    assert got[3e6].unit is None and got[37].unit == "metre"


def test_three_or_four_years_share_unit(nlp):
    (_, f), = figs(nlp, "Over the past three or four years, lenders grew.")
    assert (f.value, f.value_max, f.unit) == (3, 4, "year")


# ------------------------------------------------------------------ change

@pytest.mark.parametrize("text, value, change", [
    ("Nvidia rose 8% on Monday.", 8, "up"),
    ("Exports fell by 3 percent.", 3, "down"),
    ("The board approved a 10% increase.", 10, "up"),
    ("He grabbed 12 rebounds.", 12, None),
    ("Congress cut spending by $2 billion.", 2e9, "down"),
    ("Shares were up 5pc at the close.", 5, "up"),
    ("Revenue rose to $7.36 billion.", 7.36e9, None),
])
def test_change(nlp, text, value, change):
    assert by_value(nlp, text)[value].change == change


# ------------------------------------------------------------------ place and time

def test_location_and_time_from_the_sentence(nlp):
    text = "Ford has 13,000 workers in the United Kingdom, it said on Tuesday."
    f = by_value(nlp, text)[13000]
    assert f.location == "the United Kingdom" or f.location == "United Kingdom"
    assert f.time == "Tuesday"


def test_time_is_the_nearest_in_the_sentence(nlp):
    got = {f.value: f.time for _, f in figs(nlp, "The population grew to 8.1 billion in 2023 from 7.9 billion in 2021.")}
    assert got == {8.1e9: "2023", 7.9e9: "2021"}


@pytest.mark.parametrize("text, value, time", [
    ("The U.S. mission, which began in 2014, now has about 2,500 troops in Iraq.", 2500, "now"),
    ("The coalition, launched in 2014 to fight the Islamic State, has 5,000 troops there, officials said.", 5000, None),
    ("The company, founded in 1998, employs 4,000 people, its chief executive said.", 4000, None),
    ("About 2,500 troops remain in Iraq, where the U.S. invaded in 2003.", 2500, None),
    ("Since the mission began in 2014, troops have fallen to 2,500, the Pentagon said on Monday.", 2500, "Monday"),
    ("Sales rose 5% in March, while profit fell 3% last year.", 3, "last year"),
])
def test_time_comes_from_the_figures_clause_or_one_above_it(nlp, text, value, time):
    from newsledger.extract.times import extract_times

    doc = nlp(text)
    got = {f.value: f for f in extract_figures(doc, extract_times(doc, "2019-11-19"))}
    assert got[value].time == time


def test_time_from_given_dates(nlp):
    text = "Prices rose 5% last month."
    start = text.index("last month")
    dates = [TimeExpression(span=(start, start + len("last month")), type="DATE", value="XXXX-XX")]
    (_, f), = figs(nlp, text, dates)
    assert f.time == "last month"


# ------------------------------------------------------------------ exclusions

@pytest.mark.parametrize("text", [
    "The law was passed in 2016.",
    "She died on September 8.",
    "Updated 2:55 p.m. PT: added news.",
    "Call 555-123-4567 for details.",
    "He finished 2nd in the 96th race.",
    "The 45-year-old said nothing.",
    "Apple's iPhone 11 sold well.",
    "The No. 3 seed won on Sunday.",
    "The category 4 hurricane hit Florida.",
    "The office is at 575 Wilbraham Road.",
    "Each one of them left, and no one stayed.",
    "Musicians prefer the 1990s.",
])
def test_not_figures(nlp, text):
    assert figs(nlp, text) == []


@pytest.mark.parametrize("text", [
    "Dispatchers received a flood of 911 calls after the explosion.",
    "Residents were told to call 999 if they saw the suspect.",
    "Callers can dial 112 anywhere in the EU.",
    "Call 1-800-273-8255 for help.",
    "The hotline, 1-800-273-TALK, was busy all night.",
    "Call 0800 555 111 for advice.",
    "The Pentagon grounded its F-35 jets.",
    "Samsung's Galaxy S10 was a hit.",
    "The airline grounded its Boeing 787 fleet.",
    "2. Never urged Ukraine to investigate anyone.",
    "3) The plan was dropped after the vote.",
    "Jamie Moore, 25, said she slept in her car.",
    "The suspect, 34, was arrested at home.",
    "The children, aged 7 and 9, were unhurt.",
])
def test_phone_model_list_and_age_numbers_are_no_figures(nlp, text):
    assert figs(nlp, text) == []


@pytest.mark.parametrize("text, value, quantity", [
    ("The Pentagon bought 12 F-35 fighters.", 12, "fighters"),
    ("Police said 3 people were hurt after he called 911.", 3, "people"),
    ("The firm has 911 employees.", 911, "employees"),
    ("Airlines have ordered 200 Boeing 787s.", 200, "Boeing 787s"),
])
def test_counts_beside_phone_and_model_numbers_stay(nlp, text, value, quantity):
    got = by_value(nlp, text)
    assert list(got) == [value] and got[value].unit is None and got[value].quantity.startswith(quantity)


def test_dates_passed_in_are_excluded(nlp):
    text = "The review ends in 2030 when 40 staff retire."
    start = text.index("2030")
    dates = [TimeExpression(span=(start, start + 4), type="DATE", value="2030")]
    assert [f.value for _, f in figs(nlp, text, dates)] == [40]


def test_year_counted_by_a_noun_is_kept_only_outside_dates(nlp):
    assert [f.value for _, f in figs(nlp, "The firm employs 2000 workers.")] == [2000]


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize("text, value", [
    ("1.000.000", 1e6),            # European grouping
    ("1,00,000", 1e5),             # Indian lakh grouping
    ("5\u2009700", 5700),          # thin-space grouping
    ("5 700", 5700),
    ("\u0663\u0664", 34),          # Arabic-Indic digits
    ("10^400", None),              # overflows
    ("1.2.3", None),
    ("", None),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, value", [
    ("The fund holds 1.000.000 euros.", 1e6),
    ("He paid 1,00,000 rupees.", 1e5),
    ("About 5\u2009700 people came.", 5700),
    ("The crowd was 5 700 people strong.", 5700),
    ("It was 999999999999999999999999 trillion tons.", 1e36),
])
def test_odd_separators_and_magnitudes_in_text(nlp, text, value):
    values = [f.value for _, f in figs(nlp, text)]
    assert values and values[0] == pytest.approx(value)


def test_absurd_magnitude_has_no_value(nlp):
    (_, f), = figs(nlp, "It weighs 10^400 kg.")
    assert f.value is None and f.unit == "kilogram"


@pytest.mark.parametrize("text, values", [
    ("Scores of 5- were given.", [5]),
    ("The reading was -3 overnight.", [-3]),
    ("The value is between 5 and.", [5]),
    ("It fell to minus-5 yards.", [-5]),
])
def test_unbalanced_ranges_and_signs(nlp, text, values):
    assert [f.value for _, f in figs(nlp, text)] == values


def test_words_value():
    assert words_value(["two", "hundred", "and", "five"]) == 205
    assert words_value(["twenty", "-", "one"]) == 21
    assert words_value(["a", "dozen"]) == 12
    assert words_value(["bogus"]) is None


# ------------------------------------------------------------------ NewsQuant

NEWSQUANT = SHARED / "datasets" / "newsquant" / "newsquant-dev.json"


@needs_shared
def test_newsquant_dev_floor(nlp):
    from newsledger.lab.eval.figures import evaluate

    if not NEWSQUANT.is_file():
        pytest.skip("NewsQuant dev is absent")
    res = evaluate(str(NEWSQUANT), nlp=nlp)
    assert res["failed"] == 0
    assert res["value"]["f1"] >= 0.94        # measured 0.951 on dev (gold ranges matched as the shared scorer does)
    assert res["value_unit"]["f1"] >= 0.92   # measured 0.934


@needs_shared
def test_eval_figures_command_scores_and_lists_errors(tmp_path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    if not NEWSQUANT.is_file():
        pytest.skip("NewsQuant dev is absent")
    out = tmp_path / "res.json"
    res = CliRunner().invoke(app, ["eval", "figures", "--data", str(NEWSQUANT), "--limit", "20",
                                   "--json", str(out)])
    assert res.exit_code == 0, res.output
    assert "value+unit" in res.output
    import json

    scores = json.loads(out.read_text())
    assert scores["sentences"] == 20 and 0 < scores["value"]["f1"] <= 1


def test_newsquant_split_is_deterministic_and_holds_out_about_30_percent():
    from newsledger.lab.eval.figures import part_of, select_part

    texts = [f"Sentence number {i} says {i * 7} people came." for i in range(2000)]
    parts = [part_of(t) for t in texts]
    assert parts == [part_of(t) for t in texts]  # a pure function of the text
    assert 0.27 < parts.count("heldout") / len(parts) < 0.33
    sents = [{"text": t, "quantities": []} for t in texts[:50]]
    tune, held = select_part(sents, "tune"), select_part(sents, "heldout")
    assert len(tune) + len(held) == 50 and not {s["text"] for s in tune} & {s["text"] for s in held}
    assert select_part(sents, "all") == sents
    with pytest.raises(ValueError):
        select_part(sents, "train")


def test_scorer_matches_gold_ranges_as_the_official_one_does():
    from newsledger.lab.eval.figures import score_sentence

    gold = [{"value": "252.0-287.0", "unit": "-", "normalized_unit": "-"},
            {"value": "5", "unit": "%", "normalized_unit": "percent"}]
    figures = [{"value": 252, "value_max": 287, "unit": None, "quantity": "people"},
               {"value": 5, "value_max": None, "unit": "percent", "quantity": None}]
    sc = score_sentence(gold, figures)
    assert (sc["tp_value"], sc["tp_unit"], sc["missed"], sc["spurious"]) == (2, 2, [], [])
    assert score_sentence(gold[:1], [{"value": 252, "unit": None}])["tp_value"] == 0


def test_eval_figures_command_scores_one_part(tmp_path):
    import json

    from typer.testing import CliRunner

    from newsledger.cli import app
    from newsledger.lab.eval.figures import part_of

    texts = [f"The council hired {i} new teachers this year." for i in range(1, 13)]
    data = tmp_path / "nq.json"
    data.write_text(json.dumps([{"text": t, "quantities": [{"value": str(i), "unit": "teachers",
                                 "normalized_unit": "teachers", "change": "=", "referred_concepts": "-"}]}
                                for i, t in enumerate(texts, 1)]))
    out = tmp_path / "res.json"
    res = CliRunner().invoke(app, ["eval", "figures", "--data", str(data), "--part", "heldout", "--json", str(out)])
    assert res.exit_code == 0, res.output
    scores = json.loads(out.read_text())
    assert scores["part"] == "heldout" and scores["sentences"] == sum(part_of(t) == "heldout" for t in texts)
    bad = CliRunner().invoke(app, ["eval", "figures", "--data", str(data), "--part", "train"])
    assert bad.exit_code != 0 and "--part" in bad.output


def test_eval_figures_command_refuses_a_missing_file(tmp_path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    res = CliRunner().invoke(app, ["eval", "figures", "--data", str(tmp_path / "nope.json")])
    assert res.exit_code != 0 and "no such file" in res.output


@pytest.mark.parametrize("text, name_number", [
    ("The airline is grounding two new 737 Max jets.", 737),
    ("The debut of the 787 Dreamliner was marred by delays.", 787),
    ("Campbell's team was picked to finish behind Oklahoma and Texas in the Big 12.", 12),
])
def test_model_and_league_names_are_no_figures(nlp, text, name_number):
    assert name_number not in by_value(nlp, text)


def test_capitalized_plural_after_number_is_counted(nlp):
    assert 40 in by_value(nlp, "The bill won the votes of 40 Democrats.")


def test_level_after_from_to_takes_the_unit(nlp):
    f = by_value(nlp, "Mileage rose from about 18 mpg to 24 for SUVs.")[24]
    assert f.unit == "mile per gallon"


def test_level_after_rise_to_keeps_no_unit(nlp):
    f = by_value(nlp, "The index rose 8.15% to 3.65 on Friday.")[3.65]
    assert f.unit is None


@pytest.mark.parametrize("text, value, quantity", [
    ("They want to add another pick or two.", 2, "pick"),
    ("The squad had just 17 players over the age of 21.", 21, "age"),
])
def test_elided_noun_before(nlp, text, value, quantity):
    assert by_value(nlp, text)[value].quantity == quantity


@pytest.mark.parametrize("text, index_number", [
    ("The S&P 500 fell 1.2% on Monday.", 500),
    ("The FTSE 100 rose 0.5%, while the Russell 2000 slipped.", 100),
    ("The FTSE 100 rose 0.5%, while the Russell 2000 slipped.", 2000),
])
def test_stock_index_names_are_no_figures(nlp, text, index_number):
    assert index_number not in by_value(nlp, text)


def test_5g_is_a_network_generation_not_grams(nlp):
    assert by_value(nlp, "The deal gets you 54GB of 5G data.")[5].unit == "network generation"
    assert by_value(nlp, "The bag weighs 5g.")[5].unit == "gram"


def test_head_noun_after_conjoined_adjectives(nlp):
    f = by_value(nlp, "The film sold 4.3M digital and physical copies last year.")[4.3e6]
    assert f.quantity == "digital and physical copies sold"


def test_stray_hyphen_after_a_small_word_is_no_name(nlp):
    assert by_value(nlp, "She lives with her now-18 month-old daughter.")[18].unit == "month"
    assert [t for t, _ in figs(nlp, "She lives with her now-18 month-old daughter.")] == ["18"]
    f = by_value(nlp, "It matches a 200,000 to-260,000 year-old skull.")[200000]
    assert f.value_max == 260000
    assert 35 not in by_value(nlp, "The TA-35 index rose.")


@pytest.mark.parametrize("text, value, approx", [
    ("Growth should inch back up to 4.8 percent in 2020.", 4.8, "exact"),
    ("Shares edged up to 45p.", 45, "exact"),
    ("The fund can hold up to 40 stocks.", 40, "up_to"),
])
def test_up_to_after_a_rise_is_the_level_reached(nlp, text, value, approx):
    assert by_value(nlp, text)[value].approx == approx


def test_number_counting_past_a_name_stays(nlp):
    assert 500 in by_value(nlp, "More than 500 Cruz supporters roared.")


# ------------------------------------------------------------ issue 17: linear on pathological text

def test_spans_by_bisection_agree_with_a_scan():
    import random
    from newsledger.extract.figures import _in, _Spans
    rng = random.Random(5)
    for _ in range(200):
        spans = [(s, s + rng.randint(1, 10)) for s in (rng.randint(0, 50) for _ in range(rng.randint(0, 8)))]
        indexed = _Spans(spans)
        for start in range(0, 60):
            for end in range(start + 1, start + 6):
                assert _in(indexed, start, end) == _in(spans, start, end)


def test_a_number_looks_only_at_its_own_sentences_entities(nlp, monkeypatch):
    """The entities of a number's sentence are found by bisection: no scan of every entity of the
    text for every number ("12,345 " repeated: 200 KB took 326 s)."""
    from newsledger.extract import figures as F
    doc = nlp("In Paris, 12,345 people came. " * 40)
    looked = []
    real = F._ByPosition.ents_in

    def ents_in(self, sent):
        out = real(self, sent)
        looked.append(len(out))
        return out
    monkeypatch.setattr(F._ByPosition, "ents_in", ents_in)
    figs = F.extract_figures(doc)
    assert len(figs) == 40 and all(f.location == "Paris" for f in figs)
    assert looked and max(looked) <= 3  # the sentence's own (Paris, 12,345), not the text's 80


def test_the_counted_noun_is_looked_for_as_far_as_it_is_set_to(nlp):
    """`counted_noun_reach` (FigureSettings): "buses", three tokens after 12, is what it counts by
    default and not within two."""
    doc = nlp("The city council approved 12 new electric buses on Monday.")
    default, = extract_figures(doc)
    near, = extract_figures(doc, counted_noun_reach=2)
    assert "buses" in default.quantity
    assert not near.quantity or "buses" not in near.quantity
    assert (near.span, near.value) == (default.span, default.value)


def test_a_figures_place_comes_from_the_labels_asked_for(nlp):
    """`place_labels` (FigureSettings): without GPE, Oregon gives no figure its place."""
    doc = nlp("Oregon will spend $4 million on new ferries.")
    default, = extract_figures(doc)
    placeless, = extract_figures(doc, place_labels=("LOC",))
    assert default.location == "Oregon"
    assert placeless.location is None
