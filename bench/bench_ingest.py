#!/usr/bin/env python3
"""Ingest throughput (`make bench`): PolNeAR train texts as article-v1 JSON Lines, end to end into the
store, against the analysis alone.

    python bench/bench_ingest.py [--limit 480] [--rounds 2] [--pg URL] [--out bench/ingest-results.json]

Each mode runs in its own process, into a new store each time, timed as its command would be:
loading the pipeline (in each worker, with workers) included. The modes take turns, `--rounds`
times, and each mode's best round is reported (on a shared machine one round varies by more than the
differences measured here):
  analyze      analyze_articles over the records (no store): the baseline
  sqlite-1/2   `ingest` into a new SQLite file with 1 and 2 workers
  pg-1/2       the same into a new PostgreSQL database (--pg, or $NEWSLEDGER_BENCH_PG; skipped without)
Reported: wall seconds end to end (worker start-up and pipeline loading included), articles/s,
and the peak RSS of the measured process (with workers, the main process; each worker holds one
pipeline, about as much as the analyze process), and for the store modes what the store holds
at the end (`stored`: articles, failures, attributions, figures, read through store.queries after
the clock stops). Targets of issue 5: the store and batch machinery add at most 15% over analyze
alone; 2 workers at least 1.7 times 1 worker.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "datasets", "polnear", "train", "text")


def write_input(data: str, limit: int, path: str) -> int:
    files = sorted(glob.glob(os.path.join(data, "*.txt")))[:limit]
    with open(path, "w", encoding="utf-8") as out:
        for f in files:
            with open(f, encoding="utf-8", newline="") as fh:
                out.write(json.dumps({"id": os.path.basename(f)[:-4], "text": fh.read()}) + "\n")
    return len(files)


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def worker(mode: str, src: str, url: str | None) -> dict:
    from newsledger import nlp as nlp_loader
    from newsledger.ingest import read_inputs
    from newsledger.pipeline import analyze_articles

    start = time.perf_counter()  # every mode loads its pipeline(s) in the timed part, as the commands do
    if mode == "analyze":
        nlp = nlp_loader.load()
        n = sum(1 for _ in analyze_articles(read_inputs(src), nlp=nlp))
        seconds = time.perf_counter() - start
        failed, stored = 0, None
    else:
        from newsledger.corpus.batch import ingest
        from newsledger.store import open_store

        store = open_store(url)
        try:
            summary = ingest([src], store, workers=int(mode.rsplit("-", 1)[1]))
            seconds = time.perf_counter() - start  # what was stored is counted after the clock stops
            stored = stored_counts(store)
        finally:
            store.close()
        n, failed = summary.seen, summary.failed
    return {"mode": mode, "articles": n, "failed": failed, "seconds": seconds,
            "articles_per_s": n / seconds, "peak_rss_mb": peak_rss_mb(), "stored": stored}


def stored_counts(store) -> dict:
    """What a mode's store holds at the end, through the store's own questions: a mode that stored
    less than it read would be timed doing less work."""
    from newsledger.store import queries

    return {k: v for k, v in queries.counts(store).items() if k in ("articles", "failures", "attributions", "figures")}


def new_pg_database(server_url: str) -> str:
    from newsledger.store.db import new_database

    return new_database(server_url, f"bench_{uuid.uuid4().hex[:8]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=int(os.environ.get("BENCH_INGEST_LIMIT", 480)))
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 2)))
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--pg", default=os.environ.get("NEWSLEDGER_BENCH_PG"), help="PostgreSQL URL (a server to create databases on)")
    ap.add_argument("--out", default=os.path.join(HERE, "ingest-results.json"))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--src", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.src, args.url)))
        return
    if not glob.glob(os.path.join(args.data, "*.txt")):
        print(f"ingest bench skipped: no .txt articles in {args.data} (../shared absent?)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "articles.jsonl")
        n = write_input(args.data, args.limit, src)
        def store_url(mode: str, round_: int) -> str | None:
            if mode.startswith("sqlite"):
                return f"sqlite:///{tmp}/{mode}-{round_}.db"
            return new_pg_database(args.pg) if mode.startswith("pg") else None

        modes = ["analyze", "sqlite-1", "sqlite-2"] + (["pg-1", "pg-2"] if args.pg else [])
        rounds: dict[str, list[dict]] = {mode: [] for mode in modes}
        for round_ in range(args.rounds):
            for mode in modes if round_ % 2 == 0 else modes[::-1]:  # turns, so drift hits every mode
                url = store_url(mode, round_)
                cmd = [sys.executable, os.path.abspath(__file__), "--worker", mode, "--src", src] + (["--url", url] if url else [])
                proc = subprocess.run(cmd, capture_output=True, text=True)
                if proc.returncode != 0:
                    sys.exit(f"{mode} failed:\n{proc.stderr[-3000:]}")
                rounds[mode].append(json.loads(proc.stdout.strip().splitlines()[-1]))
                print(f"round {round_ + 1} {mode}: {rounds[mode][-1]['seconds']:.1f} s", flush=True)
        runs = {mode: dict(min(rs, key=lambda r: r["seconds"]), rounds=[round(r["seconds"], 2) for r in rs])
                for mode, rs in rounds.items()}
    print(f"{n} PolNeAR train texts as article-v1 JSON Lines; each mode's best of {args.rounds} rounds")
    print(f"{'mode':<10}{'seconds':>9}{'articles/s':>12}{'peak RSS MB':>13}{'failed':>8}{'stored':>8}")
    for mode, r in runs.items():
        stored = r["stored"]["articles"] if r["stored"] else "-"
        print(f"{mode:<10}{r['seconds']:>9.1f}{r['articles_per_s']:>12.2f}{r['peak_rss_mb']:>13.0f}{r['failed']:>8}"
              f"{stored:>8}")
    base = runs["analyze"]["seconds"]
    result = {"articles": n, "rounds": args.rounds, "runs": runs}
    for backend in ("sqlite", "pg"):
        if f"{backend}-1" in runs:
            one, two = runs[f"{backend}-1"], runs[f"{backend}-2"]
            overhead = one["seconds"] / base - 1
            speedup = two["articles_per_s"] / one["articles_per_s"]
            result[f"{backend}_overhead_over_analyze"] = overhead
            result[f"{backend}_speedup_2_workers"] = speedup
            print(f"{backend}: store and batch add {100 * overhead:.1f}% over analyze alone (bound 15%); "
                  f"2 workers {speedup:.2f}x 1 worker end to end (target 1.7x)")
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
