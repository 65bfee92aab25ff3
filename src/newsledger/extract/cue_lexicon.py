"""Counting the cue lexicon (data/cue_lexicon.json) on PolNeAR's training split.

For every candidate the extractor proposes on a training article, count under each of its lexicon
keys whether its cue word is a gold cue. Only counts are kept: no text of the corpus.

    python -m newsledger.extract.cue_lexicon --data ../shared/datasets/polnear --split train
"""
from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from .attributions import find_candidates


def count(docs_and_gold) -> dict[str, list[int]]:
    hits: collections.Counter = collections.Counter()
    seen: collections.Counter = collections.Counter()
    for doc, gold in docs_and_gold:
        cue_chars = {i for g in gold for s, e in g.cue for i in range(s, e)}
        for cand in find_candidates(doc, use_lexicon=False):
            head = cand.head
            positive = head is not None and any(i in cue_chars for i in range(head.idx, head.idx + len(head)))
            for key in cand.keys:
                seen[key] += 1
                hits[key] += positive
    return {k: [hits[k], seen[k]] for k in sorted(seen)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--split", default="train")
    ap.add_argument("--output", default=str(Path(__file__).parent.parent / "data" / "cue_lexicon.json"))
    ap.add_argument("--min-count", type=int, default=2)
    args = ap.parse_args(argv)
    from .. import nlp as nlp_loader
    from ..eval.polnear import load_split
    docs = load_split(args.data, args.split)
    nlp = nlp_loader.load()
    parsed = zip(nlp.pipe((d.text for d in docs), batch_size=8), (d.gold for d in docs))
    counts = {k: v for k, v in count(parsed).items() if v[1] >= args.min_count}
    Path(args.output).write_text(json.dumps(
        {"source": f"PolNeAR v1.0.0 {args.split} split, {len(docs)} articles; counts of candidates "
                   "whose cue word is a gold cue [cue, seen]",
         "model": nlp.meta.get("name"), "counts": counts}, indent=0, sort_keys=True), encoding="utf-8")
    print(f"{len(counts)} keys written to {args.output}")


if __name__ == "__main__":
    main()
