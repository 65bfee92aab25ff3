#!/usr/bin/env python3
"""The HTTP API under load (`make bench`): `newsledger serve` (one uvicorn process) on a free
localhost port over an SQLite store of PolNeAR train texts, and 50 concurrent clients.

    python bench/bench_web.py [--articles 100] [--clients 50] [--reads 40] [--analyses 2]
        [--rounds 2] [--keepalive 2] [--out bench/web-results.json]

Set-up, untimed: the first --articles texts are ingested (`newsledger ingest`) into a new SQLite
file; the server is started and waited for; one ledger read and one analysis warm it up (the
analysis loads the pipeline). Then two phases, each run --rounds times (2; each round the same
requests), with --clients asyncio clients (httpx.AsyncClient) each making a bounded loop of requests:
  read     --reads requests a client: GET /api/articles/{key} over the stored keys, every fifth
           a GET /api/quotes page instead
  analyze  --analyses requests a client: POST /api/analyze with a text cut to about 600 words at a
           sentence end
An error is any answer other than 2xx, or any exception (a timeout too): there must be none. The
clients keep an idle connection --keepalive seconds (2), under the server's keep-alive timeout.
Reported for each round: requests, errors, requests/s (requests over the round's wall time), p50,
p95 and max latency. The server's RSS (VmRSS of its process and its children, from /proc) is
sampled every 0.5 s: at the start (after the warm-up), after each round, the peak, and the drift
of each phase (RSS after its last round minus after its first), small when memory is steady.
The clients run in this process on the same machine, so they take CPU from the server (2 cores here).
"""
from __future__ import annotations

import argparse
import asyncio
import glob
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "datasets", "polnear", "train", "text")
WORDS = 600
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")


def read_texts(data: str) -> list[tuple[str, str]]:
    out = []
    for path in sorted(glob.glob(os.path.join(data, "*.txt"))):
        with open(path, encoding="utf-8", newline="") as f:
            out.append((os.path.basename(path)[:-4], f.read()))
    return out


def cut(text: str, words: int = WORDS) -> str | None:
    """The text's first sentences up to about `words` words (the sentence that reaches it ends it);
    None when the text is shorter."""
    out, n, start = [], 0, 0
    for m in SENTENCE_END.finditer(text + " "):
        sentence = text[start:m.end()]
        start = m.end()
        out.append(sentence)
        n += len(sentence.split())
        if n >= words:
            return "".join(out).strip()
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> int:
    """VmRSS of `pid` and of its children, recursively, in kB."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                total += sum(rss_kb(int(c)) for c in f.read().split())
    except (OSError, StopIteration):
        pass
    return total


class Sampler(threading.Thread):
    """The server's RSS every `every` seconds; `peak_mb` and `now_mb()`."""

    def __init__(self, pid: int, every: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_kb, self.samples = pid, every, 0, 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.now_mb()
            self.stop.wait(self.every)

    def now_mb(self) -> float:
        kb = rss_kb(self.pid)
        self.peak_kb, self.samples = max(self.peak_kb, kb), self.samples + 1
        return kb / 1024


async def run_round(base: str, clients: int, plan, keepalive: float) -> dict:
    """`plan(client)` is that client's list of (method, path, json body or None)."""
    import httpx

    latencies, errors, samples = [], [], []
    # An idle connection is dropped by the client before the server's keep-alive timeout (uvicorn's:
    # 5 s, httpx's default expiry is also 5 s): otherwise a request may go out on a connection the
    # server is closing at that moment, which fails (ReadError) at no fault of the request.
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=keepalive)
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=limits) as http:
        async def client(i: int):
            for method, path, body in plan(i):
                t = time.perf_counter()
                try:
                    res = await http.request(method, path, json=body)
                    ok = 200 <= res.status_code < 300
                    why = None if ok else f"{res.status_code} {res.text[:200]}"
                except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                    why = f"{type(exc).__name__}: {exc}"
                latencies.append(time.perf_counter() - t)
                if why:
                    errors.append(why)
                    if len(samples) < 5:
                        samples.append(f"{method} {path} at {t - start:.1f} s of the round, after "
                                       f"{time.perf_counter() - t:.1f} s: {why}")

        start = time.perf_counter()
        await asyncio.gather(*(client(i) for i in range(clients)))
        seconds = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"requests": len(latencies), "errors": len(errors), "error_samples": samples, "seconds": seconds,
            "requests_per_s": len(latencies) / seconds, "p50_ms": 1000 * q[49], "p95_ms": 1000 * q[94],
            "max_ms": 1000 * max(latencies)}


