"""What counts as a claim for our users (shared/spec/attribution-guideline.md), applied to the
attribution candidates the decision model keeps.

PolNeAR, which the model learns from, ascribes any belief, intention or sentiment to anyone, actions
included ("defended the budget", "issued a statement"). A reader of all news wants the claims: what
a source says, believes, wants or found. `not_a_claim` says why a candidate is none, or None:

- its cue is an act, a decision, a perception or a naming, not a saying ("decided", "posted a video",
  "is called", "showed");
- its source is evidence, data or an instrument ("tests showed", "the telescope spotted");
- it is the article's own question or subheading ("What did the prosecutors say?");
- its content names a thing and states nothing ("issued a statement", "condemned the move"), where the
  cue is no verb that takes a thing as its claim ("denied the allegations", "predicted $2.52 a share").

The word lists are data; the checks read the parse.
"""
from __future__ import annotations

import itertools
from typing import Iterable, Iterator, Optional

from spacy.tokens import Doc, Token

from .attribution_model import tokens_in
from .quotes import QuoteIndex
from ..text import marks, verbs

# Verbs that report an act, a decision, a perception or a name, never a claim of their own.
ACT_VERBS = frozenset("""
be have do make get take give put go come become seem appear remain stay keep let
decide choose opt elect select pick vote approve pass sign adopt enact veto ratify reject agree
schedule slate set allow enable help cause force continue assume begin start stop resume pursue test
cancel postpone delay suspend impose lift extend withdraw
defend attack condemn criticize criticise slam blast praise hail welcome applaud thank congratulate
post tweet share publish issue release file submit launch unveil introduce present display show
offer provide send deliver hold host attend visit meet join leave lead play sing perform
recognize recognise rebrand revert rename name call dub term label nickname title brand know
prescribe require order refer mean need use cost pay spend buy sell raise cut
speak respond reply decline refuse comment
read resolve struggle investigate examine probe hit boast escape include contain
see watch observe notice spot detect measure record hear feel smell taste look
wonder marvel understand consider regard treat confuse describe
protest lobby push press campaign fight seek try attempt
""".split())

# Of those, the ones that carry a claim when their content is a clause or a quotation:
# "described X as Y" is an act, "described how ..." a claim; "showed that" by an agent is a finding.
CLAUSE_MAKES_A_CLAIM = frozenset("""
post tweet share publish issue release file present show offer describe respond reply comment agree
continue assume
hear feel understand consider regard know see notice observe wonder call name term label
recognize recognise mean protest lobby push press campaign fight seek
defend attack condemn criticize criticise slam blast praise hail welcome applaud read boast
""".split())

# Verbs of saying whose object can be the claim itself, a thing: "denied the allegations",
# "predicted $2.52 a share", "confirmed the presence of water", "demanded an extension".
NOUN_CLAIM_VERBS = frozenset("""
say tell add claim insist argue warn explain note state declare assert maintain contend stress
emphasize emphasise acknowledge admit concede confirm deny reveal announce report testify
think believe feel suppose assume suspect doubt hope fear worry expect predict reckon conclude find
determine want plan intend vow promise pledge threaten urge ask demand propose suggest recommend
forecast project estimate anticipate
""".split())

# Sources that are evidence, data or instruments, not agents: "data show", "the probe measured".
EVIDENCE_HEADS = frozenset("""
evidence data datum figure number statistic stat record result finding trend sign indication line
test scan ct mri x-ray sample reading measurement observation image photo photograph picture footage
video graphic chart graph map table probe telescope spacecraft satellite rover instrument camera
sensor radar model simulation analysis
song film movie book lyric
nothing something everything
""".split())

# Of those, what "according to" may not cite: evidence and data, not records or reports someone wrote.
EVIDENCE_NOT_RECORDS = frozenset("""
evidence data datum figure number statistic stat trend sign indication footage video image photo photograph
test scan sample reading measurement observation
""".split())

# "if they expect to stay relevant": a saying under a condition asserts nothing.
CONDITIONS = frozenset({"if", "unless"})

# Times and events as subjects: "weeks of negotiations that threatened to leave the city without a
# budget" risked it; nobody said or intended anything.
EVENT_HEADS = frozenset("""
week day month year hour minute decade season weekend night morning negotiation talk meeting
crisis incident event war fight storm fire outbreak attack accident
""".split())

# "I know", "I guess", "I mean" inside a quotation: the speaker's aside in their own words, which
# the quotation already holds, not a claim of its own (the guideline's nested claims are "I think",
# "we want": what the speaker holds or intends).
CASUAL_ASIDES = frozenset({"know", "guess", "mean", "understand"})
FIRST_PERSON = frozenset({"i", "we"})

# "declined to say whether ...", "his refusal to say which side ...": a saying refused states nothing.
REFUSALS = frozenset({"decline", "refuse", "refusal", "fail", "failure", "reluctant", "unwilling", "reticent",
                      "unable"})
