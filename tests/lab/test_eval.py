"""The in-process PolNeAR harness: scoring definitions (same as ../shared/eval/attributions.py),
the brat reader, and `main` on a few documents of the dev split when the data is there."""
import json

import pytest

from newsledger.lab.eval import scoring
from newsledger.lab.eval.polnear import GoldAttribution, load_split, read_brat
from newsledger.lab.eval.scoring import Gold, Pred, letters, match, touches

from conftest import SHARED

POLNEAR = SHARED / "datasets" / "polnear"

TEXT = "The minister said the plan would fail. Critics say otherwise."
#       0         1         2         3         4         5         6
#       0123456789012345678901234567890123456789012345678901234567890


def span_of(text, piece, start=0):
    s = text.index(piece, start)
    return (s, s + len(piece))


SRC, CUE, CONTENT = span_of(TEXT, "The minister"), span_of(TEXT, "said"), span_of(TEXT, "the plan would fail")
GOLD = Gold(content=[CONTENT], source=[SRC], cue=[CUE])


def approx_prf(d, p, r, f1=None):
    assert d["p"] == pytest.approx(p)
    assert d["r"] == pytest.approx(r)
    if f1 is not None:
        assert d["f1"] == pytest.approx(f1)


def test_letters_counts_only_letters_and_digits():
    assert letters("a, b1 !", [(0, 7)]) == {0, 3, 4}
    assert letters("abc", [(1, 99)]) == {1, 2}  # clipped to the text


def test_perfect_prediction_scores_one():
    res = scoring.score(TEXT, [GOLD], [Pred(content=[CONTENT], source=SRC, cue=CUE, kind="indirect")])
    for key in ("content_lenient", "content_strict", "full"):
        approx_prf(res[key], 1.0, 1.0, 1.0)
    assert res["source_acc"] == res["cue_acc"] == 1.0
    assert res["recall_by_kind"] == {"reported": {"lenient": 1.0, "full": 1.0, "gold": 1}}
    assert res["errors"] == {}


def test_punctuation_and_quote_marks_do_not_count():
    # The prediction takes the trailing period too: same letters, so a strict match.
    s, e = CONTENT
    res = scoring.score(TEXT, [GOLD], [Pred(content=[(s - 1, e + 1)], source=SRC, cue=CUE)])
    approx_prf(res["content_strict"], 1.0, 1.0)


def test_boundary_at_exactly_half_matches():
    text = "abcd efgh"
    gold = Gold(content=[(0, 9)])  # 8 letters
    half = scoring.score(text, [gold], [Pred(content=[(0, 4)])])  # 4 of 8: exactly 0.5
    approx_prf(half["content_lenient"], 1.0, 1.0)
    approx_prf(half["content_strict"], 0.0, 0.0)
    under = scoring.score(text, [gold], [Pred(content=[(0, 3)])])  # 3 of 8
    approx_prf(under["content_lenient"], 0.0, 0.0, 0.0)
    assert under["errors"] == {scoring.BOUNDARY: 1, scoring.BOUNDARY_PRED: 1}
    # The larger side counts: a prediction twice as long as the gold is still at 0.5.
    long = scoring.score(text, [Gold(content=[(0, 4)])], [Pred(content=[(0, 9)])])
    approx_prf(long["content_lenient"], 1.0, 1.0)


def test_wrong_source_matches_content_but_not_full():
    critics = span_of(TEXT, "Critics")
    res = scoring.score(TEXT, [GOLD], [Pred(content=[CONTENT], source=critics, cue=CUE)])
    approx_prf(res["content_lenient"], 1.0, 1.0)
    approx_prf(res["full"], 0.0, 0.0, 0.0)
    assert res["source_acc"] == 0.0 and res["cue_acc"] == 1.0
    assert res["errors"] == {scoring.WRONG_SOURCE: 1}
    assert res["source_errors"] == {"another mention": 1}


