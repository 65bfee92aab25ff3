"""One registry of extractors (extractors.py), two ways to run it: the pipeline's analysis and the
spaCy components. On the examples both give the same ledger, record for record."""
import dataclasses
import inspect
import json

import pytest
import spacy

from conftest import EXAMPLES
from newsledger import nlp as nlp_loader
from newsledger.components import MAX_SENTENCE_TOKENS
from newsledger.extract.entities import extract_entities
from newsledger.extract.figures import extract_figures
from newsledger.extract.times import extract_times
from newsledger.extractors import (BY_NAME, EXTRACTORS, AttributionSettings, DateSettings, EntitySettings,
                                   FigureSettings, ParagraphSettings)
from newsledger.ingest import prepare, read_inputs
from newsledger.ledger import Article, ErrorRecord, Ledger
from newsledger.pipeline import _ledger, analyze_articles


@pytest.fixture(scope="module")
def components_nlp():
    nlp = spacy.load(nlp_loader.model_name())
    nlp.add_pipe("newsledger_paragraphs", before="parser")
    for ex in EXTRACTORS:
        nlp.add_pipe(ex.factory)
    return nlp


def test_each_extractor_is_a_component_configured_by_its_settings(components_nlp):
    assert [ex.name for ex in EXTRACTORS] == ["entities", "attributions", "dates", "figures"]
    assert set(Ledger.model_fields) >= {ex.name for ex in EXTRACTORS}
    for ex in EXTRACTORS:
        meta = components_nlp.get_factory_meta(ex.factory)
        assert meta.default_config == dataclasses.asdict(ex.settings())
        assert list(meta.assigns) == [f"doc._.{ex.name}"]
        assert ex.settings.__doc__ and dataclasses.is_dataclass(ex.settings)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(ex.settings(), "x", 1)
    assert components_nlp.get_pipe_config("newsledger_attributions") == {
        "factory": "newsledger_attributions", **dataclasses.asdict(AttributionSettings())}
    assert MAX_SENTENCE_TOKENS == ParagraphSettings().max_sentence_tokens
    assert components_nlp.get_pipe_config("newsledger_paragraphs")["max_sentence_tokens"] == MAX_SENTENCE_TOKENS
    with pytest.raises(ValueError):
        AttributionSettings(scheme="neither")


def test_the_components_give_the_pipelines_ledger_on_the_examples(components_nlp):
    articles = [a for a in read_inputs(str(EXAMPLES)) if not isinstance(a, ErrorRecord)]
    assert len(articles) >= 6
    compared = 0
    for article, ledger in zip(articles, analyze_articles(articles, nlp=nlp_loader.load())):
        assert isinstance(ledger, Ledger), ledger
        prepared = prepare(article)
        doc = components_nlp.make_doc(prepared.text)
        doc._.published = prepared.article.published
        doc = components_nlp(doc)
        records = {ex.name: getattr(doc._, ex.name) for ex in EXTRACTORS}
        by_components = _ledger(prepared.article, prepared.text, prepared.article.language or "en",
                                prepared.warnings, **records)
        assert by_components.to_json_dict() == ledger.to_json_dict(), article.id
        compared += bool(ledger.attributions and ledger.figures and ledger.dates and ledger.entities)
    assert compared >= 3


# An article with people, organizations and places, relative dates and figures with a place.
STORY = ("Port Alder Buys Electric Buses\n\n"
         "The city council approved 12 new electric buses for Port Alder yesterday, Mayor Dana Whitfield said.\n"
         "She said the Harbor Transit Authority would pay $4 million for them, and that the first would run "
         "in Oregon next month.")
PUBLISHED = "2024-03-14"
# One field of each extractor set off its default, as a spaCy config gives it (lists) and as
# Python does (settings objects).
OFF_DEFAULT_CONFIG = {"entities": {"labels": ["PERSON"]}, "dates": {"resolve_relative": False},
                      "figures": {"place_labels": []}}
OFF_DEFAULT = {"entities": EntitySettings(labels=("PERSON",)), "dates": DateSettings(resolve_relative=False),
               "figures": FigureSettings(place_labels=())}


