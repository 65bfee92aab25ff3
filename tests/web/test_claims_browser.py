"""The claim pages in a real browser (headless Debian chromium through Playwright, as
test_web_browser.py): from a misquote on an article page to its claim, the timeline and the
variants side by side, the list of claims, and the claim page at phone width. Screenshots go to
build/screenshots/ (16-… to 18-…)."""
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

import claim_stories as S
from newsledger.store import open_store
from newsledger.store.write import save_duplicate, save_ledger
from newsledger.web import create_app

from conftest import ROOT

CHROMIUM = os.environ.get("NEWSLEDGER_CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "build" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (scripts/browser-test-setup)")
if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
    pytest.skip(f"no chromium at {CHROMIUM} (scripts/browser-test-setup installs it)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free localhost port over an SQLite store of the claim stories (their ledgers by
    hand: no pipeline needed) and the wire story's reprint."""
    import uvicorn

    url = f"sqlite:///{tmp_path_factory.mktemp('claims-web') / 'store.db'}"
    st = open_store(url)
    for story in S.STORIES:
        with st.session() as s:
            save_ledger(s, S.ledger(story), key=story.id)
    with st.session() as s:
        save_duplicate(s, S.REPRINT, S.REPRINT.text, "reprint", "harbor-wire", 0.93)
    st.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning"))
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


def watched(page) -> list:
    """Console errors (CSP violations among them), uncaught errors and dialogs the page makes."""
    seen = []
    page.on("dialog", lambda d: (seen.append(d.message), d.dismiss()))
    page.on("console", lambda m: seen.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.append(str(e)))
    return seen


def shot(page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def test_from_a_misquote_to_its_claim(server, browser):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    problems = watched(page)
    page.goto(server + "/articles/daily-ledger")
    page.get_by_role("link", name="quoted 8 times, this one changed").click()
    page.wait_for_url(re.compile(r"/claims/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Claim ")
    rows = page.locator("table.timeline tbody tr")
    assert rows.count() == 8
    assert "Harbor Wire" in rows.first.inner_text() and "first appearance" in rows.first.inner_text()
    assert page.locator("table.timeline tr.variant").count() == 3
    pairs = page.locator("article.variant-pair")
    assert pairs.count() == 3
    negation = pairs.filter(has_text="Daily Ledger")
    assert negation.locator("figure.first del").inner_text().strip() == "not"
    assert negation.locator("figure.other ins").count() == 0
    year = pairs.filter(has_text="Metro Times")
    assert (year.locator("del").inner_text().strip(), year.locator("ins").inner_text().strip()) == ("2026", "2027")
    # side by side on a wide screen: the variant's column starts right of the first's
    first_box, other_box = year.locator("figure.first").bounding_box(), year.locator("figure.other").bounding_box()
    assert other_box["x"] > first_box["x"] + first_box["width"] - 1 and abs(other_box["y"] - first_box["y"]) < 2
    shot(page, "16-claim")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Claims").click()
    page.wait_for_url(re.compile(r"/claims$"))
    page.get_by_label("only quoted with changes").check()
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(re.compile(r"changed=true"))
    assert page.locator("table.claims tbody tr").count() == 1
    shot(page, "17-claims-list")
    assert not problems, problems
    ctx.close()


def test_the_claim_page_at_phone_width(server, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                              has_touch=True)
    page = ctx.new_page()
    problems = watched(page)
    page.goto(server + "/claims")
    page.locator("table.claims a[href^='/claims/']").first.click()
    page.wait_for_url(re.compile(r"/claims/\d+$"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the claim page is {width} px wide at 390 px: it scrolls sideways"
    pair = page.locator("article.variant-pair").first
    first_box, other_box = pair.locator("figure.first").bounding_box(), pair.locator("figure.other").bounding_box()
    assert other_box["y"] > first_box["y"]  # one above the other
    page.locator("#variants-h").scroll_into_view_if_needed()
    shot(page, "18-claim-phone", full_page=False)
    assert not problems, problems
    ctx.close()
