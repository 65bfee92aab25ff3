"""One article in, one ledger out: the assembly of ingest, parse and extractors.

Data flows one way: article-v1 -> text (ingest) -> spaCy Doc (nlp) -> records (extract) -> Ledger.
A record that cannot be analyzed becomes an ErrorRecord in its place; a batch never stops.
"""
from __future__ import annotations

import heapq
import re
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional, Union

from . import nlp as nlp_loader
from .components import LONG_RUNS_KEY, MAX_SENTENCE_TOKENS
from .extract import attribution_tagger
from .extract.attributions import CLAIMS, SCHEMES, tagger_in_use
from .extract.spans import ByStart
from .extractors import BY_NAME, AttributionSettings, run_extractors
from .ingest import InputError, Prepared, prepare
from .text import marks, names
from .ledger import Article, Attribution, Entity, ErrorInfo, ErrorRecord, Figure, Ledger

Result = Union[Ledger, ErrorRecord]


# Sources that name nobody by themselves (text/names.py: personal, possessive, reflexive, relative,
# demonstrative and indefinite pronouns). Such a source is a speaker only once an entity
# (coreference) or, for a relative pronoun, its antecedent noun phrase says who it is.
PRONOUNS = names.PRONOUNS
RELATIVE_PRONOUNS = frozenset({"who", "whom", "whose", "which", "that"})
_PRONOUN_GLUE = frozenset({"of", "and", "or", "no"})  # "some of them", "you and I", "no one"


def is_bare_pronoun(words: str) -> bool:
    """Whether a source's text is a pronoun and nothing else ("I", "they", "who", "some of them")."""
    found = re.findall(r"[^\W\d_]+(?:[" + re.escape(marks.APOSTROPHES) + r"][^\W\d_]+)?", words.lower())
    return bool(found) and all(w in PRONOUNS or w in _PRONOUN_GLUE for w in found) and \
        any(w in PRONOUNS for w in found)


def _mention_at(by_mention: ByStart, s0: int, e0: int,
                head: Optional[tuple[int, int]]) -> Optional[Entity]:
    """The entity of the mention holding `head` (the tightest), else of the most overlapping one.
    `by_mention`: (start, end, entity) of every mention, by start."""
    best, best_key = None, None
    for s, e, ent in by_mention.from_reaching(s0):  # those skipped all end by s0: none overlaps
        if s >= e0:
            break
        overlap = min(e, e0) - max(s, s0)
        if overlap <= 0:
            continue
        if head is not None:
            if not (s <= head[0] and head[1] <= e):
                continue
            key = -(e - s)  # the tightest mention around the head
        else:
            key = overlap
        if best_key is None or key > best_key:
            best, best_key = ent, key
    return best


_TITLE_GAP = re.compile(r"(?:\s+[^\W\d_][\w." + re.escape(marks.APOSTROPHES) + r"&-]*){0,5}\s+")
# lower-case words of a title before a name ("former campaign spokesman", "chief executive")
_TITLE_WORDS = frozenset("""
former acting interim deputy assistant associate senior managing chief executive general vice co of the
president chairman chairwoman chair director editor manager minister secretary senator governor mayor
leader spokesman spokeswoman spokesperson adviser advisor aide founder lawyer attorney counsel analyst
professor economist commissioner official officer strategist pollster head campaign press state
""".split())
_NP_END = re.compile(r"\s*(?:$|[,.;:)])")


def _is_title(words: str) -> bool:
    return all(w[:1].isupper() or "-" in w or w.lower() in _TITLE_WORDS for w in words.split())


def _named_after(by_mention: ByStart, text: str, start: int, end: int,
                 cue: Optional[tuple[int, int]]) -> Optional[Entity]:
    """The person a source span [start, end) is the start of a title for: a PERSON mention after
    `end` with only title words between ("editor-in-chief", "President"), followed by the cue
    ("... Kristinn Hrafnsson said"), or after a cue before the span, by the end of the noun phrase
    ("said CPUC President Marybel Batjer.")."""
    if cue is None:
        return None
    for s, e, ent in by_mention.from_start(end):  # the first mention at or after the span decides
        if ent.type != "PERSON" or not text[s:e][:1].isupper() or is_bare_pronoun(text[s:e]) \
                or _TITLE_GAP.fullmatch(text, end, s) is None or not _is_title(text[end:s]):
            return None
        if cue[0] >= e and not text[e:cue[0]].strip():
            return ent
        if cue[1] <= start and not text[cue[1]:start].strip() and _NP_END.match(text, e):
            return ent
        return None
    return None


