"""The text layer: what the code knows about written English news text, in one place.

Standard library only, at the bottom of the package (it imports nothing from newsledger), modelled
on spaCy's `lang/char_classes.py`: data apart from logic.

- `marks`: quotation marks (pairs, openers, closers), apostrophes, dashes, hyphens.
- `calendar`: month and weekday names with their abbreviations, seasons.
- `numbers`: number words, ordinals, scales.
- `verbs`: verbs of saying and of believing.
- `quotes`: the one quotation detector (`QuoteIndex`, `find_quotes`, `token_mask`).

Every other module derives its sets from here, and says where (and why) it uses a subset.
"""
