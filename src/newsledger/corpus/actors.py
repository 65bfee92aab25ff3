"""People and organizations across the corpus: how an article's entity is named, what its own article
ties it to, and which corpus-level actor it joins. Pure Python, no SQL: `store/actors.py` keeps the
actors in the database and asks these functions what to do.

**Names.** `parse(name, type)` reads an entity's name into a `Name`: its display form (white space
collapsed; a possessive "’s", surrounding punctuation and, for a person, titles written before the
name taken off: "Sen. Marco Rubio’s" → "Marco Rubio") and its matching `key`: case-folded, accents,
periods and apostrophes gone, "&" read as "and", a leading "the" and trailing legal forms (Inc.,
Co., Corp., Ltd., LLC, plc, ...) dropped, middle initials dropped ("Donald J. Trump" → "donald
trump"). The initials stay in `full_key`, so that "George H. W. Bush" and "George W. Bush" are never
one person. Only PERSON and ORG entities with a capital letter in their name, and not pronouns
alone, become actors (`Name.actor`).

**What an article ties.** `plan_article` takes one article's entities (name, type, the texts of
their mentions) and says for each what the article itself says about it:
- its surface forms, with counts: the mentions that read as a name ("Trump", "TRUMP", "PG&E"; not
  "he", "the billionaire"), each `tied` when it is a part of the entity's full name (a surname, a
  first name: "Trump" of "Donald Trump") or its acronym ("PG&E" of "Pacific Gas & Electric Co."), and
  no other person or organization of the article could own it ("Trump" is not tied to Melania Trump
  in an article that also names Donald Trump);
- a `tie` to another entity of the article, when the entity's name is a part of exactly one
  person's full name there ("Trump", typed ORG by the tagger, beside "Donald Trump"), or the acronym
  of exactly one organization's.

**Which actor.** `decide_full` (a name of two words or more) and `decide_single` (one word: a
surname, a first name, an acronym, a one-word organization) choose among the candidates the store
found, in this order: the user's word (a merge or split pinned the name), the same key (a full-name
match), a tied alias, and, for a one-word person's name only, the surname rule: the one person of
the corpus with that surname. Two or more candidates at any step make the name ambiguous: it stays
apart, on an actor of its own that says so (`ambiguous`); two different full names are never one
actor. `canonical` names an actor by its fullest form.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Hashable, Iterable, NamedTuple, Optional, Sequence

from ..text import marks
from ..text.names import ARTICLES, CONNECTORS, GENERATIONAL, LEGAL_FORMS, ORG_HEADS, PRONOUNS, TITLES

ACTOR_TYPES = ("PERSON", "ORG")
MAX_WORDS = 8  # a longer "name" is a tagger's run-on ("Clinton Email Story Has Moved ..."), no actor
MAX_FORM = 200  # characters: a longer surface form is not kept

# links: how an entity joined its actor
NAME, ALIAS, TIED, SURNAME, SINGLE, AMBIGUOUS, USER = "name", "alias", "tied", "surname", "single", "ambiguous", "user"
AUTO_SINGLE = (ALIAS, SURNAME, SINGLE, AMBIGUOUS, NAME)  # a one-word name's links, judged again as the corpus grows
# kinds of actor
FULL, PLACEHOLDER, MADE_BY_USER = "full", "single", "user"

_SPACE = re.compile(r"\s+")
_EDGE = "".join(sorted(set(marks.QUOTES + "()[]{}<>,;:!?*#|/\\" + marks.DASHES + marks.HYPHENS)))
_INITIAL = re.compile(r"(?:[^\W\d_]\.){1,3}|[^\W\d_]")
_DROP_IN_KEY = set(marks.QUOTES) | set(".,;:!?()[]{}<>\"*#|/\\@") | set(marks.DASHES)


def _fold(token: str) -> str:
    """A word as the key has it: accents off, case folded, periods, apostrophes and other marks gone
    ("O’Malley" → "omalley", "U.S." → "us"); "&" inside a word goes too ("PG&E" → "pge")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))
    plain = plain.casefold()
    if plain == "&":
        return "and"
    return "".join(c for c in plain if c not in _DROP_IN_KEY and c != "&").strip("-")


