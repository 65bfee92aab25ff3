"""spaCy components, registered by factory name, for spaCy users and for our own pipeline.

    import spacy, newsledger.components
    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("newsledger_paragraphs", before="parser")   # optional: a line break ends a sentence
    nlp.add_pipe("newsledger_entities")
    nlp.add_pipe("newsledger_attributions", config={"scheme": "polnear"})   # optional settings
    nlp.add_pipe("newsledger_dates")
    nlp.add_pipe("newsledger_figures")
    doc = nlp(text)                            # or nlp(doc), a Doc whose doc._.published is set
    doc._.entities, doc._.attributions        # lists of newsledger.ledger records

One component per extractor of the registry (extractors.EXTRACTORS), the same the pipeline runs:
the same records, in the same ledger. Each one's config is its settings object (extractors.py), its
defaults the component's `default_config`; it assigns `doc._.<name>` and reads what earlier ones
assigned (attributions link their sources to `doc._.entities`, figures read `doc._.dates` and
link to `doc._.attributions`; dates are resolved against `doc._.published`).
"""
from __future__ import annotations

import dataclasses
import inspect

from spacy.language import Language
from spacy.tokens import Doc

from .extractors import EXTRACTORS, Extractor, ParagraphSettings
from .text import marks

for _name in [ex.name for ex in EXTRACTORS] + ["published"]:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def paragraph_sentences(doc: Doc, max_sentence_tokens: int = ParagraphSettings.max_sentence_tokens) -> Doc:
    """A token after a line break starts a sentence: headlines, datelines and paragraphs never run
    into each other, which the parser alone often lets happen. Must run before the parser.

    A run of more than MAX_SENTENCE_TOKENS tokens with no line break and no sentence-ending
    punctuation (" he said he said ...", "12,345 12,345 ...") is cut into sentences of that many
    tokens (`max_sentence_tokens`): every extractor walks the parse within a sentence, which must stay bounded for the
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
            if run >= max_sentence_tokens and not tok.is_space:
                tok.is_sent_start = True
                run = 0
                cuts += 1
    if cuts:
        doc.user_data[LONG_RUNS_KEY] = cuts
    return doc


# Far beyond any sentence of prose: in PolNeAR (1,050 articles) one run reaches about 200 tokens,
# the next longest under 100.
MAX_SENTENCE_TOKENS = ParagraphSettings.max_sentence_tokens
SENTENCE_ENDS = {".", "!", "?", "…"}
LONG_RUNS_KEY = "newsledger.long_runs_cut"
DATELINE_DASHES = marks.DASH_TOKENS


def _factory(settings_class: type, make_component):
    """A spaCy factory whose config is a settings object's fields, with their defaults."""
    def make(nlp: Language, name: str, **config):
        return make_component(settings_class(**config))
    fields = dataclasses.fields(settings_class)
    make.__signature__ = inspect.Signature(
        [inspect.Parameter("nlp", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Language),
         inspect.Parameter("name", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str)]
        + [inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default) for f in fields])
    return make, {f.name: f.default for f in fields}


def _paragraphs(settings: ParagraphSettings):
    def component(doc: Doc) -> Doc:
        return paragraph_sentences(doc, settings.max_sentence_tokens)
    return component


def _extractor(ex: Extractor):
    def make_component(settings):
        def component(doc: Doc) -> Doc:
            found = {name: getattr(doc._, name) for name in ex.needs + ex.inputs}
            setattr(doc._, ex.name, ex.run(doc, settings, found))
            return doc
        return component
    return make_component


_make, _defaults = _factory(ParagraphSettings, _paragraphs)
Language.factory("newsledger_paragraphs", default_config=_defaults, func=_make)
for _ex in EXTRACTORS:
    _make, _defaults = _factory(_ex.settings, _extractor(_ex))
    Language.factory(_ex.factory, default_config=_defaults, assigns=_ex.assigns, requires=_ex.requires, func=_make)
