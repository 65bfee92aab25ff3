"""Near-duplicate articles (wire copies, re-publications) by MinHash over word 5-gram shingles.

An article's signature is split into bands; articles sharing a band are candidates, and a candidate
whose estimated Jaccard similarity reaches THRESHOLD is a near-duplicate. The bands live in the store
(table `minhash_bands`), so the index grows with the corpus on disk, not in memory.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS, ROWS = 32, 4  # candidates from about 0.42 similarity on: the threshold decides
THRESHOLD = 0.8  # estimated Jaccard similarity of the shingle sets
SHINGLE = 5  # words
MIN_WORDS = 40  # shorter texts share too many shingles by chance to call them copies
SEED = 1

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def signature(text: str):
    """The MinHash values of the text's word 5-grams, or None for a text too short to compare."""
    ws = words(text)
    if len(ws) < MIN_WORDS:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch([" ".join(ws[i:i + SHINGLE]).encode("utf-8") for i in range(len(ws) - SHINGLE + 1)])
    return m.hashvalues.astype(np.uint64)


def band_keys(sig) -> list[str]:
    """One key a band: the band's number and a digest of its values."""
    return [f"{b}:{hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}"
            for b in range(BANDS)]


def similarity(a, b) -> float:
    return float(np.mean(a == b))


def to_bytes(sig) -> bytes:
    return sig.astype("<u8").tobytes()


def from_bytes(data: bytes):
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)