# What a question asks, not what a claim holds: "would not say *when* the plan is due".
QUESTION_OPENERS = frozenset({"whether", "if", "what", "when", "where", "which", "who", "whom", "whose", "how", "why"})

# Pronouns the narrator speaks to or of in general, never a source of a claim.
GENERIC_SOURCES = frozenset({"you", "one"})

# Nouns whose complement is what someone says, thinks or wants: "his claim that ...", "the
# statement said"; other nouns ("decision", "refusal", "critics") name acts or people.
SAYING_NOUNS = frozenset("""
claim statement assertion allegation accusation charge remark comment warning promise pledge vow
belief view opinion position argument suggestion proposal prediction estimate forecast projection
report finding conclusion denial admission question demand call request plan intention hope fear
concern worry assessment testimony announcement insistence contention criticism speculation rumor
rumour idea theory reminder message explanation confirmation acknowledgment acknowledgement
description assurance guarantee insinuation implication notion impression expectation belief
conviction suspicion doubt sense thought feeling recommendation advice instruction order threat assumption
complaint objection reply response answer suggestion hint signal indication word news questioning
""".split())

# Passive verbs that name or make known, with no one saying anything: "is called", "are known as".
NAMING_VERBS = frozenset({"call", "know", "name", "dub", "term", "label", "title", "nickname", "brand",
                          "confuse", "describe", "list", "rank"})

# Verbs whose clause is what someone says, thinks, wants or found, clearly enough to keep a claim
# the decision model (learned on PolNeAR, where a quotation's own "I think" is not annotated) leaves
# below its threshold: the guideline annotates nested claims (but for the casual asides above).
CLAIM_VERBS = frozenset("""
say tell add write claim insist argue warn explain note state declare assert maintain contend stress
emphasize emphasise acknowledge admit concede confirm deny reveal announce report testify recall
think believe feel know suppose assume suspect doubt hope fear worry expect predict guess reckon
imagine wonder conclude find determine decide realize realise understand agree disagree consider view
regard
want wish plan intend vow promise pledge threaten urge ask demand call request propose suggest
recommend advise aim confess forecast project estimate anticipate implore beg plead encourage
attest certify swear affirm allege question notice learn discover
""".split())

# Verbs of telling whose passive subject is the hearer: "were told that", "have been warned to".
PASSIVE_TELLING = frozenset({"tell", "inform", "assure", "reassure", "warn", "advise", "brief", "notify", "caution"})
# "admitted to owing millions", "confessed to the kidnapping": what is admitted follows "to".
ADMISSION_VERBS = frozenset({"admit", "confess"})
# Verbs of showing, a claim when an agent of findings shows it ("research that showed that young men
# spend more time there"); evidence and data that show are no source (EVIDENCE_HEADS).
SHOWING_VERBS = frozenset({"show", "indicate", "demonstrate"})


# Reactions that may frame a quotation ("'That's rich,' he laughed") but are no saying when a verb of
# saying in their sentence has the words: "Audience members laughed when he urged voters, '...'".
REACTION_VERBS = frozenset("""
laugh chuckle giggle smile grin smirk nod shrug sigh gasp groan cheer applaud clap boo jeer
scoff wince cry weep sob
""".split())
SAYING_CLAIM_VERBS = verbs.SAYING | (CLAIM_VERBS - verbs.BELIEVING)  # the sayings among the claim verbs

# Verbs of perception: an adjective after them is what is perceived ("is seeing stronger demand",
# "could feel the pinch worse").
PERCEPTION = frozenset({"see", "hear", "notice", "observe", "watch", "spot", "feel"})
# Verbs of knowing: a wh-clause after them is what is known, not a claim ("know how many liked it").
KNOWING = frozenset({"know", "understand", "learn", "realize", "realise", "discover", "remember"})
# "it is safe to assume": adjectives that judge a claim, not the one who makes it.
HEDGE_ADJECTIVES = frozenset("""
safe fair reasonable hard difficult easy important possible impossible tempting clear early
premature necessary interesting notable worth fine accurate wrong right
""".split())
# Verbs of recording: "if" after them asks ("noted if and how often respondents used it").
NOTING = frozenset({"note", "record", "check", "track", "monitor"})
# Expressing a feeling: a claim only with a clause ("voiced concern that ..."), not with the feeling alone.
SENTIMENT_VERBS = frozenset({"express", "voice"})
SENTIMENTS = frozenset("""
outrage anger fury frustration dismay disappointment regret sadness sorrow grief shock surprise
sympathy condolence condolences gratitude thanks appreciation support solidarity opposition
concern concerns alarm anxiety displeasure satisfaction delight joy pride interest optimism skepticism
""".split())

# Every verb the lists above name: a lemma guessed from a word must be one of them.
KNOWN_VERBS = (ACT_VERBS | NOUN_CLAIM_VERBS | CLAIM_VERBS | NAMING_VERBS | REACTION_VERBS | verbs.SAYING
               | verbs.BELIEVING)

