"""Quote provenance, the part without SQL: which words of an attribution are quoted, how two
quotations compare, and what a variant changed. `store/provenance.py` links the quotes of each new
article to the claims of the store with these.

A quote: the words inside quotation marks of a direct or mixed attribution's content (a direct one
without marks: its whole content), its pieces joined by an elision (" … "). Normalized: casefolded,
quotation marks, apostrophes and dashes unified, punctuation dropped, whitespace collapsed: a list
of words, numbers kept whole ("5,700", "3.5"), contractions too ("don't"). Quotes of fewer than
MIN_WORDS words are too generic to link.

Two quotes are one claim when their word sets have a Jaccard similarity of JACCARD or more, or when
the shorter's words run inside the longer's (matched in order) for CONTAINMENT of them: a partial
quote joins the full one. Candidates come from an index, never a scan: MinHash bands of the word
set (BANDS bands of ROWS values: a pair at 0.7 is a candidate with probability 0.9998) and
winnowed fingerprints of word 3-grams (every window of 3 gives its least hash, so two quotes that
share a run of 5 words or more share a fingerprint, however short one is next to the other).
"""
from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from typing import Optional, Sequence

from ..text import marks as M
from ..text.numbers import ORDINALS, SCALES, SMALL, TENS
from ..text.quotes import find_quotes

KINDS = ("direct", "mixed")  # attributions whose content quotes words
MIN_WORDS = 5
JACCARD = 0.7
CONTAINMENT = 0.9
NUM_PERM, BANDS, ROWS = 60, 20, 3
SHINGLE, WINDOW = 3, 3  # winnowing: word 3-grams, the least hash of every 3 in a row
SEED = 19
ELISION = "…"  # between the pieces of a quote, and for "..." inside one
NEGATIONS = frozenset("not no never nor cannot neither nobody nothing none nowhere".split())
NUMBER_WORDS = frozenset(SMALL) | frozenset(TENS) | frozenset(SCALES) | frozenset(ORDINALS)

_UNIFY = str.maketrans({**{c: M.STRAIGHT_SINGLE for c in M.SINGLE_QUOTES},
                        **{c: M.STRAIGHT_DOUBLE for c in M.DOUBLE_QUOTES},
                        **{c: M.HYPHEN_MINUS for c in M.DASHES + M.HYPHENS}})
_TOKEN = re.compile(r"\w+(?:[.,']\w+)*|\.\.\.+|" + ELISION)
_PERMUTATIONS: list = []  # made on first use: datasketch takes half a second to import


# ---------------------------------------------------------------- quotes and their words

def quoted_text(text: str, kind: str, spans: Sequence[Sequence[int]], quotes: Optional[list] = None) -> Optional[str]:
    """The quoted words of an attribution's content `spans` in the article `text`, as written
    (whitespace collapsed, outer marks and edge punctuation stripped), pieces joined by " … ";
    None for a kind that quotes nothing. `quotes`: find_quotes(text), when the caller has it."""
    if kind not in KINDS:
        return None
    quotes = find_quotes(text) if quotes is None else quotes
    pieces = []
    for s, e in spans:
        inside = [text[max(s, qs):min(e, qe)] for qs, qe in quotes if qs < e and qe > s]
        pieces += inside if inside else ([text[s:e]] if kind == "direct" else [])
    edge = M.QUOTES + " \t\r\n,;:"
    cleaned = [" ".join(p.split()).strip(edge) for p in pieces]
    return f" {ELISION} ".join(p for p in cleaned if p) or None


@dataclass(frozen=True)
class Token:
    word: str  # normalized; ELISION where pieces join or words were left out
    shown: str  # as written, with the spaces and punctuation that follow it


