"""`newsledger eval attributions`: PolNeAR scoring in-process, with error analysis.

The figures are those of the official scorer (../shared/eval/attributions.py; the definitions are
reimplemented in `scoring.py`), computed on ledgers made in this process instead of through a
subprocess; the error analysis adds per-outlet and per-kind figures, error types and cue words.
"""
from __future__ import annotations

import json
import time
from typing import Callable, Optional

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .polnear import load_split
from .scoring import ERROR_SIDES, ERROR_TYPES, Pred, Tally


def _preds(ledger) -> list[Pred]:
    return [Pred(content=[tuple(s) for s in a.content],
                 source=tuple(a.source.span) if a.source and a.source.span else None,
                 cue=tuple(a.cue.span) if a.cue else None, kind=a.kind)
            for a in ledger.attributions]


def _progress(console: Console):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True, disable=not console.is_terminal)


def evaluate(data: str, split: str = "dev", limit: Optional[int] = None, nlp=None,
             progress_console: Optional[Console] = None, scheme: str = "claims",
             on_ledger: Optional[Callable] = None) -> dict:
    """Analyze the split's documents in this process and score them: the figures dict.
    `on_ledger(doc, ledger)` sees each ledger (to score more than attributions)."""
    from ...pipeline import analyze_articles
    from ...ledger import Article, ErrorRecord

    docs = load_split(data, split, limit)
    if not docs:
        raise ValueError(f"no documents found in {data} for split {split!r}")
    articles = [Article(id=d.id, text=d.text, published=d.published, outlet=d.outlet)
                for d in docs]
    tally = Tally()
    failed = text_changed = 0
    console = progress_console or Console(stderr=True)
    start = time.perf_counter()
    with _progress(console) as progress:
        task = progress.add_task("scoring attributions", total=len(docs))
        for d, result in zip(docs, analyze_articles(articles, nlp=nlp, scheme=scheme)):
            if isinstance(result, ErrorRecord) or result.id != d.id:
                failed += 1
                preds = []
            else:
                text_changed += result.text != d.text
                preds = _preds(result)
                if on_ledger is not None:
                    on_ledger(d, result)
            tally.add_doc(d.text, d.gold, preds, outlet=d.outlet, doc_id=d.id)
            progress.advance(task)
    seconds = time.perf_counter() - start
    return {"docs": len(docs), "split": split, "scheme": scheme, "seconds": round(seconds, 2),
            "failed": failed, "text_changed": text_changed, **tally.figures()}


def _f(x: float) -> str:
    return f"{x:.3f}"