# "recognised Jerusalem as the capital", "named him as chief": with "as", these verbs make or
# acknowledge a status (an act); with a clause ("recognised that ...") they make a claim.
AS_IS_AN_ACT = frozenset({"recognize", "recognise", "name", "appoint", "designate", "list", "rank"})


def _head(tokens: list[Token]) -> Optional[Token]:
    """The syntactic head of a token run (the one whose head lies outside it)."""
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[0] if tokens else None


def _tokens_of(doc: Doc, spans: list[tuple[int, int]]) -> Iterator[Token]:
    """The tokens the character spans touch (by bisection over the Doc's token table), made one at
    a time: the checks below mostly stop at the first that answers, and a content may run to the
    end of a long sentence (a text of cues has thousands)."""
    return (doc[int(i)] for i in tokens_in(doc, spans))


def _at_least(n: int, items: Iterable) -> bool:
    """Are there at least n items? (Stops at the n-th.)"""
    return sum(1 for _ in itertools.islice(items, n)) >= n


def _quoted(text: str, spans, quotes: QuoteIndex) -> bool:
    """Does a piece of the content lie in a quotation, or open with a quote mark?"""
    return any(quotes.inside(s) or quotes.inside(max(s, e - 1)) or text[s:e].lstrip()[:1] in marks.OPENERS
               for s, e in spans)


def _states_something(tokens: Iterable[Token], text: str, spans, quotes: QuoteIndex) -> bool:
    """A clause (a verb or a predicate: "X as Y", "X illegal"), or a quotation: more than a thing named."""
    if _quoted(text, spans, quotes):
        return True
    return any(t.pos_ in ("VERB", "AUX") or t.dep_ in ("acomp", "oprd", "ccomp", "xcomp") or t.tag_ == "TO" or
               (t.lower_ == "as" and t.dep_ == "prep") or (t.pos_ == "ADJ" and t.dep_ not in ("amod", "compound"))
               for t in tokens)


def _lets(src: Token) -> bool:
    """The "'s" (us) of "let's"."""
    return (src.lower_ == "us" or src.lower_ in marks.POSSESSIVES) and src.i > 0 and \
        src.doc[src.i - 1].lower_ == "let"


def _asks_whether(head: Token) -> bool:
    """A verb of noting, knowing or seeing whose clause opens with "if" or "whether": what is recorded
    or known, asked ("noted if and how often ..."). After a verb of saying the same clause is a
    reported question, which the guideline counts ("discussed whether"), or "if" opens a condition
    inside the claim ("said if elected she would ...", "I think if they get 100 games, ...")."""
    return _lemma(head) in NOTING | KNOWING | PERCEPTION and \
        any(c.dep_ == "ccomp" and c.i > head.i and c.left_edge.lower_ in ("if", "whether") for c in head.children)


def _impersonal(head: Token) -> bool:
    """An infinitive after "it is <adjective of judging>" ("it is safe to assume", "it's fair to say"):
    nobody's claim (but "it was quick to say": the company, "it", says it)."""
    if head.dep_ != "xcomp":
        return False
    up = head.head  # the adjective, or "is" with the adjective beside the infinitive
    be = up.head if up.dep_ == "acomp" else up
    adjectives = [up] if up.pos_ == "ADJ" else [c for c in be.children if c.dep_ == "acomp"]
    return any(a.lemma_.lower() in HEDGE_ADJECTIVES for a in adjectives) and \
        any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in be.children)


def that_clause_after(head: Token) -> bool:
    """The verb has a clause after it opened by "that" ("said *that* ...")."""
    return any(c.dep_ == "ccomp" and c.i > head.i and c.left_edge.lower_ == "that" for c in head.children)


def is_claim_verb(t: Token) -> bool:
    """A verb of saying, believing or wanting (`CLAIM_VERBS`), by its own stem ("hoped": "hope")."""
    return _lemma(t) in CLAIM_VERBS


def _that_said(head: Token) -> bool:
    """"That said," and "That being said," opening a sentence: a turn of phrase, nobody's saying."""
    doc = head.doc
    if head.lower_ != "said" or doc[head.i + 1:head.i + 2].text != ",":
        return False
    i = head.i - 1  # token by token: a sentence's span is costly to find in a long one
    if i >= 0 and doc[i].lower_ == "being":
        i -= 1
    return i >= 0 and doc[i].lower_ == "that" and (i == 0 or bool(doc[i].is_sent_start))


def _clause_after(head: Token) -> bool:
    """A clause with a subject of its own after the verb ("know *it got overshadowed*"), not a
    question ("knew *what the things were*")."""
    return any(c.dep_ == "ccomp" and c.i > head.i and c.left_edge.tag_ not in ("WP", "WRB", "WDT") and
               any(x.dep_ in ("nsubj", "nsubjpass", "expl") for x in c.children) for c in head.children)


