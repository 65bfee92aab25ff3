"""The HTTP API (and, through `pages.add_pages`, the web pages): analyze a text, HTML page or URL; read stored articles, ledgers, quotes, figures,
series and speakers, with filters and pagination; search. A thin layer over `store.queries`, `store.read`
and `pipeline`: each endpoint parses its parameters, calls one core function, returns its JSON.
`since` and `until` are days, both inclusive, as for the command line (store.period).

Limits: request bodies over `max_body` bytes are refused (413) before they are read whole; at most
`analyze_workers` analyses run at once (default: one a core) and the others wait their turn, up to
`analyze_queue` of them, past which an analysis request answers 503 (Busy) at once; an analysis
taking over `analyze_seconds`, its wait not counted, answers 503 (Timeout). Errors are JSON:
{"error": {"type", "message"}}.
A URL to analyze is fetched in the analysis's turn: the fetch counts against the same workers,
queue and time limit as the analysis itself.

Who is asking: the Host header must name the server as it listens (its bound host and port, or
localhost, 127.0.0.1 or [::1] at that port; any port when the app is not told it) or one of
`allowed_hosts` ("name" at any port, "name:port", or "*" for any), else 400: a page of another site
whose name was made to resolve to this server (DNS rebinding) cannot read it. A POST that comes with
an Origin (browsers send one) must come from the server's own origin, else 403: another site's page,
or a sandboxed one (`Origin: null`), cannot post the form or call the API. Write endpoints
(`POST /api/analyze`) ask for `Authorization: Bearer <token>` when the app is given a token, which
`newsledger serve` does whenever it listens beyond localhost; any other form of the header is 401.
"""
from __future__ import annotations

import hmac
from contextlib import asynccontextmanager
from typing import Iterable, Literal, Optional, Union
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..extract import attribution_tagger
from ..ledger import Article
from ..store import Period, PeriodError, Store, open_store, queries, read
from ..store import provenance
from . import pages
from .turns import Busy, TooSlow, Turns

MAX_BODY = 2_000_000  # bytes: an article, its page and some room
ANALYZE_SECONDS = 60.0  # one analysis, from the moment it runs
ANALYZE_QUEUE = 100  # analyses waiting for a worker (each holds its body, at most max_body bytes)


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def host_and_port(value: str) -> Optional[tuple[str, Optional[int]]]:
    """("name", port or None) of a Host header or an --allowed-host entry ("[::1]:8000" -> ("::1", 8000));
    None when it is not one."""
    if not value or any(c in value for c in "/?#@\\ \t") or value != value.strip():
        return None
    try:
        parts = urlsplit("//" + value)
        port = parts.port
    except ValueError:
        return None
    name = (parts.hostname or "").rstrip(".")
    return (name, port) if name else None


class HostCheck:
    """Which Host headers the server answers (see the module's docstring)."""

    def __init__(self, host: Optional[str], port: Optional[int], allowed: Iterable[str]):
        self.any = False
        self.exact: set[tuple[str, Optional[int]]] = set()  # (name, port); port None: any port
        names = list(LOOPBACK_NAMES)
        if host and host.strip("[]").lower() not in WILDCARD_ADDRESSES:
            names.append(host.strip("[]").lower().rstrip("."))
        for name in names:
            self.exact.add((name, port))
            if port == 80:
                self.exact.add((name, None))  # "Host: localhost" is port 80
        for entry in allowed:
            if entry.strip() == "*":
                self.any = True
                continue
            entry = entry.strip().lower()
            if entry.count(":") > 1 and not entry.startswith("["):
                entry = f"[{entry}]"  # a bare IPv6 address
            parsed = host_and_port(entry)
            if parsed is None:
                raise ValueError(f"not a host name or host:port: {entry!r}")
            self.exact.add(parsed)

    def allows(self, header: Optional[str]) -> bool:
        if self.any:
            return True
        parsed = host_and_port((header or "").lower())
        if parsed is None:
            return False
        name, port = parsed
        if (name, None) in self.exact:
            return True
        return port is not None and (name, port) in self.exact


def same_origin(origin: str, host_header: str, scheme: str) -> bool:
    """Whether `origin` (an Origin header) is the origin this request was sent to (its Host header)."""
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        return False
    defaults = {"http": 80, "https": 443}
    if port == defaults[parts.scheme]:
        port = None
    own = host_and_port(host_header.lower())
    if own is None:
        return False
    own_name, own_port = own
    if own_port == defaults.get(scheme):
        own_port = None
    return (parts.hostname.rstrip("."), port) == (own_name, own_port)


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


# parsed by Period (not as a `date`), so that the API takes what the command line takes
DAY = {"max_length": 40, "json_schema_extra": {"format": "date"}}


def period_param(
        since: Optional[str] = Query(None, description="published on or after this day (YYYY-MM-DD, UTC)", **DAY),
        until: Optional[str] = Query(None, description="published on or before this day (YYYY-MM-DD, UTC; "
                                                       "the whole day counts)", **DAY)) -> Period:
    """`since` and `until` as a Period: whole days, both inclusive, as `--since` and `--until`. One
    that is no day, or a `since` after the `until`, is 422 InvalidRequest, as any parameter that
    cannot be."""
    try:
        return Period(since, until)
    except PeriodError as exc:
        raise ApiError(422, "InvalidRequest", str(exc)) from None


