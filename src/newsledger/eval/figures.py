"""`newsledger eval figures`: NewsQuant scoring in-process, with a listing of errors.

The definitions are those of the official scorer (../shared/eval/figures.py): each sentence is one
article; a predicted figure matches a gold quantity of the same value (relative difference under
1e-6), one to one, first come first served; "value+unit" also asks that the predicted unit or
counted thing share a normalized word with the gold unit or normalized unit (currency and percent
symbols folded), or that both be unitless.
"""
from __future__ import annotations

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


def as_number(v) -> Optional[float]:
    try:
        return float(str(v).replace(",", ""))
    except (TypeError, ValueError):
        return None


def same(a: Optional[float], b: Optional[float]) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(b))


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score_sentence(gold_quantities: list[dict], figures: list[dict]) -> dict:
    """Matches of one sentence: counts, and the unmatched gold and predictions."""
    gold = [(as_number(q["value"]), unit_words(q["unit"], q["normalized_unit"]), q["unit"] == "-")
            for q in gold_quantities]
    pred = [(as_number(f.get("value")), unit_words(f.get("unit"), f.get("quantity")), not f.get("unit"))
            for f in figures]
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
    # Gold ranges ("252.0-287.0") have no number value, so the official scorer can match nothing
    # to them: counted apart to show the ceiling they put on recall.
    gold_ranges = sum(as_number(q["value"]) is None for q in gold_quantities)
    return {"tp_value": tp_value, "tp_unit": tp_unit, "missed": missed, "spurious": spurious,
            "wrong_unit": wrong_unit, "gold_ranges": gold_ranges,
            "range_preds": sum(f.get("value_max") is not None for f in spurious)}


def evaluate(data: str, nlp=None, limit: Optional[int] = None, examples: int = 40) -> dict:
    """Analyze each NewsQuant sentence in this process and score the figures."""
    from ..ledger import Article, ErrorRecord
    from ..pipeline import analyze_articles

    with open(data, encoding="utf-8") as f:
        sents = json.load(f)
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
    return {"sentences": len(sents), "gold": n_gold, "pred": n_pred, "failed": failed,
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
    console.print(f"[bold]NewsQuant[/]: {res['sentences']} sentences, {res['gold']} gold and {res['pred']} "
                  f"predicted figures, {res['seconds']} s, {res['failed']} failed")
    console.print(f"value       {_fmt(res['value'])}")
    console.print(f"value+unit  {_fmt(res['value_unit'])}")
    console.print(f"{res['gold_ranges']} gold ranges no prediction can match (recall ceiling "
                  f"{1 - res['gold_ranges'] / max(1, res['gold']):.3f}); {res['spurious_range_preds']} "
                  f"unmatched predicted ranges")
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


def main(data: str, json_out: Optional[str] = None, limit: Optional[int] = None, examples: int = 20) -> dict:
    """Score `newsledger` figures on a NewsQuant file in-process; print a report, return (and
    optionally write) the scores."""
    res = evaluate(data, limit=limit, examples=max(examples, 40))
    return print_and_save(res, report, examples, json_out)
