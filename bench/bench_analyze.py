#!/usr/bin/env python3
"""Speed and memory of newsledger against bare spaCy, on PolNeAR train texts (`make bench`).

    python bench/bench_analyze.py [--limit N] [--batch-size 8] [--data DIR] [--out bench/results.json]

Two separate subprocesses, so that each peak RSS is its own: (a) bare spaCy `nlp.pipe` with the same
pipeline and batch size, (b) the full `newsledger.analyze_articles` (ingest, parse, extractors,
assembly). Times exclude imports, model loading (reported apart) and a warm-up parse of the first
16 texts. The two processes run one after the other, `--rounds` times (default 2, alternating), and
each mode's fastest round counts, since machine noise only slows. The full process also times its
own parse, which gives the ratio within one process, its extractors and assembly, and what figures
and dates take against the bare parse (issue 4 bound: 10%). CPU time (all threads) is reported
beside wall time: the full process reads with the attribution tagger on a second core while it
parses. tokens/s counts spaCy tokens, the same texts in both. By default every train text (840);
BENCH_LIMIT or --limit takes the first N.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WARM_UP = 16  # texts parsed untimed before each timed run
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "datasets", "polnear", "train", "text")


def texts(data: str, limit: int) -> list[tuple[str, str]]:
    out = []
    for path in sorted(glob.glob(os.path.join(data, "*.txt")))[:limit or None]:
        with open(path, encoding="utf-8", newline="") as f:
            out.append((os.path.splitext(os.path.basename(path))[0], f.read()))
    return out


def cpu_seconds() -> float:
    """CPU time of this process, all its threads (the tagger reads on one beside the parser)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def worker(mode: str, data: str, limit: int, batch_size: int) -> dict:
    t0 = time.perf_counter()
    from newsledger import nlp as nlp_loader

    nlp = nlp_loader.load()
    docs = texts(data, limit)
    load_s = time.perf_counter() - t0
    n_chars = sum(len(t) for _, t in docs)
    errors = skipped = 0
    # Untimed warm-up on the first texts: caches, allocator, and every lazy load (language model,
    # cue lexicon, decision model), which a long run pays once.
    if mode == "bare":
        list(nlp.pipe((t for _, t in docs[:WARM_UP]), batch_size=batch_size))
    else:
        from newsledger import analyze_articles
        from newsledger.ledger import Article

        list(analyze_articles((Article(id=i, text=t) for i, t in docs[:WARM_UP]), nlp=nlp))
    spent = {"extract": 0.0, "parse": 0.0}
    cpu0 = cpu_seconds()
    start = time.perf_counter()
    if mode == "bare":
        n_tokens = 0
        for doc in nlp.pipe((t for _, t in docs), batch_size=batch_size):
            n_tokens += len(doc)
    else:
        from newsledger import analyze_articles, extractors, pipeline
        from newsledger.ledger import Article, ErrorRecord

        # time spent after the parse (extractors and assembly), measured in the same process, and
        # the part of it that figures and dates take
        def timed(name, fn):
            def run(*a, **k):
                t = time.perf_counter()
                try:
                    return fn(*a, **k)
                finally:
                    spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
            return run

        pipeline.ledger_from_doc = timed("extract", pipeline.ledger_from_doc)
        pipe = nlp.pipe
        nlp.pipe = timed("parse", lambda *a, **k: list(pipe(*a, **k)))  # the parse inside the analysis
        extractors.extract_figures = timed("figures", extractors.extract_figures)
        extractors.extract_times = timed("dates", extractors.extract_times)

        n_tokens = None
        items = (Article(id=i, text=t) for i, t in docs)
        for result in analyze_articles(items, nlp=nlp, batch_size=batch_size):
            errors += isinstance(result, ErrorRecord)
            skipped += not isinstance(result, ErrorRecord) and any(
                w.startswith("not analyzed") for w in result.warnings)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds() - cpu0
    return {"mode": mode, "articles": len(docs), "chars": n_chars, "tokens": n_tokens,
            "seconds": seconds, "cpu_seconds": cpu, "extract_seconds": spent["extract"], "parse_seconds": spent["parse"],
            "figures_seconds": spent.get("figures", 0.0), "dates_seconds": spent.get("dates", 0.0), "load_seconds": load_s, "peak_rss_mb": peak_rss_mb(),
            "errors": errors, "skipped": skipped, "model": nlp_loader.model_name(), "batch_size": batch_size}


