"""The web pages without a browser: each renders, article text and metadata are escaped, the pages'
Content-Security-Policy, 404s, the write token, search, uploads and limits."""
import json
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from newsledger.corpus.batch import ingest
from newsledger.ledger import Article
from newsledger.store import open_store
from newsledger.web import create_app
from newsledger.web.pages import PAGE_CSP, _speaker_href as speaker_href

from conftest import EXAMPLES, PAYLOAD_FLAG, hostile_articles

STORIES = [Article(**json.loads(line)) for line in (EXAMPLES / "articles.jsonl").read_text().splitlines()]
TOKEN = {"token": "s3cret"}
ARTICLE = "“We will rebuild,” the mayor said on Tuesday. At least 40 homes were lost, police said."


@pytest.fixture
def client(store_url, nlp):
    st = open_store(store_url)
    ingest(["examples"], st, nlp=nlp, items=STORIES + hostile_articles())
    st.close()
    with TestClient(create_app(store_url, token="s3cret", max_body=200_000, nlp=nlp), base_url="http://localhost") as c:
        yield c


def keys(client):
    return {a["article"]: a["article_key"] for a in client.get("/api/articles", params={"limit": 100}).json()["items"]}


class Elements(HTMLParser):
    """The elements of a page as a browser's parser sees them: (tag, attributes), and scripts' text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self._in_script = [], [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = (dict(attrs).get("type") or "script") if tag == "script" else False

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append((self._in_script, data))


def assert_inert(html: str):
    """No markup from an article survived as markup: no event-handler attribute, no javascript:
    link, no element an article brought, no article text inside a script element."""
    page = Elements(html)
    assert not [t for t in page.tags if any(name.startswith("on") for name in t[1])], "an event-handler attribute"
    assert not [t for t in page.tags if any((t[1].get(a) or "").strip().lower().startswith("javascript:")
                                            for a in ("href", "src", "action", "formaction"))], "a javascript: link"
    assert not [t for t in page.tags if t[0] in ("img", "svg", "iframe", "object", "embed", "b", "i")], "article markup"
    for kind, text in page.scripts:
        if kind == "application/json":  # data, never run; and no "</script>" can end it early
            assert "<" not in text
        else:
            assert PAYLOAD_FLAG not in text, "article text inside a script element"


def test_every_page_renders_with_the_page_policy(client):
    k = keys(client)
    flood = k["wire-20240314-halden-flood"]
    pages = ["/", "/articles", "/articles?q=flood", f"/articles/{flood}", "/speakers", "/speakers?q=okonjo",
             "/speakers/Rachel%20Okonjo", "/figures", "/figures?quantity=US%20dollars", "/search",
             "/search?q=flood", "/entities/1"]
    for path in pages:
        res = client.get(path)
        assert res.status_code == 200, path
        assert res.headers["content-type"].startswith("text/html")
        assert res.headers["content-security-policy"] == PAGE_CSP
        assert res.headers["x-content-type-options"] == "nosniff" and res.headers["referrer-policy"] == "same-origin"
        assert '<html lang="en">' in res.text and 'href="#main"' in res.text and "<main" in res.text
        assert "style=" not in res.text, f"{path}: an inline style (the policy forbids it)"
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", res.text), f"{path}: an inline script"
    # the API keeps its stricter policy; static files are served
    assert client.get("/api/articles").headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert client.get("/static/vendor/vega-interpreter.min.js").status_code == 200


def test_the_article_page_marks_quotes_sources_cues_figures_and_entities(client):
    html = client.get(f"/articles/{keys(client)['wire-20240314-halden-flood']}").text
    assert re.search(r'<mark class="q s0"><span class="qtag" aria-hidden="true">1</span><span class="vh">\[quote by Rachel Okonjo:\]', html)
    assert '<a class="src s0" href="/speakers/Rachel%20Okonjo">' in html
    assert '<span class="cue">promised</span>' in html
    assert re.search(r'<a class="fig" id="ft-0" href="#fig-0" title="150,000,000 USD; counts: US dollars; source: Rachel Okonjo', html)
    assert re.search(r'<a class="ent" href="/entities/\d+">', html)
    assert '<ol class="legend">' in html and '<tr id="fig-0">' in html


def test_article_text_and_metadata_are_escaped(client):
    k = keys(client)
    hostile = next(key for art, key in k.items() if art.startswith("<script>"))
    html = client.get(f"/articles/{hostile}").text
    assert_inert(html)
    assert "&lt;script&gt;window.__newsledger_pwned=1;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;window.__newsledger_pwned" in html
    assert '<span class="unsafe">javascript:window.__newsledger_pwned=1;alert(1)</span> (not a web address' in html
    speakers = [s["speaker"] for s in client.get("/api/speakers", params={"limit": 50}).json()["items"]]
    hostile_speakers = [s for s in speakers if PAYLOAD_FLAG in s]
    assert hostile_speakers
    for path in ["/articles", "/search?q=bridges", "/speakers", "/figures?quantity=bridges", "/",
                 *[speaker_href(s) for s in hostile_speakers]]:
        page = client.get(path)
        assert page.status_code == 200, path
        assert_inert(page.text)


def test_a_5_mb_title_is_cut_on_every_page(client):
    long_key = keys(client)["long-title"]
    for path in [f"/articles/{long_key}", "/articles", "/", "/search?q=title"]:
        res = client.get(path)
        assert res.status_code == 200 and len(res.content) < 100_000, path
        assert_inert(res.text)
    assert "The title is shortened here: it has 5,000,000 characters." in client.get(f"/articles/{long_key}").text


def test_unknown_things_are_html_404s(client):
    for path in ["/articles/no-such-key", "/articles/" + "f" * 64, "/entities/999999", "/speakers/Nobody%20Atall",
                 "/no-such-page", "/articles/" + "x" * 5000]:
        res = client.get(path)
        assert res.status_code == 404, path
        assert res.headers["content-type"].startswith("text/html") and "<h1>Not found</h1>" in res.text
    assert client.get("/api/articles/nope").json()["error"]["type"] == "NotFound"
    assert client.get("/entities/abc").status_code == 422


def test_search_finds_stored_quotes_and_articles(client):
    html = client.get("/search", params={"q": "flood"}).text
    assert "Minister promises &#39;every cent&#39; for flood-hit valley" in html
    html = client.get("/search", params={"q": "nothing wrong"}).text
    assert "Quotes (1)" in html and "“Nothing is wrong,”" in html
    html = client.get("/articles", params={"q": "heaters"}).text
    assert "Nordvik recalls 1.3 million space heaters" in html and "Port Alder council" not in html


def test_the_form_needs_the_token_then_stores_and_shows_the_article(client):
    res = client.post("/analyze", data={"text": ARTICLE, "published": "2024-03-14"}, follow_redirects=False)
    assert res.status_code == 401 and "write token" in res.text
    assert "We will rebuild" in res.text  # the pasted text is kept in the form
    assert not client.get("/articles", params={"q": "homes lost"}).text.count("pasted article")
    res = client.post("/analyze", data={"text": ARTICLE, "published": "2024-03-14", "title": "<b>Paste</b>", **TOKEN},
                      follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"].startswith("/articles/")
    page = client.get(res.headers["location"])
    assert "&lt;b&gt;Paste&lt;/b&gt;" in page.text and '<mark class="q s0">' in page.text
    # the same article again goes to the stored one
    again = client.post("/analyze", data={"text": ARTICLE, **TOKEN}, follow_redirects=False)
    assert again.headers["location"] == res.headers["location"]


def test_uploads_and_refusals(client):
    page = "<html><head><title>Up</title></head><body><article><p>“The dam held,” the engineer said on Monday. " \
           "About 300 people were evacuated.</p></article></body></html>"
    res = client.post("/analyze", data=TOKEN, files={"file": ("story.html", page.encode(), "text/html")},
                      follow_redirects=False)
    assert res.status_code == 303, res.text
    res = client.post("/analyze", data=TOKEN, files={"file": ("story.txt", ARTICLE.encode(), "text/plain")},
                      follow_redirects=False)
    assert res.status_code == 303
    res = client.post("/analyze", data=TOKEN, files={"file": ("x.exe", b"MZ", "application/octet-stream")})
    assert res.status_code == 422 and "Upload a .txt or .html file." in res.text
    res = client.post("/analyze", data=TOKEN, files={"file": ("x.txt", b"\xff\xfe\x00", "text/plain")})
    assert res.status_code == 422 and "UTF-8" in res.text
    assert client.post("/analyze", data={"text": "  ", **TOKEN}).status_code == 422
    res = client.post("/analyze", data={"text": "\x00\x01 binary " * 10, **TOKEN})
    assert res.status_code == 422 and "(BinaryInput)" in res.text  # the pipeline's own reason
    assert client.post("/analyze", data={"text": ARTICLE, "published": "soon", **TOKEN}).status_code == 422
    res = client.post("/analyze", data={"text": ARTICLE, **TOKEN}, headers={"Origin": "https://evil.example"})
    assert res.status_code == 403 and "Not from this site" in res.text
    res = client.post("/analyze", data={"text": "word " * 50_000, **TOKEN})
    assert res.status_code == 413 and res.headers["content-type"].startswith("text/html")


def test_the_figure_page_carries_a_chart_spec_as_inert_json(client):
    html = client.get("/figures", params={"quantity": "US dollars"}).text
    spec = json.loads(re.search(r'<script type="application/json" id="chart-spec">(.*?)</script>', html, re.S).group(1))
    assert spec["$schema"].endswith("vega-lite/v5.json") and len(spec["data"]["values"]) >= 3
    assert '<script src="/static/vendor/vega-interpreter.min.js"></script>' in html
    html = client.get("/figures", params={"quantity": "bridges"}).text
    body = re.search(r'id="chart-spec">(.*?)</script>', html, re.S)
    assert body is None or "</" not in body.group(1)


def test_overlapping_spans_still_nest():
    """Quotes, cues, sources, figures, dates and mentions that overlap or run past the text become
    markup that nests: each character of the text is shown once, in order."""
    from newsledger import ledger as L
    from newsledger.web.pages import annotate, templates

    text = "Smith said 40 homes fell on Monday, and Jones said 12 more."
    led = L.Ledger(id="x", text=text, published="2024-01-03",
                   entities=[L.Entity(id="E1", name="Smith", type="PERSON", mentions=[(0, 5), (3, 12)]),
                             L.Entity(id="E2", name="Jones", type="PERSON", mentions=[(40, 45)])],
                   attributions=[L.Attribution(kind="indirect", content=[(11, 34), (20, 45)],
                                               source=L.Source(span=(0, 5), entity="E1", name="Smith"),
                                               cue=L.Cue(span=(6, 10))),
                                 L.Attribution(kind="indirect", content=[(51, 59), (55, 500)],
                                               source=L.Source(span=(40, 45), entity="E2", name="Jones"),
                                               cue=L.Cue(span=(46, 50)))],
                   figures=[L.Figure(span=(11, 13), value=40, quantity="homes", attribution=0),
                            L.Figure(span=(12, 19), value=1)],
                   dates=[L.TimeExpression(span=(27, 34), type="DATE", value="2024-01-01"),
                          L.TimeExpression(span=(30, 70), type="DATE", value="bad")])
    marked = annotate(led, {"E1": 7, "E2": 8})
    shown = "".join(p["text"] for seg in marked["segments"] for p in seg["pieces"])
    assert shown == text
    assert [s["name"] for s in marked["legend"]] == ["Smith", "Jones"]
    quotes = [seg["quote"]["speaker"] for seg in marked["segments"] if seg["quote"]]
    assert quotes == ["Smith", "Jones"]
    html = templates.get_template("article.html").render(
        title="x", meta={"article": "x", "article_key": "k", "status": "analyzed", "title": None},
        led=led, entity_ids={"E1": 7, "E2": 8}, **marked)
    body = re.search(r'<div class="article-text">(.*?)</div>', html, re.S).group(1)
    stack = []
    for closing, tag in re.findall(r"<(/?)([a-z]+)[^>]*>", body):
        if closing:
            assert stack and stack.pop() == tag
        else:
            stack.append(tag)
    assert not stack
    assert '<a class="fig" id="ft-0" href="#fig-0" title="40; counts: homes; source: Smith; when: 2024-01-03"' in body


def test_the_form_waits_in_the_same_line_as_the_api(store_url, nlp):
    """With no room to wait, both the API and the paste form answer 503 at once: one line of turns."""
    with TestClient(create_app(store_url, max_body=200_000, nlp=nlp, analyze_queue=0), base_url="http://localhost") as c:
        api = c.post("/api/analyze", json={"id": "x", "text": ARTICLE})
        assert api.status_code == 503 and api.json()["error"]["type"] == "Busy"
        form = c.post("/analyze", data={"text": ARTICLE}, follow_redirects=False)
        assert form.status_code == 503 and "analyses are waiting already" in form.text
        assert "We will rebuild" in form.text  # the pasted text is kept in the form
        assert c.get("/api/articles").json()["items"] == []  # nothing stored


def test_speaker_pages_leave_out_unresolved_pronouns_the_article_shows_them(store_url, nlp):
    from newsledger.store.write import save_ledger
    from test_queries import pronoun_ledger

    st = open_store(store_url)
    with st.session() as s:
        save_ledger(s, pronoun_ledger(), key="pronouns")
    st.close()
    with TestClient(create_app(store_url, nlp=nlp), base_url="http://localhost") as c:
        listing = c.get("/speakers").text
        assert speaker_href("Ana Ruiz") in listing and speaker_href("Residents") in listing
        assert speaker_href("I") not in listing
        assert c.get(speaker_href("I")).status_code == 404
        page = c.get("/articles/pronouns").text
        assert "I (unresolved)" in page and speaker_href("I") not in page
        assert speaker_href("Residents") in page
        assert re.search(r'<span class="src s\d+">I</span>', page)  # marked in the text, linked nowhere


def test_one_speaker_row_a_person_and_his_other_names_lead_to_it(store_url):
    from newsledger.store.write import save_ledger

    from conftest import wire_stories

    st = open_store(store_url)
    for led in wire_stories():
        with st.session() as s:
            save_ledger(s, led, key=led.id)
    st.close()
    with TestClient(create_app(store_url), base_url="http://localhost") as c:
        page = c.get("/speakers").text
        assert page.count('href="/speakers/') == 1 and speaker_href("Donald Trump") in page
        assert "Donald J. Trump" in page  # among his other names
        res = c.get(speaker_href("Trump"), follow_redirects=False)
        assert res.status_code == 307 and res.headers["location"] == speaker_href("Donald Trump")
        page = c.get(speaker_href("Donald Trump")).text
        assert "Also named" in page and page.count("<blockquote") == 4 and "“Trump”, ORG in" in page
        key = keys(c)["wire-c"]
        article = c.get(f"/articles/{key}").text
        assert speaker_href("Donald Trump") in article and speaker_href("Trump") not in article
        ent = c.get("/api/entities", params={"name": "Trump"}).json()["items"][0]
        page = c.get(f"/entities/{ent['entity_id']}").text
        assert "Across the corpus" in page and "The same person in other articles" in page