def _is_initial(token: str) -> bool:
    """"J.", "J", "H.W." (capital letters, each but a lone one with its period)."""
    return bool(_INITIAL.fullmatch(token)) and token[:1].isupper()


def _bare(token: str) -> str:
    return _fold(token).rstrip(".")


def _strip_possessive(text: str) -> str:
    """"Trump’s" → "Trump", "Jones’" → "Jones" (any apostrophe or single quotation mark)."""
    for mark in marks.SINGLE_QUOTES:
        if text.endswith(mark + "s") or text.endswith(mark + "S"):
            return text[:-2]
    if len(text) > 2 and text[-1] in marks.SINGLE_QUOTES and text[-2] in "sS":
        return text[:-1]
    return text


def display_form(name: str, type: str = "PERSON") -> str:
    """The name as an actor shows it: white space collapsed, surrounding marks, a possessive and (for
    a person) the titles before it taken off."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFKC", name)).strip().strip(_EDGE).strip()
    text = _strip_possessive(text).strip(_EDGE).strip()
    words = text.split(" ")
    while len(words) > 1 and words[0] in ARTICLES:  # "a Republican Party"; "The Hill" keeps its "The"
        words = words[1:]
    if type == "PERSON":
        while len(words) > 1 and _bare(words[0]) in TITLES and (words[1][:1].isupper() or _bare(words[1]) in TITLES):
            words = words[1:]
    return " ".join(w for w in words if w)


@dataclass(frozen=True)
class Name:
    """An entity's name read for matching (see the module's docstring)."""
    display: str
    type: str
    words: tuple[str, ...]  # of the display form
    tokens: tuple[str, ...]  # of the key
    initials: tuple[str, ...] = ()  # middle initials, folded, a letter each ("h", "w")

    @property
    def key(self) -> str:
        return " ".join(self.tokens)

    @property
    def full_key(self) -> str:
        """The key with the middle initials kept in place ("george h w bush")."""
        if not self.initials:
            return self.key
        return " ".join(self.tokens[:1] + self.initials + self.tokens[1:])

    @property
    def single(self) -> bool:
        """A name of one word ("Trump", "Hillary", "PG&E", "CNN")."""
        return len(self.words) == 1

    @property
    def actor(self) -> bool:
        """Whether it names someone a corpus actor can be: a person or an organization, written with a
        capital letter, not pronouns alone, not a run-on of the tagger."""
        return (self.type in ACTOR_TYPES and bool(self.tokens) and len(self.words) <= MAX_WORDS
                and any(c.isupper() for c in self.display)
                and not all(t in PRONOUNS for t in self.tokens)
                and any(c.isalpha() for c in self.key))

    @property
    def surname(self) -> Optional[str]:
        """A person's last name (of a key of two words or more, generational suffix aside)."""
        core = [t for t in self.tokens if t not in GENERATIONAL] if len(self.tokens) > 2 else list(self.tokens)
        return core[-1] if len(core) >= 2 else None

    def given(self) -> Optional[str]:
        return self.tokens[0] if len(self.tokens) >= 2 else None


def parse(name: str, type: str) -> Name:
    """`name` (an entity's canonical name, or a mention's text) of type `type` read for matching. A
    PERSON whose name ends with an organization's head word ("Obama White House") is read as an ORG."""
    display = display_form(name, type)
    words = tuple(display.split(" ")) if display else ()
    if type == "PERSON" and len(words) >= 2 and _bare(words[-1]) in ORG_HEADS:
        type = "ORG"
    kept = list(words)
    if len(kept) > 1 and _bare(kept[0]) in ARTICLES:  # "The New York Times" is "New York Times"
        kept = kept[1:]
    while len(kept) > 1 and _bare(kept[-1]) in LEGAL_FORMS | {"and"}:  # "Goldman Sachs & Co."
        kept = kept[:-1]
    initials: list[str] = []
    tokens: list[str] = []
    core_end = len(kept)
    while core_end > 2 and _bare(kept[core_end - 1]) in GENERATIONAL:
        core_end -= 1
    for i, word in enumerate(kept):
        folded = _fold(word)
        if not folded:
            continue
        if _is_initial(word):  # one letter a token: "H.W." and "H. W." read the same
            if 0 < i < core_end - 1 and not _is_initial(kept[0]):
                initials.extend(folded)
            else:
                tokens.extend(folded)
            continue
        tokens.append(folded)
    return Name(display=display, type=type, words=words, tokens=tuple(tokens), initials=tuple(initials))


