"""The real-news evaluation set's tools (eval/realnews.py): spans written as text, brat out and back,
the scorer's folder, and the mention and figure scores."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT, SHARED, needs_shared
from newsledger.lab.eval import realnews as R

TEXT = ("Kurt Volker, the former envoy, said he had no knowledge of the plan. "
        "“I did not know,” the envoy said. Volker said 3 aides had left.")


def test_a_marked_span_is_found_inside_a_context_that_occurs_once():
    assert R.resolve(TEXT, "the former [[envoy]]") == (TEXT.index("envoy"), TEXT.index("envoy") + 5)
    with pytest.raises(R.SpecError, match="occurs 3 times"):
        R.resolve(TEXT, "[[said]]")  # widen the context
    with pytest.raises(R.SpecError, match="not in the text"):
        R.resolve(TEXT, "[[Sondland]] said")
    with pytest.raises(R.SpecError, match="bad"):
        R.resolve(TEXT, "[[open")


def test_a_spec_goes_to_brat_and_back_with_every_span_its_text():
    spec = {"id": "x", "attributions": [
        {"source": "[[Kurt Volker]], the", "cue": "envoy, [[said]] he", "type": "statement",
         "content": ["he had no knowledge of the plan"]},
        {"source": "“I did not know,” [[the envoy]]", "cue": "the envoy [[said]].",
         "content": ["“I did not know,”"]}],
        "mentions": [{"mention": "“I did not know,” [[the envoy]]", "entity": "Kurt Volker", "kind": "nominal"}],
        "figures": ["[[3]] aides"]}
    ann, problems = R.from_spec(spec, TEXT)
    assert problems == []
    brat = R.to_brat(ann, TEXT)
    for line in brat.splitlines():
        if line.startswith("T"):
            _, kind_offs, shown = line.split("\t")
            s, e = map(int, kind_offs.split()[1:3])
            assert TEXT[s:e] == shown
    assert "AnnotatorNotes" in brat and "entity=Kurt Volker; kind=nominal" in brat


def test_a_spec_with_problems_says_each_and_places_nothing_wrong():
    spec = {"id": "x", "attributions": [{"cue": "[[said]]", "content": ["nothing like this"]},
                                        {"cue": "envoy, [[said]] he", "content": ["[[said]] he had"]}],
            "mentions": [{"mention": "[[Volker]] said 3", "entity": "Gordon Sondland", "kind": "alias"}]}
    ann, problems = R.from_spec(spec, TEXT)
    assert any("occurs" in p for p in problems) and any("not in the text" in p for p in problems)
    assert any("overlaps its cue" in p for p in problems)
    assert any("Gordon Sondland" in p for p in problems) and any("alias" in p for p in problems)


def test_mentions_are_right_only_in_the_entity_of_their_referent():
    gold = [((TEXT.index("the envoy said"), TEXT.index("the envoy said") + 9), "Kurt Volker", "nominal"),
            ((TEXT.index("Volker said 3"), TEXT.index("Volker said 3") + 6), "Kurt Volker", "name")]
    volker = {"name": "Kurt Volker", "mentions": [[0, 11], list(gold[1][0])]}
    envoy = {"name": "envoy", "mentions": [list(gold[0][0])]}
    tally = {}
    wrong = R.score_mentions(TEXT, gold, [volker, envoy], tally)
    assert tally == {"nominal": [0, 1], "name": [1, 1]}
    assert wrong == [{"mention": "the envoy", "kind": "nominal", "entity": "Kurt Volker", "linked_to": "envoy"}]


def test_figures_score_by_overlap():
    three = TEXT.index("3 aides")
    tally = {}
    errors = R.score_figures([(three, three + 1)], [{"span": [three, three + 1]}, {"span": [0, 4]}], tally)
    assert tally == {"pred": 2, "gold": 1, "tp_pred": 1, "tp_gold": 1}
    assert errors == [("spurious", (0, 4))]


@needs_shared
def test_the_layout_is_read_by_the_shared_scorer_as_polnear(tmp_path):
    counts = R.layout(str(tmp_path), articles_dir=str(SHARED / "datasets" / "html-articles"))
    rows = R.read_manifest()
    assert counts == {split: sum(r["split"] == split for r in rows) for split in ("dev", "dev2", "dev3", "test", "test2")}
    sys.path.insert(0, str(SHARED / "eval"))
    try:
        import attributions as shared_scorer
    finally:
        sys.path.pop(0)
    docs = shared_scorer.load_split(str(tmp_path), "test")
    assert len(docs) == counts["test"] and all(d["gold"] for d in docs)
    for d in docs:  # every gold span is where its brat line says
        for g in d["gold"]:
            assert all(0 <= s < e <= len(d["text"]) for s, e in g["content"])


@needs_shared
def test_eval_realnews_reports_attributions_mentions_and_figures(tmp_path):
    out = tmp_path / "res.json"
    proc = subprocess.run([sys.executable, "-m", "newsledger", "eval", "realnews", "--split", "dev", "--limit", "3",
                           "--articles", str(SHARED / "datasets" / "html-articles"), "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    res = json.loads(out.read_text())
    assert res["docs"] == 3 and res["scheme"] == "claims"
    assert 0 < res["content_lenient"]["p"] <= 1 and res["mentions"]["total"] > 0 and res["figures"]["gold"] > 0
    assert "of predicted" in proc.stdout and "Entity mentions" in proc.stdout


def test_agreement_scores_the_second_annotation_against_the_first(tmp_path):
    spec = {"id": "x", "attributions": [
        {"source": "[[Kurt Volker]], the", "cue": "envoy, [[said]] he", "content": ["he had no knowledge of the plan"]},
        {"source": "“I did not know,” [[the envoy]]", "cue": "the envoy [[said]].", "content": ["“I did not know,”"]}]}
    first, _ = R.from_spec(spec, TEXT)
    second, _ = R.from_spec({**spec, "attributions": spec["attributions"][:1]}, TEXT)
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "ground-truth.json").write_text(json.dumps({"x": {"articleBody": TEXT}}), encoding="utf-8")
    for folder, ann in (("ann", first), ("agreement", second)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.ann").write_text(R.to_brat(ann, TEXT), encoding="utf-8")
    res = R.agreement(str(tmp_path), str(articles))
    assert res["articles"] == 1
    assert res["content_lenient"]["p"] == 1.0 and res["content_lenient"]["r"] == 0.5


@needs_shared
def test_the_second_annotations_agree_with_the_first_well_above_the_systems_figures():
    res = R.agreement()
    assert res["articles"] >= 6 and res["content_lenient"]["f1"] > 0.85


def test_a_completion_pass_appends_new_attributions_and_keeps_the_rest(tmp_path):
    first = {"id": "x", "attributions": [
        {"source": "[[Kurt Volker]], the", "cue": "envoy, [[said]] he", "type": "statement",
         "content": ["he had no knowledge of the plan"]}],
        "mentions": [{"mention": "“I did not know,” [[the envoy]]", "entity": "Kurt Volker", "kind": "nominal"}],
        "figures": ["[[3]] aides"]}
    (tmp_path / "ann").mkdir()
    ann, _ = R.from_spec(first, TEXT)
    (tmp_path / "ann" / "x.ann").write_text(R.to_brat(ann, TEXT), encoding="utf-8")
    more, problems = R.from_spec({"id": "x", "attributions": [
        {"source": "[[Kurt Volker]], the", "cue": "envoy, [[said]] he", "content": ["he had no knowledge of the plan"]},
        {"source": "[[Volker]] said 3", "cue": "Volker [[said]] 3", "content": ["3 aides had left"], "type": "statement"}]}, TEXT)
    assert problems == []
    assert R.add_attributions("x", more.attributions, TEXT, data=str(tmp_path)) == 1  # the repeat left out
    back = R.read_brat(str(tmp_path / "ann" / "x.ann"))
    assert [TEXT[a.content[0][0]:a.content[0][1]] for a in back.attributions] == \
        ["he had no knowledge of the plan", "3 aides had left"]
    assert len(back.mentions) == 1 and len(back.figures) == 1


def test_add_refuses_a_spec_with_a_problem_and_leaves_the_annotation_as_it_was(tmp_path, monkeypatch):
    (tmp_path / "ann").mkdir()
    ann, _ = R.from_spec({"id": "x", "attributions": [
        {"source": "[[Kurt Volker]], the", "cue": "envoy, [[said]] he", "content": ["he had no knowledge of the plan"]}]},
        TEXT)
    path = tmp_path / "ann" / "x.ann"
    path.write_text(R.to_brat(ann, TEXT), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    monkeypatch.setattr(R, "DATA", str(tmp_path))
    monkeypatch.setattr(R, "load_texts", lambda *a, **k: {"x": TEXT})
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"id": "x", "attributions": [
        {"cue": "[[said]]", "content": ["3 aides had left"]}]}), encoding="utf-8")  # "said" occurs 3 times
    assert R.main(["add", str(broken)]) == 1
    assert path.read_text(encoding="utf-8") == before
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"id": "x", "attributions": [
        {"cue": "Volker [[said]] 3", "content": ["3 aides had left"]}]}), encoding="utf-8")
    assert R.main(["add", str(good)]) == 0
    assert len(R.read_brat(str(path)).attributions) == 2
