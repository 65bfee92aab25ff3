"""The real-news evaluation set: our own annotations of pages from `html-articles/`, by
`../shared/spec/attribution-guideline.md` (see `data/realnews/README.md`).

The annotations live in the project (`data/realnews/manifest.tsv` and one brat `.ann` file an
article); the texts stay in `../shared/datasets/html-articles/ground-truth.json`. `layout` writes
the folder the PolNeAR scorers read (`metadata.tsv`, `SPLIT/text/NAME.txt`,
`SPLIT/attributions/NAME_nl.ann`), so `../shared/eval/attributions.py --data DIR --split test`
scores it as it scores PolNeAR.

Annotations are written as JSON specs whose spans are quoted strings, the span marked `[[so]]`
inside a longer context that occurs once in the text; `convert` checks every span and writes the
brat file. Standard library only: an annotator runs it with a bare `python3`:

    python3 src/newsledger/lab/eval/realnews.py show ID            # the text, paragraphs numbered
    python3 src/newsledger/lab/eval/realnews.py check SPEC.json     # resolve every span, list problems
    python3 src/newsledger/lab/eval/realnews.py convert SPEC.json   # write data/realnews/ann/ID.ann
    python3 src/newsledger/lab/eval/realnews.py add SPEC.json       # append a completion pass's attributions
    python3 src/newsledger/lab/eval/realnews.py layout --out DIR    # the scorer's folder
    python -m newsledger.lab.eval.realnews agree    # second annotations against the first
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Optional

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
DATA = os.path.join(PROJECT, "data", "realnews")
SHARED_ARTICLES = os.path.normpath(os.path.join(PROJECT, "..", "shared", "datasets", "html-articles"))
ANNOTATOR = "nl"
MARK_OPEN, MARK_CLOSE = "[[", "]]"

Span = tuple[int, int]


class SpecError(ValueError):
    """A span of a spec that cannot be placed in the text."""


def load_texts(articles_dir: str = SHARED_ARTICLES) -> dict[str, str]:
    """Article id -> article text, from the benchmark's ground truth."""
    path = os.path.join(articles_dir, "ground-truth.json")
    with open(path, encoding="utf-8") as f:
        return {k: v["articleBody"] for k, v in json.load(f).items()}


def resolve(text: str, marked: str) -> Span:
    """The span that `marked` names: its `[[...]]` part inside the context around it, or the whole
    string where nothing is marked. The context must occur exactly once in the text."""
    if MARK_OPEN in marked:
        before, _, rest = marked.partition(MARK_OPEN)
        inner, sep, after = rest.partition(MARK_CLOSE)
        if not sep or MARK_OPEN in after or not inner:
            raise SpecError(f"bad [[...]] marking: {marked!r}")
    else:
        before, inner, after = "", marked, ""
    context = before + inner + after
    if not inner.strip():
        raise SpecError(f"empty span: {marked!r}")
    hits = [m.start() for m in re.finditer(re.escape(context), text)]
    if not hits:
        raise SpecError(f"not in the text: {context!r}")
    if len(hits) > 1:
        raise SpecError(f"occurs {len(hits)} times (widen the context): {context!r}")
    start = hits[0] + len(before)
    return start, start + len(inner)


@dataclass
class Attribution:
    content: list[Span]
    cue: list[Span]
    source: list[Span] = field(default_factory=list)
    type: str = ""


@dataclass
class Annotation:
    """One article's annotations, resolved to offsets."""
    id: str
    attributions: list[Attribution] = field(default_factory=list)
    mentions: list[tuple[Span, str, str]] = field(default_factory=list)  # span, entity, kind
    figures: list[Span] = field(default_factory=list)


