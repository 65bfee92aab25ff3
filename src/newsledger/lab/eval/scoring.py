"""Attribution scoring with the same definitions as the official PolNeAR scorer
(../shared/eval/attributions.py), reimplemented here, plus what error analysis needs.

Content match: the gold and predicted content span sets share at least half of the larger one's
letters and digits (lenient), or exactly the same letters and digits (strict). Pairs are matched one
to one, best ratio first (ties: the later gold, then the later prediction, as the official scorer's
reverse sort does). On a matched pair the source is right when the predicted source span shares a
letter or digit with a gold source span (or both have none); the cue likewise. "full" counts matches
whose source and cue are both right.
"""
from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from ...text import marks

Span = tuple[int, int]
QUOTES = set(marks.DOUBLE_QUOTES)  # a direct quotation: double marks (single ones are mostly apostrophes)
KINDS = ("quoted", "according_to", "reported")
THRESHOLD = 0.5

# Error types, in the order a report lists them.
MISSED = "missed (no prediction overlaps)"
BOUNDARY = "boundary (overlaps but < 0.5)"
TAKEN = "merged (its overlapping prediction matched another gold)"
SPURIOUS = "spurious (no gold overlaps)"
BOUNDARY_PRED = "boundary, predicted side (overlaps gold but < 0.5)"
DUPLICATE = "duplicate (its overlapping gold matched another prediction)"
WRONG_SOURCE = "wrong source"
WRONG_CUE = "wrong cue"
ERROR_TYPES = (MISSED, BOUNDARY, TAKEN, SPURIOUS, BOUNDARY_PRED, DUPLICATE, WRONG_SOURCE, WRONG_CUE)
# Which side each error costs: a gold attribution unmatched (recall), a prediction unmatched
# (precision), or a matched pair whose source or cue is wrong (both, in the full figures).
ERROR_SIDES = {MISSED: "gold", BOUNDARY: "gold", TAKEN: "gold", SPURIOUS: "pred", BOUNDARY_PRED: "pred",
               DUPLICATE: "pred", WRONG_SOURCE: "both", WRONG_CUE: "both"}


def _unmatched(overlaps, none: str, boundary: str, taken: str) -> str:
    """Why an item stayed unmatched: nothing overlaps it, nothing overlaps enough, or what
    overlaps enough was matched to another item."""
    if not overlaps:
        return none
    return boundary if max(r for r, _ in overlaps) < THRESHOLD else taken


@dataclass
class Pred:
    """A predicted attribution as the scorer sees it."""
    content: list[Span]
    source: Optional[Span] = None
    cue: Optional[Span] = None
    kind: Optional[str] = None


@dataclass
class Gold:
    content: list[Span]
    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)


def letters(text: str, spans: Iterable[Span]) -> set[int]:
    """Offsets of the letters and digits the spans cover (spans clipped to the text)."""
    return {i for s, e in spans for i in range(max(s, 0), min(e, len(text))) if text[i].isalnum()}


def touches(text: str, gold: Sequence[Span], pred: Sequence[Span]) -> bool:
    """Do the spans share a letter or digit (any non-space character where a side has none: a ':' cue)?"""
    g, p = letters(text, gold), letters(text, pred)
    if g and p:
        return bool(g & p)

    def raw(sps):
        return {i for s, e in sps for i in range(max(s, 0), min(e, len(text))) if not text[i].isspace()}

    return bool(raw(gold) & raw(pred))


def kind_of(text: str, gold: Gold) -> str:
    """quoted (a quotation mark in the content), according_to (the cue), else reported."""
    content = "".join(text[s:e] for s, e in gold.content)
    cue = " ".join(text[s:e] for s, e in gold.cue).lower()
    if any(c in QUOTES for c in content):
        return "quoted"
    if cue.startswith("according"):
        return "according_to"
    return "reported"


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def prf_dict(tp: int, n_pred: int, n_gold: int) -> dict:
    p, r, f = prf(tp, n_pred, n_gold)
    return {"p": p, "r": r, "f1": f}