def tokens(quote: str) -> list[Token]:
    """The quote's words, each normalized and as written (the text before the first word goes
    with it), elisions as tokens of their own; consecutive elisions count once."""
    unified = quote.translate(_UNIFY)
    found = list(_TOKEN.finditer(unified))
    out: list[Token] = []
    for i, m in enumerate(found):
        start = 0 if i == 0 else m.start()
        end = found[i + 1].start() if i + 1 < len(found) else len(quote)
        word = ELISION if m.group().startswith((".", ELISION)) else m.group().casefold()
        if word == ELISION and (not out or out[-1].word == ELISION):
            if out:
                out[-1] = Token(ELISION, out[-1].shown + quote[start:end])
            continue
        out.append(Token(word, quote[start:end]))
    while out and out[-1].word == ELISION:
        out.pop()
    return out


def normalize(quote: str) -> str:
    """The normalized quote: its words joined by spaces, with " … " where it elides."""
    return " ".join(t.word for t in tokens(quote))


def words(normalized: str) -> list[str]:
    """The words of a normalized quote, without its elisions."""
    return [w for w in normalized.split() if w != ELISION]


def text_words(text: str) -> str:
    """A whole text normalized as a quote is (for finding a quote in a near-duplicate article)."""
    return " ".join(words(normalize(text)))


def key(normalized: str) -> str:
    """The digest a claim is known by (its founding quote's): two writers making it agree."""
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:32]


def index_keys(ws: list[str]) -> list[str]:
    """The quote's rows in the claims' index: MinHash bands of its word set ("m3:…") and the
    winnowed fingerprints of its word 3-grams ("w:…")."""
    import numpy as np
    from datasketch import MinHash

    if not _PERMUTATIONS:
        _PERMUTATIONS.append(MinHash(num_perm=NUM_PERM, seed=SEED).permutations)
    m = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_PERMUTATIONS[0])
    m.update_batch([w.encode("utf-8") for w in set(ws)])
    sig = m.hashvalues.astype(np.uint64)
    out = [f"m{b}:{hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}"
           for b in range(BANDS)]
    grams = [int.from_bytes(hashlib.blake2b(" ".join(ws[i:i + SHINGLE]).encode("utf-8"), digest_size=8).digest(), "big")
             for i in range(len(ws) - SHINGLE + 1)]
    picked = {min(grams[i:i + WINDOW]) for i in range(max(1, len(grams) - WINDOW + 1))} if grams else set()
    return out + [f"w:{h:016x}" for h in sorted(picked)]


# ---------------------------------------------------------------- comparing

def jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 0.0


