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


# ---------------------------------------------------------------- hand-made ledgers

def story(id: str, published: str, outlet: str, text: str, people: list, said: list = ()) -> "Ledger":
    """A hand-made ledger: `people` are (name, type, [mention texts]), each text found as a whole word
    in `text` (longest first, never twice); `said` are (source text, entity name, content text): a
    quote whose source is that entity's mention, cued by the "said" that follows it."""
    import re

    from newsledger.ledger import Attribution, Cue, Entity, Ledger, Source

    taken: list[tuple[int, int]] = []
    ents = []
    order = sorted(((len(m), i, m) for i, (_, _, ms) in enumerate(people) for m in set(ms)), reverse=True)
    spans = {i: [] for i in range(len(people))}
    for _, i, m in order:
        for hit in re.finditer(r"(?<!\w)" + re.escape(m) + r"(?!\w)", text):
            s, e = hit.span()
            if not any(s < te and ts < e for ts, te in taken):
                taken.append((s, e))
                spans[i].append((s, e))
    for i, (name, type, _) in enumerate(people):
        ents.append(Entity(id=f"E{i + 1}", name=name, type=type, mentions=sorted(spans[i])))
    atts = []
    for source, name, content in said:
        s = text.index(source)
        ent = next(e for e in ents if e.name == name)
        c = text.index(content)
        cue = text.index("said", s)
        atts.append(Attribution(kind="indirect", content=[(c, c + len(content))], cue=Cue(span=(cue, cue + 4)),
                                source=Source(span=(s, s + len(source)), entity=ent.id, name=name, resolved=True)))
    return Ledger(id=id, published=published, outlet=outlet, text=text, entities=ents, attributions=atts)


def wire_stories():
    """Three wire stories that name one man three ways: "Donald Trump" (and "Trump"), "Donald J.
    Trump", and a lone "Trump" the tagger typed ORG; each quotes him."""
    return [
        story("wire-a", "2024-03-04", "Harbor Wire",
              "Donald Trump said on Monday that tariffs on steel would rise next month. Trump told reporters "
              "at the White House that talks with Canada had stalled.",
              [("Donald Trump", "PERSON", ["Donald Trump", "Trump"]), ("White House", "ORG", ["White House"])],
              [("Donald Trump", "Donald Trump", "tariffs on steel would rise next month")]),
        story("wire-b", "2024-03-05", "Valley Post",
              "Donald J. Trump said on Tuesday he would visit Ohio. Trump said farmers would be helped.",
              [("Donald J. Trump", "PERSON", ["Donald J. Trump", "Trump", "he"])],
              [("Donald J. Trump", "Donald J. Trump", "he would visit Ohio"),
               ("Trump said farmers", "Donald J. Trump", "farmers would be helped")]),
        story("wire-c", "2024-03-06", "Coast Daily",
              "Trump said on Wednesday the deal was dead. TRUMP ALSO said he would not sign it.",
              [("Trump", "ORG", ["Trump", "TRUMP"])],  # the tagger took him for an organization
              [("Trump", "Trump", "the deal was dead")]),
    ]


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