def _acronym(word: str) -> Optional[str]:
    """The letters of an acronym ("PG&E" → "PGE", "U.S." → "US"), or None for other words."""
    letters = "".join(c for c in word if c.isalnum())
    if not 2 <= len(letters) <= 10 or any(c.islower() for c in word) or not letters.isalpha():
        return None
    if any(not (c.isalnum() or c in "&.-") for c in word):
        return None
    return letters.upper()


def is_acronym_of(short: Name, full: Name) -> bool:
    """Whether the one-word `short` is the acronym of the organization `full`'s words ("PG&E" of
    "Pacific Gas & Electric Co.", "NASA" of "National Aeronautics and Space Administration")."""
    if not short.single or len(full.words) < 2 or full.type != "ORG":
        return False
    letters = _acronym(short.words[0])
    if letters is None:
        return False
    words = [w for w in full.words if _fold(w)]
    if words and _bare(words[0]) in ARTICLES:
        words = words[1:]
    while len(words) > 1 and _bare(words[-1]) in LEGAL_FORMS:
        words = words[:-1]
    every = "".join(_fold(w)[:1] for w in words if w != "&").upper()
    without = "".join(_fold(w)[:1] for w in words if w != "&" and _bare(w) not in CONNECTORS).upper()
    return letters in (every, without)


def _reads_as_name(name: Name) -> bool:
    """A mention that is a name, not a description or a pronoun: capitalized words (and the small
    words inside names), not beginning with "a" or "an", not pronouns alone."""
    if not name.words or not name.tokens or len(name.words) > MAX_WORDS or len(name.display) > MAX_FORM:
        return False
    if all(t in PRONOUNS for t in name.tokens) or _bare(name.words[0]) in ("a", "an"):
        return False
    if name.words[0][:1].islower():
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or _bare(w) in CONNECTORS for w in name.words)


def _part_of(part: Name, whole: Name) -> bool:
    """`part` is a shorter name of the same person as `whole`: its first name or its surname
    ("Trump" of "Donald Trump", "Clinton" of "Hillary Rodham Clinton"), or the name without its
    middle names ("Hillary Clinton" of "Hillary Rodham Clinton"). Not a word from inside it, nor the
    name a tagger's run-on begins or ends with ("Marco Rubio" of a headline's "Marco Rubio Donor",
    "Barack Obama" of "Year Barack Obama"): the whole would be noise, and the part the real name."""
    mine, theirs = part.tokens, whole.tokens
    if not mine or len(mine) >= len(theirs) or not set(mine) < set(theirs):
        return False
    core = list(theirs)
    while len(core) > 2 and core[-1] in GENERATIONAL:
        core.pop()
    if len(mine) == 1:
        return mine[0] in (theirs[0], core[-1])
    return mine[0] == theirs[0] and mine[-1] in (core[-1], theirs[-1])


# ---------------------------------------------------------------- one article

@dataclass
class EntityIn:
    """One entity of an article, as the store has it: its id, canonical name, type and the texts
    of its mentions (names, descriptions, pronouns)."""
    ref: Hashable
    name: str
    type: str
    mentions: Sequence[str] = ()


@dataclass
class Form:
    """A surface form of an entity: how often it is the entity's name (`names`: 0 or 1 for one
    entity), how many of its mentions read so, and whether the article ties it (`tied`)."""
    text: str
    key: str
    names: int = 0
    mentions: int = 0
    tied: int = 0

    def as_list(self) -> list:
        return [self.text, self.key, self.names, self.mentions, self.tied]

    @classmethod
    def from_list(cls, row: Sequence) -> "Form":
        return cls(*row)


