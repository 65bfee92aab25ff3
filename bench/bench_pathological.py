#!/usr/bin/env python3
"""Pathological texts against normal text of the same size (`make bench`, issue 17).

    python bench/bench_pathological.py [--sizes 10,50,200] [--kinds numbers,dates,...] [--data DIR]
                                       [--out bench/pathological-results.json]

Each kind (a number, a date, a cue, "according to officials", a run of punctuation, repeated to the
size) is analyzed once with the full pipeline, and so is normal text of the same size (PolNeAR train
articles joined). Each should take within 3x of the normal text. Skips with a message when the
data folder (../shared) is absent. Times exclude model loading and a warm-up analysis.

Beside the total: the bare parse of the same text (spaCy's `nlp.pipe` alone, on the text the
pipeline parsed, timed apart) and the time of our extractors within the analysis (`ledger_from_doc`:
entities, attributions, dates, figures, linking). The bound is about our work: where spaCy's own
parse of a kind is much slower than of normal text, the output says so. What is left of the total
is mostly the attribution tagger's reading (beside the parse; linear in word pieces, of which a
run of punctuation has one a character). The JSON holds every row of the run (all the sizes and
kinds asked for), written again after each size.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "datasets", "polnear", "train", "text")
KINDS = {
    "numbers": "12,345 ",
    "dates": "March 5, 2020 ",
    "cues": " he said",
    "according": "according to officials ",
    "punctuation": "!?.,;:-*#",
}
BOUND = 3.0


def repeated(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def normal_text(data: str, size: int) -> str:
    out, n = [], 0
    for path in sorted(glob.glob(os.path.join(data, "*.txt"))):
        with open(path, encoding="utf-8") as f:
            t = f.read().strip() + "\n\n"
        out.append(t)
        n += len(t)
        if n >= size:
            break
    return "".join(out)[:size]


def parse_seconds(nlp, text: str) -> float:
    """The bare parse of `text`: the same spaCy pipeline, none of our work."""
    t0 = time.perf_counter()
    list(nlp.pipe([text]))
    return time.perf_counter() - t0


# A kind whose bare parse takes this many times the normal text's is slow in spaCy itself.
SLOW_PARSE = 1.5


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,50,200", help="sizes in KB")
    ap.add_argument("--kinds", default=",".join(KINDS), help="which kinds, of " + ", ".join(KINDS))
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--out", default=os.path.join(HERE, "pathological-results.json"))
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        ap.error(f"unknown kind(s) {', '.join(unknown)}: of {', '.join(KINDS)}")
    if not os.path.isdir(args.data):
        print(f"bench_pathological: skipped, no data at {args.data}")
        return 0
    sys.path.insert(0, os.path.join(ROOT, "src"))
    from newsledger import nlp as nlp_loader
    from newsledger import pipeline
    from newsledger.pipeline import analyze
    nlp = nlp_loader.load()
    # warm-up: the tagger and the language identifier (only texts of 200 characters or more are
    # identified) loaded before any timing
    analyze(normal_text(args.data, 2000), nlp=nlp)
    extract = [0.0]  # our extractors' time in the analysis running now
    ledger_from_doc = pipeline.ledger_from_doc

    def timed_ledger(*a, **k):
        t0 = time.perf_counter()
        try:
            return ledger_from_doc(*a, **k)
        finally:
            extract[0] += time.perf_counter() - t0
    pipeline.ledger_from_doc = timed_ledger

    def run(text: str):
        extract[0] = 0.0
        t0 = time.perf_counter()
        led = analyze(text, nlp=nlp)
        return led, time.perf_counter() - t0, extract[0]

    rows, ok, notes = [], True, []
    print(f"{'kind':<12} {'KB':>4} {'seconds':>8} {'normal s':>8} {'ratio':>6}   {'parse s':>7} {'normal':>6}"
          f"   {'extract s':>9} {'normal':>6}  warnings")
    for kb in sizes:
        size = kb * 1000
        led, normal, normal_extract = run(normal_text(args.data, size))
        normal_parse = parse_seconds(nlp, led.text)
        print(f"{'normal':<12} {kb:>4} {normal:>8.2f} {normal:>8.2f} {1.0:>6.2f}   {normal_parse:>7.2f} "
              f"{normal_parse:>6.2f}   {normal_extract:>9.2f} {normal_extract:>6.2f}")
        for kind in kinds:
            led, took, took_extract = run(repeated(KINDS[kind], size))
            parse = parse_seconds(nlp, led.text)
            ratio = took / normal
            ok &= ratio <= BOUND
            rows.append({"kind": kind, "kb": kb, "seconds": round(took, 3), "normal_seconds": round(normal, 3),
                         "ratio": round(ratio, 2), "within_bound": ratio <= BOUND,
                         "parse_seconds": round(parse, 3), "normal_parse_seconds": round(normal_parse, 3),
                         "extract_seconds": round(took_extract, 3), "normal_extract_seconds": round(normal_extract, 3),
                         "warnings": len(led.warnings), "warning_texts": led.warnings})
            print(f"{kind:<12} {kb:>4} {took:>8.2f} {normal:>8.2f} {ratio:>6.2f}   {parse:>7.2f} {normal_parse:>6.2f}"
                  f"   {took_extract:>9.2f} {normal_extract:>6.2f}  {len(led.warnings)}"
                  + ("" if ratio <= BOUND else f"  OVER {BOUND}x"))
            if parse >= SLOW_PARSE * normal_parse:
                notes.append(f"{kind}, {kb} KB: spaCy's own parse of this text takes {parse:.1f} s, "
                             f"{parse / normal_parse:.1f}x that of normal text ({normal_parse:.1f} s); "
                             f"our extractors {took_extract:.1f} s (normal text {normal_extract:.1f} s)")
        with open(args.out, "w") as f:  # after each size: an interrupted run keeps what it measured
            json.dump({"bound": BOUND, "sizes": sizes, "kinds": kinds, "rows": rows}, f, indent=2)
    for note in notes:
        print("note: " + note)
    print(f"-> {args.out}; " + ("all within" if ok else "NOT all within") + f" {BOUND}x of normal text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
