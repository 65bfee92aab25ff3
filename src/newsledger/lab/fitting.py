"""Fitting for the attribution extractor: the decision model's logistic regression, and the
candidates of a training fold (pruned by that fold's own cue lexicon, or not at all).

The run-time side (features, probability, the shipped files) is extract/attribution_model.py and
extract/attributions.py; nothing there imports this.
"""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from ..extract import attributions as A


def candidates(doc, quotes: Optional[A.QuoteIndex] = None, lexicon: Optional[dict] = None,
               probs=None, prune: bool = True) -> list[A.Candidate]:
    """`attributions.find_candidates` as training needs it: words rarely a cue pruned by `lexicon`
    (a fold's counts; None: the shipped lexicon), or, with prune=False, none pruned (counting the
    lexicon itself)."""
    quotes = quotes or A.QuoteIndex(doc.text)
    if not prune:
        return A.propose(doc, quotes, None, probs)
    return A.propose(doc, quotes, A.ceilings(lexicon) if lexicon is not None else A.cue_ceilings(), probs)


def fit(examples: list[list[str]], labels: list[int], l2: float = 1.0, iterations: int = 300,
        min_count: int = 2, learning_rate: float = 0.5) -> tuple[dict[str, float], float]:
    """Logistic regression by full-batch Adagrad; deterministic (no sampling)."""
    counts: dict[str, int] = {}
    for feats in examples:
        for name in feats:
            counts[name] = counts.get(name, 0) + 1
    vocab = {name: i for i, name in enumerate(sorted(n for n, c in counts.items() if c >= min_count))}
    rows, cols = [], []
    for r, feats in enumerate(examples):
        for name in feats:
            j = vocab.get(name)
            if j is not None:
                rows.append(r)
                cols.append(j)
    rows_a, cols_a = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    y = np.asarray(labels, dtype=np.float64)
    n, d = len(examples), len(vocab)
    w, b = np.zeros(d), 0.0
    gw2, gb2 = np.full(d, 1e-8), 1e-8
    for _ in range(iterations):
        z = np.bincount(rows_a, weights=w[cols_a], minlength=n) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        err = p - y
        gw = np.bincount(cols_a, weights=err[rows_a], minlength=d) / n + l2 * w / n
        gb = err.mean()
        gw2 += gw * gw
        gb2 += gb * gb
        w -= learning_rate * gw / np.sqrt(gw2)
        b -= learning_rate * gb / math.sqrt(gb2)
    names = sorted(vocab, key=vocab.get)
    return {name: float(w[i]) for i, name in enumerate(names)}, float(b)