MENTION_KINDS = ("nominal", "name", "pronoun")


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def from_spec(spec: dict, text: str) -> tuple[Annotation, list[str]]:
    """Resolve a spec against its text: the annotation and the problems found (empty when clean)."""
    problems: list[str] = []
    ann = Annotation(id=spec["id"])

    def place(marked, where):
        try:
            return resolve(text, marked)
        except SpecError as e:
            problems.append(f"{where}: {e}")
        except Exception as e:  # a value of the wrong type
            problems.append(f"{where}: {e!r}")
        return None

    for i, a in enumerate(spec.get("attributions", [])):
        where = f"attribution {i + 1}"
        content = [place(s, where + " content") for s in _as_list(a.get("content"))]
        cue = [place(s, where + " cue") for s in _as_list(a.get("cue"))]
        source = [place(s, where + " source") for s in _as_list(a.get("source"))]
        if None in content + cue + source:
            continue
        if not content:
            problems.append(f"{where}: no content")
            continue
        if not cue:
            problems.append(f"{where}: no cue")
            continue
        for c in content:
            for other, role in [(x, "cue") for x in cue] + [(x, "source") for x in source]:
                if c[0] < other[1] and other[0] < c[1]:
                    problems.append(f"{where}: content {text[c[0]:c[1]]!r} overlaps its {role} "
                                    f"{text[other[0]:other[1]]!r}")
        ann.attributions.append(Attribution(sorted(content), sorted(cue), sorted(source), a.get("type", "")))
    for i, m in enumerate(spec.get("mentions", [])):
        where = f"mention {i + 1}"
        sp = place(m.get("mention"), where)
        entity = m.get("entity") or ""
        kind = m.get("kind", "nominal")
        if kind not in MENTION_KINDS:
            problems.append(f"{where}: kind {kind!r} is not one of {MENTION_KINDS}")
        if entity and entity not in text:
            problems.append(f"{where}: entity name {entity!r} is not in the text")
        if sp:
            ann.mentions.append((sp, entity, kind))
    for i, fig in enumerate(spec.get("figures", [])):
        sp = place(fig, f"figure {i + 1}")
        if sp:
            ann.figures.append(sp)
    return ann, problems


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def to_brat(ann: Annotation, text: str) -> str:
    """The annotation as brat standoff, laid out as PolNeAR's: Source, Cue, Content and an
    Attribution event per claim; Mention (with its entity in a note) and Figure text-bounds."""
    lines: list[str] = []
    t = note = 0

    def tb(kind: str, spans: list[Span]) -> str:
        nonlocal t
        t += 1
        offs = ";".join(f"{s} {e}" for s, e in spans)
        lines.append(f"T{t}\t{kind} {offs}\t{_clean(' '.join(text[s:e] for s, e in spans))}")
        return f"T{t}"

    for e, a in enumerate(ann.attributions, 1):
        args = []
        if a.source:
            args.append(f"Source:{tb('Source', a.source)}")
        args.append(f"Cue:{tb('Cue', a.cue)}")
        args.append(f"Content:{tb('Content', a.content)}")
        trigger = tb("Attribution", a.cue)
        lines.append(f"E{e}\tAttribution:{trigger} " + " ".join(args))
        if a.type:
            note += 1
            lines.append(f"#{note}\tAnnotatorNotes E{e}\ttype={a.type}")
    for sp, entity, kind in ann.mentions:
        tid = tb("Mention", [sp])
        note += 1
        lines.append(f"#{note}\tAnnotatorNotes {tid}\tentity={entity}; kind={kind}")
    for sp in ann.figures:
        tb("Figure", [sp])
    return "\n".join(lines) + "\n"


