"""Verbs of saying and of believing, as spaCy lemmas. Data only."""
from __future__ import annotations

# The verbs that most often report speech in news ("..., adding that ...", "she said").
SAYING_CORE = frozenset("say add tell note write argue insist warn claim explain".split())
# Verbs of saying: the core ones and the rarer ones that still frame a quotation.
SAYING = SAYING_CORE | frozenset("""
ask continue declare recall state reply respond tweet answer joke exclaim acknowledge announce testify post
""".split())
# Verbs of believing, thinking, expecting and knowing ("I think ...", "experts fear ...").
BELIEVING = frozenset("""
think believe feel suppose assume suspect doubt hope fear worry expect predict guess reckon imagine
consider regard view see know understand realize realise
""".split())