def test_source_overlap_is_enough_and_none_matches_none():
    minister = span_of(TEXT, "minister")
    res = scoring.score(TEXT, [GOLD], [Pred(content=[CONTENT], source=minister, cue=CUE)])
    approx_prf(res["full"], 1.0, 1.0)
    sourceless = scoring.score(TEXT, [Gold(content=[CONTENT], cue=[CUE])],
                               [Pred(content=[CONTENT], source=None, cue=CUE)])
    approx_prf(sourceless["full"], 1.0, 1.0)
    missing = scoring.score(TEXT, [GOLD], [Pred(content=[CONTENT], source=None, cue=CUE)])
    approx_prf(missing["full"], 0.0, 0.0)
    assert missing["source_errors"] == {"missing": 1}


def test_wrong_cue():
    res = scoring.score(TEXT, [GOLD], [Pred(content=[CONTENT], source=SRC, cue=span_of(TEXT, "say"))])
    approx_prf(res["full"], 0.0, 0.0)
    assert res["cue_acc"] == 0.0 and res["errors"] == {scoring.WRONG_CUE: 1}


def test_cue_without_letters_matches_on_raw_characters():
    text = "Mayor: we will win."
    colon = span_of(text, ":")
    assert touches(text, [colon], [colon])
    assert not touches(text, [colon], [span_of(text, ".")])


def test_one_to_one_two_predictions_of_one_gold():
    pred = Pred(content=[CONTENT], source=SRC, cue=CUE)
    res = scoring.score(TEXT, [GOLD], [pred, Pred(content=[CONTENT], source=SRC, cue=CUE)])
    approx_prf(res["content_lenient"], 0.5, 1.0, 2 / 3)
    assert res["errors"] == {scoring.DUPLICATE: 1}


def test_matching_is_best_first():
    text = "aaaa bbbb cccc"
    g = [letters(text, [(0, 9)]), letters(text, [(0, 4)])]   # "aaaa bbbb", "aaaa"
    p = [letters(text, [(0, 4)])]                            # "aaaa": 0.5 with the first, 1.0 with the second
    matched, _ = match(g, p)
    assert [(gi, pi) for gi, pi, _ in matched] == [(1, 0)]


def test_missed_spurious_and_cue_words():
    gold = [GOLD, Gold(content=[span_of(TEXT, "otherwise")], source=[span_of(TEXT, "Critics")],
                       cue=[span_of(TEXT, "say")])]
    res = scoring.score(TEXT, gold, [Pred(content=[span_of(TEXT, "The minister")], cue=span_of(TEXT, "said"))])
    approx_prf(res["content_lenient"], 0.0, 0.0, 0.0)
    assert res["errors"] == {scoring.MISSED: 2, scoring.SPURIOUS: 1}
    assert dict(res["missed_cues"]) == {"said": 1, "say": 1}
    assert res["spurious_cues"] == [("said", 1)]


def test_prediction_without_letters_is_not_counted():
    res = scoring.score(TEXT, [GOLD], [Pred(content=[span_of(TEXT, ".")])])
    assert res["pred"] == 0


def test_kinds_by_gold_content_and_cue():
    text = 'He said "no." According to Ann, yes. She thinks so.'
    quoted = Gold(content=[span_of(text, '"no."')], cue=[span_of(text, "said")])
    acc = Gold(content=[span_of(text, "yes")], cue=[span_of(text, "According to")])
    rep = Gold(content=[span_of(text, "so")], cue=[span_of(text, "thinks")])
    assert [scoring.kind_of(text, g) for g in (quoted, acc, rep)] == ["quoted", "according_to", "reported"]


def test_by_outlet_and_by_predicted_kind():
    t = scoring.Tally()
    t.add_doc(TEXT, [GOLD], [Pred(content=[CONTENT], source=SRC, cue=CUE, kind="indirect")], outlet="a")
    t.add_doc(TEXT, [GOLD], [Pred(content=[span_of(TEXT, "otherwise")], kind="direct")], outlet="b")
    res = t.figures()
    approx_prf(res["content_lenient"], 0.5, 0.5, 0.5)
    approx_prf(res["by_outlet"]["a"]["full"], 1.0, 1.0)
    approx_prf(res["by_outlet"]["b"]["lenient"], 0.0, 0.0)
    assert res["precision_by_pred_kind"]["indirect"]["lenient"] == 1.0
    assert res["precision_by_pred_kind"]["direct"]["lenient"] == 0.0


