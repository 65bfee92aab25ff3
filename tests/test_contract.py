"""The shared scorers' contract: `newsledger analyze IN --format jsonl --output OUT`, run as they run it."""
import importlib.util
import shlex
import sys

from conftest import SHARED, needs_shared


@needs_shared
def test_shared_scorer_plumbing_reads_our_ledgers():
    spec = importlib.util.spec_from_file_location("shared_common", SHARED / "eval" / "common.py")
    common = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(common)
    texts = sorted((SHARED / "datasets" / "polnear" / "train" / "text").glob("*.txt"))[:3]
    articles = [{"id": p.stem, "text": p.read_text(encoding="utf-8"), "published": "2016-05-03"}
                for p in texts]
    articles.append({"id": "broken", "title": "no text"})
    ledgers, _ = common.run_analyzer(
        articles, cmd=f"{shlex.quote(sys.executable)} -m newsledger analyze", timeout=600)
    assert set(ledgers) == {p.stem for p in texts} | {"broken"}
    assert ledgers["broken"]["error"]["type"] == "MissingText"
    for a in articles[:3]:
        ledger = ledgers[a["id"]]
        assert ledger["text"] == a["text"]          # offsets point into the input, byte for byte
        for att in ledger["attributions"]:
            for s, e in common.spans(att["content"]):
                assert 0 <= s < e <= len(a["text"])
