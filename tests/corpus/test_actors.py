"""corpus/actors.py on its own: reading names, what an article ties, and which actor a name joins."""
import pytest

from newsledger.corpus.actors import (AMBIGUOUS, ALIAS, FULL, NAME, PLACEHOLDER, SINGLE, SURNAME, TIED, USER,
                                      Candidate, EntityIn, canonical, decide_full, decide_single, display_form,
                                      is_acronym_of, parse, plan_article)


# ---------------------------------------------------------------- names

@pytest.mark.parametrize("name, type, display, key", [
    ("Donald J. Trump", "PERSON", "Donald J. Trump", "donald trump"),
    ("Donald  Trump", "PERSON", "Donald Trump", "donald trump"),  # a no-break space
    ("DONALD TRUMP", "PERSON", "DONALD TRUMP", "donald trump"),
    ("Donald Trump\u2018s", "PERSON", "Donald Trump", "donald trump"),  # a left quote typed for the apostrophe
    ("Sen. Marco Rubio\u2019s", "PERSON", "Marco Rubio", "marco rubio"),
    ("Billionaire Donald Trump", "PERSON", "Donald Trump", "donald trump"),
    ("Presidential candidate Marco Rubio", "PERSON", "Marco Rubio", "marco rubio"),
    ("President Obama", "PERSON", "Obama", "obama"),
    ("Felipe Calder\u00f3n", "PERSON", "Felipe Calder\u00f3n", "felipe calderon"),
    ("Martin O\u2019Malley", "PERSON", "Martin O\u2019Malley", "martin omalley"),
    ("Hank Williams Jr.", "PERSON", "Hank Williams Jr.", "hank williams jr"),
    ("J.K. Rowling", "PERSON", "J.K. Rowling", "j k rowling"),
    ("J. K. Rowling", "PERSON", "J. K. Rowling", "j k rowling"),
    ("Pacific Gas & Electric Co.", "ORG", "Pacific Gas & Electric Co.", "pacific gas and electric"),
    ("Pacific Gas and Electric Company", "ORG", "Pacific Gas and Electric Company", "pacific gas and electric"),
    ("Apple Inc.", "ORG", "Apple Inc.", "apple"),
    ("Goldman Sachs & Co.", "ORG", "Goldman Sachs & Co.", "goldman sachs"),
    ("The New York Times", "ORG", "The New York Times", "new york times"),
    ("a Republican Party", "ORG", "Republican Party", "republican party"),
    ("General Motors", "ORG", "General Motors", "general motors"),  # an organization's "General" is its own
    ("PG&E", "ORG", "PG&E", "pge"),
])
def test_a_name_reads_into_its_display_form_and_key(name, type, display, key):
    parsed = parse(name, type)
    assert (parsed.display, parsed.key) == (display, key)


def test_middle_initials_leave_the_key_and_stay_in_the_full_key():
    w, hw, dotted = parse("George W. Bush", "PERSON"), parse("George H. W. Bush", "PERSON"), parse("George H.W. Bush", "PERSON")
    assert w.key == hw.key == "george bush"
    assert (w.full_key, hw.full_key, dotted.full_key) == ("george w bush", "george h w bush", "george h w bush")
    assert parse("Donald J. Trump", "PERSON").initials == ("j",) and parse("Donald Trump", "PERSON").initials == ()


def test_what_names_an_actor():
    assert parse("Donald Trump", "PERSON").actor and parse("CNN", "ORG").actor
    for name, type in [("he", "PERSON"), ("They", "PERSON"), ("the company", "ORG"), ("state", "ORG"),
                       ("Russia", "GPE"), ("Democrats", "NORP"), ("...", "PERSON"),
                       ("Clinton Email Story Has Moved On From Her Server To Everything Else", "PERSON")]:
        assert not parse(name, type).actor, name


def test_a_person_named_like_an_organization_is_read_as_one():
    assert parse("Obama White House", "PERSON").type == "ORG"
    assert parse("Trump Campaign", "PERSON").type == "ORG"
    assert parse("Barack Obama", "PERSON").type == "PERSON"


def test_surnames_and_one_word_names():
    assert parse("Donald J. Trump", "PERSON").surname == "trump"
    assert parse("Martin Luther King Jr.", "PERSON").surname == "king"
    assert parse("Trump", "PERSON").single and parse("Trump", "PERSON").surname is None
    assert not parse("Apple Inc.", "ORG").single  # two words, though its key is one


