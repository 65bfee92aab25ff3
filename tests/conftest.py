import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
HAVE_SHARED = (SHARED / "datasets").is_dir()
needs_shared = pytest.mark.skipif(not HAVE_SHARED, reason="../shared is absent")


@pytest.fixture
def write(tmp_path):
    """write(name, content) -> Path: text is written byte for byte (no newline translation)."""
    def _write(name: str, content) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        p.write_bytes(content)
        return p
    return _write


os.environ.setdefault("COLUMNS", "120")  # Rich reports in tests: no wrapping at 80 columns


# ---------------------------------------------------------------- stores, on both backends

PG_URL = os.environ.get("NEWSLEDGER_TEST_PG")  # set by `make test` (scripts/pg-test-server)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """An empty database's URL: an SQLite file, and a fresh database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    if not PG_URL:
        pytest.skip("no PostgreSQL test server (NEWSLEDGER_TEST_PG unset; `make test` starts one)")
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def sql_rows(url: str, sql: str, **params) -> list[tuple]:
    """The rows of one query against the database at `url`, as plain tuples."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return [tuple(r) for r in c.execute(text(sql), params)]
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def nlp():
    """The real parsing pipeline; the test is skipped when no English model is installed."""
    from newsledger.nlp import ModelNotFound, load

    try:
        return load()
    except ModelNotFound as exc:  # pragma: no cover - set-up problem, not a behaviour
        pytest.skip(str(exc))


# ---------------------------------------------------------------- hostile articles for the web pages

PAYLOAD_FLAG = "__newsledger_pwned"  # what each payload would set on `window` if it ever ran


def hostile_articles():
    """Articles whose text and metadata carry script tags, event-handler attributes and
    `javascript:` links (each would set window.__newsledger_pwned and open a dialog), and one
    with a 5 MB title."""
    from newsledger.ledger import Article

    run = f"window.{PAYLOAD_FLAG}=1;alert(1)"
    text = (f"<script>{run}</script> The mayor of <img src=x onerror=\"{run}\">Port Alder, Jane Smith, "
            f"said on Tuesday that “<script>{run}</script> the 40 bridges <a href=\"javascript:{run}\">are safe</a>,” "
            f"and police said at least 12 <svg onload=\"{run}\">cars</svg> were damaged.\n\n"
            f"“We will <b onmouseover=\"{run}\">rebuild</b> everything,” said <i onclick=\"{run}\">Smith</i>.")
    return [
        Article(id=f"<script>{run}</script>", text=text, published="2024-05-02",
                title=f"<script>{run}</script><img src=x onerror=\"{run}\"> Bridges \"safe\" & sound",
                url=f"javascript:{run}", outlet=f"<svg onload=\"{run}\">Outlet</svg>",
                author=f"\"><script>{run}</script>"),
        Article(id="long-title", published="2024-05-03",
                title=("<script>" + run + "</script>" + "A very long title. " * 263_200)[:5_000_000],  # 5 MB
                text="“Nothing is wrong,” the mayor of Port Alder, Jane Smith, said on Friday about the 40 bridges."),
    ]