def read_brat(path: str) -> Annotation:
    """An `.ann` file written by `to_brat`, back to offsets."""
    spans: dict[str, tuple[str, list[Span]]] = {}
    events, notes = [], {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if line.startswith("T"):
                kind, _, offs = parts[1].partition(" ")
                spans[parts[0]] = (kind, [tuple(int(v) for v in p.split()) for p in offs.split(";")])
            elif line.startswith("E"):
                events.append((parts[0], dict(arg.split(":") for arg in parts[1].split())))
            elif line.startswith("#"):
                notes[parts[1].split()[1]] = parts[2]
    ann = Annotation(id=os.path.splitext(os.path.basename(path))[0])
    for eid, roles in events:
        get = lambda r: spans[roles[r]][1] if r in roles else []
        typ = notes.get(eid, "").partition("type=")[2]
        ann.attributions.append(Attribution(get("Content"), get("Cue"), get("Source"), typ))
    for tid, (kind, sps) in spans.items():
        if kind == "Mention":
            fields = dict(kv.strip().split("=", 1) for kv in notes.get(tid, "").split(";") if "=" in kv)
            ann.mentions.append((sps[0], fields.get("entity", ""), fields.get("kind", "nominal")))
        elif kind == "Figure":
            ann.figures.append(sps[0])
    return ann


def add_attributions(aid: str, new: list[Attribution], text: str, data: str = DATA) -> int:
    """A completion pass: append attributions to an article's annotation (`ann/ID.ann`), those it
    already has (same content and cue) left out. The number added."""
    path = os.path.join(data, "ann", aid + ".ann")
    ann = read_brat(path)
    have = {(tuple(a.content), tuple(a.cue)) for a in ann.attributions}
    added = [a for a in new if (tuple(a.content), tuple(a.cue)) not in have]
    ann.attributions += added
    with open(path, "w", encoding="utf-8") as f:
        f.write(to_brat(ann, text))
    return len(added)


# ------------------------------------------------------------------ the manifest and the layout

MANIFEST_FIELDS = ("id", "name", "split", "outlet", "published", "chars", "url")


def read_manifest(data: str = DATA) -> list[dict]:
    with open(os.path.join(data, "manifest.tsv"), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def layout(out: str, data: str = DATA, articles_dir: str = SHARED_ARTICLES) -> dict[str, int]:
    """Write the scorer's folder for the annotated articles: article count by split."""
    texts = load_texts(articles_dir)
    counts: dict[str, int] = {}
    rows = read_manifest(data)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "metadata.tsv"), "w", encoding="utf-8", newline="") as meta:
        w = csv.writer(meta, delimiter="\t", lineterminator="\n")
        w.writerow(["compartment", "filename", "annotators", "publisher", "publication_date", "url"])
        for row in rows:
            ann_path = os.path.join(data, "ann", row["id"] + ".ann")
            if not os.path.exists(ann_path) or row["id"] not in texts:
                continue
            split, name = row["split"], row["name"]
            for sub in ("text", "attributions"):
                os.makedirs(os.path.join(out, split, sub), exist_ok=True)
            with open(os.path.join(out, split, "text", name + ".txt"), "w", encoding="utf-8", newline="") as f:
                f.write(texts[row["id"]])
            with open(ann_path, encoding="utf-8") as src, \
                    open(os.path.join(out, split, "attributions", f"{name}_{ANNOTATOR}.ann"), "w",
                         encoding="utf-8") as dst:
                dst.write(src.read())
            w.writerow([split, name, ANNOTATOR, row["outlet"], row["published"], row["url"]])
            counts[split] = counts.get(split, 0) + 1
    return counts


# ------------------------------------------------------------------ scoring entities and figures

def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_mentions(text: str, gold: list[tuple[Span, str, str]], entities: list[dict],
                   tally: dict) -> list[dict]:
    """Mention-to-entity accuracy: an annotated mention is right when the ledger entity holding it
    also holds a mention of its referent's full name (any occurrence of that name in the text).
    Adds to `tally` ({kind: [right, total]}); returns the wrong ones for a report."""
    wrong = []
    for span, name, kind in gold:
        name_spans = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)] if name else []
        holder = next((e for e in entities if any(_overlaps(tuple(m), span) for m in e["mentions"])), None)
        ok = holder is not None and any(_overlaps(tuple(m), n) for m in holder["mentions"] for n in name_spans)
        right_total = tally.setdefault(kind, [0, 0])
        right_total[0] += ok
        right_total[1] += 1
        if not ok:
            wrong.append({"mention": text[span[0]:span[1]], "kind": kind, "entity": name,
                          "linked_to": holder["name"] if holder else None})
    return wrong


