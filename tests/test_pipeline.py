"""The assembly: articles in order, each failure its own, sources linked to entities."""
import pytest

import newsledger.pipeline as pipeline
from newsledger import analyze, analyze_articles
from newsledger.ingest import InputError
from newsledger.ledger import Article, Attribution, Entity, ErrorRecord, Ledger, Source


def test_one_failing_article_does_not_stop_the_batch(monkeypatch):
    real = pipeline.extract_attributions

    def flaky(doc, readings=None, scheme="claims"):
        if "explode" in doc.text:
            raise RuntimeError("extractor failed on this one")
        return real(doc, readings, scheme)

    monkeypatch.setattr(pipeline, "extract_attributions", flaky)
    items = [Article(id="a", text="The mayor said the bridge would reopen."),
             Article(id="b", text="This one will explode the extractor, officials said."),
             Article(id="c", text="Police said the road was closed.")]
    out = list(analyze_articles(items, batch_size=8))
    assert [r.id for r in out] == ["a", "b", "c"]
    assert isinstance(out[1], ErrorRecord) and out[1].error.type == "RuntimeError"
    assert "extractor failed" in out[1].error.message
    assert isinstance(out[0], Ledger) and out[0].attributions
    assert isinstance(out[2], Ledger) and out[2].attributions


def test_input_errors_pass_through_in_place():
    items = [Article(id="a", text="Officials said the dam held."), Article(id="empty", text="   \n"),
             Article(id="c", text="The minister said talks would resume.")]
    out = list(analyze_articles(items))
    assert [r.id for r in out] == ["a", "empty", "c"]
    assert isinstance(out[1], ErrorRecord) and out[1].error.type == "EmptyText"


def test_analyze_raises_input_error_with_its_kind():
    with pytest.raises(InputError) as info:
        analyze("")
    assert info.value.kind == "EmptyText"


def test_link_sources_prefers_the_mention_inside_the_source_span():
    text = "Senator Ana Ruiz of Ohio said so."
    ruiz = Entity(id="E1", name="Ana Ruiz", type="PERSON", mentions=[(8, 16)])
    ohio = Entity(id="E2", name="Ohio", type="GPE", mentions=[(20, 24)])
    att = Attribution(kind="indirect", content=[(30, 32)], source=Source(span=(0, 24)))
    pipeline.link_sources([att], [ruiz, ohio], text)
    assert att.source.entity == "E1" and att.source.name == "Ana Ruiz"


def test_unlinked_source_keeps_its_text_as_name():
    text = "A source close to the talks said so."
    att = Attribution(kind="indirect", content=[(32, 34)], source=Source(span=(0, 27)))
    pipeline.link_sources([att], [], text)
    assert att.source.entity is None and att.source.name == "A source close to the talks"


def test_ledger_offsets_point_into_the_untouched_text():
    text = "Lead line\r\n\r\n“We will rebuild,” the mayor said.\r\n"
    ledger = analyze(text, published="2024-05-01")
    assert ledger.text == text
    att = ledger.attributions[0]
    s, e = att.content[0]
    assert "We will rebuild" in text[s:e]
    assert text[att.cue.span[0]:att.cue.span[1]] == "said"


def test_a_source_links_only_through_its_head_word():
    text = "The French leader insisted on it. Hillary Clinton's campaign manager Robby Mook said so."
    french = Entity(id="E1", name="French", type="NORP", mentions=[(4, 10)])
    clinton = Entity(id="E2", name="Hillary Clinton", type="PERSON", mentions=[(34, 49)])
    mook = Entity(id="E3", name="Robby Mook", type="PERSON", mentions=[(69, 79)])
    leader = Attribution(kind="indirect", content=[(27, 32)], source=Source(span=(0, 17)))
    manager = Attribution(kind="indirect", content=[(85, 87)], source=Source(span=(34, 79)))
    heads = {(0, 17): (11, 17), (34, 79): (75, 79)}  # "leader", "Mook"
    pipeline.link_sources([leader, manager], [french, clinton, mook], text, lambda s, e: heads[(s, e)])
    assert leader.source.entity is None and leader.source.name == "The French leader"
    assert manager.source.entity == "E3"


def test_ledger_links_a_possessive_office_to_its_person():
    ledger = analyze("Emmanuel Macron met the envoys. Macron's office said talks would resume on Monday.")
    att = next(a for a in ledger.attributions if ledger.text[a.cue.span[0]:a.cue.span[1]] == "said")
    assert att.source.name == "Emmanuel Macron"


def test_a_skipped_html_article_keeps_the_metadata_read_from_its_page():
    body = ("<p>Le conseil municipal a adopté mardi soir un budget de 412 millions d'euros après une "
            "longue séance marquée par des échanges vifs sur les heures d'ouverture des bibliothèques "
            "et les effectifs de la police municipale, a indiqué la maire dans un communiqué.</p>") * 3
    html = ("<html><head><title>Budget adopté à Lyon</title>"
            "<link rel='canonical' href='https://example.org/fr/budget'></head>"
            f"<body><article><h1>Budget adopté à Lyon</h1>{body}</article></body></html>")
    (ledger,) = list(analyze_articles([Article(id="fr", html=html)]))
    assert ledger.language == "fr" and ledger.attributions == []
    assert ledger.url == "https://example.org/fr/budget"
    assert ledger.title == "Budget adopté à Lyon"


def test_a_prepared_article_is_analyzed_as_its_article_and_keeps_its_id_on_failure(monkeypatch):
    from newsledger.ingest import prepare

    article = Article(id="p", text="The mayor said on Tuesday that 3 bridges would reopen.", published="2024-03-14")
    (direct,) = analyze_articles([article])
    (from_prepared,) = analyze_articles([prepare(article)])
    assert from_prepared.to_json_dict() == direct.to_json_dict()

    def broken(doc, readings=None, scheme="claims"):
        raise RuntimeError("extractor failed")

    monkeypatch.setattr(pipeline, "extract_attributions", broken)
    (failed,) = analyze_articles([prepare(article)])
    assert isinstance(failed, ErrorRecord) and failed.id == "p" and failed.error.type == "RuntimeError"