@dataclass
class Plan:
    """What an article says about one of its entities (see `plan_article`)."""
    ref: Hashable
    name: Name
    forms: list[Form] = field(default_factory=list)
    tie: Optional[Hashable] = None  # the entity of the same article it is a part of

    @property
    def key(self) -> str:
        return self.name.key

    @property
    def is_person(self) -> bool:
        return self.name.type == "PERSON"

    @property
    def mentions(self) -> int:
        return sum(f.mentions for f in self.forms)

    def tied_keys(self) -> list[str]:
        """Keys of the tied forms of two words or more ("hillary clinton" of "Hillary Rodham
        Clinton"): other names the article gives the same one."""
        return [f.key for f in self.forms if f.tied and len(f.key.split(" ")) >= 2 and f.key != self.key]


def plan_article(entities: Iterable[EntityIn]) -> list[Plan]:
    """The plan of each of an article's entities that names an actor, in the order given."""
    named = [(e, parse(e.name, e.type)) for e in entities]
    named = [(e, n) for e, n in named if n.actor]
    by_ref = {e.ref: n for e, n in named}

    def owners(part: Name, besides: set) -> set:
        """The entities of the article (but `besides`) that could own `part` as a name of theirs: a
        person whose full name holds its words, an organization whose acronym it is; each one as
        what the article ties it to in turn ("Hillary Clinton" as "Hillary Rodham Clinton")."""
        out = set()
        for e, n in named:
            if e.ref in besides or n.key == part.key:
                continue
            # a person's name: one word of it (the tagger may type a surname ORG), or a shorter
            # person's name; an organization's acronym
            person_part = n.type == "PERSON" and len(n.tokens) >= 2 and _part_of(part, n) and \
                (part.single or part.type == "PERSON")
            if person_part or is_acronym_of(part, n):
                out.add(ties.get(e.ref, e.ref))
        return out

    ties: dict = {}
    # longest names first: a name's owners are longer, and know what they are tied to already
    for e, n in sorted(named, key=lambda en: -len(en[1].words)):
        found = owners(n, {e.ref})
        if len(found) == 1:
            ties[e.ref] = found.pop()

    plans = []
    for e, n in named:
        tie = ties.get(e.ref)
        forms: dict[str, Form] = {n.display: Form(n.display, n.key, names=1, tied=1 if tie is not None else 0)}
        same = {r for r, t in ties.items() if t == e.ref} | {e.ref} | {r for r, m in by_ref.items() if m.key == n.key}
        for text, count in Counter(e.mentions).items():
            form = parse(text, e.type)
            if not _reads_as_name(form):
                continue
            f = forms.setdefault(form.display, Form(form.display, form.key))
            f.mentions += count
            # a person's surname or first name; an organization's acronym (its other parts, "Obama" of
            # "Obama White House", "Clinton" of "Clinton Foundation", name no one else)
            part = _part_of(form, n) if n.type == "PERSON" else is_acronym_of(form, n)
            if tie is None and not n.single and f.tied == 0 and part \
                    and not owners(form, same) - {e.ref}:
                f.tied = 1
        plans.append(Plan(e.ref, n, list(forms.values()), tie))
    return plans


# ---------------------------------------------------------------- choosing the actor

@dataclass(frozen=True)
class Candidate:
    """An actor the store found for a name: its id, canonical name, kind and key."""
    actor: int
    name: str
    kind: str = FULL
    key: str = ""


class Decision(NamedTuple):
    """Link to `actor` (None: to the one-word actor of the name's key, made if missing), how
    (`link`), and whether the name is ambiguous there. `create`: for a full name that nothing
    matches, the key of the new actor."""
    actor: Optional[int]
    link: str
    ambiguous: bool = False
    create: Optional[str] = None


def _ids(cands: Iterable[Candidate]) -> list[int]:
    return sorted({c.actor for c in cands})


def _shortest(cands: Sequence[Candidate]) -> list[Candidate]:
    """The candidates but those whose full name holds another's whole ("Year Barack Obama", a
    tagger's run-on, beside "Barack Obama"): one person's names, not two people."""
    words = {c.actor: set(c.key.replace("-", " ").split(" ")) for c in cands if c.key}
    return [c for c in cands if not any(other < words.get(c.actor, set())
                                        for a, other in words.items() if a != c.actor)]


