"""The HTTP API (and, through `pages.add_pages`, the web pages): analyze a text, HTML page or URL; read stored articles, ledgers, quotes, figures and
speakers, with filters and pagination; search. A thin layer over `store.queries`, `export.ledgers`
and `pipeline`: each endpoint parses its parameters, calls one core function, returns its JSON.

Limits: request bodies over `max_body` bytes are refused (413) before they are read whole; at most
`analyze_workers` analyses run at once (default: one a core) and the others wait their turn, up to
`analyze_queue` of them, past which an analysis request answers 503 (Busy) at once; an analysis
taking over `analyze_seconds`, its wait not counted, answers 503 (Timeout). Errors are JSON:
{"error": {"type", "message"}}.
Write endpoints (`POST /api/analyze`) ask for `Authorization: Bearer <token>` when the app is given
a token, which `newsledger serve` does whenever it listens beyond localhost.
"""
from __future__ import annotations

import hmac
from contextlib import asynccontextmanager
from datetime import date
from typing import Literal, Optional

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..extract import attribution_tagger
from ..ledger import Article
from ..store import open_store
from ..store import queries
from . import pages
from .turns import Busy, TooSlow, Turns

MAX_BODY = 2_000_000  # bytes: an article, its page and some room
ANALYZE_SECONDS = 60.0  # one analysis, from the moment it runs
ANALYZE_QUEUE = 100  # analyses waiting for a worker (each holds its body, at most max_body bytes)


class ApiError(Exception):
    def __init__(self, status: int, kind: str, message: str):
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message


def _error(status: int, kind: str, message: str, request: Optional[Request] = None):
    """The error as JSON, or as an HTML page when `request` asked for one of the pages."""
    if request is not None and pages.is_page(request.url.path):
        return pages.error_page(status, message)
    from ..ingest.textcheck import replace_surrogates  # a message may quote a poison field or key

    return JSONResponse({"error": {"type": kind, "message": replace_surrogates(message)}}, status_code=status)


def _paged(items: list, limit: int, offset: int) -> dict:
    return {"items": items, "limit": limit, "offset": offset}


class AnalyzeRequest(Article):
    """article-v1 (one of text, html or url), and nothing else."""
    model_config = ConfigDict(extra="forbid")
    id: str = "article"
    url: Optional[str] = Field(None, description="fetched through the guarded fetcher when neither text nor html is given")


