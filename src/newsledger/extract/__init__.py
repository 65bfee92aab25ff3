"""Extractors: each a pure function of a parsed spaCy Doc that returns typed ledger records.

Nothing here knows about input formats, storage or the web.
"""
