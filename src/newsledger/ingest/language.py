"""Is this English? The caller's `language` field first, else py3langid (its model ships in the wheel)."""
from __future__ import annotations

import functools
from typing import Optional

# Detection only on texts at least this long (shorter ones are too easy to get wrong) ...
MIN_DETECT_CHARS = 200
# ... only on their first DETECT_CHARS characters (enough, and bounded) ...
DETECT_CHARS = 5_000
# ... and a non-English verdict counts only at this probability or above.
MIN_CONFIDENCE = 0.95


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    if hasattr(LanguageIdentifier, "from_model_file"):  # py3langid 0.4+
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)  # 0.2, 0.3


def normalize_code(code: str) -> str:
    """'EN-us' -> 'en', 'fr_FR' -> 'fr'."""
    return code.strip().replace("_", "-").split("-")[0].lower()


def detect(text: str) -> tuple[Optional[str], float]:
    """(ISO 639-1 code, probability), or (None, 0.0) when the text is too short to tell."""
    sample = text[:DETECT_CHARS]
    if len(sample.strip()) < MIN_DETECT_CHARS:
        return None, 0.0
    lang, prob = _identifier().classify(sample)
    return lang, float(prob)


def non_english(text: str, declared: Optional[str]) -> Optional[str]:
    """The language code when the article is (declared or confidently detected) not English, else None."""
    if declared and declared.strip():
        code = normalize_code(declared)
        return None if code == "en" else code
    lang, prob = detect(text)
    if lang is not None and lang != "en" and prob >= MIN_CONFIDENCE:
        return lang
    return None
