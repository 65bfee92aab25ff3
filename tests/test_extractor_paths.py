"""One registry of extractors (extractors.py), two ways to run it: the pipeline's analysis and the
spaCy components. On the examples both give the same ledger, record for record."""
import dataclasses

import pytest
import spacy

from conftest import EXAMPLES
from newsledger import nlp as nlp_loader
from newsledger.components import MAX_SENTENCE_TOKENS
from newsledger.extractors import EXTRACTORS, AttributionSettings, ParagraphSettings
from newsledger.ingest import prepare, read_inputs
from newsledger.ledger import ErrorRecord, Ledger
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