def test_gold_attribution_records_score_directly():
    g = GoldAttribution(content=[CONTENT], source=[SRC], cue=[CUE])
    approx_prf(scoring.score(TEXT, [g], [Pred(content=[CONTENT], source=SRC, cue=CUE)])["full"], 1.0, 1.0)


ANN = (
    "T1\tSource 0 12\tThe minister\n"
    "T2\tCue 13 17\tsaid\n"
    "T3\tContent 18 37\tthe plan would fail\n"
    "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
    "T4\tContent 0 3;46 51\tThe Critics\n"
    "T5\tCue 52 55\tsay\n"
    "E2\tAttribution:T5 Cue:T5 Content:T4\n"
    "T6\tCue 0 3\tThe\n"
    "E3\tAttribution:T6 Cue:T6\n"       # no content: not an attribution
    "#1\tAnnotatorNotes T1\tignored\n"
)


def test_read_brat(tmp_path):
    p = tmp_path / "doc_x.ann"
    p.write_text(ANN, encoding="utf-8")
    gold = read_brat(p)
    assert len(gold) == 2
    assert gold[0] == GoldAttribution(content=[(18, 37)], source=[(0, 12)], cue=[(13, 17)])
    assert gold[1].content == [(0, 3), (46, 51)] and gold[1].source == [] and gold[1].cue == [(52, 55)]


def test_load_split_on_a_handmade_folder(tmp_path):
    (tmp_path / "metadata.tsv").write_text(
        "compartment\tfilename\tannotators\tpublisher\tpublication_date\n"
        "dev\tdoc_b\tann1|ann2\toutlet-b\t2016-10-02\n"
        "dev\tdoc_a\tann2\toutlet-a\t2016-10-01\n"
        "train\tdoc_c\tann1\toutlet-c\t2016-10-03\n", encoding="utf-8")
    for name in ("doc_a", "doc_b"):
        (tmp_path / "dev" / "text").mkdir(parents=True, exist_ok=True)
        (tmp_path / "dev" / "attributions").mkdir(exist_ok=True)
        (tmp_path / "dev" / "text" / f"{name}.txt").write_bytes(TEXT.replace(".", ".\r\n", 1).encode())
    (tmp_path / "dev" / "attributions" / "doc_a_ann2.ann").write_text(ANN, encoding="utf-8")
    (tmp_path / "dev" / "attributions" / "doc_b_ann2.ann").write_text(ANN, encoding="utf-8")
    docs = load_split(tmp_path, "dev")
    assert [d.id for d in docs] == ["doc_a", "doc_b"]  # sorted; doc_b falls back to its ann2 file
    assert docs[0].outlet == "outlet-a" and docs[0].published == "2016-10-01"
    assert "\r\n" in docs[0].text  # read byte for byte: offsets count the \r
    assert len(docs[1].gold) == 2
    assert [d.id for d in load_split(tmp_path, "dev", limit=1)] == ["doc_a"]


@pytest.mark.skipif(not (POLNEAR / "metadata.tsv").is_file(), reason="PolNeAR data is absent")
def test_main_on_three_dev_documents(tmp_path, capsys):
    from newsledger.lab.eval import attributions

    out = tmp_path / "scores.json"
    res = attributions.main(str(POLNEAR), "dev", limit=3, json_out=str(out))
    assert res["docs"] == 3 and res["failed"] == 0 and res["gold"] > 0
    for key in ("content_lenient", "content_strict", "full"):
        assert 0.0 <= res[key]["f1"] <= 1.0
    assert res["content_strict"]["f1"] <= res["content_lenient"]["f1"]
    assert res["full"]["f1"] <= res["content_lenient"]["f1"]
    assert sum(v["docs"] for v in res["by_outlet"].values()) == 3
    assert json.loads(out.read_text())["gold"] == res["gold"]
    printed = capsys.readouterr().out
    assert "content lenient" in printed and "Error types" in printed