def containment(a: Sequence[str], b: Sequence[str]) -> float:
    """How much of the shorter word list runs inside the longer, in order (0 to 1)."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if not short:
        return 0.0
    sm = difflib.SequenceMatcher(None, short, long_, autojunk=False)
    return sum(m.size for m in sm.get_matching_blocks()) / len(short)


def _may_contain(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether `containment` could reach CONTAINMENT: the words of the shorter found anywhere in
    the longer bound what runs in order, and counting them is cheap next to difflib's matching,
    which most candidate pairs need not reach."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    held = set(long_)
    return bool(short) and sum(w in held for w in short) / len(short) >= CONTAINMENT


RANKS = {"same": 3, "similar": 2, "part": 1}


def match(a: Sequence[str], b: Sequence[str]) -> Optional[tuple[str, float]]:
    """("same" | "similar" | "part", score) when two quotes' words are one claim's, else None."""
    if list(a) == list(b):
        return "same", 1.0
    j = jaccard(a, b)
    if j >= JACCARD:
        return "similar", j
    if len(a) != len(b) and _may_contain(a, b):
        c = containment(a, b)
        if c >= CONTAINMENT:
            return "part", c
    return None


# ---------------------------------------------------------------- what a variant changed

def _is_negation(w: str) -> bool:
    return w in NEGATIONS or w.endswith("n't")


def _is_number(w: str) -> bool:
    return any(ch.isdigit() for ch in w) or w in NUMBER_WORDS


def _kind(removed: list[str], added: list[str]) -> str:
    if sum(map(_is_negation, removed)) != sum(map(_is_negation, added)) or \
            {w for w in removed if _is_negation(w)} != {w for w in added if _is_negation(w)}:
        return "negation"
    if {w for w in removed if _is_number(w)} != {w for w in added if _is_number(w)}:
        return "number"
    return "words"


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int, str]]:
    """difflib's opcodes of two normalized word lists (elisions included), each with what it is:
    "equal", "change" (words differ), "cut" (one quotes more at its start or end than the other, or
    leaves out words where it elides: no change of words) or "neg-cut" (what is cut is a lone
    negation, which is a change)."""
    out = []
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            out.append((tag, i1, i2, j1, j2, "equal"))
            continue
        removed = [w for w in a[i1:i2] if w != ELISION]
        added = [w for w in b[j1:j2] if w != ELISION]
        edge = (k == 0 or k == len(ops) - 1) and not (removed and added)
        elided = (not added and ELISION in b[max(0, j1 - 1):j2 + 1]) or \
                 (not removed and ELISION in a[max(0, i1 - 1):i2 + 1])
        if not removed and not added:
            what = "cut"
        elif edge or elided:
            cut = removed or added
            what = "neg-cut" if len(cut) <= 2 and any(map(_is_negation, cut)) else "cut"
        else:
            what = "change"
        out.append((tag, i1, i2, j1, j2, what))
    return out


def same_speaker(a: Optional[str], b: Optional[str]) -> bool:
    """Whether two speakers (names as given; None: none, or unresolved) may be the same: a missing
    one never differs, nor does a name whose words are all in the other ("Reyes", "Mayor Tomas
    Reyes" and "Tomas Reyes" are one; "Ana Reyes" is not "Tomas Reyes")."""
    if not a or not b:
        return True
    wa, wb = set(_TOKEN.findall(a.translate(_UNIFY).casefold())), set(_TOKEN.findall(b.translate(_UNIFY).casefold()))
    return wa <= wb or wb <= wa


def changes(first: str, other: str, first_speaker: Optional[str] = None,
            speaker: Optional[str] = None, same_actor: bool = False) -> list[dict]:
    """What `other` (a normalized quote) changed from `first`: [{"kind": "negation" | "number" |
    "words" | "speaker", "from": ..., "to": ...}], empty when it quotes the same words (or more,
    or fewer, of them) from the same speaker. `same_actor`: both speakers are one corpus actor
    (the store knows; "Trump" and "Donald Trump", "the ministry" and "Gaza Health Ministry"), never
    another speaker whatever their names."""
    a, b = first.split(), other.split()
    out = []
    for _tag, i1, i2, j1, j2, what in _opcodes(a, b):
        if what in ("change", "neg-cut"):
            removed = [w for w in a[i1:i2] if w != ELISION]
            added = [w for w in b[j1:j2] if w != ELISION]
            out.append({"kind": _kind(removed, added), "from": " ".join(removed), "to": " ".join(added)})
    if not same_actor and not same_speaker(first_speaker, speaker):
        out.append({"kind": "speaker", "from": first_speaker, "to": speaker})
    return out


def side_by_side(first: str, other: str) -> tuple[list[dict], list[dict]]:
    """Two quotes as written, cut into pieces for a page: [{"text", "mark"}], where mark is None
    (the same words), "del" (in the first, changed in the other), "ins" (in the other, in place of
    or besides the first's) or "cut" (quoted by one only, at an edge or an elision: no change)."""
    ta, tb = tokens(first), tokens(other)
    a, b = [t.word for t in ta], [t.word for t in tb]
    left: list[dict] = []
    right: list[dict] = []

    def put(side, toks, mark):
        text = "".join(t.shown for t in toks)
        if not text:
            return
        if side and side[-1]["mark"] == mark:
            side[-1]["text"] += text
        else:
            side.append({"text": text, "mark": mark})
    for tag, i1, i2, j1, j2, what in _opcodes(a, b):
        if what == "equal":
            put(left, ta[i1:i2], None)
            put(right, tb[j1:j2], None)
        else:
            put(left, ta[i1:i2], "cut" if what == "cut" else "del")
            put(right, tb[j1:j2], "cut" if what == "cut" else "ins")
    return left, right
