"""Attributions: who said or claimed what, with its cue.

Two separate steps, so that a learned model can replace either:

1. `find_candidates(doc)`: every place the parse offers an attribution: a verb or noun of saying,
   thinking or judging with its complement; "according to X"; a headline "Source: content"; a
   quotation with no cue next to a speaker. Each candidate carries its cue, source and content as
   token spans and the features its decision rests on.
2. `decide(candidates, text)`: scores each candidate with the decision model
   (attribution_model.py: a logistic regression whose features include a lexicon of cue
   probabilities counted on PolNeAR's training split, data/cue_lexicon.json; both written by
   `newsledger train attributions`), takes the likeliest content variant of each cue
   (`best_variants`), keeps those at or above its threshold, then makes the result
   univocal (`resolve_overlaps`): a token belongs to at most one attribution, the likelier claim
   keeping its tokens.

Quotations running over several sentences or paragraphs are found on the raw text (quotes.py) and
extend the content of the cue that introduces or closes them.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import json
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import NamedTuple, Optional

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from ..ledger import Attribution, Cue, Source
from .attribution_model import features, shipped_model, token_table, tokens_in
from .attribution_tagger import Readings, Tagger, shipped_tagger
from . import claims
from .quotes import QuoteIndex
from ..text import marks, verbs
from .spans import Covered

# What counts as an attribution. "claims" (the default): shared/spec/attribution-guideline.md, what a
# reader of all news wants (claims, beliefs, intentions, findings; nested claims kept; acts, evidence
# and the article's own questions left out: claims.py). "polnear": PolNeAR's broader, univocal
# scheme that the decision model learned from (any sentiment or act ascribed to anyone), for
# comparison with figures published on PolNeAR.
CLAIMS, POLNEAR = "claims", "polnear"
SCHEMES = (CLAIMS, POLNEAR)

# Dependents of a cue verb that hold what was said.
CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "attr", "oprd", "dative", "prep", "advcl", "acomp",
                "parataxis", "csubj", "npadvmod", "obj", "conj"}
CUE_PARTS = {"aux", "auxpass", "neg", "prt"}
# Prepositional phrases that say when or how something was said, not what.
FRAME_PREPS = {"in", "on", "at", "during", "after", "before", "since", "via", "through", "with", "from",
               "to", "by", "outside", "inside", "while", "amid", "following"}
FRAME_NOUNS = {"statement", "interview", "speech", "release", "email", "tweet", "post", "letter",
               "conference", "call", "rally", "event", "appearance", "hearing", "briefing", "meeting",
               "op-ed", "editorial", "video", "radio", "television", "show", "program", "debate",
               "town", "hall", "remarks", "message", "announcement", "broadcast", "podcast"}
TIME_ENTS = {"DATE", "TIME"}

# A participle of these after the claim ("..., adding that ...") is a claim of its own.
SPEECH_LEMMAS = verbs.SAYING_CORE  # the common ones only: a rarer participle ("answering") is a frame
# Verbs whose object is the hearer, not the claim.
HEARER_VERBS = {"tell", "ask", "inform", "assure", "remind", "warn", "urge", "advise", "promise", "email",
                "text", "write", "reassure", "brief", "caution", "plead", "implore", "beg"}

# Patterns too rare in the training data to be counted: a quotation signed "― Name" is a claim.
PRIORS = {"dash": 0.6}

# The decision model's probability a candidate must reach in the claims scheme. The model's own
# threshold (0.3) maximizes lenient F1 on PolNeAR, which annotates acts and sentiments too. On the
# real-news parts worked on (data/realnews dev, dev2 and dev3 pooled, 653 attributions, annotated by
# the guideline) lenient F1 is highest at 0.37: P/R 0.881/0.825 at 0.3, 0.894/0.824 at 0.37,
# 0.895/0.821 at 0.4, 0.903/0.812 at 0.5 (flat: F1 0.852 to 0.857). Chosen there, not on test.
CLAIMS_THRESHOLD = 0.37

# Without a trained decision model: the lexicon probability a cue must reach. Chosen by two-fold
# cross-validation on PolNeAR train (lexicon counted on one half, scored on the other).
MIN_SCORE = 0.4

WORD = re.compile(r"\w+(?:[" + re.escape(marks.APOSTROPHES) + r"]\w+)*")  # a word, with its inner apostrophes ("don’t")
QUOTE_MARKS = frozenset(marks.QUOTES) - frozenset(marks.APOSTROPHES)  # not ’ nor ', mostly apostrophes


@functools.lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, list[int]]:
    """{feature key: [times a cue, times seen]} counted on PolNeAR train (see lab/cue_lexicon.py)."""
    try:
        raw = resources.files("newsledger.data").joinpath("cue_lexicon.json").read_text("utf-8")
    except FileNotFoundError:
        return {}
    return json.loads(raw)["counts"]


@dataclass
class Candidate:
    pattern: str                      # verb, noun, according_to, colon, dash, prep, adjective, adverb
    cue: list[Token]
    head: Optional[Token]             # the cue's main word
    source: list[Token]
    content: list[tuple[int, int]]    # character spans
    keys: list[str] = field(default_factory=list)  # lexicon keys, most specific first
    score: float = 0.0
    in_quote: bool = False
    nested: bool = False              # its cue lies inside another candidate's content
    first_sentence: bool = False      # in the headline or first sentence
    cut: str = ""                     # a shorter content variant: what its content leaves out
    keeps: tuple = ()                 # the cut points its content still holds
    alts: list = field(default_factory=list, repr=False)  # (cut, keeps, spans) of shorter variants
    fit: Optional["VariantFit"] = None  # how its content agrees with the tagger, beside its variants
    by_rule: bool = False             # kept by claims.clear_claim, whatever the model said

    @property
    def variant_of(self) -> Optional[tuple[str, int]]:
        """What its content variants share: the pattern and the cue's main word (None without one)."""
        return (self.pattern, self.head.i) if self.head is not None else None

    @property
    def cue_span(self) -> Optional[tuple[int, int]]:
        if not self.cue:
            return None
        return (min(t.idx for t in self.cue), max(t.idx + len(t) for t in self.cue))


# --------------------------------------------------------------------------- helpers

def _at_least(n: int, items) -> bool:
    """Are there at least n items? (Stops at the n-th.)"""
    return sum(1 for _ in itertools.islice(items, n)) >= n


def _char_spans(tokens: list[Token], doc: Doc) -> list[tuple[int, int]]:
    """Contiguous character spans of a token set, trimmed of edge punctuation and spaces."""
    return _id_spans(sorted({t.i for t in tokens}), doc)


def _id_spans(ids, doc: Doc) -> list[tuple[int, int]]:
    """_char_spans of token indices, sorted and distinct (a list or an array)."""
    if not len(ids):
        return []
    if isinstance(ids, np.ndarray):
        ids = ids.tolist()
    if ids[-1] - ids[0] == len(ids) - 1:
        runs = [(ids[0], ids[-1])]  # one run (distinct and sorted): most contents
    else:
        runs, start, prev = [], ids[0], ids[0]
        for i in ids[1:]:
            if i != prev + 1:
                runs.append((start, prev))
                start = i
            prev = i
        runs.append((start, prev))
    out = []
    for a, b in runs:
        while a <= b and _is_edge_punct(doc[a]):
            a += 1
        while b >= a and _is_edge_punct(doc[b]):
            b -= 1
        if a <= b:
            out.append((doc[a].idx, doc[b].idx + len(doc[b])))
    return out


EDGE_PUNCT = {",", ";", ":", "—", "–", "--", "-", "(", ")", "[", "]"}


def _is_edge_punct(t: Token) -> bool:
    """Separators around a content span; quote marks, '%' and final stops belong to the content."""
    return t.is_space or t.text in EDGE_PUNCT


def _subtree(t: Token) -> list[Token]:
    return list(t.subtree)


def _span_tokens(doc: Doc, start: int, end: int) -> list[Token]:
    sp = doc.char_span(start, end, alignment_mode="expand")
    return list(sp) if sp is not None else []


class ParseTable(NamedTuple):
    """A Doc's parse as plain arrays, made once per Doc (`_parse_table`): contents are read as token
    indices, with no token object made for each of their words (a text of cues has, for each cue,
    a content running to the end of its sentence)."""
    heads: np.ndarray       # each token's head, by index (a root its own)
    children: np.ndarray    # how many tokens have it as their head (a root not counted as its own)
    alpha: list             # Token.is_alpha
    semicolons: list        # the indices of the ";" tokens, in order


def _parse_table(doc: Doc) -> ParseTable:
    table = doc.user_data.get(("newsledger", "parse_table"))
    if table is None:
        index = np.arange(len(doc), dtype=np.int64)
        heads = index + doc.to_array("HEAD").view(np.int64)  # HEAD: offsets, the negative ones wrapped
        table = doc.user_data[("newsledger", "parse_table")] = ParseTable(
            heads=heads, children=np.bincount(heads, minlength=len(doc)) - (heads == index),
            alpha=[t.is_alpha for t in doc], semicolons=[t.i for t in doc if t.text == ";"])
    return table


def _subtree_ids(t: Token) -> list[int]:
    """The indices of the token's subtree (the words of `t.subtree`; in order when they are one
    run), mostly without walking it: the run from its left to its right edge is the subtree when
    every other word in it hangs on a word of the run (then each leads up to `t`) and the run's
    words have no other children (then no word outside leads up into it)."""
    lo, hi = t.left_edge.i, t.right_edge.i + 1
    table = _parse_table(t.doc)
    run = table.heads[lo:hi]
    inside = (run >= lo) & (run < hi) & (run != np.arange(lo, hi))
    inside[t.i - lo] = True
    if inside.all() and int(table.children[lo:hi].sum()) == hi - lo - 1:
        return list(range(lo, hi))
    return [x.i for x in t.subtree]  # not one run (a non-projective parse): walked


def _that_clause_under(prep: Token) -> list[Token]:
    """A clause opened by the conjunction "that" (not the relative pronoun) hung on the object of a
    frame preposition ("for decades that ...", "on Tuesday that ...")."""
    return [x for o in prep.children if o.dep_ == "pobj" for x in o.children
            if x.dep_ in ("acl", "relcl", "ccomp") and x.i > o.i and
            any(m.dep_ == "mark" and m.lower_ == "that" and m.i == x.left_edge.i for m in x.children)]


def _is_frame_prep(t: Token) -> bool:
    """'in a statement', 'on Tuesday', 'to reporters': how or when, not what."""
    if t.dep_ != "prep":
        return False
    objs = [c for c in t.children if c.dep_ in ("pobj", "pcomp")]
    if t.lower_ in FRAME_PREPS and not objs:
        return True
    for o in objs:
        if o.ent_type_ in TIME_ENTS or o.lemma_.lower() in FRAME_NOUNS:
            return True
        if t.lower_ == "to" and (o.ent_type_ in ("PERSON", "ORG", "NORP") or o.lemma_ in
                                 ("reporter", "journalist", "supporter", "crowd", "audience", "voter")):
            return True
    return t.lower_ in ("on", "during", "at", "after", "before", "since", "amid", "following", "via")


