#!/usr/bin/env python3
"""What the corpus layer (actors, claims across outlets, series: store/write.save_ledgers links all
three in the article's transaction) costs, and how its questions scale (issue 19, item 4):

(a) the write step with the layer and without it (`save_ledgers(corpus=False)`), at N stored
    articles, as ms per article and as a share of a full ingest per article (the analysis time
    measured here, per article, plus the write without the layer); the issue's bound is <= 10%;
(b) `query claims`, `query series` and `query speakers` (store.provenance.claims, store.queries.series
    and speakers, the functions the commands call) at M stored articles, with this process's peak RSS
    (the analysis's model included) and, apart, the peak RSS of a fresh process that only asks them
    (`query_peak_rss_mb`).

The ledgers: ~100 PolNeAR train texts analyzed once (newsledger.pipeline.analyze_articles), then
varied to make N (and M): each copy renames its people (a pool of 2,000 names, so actors recur
across articles without being all one), changes one word of half its quotes (so half the claims
recur across outlets and the rest are new, some variants), scales its figures and moves its day
over 90 days among 40 outlets. Stored 32 a transaction, as a batch run writes. SQLite always; with
--pg, PostgreSQL too (a new database a run). Results: bench/corpus-results.json.

    python bench/bench_corpus.py [--articles 10000] [--query-articles 100000] [--texts 100] [--pg URL]
                                 [--pg-query-articles M] [--backends sqlite,postgresql]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsledger import ledger as L  # noqa: E402
from newsledger.store import open_store  # noqa: E402
from newsledger.store import provenance, queries  # noqa: E402
from newsledger.store.write import ToStore, save_ledgers  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "datasets" / "polnear"
RESULTS = ROOT / "bench" / "corpus-results.json"
BATCH = 32  # ledgers a transaction, as a batch run stores them
FIRST = ["Ana", "Tomas", "Maria", "James", "Li", "Omar", "Sofia", "David", "Aisha", "Peter", "Elena", "Kofi",
         "Yuki", "Carlos", "Fatima", "John", "Ingrid", "Ravi", "Grace", "Mikhail"]
LAST = ["Reyes", "Okafor", "Lindqvist", "Haddad", "Nakamura", "Brennan", "Kowalski", "Mbeki", "Castillo", "Novak",
        "Petrov", "Sato", "Duarte", "Abbott", "Farouk", "Whitaker", "Moreau", "Iyer", "Quinn", "Volkova",
        "Hale", "Santos", "Berg", "Adeyemi", "Rossi", "Kaur", "Nguyen", "Larsen", "Costa", "Fischer",
        "Mendez", "Olsen", "Tanaka", "Walsh", "Dubois", "Ibrahim", "Keller", "Ortiz", "Park", "Silva",
        "Yilmaz", "Zhou", "Bauer", "Cruz", "Evans", "Green", "Hughes", "Jensen", "Kim", "Lopez",
        "Meyer", "Nash", "Ochoa", "Price", "Reid", "Stone", "Turner", "Vance", "West", "Young",
        "Abe", "Bose", "Chen", "Dahl", "Egan", "Ford", "Gill", "Hart", "Ito", "Jones",
        "Khan", "Lund", "Moss", "Nolan", "Ono", "Pike", "Rao", "Shaw", "Tate", "Uddin",
        "Vega", "Wade", "Xu", "Yates", "Zamora", "Ali", "Bell", "Cole", "Diaz", "Ellis",
        "Fox", "Gray", "Holt", "Ivey", "Jain", "Kerr", "Lamb", "Mori", "Nye", "Orr"]
PEOPLE = [f"{f} {l}" for l in LAST for f in FIRST]  # 2,000 names


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def analyze(data: Path, n_texts: int) -> tuple[list[L.Ledger], float]:
    """The ledgers of the first `n_texts` PolNeAR train texts, and the analysis seconds per article
    (the model's load not counted: a batch run loads it once)."""
    from newsledger import nlp as nlp_loader
    from newsledger.lab.eval.polnear import load_split
    from newsledger.pipeline import analyze_articles

    docs = load_split(data, "train", limit=n_texts)
    nlp = nlp_loader.load()
    started = time.perf_counter()
    out = list(analyze_articles([L.Article(id=d.id, text=d.text, outlet=d.outlet, published=d.published)
                                 for d in docs], nlp=nlp))
    took = time.perf_counter() - started
    leds = [r for r in out if isinstance(r, L.Ledger)]
    return leds, took / max(1, len(docs))


def _respell(word: str, rng: random.Random) -> str:
    """Another word of the same length (spans stay where they are)."""
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") if c.isalpha() else c for c in word)


def vary(base: L.Ledger, i: int, rng: random.Random) -> L.Ledger:
    """A copy of `base` as article i: other people, half its quotes a word changed, other figures, day, outlet."""
    text = list(base.text)
    for att in base.attributions:
        if att.kind in ("direct", "mixed") and att.content and rng.random() < 0.5:
            s, e = att.content[0]
            words = [(k, k + len(w)) for k, w in _words(base.text, s, e) if len(w) > 3]
            if words:
                a, b = rng.choice(words)
                text[a:b] = _respell(base.text[a:b], rng)
    names: dict[str, str] = {}
    entities = []
    for ent in base.entities:
        name = ent.name
        if ent.type == "PERSON":
            name = names.setdefault(ent.name, rng.choice(PEOPLE))
        entities.append(ent.model_copy(update={"name": name}))
    attributions = [att.model_copy(update={"source": att.source.model_copy(update={
        "name": names.get(att.source.name, att.source.name)})}) for att in base.attributions]
    scale = rng.choice([1.0, 1.0, 1.05, 1.2, 0.8, 2.0])
    figures = [f.model_copy(update={"value": None if f.value is None else round(f.value * scale),
                                    "value_max": None if f.value_max is None else round(f.value_max * scale)})
               for f in base.figures]
    day = 1 + i % 90
    return base.model_copy(update={
        "id": f"{base.id}-{i}", "text": "".join(text), "entities": entities, "attributions": attributions,
        "figures": figures, "outlet": f"Outlet {rng.randrange(40)}",
        "published": f"2024-{1 + (day - 1) // 30:02d}-{1 + (day - 1) % 30:02d}"})


def _words(text: str, s: int, e: int):
    k = s
    for w in text[s:e].split(" "):
        yield k, w.strip(".,;:!?\u201c\u201d\"'")
        k += len(w) + 1


def synthetic(bases: list[L.Ledger], start: int, n: int, seed: int = 19):
    rng = random.Random(seed + start)
    for i in range(start, start + n):
        yield vary(bases[i % len(bases)], i, rng)


STRETCH = 10_000  # articles between two readings of the write's cost as a store grows


def write(url: str, bases: list[L.Ledger], start: int, n: int, corpus: bool,
          stretches: Optional[list] = None) -> float:
    """Store articles start .. start+n-1 (BATCH a transaction); the seconds spent in save_ledgers.
    `stretches`: gets [articles stored, ms an article over the last STRETCH] as the store grows."""
    st = open_store(url)
    spent, last_spent, last_mark = 0.0, 0.0, start
    batch: list[ToStore] = []

    def flush(stored: int):
        nonlocal spent, last_spent, last_mark
        t = time.perf_counter()
        with st.session() as s:
            save_ledgers(s, batch, corpus=corpus)
        spent += time.perf_counter() - t
        batch.clear()
        if stretches is not None and (stored - start) % STRETCH < BATCH and stored > last_mark:
            stretches.append([stored, round((spent - last_spent) / (stored - last_mark) * 1000, 3)])
            print(f"  {stored} stored: {stretches[-1][1]} ms an article", flush=True)
            last_spent, last_mark = spent, stored

    for j, led in enumerate(synthetic(bases, start, n), start=start):
        batch.append(ToStore(led, f"bench-{j}"))
        if len(batch) == BATCH:
            flush(j + 1)
    if batch:
        flush(start + n)
    st.close()
    return spent


def timed(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def ask_apart(url: str) -> dict:
    """`ask` in a fresh process (no model, no ledgers in memory), with that process's peak RSS."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_ask_measured, (url,))


def _ask_measured(url: str) -> dict:
    out = ask(url)
    # VmHWM, this process's own peak: ru_maxrss would keep the parent's, which it is forked from
    hwm = [line.split()[1] for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:")]
    out["query_peak_rss_mb"] = round(int(hwm[0]) / 1024, 1) if hwm else None
    return out


def ask(url: str) -> dict:
    st = open_store(url)
    try:
        out = {
            "query_claims_s": timed(lambda: provenance.claims(st)),
            "query_claims_speaker_s": timed(lambda: provenance.claims(st, speaker=PEOPLE[7])),
            "query_series_s": timed(lambda: queries.series(st)),
            "query_series_killed_s": timed(lambda: queries.series(st, measure="killed")),
            "query_speakers_s": timed(lambda: queries.speakers(st)),
        }
        with st.session() as s:
            from sqlalchemy import func, select

            from newsledger.store import tables as T
            out["stored"] = {name: s.scalar(select(func.count()).select_from(t)) for name, t in (
                ("articles", T.Article), ("actors", T.Actor), ("claims", T.Claim),
                ("claim_occurrences", T.ClaimOccurrence), ("series", T.Series), ("series_points", T.SeriesPoint))}
        return out
    finally:
        st.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000, help="N: articles stored with and without the layer")
    ap.add_argument("--query-articles", type=int, default=100_000, help="M: articles stored when the queries are timed")
    ap.add_argument("--texts", type=int, default=100, help="PolNeAR train texts analyzed, the ledgers varied")
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--pg", default=os.environ.get("NEWSLEDGER_BENCH_PG"),
                    help="a PostgreSQL server's URL: a new database is made there for each run")
    ap.add_argument("--pg-query-articles", type=int, default=None,
                    help="M on PostgreSQL, when smaller than --query-articles (its writes are slower)")
    ap.add_argument("--backends", default="sqlite,postgresql",
                    help="which of sqlite,postgresql to measure (postgresql needs --pg)")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args()
    bases, analysis_s = analyze(Path(args.data), args.texts)
    print(f"analyzed {len(bases)} texts: {analysis_s * 1000:.1f} ms an article", flush=True)
    results = {"articles": args.articles, "query_articles": args.query_articles, "texts": len(bases),
               "batch": BATCH, "analysis_ms_per_article": round(analysis_s * 1000, 2), "backends": {}}
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("sqlite", lambda tag: f"sqlite:///{tmp}/{tag}.db")]
        if args.pg:
            from newsledger.store.db import new_database

            targets.append(("postgresql", lambda tag: new_database(args.pg, f"bench_corpus_{tag}_{uuid.uuid4().hex[:8]}")))
        targets = [(name, url_for) for name, url_for in targets if name in args.backends.split(",")]
        for name, url_for in targets:
            without = write(url_for("plain"), bases, 0, args.articles, corpus=False)
            url = url_for("corpus")
            with_layer = write(url, bases, 0, args.articles, corpus=True)
            n = args.articles
            plain_ms, corpus_ms = without / n * 1000, with_layer / n * 1000
            overhead_ms = corpus_ms - plain_ms
            ingest_ms = analysis_s * 1000 + plain_ms
            row = {"write_ms_per_article_without_corpus": round(plain_ms, 3),
                   "write_ms_per_article_with_corpus": round(corpus_ms, 3),
                   "corpus_overhead_ms_per_article": round(overhead_ms, 3),
                   "write_overhead_percent": round(overhead_ms / plain_ms * 100, 1),
                   "ingest_ms_per_article_without_corpus": round(ingest_ms, 2),
                   "ingest_overhead_percent": round(overhead_ms / ingest_ms * 100, 2),
                   "within_bound_10_percent": overhead_ms / ingest_ms <= 0.10}
            print(name, json.dumps(row), flush=True)
            m = args.pg_query_articles if name == "postgresql" and args.pg_query_articles else args.query_articles
            row["query_articles"] = max(m, n)
            if m > n:  # grow the same store to M
                t = time.perf_counter()
                stretches: list = []
                grown = write(url, bases, n, m - n, corpus=True, stretches=stretches)
                row["grow_to_query_articles_s"] = round(time.perf_counter() - t, 1)
                # the write with the layer as the store grows, every STRETCH articles: it should stay flat
                row["write_ms_per_article_by_store_size"] = stretches
                row["write_ms_per_article_with_corpus_growing"] = round(grown / (m - n) * 1000, 3)
            row.update({k: (round(v, 4) if isinstance(v, float) else v) for k, v in ask_apart(url).items()})
            row["peak_rss_mb"] = round(peak_rss_mb(), 1)
            print(name, json.dumps(row), flush=True)
            results["backends"][name] = row
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