def _infinitive_after(head: Token) -> bool:
    return any(c.dep_ == "xcomp" and c.i > head.i and any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children)
               for c in head.children)


def _only_a_sentiment(head: Token) -> bool:
    """"expressed outrage over the breakdown": the object a feeling, and no clause says what is held
    ("voiced concern *that* the virus could spread" states it)."""
    obj = next((c for c in head.children if c.dep_ == "dobj"), None)
    return obj is not None and obj.lemma_.lower() in SENTIMENTS and \
        not any(c.dep_ in ("acl", "ccomp") and c.left_edge.lower_ == "that" for c in obj.children) and \
        not any(c.dep_ == "ccomp" for c in head.children)


def _clause_or_quote(head: Token, doc: Doc, text: str, spans, quotes: QuoteIndex) -> bool:
    """The content (character `spans`) is a quotation, or a clause the verb governs itself ("posted
    *that* ...", "described him *as* a liar"), not a thing with a clause of its own inside ("posted
    a video *showing* ...")."""
    if _quoted(text, spans, quotes):
        return True
    ids = set(tokens_in(doc, spans).tolist())
    as_counts = _lemma(head) not in AS_IS_AN_ACT
    # "is seeing stronger deployment": an adjective after a verb of perception is what is seen
    clause_deps = ("ccomp", "xcomp") if _lemma(head) in PERCEPTION else ("ccomp", "xcomp", "oprd", "acomp")
    # "will still know *how many* people liked them": what is known or seen, asked, not stated
    asked = _lemma(head) in PERCEPTION | KNOWING
    return any(c.i in ids and (c.dep_ in clause_deps and not (asked and c.left_edge.lower_ in QUESTION_OPENERS) or
                               (as_counts and c.lower_ == "as" and c.dep_ == "prep"))
               for c in head.children)


def _lemma(t: Token) -> str:
    """The token's lemma; for a word the lemmatizer leaves as it is ("Rebranded") or cuts wrongly
    ("rebrande"), a guess from the word itself when that guess is a verb the lists know."""
    lemma = t.lemma_.lower()
    if lemma in KNOWN_VERBS:
        return lemma
    word = t.lower_
    if lemma != word and not word.endswith(("ed", "ing")):
        return lemma
    for suffix, add in (("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            guess = word[: -len(suffix)] + add
            if guess in KNOWN_VERBS or lemma == word:
                return guess
    return lemma


def _imperative(head: Token) -> bool:
    """A bare verb with no subject or auxiliary of its own, opening its sentence or a clause after a
    comma: the narrator speaking to the reader ("Expect the senator to ...", "..., but expect X")."""
    if head.tag_ not in ("VB", "VBP") or head.dep_ not in ("ROOT", "conj") or \
            any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "expl") for c in head.children):
        return False
    doc = head.doc
    before = head.i - 1  # back over "but", "then", "not" that hang on it or on the verb it joins
    while before >= head.sent.start and doc[before].dep_ in ("cc", "advmod", "neg") and \
            doc[before].head.i in (head.i, head.head.i):
        before -= 1
    return before < head.sent.start or doc[before].text in (",", ";", ":", "—", "–")


def _passive(head: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in head.children)


def _passive_without_agent(head: Token) -> bool:
    return _passive(head) and not any(c.dep_ == "agent" for c in head.children)


def _narrator_line(cue: Token, quotes: QuoteIndex) -> bool:
    """The cue stands in the article's own question or subheading, outside any quotation."""
    if quotes.inside(cue.idx):
        return False
    sent = cue.sent
    last = next((t for t in reversed(sent) if not t.is_space), None)
    if last is not None and last.text == "?" and not quotes.inside(last.idx):  # not a quoted question
        return True
    # a subheading: a short line of its own with no closing punctuation
    start, end = quotes.paragraph(cue.idx)  # a paragraph is a line; found by bisection
    if end - start > SUBHEADING_CHARS:
        return False
    line = quotes.text[start:end].strip()
    return bool(line) and len(line.split()) <= 12 and line[-1:] not in ".!?…:;,)" + marks.CLOSERS


SUBHEADING_CHARS = 160  # a line longer than this is no subheading (12 words at the most)


def _not_a_colon_claim(c, doc: Doc, quotes: QuoteIndex) -> Optional[str]:
    """'NEW DELHI: ...' is a dateline; 'Ryan Hollman: dealing in ..., held in lieu of bond' a list
    entry: a colon claim states something (a finite verb) or quotes someone."""
    if any(quotes.inside(s) for s, _ in c.content):
        return None
    src = "".join(t.text_with_ws for t in c.source).strip()
    if src.isupper() and len(src) > 3:
        return "a dateline"
    names = [t for t in c.source if not t.is_punct and not t.is_space]
    if names and all(t.ent_type_ in ("GPE", "LOC") for t in names):
        return "a dateline"  # "Washington, DC, United States: ..."
    content = _tokens_of(doc, c.content)
    if not any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in content):
        return "a label, nothing stated"
    return None