class AnalyzeRequest(Article):
    """article-v1 (one of text, html or url), and nothing else."""
    model_config = ConfigDict(extra="forbid")
    id: str = "article"
    url: Optional[str] = Field(None, description="fetched through the guarded fetcher when neither text nor html is given")


def create_app(store: Union[str, Store], *, token: Optional[str] = None, max_body: int = MAX_BODY,
               analyze_seconds: float = ANALYZE_SECONDS, analyze_workers: Optional[int] = None,
               analyze_queue: int = ANALYZE_QUEUE, allow_private_urls: bool = False, nlp=None,
               host: Optional[str] = None, port: Optional[int] = None, allowed_hosts: Iterable[str] = ()) -> FastAPI:
    """The app over `store`: a URL, opened here and closed when the app stops, or a Store already
    open (`newsledger serve` asks it a question first), which stays its opener's to close. `token`
    guards the write endpoints. `host` and `port`:
    where the server listens (the Host headers it answers, with localhost's names and
    `allowed_hosts`); ValueError for an entry of `allowed_hosts` that is no host name. Analyses run
    in `analyze_workers` processes, started at the first analysis or by `app.state.turns.start()`
    (which raises workers.WorkerFailed when the pipeline cannot load); given `nlp`, in threads here."""
    hosts = HostCheck(host, port, allowed_hosts)
    owned = not isinstance(store, Store)
    if owned:
        store = open_store(store)
    # the API's and the form's analyses: in worker processes, or in threads with a pipeline given here
    turns = Turns(analyze_workers, analyze_queue, analyze_seconds, nlp=nlp)
    if nlp is not None and turns.workers > 1:
        attribution_tagger.use_threads(1)  # analyses run side by side, one per core

    @asynccontextmanager
    async def lifespan(_app):
        try:
            yield
        finally:
            turns.close()
            if owned:
                store.close()

    # no /docs or /redoc: FastAPI serves their scripts from a CDN, and nothing here loads from one
    app = FastAPI(title="newsledger", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Who said what, which figures and when, in news articles.")
    app.state.turns = turns

    def secure(request: Request, response):
        response.headers["Content-Security-Policy"] = (
            pages.PAGE_CSP if pages.is_page(request.url.path) else "default-src 'none'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        # the pages: "same-origin", not "no-referrer", under which a browser sends its form posts with
        # `Origin: null`, which who_asks refuses; no other site is told which page linked to it
        response.headers["Referrer-Policy"] = "same-origin" if pages.is_page(request.url.path) else "no-referrer"
        return response

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        return secure(request, await call_next(request))

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

    @app.middleware("http")  # the outermost: before a body is read
    async def who_asks(request: Request, call_next):
        host_header = request.headers.get("host", "")
        if not hosts.allows(host_header):
            return secure(request, _error(400, "BadHost", "this server does not answer to this Host name "
                                          "(newsledger serve --allowed-host NAME adds one)", request))
        if request.method not in SAFE_METHODS:
            origin = request.headers.get("origin")
            fetch_site = request.headers.get("sec-fetch-site", "")
            foreign = (not same_origin(origin, host_header, request.url.scheme) if origin is not None
                       else fetch_site in ("cross-site", "same-site"))
            if foreign:
                return secure(request, _error(403, "Forbidden", "this server only takes posts from its own pages "
                                              "(or from clients that send no Origin)", request))
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
        scheme, _, given = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise ApiError(401, "Unauthorized", "this endpoint needs 'Authorization: Bearer <token>'")

    page = {"limit": Query(50, ge=1, le=1000), "offset": Query(0, ge=0, le=10_000_000)}

    @app.get("/api/articles", summary="Stored articles, newest first; `text` searches titles and texts")
    def list_articles(text: Optional[str] = Query(None, max_length=500), outlet: Optional[str] = None,
                      period: Period = Depends(period_param), limit: int = page["limit"], offset: int = page["offset"]):
        return _paged(queries.articles(store, text=text, outlet=outlet, period=period,
                                       limit=limit, offset=offset), limit, offset)

    @app.get("/api/articles/{key}", summary="One stored article's ledger (ledger-v1), by content hash")
    def get_ledger(key: str):
        led = read.ledger(store, key)
        if led is None:
            raise ApiError(404, "NotFound", "no stored article has this key")
        return led.to_json_dict()

    @app.get("/api/quotes", summary="Attributions: by speaker, entity mentioned, words of the content")
    def list_quotes(speaker: Optional[str] = Query(None, max_length=200), mentioning: Optional[str] = Query(None, max_length=200),
                    text: Optional[str] = Query(None, max_length=500),
                    kind: Optional[Literal["direct", "mixed", "indirect", "according_to"]] = None,
                    outlet: Optional[str] = None, period: Period = Depends(period_param),
                    limit: int = page["limit"], offset: int = page["offset"]):
        return _paged(queries.quotes(store, speaker=speaker, mentioning=mentioning, text=text, kind=kind,
                                     outlet=outlet, period=period, limit=limit, offset=offset), limit, offset)

    @app.get("/api/figures", summary="Figures over time with the claim each stands in")
    def list_figures(quantity: Optional[str] = Query(None, max_length=200), unit: Optional[str] = None,
                     source: Optional[str] = Query(None, max_length=200), sourced: Optional[bool] = None,
                     outlet: Optional[str] = None, period: Period = Depends(period_param),
                     limit: int = page["limit"], offset: int = page["offset"]):
        return _paged(queries.figures(store, quantity=quantity, unit=unit, source=source, sourced=sourced,
                                      outlet=outlet, period=period, limit=limit, offset=offset), limit, offset)

    @app.get("/api/series", summary="Series of figures by what they count, unit and place, most points first")
    def list_series(measure: Optional[str] = Query(None, max_length=120), place: Optional[str] = Query(None, max_length=200),
                    unit: Optional[str] = Query(None, max_length=32), disagree: Optional[bool] = None,
                    limit: int = page["limit"], offset: int = page["offset"]):
        return _paged(queries.series(store, measure=measure, place=place, unit=unit, disagree=disagree,
                                     limit=limit, offset=offset), limit, offset)

    @app.get("/api/series/{series_id}", summary="One series with its points: value, qualifier, source, outlet, article, day")
    def get_series(series_id: int = Path(ge=1, le=2**62)):
        found = queries.one_series(store, series_id)
        if found is None:
            raise ApiError(404, "NotFound", "no series has this id")
        return found

    @app.get("/api/speakers", summary="Speakers' profiles, most quoted first")
    def list_speakers(name: Optional[str] = Query(None, max_length=200), period: Period = Depends(period_param),
                      limit: int = Query(20, ge=1, le=1000), offset: int = page["offset"]):
        return _paged(queries.speakers(store, name=name, period=period, limit=limit, offset=offset),
                      limit, offset)

    @app.get("/api/actors", summary="People and organizations across the corpus, in the most articles first")
    def list_actors(name: Optional[str] = Query(None, max_length=200, description="part of any of its names"),
                    type: Optional[Literal["PERSON", "ORG"]] = None, ambiguous: Optional[bool] = None,
                    limit: int = page["limit"], offset: int = page["offset"]):
        return _paged(queries.actors(store, name=name, type=type, ambiguous=ambiguous, limit=limit, offset=offset),
                      limit, offset)

    @app.get("/api/actors/{actor_id}", summary="One actor: its names and forms, outlets, latest entities")
    def get_actor(actor_id: int = Path(ge=1, le=2**62)):
        found = queries.actor(store, f"#{actor_id}")
        if found is None or found["id"] != actor_id:
            raise ApiError(404, "NotFound", "no actor has this id")
        return found

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

    @app.get("/api/claims", summary="The same quotation across articles (claims), most carried first")
    def list_claims(speaker: Optional[str] = Query(None, max_length=200), text: Optional[str] = Query(None, max_length=500),
                    changed: Optional[bool] = None, limit: int = page["limit"], offset: int = page["offset"]):
        return _paged(provenance.claims(store, speaker=speaker, text=text, changed=changed, limit=limit,
                                        offset=offset), limit, offset)

    @app.get("/api/claims/{claim_id}", summary="One claim with its occurrences in order of appearance and their variants")
    def get_claim(claim_id: int = Path(ge=1, le=2**62)):
        found = provenance.claim(store, claim_id)
        if found is None:
            raise ApiError(404, "NotFound", "no claim has this id")
        return found

    @app.post("/api/analyze", dependencies=[Depends(writer)],
              summary="The ledger of one article (text, HTML page or URL); nothing is stored")
    async def analyze(req: AnalyzeRequest):
        from ..ingest.readers import is_url
        from ..ingest.textcheck import replace_surrogates
        from ..ledger import ErrorRecord
        from .turns import analyze_request

        # lone surrogates ("\udfff" in the JSON) become U+FFFD, as in JSON Lines (ingest.readers)
        req = req.model_copy(update={k: replace_surrogates(v) for k, v in req.model_dump().items() if isinstance(v, str)})
        if req.text is None and req.html is None:
            if not req.url:
                raise ApiError(422, "MissingText", "give text, html or url")
            if not is_url(req.url):  # never a local path: read_inputs would open it
                raise ApiError(422, "FetchRefused", "url must be an http or https URL")
            item = (req.url, allow_private_urls)  # fetched in the analysis's turn, within its limit
        else:
            item = Article(**req.model_dump())  # the plain record: its own config, not the request's
        try:
            result = await turns.run(analyze_request, item)
        except Busy as exc:
            raise ApiError(503, "Busy", str(exc)) from None
        except TooSlow as exc:
            raise ApiError(503, "Timeout", str(exc)) from None
        if isinstance(result, ErrorRecord):
            raise ApiError(422, result.error.type, result.error.message)
        return result.to_json_dict()

    pages.add_pages(app, store, turns, token=token, max_body=max_body)
    return app