def test_the_extract_functions_default_to_their_settings(components_nlp):
    """The defaults are in one place: each settings field is the extract function's keyword of
    the same name, with the same default, and the component's default_config."""
    functions = {"entities": extract_entities, "dates": extract_times, "figures": extract_figures}
    for name, function in functions.items():
        settings = BY_NAME[name].settings()
        parameters = inspect.signature(function).parameters
        assert dataclasses.fields(settings), name
        for field in dataclasses.fields(settings):
            assert parameters[field.name].default == getattr(settings, field.name), (name, field.name)
        assert components_nlp.get_factory_meta(BY_NAME[name].factory).default_config == dataclasses.asdict(settings)


def test_settings_read_back_from_a_spacy_config_are_the_same():
    """A config saved and loaded gives lists: they are read as the tuples the defaults are."""
    for ex in EXTRACTORS:
        through_json = json.loads(json.dumps(dataclasses.asdict(ex.settings())))
        assert ex.settings(**through_json) == ex.settings(), ex.name
    assert EntitySettings(labels=["PERSON", "ORG"]) == EntitySettings(labels=("PERSON", "ORG"))
    with pytest.raises(ValueError):
        EntitySettings(labels="PERSON")
    with pytest.raises(ValueError):
        DateSettings(quarter_reach=-1)


def test_a_setting_off_its_default_changes_the_ledger_the_same_way_on_both_paths():
    article = Article(id="buses", text=STORY, published=PUBLISHED)
    prepared = prepare(article)
    nlp = nlp_loader.load()
    default, = analyze_articles([article], nlp=nlp)
    changed, = analyze_articles([article], nlp=nlp, settings=OFF_DEFAULT)
    text = changed.text

    # entities: only people, the same people
    assert {e.type for e in default.entities} > {"PERSON"}
    assert {e.type for e in changed.entities} == {"PERSON"}
    assert [(e.name, e.mentions) for e in changed.entities] == \
        [(e.name, e.mentions) for e in default.entities if e.type == "PERSON"]
    # dates: the same expressions, none resolved against the publication date
    assert [d.span for d in changed.dates] == [d.span for d in default.dates]
    assert default.dates and not any("X" in d.value for d in default.dates)
    assert all("X" in d.value for d in changed.dates), [(text[d.span[0]:d.span[1]], d.value) for d in changed.dates]
    # figures: the same figures, none with a place
    assert [(f.span, f.value, f.quantity) for f in changed.figures] == \
        [(f.span, f.value, f.quantity) for f in default.figures]
    assert any(f.location for f in default.figures) and not any(f.location for f in changed.figures)

    # the same settings as components' config give the same ledger
    components = spacy.load(nlp_loader.model_name())
    components.add_pipe("newsledger_paragraphs", before="parser")
    for ex in EXTRACTORS:
        components.add_pipe(ex.factory, config=OFF_DEFAULT_CONFIG.get(ex.name, {}))
    doc = components.make_doc(prepared.text)
    doc._.published = prepared.article.published
    doc = components(doc)
    by_components = _ledger(prepared.article, prepared.text, prepared.article.language or "en",
                            prepared.warnings, **{ex.name: getattr(doc._, ex.name) for ex in EXTRACTORS})
    assert by_components.to_json_dict() == changed.to_json_dict()


def test_settings_for_no_extractor_or_of_the_wrong_kind_are_refused():
    with pytest.raises(ValueError, match="places"):
        list(analyze_articles([], settings={"places": EntitySettings()}))
    with pytest.raises(ValueError, match="DateSettings"):
        list(analyze_articles([], settings={"dates": FigureSettings()}))
    with pytest.raises(ValueError, match="disagree"):
        list(analyze_articles([], scheme="polnear", settings={"attributions": AttributionSettings()}))


def test_a_higher_claims_threshold_keeps_fewer_claims_each_of_them_kept_before():
    text = ("The union said on Twitter that the new contract has confused its members, and demanded an "
            "extension. Officials are debating whether the plan is feasible. The mayor hopes the talks will "
            "end soon, aides said. Critics have long accused the company of ignoring safety rules.")
    nlp = nlp_loader.load()
    by_threshold = []
    for threshold in (0.0, AttributionSettings().claims_threshold, 0.99):
        ledger, = analyze_articles([Article(id="union", text=text)], nlp=nlp,
                                   settings={"attributions": AttributionSettings(claims_threshold=threshold)})
        by_threshold.append({a.cue.span for a in ledger.attributions if a.cue})
    low, default, high = by_threshold
    assert high < default < low