def not_a_claim(c, doc: Doc, quotes: QuoteIndex) -> Optional[str]:
    """Why the candidate `c` (attributions.Candidate) is not a claim for our users, or None."""
    if c.pattern == "colon":
        return _not_a_colon_claim(c, doc, quotes)
    if c.pattern == "according_to":
        src = _head(c.source) if c.source else None
        if src is not None and src.lemma_.lower() in EVIDENCE_NOT_RECORDS:
            return "evidence or data as the source"  # "according to evidence presented at trial"
        return None
    if c.pattern in ("dash", "quote") or c.head is None:
        return None
    head = c.head
    lemma = _lemma(head) if c.pattern != "noun" else head.lemma_.lower()  # "warning": a noun, not "warn"
    text = quotes.text
    if _narrator_line(head, quotes):
        return "the article's own question or subheading"
    if c.pattern == "verb" and _imperative(head) and not quotes.inside(head.idx):
        return "the article's own imperative"  # "Expect the senator to have a new strategy"
    if c.pattern == "verb" and any(x.dep_ == "mark" and x.lower_ in CONDITIONS for x in head.children):
        return "a condition, nothing asserted"  # "if they expect to stay relevant", "only if a doctor concludes"
    if c.pattern == "verb" and _that_said(head):
        return "an idiom, 'that (being) said,'"  # "That said, the two companies might have made a good fit"
    src = _head(c.source) if c.source else None
    if src is not None:
        # "negotiations that threatened to ...", "a blood test, which showed ...": a relative
        # pronoun stands for its antecedent
        named = _antecedent(src)
        thing = named if src.tag_ == "WDT" else src  # "the number *who* said": people, whatever the noun
        if thing.lemma_.lower() in EVIDENCE_HEADS or thing.lower_ in EVIDENCE_HEADS:
            return "evidence or an instrument as the source"
        if named.lemma_.lower() in EVENT_HEADS:
            return "a time or an event as the source"
        if src.lower_ in GENERIC_SOURCES:
            return "a generic pronoun as the source"
        if src.lower_ in ("nobody", "none") or any(x.dep_ == "det" and x.lower_ == "no" for x in src.children):
            return "no one holds it"  # "there's no reason to think they'll win", "no official said"
        if src.lower_ in FIRST_PERSON and lemma in CASUAL_ASIDES and quotes.inside(head.idx) and \
                not _clause_after(head):  # "we know (that) it got overshadowed" holds a clause, not an aside
            return "the speaker's aside inside a quotation"
        if (src.lower_ in FIRST_PERSON or _lets(src)) and not quotes.inside(head.idx) and not quotes.inside(src.idx):
            # "I learned that a dozen people tapped on the profile", "Let's hope": the writer's own voice
            return "the narrator"
    if c.pattern == "verb" and _asks_whether(head):
        return "what is noted or known is asked, not stated"  # "noted if and how often respondents used it"
    if c.pattern == "verb" and _impersonal(head):
        return "the article's own hedge"  # "it is safe to assume that ...", "it is fair to say"
    if c.pattern == "verb" and lemma == "think" and _infinitive_after(head):
        return "remembering to act, no belief"  # "many doctors don't think to ask about bedding"
    if c.pattern == "verb" and lemma == "mean" and _passive(head):
        return "a purpose, nothing said"  # "the feature is meant to make it easy to contact businesses"
    if c.pattern == "verb" and lemma in SENTIMENT_VERBS and _only_a_sentiment(head):
        return "a feeling shown, nothing stated"  # "lawmakers expressed outrage over the breakdown"
    states = _states_something(_tokens_of(doc, c.content), text, c.content, quotes)
    if c.pattern == "verb" and head.tag_ == "MD":
        return "a modal, no saying"  # "would not say when ...", parsed with the modal on top
    if c.pattern == "verb" and _refused(head, doc, c.content, quotes):
        return "a saying refused, nothing stated"
    if c.pattern == "verb" and any(x.dep_ == "dobj" and x.tag_ == "WP" and x.i < head.i for x in head.children):
        return "what someone said, named, not stated"  # "look what I have said I'm going to do"
    if c.pattern == "verb" and lemma in REACTION_VERBS and _saying_below(head):
        return "a reaction beside another's saying"
    if c.pattern == "verb":
        passive = _passive_without_agent(head)
        if lemma in NAMING_VERBS and (_passive(head) or head.tag_ == "VBN" and head.dep_ == "acl"):
            return "a naming"  # "is called X", "are often called X by those held in them"
        # "a new poll shows majority support for X": what a study or poll shows is its finding
        phrase_is_claim = _phrase_is_the_claim(c, doc) or _finding_shown(lemma, src)
        if lemma in ACT_VERBS and not (lemma in CLAUSE_MAKES_A_CLAIM and
                                       _clause_or_quote(head, doc, text, c.content, quotes)) \
                and not phrase_is_claim:
            return "an act, decision, perception or naming"
        if not states and (passive or lemma not in NOUN_CLAIM_VERBS) and not phrase_is_claim:
            return "a thing named, nothing stated"  # but "accused of fraud", "called for a ceasefire"
    elif c.pattern == "noun":
        if lemma not in SAYING_NOUNS:
            return "a noun that names no saying"
        if not _clause_content(doc, c.content, text, quotes):
            return "a thing named, nothing stated"  # "speculation over his future"
    return None


