"""The learned decision: logistic regression fitting, serialization, features, and a tiny training run."""
import math

import pytest

from newsledger import nlp as nlp_loader
from newsledger.lab.eval.polnear import GoldAttribution
from newsledger.extract import attribution_model as am
from newsledger.extract import attributions as A
from newsledger.lab import fitting
from newsledger.lab.training import Parsed, train_attributions


def test_fit_separates_a_separable_problem():
    examples = [["w=say", "who=person"]] * 20 + [["w=eat", "who=person"]] * 20
    labels = [1] * 20 + [0] * 20
    weights, bias = fitting.fit(examples, labels, l2=0.1, iterations=200)
    model = am.AttributionModel(weights, bias, 0.5, {})
    assert model.probability(["w=say", "who=person"]) > 0.9
    assert model.probability(["w=eat", "who=person"]) < 0.1
    assert weights["w=say"] > 0 > weights["w=eat"]


def test_fit_drops_features_seen_once_and_is_deterministic():
    examples = [["a", "rare"], ["a"], ["b"], ["b"]]
    labels = [1, 1, 0, 0]
    w1, b1 = fitting.fit(examples, labels, iterations=50)
    w2, b2 = fitting.fit(examples, labels, iterations=50)
    assert "rare" not in w1
    assert w1 == w2 and b1 == b2


def test_json_round_trip_keeps_predictions():
    model = am.AttributionModel({"x": 1.25, "y": -0.5}, 0.1, 0.35, {"data": "toy"})
    again = am.AttributionModel.from_json(model.to_json())
    assert again.threshold == 0.35 and again.meta == {"data": "toy"}
    assert math.isclose(again.probability(["x", "y"]), model.probability(["x", "y"]), rel_tol=1e-6)
    assert math.isclose(model.probability([]), 1 / (1 + math.exp(-0.1)))


def test_shipped_model_loads_with_a_sane_threshold():
    model = am.shipped_model()
    assert model is not None
    assert 0.05 < model.threshold < 0.95
    assert model.meta["data"].startswith("PolNeAR")
    # the model has learned that "say" is a cue verb and "eat" is not
    assert model.weights.get("key=say|VERB", 0) > model.weights.get("key=eat|VERB", 0)


@pytest.fixture(scope="module")
def nlp():
    return nlp_loader.load()


def _parsed(nlp, text, claims):
    """claims: (source, cue, content) substrings of text, each found once."""
    gold = []
    for source, cue, content in claims:
        s, c, t = text.index(source), text.index(cue), text.index(content)
        gold.append(GoldAttribution(content=[(t, t + len(content))], source=[(s, s + len(source))],
                                    cue=[(c, c + len(cue))]))
    return Parsed(nlp(text), text, gold)


def test_features_name_the_cue_and_where_it_stands(nlp):
    text = "The mayor said that the bridge would reopen in May."
    doc = nlp(text)
    cand = next(c for c in A.find_candidates(doc) if c.head is not None and c.head.lower_ == "said")
    feats = am.features(cand, text, 0.9)
    assert "key=say|VERB" in feats
    assert "cue_at=before" in feats
    assert "first=that" in feats
    assert "lex=9" in feats


def test_training_on_a_tiny_corpus_learns_the_cue(nlp):
    stories = [
        ("The mayor said that the bridge would reopen in May. Crews ate lunch by the river.",
         [("The mayor", "said", "that the bridge would reopen in May")]),
        ("Officials said the storm had passed. The children ate cake at the fair.",
         [("Officials", "said", "the storm had passed")]),
        ("The minister said taxes would not rise. Farmers ate early and left.",
         [("The minister", "said", "taxes would not rise")]),
        ("A spokesman said the plant was safe. Visitors ate at the cafe.",
         [("A spokesman", "said", "the plant was safe")]),
    ]
    docs = [_parsed(nlp, text, claims) for text, claims in stories]
    model, table = train_attributions(docs, log=lambda _: None, iterations=100)
    assert set(table) and model.threshold in table
    assert model.meta["articles"] == 4 and model.meta["positives"] >= 4
    said = next(c for c in A.find_candidates(docs[0].doc) if c.head is not None and c.head.lower_ == "said")
    ate = next(c for c in fitting.candidates(docs[0].doc, prune=False)
               if c.head is not None and c.head.lower_ == "ate")
    lex = A.cue_lexicon()
    assert model.probability(am.features(said, docs[0].text, A.score(said, lex))) > \
        model.probability(am.features(ate, docs[0].text, A.score(ate, lex)))


def test_candidate_pruning_follows_each_lexicon_given(nlp):
    # Training alternates fold lexicons, built as fresh dicts: each prunes by its own counts.
    doc = nlp("The mayor said the bridge would reopen.")
    likely, never = {"say|VERB": [9, 10]}, {"say|VERB": [0, 100]}

    def has_said(lexicon):
        return any(c.head is not None and c.head.lower_ == "said"
                   for c in fitting.candidates(doc, lexicon=lexicon))

    for _ in range(3):
        assert has_said(dict(likely))
        assert not has_said(dict(never))


def test_context_features_name_the_speaker_the_claim_and_the_governing_verb(nlp):
    text = "The spokesman declined to say whether the senator would resign."
    doc = nlp(text)
    cand = next(c for c in fitting.candidates(doc, prune=False) if c.head is not None and c.head.lower_ == "say")
    feats = am.features(cand, text, 0.5)
    assert "gov=xcomp|decline" in feats
    assert "src_lemma=spokesman" in feats
    assert "croot_lemma=resign" in feats and "cverb=True" in feats