def link_sources(attributions: list[Attribution], entities: list[Entity], text: str,
                 head_of: Optional[Callable[[int, int], tuple[int, int]]] = None,
                 antecedent_of: Optional[Callable[[int, int], Optional[tuple]]] = None) -> None:
    """Resolve each source span to an entity. With `head_of` (the character span of a span's head
    word), only a mention holding the source's head counts: "The French leader" is not the NORP
    "French", "Clinton's campaign manager Robby Mook" is Mook. Without it, the most overlapping
    mention wins. A span that stops short of the person its noun phrase names ("Wikileaks" of
    "Wikileaks editor-in-chief Kristinn Hrafnsson said") is that person. An unresolved source
    keeps its own text as its name.

    A relative pronoun that no entity holds takes its antecedent (`antecedent_of`: the character
    spans of the noun phrase a relative clause hangs on and of its head noun, e.g. "state
    officials" / "officials" for the "who" of "state officials who accused"): that noun's entity
    when it is a mention of one, else the noun phrase as the name. `resolved` is set on every
    source with a span: false for a bare pronoun ("I", "they", "who") left as it is."""
    by_mention = ByStart(sorted(((s, e, ent) for ent in entities for s, e in ent.mentions),
                                key=lambda m: (m[0], m[1])))
    for att in attributions:
        src = att.source
        if src.span is None:
            continue
        s0, e0 = src.span
        own = " ".join(text[s0:e0].split())
        best = _mention_at(by_mention, s0, e0, head_of(s0, e0) if head_of is not None else None)
        if best is None or best.type != "PERSON":
            best = _named_after(by_mention, text, s0, e0, att.cue.span if att.cue else None) or best
        if best is not None:
            src.entity, src.name, src.resolved = best.id, best.name, True
            continue
        if not is_bare_pronoun(own):
            if src.name is None:
                src.name = own
            src.resolved = True
            continue
        ante = antecedent_of(s0, e0) if antecedent_of is not None and own.lower() in RELATIVE_PRONOUNS else None
        if ante is not None:
            (ns, ne), ante_head = ante[0], ante[1]
            ent = _mention_at(by_mention, ns, ne, ante_head) if ante_head is not None else None
            phrase = " ".join(text[ns:ne].split()).strip(" ,;:—–-")
            if ent is not None:
                src.entity, src.name, src.resolved = ent.id, ent.name, True
                continue
            if phrase and not is_bare_pronoun(phrase):
                src.name, src.resolved = phrase, True
                continue
        if src.name is None:
            src.name = own
        src.resolved = False


def link_figures(figures: list[Figure], attributions: list[Attribution]) -> None:
    """A figure stands in the attribution whose content holds it: "over 5,700 Palestinians dead,
    according to local officials" reaches the 5,700. The tightest such content wins (of equals,
    the first attribution's).

    One sweep over the text, not a scan of every content for every figure: the contents that have
    begun by a figure's start and not yet ended are the only ones that can hold it."""
    pieces = sorted((s, e, i) for i, att in enumerate(attributions) for s, e in att.content)
    open_pieces: list[tuple[int, int, int]] = []  # heap of (end, start, attribution) begun so far
    k = 0
    for fig in sorted(figures, key=lambda f: f.span[0]):
        s0, e0 = fig.span
        while k < len(pieces) and pieces[k][0] <= s0:
            heapq.heappush(open_pieces, (pieces[k][1], pieces[k][0], pieces[k][2]))
            k += 1
        while open_pieces and open_pieces[0][0] < s0:  # ended: holds no figure from here on
            heapq.heappop(open_pieces)
        held = [(e - s, i) for e, s, i in open_pieces if e0 <= e]
        fig.attribution = min(held)[1] if held else None


def _head_finder(doc) -> Callable[[int, int], tuple[int, int]]:
    """The head word of a span: of the words whose head lies outside it, the one that governs most
    of it. (spaCy's `Span.root` takes the first word nearest the sentence's root, which in a
    span that is no subtree, "Wikileaks editor-in-chief Kristinn Hrafnsson" parsed with
    "Wikileaks" hanging on the verb, is "Wikileaks", not Hrafnsson.)"""
    def head_of(start: int, end: int) -> tuple[int, int]:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return (start, end)
        lo, hi = span.start, span.end
        tops = [t for t in span if t.head.i == t.i or not (lo <= t.head.i < hi)]
        if len(tops) > 1:
            root = max(tops, key=lambda t: (sum(1 for x in t.subtree if lo <= x.i < hi), t.i))
        else:
            root = tops[0] if tops else span.root
        return (root.idx, root.idx + len(root))
    return head_of


