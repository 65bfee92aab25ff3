"""Punctuation marks of news text: quotation marks, apostrophes, dashes and hyphens.

Data only. The one place where quotation-mark characters are spelled out (tests/text/test_text.py fails
on a literal elsewhere in src/newsledger): other modules name these constants.
"""
from __future__ import annotations

# ---- quotation marks, one by one -----------------------------------------------------------------
STRAIGHT_DOUBLE = '"'
STRAIGHT_SINGLE = "'"
LEFT_DOUBLE = "\u201c"       # “
RIGHT_DOUBLE = "\u201d"      # ”
LEFT_SINGLE = "\u2018"       # ‘
RIGHT_SINGLE = "\u2019"      # ’ (also the typographic apostrophe)
LOW_DOUBLE = "\u201e"        # „ (German, Polish ... opening)
LEFT_GUILLEMET = "\u00ab"    # «
RIGHT_GUILLEMET = "\u00bb"   # »
LEFT_SINGLE_GUILLEMET = "\u2039"   # ‹
RIGHT_SINGLE_GUILLEMET = "\u203a"  # ›
# PTB-style doubled marks, as tokenizers and some corpora write them
BACKTICKS = "``"
DOUBLED_SINGLE = "''"

# ---- pairs: opening mark -> its closing mark -----------------------------------------------------
# „ closes with “ (German); „...” (Polish) is accepted by the detector as a slip.
DOUBLE_PAIRS = {
    LEFT_DOUBLE: RIGHT_DOUBLE,
    LEFT_GUILLEMET: RIGHT_GUILLEMET,
    LOW_DOUBLE: LEFT_DOUBLE,
    STRAIGHT_DOUBLE: STRAIGHT_DOUBLE,
    DOUBLED_SINGLE: DOUBLED_SINGLE,
    BACKTICKS: DOUBLED_SINGLE,
}
SINGLE_PAIRS = {
    LEFT_SINGLE: RIGHT_SINGLE,
    STRAIGHT_SINGLE: STRAIGHT_SINGLE,
    LEFT_SINGLE_GUILLEMET: RIGHT_SINGLE_GUILLEMET,
}
QUOTE_PAIRS = {**DOUBLE_PAIRS, **SINGLE_PAIRS}

# ---- character classes (strings, so that `ch in X`, str.strip(X) and regex classes all work) ------
# One-character double quotation marks that open a quotation (typed "straight" or typographic).
DOUBLE_OPENERS = STRAIGHT_DOUBLE + LEFT_DOUBLE + LEFT_GUILLEMET + LOW_DOUBLE
# One-character double quotation marks that close one.
DOUBLE_CLOSERS = STRAIGHT_DOUBLE + RIGHT_DOUBLE + RIGHT_GUILLEMET
# Every one-character double quotation mark: the mark of a direct quotation.
DOUBLE_QUOTES = STRAIGHT_DOUBLE + LEFT_DOUBLE + RIGHT_DOUBLE + LOW_DOUBLE + LEFT_GUILLEMET + RIGHT_GUILLEMET
SINGLE_OPENERS = STRAIGHT_SINGLE + LEFT_SINGLE + LEFT_SINGLE_GUILLEMET
SINGLE_CLOSERS = STRAIGHT_SINGLE + RIGHT_SINGLE + RIGHT_SINGLE_GUILLEMET
SINGLE_QUOTES = STRAIGHT_SINGLE + LEFT_SINGLE + RIGHT_SINGLE + LEFT_SINGLE_GUILLEMET + RIGHT_SINGLE_GUILLEMET
# Every quotation-mark character.
QUOTES = DOUBLE_QUOTES + SINGLE_QUOTES
OPENERS = DOUBLE_OPENERS + SINGLE_OPENERS
CLOSERS = DOUBLE_CLOSERS + SINGLE_CLOSERS

# ---- apostrophes -----------------------------------------------------------------------------------
# The straight and the typographic apostrophe, the same characters as the single closing quotes:
# "don’t", "'90s", "Obama’s". ’ is far more often an apostrophe than a closing quote.
APOSTROPHES = STRAIGHT_SINGLE + RIGHT_SINGLE
POSSESSIVES = tuple(a + "s" for a in APOSTROPHES)  # "'s", "’s"


def plain_apostrophes(s: str) -> str:
    """The typographic apostrophe written straight ("Obama’s" -> "Obama's")."""
    return s.replace(RIGHT_SINGLE, STRAIGHT_SINGLE)


# ---- dashes and hyphens ------------------------------------------------------------------------------
HORIZONTAL_BAR = "\u2015"  # ― (a quotation signed with a dash: '“...” ― Karen Bobadilla')
EM_DASH = "\u2014"         # —
EN_DASH = "\u2013"         # –
DASHES = HORIZONTAL_BAR + EM_DASH + EN_DASH
DOUBLE_HYPHEN = "--"       # a dash typed on a typewriter keyboard
DASH_TOKENS = frozenset(DASHES) | {DOUBLE_HYPHEN}
HYPHEN_MINUS = "-"
HYPHENS = HYPHEN_MINUS + "\u2010" + "\u2011"  # - ‐ (hyphen) ‑ (non-breaking hyphen)
