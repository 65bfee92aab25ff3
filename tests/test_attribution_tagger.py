"""The attribution tagger: its targets, how it reads long articles, its weights file, and what the
shipped one has learned."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from conftest import SHARED, needs_shared  # noqa: E402
from newsledger import nlp as nlp_loader  # noqa: E402
from newsledger.eval.polnear import GoldAttribution  # noqa: E402
from newsledger.extract import attribution_model as am  # noqa: E402
from newsledger.extract import attribution_tagger as T  # noqa: E402
from newsledger.extract import attributions as A  # noqa: E402
from newsledger.training_tagger import train  # noqa: E402

TEXT = ('Emmanuel Macron said on Tuesday that the reform would pass. "We will not back down," '
        'the French leader told reporters in Paris. Farmers blocked roads near Lyon.')


def _gold(text, source, cue, content):
    s, c, t = text.index(source), text.index(cue), text.index(content)
    return GoldAttribution(content=[(t, t + len(content))], source=[(s, s + len(source))], cue=[(c, c + len(cue))])


def test_targets_mark_each_role_and_the_content_edges():
    gold = [_gold(TEXT, "Emmanuel Macron", "said", "that the reform would pass")]
    enc = T.tokenizer().encode(TEXT, add_special_tokens=False)
    y = T.piece_labels(TEXT, enc.offsets, gold)

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


class _EchoModel(torch.nn.Module):
    """Logits that depend on a piece's id alone: a stitched reading must give every piece its own."""

    def forward(self, input_ids, attention_mask):
        x = (input_ids.float() % 97) / 97.0 - 0.5
        return torch.stack([x * (k + 1) for k in range(len(T.LABELS))], dim=-1)


@pytest.mark.parametrize("n", [1, 30, T.WINDOW, T.WINDOW + 1, 3 * T.WINDOW + 17])
def test_long_articles_are_read_in_overlapping_windows_that_cover_every_piece(n):
    rng = np.random.default_rng(n)
    ids = [int(v) for v in rng.integers(1000, 20000, size=n)]
    got = T.Tagger(_EchoModel(), {}).piece_probs(ids)
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

    class OnePiece(torch.nn.Module):
        # only the last piece of the first word lights up
        def forward(self, input_ids, attention_mask):
            out = torch.full((*input_ids.shape, len(T.LABELS)), -20.0)
            first_word = [i for i, (s, e) in enumerate(enc.offsets) if e <= len("Unbelievably")]
            out[:, first_word[-1] + 1, 2] = 20.0  # +1: [CLS]
            return out

    probs = T.Tagger(OnePiece(), {}).token_probs(doc)
    assert probs.shape == (len(doc), len(T.LABELS))
    assert probs[0, 2] > 0.99 and probs[1:, 2].max() < 0.01


def test_training_is_seeded_and_the_weights_file_keeps_the_readings(tmp_path):
    data = [(TEXT, [_gold(TEXT, "Emmanuel Macron", "said", "that the reform would pass")])]
    a, meta = train(data, epochs=2, layers=1, batch=1, threads=1, log=lambda _: None)
    b, _ = train(data, epochs=2, layers=1, batch=1, threads=1, log=lambda _: None)
    for (name, pa), (_, pb) in zip(a.state_dict().items(), b.state_dict().items()):
        assert torch.equal(pa, pb), name
    path = tmp_path / "tagger.safetensors"
    T.save(a, path, meta)
    loaded = T.load(str(path), int8=False)
    assert loaded.meta["layers"] == "1"
    ids = T.tokenizer().encode(TEXT, add_special_tokens=False).ids
    np.testing.assert_allclose(loaded.piece_probs(ids), T.Tagger(a, meta).piece_probs(ids), atol=2e-3)
    # in 8-bit integers the readings move, but little
    np.testing.assert_allclose(T.load(str(path)).piece_probs(ids), T.Tagger(a, meta).piece_probs(ids), atol=0.1)
    # the frozen word-piece embeddings are not in the file: they come from the pinned package
    from safetensors import safe_open
    with safe_open(str(path), framework="pt") as f:
        assert not set(T.FROZEN) & set(f.keys())


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
    assert not any(c.head is not None and c.head.i == fumed.i for c in A.find_candidates(doc, lexicon=never, probs=probs))
    probs[fumed.i, 1] = 0.9
    assert any(c.head is not None and c.head.i == fumed.i for c in A.find_candidates(doc, lexicon=never, probs=probs))


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


@needs_shared
def test_train_attributions_writes_the_tagger_and_a_model_that_uses_it(tmp_path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    result = CliRunner().invoke(app, ["train", "attributions", "--data", str(POLNEAR), "--limit", "4",
                                      "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("attribution_tagger.safetensors", "attribution_model.json", "cue_lexicon.json",
                 "tagger-folds/fold0.safetensors", "tagger-folds/fold1.safetensors"):
        assert (tmp_path / name).is_file(), name
    model = am.AttributionModel.from_json((tmp_path / "attribution_model.json").read_text())
    assert model.meta["tagger"] == "attribution_tagger.safetensors"
    assert any(name.startswith("t_cue=") for name in model.weights)
    tagger = T.load(str(tmp_path / "attribution_tagger.safetensors"))
    assert tagger.meta["articles"] == "4" and tagger.meta["data"].startswith("PolNeAR")


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
    from newsledger.training_tagger import TRAIN_STRIDE, windows

    text = " ".join(f"word{i} said the minister." for i in range(300))
    n = len(T.tokenizer().encode(text, add_special_tokens=False).ids)
    got = windows([(text, [])])
    starts = T.window_starts(n, TRAIN_STRIDE)
    assert TRAIN_STRIDE == 192 and len(got) == len(starts) > 3
    assert starts[1] - starts[0] == TRAIN_STRIDE and starts[-1] + T.WINDOW == n
    assert all(len(ids) == T.WINDOW for ids, _ in got)


def test_a_damaged_or_foreign_weights_file_is_named_in_a_clear_error(tmp_path):
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all")
    with pytest.raises(ValueError, match="broken.safetensors: not an attribution tagger"):
        T.load(str(broken))
    from safetensors.torch import save_file
    foreign = tmp_path / "foreign.safetensors"
    save_file({"x": torch.zeros(2)}, str(foreign))
    with pytest.raises(ValueError, match="no head.weight"):
        T.load(str(foreign))
    with pytest.raises(ValueError, match="missing.safetensors"):
        T.load(str(tmp_path / "missing.safetensors"))


@needs_shared
def test_train_attributions_says_when_the_taggers_to_reuse_are_missing(tmp_path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    result = CliRunner().invoke(app, ["train", "attributions", "--data", str(POLNEAR), "--limit", "2",
                                      "--output", str(tmp_path), "--taggers-from", str(tmp_path / "nowhere")])
    assert result.exit_code != 0
    assert "nowhere" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "attribution_model.json").exists()


class Quiet(torch.nn.Module):
    """Reads nothing anywhere, and notes the thread it ran on."""
    def __init__(self):
        super().__init__()
        self.threads = set()

    def forward(self, input_ids, attention_mask):
        import threading
        self.threads.add(threading.current_thread().name)
        return torch.full((*input_ids.shape, len(T.LABELS)), -20.0)


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
    forward, windows = tagger.model.forward, []

    def counted(input_ids, mask):
        windows.append(len(input_ids))
        return forward(input_ids, mask)
    monkeypatch.setattr(tagger.model, "forward", counted)
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
