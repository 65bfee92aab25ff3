"""Entities merged across their mentions (names, descriptions, pronouns): coreference over the parse.

A pure function of a parsed spaCy Doc, in three linear passes:

1. Names. Named entities (PERSON, ORG, GPE, ...) are clustered by a name key: titles ("Mr.",
   "Sen.", "President"), a leading "the", middle initials and the possessive "'s"/"’s" are
   stripped. A full person name ("Hillary Clinton") is its own cluster; a short form ("Clinton",
   "Hillary") joins the most recently mentioned full name that ends (or begins) with it, else
   the most frequent one. Acronyms of multi-word names ("FBI") join their long form. Proper nouns
   the NER missed but that equal a known surname join too. The type is voted over the cluster.
2. Evidence. Titles before a name ("President", "Sen.", "Republican nominee"), appositives
   ("Emmanuel Macron, the French president,") and institution phrases ("Macron's office", "the
   Trump campaign") give each cluster role words and gender; appositives and institution phrases
   become mentions.
3. One walk through the sentences with a short salience history (subject > object > other, then
   recency) that resolves pronouns (he/she families by gender, they/it families to organizations
   and groups, blocked by a nearer plain-noun antecedent), relative "who"/"which", and definite
   descriptions ("the president", "the company") by role words seen with an entity, else (for
   identity roles such as leader, nominee, senator) by the most salient recent person.

Nothing is created for a description that resolves to nothing ("a source", "officials").
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import Optional

from spacy.tokens import Doc, Token

from ..ledger import Entity
from ..text import marks, verbs
from ..text.quotes import QuoteIndex, token_mask
from . import doc_text

# The NER labels an entity may have (extractors.EntitySettings.labels); a tuple, in this order, for
# a settings object's config to keep it.
ENTITY_LABELS = tuple("PERSON ORG GPE NORP LOC FAC EVENT LAW WORK_OF_ART PRODUCT".split())

# Titles stripped from names; value: (role words it gives, gender or None).
TITLES: dict[str, tuple[tuple[str, ...], Optional[str]]] = {
    "mr": ((), "m"), "mrs": ((), "f"), "ms": ((), "f"), "miss": ((), "f"), "mister": ((), "m"),
    "dr": (("doctor",), None), "prof": (("professor",), None), "professor": (("professor",), None),
    "sen": (("senator", "lawmaker"), None), "senator": (("senator", "lawmaker"), None),
    "rep": (("representative", "congressman", "congresswoman", "lawmaker"), None),
    "representative": (("representative", "congressman", "congresswoman", "lawmaker"), None),
    "congressman": (("congressman", "lawmaker"), "m"), "congresswoman": (("congresswoman", "lawmaker"), "f"),
    "gov": (("governor",), None), "governor": (("governor",), None),
    "president": (("president", "leader"), None), "vice": ((), None),
    "prime": ((), None), "minister": (("minister", "leader"), None),
    "premier": (("premier", "leader"), None), "chancellor": (("chancellor", "leader"), None),
    "secretary": (("secretary",), None), "mayor": (("mayor",), None),
    "speaker": (("speaker",), None), "chairman": (("chairman",), "m"),
    "chairwoman": (("chairwoman",), "f"), "judge": (("judge",), None), "justice": (("justice",), None),
    "gen": (("general",), None), "general": (("general",), None), "lt": ((), None), "col": ((), None),
    "maj": ((), None), "sgt": ((), None), "capt": ((), None), "adm": (("admiral",), None),
    "rev": (("reverend",), None), "attorney": (("attorney",), None),
    "king": (("king",), "m"), "queen": (("queen",), "f"), "prince": (("prince",), "m"),
    "princess": (("princess",), "f"), "sir": ((), "m"), "lady": ((), "f"), "lord": ((), "m"),
    "pope": (("pope",), "m"), "former": ((), None), "retired": ((), None), "the": ((), None),
    "candidate": (("candidate",), None), "nominee": (("nominee",), None),
    "councilmember": (("councilmember", "council member"), None),
    "councilman": (("councilman",), "m"), "councilwoman": (("councilwoman",), "f"),
    "councillor": (("councillor",), None), "alderman": (("alderman",), None),
    "commissioner": (("commissioner",), None), "chief": (("chief",), None),
    "ambassador": (("ambassador",), None), "director": (("director",), None),
}
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Legal suffixes dropped from organization keys: "Nordvik AB" is "Nordvik", "Ceres Robotics Inc." is
# "Ceres Robotics".
LEGAL_SUFFIXES = frozenset({"inc", "incorporated", "co", "corp", "corporation", "ltd", "limited", "plc",
                            "llc", "llp", "lp", "ab", "ag", "sa", "gmbh", "nv", "bv", "spa", "company"})
# Generic last words of an organization's long name: its first words alone name it ("Big Machine"
# for "Big Machine Records", "Labour" for "Labour Party"); not "Apple Music" for Apple.
ORG_TAILS = frozenset("""records label group holdings systems technologies industries enterprises
productions corporation company international partners labs laboratories motors pharmaceuticals
airlines airways party""".split())
# "Department of Homeland Security" is also "Homeland Security" and "the Homeland Security Department".
OF_HEADS = frozenset({"department", "ministry", "bureau", "office", "agency", "secretary"})

MALE_NAMES = frozenset("""
aaron adam al alan albert alex alexander andrew anthony antonio ben benjamin bernie bill bob bobby
boris brad bradley brian bruce carl carlos charles charlie chris christopher chuck colin dan daniel
darrell dave david dennis dick donald doug douglas ed edward elijah emmanuel eric frank fred gary
george gerald greg gregory harry henry howard ian jack jacob jake james jared jason jeb jeff jeffrey
jerry jim jimmy joe joel john johnny jon jonathan jordan jose joseph josh juan justin keith ken kevin
kim larry lindsey mark marco martin matt matthew michael mike mitch mitt newt nick nigel olaf patrick
paul peter phil philip ralph randy ray reince richard rick rob robby robert roger ron ronald rudy
rush russell ryan sam scott sean sergei steve steven stephen ted terry thomas tim timothy tom tony
vladimir walter wayne william xi""".split())
FEMALE_NAMES = frozenset("""
abby alice alicia amanda amy angela ann anna anne barbara betsy betty carly carol caroline catherine
chelsea christine claire debbie deborah diane donna elizabeth ellen emily emma gina hannah heather
heidi helen hillary hope huma ivanka jane janet jennifer jessica jill joan joni julia julie karen
kate katherine kathleen katie kelly kellyanne kirsten laura lauren linda lisa loretta lucy maria
marie marine martha mary megyn melania melanie michelle nancy nicola nikki olivia pam pamela patricia
rachel rebecca sally samantha sandra sara sarah sharon stephanie susan susana suzanne tammy tammie
teresa theresa tulsi valerie victoria virginia wendy""".split())

MALE_PRON = frozenset({"he", "him", "his", "himself"})
FEMALE_PRON = frozenset({"she", "her", "hers", "herself"})
PLURAL_PRON = frozenset({"they", "them", "their", "theirs", "themselves"})
NEUTER_PRON = frozenset({"it", "its", "itself"})

# Descriptions naming who someone is: may fall back to the most salient recent person.
IDENTITY_ROLES = frozenset("""
leader president minister senator governor candidate nominee secretary chancellor premier
congressman congresswoman lawmaker mayor billionaire businessman businesswoman mogul tycoon
frontrunner front-runner challenger incumbent year-old chairman chairwoman speaker republican
democrat king queen prince pope star host actor actress celebrity real-estate developer""".split())
# Descriptions of people that are usually someone else ("the spokesman" of X is not X): only
# role evidence links them.
OTHER_PERSON_ROLES = frozenset("""
spokesman spokeswoman spokesperson official aide adviser advisor strategist manager lawyer
attorney director executive ceo founder judge justice general officer prosecutor ambassador
envoy commissioner professor economist analyst source doctor reverend pastor""".split())
FEMALE_ROLES = frozenset({"spokeswoman", "congresswoman", "chairwoman", "businesswoman", "actress",
                          "queen", "woman", "mother", "wife", "daughter", "princess"})
MALE_ROLES = frozenset({"spokesman", "congressman", "chairman", "businessman", "actor", "king",
                        "man", "father", "husband", "son", "prince", "pope"})
ORG_ROLES = frozenset("""
company firm group organization organisation agency ministry department network newspaper
bank corporation conglomerate foundation committee union council bureau institute university
automaker carmaker retailer giant startup insurer lender broadcaster publication outlet
magazine paper party""".split())
# Heads of possessive/compound phrases that stand for the person ("Macron's office").
INSTITUTIONS = frozenset("""
office campaign team camp administration government staff presidency transition
foundation""".split())
PERSONAL_INSTITUTIONS = frozenset({"campaign", "administration", "presidency", "camp", "transition", "team"})
PERSON_TYPES = frozenset({"PERSON"})
GROUP_TYPES = frozenset({"ORG", "NORP", "GPE"})

ALIASES = {("us",): ("united", "states"), ("usa",): ("united", "states"),
           ("america",): ("united", "states"), ("united", "states", "of", "america"): ("united", "states"),
           ("uk",): ("united", "kingdom"), ("britain",): ("united", "kingdom"),
           ("great", "britain"): ("united", "kingdom")}
ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "on", "in", "&", "de"})
PLEONASTIC_HEADS = frozenset({"be", "seem", "appear", "remain", "become", "happen", "matter",
                              "take", "rain", "look", "sound", "make"})

SUBJ = frozenset({"nsubj", "nsubjpass"})
OBJ = frozenset({"dobj", "pobj", "attr", "dative", "obj", "iobj"})
# Defaults of extractors.EntitySettings: he/she look this many sentences back for their person
# (they/it one, descriptions two or three), and any of them at most this many salience entries.
MAX_SENT_BACK = 3
MAX_HISTORY_SCAN = 60

_INITIAL = re.compile(r"^[a-z]\.?$")


def _norm(text: str) -> str:
    return marks.plain_apostrophes(text.lower()).rstrip(".")


class _Cluster:
    __slots__ = ("labels", "keys", "names", "roles", "gender", "pron_gender", "mentions", "named",
                 "last_named", "full_count", "type")

    def __init__(self) -> None:
        self.labels: Counter = Counter()
        self.keys: set = set()
        self.names: list[tuple[int, int, str]] = []  # (-len, first start, text)
        self.roles: set[str] = set()
        self.gender: Counter = Counter()        # hard evidence: titles, first names, gendered roles
        self.pron_gender: Counter = Counter()   # soft evidence: pronouns resolved to it
        self.mentions: set[tuple[int, int]] = set()   # token spans
        self.named = 0
        self.last_named = -1
        self.full_count = 0
        self.type = ""

    def gender_of(self) -> Optional[str]:
        ev = self.gender if self.gender else self.pron_gender
        if not ev:
            return None
        m, f = ev.get("m", 0), ev.get("f", 0)
        return "m" if m > f else "f" if f > m else None


class _Named:
    __slots__ = ("start", "end", "key", "label", "name", "root", "titles")

    def __init__(self, start, end, key, label, name, root, titles):
        self.start, self.end, self.key, self.label = start, end, key, label
        self.name, self.root, self.titles = name, root, titles


def _strip_possessive(doc: Doc, start: int, end: int) -> int:
    while end > start and (doc[end - 1].tag_ == "POS" or _norm(doc[end - 1].text) in ("'s", "'")):
        end -= 1
    return end


def _name_key(doc: Doc, start: int, end: int):
    """(key words, name start, name end, titles inside the entity) of an entity span."""
    i = start
    titles = []
    while i < end - 1 and _norm(doc[i].text) in TITLES:
        titles.append(_norm(doc[i].text))
        i += 1
    j = end
    while j > i + 1 and (_norm(doc[j - 1].text) in NAME_SUFFIXES or doc[j - 1].is_punct):
        j -= 1
    words = []
    for k in range(i, j):
        w = _norm(doc[k].text)
        if not w or doc[k].is_punct and w not in ("&",):
            continue
        if _INITIAL.match(w) and k not in (i, j - 1) and j - i > 2:
            continue  # middle initial: "Donald J. Trump"
        words.append(w)
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    if not words:
        return None
    if all(w in TITLES for w in words) and not (start and _norm(doc[start - 1].text) in GENDER_TITLES):
        return None  # "President" alone; but "Mr. King" is a name
    key = tuple(words)
    return ALIASES.get(key, key), i, j, titles


def _acronym(key: tuple) -> Optional[str]:
    letters = [w[0] for w in key if w not in ACRONYM_SKIP and w[:1].isalpha()]
    return "".join(letters) if len(letters) >= 2 else None


def _is_acronym_text(text: str) -> bool:
    """"CBP", "PG&E", "U.N.", "AMAs": capitals (with & . -), at most a plural s."""
    t = text[:-1] if len(text) > 2 and text.endswith("s") else text
    letters = [ch for ch in t if ch.isalpha()]
    return 2 <= len(letters) <= 6 and all(ch.isupper() for ch in letters) and all(
        ch.isalnum() or ch in "&.-" for ch in t)


def _acr_norm(text: str) -> str:
    t = text[:-1] if len(text) > 2 and text.endswith("s") and text[:-1].isupper() else text
    return "".join(ch for ch in t if ch.isalpha()).lower()


def _acronyms_of(n: "_Named", doc: Doc) -> list[str]:
    """The acronyms a long name may go by: initials without function words, with a leading "The"."""
    out = []
    a = _acronym(n.key)
    if a:
        out.append(a)
        if n.start > 0 and doc[n.start - 1].lower_ == "the" or doc[n.start].lower_ == "the":
            out.append("t" + a)
    return out


def _recover_full_names(doc: Doc, named: list) -> list:
    """Full names the NER missed: a known first name and a capitalized proper noun ("Jeff Sanborn")."""
    covered = set()
    for n in named:
        covered.update(range(n.start, n.end))
    extra = []
    for tok in doc[:-1]:
        nxt = doc[tok.i + 1]
        if (tok.i in covered or nxt.i in covered or tok.lower_ not in MALE_NAMES and tok.lower_ not in FEMALE_NAMES
                or not (tok.text[:1].isupper() and nxt.text[:1].isupper() and nxt.text[1:2].islower())
                or tok.pos_ != "PROPN" or nxt.pos_ != "PROPN" or not nxt.is_alpha):
            continue
        if tok.i + 2 < len(doc) and doc[tok.i + 2].pos_ == "PROPN" and doc[tok.i + 2].text[:1].isupper():
            continue  # a longer name: leave it
        key = (tok.lower_, _norm(nxt.text))
        extra.append(_Named(tok.i, tok.i + 2, key, "PERSON", doc[tok.i:tok.i + 2].text, nxt, []))
        covered.update((tok.i, nxt.i))
    if not extra:
        return named
    return sorted(named + extra, key=lambda n: n.start)


def _single_labels(named: list) -> dict:
    labels: dict[str, Counter] = {}
    for n in named:
        if len(n.key) == 1:
            labels.setdefault(n.key[0], Counter())[n.label] += 1
    return labels


def _lowercase_words(doc: Doc) -> frozenset:
    """The words the text writes in lower case somewhere ("moon" of "the moon"), once per Doc: a
    scan of the whole text for every name made a long text quadratic."""
    return frozenset(t.lower_ for t in doc if t.is_lower)


def _looks_like_person(n: "_Named", single_labels: dict, lowercase_words: frozenset) -> bool:
    """A two- or three-word name the NER did not call a person, whose last word it does call a
    person when alone ("Mason Rudolph" ORG, "Rudolph" PERSON). `lowercase_words`: the Doc's
    (_lowercase_words)."""
    if not 2 <= len(n.key) <= 3 or n.label == "PERSON":
        return False
    toks = [t for t in n.root.doc[n.start:n.end] if not t.is_punct and t.tag_ != "POS"]
    if len(toks) != len(n.key) or not all(t.text[:1].isupper() and t.text[1:2].islower() for t in toks):
        return False
    if not all(w.replace("-", "").replace("'", "").isalpha() for w in n.key):
        return False
    alone = single_labels.get(n.key[-1])
    if n.key[-1] in lowercase_words:
        return False  # a common word ("the moon"), not a surname
    return bool(alone) and alone["PERSON"] > sum(alone.values()) - alone["PERSON"]


def _org_canon(named: list, single_labels: dict) -> dict:
    """Short or reordered forms of an organization's long name -> the long name's key: "Big
    Machine" -> "Big Machine Records", "Homeland Security" -> "Department of Homeland Security"."""
    label_of: dict[tuple, Counter] = {}
    for n in named:
        label_of.setdefault(n.key, Counter())[n.label] += 1
    longs = Counter(n.key for n in named if n.label == "ORG" and len(n.key) >= 2)
    cands: dict[tuple, Counter] = {}
    for key, cnt in longs.items():
        if key[-1] in ORG_TAILS:
            for k in range(1, len(key)):
                if key[k - 1] not in ACRONYM_SKIP:
                    cands.setdefault(key[:k], Counter())[key] += cnt
            if len(key) == 2 and key[-1] == "party":  # "Conservatives" for "Conservative Party"
                cands.setdefault((key[0] + "s",), Counter())[key] += cnt
        if len(key) >= 3 and key[0] in OF_HEADS and key[1] == "of":
            rest = key[2:]
            cands.setdefault(rest + (key[0],), Counter())[key] += cnt
            if len(rest) >= 2:
                cands.setdefault(rest, Counter())[key] += cnt
    canon = {}
    for short, longer in cands.items():
        labels = label_of.get(short)
        if labels is None:
            continue
        top = labels.most_common(1)[0][0]
        if top in ("GPE", "LOC") or (top == "NORP" and not short[-1].endswith("s")) or top == "PERSON":
            continue
        if len(short) == 1 and short[0] in single_labels and single_labels[short[0]]["PERSON"]:
            continue
        best = longer.most_common(2)
        if len(best) > 1 and best[0][1] == best[1][1]:
            continue  # two long names equally likely: leave it
        canon[short] = best[0][0]
    return canon


