#!/usr/bin/env python3
"""The server under hostile analyses (`make bench`, issue 17): reads answer in under 1 s while four
pathological analyses run, and a runaway analysis is ended at its time limit, its slot free again.

    python bench/bench_server_hostile.py [--kb 50] [--time-limit 20] [--out bench/server-hostile-results.json]

Starts `newsledger serve` on a free loopback port over a fresh store, posts four texts of the cue
kind (" he said" repeated, the slowest pathological kind) to /api/analyze at once, and meanwhile
reads /api/articles, /, /static/app.css and /openapi.json in turn, timing each. Each analysis must
answer (200, or 503 Timeout when it runs over the limit) and no read may take 1 s or more. Then one
normal article must be analyzed: the slots were given back.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
READS = ("/api/articles", "/", "/static/app.css", "/openapi.json")
BOUND = 1.0  # seconds a read may take
NORMAL = {"id": "after", "text": "Harbor officials said on Monday that the terminal would open in March."}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base: str, path: str, body: dict | None = None, timeout: float = 600) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kb", type=int, default=50, help="size of each hostile text")
    ap.add_argument("--time-limit", type=float, default=20.0, help="the server's --time-limit")
    ap.add_argument("--out", default=os.path.join(HERE, "server-hostile-results.json"))
    args = ap.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [sys.executable, "-m", "newsledger", "serve", "--db", os.path.join(tmp, "s.db"), "--port", str(port),
             "--time-limit", str(args.time_limit)],
            env=dict(os.environ, PYTHONPATH=os.path.join(ROOT, "src")), stderr=subprocess.PIPE, text=True)
        try:
            for _ in range(600):  # the workers load the pipeline before the server listens
                try:
                    if request(base, "/api/articles", timeout=2)[0] == 200:
                        break
                except OSError:
                    time.sleep(0.5)
            else:
                print("bench_server_hostile: the server did not start")
                return 1
            text = (" he said" * (args.kb * 1000 // 8 + 1))[: args.kb * 1000]
            answers: list[tuple[int, str, float]] = []

            def post(i: int) -> None:
                t0 = time.perf_counter()
                status, body = request(base, "/api/analyze", {"id": f"hostile-{i}", "text": text})
                kind = json.loads(body).get("error", {}).get("type", "") if status != 200 else ""
                answers.append((status, kind, time.perf_counter() - t0))

            posts = [threading.Thread(target=post, args=(i,)) for i in range(4)]
            for t in posts:
                t.start()
            reads: list[float] = []
            i = 0
            while any(t.is_alive() for t in posts):
                t0 = time.perf_counter()
                status, _ = request(base, READS[i % len(READS)], timeout=30)
                reads.append(time.perf_counter() - t0)
                assert status == 200, (READS[i % len(READS)], status)
                i += 1
                time.sleep(0.2)
            for t in posts:
                t.join()
            t0 = time.perf_counter()
            after, _ = request(base, "/api/analyze", NORMAL)
            after_s = time.perf_counter() - t0
        finally:
            server.terminate()
            server.wait(30)
    slowest = max(reads)
    answered = all(s == 200 or (s == 503 and k == "Timeout") for s, k, _ in answers)
    ok = slowest < BOUND and answered and after == 200
    result = {
        "kb": args.kb, "time_limit": args.time_limit, "analyses": [
            {"status": s, "error": k, "seconds": round(sec, 2)} for s, k, sec in sorted(answers, key=lambda a: a[2])],
        "reads": len(reads), "read_median_s": round(statistics.median(reads), 3), "read_max_s": round(slowest, 3),
        "read_bound_s": BOUND, "normal_after_status": after, "normal_after_s": round(after_s, 2), "ok": ok}
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    print(f"4 analyses of {args.kb} KB cue text (limit {args.time_limit:g} s): "
          + ", ".join(f"{s}{' ' + k if k else ''} in {sec:.1f} s" for s, k, sec in sorted(answers, key=lambda a: a[2])))
    print(f"{len(reads)} reads meanwhile: median {statistics.median(reads) * 1000:.0f} ms, slowest "
          f"{slowest * 1000:.0f} ms (bound {BOUND * 1000:.0f} ms); a normal article after: {after} in {after_s:.1f} s")
    print(f"-> {args.out}; " + ("within bounds" if ok else "NOT within bounds"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