def score_figures(gold: list[Span], figures: list[dict], tally: dict) -> list[tuple[str, Span]]:
    """Figures by overlap with an annotated figure span: adds tp/pred/gold counts to `tally`;
    returns the spurious and missed spans."""
    pred = [tuple(f["span"]) for f in figures]
    hit_pred = [p for p in pred if any(_overlaps(p, g) for g in gold)]
    hit_gold = [g for g in gold if any(_overlaps(p, g) for p in pred)]
    tally["pred"] = tally.get("pred", 0) + len(pred)
    tally["gold"] = tally.get("gold", 0) + len(gold)
    tally["tp_pred"] = tally.get("tp_pred", 0) + len(hit_pred)
    tally["tp_gold"] = tally.get("tp_gold", 0) + len(hit_gold)
    return [("spurious", p) for p in pred if p not in hit_pred] + [("missed", g) for g in gold if g not in hit_gold]


# ------------------------------------------------------------------ agreement between annotators

AGREEMENT = os.path.join(DATA, "agreement")  # second, independent annotations of some dev articles


def agreement(data: str = DATA, articles_dir: str = SHARED_ARTICLES) -> dict:
    """The second annotations (`agreement/ID.ann`) scored against the first (`ann/ID.ann`) as the
    attribution scorer scores a system: how far two annotators following the guideline agree,
    the ceiling a system's figures are read against."""
    from .scoring import Gold, Pred, Tally

    texts = load_texts(articles_dir)
    tally = Tally()
    folder = os.path.join(data, "agreement")
    names = sorted(f for f in os.listdir(folder) if f.endswith(".ann"))
    for name in names:
        aid = name[:-4]
        first = read_brat(os.path.join(data, "ann", name))
        second = read_brat(os.path.join(folder, name))
        gold = [Gold(a.content, a.source, a.cue) for a in first.attributions]
        pred = [Pred(a.content, a.source[0] if a.source else None, a.cue[0] if a.cue else None)
                for a in second.attributions]
        tally.add_doc(texts[aid], gold, pred, doc_id=aid[:10])
    return {"articles": len(names), **tally.figures()}


# ------------------------------------------------------------------ the whole evaluation

def evaluate(split: str = "dev", articles_dir: str = SHARED_ARTICLES, data: str = DATA,
             scheme: str = "claims", limit: Optional[int] = None) -> dict:
    """Analyze the split's articles in this process: attribution figures (as `eval attributions`),
    mention-to-entity accuracy and figure precision and recall, with the errors."""
    import tempfile

    from . import attributions

    notes = {r["name"]: r["id"] for r in read_manifest(data)}
    mention_tally: dict = {}
    figure_tally: dict = {}
    wrong_mentions: list = []
    figure_errors: list = []

    def on_ledger(doc, ledger) -> None:
        ann = read_brat(os.path.join(data, "ann", notes[doc.id] + ".ann"))
        led = ledger.to_json_dict()
        wrong_mentions.extend({"id": doc.id, **w} for w in
                              score_mentions(led["text"], ann.mentions, led["entities"], mention_tally))
        figure_errors.extend({"id": doc.id, "error": kind, "text": led["text"][s:e]}
                             for kind, (s, e) in score_figures(ann.figures, led["figures"], figure_tally))

    with tempfile.TemporaryDirectory() as tmp:
        counts = layout(tmp, data, articles_dir)
        if not counts.get(split):
            raise ValueError(f"no annotated articles in split {split!r} (have: {', '.join(counts)})")
        res = attributions.evaluate(tmp, split, limit, scheme=scheme, on_ledger=on_ledger)
    right = sum(v[0] for v in mention_tally.values())
    total = sum(v[1] for v in mention_tally.values())
    res["mentions"] = {"accuracy": right / total if total else 0.0, "right": right, "total": total,
                       "by_kind": {k: {"accuracy": v[0] / v[1], "right": v[0], "total": v[1]}
                                   for k, v in sorted(mention_tally.items())},
                       "wrong": wrong_mentions}
    ft = figure_tally
    res["figures"] = {"precision": ft.get("tp_pred", 0) / ft["pred"] if ft.get("pred") else 0.0,
                      "recall": ft.get("tp_gold", 0) / ft["gold"] if ft.get("gold") else 0.0,
                      "pred": ft.get("pred", 0), "gold": ft.get("gold", 0), "errors": figure_errors}
    return res


