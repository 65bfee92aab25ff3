"""Counting the cue lexicon (data/cue_lexicon.json) on annotated articles.

For every candidate the extractor proposes on a training article, count under each of its lexicon
keys whether its cue word is a gold cue. Only counts are kept: no text of the corpus.
`newsledger train attributions` writes it, together with the decision model that reads it.
"""
from __future__ import annotations

import collections
import json
from pathlib import Path

from .fitting import candidates

MIN_SEEN = 2  # keys seen once are noise, and most of the file


def count(docs_and_gold, min_seen: int = MIN_SEEN) -> dict[str, list[int]]:
    """{key: [times its cue word was a gold cue, times seen]} over (Doc, gold attributions) pairs."""
    hits: collections.Counter = collections.Counter()
    seen: collections.Counter = collections.Counter()
    for doc, gold in docs_and_gold:
        cue_chars = {i for g in gold for s, e in g.cue for i in range(s, e)}
        for cand in candidates(doc, prune=False):
            if cand.cut:
                continue  # a shorter content variant of a candidate counted already
            head = cand.head
            positive = head is not None and any(i in cue_chars for i in range(head.idx, head.idx + len(head)))
            for key in cand.keys:
                seen[key] += 1
                hits[key] += positive
    return {k: [hits[k], seen[k]] for k in sorted(seen) if seen[k] >= min_seen}


def write(path: Path, counts: dict[str, list[int]], source: str, model_name: str | None) -> None:
    path.write_text(json.dumps({"source": source, "model": model_name, "counts": counts},
                               indent=0, sort_keys=True), encoding="utf-8")
