"""Fine-tuning the attribution tagger (extract/attribution_tagger.py) on PolNeAR.

Seeded: the window order comes from a fixed-seed generator and torch runs deterministic CPU
kernels with a fixed thread count, so a retrain on the same data reproduces the weights.
Run by `newsledger train attributions`; also on its own for one fold:
    python -m newsledger.training_tagger --data PATH --fold 0 --output fold0.safetensors
"""
from __future__ import annotations

import argparse
import datetime
import math
import time
from typing import Callable, Optional

import numpy as np

from .extract import attribution_tagger as T

SEED = 13
# Training windows overlap more than reading ones (attribution_tagger.STRIDE): the shipped tagger
# was trained on these.
TRAIN_STRIDE = 192
# Positive labels are rarer than negative ones, the boundaries most of all.
POS_WEIGHT = (2.0, 2.0, 1.0, 4.0, 4.0)
# One pass left the loss still falling; a third lifted the cross-fitted figures a little more.
EPOCHS = 3.0


def windows(texts_and_gold) -> list[tuple[list[int], np.ndarray]]:
    """Every training window: (piece ids, targets), cut as the tagger reads articles."""
    tok = T.tokenizer()
    out = []
    for text, gold in texts_and_gold:
        enc = tok.encode(text, add_special_tokens=False)
        ids, offsets = enc.ids[:T.MAX_PIECES], enc.offsets[:T.MAX_PIECES]
        if not ids:
            continue
        y = T.piece_labels(text, offsets, gold)
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
    model = T.build_model(layers)
    T.load_base_weights(model)
    for name, p in model.named_parameters():
        p.requires_grad = name not in T.FROZEN
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
        y = T.piece_labels(text, offsets, gold) > 0.5
        p = tagger.piece_probs(ids) >= 0.5
        tp += (p & y).sum(0)
        fp += (p & ~y).sum(0)
        fn += (~p & y).sum(0)
    return {lab: round(float(2 * tp[i] / max(1.0, 2 * tp[i] + fp[i] + fn[i])), 4) for i, lab in enumerate(T.LABELS)}


def main(argv: Optional[list[str]] = None) -> None:
    from .eval.polnear import load_split

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True)
    ap.add_argument("--split", default="train")
    ap.add_argument("--fold", type=int, choices=(0, 1), help="train on this half (even/odd articles) only")
    ap.add_argument("--output", required=True)
    ap.add_argument("--epochs", type=float, default=EPOCHS)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--eval-dev", action="store_true")
    a = ap.parse_args(argv)
    docs = load_split(a.data, a.split, a.limit)
    if a.fold is not None:
        docs = docs[a.fold::2]
    model, meta = train([(d.text, d.gold) for d in docs], epochs=a.epochs, layers=a.layers, threads=a.threads)
    meta["data"] = f"PolNeAR v1.0.0 {a.split} split" + (f", fold {a.fold} (every other article)" if a.fold is not None else "")
    T.save(model, a.output, meta)
    print(f"wrote {a.output}")
    if a.eval_dev:
        dev = load_split(a.data, "dev")
        print("dev piece F1:", token_f1(T.Tagger(model, meta), [(d.text, d.gold) for d in dev]))


if __name__ == "__main__":
    main()