def report(res: dict, console) -> None:
    """The attribution report, then entities and figures."""
    from rich.markup import escape

    from .attributions import report as report_attributions

    report_attributions(res, console, corpus="Real news")
    m, f = res["mentions"], res["figures"]
    console.print(f"[bold]Entity mentions[/]: {m['right']}/{m['total']} linked to the right entity "
                  f"({m['accuracy']:.3f}); " + ", ".join(
                      f"{k} {v['accuracy']:.3f} ({v['right']}/{v['total']})" for k, v in m["by_kind"].items()))
    for w in m["wrong"][:15]:
        console.print(f"  [dim]{escape(w['id'])}[/] {escape(w['kind'])} {escape(repr(w['mention']))} is "
                      f"{escape(w['entity'])}, linked to {escape(str(w['linked_to']))}")
    console.print(f"[bold]Figures[/]: precision {f['precision']:.3f}, recall {f['recall']:.3f} "
                  f"({f['pred']} predicted, {f['gold']} annotated)")
    for e in f["errors"][:15]:
        console.print(f"  [dim]{escape(e['id'])}[/] {e['error']} {escape(repr(e['text']))}")


def run(split: str = "dev", articles_dir: str = SHARED_ARTICLES, scheme: str = "claims",
        limit: Optional[int] = None, json_out: Optional[str] = None) -> dict:
    """`newsledger eval realnews`: score, print a report, return (and optionally write) the figures."""
    from .attributions import present

    return present(evaluate(split, articles_dir, scheme=scheme, limit=limit), report, json_out)


# ------------------------------------------------------------------ command line for annotators

def _show(text: str) -> None:
    for i, para in enumerate(text.split("\n")):
        if para.strip():
            print(f"[{i}] {para}")


def _load_spec(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("show").add_argument("id")
    for name in ("check", "convert", "add"):
        sub.add_parser(name).add_argument("spec", nargs="+")
    lay = sub.add_parser("layout")
    lay.add_argument("--out", required=True)
    sub.add_parser("agree")
    args = ap.parse_args(argv)
    if args.command == "layout":
        print(json.dumps(layout(args.out)))
        return 0
    if args.command == "agree":  # run as a module (python -m newsledger.lab.eval.realnews agree)
        res = agreement()
        lenient, strict, full = res["content_lenient"], res["content_strict"], res["full"]
        print(f"{res['articles']} articles, {res['gold']} first and {res['pred']} second annotations: "
              f"content lenient P/R/F1 {lenient['p']:.3f}/{lenient['r']:.3f}/{lenient['f1']:.3f}, "
              f"strict F1 {strict['f1']:.3f}, full F1 {full['f1']:.3f}")
        return 0
    texts = load_texts()
    if args.command == "show":
        ids = [k for k in texts if k.startswith(args.id)]
        if len(ids) != 1:
            print(f"{args.id}: {len(ids)} articles match", file=sys.stderr)
            return 2
        _show(texts[ids[0]])
        return 0
    status = 0
    for path in args.spec:
        spec = _load_spec(path)
        ann, problems = from_spec(spec, texts[spec["id"]])
        for p in problems:
            print(f"{path}: {p}")
        status |= bool(problems)
        print(f"{path}: {len(ann.attributions)} attributions, {len(ann.mentions)} mentions, "
              f"{len(ann.figures)} figures, {len(problems)} problems")
        if args.command == "convert" and not problems:
            os.makedirs(os.path.join(DATA, "ann"), exist_ok=True)
            with open(os.path.join(DATA, "ann", spec["id"] + ".ann"), "w", encoding="utf-8") as f:
                f.write(to_brat(ann, texts[spec["id"]]))
        if args.command == "add" and not problems:
            print(f"{path}: {add_attributions(spec['id'], ann.attributions, texts[spec['id']], DATA)} added")
    return 1 if status else 0


if __name__ == "__main__":
    sys.exit(main())
