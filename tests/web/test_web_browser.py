"""The web pages in a real browser: headless Debian chromium driven by Playwright (no browser is
downloaded: `scripts/browser-test-setup` installs chromium with apt-get, and `make test` runs it).
Paste an article and see its quotes highlighted, open a speaker, see the figure chart; hostile
articles run no script; the article page at phone width. Each test writes a screenshot to
build/screenshots/ for a person to look at."""
import json
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from newsledger.corpus.batch import ingest
from newsledger.ledger import Article
from newsledger.store import open_store
from newsledger.web import create_app

from conftest import EXAMPLES, PAYLOAD_FLAG, ROOT, hostile_articles
from series_fixtures import articles as series_articles

CHROMIUM = os.environ.get("NEWSLEDGER_CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "build" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTICLE = ("MARROW CREEK, March 15 (Wire) — “We will rebuild every bridge,” Mayor Tomas Reyes said on Friday, "
           "standing beside the river. At least 40 homes were lost in the flood, he said.\n\n"
           "Rachel Okonjo, the emergency management minister, said the government had set aside 150 million "
           "dollars for the valley. “Nobody will be left behind,” she told reporters.")

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (scripts/browser-test-setup)")
if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
    pytest.skip(f"no chromium at {CHROMIUM} (scripts/browser-test-setup installs it)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, nlp):
    """The app on a free localhost port, over an SQLite store holding the examples and the hostile
    articles; no token (localhost), as `newsledger serve` runs it."""
    import uvicorn

    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'store.db'}"
    stories = [Article(**json.loads(line)) for line in (EXAMPLES / "articles.jsonl").read_text().splitlines()]
    st = open_store(url)
    ingest(["examples"], st, nlp=nlp, items=stories + hostile_articles() + series_articles())
    st.close()
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(url, nlp=nlp), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watch:
    """What a page did that it should not: dialogs opened, console errors (CSP violations among them),
    uncaught errors."""

    def __init__(self, page):
        self.dialogs, self.errors = [], []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = ctx.new_page()
    pg.set_default_timeout(20_000)
    pg.watch = Watch(pg)
    yield pg
    ctx.close()


def shot(page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def stored_key(server, article_id: str) -> str:
    import httpx

    items = httpx.get(f"{server}/api/articles", params={"limit": 100}).json()["items"]
    return next(a["article_key"] for a in items if a["article"] == article_id)


def test_paste_an_article_and_see_its_quotes_highlighted(server, page):
    page.goto(server + "/")
    page.get_by_label("Article text").fill(ARTICLE)
    page.get_by_label("Title").fill("Mayor vows to rebuild")
    page.get_by_label("Published").fill("2024-03-15")
    shot(page, "01-paste-form")
    page.get_by_role("button", name="Analyze").click()
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]{64}$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Mayor vows to rebuild"
    marks = page.locator(".article-text mark.q")
    assert marks.count() >= 2
    assert "We will rebuild every bridge" in marks.first.inner_text()
    legend = page.locator("ol.legend li")
    assert legend.count() >= 2 and "Tomas Reyes" in page.locator("ol.legend").inner_text()
    # the screen reader hears whose quote it is; a figure is a link to its line in the table
    assert "quote by Tomas Reyes" in marks.first.text_content()
    assert page.locator(".article-text a.fig").count() >= 1
    shot(page, "02-article-annotated")
    assert not page.watch.dialogs and not page.watch.errors