def create_app(store_url: str, *, token: Optional[str] = None, max_body: int = MAX_BODY,
               analyze_seconds: float = ANALYZE_SECONDS, analyze_workers: Optional[int] = None,
               analyze_queue: int = ANALYZE_QUEUE, allow_private_urls: bool = False, nlp=None) -> FastAPI:
    """The app over the store at `store_url`; `token` guards the write endpoints."""
    store = open_store(store_url)
    turns = Turns(analyze_workers, analyze_queue, analyze_seconds)  # the API's and the form's analyses
    if turns.workers > 1:
        attribution_tagger.use_threads(1)  # analyses run side by side, one per core

    @asynccontextmanager
    async def lifespan(_app):
        yield
        store.close()

    # no /docs or /redoc: FastAPI serves their scripts from a CDN, and nothing here loads from one
    app = FastAPI(title="newsledger", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Who said what, which figures and when, in news articles.")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = (
            pages.PAGE_CSP if pages.is_page(request.url.path) else "default-src 'none'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.middleware("http")
    async def bound_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body):
            return _error(413, "TooLarge", f"request bodies are limited to {max_body:,} bytes", request)
        if request.method in ("POST", "PUT", "PATCH") and length is None:
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > max_body:
                    return _error(413, "TooLarge", f"request bodies are limited to {max_body:,} bytes", request)
            request._body = body  # read once, bounded; the endpoint gets it from here
        return await call_next(request)

    @app.exception_handler(ApiError)
    async def api_error(request, exc: ApiError):
        return _error(exc.status, exc.kind, exc.message, request)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "body")
        return _error(422, "InvalidRequest", f"{where}: {first.get('msg', 'invalid')}".strip(": "), request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request, exc: StarletteHTTPException):
        return _error(exc.status_code, "NotFound" if exc.status_code == 404 else "HTTPError", str(exc.detail), request)

    @app.exception_handler(Exception)
    async def unexpected(request, exc: Exception):  # never a traceback to the client
        return _error(500, type(exc).__name__, "internal error", request)

    def writer(authorization: Optional[str] = Header(None)) -> None:
        if token is None:
            return
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(401, "Unauthorized", "this endpoint needs 'Authorization: Bearer <token>'")

    page = {"limit": Query(50, ge=1, le=1000), "offset": Query(0, ge=0, le=10_000_000)}

    @app.get("/api/articles", summary="Stored articles, newest first; `text` searches titles and texts")
    def list_articles(text: Optional[str] = Query(None, max_length=500), outlet: Optional[str] = None,
                      since: Optional[date] = None, until: Optional[date] = None,
                      limit: int = page["limit"], offset: int = page["offset"]):
        return _paged(queries.articles(store, text=text, outlet=outlet, since=since, until=until,
                                       limit=limit, offset=offset), limit, offset)

    @app.get("/api/articles/{key}", summary="One stored article's ledger (ledger-v1), by content hash")
    def get_ledger(key: str):
        from ..export.ledgers import ledger_from_store

        with store.session() as s:
            led = ledger_from_store(s, key)
        if led is None:
            raise ApiError(404, "NotFound", "no stored article has this key")
        return led.to_json_dict()

    @app.get("/api/quotes", summary="Attributions: by speaker, entity mentioned, words of the content")
    def list_quotes(speaker: Optional[str] = Query(None, max_length=200), mentioning: Optional[str] = Query(None, max_length=200),
                    text: Optional[str] = Query(None, max_length=500),
                    kind: Optional[Literal["direct", "mixed", "indirect", "according_to"]] = None,
                    outlet: Optional[str] = None, since: Optional[date] = None, until: Optional[date] = None,
                    limit: int = page["limit"], offset: int = page["offset"]):
        return _paged(queries.quotes(store, speaker=speaker, mentioning=mentioning, text=text, kind=kind,
                                     outlet=outlet, since=since, until=until, limit=limit, offset=offset), limit, offset)

    @app.get("/api/figures", summary="Figures over time with the claim each stands in")
    def list_figures(quantity: Optional[str] = Query(None, max_length=200), unit: Optional[str] = None,
                     source: Optional[str] = Query(None, max_length=200), sourced: Optional[bool] = None,
                     outlet: Optional[str] = None, since: Optional[date] = None, until: Optional[date] = None,
                     limit: int = page["limit"], offset: int = page["offset"]):
        return _paged(queries.figures(store, quantity=quantity, unit=unit, source=source, sourced=sourced,
                                      outlet=outlet, since=since, until=until, limit=limit, offset=offset), limit, offset)

    @app.get("/api/speakers", summary="Speakers' profiles, most quoted first")
    def list_speakers(name: Optional[str] = Query(None, max_length=200), since: Optional[date] = None,
                      until: Optional[date] = None, limit: int = Query(20, ge=1, le=1000),
                      offset: int = page["offset"]):
        return _paged(queries.speakers(store, name=name, since=since, until=until, limit=limit, offset=offset),
                      limit, offset)

    @app.get("/api/entities", summary="Entities (each one article's) by part of their name and type, newest first")
    def list_entities(name: Optional[str] = Query(None, max_length=200),
                      type: Optional[str] = Query(None, max_length=16, description="PERSON, ORG, GPE, ..."),
                      limit: int = page["limit"], offset: int = page["offset"]):
        return _paged(queries.entities(store, name=name, type=type, limit=limit, offset=offset), limit, offset)

    @app.get("/api/entities/{entity_id}", summary="One stored entity with its article and mentions")
    def get_entity(entity_id: int = Path(ge=1, le=2**62)):
        found = queries.entity(store, entity_id)
        if found is None:
            raise ApiError(404, "NotFound", "no stored entity has this id")
        return found

    @app.get("/api/search", summary="Full-text search over quotes and articles")
    def search(q: str = Query(min_length=1, max_length=500), limit: int = Query(20, ge=1, le=200)):
        return queries.search(store, q, limit=limit)

    @app.post("/api/analyze", dependencies=[Depends(writer)],
              summary="The ledger of one article (text, HTML page or URL); nothing is stored")
    async def analyze(req: AnalyzeRequest):
        from ..ingest import read_inputs
        from ..ingest.readers import is_url
        from ..ledger import ErrorRecord
        from ..ingest.textcheck import replace_surrogates
        from ..pipeline import analyze_articles

        # lone surrogates ("\udfff" in the JSON) become U+FFFD, as in JSON Lines (ingest.readers)
        req = req.model_copy(update={k: replace_surrogates(v) for k, v in req.model_dump().items() if isinstance(v, str)})
        if req.text is None and req.html is None:
            if not req.url:
                raise ApiError(422, "MissingText", "give text, html or url")
            if not is_url(req.url):  # never a local path: read_inputs would open it
                raise ApiError(422, "FetchRefused", "url must be an http or https URL")
            items = await run_in_threadpool(lambda: list(read_inputs(req.url, allow_private=allow_private_urls)))
            if len(items) != 1:
                raise ApiError(422, "NotAnArticle", f"{req.url} is a feed of {len(items)} entries, not one article")
            item = items[0]
        else:
            item = Article(**req.model_dump())  # the plain record: its own config, not the request's
        if isinstance(item, ErrorRecord):
            raise ApiError(422, item.error.type, item.error.message)

        try:
            result = await turns.run(lambda: next(iter(analyze_articles([item], nlp=nlp))))
        except Busy as exc:
            raise ApiError(503, "Busy", str(exc)) from None
        except TooSlow as exc:
            raise ApiError(503, "Timeout", str(exc)) from None
        if isinstance(result, ErrorRecord):
            raise ApiError(422, result.error.type, result.error.message)
        return result.to_json_dict()

    pages.add_pages(app, store, turns, token=token, nlp=nlp, max_body=max_body)
    return app
