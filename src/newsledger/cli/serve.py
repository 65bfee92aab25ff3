"""`newsledger serve`: the web pages and the HTTP API over the store."""
from __future__ import annotations

from typing import Optional

import typer
from rich.markup import escape

from . import app, options
from .errors import err, exits, store, usage


@app.command()
def serve(
    db: Optional[str] = options.DB,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; beyond localhost, writes need the token."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    token: Optional[str] = typer.Option(None, "--token", envvar="NEWSLEDGER_TOKEN", help=(
        "Token for writes (POST /api/analyze as a Bearer token; the paste form asks for it). Required beyond localhost: when none is "
        "given there, one is made and printed.")),
    allow_private_urls: bool = options.ALLOW_PRIVATE_URLS,
    allowed_host: list[str] = typer.Option([], "--allowed-host", metavar="NAME", help=(
        "A name the server is reached by, besides its --host and port and localhost's names (repeatable): 'news.example.org' "
        "(any port), 'news.example.org:8443', or '*' for any. Other Host headers get 400 (no DNS rebinding).")),
    workers: Optional[int] = options.SERVE_WORKERS,
    time_limit: float = options.SERVE_TIME_LIMIT,
) -> None:
    """Serve the web pages (at /) and the HTTP API (at /api; its OpenAPI description at /openapi.json) over the store.

    Unlike query and export, serve makes the store when there is none: its paste form stores what it analyzes, so a new server may start empty (and says so).

    Example: newsledger serve --db news.db --port 8000
    """
    import contextlib
    import ipaddress
    import secrets

    import uvicorn

    from ..nlp import ModelNotFound
    from ..store import DEFAULT_URL, STORE_ERRORS, open_store, queries
    from ..store.db import sqlite_file
    from ..web import create_app
    from ..workers import WorkerFailed

    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = host == "localhost"
    if not local and not token:
        token = secrets.token_urlsafe(24)
        err.print(f"write endpoints need: Authorization: Bearer {token}")
    with exits((STORE_ERRORS, store()), (ValueError, usage)):
        new_file = sqlite_file(db or DEFAULT_URL)
        if new_file is not None and new_file.exists():
            new_file = None
        # opened once (made, migrated), asked for its showcase, then served: one engine, one check
        db_store = open_store(db or DEFAULT_URL)
    with contextlib.closing(db_store):
        with exits((STORE_ERRORS, store()), (ValueError, usage)):
            showcase = queries.most_quoted_article(db_store)
            api = create_app(db_store, token=token, allow_private_urls=allow_private_urls,
                             host=host, port=port, allowed_hosts=allowed_host, analyze_workers=workers,
                             analyze_seconds=time_limit)
        if new_file is not None:  # a mistyped --db shows here, not as an empty site
            err.print(f"a new, empty store: {escape(str(new_file))}", soft_wrap=True)
        if host in ("0.0.0.0", "::") and not allowed_host:
            err.print("requests must name this server localhost, 127.0.0.1 or [::1]: give --allowed-host NAME for the "
                      "names or addresses others reach it by", soft_wrap=True)
        _fewer_malloc_arenas()
        with exits(((ModelNotFound, WorkerFailed), usage)):
            api.state.turns.start()  # the pipeline loads now: the first analysis does not wait for it
        err.print(f"newsledger on http://{host}:{port}/ (the API: /api/, its OpenAPI description: /openapi.json)",
                  soft_wrap=True)
        if showcase:  # addresses printed whole: a wrapped one cannot be clicked or copied
            err.print(f"an annotated article: http://{host}:{port}/articles/{showcase}", soft_wrap=True)
        uvicorn.run(api, host=host, port=port, log_level="warning")


def _fewer_malloc_arenas() -> None:
    """glibc gives threads malloc arenas of their own, up to 8 a core; a server whose analyses run
    in pool threads then grows with every new thread's arena (bench/bench_web.py measured RSS rising
    round after round). Two arenas keep it steady. A no-op off glibc."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass
