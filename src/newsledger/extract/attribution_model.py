"""The learned decision for attribution candidates: a logistic regression over sparse features.

`find_candidates` proposes; this model says how likely a candidate is a correct attribution (its
cue is a cue and its content matches what an annotator marks). Weights are trained on PolNeAR's
training split by `newsledger train attributions` (fitted in `newsledger.lab`: lab/fitting.py,
lab/training.py) and shipped as data/attribution_model.json: feature name -> weight, plus the bias
and the decision threshold. Pure numpy; nothing here reads a corpus or fits.
"""
from __future__ import annotations

import functools
import json
import math
import os
from dataclasses import dataclass
from importlib import resources
from typing import Iterable, Optional, Sequence

import numpy as np

from ..text import marks

MODEL_FILE = "attribution_model.json"


def _bucket(n: int, edges: Sequence[int]) -> int:
    for i, edge in enumerate(edges):
        if n < edge:
            return i
    return len(edges)


def features(cand, text: str, lexicon_score: float, probs=None) -> list[str]:
    """Names of the features that fire for a candidate (see attributions.Candidate); with `probs`,
    the attribution tagger's readings of the Doc's tokens, those of tagger_features too."""
    head = cand.head
    f = [f"pattern={cand.pattern}", f"lex={min(int(lexicon_score * 10), 9)}"]
    f += [f"key={k}" for k in cand.keys]
    who = _speaker_class(cand.source)
    f.append(f"who={who}")
    f.append(f"inq={cand.in_quote}")
    if head is not None:
        lemma = head.lemma_.lower()
        f.append(f"dep={head.dep_}")
        f.append(f"tag={head.tag_}")
        f.append(f"lemma_who={lemma}|{who}")
        f.append(f"lemma_dep={lemma}|{head.dep_}")
        f.append(f"first_sent={cand.first_sentence}")
        kids = {c.dep_ for c in head.children}
        f.append(f"neg={'neg' in kids}")
        f.append(f"passive={'nsubjpass' in kids or 'auxpass' in kids}")
        modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in head.children)
        f.append(f"modal={modal}")
    chars = sum(e - s for s, e in cand.content)
    f.append(f"len={_bucket(chars, (15, 40, 100, 250, 600))}")
    f.append(f"pieces={min(len(cand.content), 3)}")
    quoted = sum(1 for s, e in cand.content if text[s:s + 1] in marks.DOUBLE_OPENERS or text[s:s + 2] == marks.DOUBLED_SINGLE)
    f.append(f"quoted={'none' if not quoted else ('all' if quoted == len(cand.content) else 'some')}")
    cs = cand.cue_span
    if cs is not None and cand.content:
        where = "before" if cs[1] <= cand.content[0][0] else ("after" if cs[0] >= cand.content[-1][1] else "inside")
        f.append(f"cue_at={where}")
        f.append(f"pattern_cue_at={cand.pattern}|{where}|{quoted > 0}")
    f.append(f"src_len={_bucket(len(cand.source), (1, 2, 4, 8))}")
    if cand.keeps or cand.cut:
        f.append(f"cut={cand.cut or 'none'}")
        f.append(f"cut_dep={cand.cut.split('|')[0] if cand.cut else 'none'}")
        f += [f"keeps={k.split('|')[0]}" for k in cand.keeps]
        f += [f"keeps={k}" for k in cand.keeps]
        if head is not None:
            f.append(f"lemma_cut={head.lemma_.lower()}|{cand.cut.split('|')[0] if cand.cut else 'none'}")
    f.append(f"nested={cand.nested}")
    if head is not None:
        f.append(f"deps={'+'.join(sorted({c.dep_ for c in head.children} - {'punct'}))}")
    if head is not None:
        f += _context_features(cand, head)
    if cand.content:
        s0 = cand.content[0][0]
        word = text[s0:s0 + 12].split(" ", 1)[0].lower()
        f.append(f"first={word if word in FIRST_WORDS else ('quote' if word[:1] in QUOTE_OPENERS else 'other')}")
    if probs is not None and head is not None:
        f += tagger_features(cand, head.doc, probs)
    return f


def _b(p: float) -> int:
    """A probability in tenths."""
    return min(int(p * 10), 9)


def token_table(doc):
    """Per Doc, once: token start and end offsets, and which tokens are punctuation."""
    table = doc.user_data.get(("newsledger", "token_table"))
    if table is None:
        starts = np.fromiter((t.idx for t in doc), dtype=np.int64, count=len(doc))
        ends = starts + np.fromiter((len(t) for t in doc), dtype=np.int64, count=len(doc))
        punct = np.fromiter((t.is_punct for t in doc), dtype=bool, count=len(doc))
        table = doc.user_data[("newsledger", "token_table")] = (starts, ends, punct)
    return table


def tokens_in(doc, spans) -> np.ndarray:
    """Indices of the tokens that character spans touch (as doc.char_span's "expand")."""
    starts, ends, _ = token_table(doc)
    pieces = [np.arange(np.searchsorted(ends, s, side="right"), np.searchsorted(starts, e, side="left"))
              for s, e in spans]
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)


