"""Number words of English: cardinals, ordinals, scales. Data only."""
from __future__ import annotations

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEEN_WORDS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
              "eighteen", "nineteen")
TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

# word -> value: zero to nineteen, and the tens
SMALL = {w: i for i, w in enumerate(DIGIT_WORDS + TEEN_WORDS)}
TENS = {w: 10 * (i + 2) for i, w in enumerate(TENS_WORDS)}
# multipliers, the Indian ones included ("3 lakh", "2 crore")
SCALES = {"hundred": 100, "thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9,
          "trillion": 10 ** 12, "lakh": 10 ** 5, "crore": 10 ** 7}

ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), 1)}