def run_worker(mode: str, args) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", mode, "--data", args.data,
           "--limit", str(args.limit), "--batch-size", str(args.batch_size)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{mode} run failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=int(os.environ.get("BENCH_LIMIT", 0)),
                    help="the first N texts (default: all)")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 2)),
                    help="bare/full pairs to run; each mode's fastest round is reported")
    ap.add_argument("--data", default=DEFAULT_DATA, help="folder of .txt articles")
    ap.add_argument("--out", default=os.path.join(HERE, "results.json"))
    ap.add_argument("--worker", choices=["bare", "full"], help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        print(json.dumps(worker(args.worker, args.data, args.limit, args.batch_size)))
        return
    if not glob.glob(os.path.join(args.data, "*.txt")):
        print(f"bench skipped: no .txt articles in {args.data} (../shared absent?)")
        return

    # Alternate the two processes and keep each one's fastest round: machine noise only slows.
    rounds = [{mode: run_worker(mode, args) for mode in ("bare", "full")} for _ in range(args.rounds)]
    runs = {mode: min((r[mode] for r in rounds), key=lambda r: r["seconds"]) for mode in ("bare", "full")}
    runs["full"]["tokens"] = runs["bare"]["tokens"]  # same texts, same tokenizer
    for r in runs.values():
        r["articles_per_s"] = r["articles"] / r["seconds"]
        r["tokens_per_s"] = r["tokens"] / r["seconds"]
    ratio = runs["full"]["seconds"] / runs["bare"]["seconds"]
    result = {"data": os.path.relpath(args.data, ROOT), "limit": args.limit, "rounds": args.rounds,
              "seconds_by_round": [{m: r[m]["seconds"] for m in r} for r in rounds],
              "batch_size": args.batch_size, "bare_spacy": runs["bare"], "newsledger": runs["full"],
              "time_ratio_full_over_bare": ratio}

    print(f"{runs['bare']['articles']} articles, {runs['bare']['tokens']:,} tokens, model "
          f"{runs['bare']['model']}, batch size {args.batch_size}")
    print(f"{'':<14}{'articles/s':>12}{'tokens/s':>12}{'seconds':>10}{'load s':>9}{'peak RSS MB':>13}{'errors':>8}{'skipped':>9}")
    for label, r in (("bare spaCy", runs["bare"]), ("newsledger", runs["full"])):
        print(f"{label:<14}{r['articles_per_s']:>12.2f}{r['tokens_per_s']:>12,.0f}{r['seconds']:>10.2f}"
              f"{r['load_seconds']:>9.2f}{r['peak_rss_mb']:>13.0f}{r['errors']:>8}{r['skipped']:>9}")
    full = runs["full"]
    inproc = full["seconds"] / full["parse_seconds"]
    result["time_ratio_in_process"] = inproc
    cpu_ratio = full["cpu_seconds"] / runs["bare"]["cpu_seconds"]
    result["cpu_ratio_full_over_bare"] = cpu_ratio
    print(f"time ratio (newsledger / bare spaCy): {ratio:.2f} across the two processes; "
          f"{inproc:.2f} within the newsledger process (its parse took {full['parse_seconds']:.1f} s of "
          f"{full['seconds']:.1f} s; extractors and assembly {full['extract_seconds']:.1f} s)")
    print(f"CPU time ratio: {cpu_ratio:.2f} ({full['cpu_seconds']:.1f} s against {runs['bare']['cpu_seconds']:.1f} s; "
          "the attribution tagger reads on a second core beside the parser)")
    parse_s = runs["bare"]["seconds"]
    for name in ("figures", "dates"):
        result[f"{name}_over_bare_parse"] = full[f"{name}_seconds"] / parse_s
    both = full["figures_seconds"] + full["dates_seconds"]
    result["figures_and_dates_over_bare_parse"] = both / parse_s
    print(f"figures took {full['figures_seconds']:.1f} s and dates {full['dates_seconds']:.1f} s: together "
          f"{100 * both / parse_s:.1f}% of the bare parse ({parse_s:.1f} s)")
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(f"written: {os.path.relpath(args.out, ROOT)}")


if __name__ == "__main__":
    main()
