"""One article in, one ledger out: the assembly of ingest, parse and extractors.

Data flows one way: article-v1 -> text (ingest) -> spaCy Doc (nlp) -> records (extract) -> Ledger.
A record that cannot be analyzed becomes an ErrorRecord in its place; a batch never stops.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Optional, Union

from . import nlp as nlp_loader
from .extract import attribution_tagger
from .extract.attributions import CLAIMS, SCHEMES, extract_attributions, tagger_in_use
from .extract.entities import extract_entities
from .extract.figures import extract_figures
from .extract.times import extract_times
from .ingest import InputError, Prepared, prepare
from .ledger import Article, Attribution, Entity, ErrorInfo, ErrorRecord, Figure, Ledger

Result = Union[Ledger, ErrorRecord]


def link_sources(attributions: list[Attribution], entities: list[Entity], text: str,
                 head_of: Optional[Callable[[int, int], tuple[int, int]]] = None) -> None:
    """Resolve each source span to an entity. With `head_of` (the character span of a span's head
    word), only a mention holding the source's head counts: "The French leader" is not the NORP
    "French", "Clinton's campaign manager Robby Mook" is Mook. Without it, the most overlapping
    mention wins. An unresolved source keeps its own text as its name."""
    by_mention: list[tuple[int, int, Entity]] = sorted(
        ((s, e, ent) for ent in entities for s, e in ent.mentions), key=lambda m: (m[0], m[1]))
    for att in attributions:
        src = att.source
        if src.span is None:
            continue
        s0, e0 = src.span
        head = head_of(s0, e0) if head_of is not None else None
        best, best_key = None, None
        for s, e, ent in by_mention:
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
        if best is not None:
            src.entity, src.name = best.id, best.name
        elif src.name is None:
            src.name = " ".join(text[s0:e0].split())


def link_figures(figures: list[Figure], attributions: list[Attribution]) -> None:
    """A figure stands in the attribution whose content holds it: "over 5,700 Palestinians dead,
    according to local officials" reaches the 5,700. The tightest such content wins."""
    for fig in figures:
        s0, e0 = fig.span
        best, best_len = None, None
        for i, att in enumerate(attributions):
            for s, e in att.content:
                if s <= s0 and e0 <= e and (best_len is None or e - s < best_len):
                    best, best_len = i, e - s
        fig.attribution = best


def _head_finder(doc) -> Callable[[int, int], tuple[int, int]]:
    def head_of(start: int, end: int) -> tuple[int, int]:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return (start, end)
        root = span.root
        return (root.idx, root.idx + len(root))
    return head_of


def ledger_from_doc(doc, article: Article, text: str, warnings: Optional[list[str]] = None,
                    readings: Optional[attribution_tagger.Readings] = None, scheme: str = CLAIMS) -> Ledger:
    """`readings`: the attribution tagger's, of `text`, when taken beside the parse; `scheme`: what
    counts as an attribution (extract.attributions.SCHEMES)."""
    entities = extract_entities(doc)
    attributions = extract_attributions(doc, readings, scheme)
    link_sources(attributions, entities, text, _head_finder(doc))
    dates = extract_times(doc, article.published)
    figures = extract_figures(doc, dates)
    link_figures(figures, attributions)
    return _ledger(article, text, article.language or "en", warnings or [],
                   entities=entities, attributions=attributions, figures=figures, dates=dates)


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
                     batch_size: int = 8, scheme: str = CLAIMS) -> Iterator[Result]:
    """Ledgers in input order. Input errors pass through; each article's failure stays its own.
    An item already prepared (`ingest.prepare`, e.g. by a batch run that compared its text with
    the store first) is not prepared again. `scheme`: what counts as an attribution, "claims" (the
    annotation guideline's, the default) or "polnear" (PolNeAR's broader scheme)."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown attribution scheme {scheme!r}: one of {', '.join(SCHEMES)}")
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
                yield ledger_from_doc(doc, prepared.article, prepared.text, prepared.warnings, readings, scheme)
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
            scheme: str = CLAIMS, **metadata) -> Ledger:
    """Python API: the ledger of one text. Raises InputError on input that cannot be analyzed."""
    article = Article(id=id, text=text, published=published, **metadata)
    (result,) = list(analyze_articles([article], nlp=nlp, scheme=scheme))
    if isinstance(result, ErrorRecord):
        raise InputError(result.error.message, kind=result.error.type)
    return result