def _saying_below(head: Token) -> bool:
    """A verb of saying in the clauses `head` governs ("laughed *when he urged* voters")."""
    return any(t.i != head.i and t.pos_ in ("VERB", "AUX") and _lemma(t) in SAYING_CLAIM_VERBS
               for t in head.subtree)


def _clause_content(doc: Doc, spans, text: str, quotes: QuoteIndex) -> bool:
    """Is the content a clause or a quotation ("that ...", "to ...", "whether ..."), not a thing
    named ("his future", "the futures of the players")? The content's top word is a verb, or it
    opens with a complementizer."""
    if _quoted(text, spans, quotes):
        return True
    tokens = list(_tokens_of(doc, spans))
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if not words:
        return False
    if words[0].lower_ in ("that", "whether", "if", "to", "how", "why", "what", "when", "where", "who"):
        return True
    top = _head(words)
    return top is not None and top.pos_ in ("VERB", "AUX")


def _refused(head: Token, doc: Doc, content, quotes: QuoteIndex) -> bool:
    """"declined to say whether ...", "his refusal to say ...", "would not say when ...": the
    saying is refused or withheld, and what it would be about is a question."""
    if head.dep_ in ("xcomp", "acl") and _lemma(head.head) in REFUSALS:
        return True
    if any(c.dep_ == "neg" for c in head.children):
        first = next((t for t in _tokens_of(doc, content) if not t.is_punct and not t.is_space), None)
        return first is not None and first.lower_ in QUESTION_OPENERS and not _quoted(quotes.text, content, quotes)
    return False


def clause_of(head: Token, skip: set[int]) -> list[Token]:
    """The clause a verb of saying governs ("think *it is wrong*", "want *to know how*"), without
    the tokens in `skip` (its cue and source)."""
    out = [t for c in head.children if c.dep_ in ("ccomp", "xcomp") and c.i > head.i for t in c.subtree]
    return sorted((t for t in out if t.i not in skip), key=lambda t: t.i)


# Verbs whose claim is a prepositional phrase: an accusation, charge or suspicion ("is accused *of* hiding
# losses", "charged *with* fraud", the guideline's "X is accused of Y", with no source when none is named) and a demand
# ("called *for* an immediate ceasefire").
CLAIM_PREPOSITIONS = {"accuse": "of", "suspect": "of", "charge": "with", "call": "for"}


def _sees_an_amount(c) -> bool:
    """"Home Depot sees fiscal 2019 sales growth of 1.8 percent": an organization that "sees" an
    amount forecasts it (business news' guidance), it perceives nothing."""
    head = c.head
    if head is None or _lemma(head) != "see" or not c.source:
        return False
    src = _head(c.source)
    obj = next((x for x in head.children if x.dep_ == "dobj"), None)
    return src is not None and obj is not None and \
        (src.ent_type_ == "ORG" or src.lemma_.lower() in ("company", "firm", "bank", "group")) and \
        any(t.like_num or t.lower_ in ("percent", "%") for t in obj.subtree)


def charge_hung_on_agent(head: Token) -> Optional[Token]:
    """"is accused by critics *of promoting high-tax policies*": the parse hangs the charge on the
    agent's noun; the phrase (its preposition) when it does, else None."""
    prep = CLAIM_PREPOSITIONS.get(_lemma(head))
    if prep is None or any(c.dep_ == "prep" and c.lower_ == prep for c in head.children):
        return None
    return next((p for a in head.children if a.dep_ == "agent" for n in a.children if n.dep_ == "pobj"
                 for p in n.children if p.dep_ == "prep" and p.lower_ == prep and p.i > n.i), None)


def _charge_or_demand(c, doc: Doc) -> bool:
    """The candidate's content is the phrase such a verb takes (`CLAIM_PREPOSITIONS`), after it."""
    prep = CLAIM_PREPOSITIONS.get(_lemma(c.head))
    if prep is None:
        return False
    ids = set(tokens_in(doc, c.content).tolist())
    phrases = [t for t in c.head.children if t.dep_ == "prep" and t.lower_ == prep and t.i > c.head.i]
    phrases.append(charge_hung_on_agent(c.head))
    return any(t is not None and t.i in ids for t in phrases) and \
        _at_least(2, (t for t in _tokens_of(doc, c.content) if t.is_alpha))


