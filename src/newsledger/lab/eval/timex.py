"""`newsledger eval timex`: TempEval-3 (TimeML) time expression scoring in-process, with error listing.

The definitions are those of the official scorer (../shared/eval/timex.py): each document's TEXT with
its tags stripped goes in as an article with its DCT as the publication date; a prediction matches a
gold TIMEX3 strictly (same span, outer spaces aside) or relaxedly (overlapping), one to one; "value"
and "type" count relaxed matches with the same TIMEX3 value / type.
"""
from __future__ import annotations

import html
import re
import time
from pathlib import Path
from typing import Optional

from rich.console import Console

from . import print_and_save
from rich.markup import escape

from .scoring import prf_dict

_TAG = re.compile(r"<(/?)([A-Za-z0-9]+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_tml(path: Path) -> dict:
    """{id, text, published, gold: [{span, value, type}]} of one .tml document."""
    raw = path.read_text(encoding="utf-8")
    dct = re.search(r"<DCT>.*?value=\"([^\"]+)\"", raw, re.S)
    body_match = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if body_match is None:
        raise ValueError(f"{path}: no <TEXT> element")
    body = body_match.group(1)
    text: list[str] = []
    gold, open_timex, pos, here = [], None, 0, 0
    for m in _TAG.finditer(body):
        piece = html.unescape(body[pos:m.start()])
        text.append(piece)
        here += len(piece)
        pos = m.end()
        closing, name, attrs = m.group(1), m.group(2), m.group(3)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = None if attrs.rstrip().endswith("/") else (here, dict(_ATTR.findall(attrs)))
        elif open_timex:
            start, a = open_timex
            gold.append({"span": (start, here), "value": a.get("value", ""), "type": a.get("type", "")})
            open_timex = None
    text.append(html.unescape(body[pos:]))
    return {"id": path.name, "text": "".join(text), "published": dct.group(1) if dct else None, "gold": gold}


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _context(text: str, span: tuple[int, int], width: int = 50) -> str:
    s, e = span
    return " ".join((text[max(0, s - width):s] + "[" + text[s:e] + "]" + text[e:e + width]).split())


def score_doc(text: str, gold: list[dict], pred: list[dict], counts: dict, errors: dict) -> None:
    """Add one document's matches to `counts` and its errors (with context) to `errors`."""
    gold = [dict(g, span=_trim(text, *g["span"])) for g in gold]
    pred = [dict(p, span=_trim(text, *p["span"])) for p in pred]
    counts["gold"] += len(gold)
    counts["pred"] += len(pred)
    used: set[int] = set()
    for g in gold:
        gs, ge = g["span"]
        best = None
        for j, p in enumerate(pred):
            ps, pe = p["span"]
            if j in used or min(ge, pe) <= max(gs, ps):
                continue
            if best is None or p["span"] == g["span"]:
                best = j
        if best is None:
            errors["missed"].append(f"{g['type']} {g['value']}: {_context(text, g['span'])}")
            continue
        used.add(best)
        p = pred[best]
        counts["relaxed"] += 1
        counts["strict"] += p["span"] == g["span"]
        same_value = p["value"].upper() == g["value"].upper()
        counts["value"] += same_value
        counts["type"] += p["type"].upper() == g["type"].upper()
        if not same_value:
            errors["wrong value"].append(f"gold {g['value']} predicted {p['value']}: {_context(text, g['span'])}")
    for j, p in enumerate(pred):
        if j not in used:
            errors["spurious"].append(f"{p['type']} {p['value']}: {_context(text, p['span'])}")


def evaluate(data: str, limit: Optional[int] = None, nlp=None) -> dict:
    """Analyze the .tml documents under `data` in this process and score them: figures and errors."""
    from ...ledger import Article, ErrorRecord
    from ...pipeline import analyze_articles

    paths = sorted(Path(data).rglob("*.tml*"))[:limit]
    if not paths:
        raise ValueError(f"no .tml documents found in {data}")
    docs = [read_tml(p) for p in paths]
    articles = [Article(id=d["id"], text=d["text"], published=d["published"]) for d in docs]
    counts = dict.fromkeys(("gold", "pred", "strict", "relaxed", "value", "type"), 0)
    errors: dict[str, list[str]] = {"missed": [], "spurious": [], "wrong value": []}
    failed = 0
    start = time.perf_counter()
    for d, result in zip(docs, analyze_articles(articles, nlp=nlp)):
        if isinstance(result, ErrorRecord):
            failed += 1
            pred = []
        else:
            pred = [{"span": tuple(t.span), "value": t.value, "type": t.type} for t in result.dates]
        score_doc(d["text"], d["gold"], pred, counts, errors)
    res = {"docs": len(docs), "gold": counts["gold"], "pred": counts["pred"], "failed": failed,
           "seconds": round(time.perf_counter() - start, 2)}
    for name in ("strict", "relaxed", "value", "type"):
        res[name] = prf_dict(counts[name], counts["pred"], counts["gold"])
    res["errors"] = errors
    return res


def report(res: dict, console: Console, examples: int = 20) -> None:
    console.print(f"[bold]TimeML[/]: {res['docs']} documents, {res['gold']} gold and {res['pred']} predicted "
                  f"time expressions, {res['seconds']} s, {res['failed']} failed")
    for name in ("strict", "relaxed", "value", "type"):
        v = res[name]
        console.print(f"{name:8s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}")
    for kind, items in res["errors"].items():
        console.print(f"[bold]{kind}[/] ({len(items)}), e.g.:")
        for line in items[:examples]:
            console.print("  " + escape(line))


def main(data: str, limit: Optional[int] = None, json_out: Optional[str] = None, examples: int = 20) -> dict:
    """Score `newsledger` on TimeML documents in-process; print a report, return (and optionally write)
    the figures."""
    res = evaluate(data, limit)
    return print_and_save(res, report, examples, json_out)