def match(gold_sets: Sequence[set[int]], pred_sets: Sequence[set[int]],
          threshold: float = THRESHOLD) -> tuple[list[tuple[int, int, float]], list[tuple[float, int, int]]]:
    """One-to-one greedy matching, best ratio first: ([(gold i, pred j, ratio)], every overlapping pair)."""
    pairs = []
    for gi, gs in enumerate(gold_sets):
        for pi, ps in enumerate(pred_sets):
            inter = len(gs & ps)
            if inter:
                pairs.append((inter / max(len(gs), len(ps)), gi, pi))
    pairs.sort(reverse=True)
    used_g, used_p, out = set(), set(), []
    for ratio, gi, pi in pairs:
        if gi in used_g or pi in used_p or ratio < threshold:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi, ratio))
    return out, pairs


def _cue_word(text: str, spans: Sequence[Span]) -> str:
    words = " ".join(" ".join(text[s:e].split()) for s, e in spans if e > s).lower()
    return words or "(no cue)"


def _snippet(text: str, spans: Sequence[Span], limit: int = 160) -> str:
    out = " … ".join(" ".join(text[s:e].split()) for s, e in spans if e > s)
    return out if len(out) <= limit else out[: limit - 1] + "…"


@dataclass
class Tally:
    """Counts over a corpus; `add_doc` scores one document into it."""
    counts: collections.Counter = field(default_factory=collections.Counter)
    by_outlet: dict = field(default_factory=lambda: collections.defaultdict(collections.Counter))
    by_pred_kind: dict = field(default_factory=lambda: collections.defaultdict(collections.Counter))
    errors: collections.Counter = field(default_factory=collections.Counter)
    source_errors: collections.Counter = field(default_factory=collections.Counter)
    cue_errors: collections.Counter = field(default_factory=collections.Counter)
    missed_cues: collections.Counter = field(default_factory=collections.Counter)
    spurious_cues: collections.Counter = field(default_factory=collections.Counter)
    examples: dict = field(default_factory=lambda: collections.defaultdict(list))
    max_examples: int = 8

    def _example(self, kind: str, doc_id: str, text: str, spans, cue) -> None:
        if len(self.examples[kind]) < self.max_examples:
            self.examples[kind].append({"id": doc_id, "content": _snippet(text, spans),
                                        "cue": _cue_word(text, cue) if cue is not None else None})

    def add_doc(self, text: str, gold: Sequence[Gold], pred: Sequence[Pred], outlet: str = "",
                doc_id: str = "") -> None:
        c, o = self.counts, self.by_outlet[outlet or "(none)"]
        g_sets = [letters(text, g.content) for g in gold]
        preds = [(letters(text, p.content), p) for p in pred]
        preds = [(s, p) for s, p in preds if s]  # a content without letters or digits is no prediction
        p_sets = [s for s, _ in preds]
        matched, pairs = match(g_sets, p_sets)

        o["docs"] += 1
        for counter in (c, o):
            counter["gold"] += len(gold)
            counter["pred"] += len(preds)
        for g in gold:
            c["gold_" + kind_of(text, g)] += 1
        for _, p in preds:
            self.by_pred_kind[p.kind or "(none)"]["pred"] += 1

        for gi, pi, _ in matched:
            g, p = gold[gi], preds[pi][1]
            kind = kind_of(text, g)
            src_ok = (not g.source and p.source is None) or (
                p.source is not None and touches(text, g.source, [p.source]))
            cue_ok = (not g.cue and p.cue is None) or (p.cue is not None and touches(text, g.cue, [p.cue]))
            full = src_ok and cue_ok
            for counter in (c, o):
                counter["lenient"] += 1
                counter["full"] += full
            c["lenient_" + kind] += 1
            c["full_" + kind] += full
            c["strict"] += g_sets[gi] == p_sets[pi]
            c["source_ok"] += src_ok
            c["cue_ok"] += cue_ok
            pk = self.by_pred_kind[p.kind or "(none)"]
            pk["lenient"] += 1
            pk["full"] += full
            if not src_ok:
                self.errors[WRONG_SOURCE] += 1
                why = ("missing" if p.source is None else "where gold has none" if not g.source
                       else "another mention")
                self.source_errors[why] += 1
                if len(self.examples[WRONG_SOURCE]) < self.max_examples:
                    self.examples[WRONG_SOURCE].append({
                        "id": doc_id, "content": _snippet(text, g.content, 100),
                        "gold_source": _snippet(text, g.source) or None,
                        "pred_source": _snippet(text, [p.source]) if p.source else None})
            if not cue_ok:
                self.errors[WRONG_CUE] += 1
                why = ("missing" if p.cue is None else "where gold has none" if not g.cue
                       else "another word")
                self.cue_errors[why] += 1

        used_g = {gi for gi, _, _ in matched}
        used_p = {pi for _, pi, _ in matched}
        overlapping_g = collections.defaultdict(list)  # gold i -> [(ratio, pred j)]
        overlapping_p = collections.defaultdict(list)
        for ratio, gi, pi in pairs:
            overlapping_g[gi].append((ratio, pi))
            overlapping_p[pi].append((ratio, gi))
        for gi, g in enumerate(gold):
            if gi in used_g:
                continue
            err = _unmatched(overlapping_g.get(gi, []), MISSED, BOUNDARY, TAKEN)
            self.errors[err] += 1
            self.missed_cues[_cue_word(text, g.cue)] += 1
            self._example(err, doc_id, text, g.content, g.cue)
        for pi, (_, p) in enumerate(preds):
            if pi in used_p:
                continue
            err = _unmatched(overlapping_p.get(pi, []), SPURIOUS, BOUNDARY_PRED, DUPLICATE)
            self.errors[err] += 1
            self.spurious_cues[_cue_word(text, [p.cue] if p.cue else [])] += 1
            self._example(err, doc_id, text, p.content, [p.cue] if p.cue else [])

    def figures(self) -> dict:
        c = self.counts
        m = c["lenient"] or 1
        return {
            "gold": c["gold"], "pred": c["pred"],
            "content_lenient": prf_dict(c["lenient"], c["pred"], c["gold"]),
            "content_strict": prf_dict(c["strict"], c["pred"], c["gold"]),
            "full": prf_dict(c["full"], c["pred"], c["gold"]),
            "source_acc": c["source_ok"] / m, "cue_acc": c["cue_ok"] / m,
            "recall_by_kind": {k: {"lenient": c["lenient_" + k] / c["gold_" + k],
                                   "full": c["full_" + k] / c["gold_" + k], "gold": c["gold_" + k]}
                               for k in KINDS if c["gold_" + k]},
            "by_outlet": {name: {"docs": o["docs"], "gold": o["gold"], "pred": o["pred"],
                                 "lenient": prf_dict(o["lenient"], o["pred"], o["gold"]),
                                 "full": prf_dict(o["full"], o["pred"], o["gold"])}
                          for name, o in sorted(self.by_outlet.items())},
            "precision_by_pred_kind": {k: {"pred": v["pred"],
                                           "lenient": v["lenient"] / v["pred"] if v["pred"] else 0.0,
                                           "full": v["full"] / v["pred"] if v["pred"] else 0.0}
                                       for k, v in sorted(self.by_pred_kind.items())},
            "errors": {k: self.errors[k] for k in sorted(self.errors, key=lambda k: (-self.errors[k], k))},
            "source_errors": dict(self.source_errors.most_common()),
            "cue_errors": dict(self.cue_errors.most_common()),
            "missed_cues": self.missed_cues.most_common(15),
            "spurious_cues": self.spurious_cues.most_common(15),
            "examples": {k: v for k, v in self.examples.items()},
        }


def score(text: str, gold: Sequence[Gold], pred: Sequence[Pred]) -> dict:
    """The figures of one document (a convenience for tests and notebooks)."""
    t = Tally()
    t.add_doc(text, gold, pred)
    return t.figures()
