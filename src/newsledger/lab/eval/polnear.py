"""Reading PolNeAR (Newell et al., 2018): texts, metadata and brat Source/Cue/Content annotations."""
from __future__ import annotations

import collections
import csv
from dataclasses import dataclass, field
from pathlib import Path

Span = tuple[int, int]


@dataclass
class GoldAttribution:
    content: list[Span]
    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)


@dataclass
class PolnearDoc:
    id: str
    text: str
    published: str
    outlet: str
    gold: list[GoldAttribution]


def read_brat(path: Path) -> list[GoldAttribution]:
    spans: dict[str, list[Span]] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            _, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = [tuple(int(v) for v in piece.split()) for piece in offsets.split(";")]
        elif line.startswith("E") and len(parts) >= 2:
            roles = collections.defaultdict(list)
            for arg in parts[1].split():
                role, _, tid = arg.partition(":")
                roles[role.rstrip("0123456789")].append(tid)
            events.append(roles)
    out = []
    for roles in events:
        get = lambda r: [s for tid in roles.get(r, []) for s in spans.get(tid, [])]  # noqa: E731
        if get("Content"):
            out.append(GoldAttribution(content=get("Content"), source=get("Source"), cue=get("Cue")))
    return out


def load_split(data: str | Path, split: str, limit: int | None = None) -> list[PolnearDoc]:
    """The split's documents, sorted by name; the first listed annotator's annotation counts."""
    data = Path(data)
    meta_path = data / "metadata.tsv"
    if not meta_path.exists():
        raise FileNotFoundError(f"{meta_path} not found: --data must be PolNeAR's folder")
    with meta_path.open(encoding="utf-8") as f:
        meta = {row["filename"]: row for row in csv.DictReader(f, delimiter="\t")
                if row["compartment"] == split}
    docs = []
    for name in sorted(meta):
        text_path = data / split / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        anns = [data / split / "attributions" / f"{name}_{a}.ann" for a in meta[name]["annotators"].split("|")]
        anns = [p for p in anns if p.exists()] or sorted((data / split / "attributions").glob(f"{name}_*.ann"))
        if not anns:
            continue
        with text_path.open(encoding="utf-8", newline="") as f:
            text = f.read()
        docs.append(PolnearDoc(name, text, meta[name]["publication_date"], meta[name]["publisher"],
                               read_brat(anns[0])))
        if limit and len(docs) >= limit:
            break
    return docs