def _admission(c, doc: Doc) -> bool:
    """"confessed to the kidnapping", "has admitted to owing millions": what is admitted follows
    "to" (active only: "was admitted to hospital" admits nobody's claim)."""
    head = c.head
    if _lemma(head) not in ADMISSION_VERBS or _passive(head):
        return False
    ids = set(tokens_in(doc, c.content).tolist())
    return any(t.dep_ == "prep" and t.lower_ == "to" and t.i > head.i and t.i in ids for t in head.children) \
        and _at_least(2, (t for t in _tokens_of(doc, c.content) if t.is_alpha))


def _phrase_is_the_claim(c, doc: Doc) -> bool:
    """The verb's phrase states the claim though no clause does: a charge or a demand ("accused of
    fraud"), an admission ("confessed to the kidnapping") or a forecast of an amount ("sees growth
    of 2.5 percent")."""
    return _charge_or_demand(c, doc) or _admission(c, doc) or _sees_an_amount(c)


def _told_by_nobody_named(c, doc: Doc) -> bool:
    """"workers who have been informed that their jobs will go": a passive verb of telling whose
    subject heard it and whose clause is the claim, the teller unnamed (the guideline's claim with
    no source)."""
    head = c.head
    if _lemma(head) not in PASSIVE_TELLING or not any(x.dep_ == "nsubjpass" for x in head.children):
        return False
    ids = tokens_in(doc, c.content).tolist()
    if not ids:
        return False
    # the content is the clause, from its first word ("were informed *about the harms* to make ..." is not)
    return any(x.dep_ in ("ccomp", "xcomp") and x.i > head.i and x.left_edge.i == ids[0] for x in head.children) and \
        _at_least(3, (t for t in _tokens_of(doc, c.content) if t.is_alpha))


def _finding_shown(lemma: str, src: Optional[Token]) -> bool:
    """A study, poll or report that shows or indicates something (`SHOWING_VERBS`): a finding, as
    "found" is, whatever its object."""
    return lemma in SHOWING_VERBS and src is not None and _antecedent(src).lemma_.lower() in AGENT_OF_FINDING


def _antecedent(src: Token) -> Token:
    """What a relative pronoun stands for ("research *that* showed"); any other word itself."""
    return src.head.head if src.tag_ in ("WDT", "WP") and src.head.dep_ == "relcl" else src


def _own_source(src: Token, head: Token) -> bool:
    """The verb's own subject, the agent of its passive ("were told by the firm"), or the noun its
    participle describes ("certifications *attesting* that ...")."""
    if src.dep_ == "pobj" and src.head.dep_ == "agent" and src.head.head.i == head.i:
        return True
    if head.dep_ == "acl" and head.tag_ == "VBG" and src.i == head.head.i:
        return True
    return src.dep_ in ("nsubj", "nsubjpass") and (src.head.i == head.i or _shares_subject(head, src))


def _shares_subject(head: Token, src: Token) -> bool:
    """A verb set off by a comma after another that has `src` as subject, with none of its own:
    "she did not want to judge the campaign, *and thinks* it could still be successful"."""
    if head.dep_ != "conj" or head.head.i != src.head.i or any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children):
        return False
    cc = next((c for c in head.head.children if c.dep_ == "cc" and c.i < head.i), None)  # on the first conjunct
    doc = head.doc
    return cc is not None and cc.i > 0 and doc[cc.i - 1].text == ","


