"""The spaCy components: factories registered by name, results as Doc extensions."""
import pytest
import spacy

import newsledger.components  # noqa: F401 - registers the factories
from newsledger import nlp as nlp_loader
from newsledger.ledger import Attribution, Entity

STORY = (
    "Port Authority Faces Questions Over Ferry Delays\n\n"
    "Maria Lopez, the port director, said on Monday that the new ferries would arrive in March.\n"
    "“We have waited long enough,” she told reporters."
)


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.load(nlp_loader.model_name())
    pipeline.add_pipe("newsledger_paragraphs", before="parser")
    pipeline.add_pipe("newsledger_entities")
    pipeline.add_pipe("newsledger_attributions")
    return pipeline


def test_components_fill_doc_extensions(nlp):
    doc = nlp(STORY)
    assert all(isinstance(e, Entity) for e in doc._.entities)
    assert all(isinstance(a, Attribution) for a in doc._.attributions)
    lopez = next(e for e in doc._.entities if e.name == "Maria Lopez")
    # "she" in the last paragraph is one of her mentions
    she = STORY.index("she told")
    assert (she, she + 3) in [tuple(m) for m in lopez.mentions]
    cues = {STORY[a.cue.span[0]:a.cue.span[1]] for a in doc._.attributions if a.cue}
    assert {"said", "told"} <= cues


def test_paragraph_component_starts_a_sentence_after_a_line_break(nlp):
    doc = nlp(STORY)
    starts = {s.start_char for s in doc.sents}
    assert STORY.index("Maria Lopez") in starts
    assert STORY.index("“We have") in starts


def test_loader_puts_the_paragraph_component_before_the_parser():
    names = nlp_loader.load().pipe_names
    assert names.index("newsledger_paragraphs") < names.index("parser")


def test_a_dateline_is_not_part_of_the_first_sentence(nlp):
    text = "LYON, France (Wire) — The regional council approved the tram line on Tuesday, officials said."
    doc = nlp(text)
    assert text.index("The regional") in {s.start_char for s in doc.sents}
    said = next(a for a in doc._.attributions if a.cue and text[a.cue.span[0]:a.cue.span[1]] == "said")
    s, e = said.content[0]
    assert text[s:e].startswith("The regional council approved")
    assert "LYON" not in "".join(text[a:b] for a, b in said.content)


def test_a_mid_paragraph_dash_does_not_split_a_sentence(nlp):
    text = "The mayor praised the crews — some of them volunteers — for their work through the night."
    doc = nlp(text)
    assert len(list(doc.sents)) == 1