def _paired_acronyms(doc: Doc, named: list) -> dict:
    """ "Pacific Gas & Electric Co. (PG&E)": the acronym in parentheses right after a long name."""
    out = {}
    N = len(doc)
    for n in named:
        e = n.end
        while e < N and doc[e].tag_ == "POS":
            e += 1
        if len(n.key) >= 2 and e + 2 < N and doc[e].text == "(" and doc[e + 2].text == ")" \
                and _is_acronym_text(doc[e + 1].text):
            out.setdefault(_acr_norm(doc[e + 1].text), n.key)
    return out


EXTEND_SKIP = frozenset({"and", "of", "&", "for", "the", "on"})


def _extend_to_acronyms(doc: Doc, named: list) -> list:
    """A name the NER cut short ("Customs" of "Customs and Border Protection") is extended over the
    capitalized words that follow when the whole spells an acronym the article uses ("CBP")."""
    acrs = {_acr_norm(n.name) for n in named if len(n.key) == 1 and _is_acronym_text(n.name)}
    if not acrs:
        return named
    absorbed = set()
    starts = [n.start for n in named]  # in text order (Doc.ents): the names inside a span by bisection
    for n in named:
        if n.label == "PERSON" or _is_acronym_text(n.name) or id(n) in absorbed:
            continue
        words = [w for w in n.key if w not in EXTEND_SKIP]
        best = None
        j = n.end
        while j < len(doc) and j - n.end < 6:
            t = doc[j]
            if t.lower_ in EXTEND_SKIP:
                j += 1
                continue
            if not (t.text[:1].isupper() and t.is_alpha):
                break
            words.append(t.lower_)
            j += 1
            if "".join(w[0] for w in words) in acrs:
                best = j
        if best is not None and "".join(w[0] for w in n.key if w not in EXTEND_SKIP) not in acrs:
            parsed = _name_key(doc, n.start, best)
            if parsed:
                # names inside the new span ("Border Protection") are part of it
                inside = named[bisect.bisect_left(starts, n.start):bisect.bisect_left(starts, best)]
                absorbed.update(id(m) for m in inside if m is not n and m.end <= best)
                n.end, n.key = best, parsed[0]
                n.name = doc[n.start:best].text
    return [n for n in named if id(n) not in absorbed]


