#!/usr/bin/env python3
"""Pathological texts against normal text of the same size (`make bench`, issue 17).

    python bench/bench_pathological.py [--sizes 10,50,200] [--data DIR] [--out bench/pathological-results.json]

Each kind (a number, a date, a cue, "according to officials", a run of punctuation, repeated to the
size) is analyzed once with the full pipeline, and so is normal text of the same size (PolNeAR train
articles joined). Each should take within 3x of the normal text. Skips with a message when the
data folder (../shared) is absent. Times exclude model loading and a warm-up analysis.
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,50,200", help="sizes in KB")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--out", default=os.path.join(HERE, "pathological-results.json"))
    args = ap.parse_args()
    if not os.path.isdir(args.data):
        print(f"bench_pathological: skipped, no data at {args.data}")
        return 0
    sys.path.insert(0, os.path.join(ROOT, "src"))
    from newsledger import nlp as nlp_loader
    from newsledger.pipeline import analyze
    nlp = nlp_loader.load()
    analyze("Officials said the plan would cost $5 million on Tuesday.", nlp=nlp)  # warm-up, tagger loaded
    rows, ok = [], True
    print(f"{'kind':<12} {'KB':>4} {'seconds':>8} {'normal s':>8} {'ratio':>6}  warnings")
    for kb in (int(s) for s in args.sizes.split(",")):
        size = kb * 1000
        t0 = time.perf_counter()
        analyze(normal_text(args.data, size), nlp=nlp)
        normal = time.perf_counter() - t0
        print(f"{'normal':<12} {kb:>4} {normal:>8.2f} {normal:>8.2f} {1.0:>6.2f}")
        for kind, unit in KINDS.items():
            t0 = time.perf_counter()
            led = analyze(repeated(unit, size), nlp=nlp)
            took = time.perf_counter() - t0
            ratio = took / normal
            ok &= ratio <= BOUND
            rows.append({"kind": kind, "kb": kb, "seconds": round(took, 3), "normal_seconds": round(normal, 3),
                         "ratio": round(ratio, 2), "within_bound": ratio <= BOUND, "warnings": len(led.warnings)})
            print(f"{kind:<12} {kb:>4} {took:>8.2f} {normal:>8.2f} {ratio:>6.2f}  {len(led.warnings)}"
                  + ("" if ratio <= BOUND else f"  OVER {BOUND}x"))
    with open(args.out, "w") as f:
        json.dump({"bound": BOUND, "rows": rows}, f, indent=2)
    print(f"-> {args.out}; " + ("all within" if ok else "NOT all within") + f" {BOUND}x of normal text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