def _without_loose_modifiers(np: Token, keep_names: bool = False) -> list[int]:
    """A noun phrase (token indices) less what a comma sets off after it: ", where ...", ", the
    latest chapter ..." (`keep_names`: but a name in apposition, "the deputy prosecutor, Eva-Marie
    Persson")."""
    drop: set[int] = set()
    for c in np.children:
        if keep_names and c.pos_ == "PROPN":
            continue
        if c.i > np.i and c.dep_ in ("relcl", "appos", "acl") and c.i > 0 and \
                any(t.text == "," for t in np.doc[np.i + 1:c.left_edge.i + 1]):
            drop.update(_subtree_ids(c))
            drop.update(t.i for t in np.doc[np.i + 1:c.left_edge.i] if t.text == ",")
    return [i for i in _subtree_ids(np) if i not in drop]


def _without_second_saying(clause: Token) -> list[int]:
    """A reported clause (token indices) less the verbs of saying joined to it that are its
    speaker's own (`_second_saying`), with the "and" or comma before each."""
    doc = clause.doc
    drop: set[int] = set()
    for v in clause.children:
        if _second_saying(v):
            drop.update(_subtree_ids(v))
            j = v.left_edge.i - 1
            while j > clause.i and doc[j].head.i == clause.i and doc[j].dep_ in ("cc", "punct"):
                drop.add(j)
                j -= 1
    return [i for i in _subtree_ids(clause) if i not in drop]


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in verb.children)


def _predicate_run_on(t: Token, ids: set[int], own: set[int]) -> set[int]:
    """"The report found children lacked showers, didn't always have clothes and ...": the parser
    reads the cue's clause as the object of the next predicate, which has no subject of its own; that
    predicate is the claim's subject's too, so the claim runs on to the sentence's end. The indices
    to add (none where the sentence reads otherwise)."""
    head = t.head
    if t.dep_ != "ccomp" or head.i <= t.i or not ids or max(ids) >= head.i or min(ids) < t.i:
        return set()
    if head.pos_ not in ("VERB", "AUX") or head.lemma_.lower() in SECOND_SAYING:
        return set()  # "X found Y, Z said": a claim of its own around this one
    if _has_subject(head):
        return set()
    doc = t.doc
    # between the claim and that predicate: commas, "and", and the predicate's own auxiliaries
    if any(not (x.is_punct or x.dep_ == "cc" or x.head.i == head.i and x.dep_ in ("aux", "neg", "advmod"))
           for x in doc[max(ids) + 1:head.i] if x.i not in own):
        return set()
    end = t.sent.end
    while end > head.i and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return {i for i in range(max(ids) + 1, end) if i not in own}


def _according_to_of(t: Token) -> set[int]:
    """"were said to have run into issues, *according to The Hollywood Reporter*": an "according to"
    on the cue itself names who says so (an attribution of its own), it is no part of the content.
    Its indices, with the comma before it."""
    doc = t.doc
    out: set[int] = set()
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "according" and c.i > t.i:
            out.update(x.i for x in c.subtree)
            if c.i > 0 and doc[c.i - 1].is_punct and doc[c.i - 1].head.i == t.i:
                out.add(c.i - 1)
    return out


def _finite_conjunct_of_infinitive(t: Token, ids: set[int]) -> set[int]:
    """"promised to protect Medicaid *and hammered Bevin* on his plan": a finite verb cannot be
    joined to an infinitive; the parser hung the speaker's next act on the claim. Its indices, with
    the conjunction and comma before it (none where the sentence reads otherwise)."""
    doc = t.doc
    out: set[int] = set()
    for x in t.children:
        if x.dep_ != "xcomp" or x.tag_ != "VB" or x.i not in ids:
            continue
        for cj in x.children:
            if cj.dep_ == "conj" and cj.tag_ in ("VBD", "VBZ") and not _has_subject(cj):
                start = cj.left_edge.i
                while start - 1 > x.i and (doc[start - 1].dep_ == "cc" or doc[start - 1].is_punct):
                    start -= 1
                out.update(i for i in range(start, cj.right_edge.i + 1) if i in ids)
    return out


def _clause_of_subject_read_as_object(obj: Token, verb: Token) -> Optional[Token]:
    """"thought South Dakota's campaign – run by a firm – was meant to ...": the parser reads a long
    subject as the cue's object and the clause after it as a ccomp with no subject of its own; a
    verb that takes no hearer has no such object, so the noun phrase is the clause's subject. That
    clause, or None."""
    if obj.dep_ != "dobj" or verb.lemma_.lower() in HEARER_VERBS:
        return None
    clause = next((x for x in verb.children if x.dep_ == "ccomp" and x.i > obj.i), None)
    if clause is None or _has_subject(clause):
        return None
    return clause


TIME_MARKERS = {"when", "after", "before", "until", "once"}  # not "while": often "whereas"


def _stray_agent(verb: Token, content: list[int]) -> list[int]:
    """The token indices of a "by"-phrase inside `content` that names a person or an organization
    and ends it, or none."""
    if not content:
        return []
    doc = verb.doc
    end = max(content)
    for i in content:
        t = doc[i]
        if t.lower_ == "by" and t.dep_ == "prep" and t.head.i != verb.i:
            obj = next((c for c in t.children if c.dep_ == "pobj"), None)
            if obj is not None and t.right_edge.i >= end - 1 and (
                    obj.pos_ == "PROPN" or obj.ent_type_ in ("ORG", "PERSON", "NORP", "GPE")):
                return _subtree_ids(t)
    return []


def _subordinate(t: Token) -> bool:
    """A verb in a clause of time ("laughed *when* he urged voters"): the main clause is what
    happened then, not what was said ("X is true, *as* she said" is: "as" is left out)."""
    return t.dep_ == "advcl" and any(c.dep_ in ("mark", "advmod") and c.lower_ in TIME_MARKERS and c.i < t.i
                                     for c in t.children)


def _has_quote_beside(t: Token, quotes: QuoteIndex) -> bool:
    """Is there a quotation in the cue's sentence?"""
    sent = t.sent
    return quotes.any_between(sent.start_char, sent.end_char)


def _source_of(verb: Token) -> list[Token]:
    """The subject that speaks: the verb's own, or borrowed through conjunction, participle, relative."""
    for c in verb.children:
        if c.dep_ in ("nsubj",):
            return _subtree(c)
        if c.dep_ == "agent":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return _subtree(objs[0])
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        return []
    named = _named_after_quotation(verb) or _named_after_inverted_cue(verb)
    if named:
        return named
    head = verb.head
    if head.i == verb.i:
        return []
    if _second_saying(verb):
        return _source_of(head.head)  # "X said A and called on B": X called on B
    if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        return _source_of(head)
    if verb.dep_ == "xcomp" and head.pos_ in ("VERB", "AUX"):
        # "prompted *some users* to argue": the object says it; "declined to say": the subject
        obj = next((c for c in head.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if obj is not None and obj.pos_ in ("NOUN", "PROPN", "PRON"):
            return [verb.doc[i] for i in _without_loose_modifiers(obj)]
        return _source_of(head)
    if verb.dep_ == "advcl" and head.pos_ in ("VERB", "AUX"):
        return _source_of(head)  # "..., saying that"
    if verb.dep_ in ("relcl", "acl") and head.pos_ in ("PROPN", "NOUN", "PRON"):
        return [head] + [t for t in head.lefts] if verb.dep_ == "relcl" else [head]
    return _governing_subject(verb)


NAME_RUN_POS = {"PROPN", "NOUN", "DET", "ADJ", "PUNCT", "CCONJ", "PART"}


def _named_after_quotation(verb: Token) -> list[Token]:
    """'“...,” chairman, CEO and president Craig Menear said': the parser may hang the speaker on the
    quotation's last noun (an apposition), leaving the verb without a subject; the noun phrase
    between the closing mark and the verb is the speaker."""
    doc = verb.doc
    j = verb.i - 1
    run: list[Token] = []
    while j >= verb.sent.start and doc[j].pos_ in NAME_RUN_POS and doc[j].text not in QUOTE_MARKS:
        run.append(doc[j])
        j -= 1
    if j < verb.sent.start or doc[j].text not in QUOTE_MARKS or doc[j].tag_ != "''":
        return []
    run.reverse()
    while run and run[0].is_punct:
        run = run[1:]
    return run if any(t.pos_ in ("PROPN", "NOUN") for t in run) else []


def _named_after_inverted_cue(verb: Token) -> list[Token]:
    """'“Streaming is somewhat binary,” says Early.': a surname that is also a word ("Early", "Little")
    may be read as an adverb; capitalized words between an inverted cue right after a quotation and
    the sentence's end or comma are the speaker."""
    doc = verb.doc
    k = verb.i - 1
    while k >= verb.sent.start and doc[k].text == ",":
        k -= 1
    if k < verb.sent.start or doc[k].text not in QUOTE_MARKS or doc[k].tag_ != "''":
        return []
    run = list(itertools.takewhile(lambda t: t.is_title and not t.is_punct, doc[verb.i + 1:verb.sent.end]))
    after = verb.i + 1 + len(run)
    return run if run and (after >= verb.sent.end or doc[after].is_punct) else []


# Verbs that, joined to a reported claim without a subject of their own, are the speaker's second
# saying, not part of the claim: "said the deaths were caused by gunfire *and called on* the
# government to ...", "said the contract confused employees *and demanded* an extension".
SECOND_SAYING = claims.CLAIM_VERBS | claims.NOUN_CLAIM_VERBS


def _second_saying(verb: Token) -> bool:
    """`verb` is joined (conj) to the clause a verb of saying reports, has no subject of its own,
    and is itself a verb of saying: the first verb's speaker says it."""
    head = verb.head
    return (verb.dep_ == "conj" and head.dep_ == "ccomp" and head.head.i != head.i
            and verb.lemma_.lower() in SECOND_SAYING and head.head.lemma_.lower() in SECOND_SAYING
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children))


def _governing_subject(tok: Token, depth: int = 3) -> list[Token]:
    """The active subject of the nearest clause above `tok` ("Trump made suggestions that ...")."""
    node = tok
    for _ in range(depth):
        if node.head.i == node.i or node.dep_ in ("ccomp", "relcl", "parataxis"):
            return []
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            for c in node.children:
                if c.dep_ == "nsubj":
                    return _subtree(c)
                if c.dep_ == "nsubjpass":
                    return []
    return []


def _cue_tokens(head: Token) -> list[Token]:
    cue = [head]
    for c in head.children:
        if c.dep_ in CUE_PARTS and abs(c.i - head.i) <= 3:
            cue.append(c)
    return cue


# --------------------------------------------------------------------------- candidates

def _hearer_before_clause(verb: Token) -> int:
    """The index of the infinitive a verb of telling or urging asks of its hearer ("urged voters
    *to* stay", "pleaded the administration *to* reconsider"); -1 when it has none."""
    if verb.lemma_.lower() not in HEARER_VERBS:
        return -1
    for c in verb.children:
        if c.i <= verb.i or c.dep_ not in ("xcomp", "ccomp") or \
                not any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children):
            continue
        if c.dep_ == "xcomp" and any(x.dep_ in ("dobj", "dative") and verb.i < x.i < c.i for x in verb.children) or \
                c.dep_ == "ccomp" and any(x.dep_ == "nsubj" and x.i < c.i for x in c.children):
            return c.i
    return -1