def _is_person_name(n: _Named) -> bool:
    if not (2 <= len(n.key) <= 4 and all(w[:1].isalpha() for w in n.key)):
        return False
    # "Nikki Haley" tagged ORG is still a person's full name
    return n.label == "PERSON" or (n.label in ("ORG", "GPE", "NORP")
                                   and (n.key[0] in MALE_NAMES or n.key[0] in FEMALE_NAMES
                                        or any(t not in ("the", "former", "retired") for t in n.titles)))


def _role_rank(tok: Token) -> int:
    # Climb out of flat name structure: the entity's syntactic head decides.
    if tok.dep_ in SUBJ:
        return 0 if tok.head.dep_ == "ROOT" else 0.5
    if tok.dep_ in OBJ:
        return 1
    if tok.dep_ == "appos" or tok.dep_ == "conj":
        return _role_rank(tok.head) if tok.head.i != tok.i else 2
    return 2


def _np_span(tok: Token) -> tuple[int, int]:
    """Token span of the noun phrase headed by tok: its left dependents, and a short "of" phrase."""
    start = tok.left_edge.i
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            re_ = child.right_edge.i + 1
            if re_ - child.i <= 4 and not any(t.is_punct for t in tok.doc[child.i:re_]):
                end = re_
        break
    # Do not swallow a leading comma or a quote.
    while start < tok.i and (tok.doc[start].is_punct or tok.doc[start].is_space):
        start += 1
    return start, end