def test_acronyms_of_organizations():
    org = lambda n: parse(n, "ORG")  # noqa: E731
    assert is_acronym_of(org("PG&E"), org("Pacific Gas & Electric Co."))
    assert is_acronym_of(org("NASA"), org("National Aeronautics and Space Administration"))
    assert is_acronym_of(org("FBI"), org("Federal Bureau of Investigation"))
    assert is_acronym_of(org("RNC"), org("Republican National Committee"))
    assert not is_acronym_of(org("CNN"), org("Fox News"))
    assert not is_acronym_of(org("Apple"), org("Apple Inc."))  # a word, not an acronym
    assert not is_acronym_of(parse("AP", "ORG"), parse("Alison Parker", "PERSON"))  # a person's initials are no acronym


def test_display_form_keeps_a_name_capitalized_article():
    assert display_form("The Hill", "ORG") == "The Hill"
    assert display_form("“Donald Trump”", "PERSON") == "Donald Trump"


# ---------------------------------------------------------------- what an article ties

def plans(*entities):
    return {p.ref: p for p in plan_article([EntityIn(i, *e) for i, e in enumerate(entities, 1)])}


def forms(plan):
    return {f.text: (f.names, f.mentions, f.tied) for f in plan.forms}


def test_a_surname_and_a_first_name_tie_to_the_full_name():
    p = plans(("Donald Trump", "PERSON", ["Donald Trump", "Trump", "he", "TRUMP", "the billionaire", "Donald"]))[1]
    assert forms(p) == {"Donald Trump": (1, 1, 0), "Trump": (0, 1, 1), "TRUMP": (0, 1, 1), "Donald": (0, 1, 1)}
    assert p.mentions == 4 and p.tie is None


def test_a_surname_two_people_of_the_article_share_ties_to_neither():
    """The tagger gave Melania Trump the article's "Trump"; Donald Trump is in it too: no evidence."""
    p = plans(("Melania Trump", "PERSON", ["Melania Trump", "Trump", "Mrs. Trump"]),
              ("Donald Trump", "PERSON", ["Donald Trump", "Trump"]),
              ("Trump", "ORG", ["Trump"]))
    assert forms(p[1])["Trump"] == (0, 2, 0) and forms(p[2])["Trump"] == (0, 1, 0)
    assert p[3].tie is None  # two people could own it


def test_an_entity_the_tagger_split_off_ties_to_the_one_full_name():
    p = plans(("Donald Trump", "PERSON", ["Donald Trump"]), ("Trump", "ORG", ["Trump", "Trump"]),
              ("Pacific Gas & Electric Co.", "ORG", ["Pacific Gas & Electric Co."]), ("PG&E", "ORG", ["PG&E"]),
              ("White House", "ORG", ["White House"]))
    assert p[2].tie == 1 and forms(p[2]) == {"Trump": (1, 2, 1)}
    assert p[4].tie == 3
    assert p[5].tie is None  # a person's name holds no organization


def test_ties_follow_to_the_fullest_name():
    p = plans(("Hillary Rodham Clinton", "PERSON", ["Hillary Rodham Clinton"]),
              ("Hillary Clinton", "PERSON", ["Hillary Clinton"]), ("Hillary", "PERSON", ["Hillary"]))
    assert p[2].tie == 1 and p[3].tie == 1


def test_an_organization_ties_its_acronym_not_its_words():
    p = plans(("Pacific Gas & Electric Co.", "ORG", ["Pacific Gas & Electric Co.", "it", "PG&E", "Pacific"]),
              ("Obama White House", "PERSON", ["Obama White House", "Obama"]))
    assert forms(p[1])["PG&E"] == (0, 1, 1) and forms(p[1])["Pacific"] == (0, 1, 0)
    assert forms(p[2])["Obama"] == (0, 1, 0)  # read as an organization: "Obama" is no alias of it


def test_pronouns_and_descriptions_are_no_actor_and_no_form():
    p = plans(("he", "PERSON", ["he"]), ("Ana Ruiz", "PERSON", ["Ana Ruiz", "She", "The mayor", "a spokesman"]))
    assert set(p) == {2} and forms(p[2]) == {"Ana Ruiz": (1, 1, 0)}


def test_a_one_word_entity_ties_nothing_of_its_own():
    p = plans(("Trump", "PERSON", ["Trump", "TRUMP"]))[1]
    assert all(f.tied == 0 for f in p.forms)


# ---------------------------------------------------------------- which actor

DONALD = Candidate(1, "Donald Trump", FULL, "donald trump")
MELANIA = Candidate(2, "Melania Trump", FULL, "melania trump")
HILLARY = Candidate(3, "Hillary Clinton", FULL, "hillary clinton")
BILL = Candidate(4, "Bill Clinton", FULL, "bill clinton")