def _asked_hearer(verb: Token) -> list[int]:
    """The tokens that name whom a verb of urging asks (`_hearer_before_clause`): those between the
    verb and its infinitive, or the infinitive's own subject."""
    asked = _hearer_before_clause(verb)
    if asked < 0:
        return []
    clause = verb.doc[asked]
    if clause.dep_ == "ccomp":
        return [i for x in clause.children if x.dep_ == "nsubj" and x.i < clause.i for i in _subtree_ids(x)]
    return list(range(verb.i + 1, clause.left_edge.i))


def _verb_candidate(t: Token, quotes: QuoteIndex, doc: Doc) -> Optional[Candidate]:
    source = _source_of(t)
    source_ids = {s.i for s in source}
    cue = _cue_tokens(t)
    cue_ids = {c.i for c in cue}
    content: list[int] = []  # token indices
    frame = "none"
    deps = {c.dep_ for c in t.children}
    hearer_before = _hearer_before_clause(t)
    for c in t.children:
        if c.i in source_ids or c.i in cue_ids:
            continue
        if c.dep_ not in CONTENT_DEPS:
            continue
        if t.i < c.i < hearer_before and c.dep_ in ("dobj", "dative", "prep", "nsubj"):
            continue  # urged *voters in the region* to ...: whom it is asked of, not what
        if c.dep_ == "prep" and _is_frame_prep(c):
            # "argued for decades *that* it was the first victim": the parse hangs the verb's clause
            # on the noun of time before it
            content.extend(i for x in _that_clause_under(c) for i in _subtree_ids(x))
            continue
        if c.dep_ == "dative" and ("ccomp" in deps or "xcomp" in deps):
            continue  # told *reporters* that ...
        its_clause = _clause_of_subject_read_as_object(c, t)
        if c.dep_ == "dobj" and "ccomp" in deps and c.i < min(x.i for x in t.children if x.dep_ == "ccomp") \
                and its_clause is None:
            continue  # told *him* that ...
        if c.dep_ == "npadvmod" and c.ent_type_ in TIME_ENTS:
            continue
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
            continue  # a second claim with its own cue
        if c.dep_ == "advcl" and c.i > t.i and (c.lemma_ in SPEECH_LEMMAS or
                                                   "ccomp" in deps or _has_quote_beside(t, quotes) or
                                                   c.tag_ == "VBG" and c.lemma_ in claims.SAYING_CLAIM_VERBS):
            continue  # "said X, citing Y": the reason given is not the claim; "confessed to X, *admitting* Y": another
        if c.i < t.i and c.dep_ in ("prep", "advcl", "npadvmod"):
            continue  # "In an interview, he said": what comes before the cue frames it
        if c.i < t.i and c.dep_ in ("ccomp", "csubj") and \
                any(x.dep_ in ("ccomp", "xcomp") and x.i > t.i for x in t.children):
            # "(While) the ad did not appeal to her, she said she would not judge it": one claim, after;
            # "creating songs for an EP the band plans to release": what the band plans is after it
            continue
        if c.dep_ in ("dobj", "dative") and t.lemma_ in HEARER_VERBS and _has_quote_beside(t, quotes):
            continue  # “...,” he told *the miners*
        if c.dep_ in ("dobj", "attr", "dative", "obj"):
            content.extend(_without_loose_modifiers(c))
            if its_clause is not None:
                # the dash or comma that closes the subject's aside, which the parse hung on the cue
                content.extend(x.i for x in doc[c.right_edge.i + 1:its_clause.left_edge.i] if x.is_punct)
        elif c.dep_ == "ccomp" and any(_second_saying(v) for v in c.children):
            content.extend(_without_second_saying(c))
        elif c.i == hearer_before and c.dep_ == "ccomp":
            # "pleaded *the administration* to reconsider": the infinitive's subject is the hearer
            hearer = set(_asked_hearer(t))
            content.extend(i for i in _subtree_ids(c) if i not in hearer)
        else:
            content.extend(_subtree_ids(c))
        if frame == "none" or c.dep_ == "ccomp":
            frame = c.dep_
    charge = claims.charge_hung_on_agent(t)
    if charge is not None:  # "accused by critics *of promoting ...*": the charge, not the accuser
        charged = _subtree_ids(charge)
        taken = set(charged)
        source = [s for s in source if s.i not in taken]
        source_ids = {s.i for s in source}
        content.extend(charged)
        frame = "prep"
    # Raising and passive: "X appears to ...", "X is expected to ...", "it was reported that".
    subj = [c for c in t.children if c.dep_ in ("nsubjpass",) or
            (c.dep_ == "nsubj" and t.lemma_ in ("appear", "seem"))]
    if subj and frame in ("xcomp", "ccomp") and t.lemma_ not in HEARER_VERBS:
        for s in subj:
            if s.lower_ not in ("it", "there"):
                content = _subtree_ids(s) + content
        source = []
    if subj and not source and not any(c.dep_ == "agent" for c in t.children):
        # "was recommended as a key technology *by the agency's panel*": the parser may hang the
        # passive's agent on a noun of the content; a "by"-phrase naming someone that ends the
        # content is the source
        by = _stray_agent(t, content)
        if by:
            source = [doc[i] for i in by if doc[i].dep_ != "prep"]
            taken = set(by)
            content = [i for i in content if i not in taken]
    # "residents were warned that ...", "staff were told by the firm to ...": the subject is the
    # hearer, not the claim; the speaker is the agent, when the sentence names one
    table = _parse_table(doc)
    # the content as a set of token indices (set operations: no loop over its words here)
    ids = set(content)
    if not ids:
        # Parenthetical "X, he said, Y" and "Y, she said": the sentence around the cue is the claim.
        outside = set(_subtree_ids(t)) if t.dep_ != "ROOT" else source_ids | cue_ids
        for c in t.children:  # "..., he said *at an event in Washington*": when and where, not what
            if c.i > t.i and (c.dep_ == "prep" and _is_frame_prep(c) or
                              c.dep_ == "npadvmod" and c.ent_type_ in TIME_ENTS):
                outside.update(_subtree_ids(c))
        sent = t.sent
        ids = set(range(sent.start, sent.end)) - outside
        # none where a relative clause's verb would take the clause it hangs in ("an EP the band
        # plans to release"), or a clause of time the quotation beside it ("The crowd cheered when
        # he told reporters: “...”": the quotation is the claim)
        if not _at_least(3, (x for x in ids if table.alpha[x])) or t.dep_ in ("relcl", "acl") or \
                _subordinate(t) and _has_quote_beside(t, quotes):
            ids = set()
        else:
            frame = "paren"
    ids |= _predicate_run_on(t, ids, source_ids | cue_ids)
    ids -= _finite_conjunct_of_infinitive(t, ids)
    ids -= _according_to_of(t)
    ids -= cue_ids
    ids -= {s.i for s in source}
    # "said X; they only learned ...": the claim ends at its first semicolon after the cue
    semicolons = table.semicolons
    after_cue = semicolons[bisect.bisect_right(semicolons, t.i):bisect.bisect_right(semicolons, max(ids, default=-1))]
    semi = next((i for i in after_cue if i in ids and not quotes.inside(doc[i].idx)), None)
    if semi is not None:
        ids = {i for i in ids if i < semi}
    content = sorted(ids)
    spans = _id_spans(content, doc)
    plain = spans
    # A quotation holding the content, or standing right beside the cue, is the content whole.
    spans = _extend_with_quotes(spans, t, source, cue, quotes, doc)
    if not spans:
        return None
    quoted = spans
    spans = _continue_quote(spans, source, cue, quotes)
    cand = Candidate("verb", cue, t, source, spans)
    if spans == plain and frame != "paren":
        cand.keeps, cand.alts = _content_variants(t, content, doc)
    else:
        # The quotation may not all be the claim: the model also weighs the content without the
        # quotations that follow the cue's sentence, and without any quotation the parse did not hold.
        if quoted != spans:
            cand.alts.append(("quote|continued", (), quoted))
        if plain and plain != quoted and sum(e - s for s, e in plain) >= 8:
            cand.alts.append(("quote|widened", (), plain))
    cand.in_quote = quotes.inside(t.idx)
    pos = "VERB"  # a verb, or a verb the tagger read as a noun (_verb_tagged_as_noun)
    lemma = t.lemma_.lower()
    q = "q" if cand.in_quote else "n"
    cand.keys = [f"{lemma}|{pos}|{q}|{frame}", f"{lemma}|{pos}|{q}", f"{lemma}|{pos}"]
    return cand


# Where a content may end early: the dependents of its top words that can trail the claim itself
# ("said X *for this story*", "said X *and noted Y*", "said X *, because* ...").
BREAK_DEPS = {"prep", "advcl", "conj", "relcl", "acl", "npadvmod", "parataxis"}
TRAILING = {",", ";", ":", "—", "–", "--", "-", "and", "but", "or", "(", "as", "while"}
MAX_CUTS = 4


def _break_label(b: Token, cut: int, doc: Doc) -> str:
    word = b.left_edge.lower_ if b.dep_ in ("prep", "advcl", "acl", "relcl", "npadvmod") else b.pos_
    return f"{b.dep_}|{word}|{'comma' if cut > 0 and doc[cut - 1].text in TRAILING else 'none'}"


def _content_variants(cue: Token, content: list[int], doc: Doc) -> tuple[tuple, list]:
    """Shorter contents a claim after its cue may have: each cut at a trailing dependent of a top
    word of the content (token indices, sorted and distinct). Returns the full content's cut points
    and, per cut, (what it leaves out, the cut points it keeps, its character spans)."""
    if not content or content[0] < cue.i:
        return (), []
    ids = set(content)
    table = _parse_table(doc)
    # the top words: those whose head is outside the content, or themselves (by arrays)
    words = np.array(content, dtype=np.int64)
    their_heads = table.heads[words]
    at = np.minimum(np.searchsorted(words, their_heads), len(words) - 1)
    tops = [doc[int(i)] for i in words[(words[at] != their_heads) | (their_heads == words)]]
    alpha_before = None  # alphabetic words among content[:k], counted at the first cut point
    points = []
    for r in tops:
        for b in r.children:
            if b.i > r.i and b.dep_ in BREAK_DEPS and b.left_edge.i in ids:
                cut = b.left_edge.i
                while cut - 1 in ids and doc[cut - 1].lower_ in TRAILING:
                    cut -= 1
                if alpha_before is None:
                    alpha_before = list(itertools.accumulate((table.alpha[i] for i in content), initial=0))
                if alpha_before[bisect.bisect_left(content, cut)] >= 2:  # words kept before the cut
                    points.append((cut, _break_label(b, cut, doc)))
    points = sorted(set(points))[-MAX_CUTS:]
    labels = tuple(lab for _, lab in points)
    alts = []
    for k, (cut, lab) in enumerate(points):
        spans = _id_spans(content[:bisect.bisect_left(content, cut)], doc)
        if spans:
            alts.append((lab, labels[:k], spans))
    return labels, alts