def wait_until_up(base: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited ({proc.returncode})")
        try:
            if httpx.get(base + "/api/articles?limit=1", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sys.exit(f"the server did not answer within {seconds:g} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=100, help="PolNeAR texts in the store")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--reads", type=int, default=40, help="read requests a client, a round")
    ap.add_argument("--analyses", type=int, default=2, help="analyze requests a client, a round")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of each phase (at least 2)")
    ap.add_argument("--keepalive", type=float, default=2.0, help="seconds the client keeps an idle connection")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--out", default=os.path.join(HERE, "web-results.json"))
    args = ap.parse_args()
    if args.rounds < 2:
        ap.error("--rounds: at least 2, to compare memory after the first and the last")
    texts = read_texts(args.data)
    if not texts:
        print(f"web bench skipped: no .txt articles in {args.data} (../shared absent?)")
        return
    import httpx

    bodies = [{"id": f"load-{name}", "text": t} for name, t in ((n, cut(x)) for n, x in texts) if t]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [os.path.join(ROOT, "src"), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory() as tmp:
        src, db = os.path.join(tmp, "articles.jsonl"), f"sqlite:///{tmp}/store.db"
        with open(src, "w", encoding="utf-8") as out:
            for name, text in texts[:args.articles]:
                out.write(json.dumps({"id": name, "text": text}) + "\n")
        t = time.perf_counter()
        ingest = subprocess.run([sys.executable, "-m", "newsledger", "ingest", src, "--db", db],
                                capture_output=True, text=True, env=env)
        if ingest.returncode != 0:
            sys.exit(f"ingest failed:\n{ingest.stderr[-3000:]}")
        ingest_s = time.perf_counter() - t
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(os.path.join(tmp, "server.log"), "w+", encoding="utf-8")  # a pipe, unread, could fill and stall it
        server = subprocess.Popen([sys.executable, "-m", "newsledger", "serve", "--db", db, "--port", str(port)],
                                  stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
        try:
            wait_until_up(base, server)
            keys = [a["article_key"] for a in httpx.get(base + "/api/articles?limit=1000").json()["items"]]
            if not keys:
                sys.exit("the store holds no articles")
            # warm-up, untimed: a ledger, a page of quotes, an analysis (it loads the pipeline)
            for path in (f"/api/articles/{keys[0]}", "/api/quotes?limit=50"):
                httpx.get(base + path, timeout=60).raise_for_status()
            httpx.post(base + "/api/analyze", json=bodies[0], timeout=300).raise_for_status()

            def reads(i: int):
                return [("GET", "/api/quotes?limit=50&offset=%d" % (50 * (i % 4)), None) if j % 5 == 4
                        else ("GET", f"/api/articles/{keys[(i * args.reads + j) % len(keys)]}", None)
                        for j in range(args.reads)]

            def analyses(i: int):
                return [("POST", "/api/analyze", bodies[(i * args.analyses + j) % len(bodies)])
                        for j in range(args.analyses)]

            sampler = Sampler(server.pid)
            sampler.start()
            time.sleep(1)
            rss = {"start_mb": sampler.now_mb()}
            phases = {}
            for phase, plan in (("read", reads), ("analyze", analyses)):
                for rnd in range(1, args.rounds + 1):
                    r = asyncio.run(run_round(base, args.clients, plan, args.keepalive))
                    time.sleep(1)  # let the server settle before RSS is read
                    r["rss_after_mb"] = sampler.now_mb()
                    phases[f"{phase}-{rnd}"] = r
                if server.poll() is not None:
                    sys.exit(f"the server exited ({server.returncode}) during the {phase} phase")
                rss[f"{phase}_drift_mb"] = (phases[f"{phase}-{args.rounds}"]["rss_after_mb"]
                                            - phases[f"{phase}-1"]["rss_after_mb"])
            sampler.stop.set()
            sampler.join()
            rss["peak_mb"] = sampler.peak_kb / 1024
            rss["samples"] = sampler.samples
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.seek(0)
            server_log = log.read().splitlines()
            log.close()
    words = [len(b["text"].split()) for b in bodies]
    print(f"store: {len(keys)} PolNeAR train texts (ingest {ingest_s:.0f} s); analyze bodies: {len(bodies)} texts "
          f"cut at a sentence end, {min(words)}-{max(words)} words (median {statistics.median(words):.0f}); "
          f"{args.clients} concurrent clients, one server process")
    print(f"{'phase':<11}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'RSS after MB':>14}")
    for name, r in phases.items():
        print(f"{name:<11}{r['requests']:>9}{r['errors']:>8}{r['requests_per_s']:>9.1f}{r['p50_ms']:>9.0f}"
              f"{r['p95_ms']:>9.0f}{r['max_ms']:>9.0f}{r['rss_after_mb']:>14.0f}")
        for sample in r["error_samples"]:
            print(f"  error: {sample}")
    said = [line for line in server_log if "newsledger API on" not in line and "openapi.json" not in line]
    if said:
        print(f"server log: {len(said)} lines, the last:\n  " + "\n  ".join(said[-15:]))
    print(f"server RSS: start {rss['start_mb']:.0f} MB, peak {rss['peak_mb']:.0f} MB; drift round 1 -> {args.rounds}: "
          f"read {rss['read_drift_mb']:+.1f} MB, analyze {rss['analyze_drift_mb']:+.1f} MB")
    result = {"articles": len(keys), "clients": args.clients, "client_keepalive_s": args.keepalive, "reads_per_client": args.reads,
              "analyses_per_client": args.analyses, "analyze_words": {"min": min(words), "max": max(words),
              "median": statistics.median(words)}, "phases": phases, "rss": rss}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(f"written: {os.path.relpath(args.out, ROOT)}")
    if any(r["errors"] for r in phases.values()):
        sys.exit("errors under load (see above)")


if __name__ == "__main__":
    main()