NP_PREMODIFIERS = frozenset({"det", "predet", "poss", "case", "compound", "amod", "nummod", "quantmod", "nmod",
                             "advmod"})


def _premodified(noun):
    """The first word of the noun phrase up to `noun`: its nearest run of pre-modifiers (with their
    own words), stopping at a verb ("angered" in a misparse of "The ruling angered state
    officials") or anything else that is no part of a noun phrase."""
    first = noun
    for child in reversed(list(noun.lefts)):
        if child.dep_ not in NP_PREMODIFIERS or child.pos_ in ("VERB", "AUX", "PUNCT") \
                or child.right_edge.i != first.i - 1:
            break
        first = child.left_edge
    return first


# Places named by a common noun: "young people in the state who ...": "who" is never one of them.
PLACE_NOUNS = frozenset("state country city town region area county district province nation world".split())


def _antecedent_finder(doc) -> Callable[[int, int], Optional[tuple]]:
    """For a relative pronoun's span: ((start, end) of the noun phrase its relative clause hangs
    on, up to the noun, (start, end) of that noun); None for any other span. "Kaine is a former
    lawyer who ..." hangs on "a former lawyer", whose subject (Kaine) is given as the noun; a
    coordination ("Latino and black voters, who") is given whole, with no noun (None)."""
    def antecedent_of(start: int, end: int) -> Optional[tuple]:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) != 1:
            return None
        tok = span[0]
        clause = tok.head
        for _ in range(3):  # "who" is the clause verb's subject, or sits a step or two below it
            if clause.dep_ == "relcl" or clause.head.i == clause.i:
                break
            clause = clause.head
        if clause.dep_ != "relcl":
            return None
        noun = clause.head
        if tok.lower_ in ("who", "whom") and (noun.ent_type_ in ("GPE", "LOC", "FAC", "DATE") or
                                              noun.lemma_.lower() in PLACE_NOUNS) and \
                noun.dep_ == "pobj" and noun.head.i > 0 and doc[noun.head.i - 1].pos_ in ("NOUN", "PROPN"):
            # "the number of teenagers in the county who ...": "who" is the people before the place
            # (wherever the parser hangs "in the county")
            noun = doc[noun.head.i - 1]
        if noun.pos_ not in ("NOUN", "PROPN", "PRON", "NUM"):
            return None
        phrase = (_premodified(noun).idx, noun.idx + len(noun))
        head = (noun.idx, noun.idx + len(noun))
        last = noun
        while True:  # "Latino and black voters, who": the relative clause hangs on them all
            nxt = next((ch for ch in last.rights if ch.dep_ == "conj" and ch.pos_ in ("NOUN", "PROPN")), None)
            if nxt is None:
                break
            last = nxt
        if last is not noun:  # a group: named by the coordination, no one entity's
            return (phrase[0], last.idx + len(last)), None
        if noun.dep_ == "attr" and noun.pos_ == "NOUN":  # "X is a former lawyer who": X
            subj = next((ch for ch in noun.head.children if ch.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.pos_ == "PROPN":
                head = (subj.idx, subj.idx + len(subj))
                phrase = (_premodified(subj).idx, subj.idx + len(subj))
        return phrase, head
    return antecedent_of


def extractor_settings(scheme: str = CLAIMS, settings: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
    """{extractor name: settings object} for extractors.run_extractors: `settings` where given, the
    attributions' with `scheme` unless `settings` holds theirs. Raises ValueError for a name that
    is no extractor's, settings of the wrong class, or a scheme that `settings` contradicts."""
    chosen = dict(settings or {})
    unknown = sorted(set(chosen) - set(BY_NAME))
    if unknown:
        raise ValueError(f"no extractor named {', '.join(unknown)}: one of {', '.join(BY_NAME)}")
    for name, value in chosen.items():
        if not isinstance(value, BY_NAME[name].settings):
            raise ValueError(f"the {name} extractor's settings are a {BY_NAME[name].settings.__name__}, "
                             f"not {value!r}")
    given = chosen.get("attributions")
    if given is None:
        chosen["attributions"] = AttributionSettings(scheme=scheme)
    elif scheme != CLAIMS and given.scheme != scheme:
        raise ValueError(f"scheme {scheme!r} and the attribution settings' {given.scheme!r} disagree")
    return chosen


def ledger_from_doc(doc, article: Article, text: str, warnings: Optional[list[str]] = None,
                    readings: Optional[attribution_tagger.Readings] = None, scheme: str = CLAIMS,
                    settings: Optional[Mapping[str, Any]] = None) -> Ledger:
    """`readings`: the attribution tagger's, of `text`, when taken beside the parse; `scheme`: what
    counts as an attribution (extract.attributions.SCHEMES); `settings`: {extractor name: settings
    object} where not the defaults (extractor_settings)."""
    warnings = list(warnings or [])
    cuts = doc.user_data.get(LONG_RUNS_KEY)
    if cuts:
        warnings.append(f"{cuts} cut(s) in runs of more than {MAX_SENTENCE_TOKENS} tokens with no line break or "
                        "sentence-ending punctuation: read as sentences of at most that many tokens")
    records = run_extractors(doc, {"published": article.published, "readings": readings},
                             extractor_settings(scheme, settings))
    return _ledger(article, text, article.language or "en", warnings, **records)


def _ledger(article: Article, text: str, language: Optional[str], warnings: list[str], **records) -> Ledger:
    """A ledger carrying the article's metadata (as completed by ingest, e.g. from HTML)."""
    return Ledger(id=article.id, title=article.title, url=article.url, outlet=article.outlet,
                  author=article.author, published=article.published, language=language,
                  text=text, warnings=warnings, **records)


def error_record(article_id: Optional[str], exc: BaseException) -> ErrorRecord:
    kind = exc.kind if isinstance(exc, InputError) else type(exc).__name__
    return ErrorRecord(id=article_id, error=ErrorInfo(type=kind, message=str(exc) or kind))


def _read_ahead(texts: list[str]) -> list:
    """The attribution tagger's readings of the texts, started beside their parse where this process
    can (attribution_tagger.read_ahead); None for each text read after the parse instead."""
    try:
        tagger = tagger_in_use()
    except Exception:  # noqa: BLE001 - a broken tagger file: each article's extraction meets it
        tagger = None
    return attribution_tagger.read_ahead(tagger, texts) if tagger is not None else [None] * len(texts)


def analyze_articles(items: Iterable[Union[Article, Prepared, ErrorRecord]], nlp=None,
                     batch_size: int = 8, scheme: str = CLAIMS,
                     settings: Optional[Mapping[str, Any]] = None) -> Iterator[Result]:
    """Ledgers in input order. Input errors pass through; each article's failure stays its own.
    An item already prepared (`ingest.prepare`, e.g. by a batch run that compared its text with
    the store first) is not prepared again. `scheme`: what counts as an attribution, "claims" (the
    annotation guideline's, the default) or "polnear" (PolNeAR's broader scheme). `settings`:
    {extractor name: settings object of extractors.py} where not the defaults, e.g.
    {"dates": DateSettings(resolve_relative=False)}."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown attribution scheme {scheme!r}: one of {', '.join(SCHEMES)}")
    settings = extractor_settings(scheme, settings)  # a mistake is raised here, not in every article
    nlp = nlp or nlp_loader.load()
    pending: list[Prepared] = []  # waiting for the parser

    def flush():
        texts = [p.text for p in pending]
        reading = _read_ahead(texts)
        try:
            docs = list(nlp.pipe(texts, batch_size=batch_size))
        except Exception:  # one bad text must not take its batch with it: parse one by one
            docs = None
        for i, prepared in enumerate(pending):
            try:
                doc = docs[i] if docs is not None else nlp(prepared.text)
                readings = reading[i].result() if reading[i] is not None else None
                yield ledger_from_doc(doc, prepared.article, prepared.text, prepared.warnings, readings, scheme,
                                      settings)
            except Exception as exc:  # noqa: BLE001 - recorded, never raised
                yield error_record(prepared.article.id, exc)
        pending.clear()

    for item in items:
        if isinstance(item, ErrorRecord):
            yield from flush()
            yield item
            continue
        try:
            prepared = item if isinstance(item, Prepared) else prepare(item)
        except Exception as exc:  # noqa: BLE001
            yield from flush()
            yield error_record(item.id, exc)
            continue
        if prepared.skip_reason:  # e.g. not English: an empty ledger that says why
            yield from flush()
            yield _ledger(prepared.article, prepared.text, prepared.article.language,
                          prepared.warnings + [prepared.skip_reason])
            continue
        pending.append(prepared)
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()


def analyze(text: str, published: Optional[str] = None, *, id: str = "article", nlp=None,
            scheme: str = CLAIMS, settings: Optional[Mapping[str, Any]] = None, **metadata) -> Ledger:
    """Python API: the ledger of one text. Raises InputError on input that cannot be analyzed.
    `settings`: {extractor name: settings object} where not the defaults (analyze_articles)."""
    article = Article(id=id, text=text, published=published, **metadata)
    (result,) = list(analyze_articles([article], nlp=nlp, scheme=scheme, settings=settings))
    if isinstance(result, ErrorRecord):
        raise InputError(result.error.message, kind=result.error.type)
    return result