def report(res: dict, console: Console, corpus: str = "PolNeAR") -> None:
    """A readable report of the figures."""
    console.print(f"[bold]{escape(corpus)} {escape(res['split'])}[/] ({escape(res.get('scheme', ''))} scheme): "
                  f"{res['docs']} articles, {res['gold']} gold and "
                  f"{res['pred']} predicted attributions, {res['seconds']} s, {res['failed']} failed, "
                  f"{res['text_changed']} with changed text")
    t = Table(title="Content and full match", title_justify="left")
    for col in ("", "P", "R", "F1"):
        t.add_column(col, justify="right" if col else "left")
    for key, label in (("content_lenient", "content lenient"), ("content_strict", "content strict"),
                       ("full", "full (src+cue)")):
        v = res[key]
        t.add_row(label, _f(v["p"]), _f(v["r"]), _f(v["f1"]))
    console.print(t)
    console.print(f"on matched: source right {_f(res['source_acc'])}, cue right {_f(res['cue_acc'])}")

    t = Table(title="Recall by gold kind", title_justify="left")
    for col in ("kind", "gold", "lenient", "full"):
        t.add_column(col, justify="left" if col == "kind" else "right")
    for k, v in res["recall_by_kind"].items():
        t.add_row(k, str(v["gold"]), _f(v["lenient"]), _f(v["full"]))
    console.print(t)

    t = Table(title="By outlet", title_justify="left")
    for col in ("outlet", "docs", "gold", "pred", "len P", "len R", "len F1", "full P", "full R", "full F1"):
        t.add_column(col, justify="left" if col == "outlet" else "right")
    for name, v in res["by_outlet"].items():
        le, fu = v["lenient"], v["full"]
        t.add_row(escape(name), str(v["docs"]), str(v["gold"]), str(v["pred"]), _f(le["p"]), _f(le["r"]),
                  _f(le["f1"]), _f(fu["p"]), _f(fu["r"]), _f(fu["f1"]))
    console.print(t)

    t = Table(title="Precision by predicted kind", title_justify="left")
    for col in ("kind", "pred", "lenient P", "full P"):
        t.add_column(col, justify="left" if col == "kind" else "right")
    for k, v in res["precision_by_pred_kind"].items():
        t.add_row(escape(k), str(v["pred"]), _f(v["lenient"]), _f(v["full"]))
    console.print(t)

    t = Table(title="Error types (recall lost: share of gold; precision lost: share of predicted)",
              title_justify="left")
    for col in ("error", "count", "of gold", "of predicted"):
        t.add_column(col, justify="left" if col == "error" else "right")
    for k, n in res["errors"].items():
        side = ERROR_SIDES.get(k, "both")
        of_gold = _f(n / res["gold"]) if res["gold"] and side in ("gold", "both") else ""
        of_pred = _f(n / res["pred"]) if res["pred"] and side in ("pred", "both") else ""
        t.add_row(escape(k), str(n), of_gold, of_pred)
    console.print(t)
    for key, label in (("source_errors", "wrong source"), ("cue_errors", "wrong cue")):
        if res[key]:
            console.print(f"{label}: " + ", ".join(f"{escape(k)} {n}" for k, n in res[key].items()))

    t = Table(title="Top cue words", title_justify="left")
    t.add_column("missed gold cue")
    t.add_column("n", justify="right")
    t.add_column("spurious predicted cue")
    t.add_column("n", justify="right")
    missed, spurious = res["missed_cues"], res["spurious_cues"]
    for i in range(max(len(missed), len(spurious))):
        m = missed[i] if i < len(missed) else ("", "")
        s = spurious[i] if i < len(spurious) else ("", "")
        t.add_row(escape(m[0]), str(m[1]), escape(s[0]), str(s[1]))
    console.print(t)

    for kind in ERROR_TYPES:
        examples = res["examples"].get(kind)
        if not examples:
            continue
        console.print(f"[bold]{escape(kind)}[/], e.g.:")
        for ex in examples[:5]:
            if kind == "wrong source":
                console.print(f"  [dim]{escape(ex['id'])}[/] gold [green]{escape(str(ex['gold_source']))}[/], "
                              f"predicted [red]{escape(str(ex['pred_source']))}[/]: {escape(ex['content'])}")
                continue
            cue = f" [magenta]{escape(ex['cue'])}[/]" if ex.get("cue") else ""
            console.print(f"  [dim]{escape(ex['id'])}[/]{cue}: {escape(ex['content'])}")


def main(data: str, split: str = "dev", limit: Optional[int] = None, json_out: Optional[str] = None,
         scheme: str = "claims") -> dict:
    """Score `newsledger` on a PolNeAR split in-process; print a report, return (and optionally write)
    the figures."""
    return present(evaluate(data, split, limit, scheme=scheme), report, json_out)


def present(res: dict, report_with: Callable, json_out: Optional[str] = None) -> dict:
    """Print a scorer's report (`report_with(res, console)`), write its figures to `json_out` when
    asked, return them."""
    console = Console(highlight=False)
    if not console.is_terminal:  # a file or a pipe: room for the tables
        console.width = max(console.width, 120)
    report_with(res, console)
    if json_out:
        with open(json_out, "w", encoding="utf-8") as f:
            json.dump(res, f, indent=1, ensure_ascii=False)
    return res
