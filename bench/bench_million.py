#!/usr/bin/env python3
"""Memory of `newsledger ingest` over a 1-million-line input (`make bench`).

    python bench/bench_million.py [--lines 1000000] [--out bench/million-results.json]

The input cycles through the three example articles under a million different ids, so the run
analyzes three articles and reads, hashes, looks up and counts the rest as already stored: what
it exercises is the streaming of input, chunks and transactions, whose memory must not grow with
the input. Reported: lines, seconds, lines/s, and the ingest process's peak RSS next to its RSS
after the first 10,000 lines.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def worker(src: str, url: str) -> dict:
    from newsledger.corpus.batch import ingest
    from newsledger.store import open_store

    early = {}

    def progress(summary):
        if not early and summary.seen >= 10_000:
            early["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    store = open_store(url)
    start = time.perf_counter()
    summary = ingest([src], store, chunk_size=256, on_progress=progress)
    seconds = time.perf_counter() - start
    store.close()
    return {"lines": summary.seen, "analyzed": summary.analyzed, "existing": summary.existing,
            "failed": summary.failed, "seconds": seconds, "lines_per_s": summary.seen / seconds,
            "rss_after_10k_mb": early.get("rss_mb"),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=int(os.environ.get("BENCH_MILLION_LINES", 1_000_000)))
    ap.add_argument("--out", default=os.path.join(HERE, "million-results.json"))
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    stories = [json.loads(line) for line in open(os.path.join(ROOT, "examples", "articles.jsonl"), encoding="utf-8")]
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "million.jsonl")
        with open(src, "w", encoding="utf-8") as f:
            for i in range(args.lines):
                f.write(json.dumps(dict(stories[i % len(stories)], id=f"line-{i}")) + "\n")
        size_mb = os.path.getsize(src) / 1e6
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", src, f"sqlite:///{tmp}/m.db"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(proc.stderr[-3000:])
        r = json.loads(proc.stdout.strip().splitlines()[-1])
    r["input_mb"] = size_mb
    print(f"{r['lines']:,} lines ({size_mb:,.0f} MB): {r['analyzed']} analyzed, {r['existing']:,} already stored, "
          f"{r['seconds']:.0f} s ({r['lines_per_s']:,.0f} lines/s); peak RSS {r['peak_rss_mb']:.0f} MB, "
          f"{r['rss_after_10k_mb']:.0f} MB after the first 10,000 lines")
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(r, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