def _hearer(head: Token) -> list[Token]:
    """The object a verb of telling speaks to, after it ("told *reporters*", "urged *voters*")."""
    return [x for c in head.children if c.dep_ in ("dobj", "dative") and c.i > head.i for x in c.subtree]


def _no_verb(doc: Doc, start: int, end: int) -> bool:
    """No verb among the tokens of characters start..end: a title or a name, not a clause."""
    return not any(t.pos_ in ("VERB", "AUX") for t in _span_tokens(doc, start, end))


def _extend_with_quotes(spans, head: Token, source, cue, quotes: QuoteIndex, doc: Doc):
    """Widen content to the quotations it touches; take an adjacent quotation when there is none."""
    out = list(spans)
    touched = set()
    for s, e in spans:
        for off in (s, e - 1):
            q = quotes.at(off)
            if q and q not in touched and q[1] - q[0] > 2:
                touched.add(q)
    if not out:
        # the group: the cue, its source, and the hearer a quotation may follow ("told reporters: “...”")
        group = list(source) + _hearer(head) if head.lemma_ in HEARER_VERBS else list(source)
        toks = list(cue) + group
        lo, hi = min(t.idx for t in toks), max(t.idx + len(t) for t in toks)
        # only a quotation within ADJACENT_GAP of the group can stand beside it (by bisection)
        touched.update(q for q in quotes.near(lo, hi, ADJACENT_GAP) if _adjacent(q, group, cue, quotes.text))
    if not touched:
        return out
    for q in touched:
        if quotes.inside(head.idx) and q[0] < head.idx < q[1]:
            continue
        out.append(q)
    out.sort()
    merged: list[list[int]] = []
    for s, e in out:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    # never let the content swallow the cue or the source
    text = quotes.text
    around = list(cue) + list(source)
    result = _subtract([(s, e) for s, e in merged], _token_spans(around), text)
    if around:
        # “...,” Tulsa police Chief Chuck Jordan said: nothing between the quotation and its cue
        lo = min(t.idx for t in around)
        q_end = max((q[1] for q in touched if q[1] <= lo), default=None)
        if q_end is not None:
            # (a piece running on past the closing mark, '“...," chairman and CEO Dana Whitfield said',
            # ends at the mark)
            result = [(r[0], q_end) if r[0] < q_end < r[1] <= lo and _no_verb(doc, q_end, r[1]) else r
                      for r in result]
            result = [r for r in result if not (r[0] >= q_end and r[1] <= lo)]
    return result


_SAYS_SOMETHING = re.compile(r"[^ .,;:\t]")  # what str.strip(" .,;:\t") would leave
_NOT_SPACE = re.compile(r"\S")  # what str.strip() would leave (the same whitespace)


def _continue_quote(spans, source, cue, quotes: QuoteIndex):
    """'“A,” he said. “B.”': a quotation that goes on right after its cue belongs to it too."""
    text = quotes.text
    if not any(text[s] in marks.DOUBLE_OPENERS or text[s:s + 2] == marks.DOUBLED_SINGLE for s, _ in spans) \
            and text[spans[-1][1] - 1] not in marks.DOUBLE_CLOSERS:
        return spans
    toks = list(cue) + list(source)
    if cue:
        # '“A,” comments Johnston in a statement, “B.”': the frame after the cue is no barrier
        toks += [t for c in cue[0].children if c.i > cue[0].i and c.dep_ == "prep" and _is_frame_prep(c)
                 for t in c.subtree]
    last = max([e for _, e in spans] + [t.idx + len(t) for t in toks])
    if cue and spans[0][0] < cue[0].idx:
        # “A,” she said after the vote. “B.”: the rest of the cue's sentence is no barrier
        sent_end = cue[0].sent.end_char
        if not quotes.any_between(last, sent_end):
            last = max(last, sent_end)
    out = list(spans)
    para = quotes.paragraph(last)
    # the gaps are read up to their first word (a search), not sliced whole: the paragraph may be
    # a whole text
    for q in quotes.iter_following(last, para[1]):
        if _SAYS_SOMETHING.search(text, last, q[0]):
            break
        out.append(q)
        last = q[1]
    if not _SAYS_SOMETHING.search(text, last, para[1]):
        # paragraphs that are one quotation each go on with the same speaker
        while True:
            q = quotes.first_following(last, len(text))
            if q is None:
                break
            p = quotes.paragraph(q[0])
            if p[0] != q[0] or q[1] < p[1] - 1 or _NOT_SPACE.search(text, last, q[0]):
                break
            out.append(q)
            last = q[1]
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in ",;:—-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—-"):
        e -= 1
    return (s, e)


ADJACENT_GAP = 3  # the most characters between a quotation and the cue-and-source group beside it


def _adjacent(q, source, cue, text: str) -> bool:
    """Is quotation q right before or right after the source-and-cue group?"""
    toks = list(cue) + list(source)
    lo = min(t.idx for t in toks)
    hi = max(t.idx + len(t) for t in toks)
    if q[1] <= lo:
        gap = text[q[1]:lo]
        if "\n" in gap and text[q[0]:q[1]].rstrip(marks.CLOSERS + " ")[-1:] not in ",—-":
            return False  # a quotation that ends its paragraph with a full stop is not the next line's
        return len(gap) <= ADJACENT_GAP and all(ch in " ,\n—-" for ch in gap)
    if q[0] >= hi:
        gap = text[hi:q[0]]
        return len(gap) <= ADJACENT_GAP and all(ch in " ,:\n—-" for ch in gap)
    return False


CONNECTORS = {"so", "and", "but", "while", "as", "which", "although", "though", "yet", "whereas"}


def _clause_before(according: Token) -> set[int]:
    """"A, according to X, so B": a whole clause before "according to", closed by a comma, with
    another clause after it, is what X says, wherever the parser hangs the phrase. Its token
    indices, or none."""
    doc = according.doc
    sent = according.sent
    if according.i - 1 < sent.start or doc[according.i - 1].text != ",":
        return set()
    after = max([t.i for t in according.subtree] + [according.i + 1]) + 1  # past "according to X"
    while after < sent.end and doc[after].is_punct:
        after += 1
    if after >= sent.end or not (doc[after].lower_ in CONNECTORS or doc[after].dep_ in ("cc", "mark")):
        return set()  # "the man, according to witnesses, ran": one clause around the phrase
    ids = [i for i in range(sent.start, according.i - 1) if not doc[i].is_space]
    if not any(doc[i].pos_ in ("VERB", "AUX") and doc[i].dep_ in ("ROOT", "ccomp", "conj") for i in ids) or \
            _quote_open_across(doc, sent.start, according.i):
        return set()
    return set(ids)


def _quote_open_across(doc: Doc, start: int, end: int) -> bool:
    """An odd number of double quotation marks among tokens start..end-1 (one opened, not closed)."""
    return sum(1 for t in doc[start:end] if t.text in QUOTE_MARKS) % 2 == 1


