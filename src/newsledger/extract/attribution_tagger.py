"""A learned reader of attribution roles: for every token, how likely it is part of a source, a cue or
a content, and whether a content starts or ends there.

MiniLM-L6 (all-MiniLM-L6-v2) fine-tuned for token classification on PolNeAR's training split by
`newsledger train attributions` (lab/training_tagger.py). It does not decide attributions itself: its
readings become features of the candidates the parse proposes (attribution_model.tagger_features),
where a logistic regression weighs them with the rest.

Shipped as data/attribution_tagger.onnx, run by ONNX Runtime: the network exported from the
fine-tuned weights, its matrices in 8-bit integers (dynamic quantization, a scale per output
channel), the word pieces' table in data/attribution_tagger_tokenizer.json, read by `tokenizers`.
Nothing here imports torch or the training code. Loaded offline, once per process;
NEWSLEDGER_ATTRIBUTION_TAGGER names another .onnx file or "none".
"""
from __future__ import annotations

import functools
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from typing import Callable, Optional, Sequence

import numpy as np

from .attribution_model import token_table

TAGGER_FILE = "attribution_tagger.onnx"
TOKENIZER_FILE = "attribution_tagger_tokenizer.json"
LABELS = ("source", "cue", "content", "content_begin", "content_end")
WINDOW = 254          # word pieces per window, [CLS] and [SEP] aside
STRIDE = 224          # windows overlap by 30 pieces; each piece is read where it is most central
BATCH = 8             # windows per forward pass: bounds memory on long articles
MAX_PIECES = 1_000_000  # a piece holds a character at least: every text within the size limit
# (ingest.textcheck.MAX_CHARS) is read whole, window after window (it was 20,000: about 90,000
# characters, after which an article got no attribution and nothing said so)


class TaggerError(ValueError):
    """The tagger's file is missing, damaged or not a tagger's."""


@functools.lru_cache(maxsize=1)
def tokenizer():
    """MiniLM's word pieces (uncased BERT), from the package's data: nothing is downloaded."""
    from tokenizers import Tokenizer
    ref = resources.files("newsledger.data").joinpath(TOKENIZER_FILE)
    tok = Tokenizer.from_str(ref.read_text(encoding="utf-8"))
    tok.no_truncation()  # windows are cut here, not by the tokenizer
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


def window_starts(n: int, stride: int = STRIDE) -> list[int]:
    """Where the windows over n pieces start: every `stride` pieces, the last flush with the end."""
    starts = list(range(0, max(n - WINDOW, 0) + 1, stride))
    if starts[-1] + WINDOW < n:
        starts.append(n - WINDOW)
    return starts


def sigmoid(x: np.ndarray) -> np.ndarray:
    # the tanh form does not overflow for large logits, as exp(-x) does in float32
    return (0.5 * (1.0 + np.tanh(0.5 * x))).astype(np.float32, copy=False)


@dataclass
class Tagger:
    """`model`: word-piece ids [windows, pieces] (int64, [CLS] and [SEP] included) -> logits
    [windows, pieces, labels]; an OnnxModel at run time, a torch module's wrapper in training."""
    model: Callable[[np.ndarray], np.ndarray]
    meta: dict

    def piece_probs(self, ids: Sequence[int]) -> np.ndarray:
        """Probabilities [pieces, labels] for a sequence of word-piece ids."""
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
        # attention takes a slower path (it was a third of the tagger's time under torch).
        groups: dict[int, list[int]] = {}
        for s in starts:
            m = min(WINDOW, n - s)
            if words_before[s + m] > words_before[s]:
                groups.setdefault(m, []).append(s)
        for m, group_starts in groups.items():
            for b in range(0, len(group_starts), BATCH):
                group = group_starts[b:b + BATCH]
                input_ids = np.array([[cls] + list(ids[s:s + m]) + [sep] for s in group], dtype=np.int64)
                probs = sigmoid(np.asarray(self.model(input_ids), dtype=np.float32))
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


_threads: list[Optional[int]] = [None]  # use_threads: None is ONNX Runtime's default (all cores)
_local = threading.local()               # the reading thread's own count (read_ahead)


