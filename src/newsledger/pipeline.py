"""One article in, one ledger out: the assembly of ingest, parse and extractors.

Data flows one way: article-v1 -> text (ingest) -> spaCy Doc (nlp) -> records (extract) -> Ledger.
A record that cannot be analyzed becomes an ErrorRecord in its place; a batch never stops.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Optional, Union

from . import nlp as nlp_loader
from .extract.attributions import extract_attributions
from .extract.entities import extract_entities
from .ingest import InputError, prepare
from .ledger import Article, Attribution, Entity, ErrorInfo, ErrorRecord, Ledger

Result = Union[Ledger, ErrorRecord]


def link_sources(attributions: list[Attribution], entities: list[Entity], text: str) -> None:
    """Resolve each source span to the entity one of whose mentions it holds (or overlaps most)."""
    by_mention: list[tuple[int, int, Entity]] = sorted(
        ((s, e, ent) for ent in entities for s, e in ent.mentions), key=lambda m: (m[0], m[1]))
    for att in attributions:
        src = att.source
        if src.span is None:
            continue
        s0, e0 = src.span
        best, best_overlap = None, 0
        for s, e, ent in by_mention:
            if s >= e0:
                break
            overlap = min(e, e0) - max(s, s0)
            # A mention inside the source span ("Sen. Heidi Heitkamp (D-N.D.)") or the span itself.
            if overlap > best_overlap:
                best, best_overlap = ent, overlap
        if best is not None:
            src.entity, src.name = best.id, best.name
        elif src.name is None:
            src.name = " ".join(text[s0:e0].split())


def ledger_from_doc(doc, article: Article, text: str, warnings: Optional[list[str]] = None) -> Ledger:
    entities = extract_entities(doc)
    attributions = extract_attributions(doc)
    link_sources(attributions, entities, text)
    return Ledger(
        id=article.id, title=article.title, url=article.url, outlet=article.outlet,
        author=article.author, published=article.published, language=article.language or "en",
        text=text, entities=entities, attributions=attributions, warnings=warnings or [])


def error_record(article_id: Optional[str], exc: BaseException) -> ErrorRecord:
    kind = exc.kind if isinstance(exc, InputError) else type(exc).__name__
    return ErrorRecord(id=article_id, error=ErrorInfo(type=kind, message=str(exc) or kind))


def analyze_articles(items: Iterable[Union[Article, ErrorRecord]], nlp=None,
                     batch_size: int = 8) -> Iterator[Result]:
    """Ledgers in input order. Input errors pass through; each article's failure stays its own."""
    nlp = nlp or nlp_loader.load()
    pending: list[tuple[Article, object]] = []  # (article, prepared) waiting for the parser

    def flush():
        texts = [p.text for _, p in pending]
        try:
            docs = list(nlp.pipe(texts, batch_size=batch_size))
        except Exception:  # one bad text must not take its batch with it: parse one by one
            docs = None
        for i, (article, prepared) in enumerate(pending):
            try:
                doc = docs[i] if docs is not None else nlp(prepared.text)
                yield ledger_from_doc(doc, prepared.article, prepared.text, prepared.warnings)
            except Exception as exc:  # noqa: BLE001 - recorded, never raised
                yield error_record(article.id, exc)
        pending.clear()

    for item in items:
        if isinstance(item, ErrorRecord):
            yield from flush()
            yield item
            continue
        try:
            prepared = prepare(item)
        except Exception as exc:  # noqa: BLE001
            yield from flush()
            yield error_record(item.id, exc)
            continue
        if prepared.skip_reason:  # e.g. not English: an empty ledger that says why
            yield from flush()
            yield Ledger(id=item.id, title=prepared.article.title, url=item.url, outlet=item.outlet,
                         author=prepared.article.author, published=prepared.article.published,
                         language=prepared.article.language, text=prepared.text,
                         warnings=prepared.warnings + [prepared.skip_reason])
            continue
        pending.append((item, prepared))
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()


def analyze(text: str, published: Optional[str] = None, *, id: str = "article", nlp=None,
            **metadata) -> Ledger:
    """Python API: the ledger of one text. Raises InputError on input that cannot be analyzed."""
    article = Article(id=id, text=text, published=published, **metadata)
    (result,) = list(analyze_articles([article], nlp=nlp))
    if isinstance(result, ErrorRecord):
        raise InputError(result.error.message, kind=result.error.type)
    return result
