"""spaCy components, registered by factory name, for spaCy users and for our own pipeline.

    import spacy, newsledger.components
    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("newsledger_paragraphs", before="parser")   # optional: a line break ends a sentence
    nlp.add_pipe("newsledger_entities")
    nlp.add_pipe("newsledger_attributions")
    doc = nlp(text)
    doc._.entities, doc._.attributions        # lists of newsledger.ledger records

Each component only calls the pure extractor of its module in `newsledger.extract`.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .text import marks

from .extract.attributions import extract_attributions
from .extract.entities import extract_entities

for _name in ("entities", "attributions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.component("newsledger_paragraphs")
def paragraph_sentences(doc: Doc) -> Doc:
    """A token after a line break starts a sentence: headlines, datelines and paragraphs never run
    into each other, which the parser alone often lets happen. Must run before the parser.

    A run of more than MAX_SENTENCE_TOKENS tokens with no line break and no sentence-ending
    punctuation (" he said he said ...", "12,345 12,345 ...") is cut into sentences of that many
    tokens: every extractor walks the parse within a sentence, which must stay bounded for the
    analysis to stay linear in the text. How many cuts were made is left in
    `doc.user_data[LONG_RUNS_KEY]` (the pipeline warns of them)."""
    para_start = 0
    run = 0  # tokens since the last sentence start or sentence-ending punctuation
    cuts = 0
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if ("\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)) and not tok.is_space:
            tok.is_sent_start = True
            para_start = tok.i
            run = 0
        elif prev.text in DATELINE_DASHES and tok.i - para_start <= 12 and doc[para_start].is_upper \
                and not tok.is_space:
            # "PORT ALDER, Ore. (Wire) — The council ...": the dateline is not part of the sentence
            tok.is_sent_start = True
            run = 0
        elif prev.text[-1:] in SENTENCE_ENDS:
            run = 0
        else:
            run += 1
            if run >= MAX_SENTENCE_TOKENS and not tok.is_space:
                tok.is_sent_start = True
                run = 0
                cuts += 1
    if cuts:
        doc.user_data[LONG_RUNS_KEY] = cuts
    return doc


# Far beyond any sentence of prose: in PolNeAR (1,050 articles) one run reaches about 200 tokens,
# the next longest under 100.
MAX_SENTENCE_TOKENS = 250
SENTENCE_ENDS = {".", "!", "?", "…"}
LONG_RUNS_KEY = "newsledger.long_runs_cut"
DATELINE_DASHES = marks.DASH_TOKENS


@Language.component("newsledger_entities")
def entities_component(doc: Doc) -> Doc:
    doc._.entities = extract_entities(doc)
    return doc


@Language.component("newsledger_attributions")
def attributions_component(doc: Doc) -> Doc:
    doc._.attributions = extract_attributions(doc)
    return doc