class OnnxModel:
    """The exported network in ONNX Runtime sessions, one per thread count: a session's thread
    count is fixed when it is made, where torch's could be set at any time, so a count asked for
    later (use_threads, the reading thread) gets a session of its own, made on first use.
    `threads`: the count where neither the thread nor the process set one."""

    def __init__(self, path: str, threads: Optional[int] = None):
        self.path = path
        self.threads = threads
        self._sessions: dict[Optional[int], object] = {}
        self._used: set[Optional[int]] = set()
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def session(self, threads: Optional[int] = None, use: bool = True):
        """The session for `threads`, opened if need be. One opened and never used (load opens one
        to check the file, before read_ahead or use_threads may ask for another count) is closed
        when another is opened: each holds the weights and its own buffers."""
        if self._pid != os.getpid():  # a forked child: the parent's sessions' threads did not come along
            self._sessions, self._used, self._lock, self._pid = {}, set(), threading.Lock(), os.getpid()
        with self._lock:
            sess = self._sessions.get(threads)
            if sess is None:
                sess = _open_session(self.path, threads)
                for idle in [t for t in self._sessions if t not in self._used]:
                    del self._sessions[idle]
                self._sessions[threads] = sess
            if use:
                self._used.add(threads)
        return sess

    def threads_now(self) -> Optional[int]:
        """The reading thread's count, else the process's (use_threads), else the model's own."""
        return getattr(_local, "threads", None) or _threads[0] or self.threads

    def __call__(self, input_ids: np.ndarray) -> np.ndarray:
        return self.session(self.threads_now()).run(["logits"], {"input_ids": input_ids})[0]


def _open_session(path: str, threads: Optional[int]):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or 0  # 0: ONNX Runtime's default, one a physical core
    opts.inter_op_num_threads = 1             # one chain of operators: nothing to run side by side
    opts.log_severity_level = 3               # errors only: its notes on the graph are not the user's
    # Windows come in many lengths: a memory plan per input shape, and an arena holding the largest
    # buffers for good, cost about 100 MB a session over PolNeAR dev and saved no time.
    opts.enable_mem_pattern = False
    opts.enable_cpu_mem_arena = False
    # Threads that spin while they wait for work would take the core the parser runs on (read_ahead).
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # ONNX Runtime raises its own error types for a damaged file
        raise TaggerError(f"{path}: not an attribution tagger's ONNX file ({str(exc).strip()})") from exc
    inputs = [i.name for i in sess.get_inputs()]
    outputs = {o.name: o.shape for o in sess.get_outputs()}
    if inputs != ["input_ids"] or outputs.get("logits", [None])[-1] != len(LABELS):
        raise TaggerError(f"{path}: not an attribution tagger's ONNX file (inputs {inputs}, outputs "
                          f"{outputs}; wanted input_ids -> logits [windows, pieces, {len(LABELS)}])")
    return sess


def load(path: str, threads: Optional[int] = None) -> Tagger:
    """The tagger in an ONNX file (lab/training_tagger.export); TaggerError for a missing or damaged
    file. `threads`: its own thread count, where the process sets none (use_threads)."""
    if not os.path.isfile(path):
        raise TaggerError(f"{path}: no attribution tagger there (no such file)")
    model = OnnxModel(path, threads)
    sess = model.session(model.threads_now(), use=False)  # opened now: a damaged file fails here, not mid-batch
    meta = dict(sess.get_modelmeta().custom_metadata_map)
    return Tagger(model, meta)


def use_threads(n: int) -> None:
    """Threads for the tagger's matrix work in this process: 1 where processes or analyses already
    share the cores (batch workers, Ray actors, the web server), else ONNX Runtime's default (all
    cores). Setting it also stops the tagger reading ahead on a thread of its own (read_ahead)."""
    _threads[0] = n


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_reader: dict[int, ThreadPoolExecutor] = {}  # by process id: a forked child starts its own


def read_ahead(tagger: Tagger, texts: Sequence[str]) -> list[Optional[Future]]:
    """Start reading texts on a thread of the tagger's own, with all cores but one, while the parser
    works on the main thread: the readings need the text alone, and ONNX Runtime lets go of the
    interpreter while it computes, so the two overlap. Only in a process that has the cores to
    itself (no use_threads) and more than one; elsewhere no futures (None): read after the parse."""
    cores = _cores()
    if _threads[0] is not None or cores < 2:
        return [None] * len(texts)
    pool = _reader.get(os.getpid())
    if pool is None:
        def init() -> None:
            _local.threads = cores - 1
        pool = _reader[os.getpid()] = ThreadPoolExecutor(1, thread_name_prefix="newsledger-tagger", initializer=init)
    return [pool.submit(tagger.read, t) for t in texts]


@functools.lru_cache(maxsize=1)
def shipped_tagger() -> Optional[Tagger]:
    """The tagger in use, or None when NEWSLEDGER_ATTRIBUTION_TAGGER=none; TaggerError when its file
    is missing or damaged (the shipped decision model was fitted with its readings)."""
    override = os.environ.get("NEWSLEDGER_ATTRIBUTION_TAGGER")
    if override == "none":
        return None
    if override:
        return load(override)
    ref = resources.files("newsledger.data").joinpath(TAGGER_FILE)
    if not ref.is_file():
        raise TaggerError(f"the attribution tagger is missing from the package (newsledger/data/{TAGGER_FILE}): "
                          "reinstall newsledger, or set NEWSLEDGER_ATTRIBUTION_TAGGER=none to run without it")
    with resources.as_file(ref) as p:
        return load(str(p))