def compatible(name: Name, cand: Candidate) -> bool:
    """Whether a candidate's canonical name can be the same one as `name`: middle initials, when both
    have some, are the same ("George W. Bush" is not "George H. W. Bush")."""
    theirs = parse(cand.name, name.type).initials
    return not (name.initials and theirs and theirs != name.initials)


def decide_single(is_person: bool, pinned: Sequence[Candidate], exact: Sequence[Candidate],
                  tied: Sequence[Candidate], people: Sequence[Candidate]) -> Decision:
    """A one-word name ("Trump", "Hillary", "PG&E"): `pinned`, actors a user's merge or split gave
    this key; `exact`, actors keyed so that are not one-word placeholders ("Apple Inc." for
    "Apple"); `tied`, full-name actors an article tied this word to (not the placeholders); `people`,
    the persons of the corpus with this surname. The first step with candidates decides: one is the
    actor, two or more leave the name ambiguous. The surname rule counts only for a person's name."""
    for cands, link in ((pinned, USER), (exact, NAME), (_shortest(tied), ALIAS)):
        ids = _ids(cands)
        if len(ids) == 1:
            return Decision(ids[0], link)
        if len(ids) > 1:
            return Decision(None, AMBIGUOUS, ambiguous=True)
    if is_person:
        ids = _ids(_shortest([c for c in people if c.kind != PLACEHOLDER]))
        if len(ids) == 1:
            return Decision(ids[0], SURNAME)
        if len(ids) > 1:
            return Decision(None, AMBIGUOUS, ambiguous=True)
    return Decision(None, SINGLE)


def decide_full(name: Name, pinned: Sequence[Candidate], exact: Sequence[Candidate],
                alias: Sequence[Candidate], article: Sequence[Candidate]) -> Decision:
    """A name of two words or more: `pinned` (a user's), `exact` (actors keyed `name.key` or
    `name.full_key`), `alias` (actors that bear this full name as a form), `article` (actors keyed
    as another full name this article ties to it: "Hillary Clinton" in an article's "Hillary Rodham
    Clinton"). Candidates whose middle initials differ are not the same person. Nothing found: a new
    actor, keyed `name.key`, or `name.full_key` when an actor of other initials holds the key."""
    ids = _ids(pinned)
    if len(ids) == 1:
        return Decision(ids[0], USER)
    fits = [c for c in exact if compatible(name, c)]
    if fits:
        same = [c for c in fits if c.kind != PLACEHOLDER] or fits
        ids = _ids(same)
        return Decision(ids[0], NAME)  # several: made by two processes at once; the first
    for cands, link in ((alias, ALIAS), (article, TIED)):
        ids = _ids(c for c in cands if compatible(name, c) and c.kind != PLACEHOLDER)
        if len(ids) == 1:
            return Decision(ids[0], link)
    taken = any(not compatible(name, c) for c in exact)
    return Decision(None, NAME, create=name.full_key if taken else name.key)


def _weight(text: str) -> int:
    """Words that make a name fuller: all but initials and the small connecting words."""
    return sum(1 for w in text.split(" ") if w and not _is_initial(w) and _bare(w) not in CONNECTORS)


def canonical(forms: Iterable[tuple[str, str, int, int]], key: str = "") -> Optional[str]:
    """An actor's name among its (form, form's key, names, mentions): the fullest of the forms of its
    own key ("Donald J. Trump" and "Donald Trump" for "donald trump"; all its forms if none is), that
    is the one with the most words, initials aside, then one not in capitals alone, then the one
    most often an entity's name, then the most mentioned. Forms of other keys that joined it ("Trump",
    a headline's "Glenn Beck Blasts Drudge" tied to "Glenn Beck") never name it while one of its own does."""
    forms = list(forms)
    own = [f for f in forms if f[1] == key] or forms
    best = None
    for text, _key, names, mentions in own:
        rank = (_weight(text), not text.isupper(), names, mentions, -len(text), text)
        if best is None or rank > best[0]:
            best = (rank, text)
    return best[1] if best else None