def test_one_word_names_the_user_first_then_the_same_key_then_aliases_then_the_surname():
    assert decide_single(True, [BILL], [], [HILLARY], []) == (BILL.actor, USER, False, None)
    apple = Candidate(9, "Apple Inc.", FULL, "apple")
    assert decide_single(False, [], [apple], [], []).link == NAME
    assert decide_single(True, [], [], [DONALD], [DONALD, MELANIA]) == (DONALD.actor, ALIAS, False, None)
    assert decide_single(True, [], [], [], [DONALD]) == (DONALD.actor, SURNAME, False, None)


def test_a_surname_two_people_own_stays_apart_and_ambiguous():
    assert decide_single(True, [], [], [HILLARY, BILL], []) == (None, AMBIGUOUS, True, None)
    assert decide_single(True, [], [], [], [DONALD, MELANIA]) == (None, AMBIGUOUS, True, None)
    # the surname rule is a person's: a one-word organization stays on its own
    assert decide_single(False, [], [], [], [DONALD]) == (None, SINGLE, False, None)
    assert decide_single(True, [], [], [], []) == (None, SINGLE, False, None)
    placeholder = Candidate(7, "Trump", PLACEHOLDER, "trump")
    assert decide_single(True, [], [], [], [placeholder]).link == SINGLE


def test_a_name_that_holds_another_whole_is_the_same_person():
    noisy = Candidate(5, "Year Barack Obama", FULL, "year barack obama")
    obama = Candidate(6, "Barack Obama", FULL, "barack obama")
    assert decide_single(True, [], [], [noisy, obama], []) == (6, ALIAS, False, None)
    gfk = Candidate(7, "Associated Press-GfK", FULL, "associated press-gfk")
    ap = Candidate(8, "Associated Press", FULL, "associated press")
    assert decide_single(False, [], [], [gfk, ap], []).actor == 8


def test_full_names_match_by_key_alias_or_the_article_and_never_two_into_one():
    trump = parse("Donald J. Trump", "PERSON")
    assert decide_full(trump, [], [DONALD], [], []) == (DONALD.actor, NAME, False, None)
    assert decide_full(parse("Bill Clinton", "PERSON"), [], [], [], []).create == "bill clinton"
    rodham = parse("Hillary Rodham Clinton", "PERSON")
    assert decide_full(rodham, [], [], [], [HILLARY]) == (HILLARY.actor, TIED, False, None)
    assert decide_full(rodham, [], [], [HILLARY], []).link == ALIAS
    assert decide_full(rodham, [BILL], [], [], []).link == USER
    # two actors the article ties it to: neither, a new one
    assert decide_full(rodham, [], [], [], [HILLARY, BILL]).create == "hillary rodham clinton"


def test_other_middle_initials_are_another_person():
    w = Candidate(10, "George W. Bush", FULL, "george bush")
    hw = parse("George H. W. Bush", "PERSON")
    assert decide_full(hw, [], [w], [], []) == (None, NAME, False, "george h w bush")
    assert decide_full(parse("George Bush", "PERSON"), [], [w], [], []).actor == 10
    assert decide_full(parse("George W. Bush", "PERSON"), [], [w], [], []).actor == 10


def test_the_canonical_name_is_the_fullest_of_its_own_forms():
    own = [("Donald Trump", "donald trump", 76, 192), ("Donald J. Trump", "donald trump", 3, 3),
           ("Trump", "trump", 5, 447), ("DONALD TRUMP", "donald trump", 90, 0)]
    assert canonical(own, "donald trump") == "Donald Trump"
    # a headline's run-on tied to the name never names it while one of its own does
    assert canonical([("Glenn Beck", "glenn beck", 3, 3), ("Glenn Beck Blasts Drudge", "glenn beck blasts drudge", 1, 1)],
                     "glenn beck") == "Glenn Beck"
    assert canonical([("Pacific Gas & Electric Co.", "pacific gas and electric", 1, 1), ("PG&E", "pge", 4, 9)],
                     "pacific gas and electric") == "Pacific Gas & Electric Co."
    assert canonical([("Clinton", "clinton", 2, 2)], "clinton") == "Clinton"
    assert canonical([], "x") is None


def test_a_run_on_of_the_tagger_ties_nothing_and_takes_no_real_name():
    """A headline's "Marco Rubio Donor" beside the real "Marco Rubio": the real name stays itself."""
    p = plans(("Marco Rubio Donor", "PERSON", ["Marco Rubio Donor", "Rubio"]), ("Marco Rubio", "PERSON", ["Marco Rubio", "Rubio"]),
              ("Year Barack Obama", "PERSON", ["Year Barack Obama", "Obama"]), ("Barack Obama", "PERSON", ["Barack Obama"]))
    assert p[2].tie is None and p[4].tie is None
    assert forms(p[1])["Rubio"][2] == 0 and forms(p[3])["Obama"][2] == 0  # a word from inside a run-on is no alias
    assert forms(p[2])["Rubio"][2] == 1