def _according_to_candidates(doc: Doc, quotes: QuoteIndex) -> list[Candidate]:
    out = []
    for t in doc:
        if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to":
            continue
        to = doc[t.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"] or \
               [c for c in t.children if c.dep_ == "pobj"]
        source_ids = _subtree_ids(objs[0]) if objs else []
        source = [doc[i] for i in source_ids]
        cue = [t, to]
        exclude = set(_subtree_ids(t)) | set(_subtree_ids(to)) | set(source_ids)
        head = t.head if t.head.i != t.i else None
        if head is not None and t.dep_ == "prep" and head.pos_ not in ("VERB", "AUX"):
            # "the poll, according to X", "*one* of the officers, according to X, had worked": the
            # clause the word sits in
            while head.head.i != head.i and head.dep_ not in ("ROOT", "ccomp", "conj"):
                head = head.head
        if head is None or head.dep_ == "ROOT":
            sent = t.sent
            scope = set(range(sent.start, sent.end))
        else:
            scope = set(_subtree_ids(head))
        before = _clause_before(t)
        if before:
            scope = before  # "There are three scripts left, according to The Wrap, so ...": the clause before
        spans = _id_spans(sorted(scope - exclude), doc)
        spans = _extend_with_quotes(spans, t, source, cue, quotes, doc)
        if spans:
            c = Candidate("according_to", cue, t, source, spans, keys=["according_to"])
            c.in_quote = quotes.inside(t.idx)
            out.append(c)
    return out


def _colon_candidates(doc: Doc, quotes: QuoteIndex) -> list[Candidate]:
    """Headline and transcript style: 'Poll: Clinton leads', 'WALLACE: Do you really ...'."""
    out = []
    for sent in doc.sents:
        colon = next((t for t in sent if t.text == ":" and t.i - sent.start <= 7), None)
        if colon is None or colon.i + 1 >= sent.end or colon.i == sent.start:
            continue
        start = sent.start
        while start < colon.i and (doc[start].is_quote or doc[start].is_space):
            start += 1
        # '"WALLACE: Let's start ...': a transcript turn, each paragraph opening with a quote mark
        turn = start > sent.start and doc[start:colon.i].text.isupper()
        before = doc[start:colon.i]
        if not len(before) or any(t.pos_ in ("VERB", "AUX") for t in before) or \
                not before[0].is_title and not before[0].is_upper:
            continue  # "He added:" is handled by its verb
        if not any(t.pos_ in ("PROPN", "NOUN") for t in before):
            continue
        para_end = quotes.paragraph(colon.idx)[1]
        rest = list(itertools.takewhile(lambda t: t.idx < para_end, doc[colon.i + 1:]))  # not on to the text's end
        spans = _char_spans(rest, doc)
        if not turn:  # a turn's quote mark opens the whole transcript, not this claim
            spans = _extend_with_quotes(spans, colon, list(before), [colon], quotes, doc)
        if spans:
            last = before[-1]
            kind = last.ent_type_ or last.pos_
            place = "turn" if turn else "title" if sent.start == 0 else "body"
            out.append(Candidate("colon", [colon], colon, list(before), spans,
                                 keys=[f"colon|{place}|{kind}", f"colon|{place}"]))
    return out


DASHES = marks.DASH_TOKENS


def _dash_candidates(doc: Doc, quotes: QuoteIndex) -> list[Candidate]:
    """A quotation signed with a dash and a name: '“We are afraid.” ― Karen Bobadilla'."""
    out = []
    text = quotes.text
    for q in quotes.spans:
        after = text[q[1]:q[1] + 3].lstrip()
        if not after or not (after[0] in "―—–" or after.startswith("--")):
            continue
        toks = _span_tokens(doc, q[1], min(quotes.paragraph(q[1])[1], q[1] + 200))
        # the dash may be glued to the closing mark: '”―' is one token
        dash = next((t for t in toks if t.text in DASHES or t.text.lstrip(marks.CLOSERS) in DASHES), None)
        if dash is None:
            continue
        name = []
        for t in doc[dash.i + 1:]:
            if t.is_space and not name and "\n" not in t.text:
                continue  # "―\xa0Jorge Falcon": a no-break space after the dash
            if t.is_punct or t.is_space or "\n" in t.text:
                break
            name.append(t)
        if name and name[0].is_title:
            kind = name[-1].ent_type_ or name[-1].pos_
            out.append(Candidate("dash", [dash], dash, name, [q], keys=[f"dash|{kind}", "dash"]))
    return out


# The signature line under an embedded post: "— The Nigerian Senate (@NGRSenate) October 9, 2018".
POST_SIGNATURE = re.compile(r"^[ \t]*(?:[―—–]|--)[ \t\xa0]*(?P<name>[^()\n]{1,80}?)[ \t]*"
                            r"\((?P<handle>@\w{1,30})\)[ \t]*[A-Z][a-z]+\.? \d{1,2}, \d{4}[ \t]*$", re.MULTILINE)


def _post_candidates(doc: Doc, quotes: QuoteIndex) -> list[Candidate]:
    """An embedded post (a tweet) and its signature: the block of lines above the signature, back to
    the blank line before it, is what the name posted; with no blank lines in the text, the line
    above."""
    text = quotes.text
    out = []
    blank_lines = "\n\n" in text
    for m in POST_SIGNATURE.finditer(text):
        above = text.rfind("\n\n", 0, max(0, m.start() - 2))
        block_start = above + 2 if above >= 0 and blank_lines else text.rfind("\n", 0, max(0, m.start() - 1)) + 1
        s, e = _trim(text, block_start, m.start())
        if e - s < 10 or POST_SIGNATURE.search(text, s, e):
            continue
        name = _span_tokens(doc, m.start("name"), m.end("name"))
        dash = _span_tokens(doc, m.start(), m.start("name"))
        dash = [t for t in dash if not t.is_space]
        if not name or not dash:
            continue
        kind = name[-1].ent_type_ or name[-1].pos_
        out.append(Candidate("dash", dash[:1], dash[0], name, [(s, e)], keys=[f"dash|{kind}", "dash"]))
    return out


# Sentence-initial frames that attribute the clause: "In the poll, ...", "For many Democrats, ...".
FRAME_HEADS = {"in", "for", "to", "from", "by", "among", "under", "on", "at"}


def _prep_frame_candidates(doc: Doc, quotes: QuoteIndex) -> list[Candidate]:
    out = []
    for sent in doc.sents:
        first = sent[0]
        if first.lower_ not in FRAME_HEADS or first.dep_ != "prep":
            continue
        objs = [c for c in first.children if c.dep_ == "pobj"]
        if not objs:
            continue
        obj = objs[0]
        frame_ids = {x.i for x in first.subtree}
        comma = doc[max(frame_ids) + 1] if max(frame_ids) + 1 < sent.end else None
        if comma is None or comma.text != ",":
            continue
        content = [x for x in sent if x.i not in frame_ids and x.i != comma.i]
        spans = _char_spans(content, doc)
        if not spans:
            continue
        kind = obj.ent_type_ or obj.pos_
        out.append(Candidate("prep", [first], first, list(obj.subtree), spans,
                             keys=[f"prep|{first.lower_}|{obj.lemma_.lower()}", f"prep|{first.lower_}|{kind}"]))
    return out


# Adjectives of believing or fearing that take a clause: "I'm sure they've got a plan", "officials
# are concerned that the virus could spread" (the guideline's beliefs).
BELIEF_ADJECTIVES = frozenset({"sure", "confident", "convinced", "optimistic", "pessimistic", "concerned",
                               "afraid", "worried", "hopeful", "certain", "skeptical", "sceptical", "fearful"})
LINKING_VERBS = frozenset({"be", "feel", "remain", "seem", "grow", "become"})
# "I’m", "they’re": spaCy lemmatizes "'m" to "be" but not the curly "’m"
BE_CONTRACTED = frozenset(a + e for a in marks.APOSTROPHES for e in ("m", "re", "s"))


def _belief_adjective_candidates(doc: Doc, quotes: QuoteIndex) -> list[Candidate]:
    """'X is sure (that) Y', 'X felt concerned that Y': the adjective and its verb are the cue, the
    verb's subject the source, the adjective's clause the content."""
    out = []
    for t in doc:
        if t.pos_ != "ADJ" or t.dep_ != "acomp" or t.lemma_.lower() not in BELIEF_ADJECTIVES:
            continue
        verb = t.head
        clause = next((c for c in t.children if c.dep_ == "ccomp" and c.i > t.i), None) or _clause_after_adverb(t)
        if clause is None or not (verb.lemma_.lower() in LINKING_VERBS or verb.lower_ in BE_CONTRACTED):
            continue
        # "We started to see progress and were optimistic that": conjoined verbs share their subject
        speaker = verb.head if verb.dep_ == "conj" and not _has_subject(verb) else verb
        source = next((_subtree(c) for c in speaker.children if c.dep_ == "nsubj"), [])
        cue = sorted([c for c in verb.children if c.dep_ in CUE_PARTS and c.i < t.i] + [verb, t], key=lambda x: x.i)
        spans = _id_spans(_subtree_ids(clause), doc)
        if spans:
            c = Candidate("adjective", cue, t, source, spans, keys=[f"adjective|{t.lemma_.lower()}", "adjective"])
            c.in_quote = quotes.inside(t.idx)
            out.append(c)
    return out


def _clause_after_adverb(adjective: Token) -> Optional[Token]:
    """"were optimistic as recently as yesterday *that this may get resolved*": the parse hangs the
    adjective's clause on an adverb of time after it."""
    for x in adjective.head.children:
        if x.dep_ == "advmod" and x.i > adjective.i:
            for c in x.subtree:
                if c.dep_ == "ccomp" and all(h.dep_ in ("advmod", "prep", "pobj") for h in _heads_between(c, x)):
                    return c
    return None


def _heads_between(token: Token, top: Token) -> list[Token]:
    """The tokens from `token`'s head up to `top` (inclusive), along the parse."""
    out, h = [], token.head
    while h.i != top.i and h.head.i != h.i:
        out.append(h)
        h = h.head
    return out + [top]


# Adverbs that ascribe their clause to reports nobody names: "WeWork is *reportedly* being investigated".
REPORT_ADVERBS = frozenset({"reportedly", "reputedly", "purportedly", "allegedly"})


def _report_adverb_candidates(doc: Doc, quotes: QuoteIndex) -> list[Candidate]:
    """"X is reportedly being investigated": the clause the adverb modifies is the claim, its source
    unnamed, the adverb its cue (the clause in two pieces around it). Not inside a quotation, nor
    on a verb of saying ("reportedly told", whose own candidate holds the claim)."""
    out = []
    for t in doc:
        if t.lower_ not in REPORT_ADVERBS or t.dep_ != "advmod" or quotes.inside(t.idx):
            continue
        verb = t.head
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() in claims.KNOWN_VERBS - claims.ACT_VERBS:
            continue
        if any(w.pos_ == "VERB" and w.lemma_.lower() in verbs.SAYING or w.lower_ == "according" for w in t.sent):
            continue  # "officers reportedly located drugs, police said": the saying holds the claim
        # not the relative phrase that joins the clause to its noun ("the night *during which* he ...")
        relative = {i for c in verb.children if c.i < verb.i and any(w.tag_ in ("WDT", "WP", "WRB") for w in c.subtree)
                    and c.dep_ not in ("nsubj", "nsubjpass") for i in _subtree_ids(c)}
        ids = [i for i in _subtree_ids(verb) if i != t.i and i not in relative and not doc[i].is_space]
        while ids and doc[ids[-1]].is_punct:
            ids.pop()
        spans = _id_spans(ids, doc)
        if spans:
            out.append(Candidate("adverb", [t], t, [], spans, keys=["adverb"]))
    return out


def _clause_after_copula(noun: Token) -> Optional[Token]:
    """"My hope is *that ...*", "The assumption was *that ...*": the that-clause after the copula
    the noun is the subject of, or None."""
    return next((c for c in noun.head.children if c.dep_ in ("ccomp", "attr") and c.i > noun.head.i
                 and c.left_edge.lower_ == "that"), None)


# "with reports that", "amid speculation that": a noun of saying after these holds nobody's claim
# that the clause around it names; its holder is unnamed.
UNNAMED_REPORT_PREPS = frozenset({"with", "amid", "amidst", "after", "despite", "following", "among", "over"})


def _noun_candidate(t: Token, quotes: QuoteIndex, doc: Doc) -> Optional[Candidate]:
    """'his claim that ...', 'Trump's criticism of the deal', 'opposition to the bill'."""
    content, frame = [], "none"  # token indices
    for c in t.children:
        if c.dep_ in ("acl", "ccomp") or (c.dep_ == "prep" and c.lower_ in ("of", "to", "that", "about", "on")
                                          and c.i > t.i):
            content = sorted(_subtree_ids(c))
            frame = c.dep_ if c.dep_ != "prep" else "prep_" + c.lower_
            break
    if not content and t.dep_ == "nsubj" and t.head.lemma_ == "be" and t.lemma_.lower() in claims.SAYING_NOUNS:
        clause = _clause_after_copula(t)
        if clause is not None:
            content, frame = sorted(_subtree_ids(clause)), "copula"
    if not content:
        return None
    if frame.startswith("prep"):
        content = content[1:]  # without the preposition (its first word)
    source = []
    for c in t.children:
        if c.dep_ == "poss" or (c.dep_ == "compound" and c.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")):
            source = list(c.subtree)
            break
    else:
        # "the assumption was that", "(the film was greenlit,) with reports that": none named
        unnamed = frame == "copula" or t.dep_ == "pobj" and t.head.lower_ in UNNAMED_REPORT_PREPS
        source = [] if unnamed else _governing_subject(t)
    spans = _id_spans(content, doc)
    if not spans:
        return None
    lemma = t.lemma_.lower()
    q = "q" if quotes.inside(t.idx) else "n"
    has_src = "s" if source else "x"
    return Candidate("noun", [t], t, source, spans,
                     keys=[f"{lemma}|NOUN|{q}|{frame}|{has_src}", f"{lemma}|NOUN|{q}|{frame}", f"{lemma}|NOUN"])


# A word whose best frame in the lexicon is a cue less often than this is not worth a candidate.
PRUNE_BELOW = 0.1


@functools.lru_cache(maxsize=1)
def cue_ceilings() -> dict[str, float]:
    """The shipped lexicon's ceilings (`ceilings`), worked out once."""
    return ceilings(cue_lexicon())


def ceilings(lex: dict[str, list[int]]) -> dict[str, float]:
    """{lemma|POS: the highest cue probability of any of its keys seen often enough}."""
    out: dict[str, float] = {}
    for key, (hits, seen) in lex.items():
        parts = key.split("|")
        if len(parts) < 2 or parts[1] not in ("VERB", "NOUN"):
            continue
        base = f"{parts[0]}|{parts[1]}"
        if seen >= 5 or len(parts) == 2:
            p = (hits + 0.5) / (seen + 1.0)
            if p > out.get(base, -1.0):
                out[base] = p
    return out


# A word the tagger reads as a cue at least this surely is a candidate whatever the lexicon says.
TAGGED_CUE = 0.5


def find_candidates(doc: Doc, quotes: QuoteIndex | None = None, probs=None) -> list[Candidate]:
    """Every attribution the parse offers; words rarely a cue in the shipped lexicon are skipped,
    unless the tagger's readings `probs` (tokens x attribution_tagger.LABELS) say they are cues;
    with them, each cue is also offered the content the tagger reads beside it."""
    return propose(doc, quotes or QuoteIndex(doc.text), cue_ceilings(), probs)


def _verb_tagged_as_noun(t: Token) -> bool:
    """"the Congressional Budget Office *projects* that the tariffs will ...": a verb of saying the
    tagger read as a plural noun, though the parse gives it a subject and a that-clause."""
    return t.tag_ == "NNS" and t.lemma_.lower() in claims.NOUN_CLAIM_VERBS and \
        any(c.dep_ == "nsubj" and c.i < t.i for c in t.children) and claims.that_clause_after(t)


def _claim_verb_with_clause(t: Token) -> bool:
    """"certifications *attesting that* they had made their rounds": a verb of the claim lexicon
    (claims.CLAIM_VERBS) with a that-clause is worth a candidate however rare PolNeAR finds it."""
    return t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in claims.CLAIM_VERBS and claims.that_clause_after(t)


def _saying_noun_with_clause(t: Token) -> bool:
    """"the UK's position *that* settlements are illegal", "my hope is *that* ...": a noun of saying
    with its that-clause is worth a candidate however rarely PolNeAR annotates the noun."""
    if t.pos_ != "NOUN" or t.lemma_.lower() not in claims.SAYING_NOUNS:
        return False
    if t.dep_ == "nsubj" and t.head.lemma_ == "be":
        return _clause_after_copula(t) is not None
    return any(c.dep_ in ("acl", "ccomp") and c.i > t.i and c.left_edge.lower_ == "that" for c in t.children)


def propose(doc: Doc, quotes: QuoteIndex, ceilings: Optional[dict[str, float]], probs=None) -> list[Candidate]:
    """find_candidates with the words kept by `ceilings` (`ceilings(lexicon)`; None keeps every word)."""
    cue_probs = probs[:, 1] if probs is not None else None
    out: list[Candidate] = []
    for t in doc:
        if t.pos_ not in ("VERB", "AUX", "NOUN") or t.lower_ == "according" or not t.is_alpha:
            continue
        as_verb = t.pos_ in ("VERB", "AUX") or _verb_tagged_as_noun(t)
        pos = "VERB" if as_verb else t.pos_
        if ceilings is not None and ceilings.get(f"{t.lemma_.lower()}|{pos}", 0.0) < PRUNE_BELOW and \
                (cue_probs is None or cue_probs[t.i] < TAGGED_CUE) and not _saying_noun_with_clause(t) and \
                not _claim_verb_with_clause(t):
            continue
        c = _verb_candidate(t, quotes, doc) if as_verb else _noun_candidate(t, quotes, doc)
        if c is not None:
            out.append(c)
    if probs is not None:
        for c in out:
            seen = [c.content]
            for label, spans in _tagged_contents(c, doc, probs, quotes):
                if spans and spans not in seen:
                    c.alts.append((label, (), spans))
                    seen.append(spans)
    out.extend([dataclasses.replace(c, content=spans, cut=cut, keeps=keeps, alts=[])
                for c in list(out) for cut, keeps, spans in c.alts])
    out.extend(_according_to_candidates(doc, quotes))
    out.extend(_colon_candidates(doc, quotes))
    out.extend(_dash_candidates(doc, quotes))
    out.extend(_post_candidates(doc, quotes))
    out.extend(_prep_frame_candidates(doc, quotes))
    out.extend(_belief_adjective_candidates(doc, quotes))
    out.extend(_report_adverb_candidates(doc, quotes))
    _mark_nested(out)
    if probs is not None:
        _fit_variants(out, doc, probs, quotes)
    first_end = next(iter(doc.sents)).end if len(doc) else 0
    for c in out:
        c.first_sentence = c.head is not None and c.head.i < first_end
    return out


# The tagger's content beside a cue: tokens it reads as content at least this surely, after at most
# SKIP_BEFORE_CONTENT others next to the cue.
TAGGED_CONTENT = 0.5
SKIP_BEFORE_CONTENT = 3
# The most tokens read from the cue on (the longest sentence the pipeline lets stand): no
# content of an article comes near it, and every cue of a text of cues cannot read on to its end.
MAX_TAGGED_RUN = 250


def _reading_table(doc: Doc):
    """Per Doc, once: token starts, which tokens are punctuation or space, which are punctuation,
    which are alphabetic."""
    table = doc.user_data.get(("newsledger", "reading_table"))
    if table is None:
        starts, ends, punct = token_table(doc)
        space = np.fromiter((t.is_space for t in doc), dtype=bool, count=len(doc))
        alpha = np.fromiter((t.is_alpha for t in doc), dtype=bool, count=len(doc))
        table = doc.user_data[("newsledger", "reading_table")] = (starts, punct | space, punct, alpha)
    return table


def _tagged_contents(c: Candidate, doc: Doc, probs, quotes: QuoteIndex) -> list[tuple[str, list]]:
    """The run of tokens the tagger reads as content on the side of the cue where the candidate's
    content lies, within the cue's paragraph ("tagger"); and the same run cut where the tagger reads
    that a content ends or another begins ("tagger|edges"). Read on arrays of token indices: no
    token object is made for a text of cues."""
    if not c.cue or not c.content:
        return []
    group = [t.i for t in c.cue] + [t.i for t in c.source]
    para = quotes.paragraph(c.cue[0].idx)
    forward = c.content[0][0] >= c.cue_span[1]
    starts, loose, punct, alpha = _reading_table(doc)
    # the window: from the cue outwards, within its paragraph, at most MAX_TAGGED_RUN tokens (a
    # paragraph may be a whole pathological text); it starts past the candidate's own cue and
    # source, so it never holds them
    if forward:
        i0 = max(group) + 1
        hi = min(len(doc), i0 + MAX_TAGGED_RUN, int(np.searchsorted(starts, para[1], side="left")))
        window = np.arange(i0, max(i0, hi))
    else:
        i0 = min(group) - 1
        lo = max(-1, i0 - MAX_TAGGED_RUN, int(np.searchsorted(starts, para[0], side="left")) - 1)
        window = np.arange(i0, min(i0, lo), -1)
    content = probs[window, 2] >= TAGGED_CONTENT
    # at most SKIP_BEFORE_CONTENT tokens before the content; then content, or punctuation within it
    first = int(np.argmax(content)) if content.any() else len(window)
    if first > SKIP_BEFORE_CONTENT or first == len(window):
        return []
    other = ~(content[first:] | loose[window[first:]])
    last = first + (int(np.argmax(other)) if other.any() else len(window) - first)
    run = np.sort(window[first:last][content[first:last]])  # distinct: the window steps by one
    if c.head is not None and c.head.dep_ == "relcl":
        # "people who have reported using meth was 3.8 percent": a relative clause's claim ends with it
        edge = c.head.right_edge.i if forward else c.head.left_edge.i
        run = run[run <= edge] if forward else run[run >= edge]
    hearer = _asked_hearer(c.head) if forward and c.head is not None else []
    if hearer:  # "urged *voters* to stay": whom it is asked of is not what is asked
        run = run[~np.isin(run, hearer)]
    if int(alpha[run].sum()) < 2:
        return []
    out = [("tagger", _id_spans(run, doc))]
    # the first token (after the run's first) where another content begins: cut before it; or
    # where a content ends, unless punctuation follows: cut after it
    begins = probs[run, 3] >= TAGGED_CONTENT
    begins[:1] = False
    ends = np.zeros(len(run), dtype=bool)
    ends[:-1] = (probs[run[:-1], 4] >= TAGGED_CONTENT) & ~punct[run[1:]]
    stop = begins | ends
    cut = len(run)
    if stop.any():
        k = int(np.argmax(stop))
        cut = k if begins[k] else k + 1
    if cut < len(run) and int(alpha[run[:cut]].sum()) >= 2:
        out.append(("tagger|edges", _id_spans(run[:cut], doc)))
    return out


def _variant_groups(cands: list[Candidate]) -> dict[tuple[str, int], list[Candidate]]:
    """The content variants of each cue (Candidate.variant_of), in candidate order; none for
    candidates without a cue word."""
    groups: dict[tuple[str, int], list[Candidate]] = {}
    for c in cands:
        if c.variant_of is not None:
            groups.setdefault(c.variant_of, []).append(c)
    return groups


class VariantFit(NamedTuple):
    """How a candidate's content agrees with the content the tagger reads around the cue (its
    paragraph, and as far as any of the cue's variants reaches), beside the other content variants
    of the same cue: which variant to keep is a comparison, and a per-candidate score sees one side
    of it only."""
    variants: int        # content variants of this cue (this one included)
    agreement: float     # F1 of its content tokens against the tagged content tokens around
    gap: float           # the best variant's agreement less its own
    agreement_rank: int  # 0 = the best agreement among the variants
    mass_rank: int       # rank by summed (2p - 1) of its tokens' content readings


def _fit_variants(cands: list[Candidate], doc: Doc, probs, quotes: QuoteIndex) -> None:
    content_p = probs[:, 2]
    starts, ends, punct = token_table(doc)
    read_as_content = (content_p >= TAGGED_CONTENT) & ~punct
    read_before = np.concatenate(([0], np.cumsum(read_as_content)))  # how many before each token
    for group in _variant_groups(cands).values():
        first = group[0]
        # the cue's paragraph, and as far as any variant reaches (a quotation over paragraphs)
        start, end = quotes.paragraph(first.cue[0].idx) if first.cue else (0, len(quotes.text))
        start = min([start] + [s for c in group for s, _ in c.content])
        end = max([end] + [e for c in group for _, e in c.content])
        # the tokens of the region (lo..hi, as tokens_in reads it) read as content, less the cue's
        # and the source's: counted by prefix sums, for the paragraph may be a whole text of cues
        lo = int(np.searchsorted(ends, start, side="right"))
        hi = max(lo, int(np.searchsorted(starts, end, side="left")))
        group_ids = np.unique(np.array([t.i for t in first.cue] + [t.i for t in first.source], dtype=np.int64))
        group_ids = group_ids[(group_ids >= lo) & (group_ids < hi)]
        n_tagged = int(read_before[hi] - read_before[lo]) - int(read_as_content[group_ids].sum())
        scores = []
        for c in group:
            mine = np.unique(tokens_in(doc, c.content))
            mine = mine[~punct[mine]]
            held = mine[(mine >= lo) & (mine < hi)]  # all of them: the region holds every variant
            shared = int((read_as_content[held] & ~np.isin(held, group_ids)).sum())
            f1 = 2 * shared / (len(mine) + n_tagged) if len(mine) and n_tagged else 0.0
            scores.append((f1, float((2 * content_p[mine] - 1).sum())))
        best = max(f for f, _ in scores)
        by_f1 = sorted(range(len(group)), key=lambda k: -scores[k][0])
        by_mass = sorted(range(len(group)), key=lambda k: -scores[k][1])
        for k, c in enumerate(group):
            c.fit = VariantFit(len(group), scores[k][0], best - scores[k][0], by_f1.index(k), by_mass.index(k))


def _mark_nested(cands: list[Candidate]) -> None:
    spans = sorted((s, e) for c in cands for s, e in c.content)
    starts = [s for s, _ in spans]
    for c in cands:
        cs = c.cue_span
        if cs is None:
            continue
        # any content span starting before the cue and ending after it (not the candidate's own)
        i = bisect.bisect_right(starts, cs[0])
        c.nested = any(e > cs[0] and (s, e) not in c.content for s, e in spans[max(0, i - 40):i])


# --------------------------------------------------------------------------- decisions

def score(c: Candidate, lex: dict[str, list[int]]) -> float:
    """Probability that the cue is one, from the most specific lexicon key seen often enough."""
    for key in c.keys:
        hit = lex.get(key)
        if hit and hit[1] >= 5:
            return (hit[0] + 0.5) / (hit[1] + 1.0)
    for key in c.keys[-1:]:
        hit = lex.get(key)
        if hit:
            return (hit[0] + 0.5) / (hit[1] + 1.0)
    return PRIORS.get(c.pattern, 0.0)


def _token_spans(tokens) -> list[tuple[int, int]]:
    return [(t.idx, t.idx + len(t)) for t in tokens]


class Widest:
    """Content ranges added one by one, of which only those no other holds are kept (sorted by start,
    their ends rise too): whether one range holds [lo, hi) is a bisection."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def holds(self, lo: int, hi: int) -> bool:
        i = bisect.bisect_right(self.starts, lo) - 1
        return i >= 0 and self.ends[i] >= hi

    def add(self, s: int, e: int) -> None:
        if self.holds(s, e):
            return
        i = bisect.bisect_left(self.starts, s)       # ranges from i on start at or after s
        j = i
        while j < len(self.starts) and self.ends[j] <= e:  # held by the new one: gone
            j += 1
        self.starts[i:j] = [s]
        self.ends[i:j] = [e]


def _subtract(spans, taken, text: str, drop_scraps: bool = False) -> list[tuple[int, int]]:
    """Spans less every taken range (a list of ranges, or Covered); pieces with no letter or digit
    are dropped; with drop_scraps, so are the scraps a cut leaves with function words alone and no
    quotation mark ("| even though", "| by"): claims that lose words to a likelier one keep what
    says something."""
    out = []
    for s, e in spans:
        pieces = [(s, e)]
        for ts, te in (taken.meeting(s, e) if isinstance(taken, Covered) else taken):
            nxt = []
            for ps, pe in pieces:
                if te <= ps or ts >= pe:
                    nxt.append((ps, pe))
                    continue
                if ts > ps:
                    nxt.append((ps, ts))
                if te < pe:
                    nxt.append((te, pe))
            pieces = nxt
        cut = drop_scraps and pieces != [(s, e)]
        out.extend(p for p in (_trim(text, ps, pe) for ps, pe in pieces)
                   if not (cut and _is_scrap(text[p[0]:p[1]])))
    return [(s, e) for s, e in out if any(ch.isalnum() for ch in text[s:e])]


def _is_scrap(piece: str) -> bool:
    return not any(ch in QUOTE_MARKS for ch in piece) and all(w.lower() in STOP_WORDS for w in WORD.findall(piece))


def decide(cands: list[Candidate], text: str, probs=None, quotes: Optional[QuoteIndex] = None,
           scheme: str = CLAIMS, doc: Optional[Doc] = None,
           claims_threshold: Optional[float] = CLAIMS_THRESHOLD) -> list[Candidate]:
    """Score every candidate, keep the likely ones, make the result univocal (or, in the claims
    scheme, nested where one claim holds another). `probs`: the attribution tagger's readings of the
    tokens, when it is in use; `doc`: the candidates' (the claims scheme reads it);
    `claims_threshold`: the probability a claim must reach in the claims scheme (None: the model's
    own, chosen for PolNeAR's scheme)."""
    lex = cue_lexicon()
    model = shipped_model()
    for c in cands:
        c.score = score(c, lex)
        if model is not None:
            c.score = model.probability(features(c, text, c.score, probs))
    if model is None:
        threshold, scored = MIN_SCORE, cands
    else:
        if scheme == CLAIMS:
            cands = [c for c in cands if not _part_of_an_announced_quotation(c, text)]
        threshold, scored = model.threshold, best_variants(cands)
        if scheme == CLAIMS and claims_threshold is not None:
            threshold = claims_threshold
    kept = [c for c in scored if c.score >= threshold]
    if doc is None:
        doc = next((t.doc for c in cands for t in c.cue[:1] + c.source[:1]), None)
    if scheme == CLAIMS and doc is not None:
        quotes = quotes or QuoteIndex(text)
        dropped = [c for c in kept if claims.not_a_claim(c, doc, quotes) is not None]
        kept = [c for c in kept if claims.not_a_claim(c, doc, quotes) is None]
        if model is not None:
            # a cue whose likeliest content is no claim ("confessed | the kidnapping", the tagger's
            # reading without its "to") may have a variant that is one: that variant, by rule below
            scored = scored + _clear_variants_of(dropped, cands, doc, quotes)
            # claims plain enough to keep whatever the model, learned where they are not annotated, says
            for c in scored:
                if c.score < threshold and claims.clear_claim(c, doc, quotes):
                    skip = {t.i for t in c.cue + c.source}
                    own = claims.clause_of(c.head, skip)
                    if (c.in_quote and not _within_its_sentence_after_cue(c)) or _runs_into_another_clause(c, own, doc):
                        # a claim inside a quotation: its own clause, not the whole quotation; any
                        # claim: not the next clause ("did not want to judge it, and thinks ...")
                        c.content = _char_spans(own, doc) or c.content
                    c.score, c.by_rule = threshold, True
                    kept.append(c)
    out = settle(kept, text, probs, nested=scheme == CLAIMS)
    if scheme == CLAIMS and out and doc is not None:
        # the tagger may have given a claim another source ("you", "the data"): judged again
        out = [c for c in out if claims.not_a_claim(c, doc, quotes) is None]
        _quotation_goes_on(out, quotes)
    return out


def _clear_variants_of(dropped: list[Candidate], cands: list[Candidate], doc: Doc,
                       quotes: QuoteIndex) -> list[Candidate]:
    """For each of the `dropped` (a cue's likeliest variant, no claim), the likeliest other variant
    of its cue that is a clear claim (claims.clear_claim), its score below any threshold (it is kept
    by rule, or not at all)."""
    groups = _variant_groups(cands)
    out = []
    for c in dropped:
        clear = [v for v in groups.get(c.variant_of, ()) if v.content != c.content and
                 claims.clear_claim(v, doc, quotes)]
        if clear:
            out.append(dataclasses.replace(max(clear, key=lambda v: v.score), score=0.0))
    return out


def _within_its_sentence_after_cue(c: Candidate) -> bool:
    """The content lies after the cue and inside the cue's sentence (then it is the claim's own
    clause already, which the parse may have cut short: "don't want to be defined by the scandals,
    the corruption and the greed", a list read as the object of another verb)."""
    if not c.content or not c.cue_span:
        return False
    sent = c.head.sent
    # the closing mark of a quotation may be the next sentence's first token in the parse
    text, end = sent.doc.text, c.content[-1][1]
    while end > c.content[0][0] and (text[end - 1] in QUOTE_MARKS or text[end - 1] == " "):
        end -= 1
    return c.content[0][0] >= c.cue_span[1] and end <= sent.end_char


def _runs_into_another_clause(c: Candidate, own: list[Token], doc: Doc) -> bool:
    """The content goes on past the claim's own clause into one with a subject of its own that is
    not part of the claim ("found that use rose only slightly, *this could still matter*", "saying
    she owes them, *but an auditor has determined*", "did not want to judge it, *and thinks* it
    could succeed"); a clause that hangs below the claim or its cue is part of it ("would consider
    it an insult *if they did not vote*", "provisions *that address* how losses are deducted")."""
    if not own:
        return False
    own_ids = {t.i for t in own}
    end = max(own_ids)
    anchor = own_ids | {c.head.i}
    # a relative pronoun opens a clause about a noun, whatever the parse hangs it on
    return any(t.i > end and t.dep_ in ("nsubj", "nsubjpass", "expl") and t.tag_ not in ("WDT", "WP") and
               not _hangs_below(t.head, anchor) for t in (doc[int(i)] for i in tokens_in(doc, c.content)))


def _hangs_below(t: Token, anchor: set[int]) -> bool:
    """Is `t` below one of the `anchor` tokens, not through a clause joined to them with a subject
    of its own or a verb of saying or believing (a claim of its own), nor a clause beside them
    (parataxis)?"""
    while t.i not in anchor:
        if t.dep_ == "parataxis" or t.head.i == t.i or t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and \
                (_has_subject(t) or claims.is_claim_verb(t)):
            return False
        t = t.head
    return True


def _part_of_an_announced_quotation(c: Candidate, text: str) -> bool:
    """'Tottenham said in a statement: "A. B."': a quotation a colon announces is the speaker's
    whole; a variant holding only the part the parse read (PolNeAR often annotates that) is not
    the guideline's content."""
    if c.cut != "quote|widened" or not c.cue_span or not c.content:
        return False
    start = c.content[0][0]
    return c.cue_span[1] <= start and ":" in text[c.cue_span[1]:start]


def _quotation_goes_on(kept: list[Candidate], quotes: QuoteIndex) -> None:
    """'X told reporters that A. “B.”': a quotation right after a reported claim, with no cue of its
    own, goes on with the claim (the guideline: the quotation is the source's while it goes on)."""
    text = quotes.text
    cue_starts = sorted(c.cue_span[0] for c in kept if c.cue_span)
    taken = sorted(sp for c in kept for sp in c.content)
    taken_starts = [s for s, _ in taken]
    reach = list(itertools.accumulate((e for _, e in taken), max))  # the furthest end up to each
    for c in kept:
        if c.pattern != "verb" or not c.content or any(quotes.inside(s) for s, _ in c.content):
            continue
        end = c.content[-1][1]
        if c.cue_span and c.cue_span[0] > end:
            # "Sometimes employees don't follow the rules, he said. “But does that mean ...?”": the
            # cue follows its claim, and a quotation right after the cue goes on with it
            end = max([c.cue_span[1]] + [t.idx + len(t) for t in c.source])
        q = quotes.first_following(end, min(len(text), end + 3000))
        if q is None:
            continue
        between = text[end:q[0]]
        if between.strip(" .,;:\n\t\r" + marks.CLOSERS) or between.count("\n") > 2:
            continue
        if text[q[1] - 1:q[1]] not in marks.CLOSERS:
            continue  # a stray opening mark that never closes quotes nobody
        para = quotes.paragraph(q[0])
        n = bisect.bisect_right(taken_starts, q[0])  # the taken spans that start where it opens or before
        # other cues in the quotation's paragraph, outside the quotation (this claim's own cue may
        # stand there; one inside it is a claim nested in these words: "... by saying she owes them")
        cues_in_para = bisect.bisect_left(cue_starts, para[1]) - bisect.bisect_left(cue_starts, para[0])
        cues_in_quote = bisect.bisect_left(cue_starts, q[1]) - bisect.bisect_left(cue_starts, q[0])
        own = int(bool(c.cue_span) and para[0] <= c.cue_span[0] < para[1])
        if cues_in_para - cues_in_quote - own > 0 or (n and reach[n - 1] > q[0]):
            continue  # the quotation's paragraph has a cue of its own, or it is another's content
        c.content = c.content + [q]


def best_variants(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per cue: its likeliest content variant (a copy), scored as the chance that any
    of the cue's variants is right, 1 - (1 - p1)(1 - p2)...; candidates with no cue word as they are.

    Why: the model learns with only the best-matching variant of a cue as positive, so a real cue
    whose right content is unclear spreads its probability over its variants, each under the
    threshold. Scoring the cue by all of them keeps it (cross-fitted lenient F1 0.720 -> 0.723)."""
    groups = _variant_groups(cands)
    likeliest = {key: max(group, key=lambda v: v.score) for key, group in groups.items()}
    out = []
    for c in cands:
        if c.variant_of is None:
            out.append(c)
        elif c is likeliest[c.variant_of]:
            miss = math.prod(1.0 - v.score for v in groups[c.variant_of])
            out.append(dataclasses.replace(c, score=1.0 - miss))
    return out


def settle(kept: list[Candidate], text: str, probs=None, nested: bool = False) -> list[Candidate]:
    """The kept candidates made univocal (`nested`: but for claims inside another's content); with
    the tagger's readings, weak sources replaced by the ones it reads beside the cue."""
    out = resolve_overlaps(kept, text, nested)
    if probs is not None:
        for c in out:
            c.source = _tagged_source(c, probs[:, 0])
    return out


# A source the tagger reads at most WEAK_SOURCE is replaced by a run of tokens it reads as a source
# at least TAGGED_SOURCE in the cue's sentence, the nearest to the cue.
WEAK_SOURCE = 0.3
TAGGED_SOURCE = 0.5


def _tagged_source(c: Candidate, source_probs) -> list[Token]:
    if c.pattern in ("colon", "dash") or not c.cue or c.by_rule:
        return c.source  # a claim kept by rule has its subject as source ("I" inside a quotation)
    if c.source and float(source_probs[[t.i for t in c.source]].mean()) > WEAK_SOURCE:
        return c.source
    sent = c.cue[0].sent
    busy = {t.i for t in c.cue} | set(tokens_in(sent.doc, c.content).tolist())
    runs, run = [], []
    for t in sent:
        if source_probs[t.i] >= TAGGED_SOURCE and t.i not in busy and not t.is_space:
            run.append(t)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    # not the cue's passive or dummy subject: "*It* was reported that ..."
    runs = [r for r in runs if any(t.is_alpha and t.lower_ not in ("it", "there") for t in r) and
            not any(c.head is not None and t.dep_ in ("nsubjpass", "expl") and t.head.i == c.head.i for t in r)]
    if not runs:
        return c.source
    cue_i = c.cue[0].i
    return min(runs, key=lambda r: min(abs(t.i - cue_i) for t in r))


def resolve_overlaps(kept: list[Candidate], text: str, nested: bool = False) -> list[Candidate]:
    """Univocal, as PolNeAR annotates: a token belongs to one attribution at most. The likelier
    claim keeps its tokens; one whose cue falls inside them goes, others lose the shared part at
    their edges; of the content variants of one cue, the likeliest alone.

    Words are never cut from inside a content: a claim that would lose words between two of its
    pieces goes, or with `nested` (the guideline's scheme: "Sondland said he had relayed the message,
    Morrison testified" holds a claim of Sondland's) keeps its content whole, as a claim whose cue and
    content lie inside another's content does."""
    kept = sorted(kept, key=lambda c: -c.score)
    taken = Covered()
    contents = Widest()
    out, heads = [], set()
    for c in kept:
        cs = c.cue_span
        if c.head is not None and c.variant_of in heads:
            continue  # a content variant of a claim already kept
        if cs and taken.covers(cs[0]):
            if not (nested and _inside_one(c, contents)):
                continue
            heads.add(c.variant_of)
            out.append(c)
            continue
        if c.head is not None:
            heads.add(c.variant_of)
        # nested: a claim holding another whole ("“...,” he told leaders, according to a statement")
        # keeps its content, whichever of the two was kept first
        content = c.content if nested and _holds_whole(c, out) else _subtract(c.content, taken, text, drop_scraps=True)
        if content and _cut_inside(c.content, content, text):
            if not nested:
                continue
            content = c.content
        c.content = content
        if not c.content:
            continue
        out.append(c)
        for s, e in c.content + _token_spans(c.cue) + _token_spans(c.source):
            taken.add(s, e)
        for s, e in c.content:
            contents.add(s, e)
    out.sort(key=lambda c: (c.content[0][0], c.cue_span or (0, 0)))
    return out


def _holds_whole(c: Candidate, kept: list[Candidate]) -> bool:
    """Does the candidate's content hold, from its first to its last character, every kept claim it
    overlaps (cue, source and content), and overlap one at least?"""
    lo, hi = c.content[0][0], c.content[-1][1]
    found = False
    for o in kept:
        spans = o.content + _token_spans(o.cue) + _token_spans(o.source)
        if not any(s < hi and lo < e for s, e in spans):
            continue
        if any(s < lo or e > hi for s, e in spans):
            return False
        found = True
    return found


def _inside_one(c: Candidate, contents: Widest) -> bool:
    """Do the candidate's cue and content lie inside one content span already kept?"""
    lo = min([s for s, _ in c.content] + [t.idx for t in c.cue])
    hi = max([e for _, e in c.content] + [t.idx + len(t) for t in c.cue])
    return contents.holds(lo, hi)


def _cut_inside(before: list[tuple[int, int]], after: list[tuple[int, int]], text: str) -> bool:
    """Did the cut from `before` to `after` take a letter or digit from between the first and the
    last piece that is left (not merely trim the content's ends)? Range arithmetic: no set of
    every character kept."""
    lo, hi = after[0][0], after[-1][1]
    kept = Covered()
    for s, e in after:
        kept.add(s, e)
    for s, e in before:
        s, e = max(s, lo), min(e, hi)
        at = s
        for ks, ke in kept.meeting(s, e) + [(e, e)]:
            if any(ch.isalnum() for ch in text[at:min(ks, e)]):
                return True
            at = max(at, ke)
    return False


def _kind(c: Candidate, text: str, quotes: QuoteIndex) -> str:
    """direct: every letter of the content is quoted; mixed: some are; indirect: none."""
    if c.pattern == "according_to":
        return "according_to"
    inside = outside = 0
    for s, e in c.content:
        n_in = quotes.alnum_inside(s, e)
        inside += n_in
        outside += quotes.alnum_count(s, e) - n_in
    if not inside:
        return "indirect"
    return "direct" if outside == 0 else "mixed"


def cut_words(doc: Doc, content: list[tuple[int, int]], own: set[int]) -> list[list[Token]]:
    """For each gap between two content pieces, the words in it that belong to the claim itself:
    every word but the cue's and the source's (`own`: their token indices) and those that hang on
    them ("“A,” he said *at a rally*. “B.”": the frame of the saying). "that they were|n’t|“asking
    ...”" has "n’t" cut out of its claim, whatever the parse made of it."""
    spans = sorted(content)
    out = []
    for (_, e1), (s2, _) in zip(spans, spans[1:]):
        gap = [t for t in _span_tokens(doc, e1, s2) if t.idx >= e1 and t.idx + len(t) <= s2]
        out.append([t for t in gap if any(ch.isalnum() for ch in t.text) and not _hangs_on(t, own)])
    return out


def _hangs_on(t: Token, own: set[int]) -> bool:
    """Is the token one of `own`, or governed through its heads by one of them?"""
    for _ in range(60):  # the way up to the root
        if t.i in own:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _without_cuts(c: Candidate, doc: Doc) -> list[tuple[int, int]]:
    """The content with every gap that cut words from the claim closed: nothing is ever dropped
    from inside a content (a negation above all)."""
    spans = sorted(c.content)
    if len(spans) < 2:
        return spans
    own = {t.i for t in c.cue + c.source}
    out = [spans[0]]
    for nxt, cut in zip(spans[1:], cut_words(doc, spans, own)):
        if cut:
            out[-1] = (out[-1][0], nxt[1])
        else:
            out.append(nxt)
    return out


def _without_asides(source: list[Token]) -> list[Token]:
    """"Cam Heyward, who lobbied for the ban, said": the source is the speaker, not what the text
    tells of him; its span leaves out a relative clause or a description that commas set off after
    its head (a name in apposition stays: "Sweden's deputy prosecutor, Eva-Marie Persson"), and the
    punctuation at its edges."""
    ids = {t.i for t in source}
    tops = [t for t in source if t.head.i not in ids or t.head.i == t.i]
    if len(tops) != 1:
        return source
    keep = set(_without_loose_modifiers(tops[0], keep_names=True))
    kept = [t for t in source if t.i in keep]
    while kept and kept[0].is_punct:
        kept = kept[1:]
    while kept and kept[-1].is_punct:
        kept = kept[:-1]
    return kept or source


def to_records(doc: Doc, cands: list[Candidate], quotes: QuoteIndex) -> list[Attribution]:
    text = quotes.text
    out = []
    for c in cands:
        c.content = _without_cuts(c, doc)
        # a piece that is only a quotation mark (the source and cue taken out of '“They see X'): no words
        c.content = [sp for sp in c.content if any(ch.isalnum() for ch in text[sp[0]:sp[1]])] or c.content
        src_spans = _char_spans(_without_asides(c.source), doc)
        src_span = (src_spans[0][0], src_spans[-1][1]) if src_spans else None
        cs = c.cue_span
        out.append(Attribution(
            kind=_kind(c, text, quotes),
            content=[list(s) for s in c.content],
            source=Source(span=src_span),
            cue=Cue(span=cs) if cs else None,
            confidence=round(min(max(c.score, 0.0), 1.0), 3),
            type="other" if claims.not_a_claim(c, doc, quotes) else claims.claim_type(c)))
    return out


def tagger_in_use() -> Optional[Tagger]:
    """The shipped attribution tagger; None without one, or when the decision model in use was
    fitted without it (`train attributions --no-tagger`)."""
    model = shipped_model()
    if model is not None and model.meta.get("tagger", "none") == "none":
        return None
    return shipped_tagger()


def tag(doc: Doc, readings: Optional[Readings] = None):
    """The tagger's readings of the Doc's tokens (None without a tagger in use); `readings`: of its
    text, read already (attribution_tagger.read_ahead)."""
    tagger = tagger_in_use()
    return tagger.token_probs(doc, readings) if tagger is not None else None


def extract_attributions(doc: Doc, readings: Optional[Readings] = None, scheme: str = CLAIMS,
                         claims_threshold: float = CLAIMS_THRESHOLD) -> list[Attribution]:
    """`readings`: the tagger's readings of doc.text when they were taken beside the parse;
    `scheme`: what counts as an attribution (SCHEMES); `claims_threshold`: the decision model's
    probability a claim must reach in the claims scheme."""
    quotes = QuoteIndex(doc.text)  # doc.text is rebuilt on every access: read it once
    probs = tag(doc, readings)
    cands = find_candidates(doc, quotes, probs=probs)
    return to_records(doc, decide(cands, quotes.text, probs, quotes, scheme, doc, claims_threshold), quotes)