def extract_entities(doc: Doc, labels=ENTITY_LABELS, pronoun_sentences: int = MAX_SENT_BACK,
                     history_scan: int = MAX_HISTORY_SCAN) -> list[Entity]:
    """Entities of `doc` with all their mentions, in order of their first. `labels`: the NER labels
    an entity may have (ENTITY_LABELS); `pronoun_sentences`: how many sentences back "he" and "she"
    look for their person; `history_scan`: at most how many recent mentions any pronoun or
    description weighs (extractors.EntitySettings)."""
    if len(doc) == 0:
        return []
    labels = frozenset(labels)

    # ---- 1. names -------------------------------------------------------------------------
    named: list[_Named] = []
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        end = _strip_possessive(doc, ent.start, ent.end)
        if end <= ent.start:
            continue
        parsed = _name_key(doc, ent.start, end)
        if parsed is None:
            continue
        key, ns, ne, titles = parsed
        # Titles just before the entity: "President Emmanuel Macron", "Sen. Ted Cruz".
        k = ent.start - 1
        while k >= 0 and k >= ent.start - 3 and _norm(doc[k].text) in TITLES and not doc[k].ent_type_:
            titles.append(_norm(doc[k].text))
            k -= 1
        start = ent.start
        while start < end - 1 and doc[start].lower_ == "the":
            start += 1
        name = doc[ns:ne].text if ne > ns else doc[start:end].text
        named.append(_Named(start, end, key, ent.label_, name, doc[start:end].root, titles))

    clusters: list[_Cluster] = []
    by_key: dict[tuple, _Cluster] = {}
    full_by_first_last: dict[tuple, _Cluster] = {}
    by_last: dict[str, list[_Cluster]] = {}
    by_first: dict[str, list[_Cluster]] = {}
    acronyms: dict[str, _Cluster] = {}

    def new_cluster() -> _Cluster:
        c = _Cluster()
        clusters.append(c)
        return c

    named = _extend_to_acronyms(doc, named)
    named = _recover_full_names(doc, named)
    surname_labels = _single_labels(named)
    lowercase_words = _lowercase_words(doc)
    for n in named:
        if not _is_person_name(n) and _looks_like_person(n, surname_labels, lowercase_words):
            n.label = "PERSON"  # "Eva-Marie Persson" tagged ORG, "Persson" tagged PERSON elsewhere
    canon = _org_canon(named, surname_labels)
    for n in named:
        if len(n.key) >= 2 and n.label != "PERSON" and n.key in canon:
            n.key = canon[n.key]

    # Full person names first (so a "Clinton" before "Hillary Clinton" still finds her).
    for n in named:
        if _is_person_name(n):
            fl = (n.key[0], n.key[-1])
            c = full_by_first_last.get(fl)
            if c is None:
                c = full_by_first_last[fl] = new_cluster()
                by_last.setdefault(n.key[-1], []).append(c)
                by_first.setdefault(n.key[0], []).append(c)
            by_key[n.key] = c
            c.full_count += 1
        elif len(n.key) >= 2:
            c = by_key.get(n.key)
            if c is None:
                c = by_key[n.key] = new_cluster()
            if n.label in ("ORG", "GPE", "LOC", "FAC", "LAW", "EVENT", "NORP", "PRODUCT"):
                for a in _acronyms_of(n, doc):
                    acronyms.setdefault(a, c)
    for acr, key in _paired_acronyms(doc, named).items():
        if key in by_key:
            acronyms[acr] = by_key[key]

    named = _recover_missed(doc, named, by_last, acronyms)
    assign: list[_Cluster] = []
    for n in named:
        c = None
        if len(n.key) == 1:
            w = n.key[0]
            # A surname joins its person whatever the NER called it this time ("Mourinho" as FAC).
            cands = by_last.get(w) or (by_first.get(w) if n.label == "PERSON" else None)
            if cands:
                c = _pick_short(cands, n.start)
            if c is None and _is_acronym_text(n.name):
                c = acronyms.get(_acr_norm(n.name))
            if c is None and n.label != "PERSON":
                c = by_key.get(canon.get(n.key, n.key)) if n.key in canon else acronyms.get(w.replace(".", ""))
        if c is None:
            c = by_key.get(n.key)
        if c is None and len(n.key) >= 2 and n.label == "PERSON":
            c = full_by_first_last.get((n.key[0], n.key[-1]))
        if c is None:
            c = by_key[n.key] = new_cluster()
        assign.append(c)
        _add_named(c, n, doc)

    # token index -> cluster, for the roots of named mentions (relative pronouns, possessives)
    tok_cluster: dict[int, _Cluster] = {}
    named_at: dict[int, list[tuple[_Named, _Cluster]]] = {}
    in_name: set[int] = set()
    for n, c in zip(named, assign):
        for k in range(n.start, n.end):
            tok_cluster[k] = c
            in_name.add(k)
        named_at.setdefault(n.start, []).append((n, c))
    named_positions = sorted(tok_cluster)  # the named tokens, for _named_below's bisection

    # ---- 2. evidence: appositives and institution phrases --------------------------------------
    desc_mentions: dict[int, _Cluster] = {}  # description head token -> cluster
    inst_heads: set[int] = set()  # heads of "Macron's office", "the Trump campaign"
    for n, c in zip(named, assign):
        root = n.root
        for child in root.children:
            if child.dep_ == "appos" and child.i > root.i and _good_appositive(child, n, in_name):
                _link_description(c, child, desc_mentions)
            elif (child.dep_ in ("compound", "amod") and child.i < n.start and child.pos_ == "NOUN"
                  and child.i not in in_name):
                lem = child.lemma_.lower()
                c.roles.add(lem)
                _gender_from_role(c, lem)
        head = root.head
        if (root.dep_ == "appos" and head.i < root.i and _good_appositive(head, n, in_name)
                and root.i - head.i <= 3):
            _link_description(c, head, desc_mentions)
        if (root.dep_ in ("poss", "compound") and head.pos_ == "NOUN" and head.i not in in_name
                and head.lemma_.lower() in INSTITUTIONS and head.i > root.i):
            s, e = _np_span(head)
            s = min(s, n.start)
            c.mentions.add((s, e))
            c.roles.add(head.lemma_.lower())
            desc_mentions.setdefault(head.i, c)
            inst_heads.add(head.i)
            if len(n.key) == 1 and head.lemma_.lower() in PERSONAL_INSTITUTIONS:
                c.labels["PERSON"] += 2  # "McAuliffe's transition team": a person, whatever the NER said

    # Type by vote; person evidence (titles, first names) weighs in.
    for c in clusters:
        if c.named:
            c.type = c.labels.most_common(1)[0][0] if len(c.labels) == 1 else _vote(c.labels)

    # ---- 3. one walk: pronouns, relatives, descriptions ------------------------------------------
    # salience history: (sentence index, token index, cluster or None, rank, number, type)
    history: list[tuple] = []
    last_role_mention: dict[str, _Cluster] = {}

    def role_seen(lem: str) -> Optional[_Cluster]:
        c = last_role_mention.get(lem)
        if c is None:  # "the envoy" for "Ambassador Gordon Sondland"
            found = {id(x): x for x in (last_role_mention.get(r) for r in ROLE_SYNONYMS.get(lem, ())) if x}
            if len(found) == 1:
                c = next(iter(found.values()))
        return c

    # Sentence distance counts narrative sentences only: a long quotation is one step, not ten.
    in_quote = token_mask(QuoteIndex(doc_text(doc)), doc)
    si = -1
    sents = doc.sents if doc.has_annotation("SENT_START") or doc.has_annotation("DEP") else [doc[:]]
    for sent in sents:
        if si < 0 or any(not in_quote[t.i] and t.is_alpha for t in sent):
            si += 1
        for tok in sent:
            i = tok.i
            if i in named_at:
                for n, c in named_at[i]:
                    history.append((si, n.root.i, c, _role_rank(n.root), "s", c.type))
                    for r in c.roles:
                        last_role_mention[r] = c
                continue
            if i in in_name:
                continue
            low = tok.lower_
            pos = tok.pos_
            if pos == "PRON" or tok.tag_ in ("PRP", "PRP$", "WP", "WP$", "WDT"):
                c = None
                if low in MALE_PRON or low in FEMALE_PRON:
                    c = _resolve_personal(tok, si, "m" if low in MALE_PRON else "f", history,
                                          pronoun_sentences, history_scan, in_quote,
                                          _named_below(tok, tok_cluster, named_positions, in_quote))
                    if c is not None:
                        c.pron_gender["m" if low in MALE_PRON else "f"] += 1
                elif low in PLURAL_PRON:
                    c = _resolve_group(tok, si, history, plural=True, scan=history_scan)
                elif low in NEUTER_PRON:
                    if low != "it" or (tok.dep_ in SUBJ and tok.head.lemma_ not in PLEONASTIC_HEADS
                                       and not any(ch.dep_ in ("ccomp", "xcomp") and ch.i > tok.head.i
                                                   and tok.head.lemma_ == "be" for ch in tok.head.children)):
                        c = _resolve_group(tok, si, history, plural=False, scan=history_scan)
                elif low in ("who", "whom", "whose", "which", "that") and tok.head.dep_ == "relcl":
                    ante = tok.head.head
                    c = tok_cluster.get(ante.i) or desc_mentions.get(ante.i)
                    if c is None and ante.dep_ == "attr":  # "Kaine is a former lawyer who ..."
                        subj = next((ch for ch in ante.head.children if ch.dep_ in SUBJ), None)
                        if subj is not None:
                            c = tok_cluster.get(subj.i) or desc_mentions.get(subj.i)
                    if c is not None:
                        if low in ("who", "whom", "whose") and c.type not in ("PERSON", "NORP", "ORG"):
                            c = None
                        elif low == "which" and c.type in PERSON_TYPES:
                            c = None
                if c is not None:
                    c.mentions.add((i, i + 1))
                    tok_cluster[i] = c
                    if low not in ("who", "whom", "whose", "which", "that"):
                        history.append((si, i, c, _role_rank(tok), "s", c.type))
                continue
            if pos in ("NOUN", "ADJ") or (pos == "PROPN" and tok.ent_type_ in ("", "DATE")):
                if i in desc_mentions:
                    c = desc_mentions[i]
                    # "Trump's campaign ... It said": the phrase stands as an organization
                    history.append((si, i, c, _role_rank(tok), "s", "ORG" if i in inst_heads else c.type))
                    continue
                if pos == "NOUN" and tok.tag_ in ("NNS", "NNPS") and tok.dep_ in SUBJ | OBJ:
                    history.append((si, i, None, _role_rank(tok), "p", ""))
                    continue
                owner = _apposed_name(tok, tok_cluster)
                if owner is not None:
                    # "the then UK Home Secretary, Sajid Javid": that person's, nobody else's
                    if _role_fits(tok, owner):
                        _link_description(owner, tok, desc_mentions)
                        tok_cluster[i] = owner
                        history.append((si, i, owner, _role_rank(tok), "s", owner.type))
                    continue
                c = _resolve_description(tok, si, history, role_seen, history_scan)
                if c is not None:
                    s, e = _np_span(tok)
                    c.mentions.add((s, e))
                    tok_cluster[i] = c
                    desc_mentions[i] = c
                    history.append((si, i, c, _role_rank(tok), "s", c.type))
                elif pos == "NOUN" and tok.dep_ in SUBJ | OBJ and tok.tag_ == "NN":
                    history.append((si, i, None, _role_rank(tok), "n", ""))

    _quoted_first_person(doc, in_quote, tok_cluster)

    # ---- output --------------------------------------------------------------------------------
    out = []
    for c in clusters:
        if not c.named or c.type not in labels:
            continue
        spans = sorted({(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for s, e in c.mentions})
        name = min(c.names)[2]
        out.append((spans[0], name, c.type, spans))
    out.sort(key=lambda x: x[0])
    return [Entity(id=f"E{k}", name=name, type=typ, mentions=[tuple(sp) for sp in spans])
            for k, (_, name, typ, spans) in enumerate(out, 1)]


FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
SAY_LEMMAS = verbs.SAYING


def _quote_speaker(doc: Doc, a: int, b: int, in_quote: list, tok_cluster: dict):
    """The entity that speaks the quotation doc[a:b]: subject of a speech verb just after or before."""
    verbs = {doc[k].head.i for k in range(a, b) if not in_quote[doc[k].head.i]
             and _saying(doc[k].head)}
    if len(verbs) == 1:  # the quotation is the speech verb's complement: '"...," the envoy said'
        t = doc[verbs.pop()]
        for ch in t.children:
            if ch.dep_ in SUBJ:
                c = tok_cluster.get(ch.i)
                if c is None:
                    c = next((tok_cluster[g.i] for g in ch.children if g.dep_ == "appos" and g.i in tok_cluster), None)
                if c is not None:
                    return c
    for rng in (range(b, min(len(doc), b + 8)), range(a - 1, max(-1, a - 10), -1)):
        for k in rng:
            t = doc[k]
            if in_quote[k]:
                break
            if _saying(t):
                for ch in t.children:
                    if ch.dep_ in SUBJ:
                        return tok_cluster.get(ch.i)
                return None
    return None


def _quoted_first_person(doc: Doc, in_quote: list, tok_cluster: dict) -> None:
    """Quoted "I" (and an organization's "we") resolve to the speaker of the quotation."""
    n = len(doc)
    i = 0
    prev_end, prev_speaker = -100, None
    while i < n:
        if not in_quote[i]:
            i += 1
            continue
        j = i
        has_first = False
        while j < n and in_quote[j]:
            low = doc[j].lower_
            has_first = has_first or low in FIRST_SINGULAR or low in FIRST_PLURAL
            j += 1
        speaker = _quote_speaker(doc, i, j, in_quote, tok_cluster)
        if speaker is None and i - prev_end < 12:
            speaker = prev_speaker  # a quotation continued after its cue
        if speaker is not None and has_first:
            for k in range(i, j):
                low = doc[k].lower_
                if ((low in FIRST_SINGULAR and speaker.type == "PERSON" and doc[k].tag_ in ("PRP", "PRP$"))
                        or (low in FIRST_PLURAL and speaker.type in GROUP_TYPES)):
                    speaker.mentions.add((k, k + 1))
        prev_end, prev_speaker = j, speaker
        i = j


GENDER_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov"})


def _recover_missed(doc: Doc, named: list, by_last: dict, acronyms: Optional[dict] = None) -> list:
    """Names the NER missed: "Mr. King" (a title and a proper noun), and lone proper nouns equal to
    a surname or a one-word name the NER found elsewhere in the article."""
    covered = set()
    single: dict[str, Counter] = {}
    for n in named:
        covered.update(range(n.start, n.end))
        if len(n.key) == 1:
            single.setdefault(n.key[0], Counter())[n.label] += 1
    extra = []
    i, N = 0, len(doc)
    while i < N:
        tok = doc[i]
        # a surname that is also a word ("says Early.", "Little said") the tagger may read as one,
        # but not as a sentence's capitalized first word ("Early on, ...")
        word_surname = tok.pos_ in ("NOUN", "ADV", "ADJ") and tok.lower_ in by_last and \
            (tok.pos_ == "NOUN" or not tok.is_sent_start)
        if (i in covered or tok.ent_type_ or not tok.text[:1].isupper()
                or not (tok.pos_ == "PROPN" or word_surname)):
            i += 1
            continue
        prev = _norm(doc[i - 1].text) if i else ""
        if prev in GENDER_TITLES and doc[i - 1].text.endswith(".") or prev in ("mr", "mrs", "ms"):
            j = i
            while j < N and j - i < 3 and doc[j].pos_ == "PROPN" and j not in covered and doc[j].text[:1].isupper():
                j += 1
            key = tuple(_norm(t.text) for t in doc[i:j])
            extra.append(_Named(i, j, key, "PERSON", doc[i:j].text, doc[i:j].root, [prev]))
            i = j
            continue
        low = _norm(tok.text)
        if acronyms and _is_acronym_text(tok.text) and _acr_norm(tok.text) in acronyms:
            extra.append(_Named(i, i + 1, (low,), "ORG", tok.text, tok, []))  # "the AMAs"
            i += 1
            continue
        if ((low in by_last or low in single) and not (tok.dep_ == "compound" and tok.head.pos_ == "PROPN")
                and not (i + 1 < N and doc[i + 1].pos_ == "PROPN" and doc[i + 1].text[:1].isupper())):
            label = "PERSON" if low in by_last else single[low].most_common(1)[0][0]
            titles = []
            k = i - 1
            while k >= 0 and k >= i - 2 and _norm(doc[k].text) in TITLES:
                titles.append(_norm(doc[k].text))
                k -= 1
            extra.append(_Named(i, i + 1, (low,), label, tok.text, tok, titles))
        i += 1
    if not extra:
        return named
    return sorted(named + extra, key=lambda n: n.start)


def _pick_short(cands: list[_Cluster], position: int) -> Optional[_Cluster]:
    """A short form joins the most recently mentioned candidate, else the most frequent."""
    if len(cands) == 1:
        return cands[0]
    before = [c for c in cands if 0 <= c.last_named < position]
    if before:
        return max(before, key=lambda c: c.last_named)
    return max(cands, key=lambda c: c.full_count)


def _add_named(c: _Cluster, n: _Named, doc: Doc) -> None:
    c.named += 1
    c.last_named = max(c.last_named, n.start)
    c.mentions.add((n.start, n.end))
    c.keys.add(n.key)
    if len(n.key) >= 2 or not c.full_count:  # a full name outvotes its short forms
        c.labels[n.label] += 1 + (len(n.key) >= 2)
    name = " ".join(marks.plain_apostrophes(n.name).split()) if "\n" in n.name else n.name
    c.names.append((-len(name), n.start, name))
    for t in n.titles:
        roles, g = TITLES.get(t, ((), None))
        c.roles.update(roles)
        if g:
            c.gender[g] += 2
        if t not in ("the", "former", "retired"):
            c.labels["PERSON"] += 2
    first = n.key[0]
    if len(n.key) >= 2 and n.label in ("PERSON", "ORG", "GPE", "NORP"):
        if first in MALE_NAMES:
            c.gender["m"] += 1
            c.labels["PERSON"] += 2
        elif first in FEMALE_NAMES:
            c.gender["f"] += 1
            c.labels["PERSON"] += 2


def _vote(labels: Counter) -> str:
    best = max(labels.values())
    for lab in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT"):
        if labels.get(lab) == best:
            return lab
    return labels.most_common(1)[0][0]


def _gender_from_role(c: _Cluster, lem: str) -> None:
    if lem in FEMALE_ROLES:
        c.gender["f"] += 1
    elif lem in MALE_ROLES:
        c.gender["m"] += 1


def _good_appositive(head: Token, n: "_Named", in_name: set) -> bool:
    """An appositive noun phrase that describes the name: singular common noun, no figures, and a
    role that fits the name's type (no "former governor" for an organization)."""
    if head.pos_ != "NOUN" or head.tag_ != "NN" or head.i in in_name:
        return False
    lem = head.lemma_.lower()
    person_role = lem in IDENTITY_ROLES or lem in OTHER_PERSON_ROLES or lem in FEMALE_ROLES or lem in MALE_ROLES
    if person_role and n.label not in ("PERSON",) and not n.titles:
        return False
    if lem in ORG_ROLES and n.label == "PERSON":
        return False
    for t in head.doc[head.left_edge.i:head.i]:
        if t.like_num or t.pos_ == "NUM":
            return False
    return True


def _link_description(c: _Cluster, head: Token, desc_mentions: dict) -> None:
    s, e = _np_span(head)
    c.mentions.add((s, e))
    lem = head.lemma_.lower()
    c.roles.add(lem)
    _gender_from_role(c, lem)
    desc_mentions.setdefault(head.i, c)


ROLE_SYNONYMS = {
    "envoy": ("ambassador", "diplomat"), "diplomat": ("ambassador", "envoy"), "ambassador": ("envoy", "diplomat"),
    "boss": ("manager", "coach"), "manager": ("boss", "coach"), "coach": ("boss", "manager"),
    "ceo": ("executive", "chief"), "executive": ("ceo",), "lawmaker": ("senator", "representative", "congressman",
                                                                     "congresswoman"),
    "premier": ("minister",), "minister": ("premier",), "prosecutor": ("attorney",),
}


def _apposed_name(tok: Token, tok_cluster: dict) -> Optional[_Cluster]:
    """The named entity a description stands in apposition with ("the envoy, Gordon Sondland";
    "Gordon Sondland, the envoy")."""
    for ch in tok.children:
        if ch.dep_ == "appos" and ch.i > tok.i and ch.i in tok_cluster and ch.ent_type_:
            return tok_cluster[ch.i]
    if tok.dep_ == "appos" and tok.head.i < tok.i and tok.head.i in tok_cluster and tok.head.ent_type_:
        return tok_cluster[tok.head.i]
    return None


def _role_fits(tok: Token, c: _Cluster) -> bool:
    lem = tok.lemma_.lower()
    if lem in ORG_ROLES:
        return c.type in GROUP_TYPES
    if lem in IDENTITY_ROLES or lem in OTHER_PERSON_ROLES or lem in TITLES or lem in FEMALE_ROLES or lem in MALE_ROLES:
        return c.type in PERSON_TYPES and (tok.tag_ in ("NN", "NNP"))
    return False


def _binding_conflict(pron: Token, cand_tok: int, doc: Doc) -> bool:
    """Principle B: a non-reflexive object pronoun is not its own clause's subject."""
    if pron.dep_ not in ("dobj", "dative", "iobj"):
        return False
    cand = doc[cand_tok]
    return cand.dep_ in SUBJ and cand.head.i == pron.head.i


def _recent(history: list, si: int, window: int, scan: int = MAX_HISTORY_SCAN):
    """(sentences back, head index, cluster, rank, number, type) of the mentions in the last
    `window` sentences, most recent first, at most `scan` of them."""
    for n, (hs, hi, c, rank, num, typ) in enumerate(reversed(history)):
        dist = si - hs
        if dist > window or n > scan:
            return
        yield dist, hi, c, rank, num, typ


def _saying(v: Token) -> bool:
    """A verb of saying ("said", "told")."""
    return v.lemma_ in SAY_LEMMAS and v.pos_ in ("VERB", "AUX")


def _speaks(t: Token) -> bool:
    """The subject of a verb of saying ("*he* said", "*Figgins* told reporters")."""
    return t.dep_ in SUBJ and _saying(t.head)


def _teller_of(tok: Token) -> Optional[int]:
    """The subject of the verb of saying whose reported clause holds `tok` ("X said *his* client
    ..."), or None."""
    node = tok
    while node.head.i != node.i:
        if node.dep_ == "ccomp" and _saying(node.head):
            return next((c.i for c in node.head.children if c.dep_ == "nsubj"), None)
        node = node.head
    return None


def _named_below(pron: Token, tok_cluster: dict, named_positions: list[int], in_quote: Optional[list]) -> set[int]:
    """Principle C: a subject pronoun is none of the people its own clause names outside quotations
    ("*He* urged Mr. Trump to make a deal": not Trump; "*He* said Trump would win": not Trump).
    The ids of those people's clusters. `named_positions`: the named tokens' indices, sorted (the
    clause's own subtree is not walked: a long run-on sentence would make that quadratic)."""
    if pron.dep_ not in SUBJ:
        return set()
    head, doc = pron.head, pron.doc
    # after the pronoun: a clause before it ("While the ad did not appeal to Julie Graham, she said")
    # is not below it; a subtree ends at its right edge
    lo = bisect.bisect_right(named_positions, pron.i)
    hi = bisect.bisect_right(named_positions, head.right_edge.i)
    return {id(tok_cluster[i]) for i in named_positions[lo:hi]
            if not (in_quote is not None and in_quote[i]) and (i == head.i or head.is_ancestor(doc[i]))}


def _resolve_personal(tok: Token, si: int, gender: str, history: list, window: int = MAX_SENT_BACK,
                      scan: int = MAX_HISTORY_SCAN, in_quote: Optional[list] = None,
                      named_below: frozenset = frozenset()) -> Optional[_Cluster]:
    best, best_score = None, None
    doc = tok.doc
    speaker = _speaks(tok)
    teller = _teller_of(tok)
    for dist, hi, c, rank, num, typ in _recent(history, si, window, scan):
        if c is None or typ not in PERSON_TYPES:
            continue
        g = c.gender_of()
        if g is not None and g != gender:
            continue
        if dist == 0 and _binding_conflict(tok, hi, doc) or id(c) in named_below:
            continue
        if speaker and in_quote is not None and in_quote[hi] and not in_quote[tok.i] and \
                doc[hi].sent.start == tok.sent.start:
            continue  # '“Heads needed to roll the day Epstein died,” he said': not who the quotation names
        score = 4 * dist + rank + (0 if g == gender else 1.5)
        if speaker and _speaks(doc[hi]):
            score -= 2  # "Figgins said his client ... He said": the one who spoke speaks on
        if hi == teller:
            score -= 2  # "Figgins, who represents Thomas, said *his* client": the teller's own
        if best_score is None or score < best_score:
            best, best_score = c, score
    return best


def _resolve_group(tok: Token, si: int, history: list, plural: bool,
                   scan: int = MAX_HISTORY_SCAN) -> Optional[_Cluster]:
    """they/it families: an organization or group entity unless a plain noun is a better antecedent."""
    best, best_score = None, None
    for dist, hi, c, rank, num, typ in _recent(history, si, 1, scan):
        if c is None:
            if (num == "p") != plural:
                continue
        elif typ not in GROUP_TYPES or (typ == "GPE" and (plural or tok.lower_ == "it")):
            continue
        score = 4 * dist + rank
        if best_score is None or score < best_score:
            best, best_score = c, score
    return best


def _resolve_description(tok: Token, si: int, history: list, role_seen,
                         scan: int = MAX_HISTORY_SCAN) -> Optional[_Cluster]:
    """A definite description ("the president", "the company") to an entity, when there is evidence."""
    if tok.dep_ == "compound" or tok.tag_ in ("NNS", "NNPS"):
        return None
    if not any(ch.dep_ == "det" and ch.lower_ == "the" for ch in tok.children):
        return None
    lem = tok.lemma_.lower()
    if tok.pos_ == "ADJ" or tok.ent_type_ == "DATE":
        # "the 45-year-old"
        if not (lem == "old" and tok.i >= 2 and tok.doc[tok.i - 2].lower_ == "year"):
            return None
        lem = "year-old"
    person_role = lem in IDENTITY_ROLES or lem in OTHER_PERSON_ROLES
    seen = role_seen(lem)
    if seen is not None and (seen.type in PERSON_TYPES) == person_role:
        return seen
    if lem in IDENTITY_ROLES:
        types, window = PERSON_TYPES, 2
    elif lem in ORG_ROLES:
        types, window = frozenset({"ORG"}), 3
    else:
        return None
    gender = "f" if lem in FEMALE_ROLES else "m" if lem in MALE_ROLES else None
    scores: dict[int, tuple[float, _Cluster]] = {}
    for dist, hi, c, rank, num, typ in _recent(history, si, window, scan):
        if c is None or typ not in types:
            continue
        if gender is not None:
            g = c.gender_of()
            if g is not None and g != gender:
                continue
        score = 4 * dist + rank
        prev = scores.get(id(c))
        if prev is None or score < prev[0]:
            scores[id(c)] = (score, c)
    if not scores:
        return None
    ranked = sorted(scores.values(), key=lambda x: x[0])
    if len(ranked) > 1 and (types is PERSON_TYPES or ranked[1][0] - ranked[0][0] < 4):
        return None  # two in view: "the prime minister", "the company" is not for the nearer one to take
    return ranked[0][1]