def tagger_features(cand, doc, probs) -> list[str]:
    """What the attribution tagger (attribution_tagger.py) reads where the candidate lies: is its cue
    a cue, its content a content that starts and ends where the candidate's does, its source a
    source; does content go on past either end."""
    f = []
    cue_p = max(float(probs[t.i, 1]) for t in cand.cue) if cand.cue else 0.0
    f += [f"t_cue={_b(cue_p)}", f"t_cue_pat={cand.pattern}|{_b(cue_p)}"]
    punct = token_table(doc)[2]
    ids = tokens_in(doc, cand.content)
    if len(ids):
        inside = probs[ids, 2]
        lo, hi = int(ids.min()), int(ids.max())
        mean = float(inside.mean())
        f += [f"t_in={_b(mean)}", f"t_gap={_b(float((inside < 0.5).mean()))}",
              f"t_beg={_b(float(probs[lo, 3]))}", f"t_end={_b(float(probs[hi, 4]))}",
              f"t_cc={_b(cue_p) // 4}|{_b(mean) // 4}"]
        skip = {t.i for t in cand.cue} | {t.i for t in cand.source}
        before = [i for i in range(lo - 1, max(lo - 4, -1), -1) if i not in skip and not punct[i]]
        after = [i for i in range(hi + 1, min(hi + 4, len(doc))) if i not in skip and not punct[i]]
        f.append(f"t_spill_before={_b(float(probs[before, 2].mean())) if before else 'edge'}")
        f.append(f"t_spill_after={_b(float(probs[after, 2].mean())) if after else 'edge'}")
    fit = cand.fit
    if fit is not None:
        rank, mass_rank = min(fit.agreement_rank, 2), min(fit.mass_rank, 2)
        f += [f"v_n={min(fit.variants, 4)}", f"v_rank={rank}", f"v_mass_rank={mass_rank}",
              f"v_ranks={rank}|{mass_rank}", f"v_gap={min(int(fit.gap * 10), 5)}", f"v_fit={_b(fit.agreement)}"]
    if cand.source:
        f.append(f"t_src={_b(float(probs[[t.i for t in cand.source], 0].mean()))}")
    elif cand.head is not None:
        sent = cand.head.sent
        f.append(f"t_src_missing={_b(float(probs[sent.start:sent.end, 0].max()))}")
    return f


def _context_features(cand, head) -> list[str]:
    """Words around the decision: the speaker's head word, the content's main word, the verb the cue
    hangs from ("declined to *say*"), and whether the sentence holds a quotation or a number."""
    doc = head.doc
    lemma = head.lemma_.lower()
    f = []
    if cand.source:
        ids = {t.i for t in cand.source}
        sh = next((t for t in cand.source if t.head.i not in ids or t.head.i == t.i), cand.source[0])
        f.append(f"src_lemma={sh.lemma_.lower() if sh.pos_ != 'PROPN' else sh.ent_type_ or 'PROPN'}")
    if cand.content:
        span = doc.char_span(cand.content[0][0], cand.content[0][1], alignment_mode="expand")
        if span is not None and len(span):
            root = span.root
            f.append(f"croot={root.pos_}|{root.dep_}")
            f.append(f"croot_lemma={root.lemma_.lower() if root.pos_ in ('VERB', 'AUX', 'NOUN', 'ADJ') else root.pos_}")
            f.append(f"lemma_croot={lemma}|{root.pos_}")
            f.append(f"cverb={any(t.pos_ in ('VERB', 'AUX') for t in span)}")
    if head.dep_ in ("xcomp", "ccomp", "advcl", "conj", "relcl", "acl", "pcomp") and head.head.i != head.i:
        f.append(f"gov={head.dep_}|{head.head.lemma_.lower()}")
    f.append(f"root={head.dep_ == 'ROOT'}")
    form = head.morph.get("VerbForm") + head.morph.get("Tense")
    f.append(f"form={'|'.join(form)}")
    f.append(f"lemma_form={lemma}|{'|'.join(form)}")
    return f


FIRST_WORDS = {"that", "to", "whether", "if", "the", "a", "an", "he", "she", "they", "it", "i", "we", "there",
               "this", "his", "her", "their", "what", "how", "why", "as", "about", "for", "on", "in", "of"}
# as the shipped model was trained: the double openers and the straight single one (not ‘ nor ‹)
QUOTE_OPENERS = set(marks.DOUBLE_OPENERS + marks.STRAIGHT_SINGLE)


def _speaker_class(source) -> str:
    if not source:
        return "none"
    ids = {t.i for t in source}
    head = next((t for t in source if t.head.i not in ids or t.head.i == t.i), source[0])
    if head.lower_ in {"i", "we", "he", "she", "they", "you", "who"}:
        return "pron"
    if head.ent_type_ in ("PERSON",):
        return "person"
    if head.ent_type_ in ("ORG", "NORP", "GPE"):
        return "group"
    return "thing"


@dataclass
class AttributionModel:
    weights: dict[str, float]
    bias: float
    threshold: float
    meta: dict

    def probability(self, feats: Iterable[str]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) for name in feats)
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def to_json(self) -> str:
        return json.dumps({"meta": self.meta, "bias": self.bias, "threshold": self.threshold,
                           "weights": {k: round(v, 5) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-4}},
                          indent=0, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> "AttributionModel":
        d = json.loads(raw)
        return cls(weights=d["weights"], bias=d["bias"], threshold=d["threshold"], meta=d.get("meta", {}))


@functools.lru_cache(maxsize=1)
def shipped_model() -> Optional[AttributionModel]:
    """The model in use: NEWSLEDGER_ATTRIBUTION_MODEL names another file (one that
    `newsledger train attributions --output DIR` wrote) or "none" (lexicon decision only)."""
    override = os.environ.get("NEWSLEDGER_ATTRIBUTION_MODEL")
    if override == "none":
        return None
    try:
        if override:
            with open(override, encoding="utf-8") as f:
                raw = f.read()
        else:
            raw = resources.files("newsledger.data").joinpath(MODEL_FILE).read_text("utf-8")
    except FileNotFoundError:
        return None
    return AttributionModel.from_json(raw)