def test_open_a_speaker(server, page):
    page.goto(server + f"/articles/{stored_key(server, 'wire-20240314-halden-flood')}")
    page.locator("ol.legend").get_by_role("link", name="Rachel Okonjo").click()
    page.wait_for_url(re.compile(r"/speakers/Rachel%20Okonjo$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Rachel Okonjo"
    assert page.locator("ol.quotes > li").count() >= 2
    shot(page, "03-speaker")
    page.locator("ol.quotes a[href^='/articles/']").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert page.locator("mark.q").count() >= 1
    assert not page.watch.dialogs and not page.watch.errors


def test_search_then_open_an_entity(server, page):
    page.goto(server + "/articles")
    page.get_by_role("searchbox", name="Search quotes and articles").fill("flood valley")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=flood"))
    assert page.locator("ol.quotes > li").count() >= 1
    assert "Minister promises" in page.locator("ul.articles").inner_text()
    shot(page, "05-search")
    page.locator("ul.articles a", has_text="Minister promises").first.click()
    page.locator(".article-text a.ent", has_text="Halden Valley").first.click()
    page.wait_for_url(re.compile(r"/entities/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text().lower() == "halden valley"
    shot(page, "06-entity")
    assert not page.watch.dialogs and not page.watch.errors


def test_see_the_figure_chart(server, page):
    page.goto(server + "/figures")
    page.get_by_role("link", name="US dollars").click()
    page.wait_for_url(re.compile(r"/figures\?quantity=US%20dollars"))
    page.wait_for_selector("#chart[data-rendered=true] svg")
    marks = page.locator("#chart svg path[aria-roledescription='point'], #chart svg .mark-symbol path")
    assert marks.count() >= 3
    assert page.locator("table.list tbody tr").count() >= 3
    # a point's tooltip names its source (vega-tooltip without its injected style sheet)
    box = marks.first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#vg-tooltip-element.visible")
    assert "source" in page.locator("#vg-tooltip-element").inner_text()
    shot(page, "04-figure-chart")
    # Vega ran without eval and without inline styles: the policy blocked nothing
    assert not page.watch.errors, page.watch.errors


def test_a_series_chart_a_line_per_source_each_point_opening_its_sentence(server, page):
    page.goto(server + "/series")
    page.get_by_label("What is counted").fill("dead")
    page.get_by_label("Place").fill("Gaza")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"/series\?measure=dead"))
    shot(page, "16-series-list")
    page.locator("table.series-list").get_by_role("link", name="killed").click()
    page.wait_for_url(re.compile(r"/series/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == "killed in Gaza"
    chart = page.locator("svg.series-svg")
    assert chart.is_visible() and chart.bounding_box()["width"] > 600
    assert page.locator("svg.series-svg g.line").count() == 2
    assert page.locator("svg.series-svg a.point").count() == 4
    assert page.locator("svg.series-svg circle.ring").count() == 2
    legend = page.locator("ul.series-legend").inner_text()
    assert "Gaza Health Ministry" in legend and "sources disagree that day" in legend
    # the lines are drawn in their colours (the style sheet reaches the SVG under the page's policy)
    strokes = page.eval_on_selector_all("svg.series-svg path.trace", "ps => ps.map(p => getComputedStyle(p).stroke)")
    assert len(set(strokes)) == 2 and "none" not in strokes
    shot(page, "17-series-chart")
    # a point opens its article at the figure's place in the text
    page.locator("svg.series-svg a.point.disagrees").first.click()
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]{64}#ft-\d+$"))
    target = page.evaluate("location.hash")
    assert page.locator(f".article-text a.fig{target}").is_visible()
    shot(page, "18-series-point-in-its-article", full_page=False)
    assert not page.watch.dialogs and not page.watch.errors, page.watch.errors


def test_hostile_articles_run_no_script(server, browser):
    import httpx

    items = httpx.get(f"{server}/api/articles", params={"limit": 100}).json()["items"]
    hostile = next(a["article_key"] for a in items if PAYLOAD_FLAG in a["article"])
    long_title = next(a["article_key"] for a in items if a["article"] == "long-title")
    speaker = next(s["speaker"] for s in httpx.get(f"{server}/api/speakers", params={"limit": 100}).json()["items"] if PAYLOAD_FLAG in s["speaker"])
    hostile_series = next(x["id"] for x in httpx.get(f"{server}/api/series", params={"limit": 200}).json()["items"]
                          if PAYLOAD_FLAG in httpx.get(f"{server}/api/series/{x['id']}").text)
    from newsledger.web.pages import _speaker_href

    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    watch = Watch(page)
    visits = [("07-hostile-article", f"/articles/{hostile}"), ("08-hostile-long-title", f"/articles/{long_title}"),
              ("09-hostile-list", "/articles"), ("10-hostile-speaker", _speaker_href(speaker)),
              ("11-hostile-search", "/search?q=bridges"), ("12-hostile-figures", "/figures?quantity=bridges"),
              ("12-hostile-series", f"/series/{hostile_series}")]
    for name, path in visits:
        started = time.monotonic()
        page.goto(server + path)
        assert page.get_by_role("heading", level=1).first.is_visible(), path
        assert time.monotonic() - started < 15, f"{path} took too long"
        # hover and click what the payloads hid behind, as a reader would
        for sel in ["main mark", "main a.src", ".article-text"]:
            if page.locator(sel).count():
                page.locator(sel).first.hover()
        shot(page, name)
        assert page.evaluate(f"window.{PAYLOAD_FLAG}") is None, path
        assert page.locator("main script:not([type='application/json']), main img, main svg:not(#chart svg):not(.series-svg), main iframe").count() == 0, path
        assert page.locator("a[href^='javascript:' i]").count() == 0, path
    # the javascript: URL of the article is shown as text, and the page still renders it
    page.goto(server + f"/articles/{hostile}")
    assert "javascript:window." + PAYLOAD_FLAG in page.locator("dd.url").inner_text()
    assert "<script>" in page.get_by_role("heading", level=1).inner_text()
    title = page.get_by_role("heading", level=1)
    page.goto(server + f"/articles/{long_title}")
    assert len(title.inner_text()) <= 301
    assert page.evaluate(f"window.{PAYLOAD_FLAG}") is None
    assert not watch.dialogs, watch.dialogs
    assert not watch.errors, watch.errors
    ctx.close()


def test_the_article_page_at_phone_width(server, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                              has_touch=True)
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(server + f"/articles/{stored_key(server, 'wire-20240314-halden-flood')}")
    assert page.locator("mark.q").count() >= 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide at 390 px: it scrolls sideways"
    shot(page, "13-article-phone", full_page=False)  # the first screen, as a reader sees it
    page.locator("#figures-h").scroll_into_view_if_needed()
    shot(page, "13-article-phone-figures", full_page=False)
    page.goto(server + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "14-paste-form-phone")
    page.goto(server + "/figures?quantity=US%20dollars")
    page.wait_for_selector("#chart[data-rendered=true] svg")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "15-figure-chart-phone", full_page=False)
    page.goto(server + "/series?measure=killed&place=Gaza")
    page.locator("table.series-list a").first.click()
    page.wait_for_selector("svg.series-svg")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "19-series-chart-phone", full_page=False)
    assert not watch.dialogs and not watch.errors
    ctx.close()


def test_keyboard_reaches_the_content_first(server, page):
    page.goto(server + f"/articles/{stored_key(server, 'wire-20240314-halden-flood')}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused, "after the skip link, the next stop is inside main"