def clear_claim(c, doc: Doc, quotes: QuoteIndex) -> bool:
    """A claim plain enough to keep whatever the decision model says: a verb of saying, believing
    or wanting with its own subject and a clause or quotation as content ("I don't think people
    are talking about it", inside a quotation the model reads as one claim)."""
    if c.pattern == "adjective":  # "I'm sure they've got a plan": built only with its clause and subject
        return bool(c.source) and not_a_claim(c, doc, quotes) is None and \
            _at_least(3, (t for t in _tokens_of(doc, c.content) if t.is_alpha))
    if c.pattern == "verb" and c.head is not None and _phrase_is_the_claim(c, doc):
        return not_a_claim(c, doc, quotes) is None
    if c.pattern == "according_to":  # "according to a 2018 survey by ...": a holder of claims named
        src = _head(c.source) if c.source else None
        return src is not None and (src.ent_type_ in ("PERSON", "ORG") or src.lemma_.lower() in CLAIM_HOLDERS) and \
            not_a_claim(c, doc, quotes) is None and _at_least(3, (t for t in _tokens_of(doc, c.content) if t.is_alpha))
    if c.pattern == "adverb":  # "X is reportedly being investigated": built only with its clause
        return _at_least(3, (t for t in _tokens_of(doc, c.content) if t.is_alpha))
    if c.pattern == "dash":  # a signed quotation or post: "— The Nigerian Senate (@NGRSenate) October 9, 2018"
        return bool(c.source)
    if c.pattern == "noun":  # "the UK's position that settlements are illegal": a holder and a clause
        words = [t for t in _tokens_of(doc, c.content) if not t.is_punct]
        copula = c.head.dep_ == "nsubj" and c.head.head.lemma_ == "be"  # "the assumption was that": none named
        unnamed = c.head.lemma_.lower() in UNNAMED_REPORTS  # "with reports that", "amid speculation that"
        return (bool(c.source) or copula or unnamed) and bool(words) and words[0].lower_ == "that" and \
            _at_least(3, (t for t in words if t.is_alpha)) and not_a_claim(c, doc, quotes) is None
    if c.pattern == "verb" and c.head is not None and not c.source and _told_by_nobody_named(c, doc):
        return not_a_claim(c, doc, quotes) is None
    if c.pattern != "verb" or c.head is None or not c.source:
        return False
    head = c.head
    lemma = _lemma(head)  # "hoped": the lemmatizer says "hop"
    src = _head(c.source)
    if src is None or not _own_source(src, head):
        return False
    showing = _finding_shown(lemma, src)
    # "They see the way down as close to inevitable": seeing something *as* something is a belief
    seeing_as = lemma == "see" and any(x.lower_ == "as" and x.i > head.i and head.i in (x.head.i, x.head.head.i)
                                       for x in _tokens_of(doc, c.content))
    if (lemma not in CLAIM_VERBS and not showing and not seeing_as) or not_a_claim(c, doc, quotes) is not None:
        return False
    if not _at_least(3, (t for t in _tokens_of(doc, c.content) if t.is_alpha)):
        return False
    if seeing_as:
        return True
    # the clause follows its verb ("I think *it is wrong*"); one before it is a misread sentence
    # ("Flu season has begun, so we write with urgency")
    return any(t.head.i == head.i and t.i > head.i and
               (t.dep_ in ("ccomp", "xcomp", "oprd") or t.dep_ == "prep" and t.lower_ == "as")
               for t in _tokens_of(doc, c.content)) or \
        any(quotes.inside(s) for s, _ in c.content) and not quotes.inside(head.idx)


# ------------------------------------------------------------------ what kind of claim

# The cue's lemma says what kind of claim it is (docs/ledger-v1.md, Attribution.type); a statement
# where it says nothing more.
BELIEF_WORDS = verbs.BELIEVING | frozenset("""
sure confident convinced optimistic
pessimistic concerned afraid skeptical sceptical belief view opinion fear hope expectation
suspicion doubt concern worry impression assessment forecast projection estimate estimation
""".split())
INTENTION_WORDS = frozenset("""
want wish plan intend aim vow promise pledge threaten seek mean commit
intention plan promise pledge vow goal threat
""".split())
QUESTION_WORDS = frozenset({"ask", "wonder", "question", "inquire", "enquire", "query"})
DENIAL_WORDS = frozenset({"deny", "dispute", "reject", "refute", "rebut", "dismiss", "denial", "contest"})
FINDING_WORDS = frozenset({"find", "show", "conclude", "determine", "establish", "discover", "reveal",
                           "suggest", "indicate", "finding", "conclusion", "study", "research"})
AGENT_OF_FINDING = frozenset({"study", "report", "research", "researcher", "scientist", "survey", "poll",
                              "paper", "analysis", "review", "investigation", "team", "author"})

# Nouns whose that-clause is a claim though nobody is named as holding it.
UNNAMED_REPORTS = frozenset({"report", "rumor", "rumour", "speculation", "allegation", "word", "news", "suggestion"})

# Who or what "according to" may name as the holder of a claim, plain enough to keep it by rule:
# documents and people who make claims ("according to a survey", "according to court documents").
CLAIM_HOLDERS = AGENT_OF_FINDING | frozenset("""
document filing statement complaint indictment affidavit lawsuit suit memo letter email source official
spokesman spokeswoman spokesperson police prosecutor authority expert analyst estimate
""".split())


def claim_type(c) -> str:
    """statement, belief, intention, question, denial or finding (docs/ledger-v1.md)."""
    if c.head is None or c.pattern in ("according_to", "colon", "dash", "quote"):
        return "statement"
    lemma = _lemma(c.head)
    if lemma in DENIAL_WORDS:
        return "denial"
    if lemma in QUESTION_WORDS:
        return "question"
    if lemma in INTENTION_WORDS:
        return "intention"
    if lemma in BELIEF_WORDS:
        return "belief"
    src = _head(c.source) if c.source else None
    if lemma in FINDING_WORDS and src is not None and src.lemma_.lower() in AGENT_OF_FINDING | {"find"}:
        return "finding"
    if lemma in ("find", "conclude", "determine", "discover"):
        return "finding"
    return "statement"
