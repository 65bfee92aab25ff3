"""`newsledger eval figures`: NewsQuant scoring in-process, with a listing of errors.

The definitions are those of the official scorer (../shared/eval/figures.py): each sentence is one
article; a predicted figure matches a gold quantity of the same value (relative difference under
1e-6; a gold range "252.0-287.0" matches a figure whose value and value_max are its ends), one to
one, first come first served; "value+unit" also asks that the predicted unit or
counted thing share a normalized word with the gold unit or normalized unit (currency and percent
symbols folded), or that both be unitless.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from typing import Optional

from rich.console import Console

from . import print_and_save
from rich.markup import escape

FOLD = {"$": "dollar", "us$": "dollar", "usd": "dollar", "$a": "dollar", "a$": "dollar", "c$": "dollar",
        "%": "percent", "per cent": "percent", "percentage": "percent", "pct": "percent",
        "£": "pound", "ps": "pound", "gbp": "pound", "€": "euro", "eur": "euro", "¥": "yen", "jpy": "yen"}


def unit_words(*texts) -> set[str]:
    """Normalized words of units and counted things, as the official scorer folds them."""
    out: set[str] = set()
    for t in texts:
        if not t or t == "-":
            continue
        t = str(t).strip().lower()
        if t in FOLD:
            out.add(FOLD[t])
            continue
        for w in re.findall(r"[a-z$%£€¥]+", t):
            w = FOLD.get(w, w)
            out.add(w[:-1] if len(w) > 3 and w.endswith("s") else w)
    return out


# NewsQuant dev split for tuning: a sentence is held out when the first 8 hex digits of the SHA-256
# of its text, modulo 100, fall under HELDOUT_PERCENT. Deterministic, independent of file order,
# and stable when sentences are added. Rules are tuned on "tune" only; "heldout" says how they fare
# on sentences nobody looked at.
HELDOUT_PERCENT = 30
PARTS = ("all", "tune", "heldout")


def part_of(text: str) -> str:
    """"tune" or "heldout": the part of the NewsQuant split a sentence belongs to."""
    h = int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)
    return "heldout" if h % 100 < HELDOUT_PERCENT else "tune"


def select_part(sents: list[dict], part: str = "all") -> list[dict]:
    """The sentences of one part of the split ("all", "tune", "heldout"), in file order."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}: one of {', '.join(PARTS)}")
    return sents if part == "all" else [s for s in sents if part_of(s["text"]) == part]


def as_number(v) -> Optional[float]:
    try:
        return float(str(v).replace(",", ""))
    except (TypeError, ValueError):
        return None


def as_value(v, v_max=None):
    """A gold value string or a predicted (value, value_max) as a number, or as a sorted pair for a
    range: gold "252.0-287.0" (NewsQuant's ranges and "from A to B" spans) is (252.0, 287.0)."""
    if v_max is not None:
        lo, hi = as_number(v), as_number(v_max)
        return None if lo is None or hi is None else tuple(sorted((lo, hi)))
    s = str(v).strip() if v is not None else ""
    if "-" in s[1:] and "e" not in s.lower():
        ends = [as_number(x) for x in s.split("-", 1)]
        return None if None in ends else tuple(sorted(ends))
    return as_number(v)


