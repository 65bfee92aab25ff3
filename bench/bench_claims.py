#!/usr/bin/env python3
"""What linking claims costs the write step: synthetic ledgers (six direct quotes each, half of
them drawn from a shared pool so that claims recur, with variants) stored 32 a transaction, with
claims linked and without (store/provenance.link_quotes replaced by a no-op), on SQLite and, given a
server, PostgreSQL. No analysis: the ledgers are made here.

    python bench/bench_claims.py [--articles 1000] [--pg postgresql+psycopg://postgres@127.0.0.1:55432/db]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from newsledger.ledger import Attribution, Ledger, Source  # noqa: E402
from newsledger.store import open_store  # noqa: E402
from newsledger.store import write as W  # noqa: E402
from newsledger.store.write import ToStore, save_ledgers  # noqa: E402
from newsledger.text import marks  # noqa: E402


def ledgers(n: int, seed: int = 1) -> list[Ledger]:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(3000)] + ["the", "we", "will", "not", "a", "to", "of", "and"] * 50
    pool = [" ".join(rng.choice(vocab) for _ in range(rng.randint(6, 30))) for _ in range(3000)]
    out = []
    for i in range(n):
        parts, atts, pos = [], [], 0
        for k in range(6):
            words = rng.choice(pool) if rng.random() < 0.5 else " ".join(rng.choice(vocab) for _ in range(rng.randint(6, 30)))
            if rng.random() < 0.1:
                words = words.replace("w1", "w2", 1)  # a variant
            s = f"Sentence {k}. {marks.LEFT_DOUBLE}{words},{marks.RIGHT_DOUBLE} said Person {k}. "
            c = pos + s.index(marks.LEFT_DOUBLE)
            e = pos + s.index(marks.RIGHT_DOUBLE) + 1
            atts.append(Attribution(kind="direct", content=[(c, e)],
                                    source=Source(span=(e + 6, e + 14), name=f"Person {k}", resolved=True)))
            parts.append(s)
            pos += len(s)
        out.append(Ledger(id=f"a{i}", text="".join(parts), published=f"2024-0{1 + i % 9}-1{i % 10}",
                          outlet=f"Outlet {i % 20}", attributions=atts))
    return out


def run(url: str, leds: list[Ledger], link: bool) -> float:
    original = W.link_quotes
    if not link:
        W.link_quotes = lambda *a, **k: 0
    try:
        st = open_store(url)
        started = time.perf_counter()
        for i in range(0, len(leds), 32):
            with st.session() as s:
                save_ledgers(s, [ToStore(led, f"k{j}") for j, led in enumerate(leds[i:i + 32], start=i)])
        took = time.perf_counter() - started
        st.close()
        return took
    finally:
        W.link_quotes = original


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--pg", help="a PostgreSQL server's URL: a new database is made there for each run")
    args = ap.parse_args()
    leds = ledgers(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("sqlite", lambda tag: f"sqlite:///{tmp}/{tag}.db")]
        if args.pg:
            from newsledger.store.db import new_database

            targets.append(("postgresql", lambda tag: new_database(args.pg, f"bench_claims_{tag}_{uuid.uuid4().hex[:8]}")))
        for name, url_for in targets:
            off, on = run(url_for("off"), leds, False), run(url_for("on"), leds, True)
            print(f"{name}: {args.articles} articles, 6 quotes each: write {1000 * off / args.articles:.1f} ms/article "
                  f"without claims, {1000 * on / args.articles:.1f} ms/article with them linked")


if __name__ == "__main__":
    main()