def same(a, b) -> bool:
    """Equal values (relative difference under 1e-6); a range matches only a range with both ends
    equal, in either order."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return isinstance(a, tuple) and isinstance(b, tuple) and all(same(x, y) for x, y in zip(a, b))
    return a is not None and b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(b))


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score_sentence(gold_quantities: list[dict], figures: list[dict]) -> dict:
    """Matches of one sentence: counts, and the unmatched gold and predictions."""
    gold = [(as_value(q["value"]), unit_words(q["unit"], q["normalized_unit"]), q["unit"] == "-")
            for q in gold_quantities]
    pred = [(as_value(f.get("value"), f.get("value_max")), unit_words(f.get("unit"), f.get("quantity")),
             not f.get("unit")) for f in figures]
    used: set[int] = set()
    tp_value = tp_unit = 0
    missed, wrong_unit = [], []
    for gi, (gv, gw, gnone) in enumerate(gold):
        for j, (pv, pw, pnone) in enumerate(pred):
            if j not in used and same(pv, gv):
                used.add(j)
                tp_value += 1
                ok = bool(gw & pw) or (gnone and pnone)
                tp_unit += ok
                if not ok:
                    wrong_unit.append((gold_quantities[gi], figures[j]))
                break
        else:
            missed.append(gold_quantities[gi])
    spurious = [f for j, f in enumerate(figures) if j not in used]
    # Gold ranges ("252.0-287.0") match only a predicted range with the same ends, as the official
    # scorer (after CQE's evaluation) matches them: counted apart.
    gold_ranges = sum(isinstance(as_value(q["value"]), tuple) for q in gold_quantities)
    return {"tp_value": tp_value, "tp_unit": tp_unit, "missed": missed, "spurious": spurious,
            "wrong_unit": wrong_unit, "gold_ranges": gold_ranges,
            "range_preds": sum(f.get("value_max") is not None for f in spurious)}


def evaluate(data: str, nlp=None, limit: Optional[int] = None, examples: int = 40,
             part: str = "all") -> dict:
    """Analyze each NewsQuant sentence (of one `part` of the split) in this process and score the
    figures."""
    from ...ledger import Article, ErrorRecord
    from ...pipeline import analyze_articles

    with open(data, encoding="utf-8") as f:
        sents = select_part(json.load(f), part)
    if limit:
        sents = sents[:limit]
    articles = [Article(id=f"s{i}", text=s["text"]) for i, s in enumerate(sents)]
    n_gold = n_pred = tp_value = tp_unit = failed = gold_ranges = range_preds = 0
    errors: dict[str, list] = {"missed": [], "spurious": [], "wrong_unit": []}
    start = time.perf_counter()
    for s, result in zip(sents, analyze_articles(articles, nlp=nlp)):
        if isinstance(result, ErrorRecord):
            failed += 1
            figures = []
        else:
            figures = [{**fig.model_dump(mode="json"), "text": result.text[fig.span[0]:fig.span[1]]}
                       for fig in result.figures]
        sc = score_sentence(s["quantities"], figures)
        n_gold += len(s["quantities"])
        n_pred += len(figures)
        tp_value += sc["tp_value"]
        tp_unit += sc["tp_unit"]
        gold_ranges += sc["gold_ranges"]
        range_preds += sc["range_preds"]
        for kind in errors:
            for item in sc[kind]:
                if len(errors[kind]) < examples:
                    errors[kind].append({"sentence": s["text"], "item": item})
    seconds = time.perf_counter() - start
    return {"part": part, "sentences": len(sents), "gold": n_gold, "pred": n_pred, "failed": failed,
            "seconds": round(seconds, 2), "value": prf(tp_value, n_pred, n_gold),
            "value_unit": prf(tp_unit, n_pred, n_gold), "gold_ranges": gold_ranges,
            "spurious_range_preds": range_preds, "errors": errors}


def _fmt(v: dict) -> str:
    return f"P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}"


def _figure(f: dict) -> str:
    rng = f"-{f['value_max']:g}" if f.get("value_max") is not None else ""
    value = "None" if f.get("value") is None else f"{f['value']:g}"
    return f"{f.get('text', '')!r} = {value}{rng} unit={f.get('unit')} quantity={f.get('quantity')}"


def report(res: dict, console: Console, limit: int = 20) -> None:
    part = f" ({res['part']} part)" if res.get("part", "all") != "all" else ""
    console.print(f"[bold]NewsQuant[/]{part}: {res['sentences']} sentences, {res['gold']} gold and {res['pred']} "
                  f"predicted figures, {res['seconds']} s, {res['failed']} failed")
    console.print(f"value       {_fmt(res['value'])}")
    console.print(f"value+unit  {_fmt(res['value_unit'])}")
    console.print(f"{res['gold_ranges']} gold ranges (matched by a predicted range with the same ends); "
                  f"{res['spurious_range_preds']} unmatched predicted ranges")
    errs = res["errors"]
    for kind, label in (("missed", "missed gold"), ("spurious", "spurious"), ("wrong_unit", "unit disagrees")):
        if not errs[kind]:
            continue
        console.print(f"[bold]{label}[/], e.g.:")
        for ex in errs[kind][:limit]:
            item = ex["item"]
            if kind == "missed":
                what = f"{item['value']} {item['unit']}"
            elif kind == "spurious":
                what = _figure(item)
            else:
                what = f"gold {item[0]['value']} {item[0]['unit']} / {item[0]['normalized_unit']}; got {_figure(item[1])}"
            console.print(f"  [red]{escape(what)}[/]: {escape(ex['sentence'][:160])}")


def main(data: str, json_out: Optional[str] = None, limit: Optional[int] = None, examples: int = 20,
         part: str = "all") -> dict:
    """Score `newsledger` figures on a NewsQuant file (or one part of its split) in-process; print
    a report, return (and optionally write) the scores."""
    res = evaluate(data, limit=limit, examples=max(examples, 40), part=part)
    return print_and_save(res, report, examples, json_out)
