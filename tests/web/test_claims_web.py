"""Claims over HTTP: `GET /api/claims` and `/api/claims/{id}`, the `/claims` pages (a timeline, the
variants side by side with their changed words marked) and the link from each quote of an article
page to its claim; hostile quotes stay text. On SQLite and PostgreSQL."""
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

import claim_stories as S
from newsledger.ledger import Attribution, Ledger, Source
from newsledger.store import open_store
from newsledger.store.write import save_duplicate, save_ledger
from newsledger.web import create_app
from newsledger.web.pages import PAGE_CSP

from conftest import PAYLOAD_FLAG

RUN = f"window.{PAYLOAD_FLAG}=1;alert(1)"
HOSTILE = f"<script>{RUN}</script> we will <b onmouseover={RUN}>not</b> sell the harbor to anyone"


class Tags(HTMLParser):
    """The elements of a page as a browser's parser sees them: (tag, attributes)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def hostile(i: int, words: str, speaker: str) -> Ledger:
    text = f"The council met on Monday. “{words},” said {speaker}."
    c, s = text.index("“"), text.index(speaker)
    return Ledger(id=f"<i onclick=\"{RUN}\">hostile-{i}</i>", outlet=f"<svg onload=\"{RUN}\">Outlet {i}</svg>",
                  published=f"2024-05-0{i}", title=f"<script>{RUN}</script> {i}", text=text,
                  attributions=[Attribution(kind="direct", content=[(c, text.index("”") + 1)],
                                            source=Source(span=(s, s + len(speaker)), name=speaker, resolved=True))])


@pytest.fixture
def client(store_url):
    st = open_store(store_url)
    for story in S.STORIES:
        with st.session() as s:
            save_ledger(s, S.ledger(story), key=story.id)
    with st.session() as s:
        save_duplicate(s, S.REPRINT, S.REPRINT.text, "reprint", "harbor-wire", 0.93)
        save_ledger(s, hostile(1, HOSTILE, f"<img src=x onerror=\"{RUN}\">Jo"), key="hostile-1")
        save_ledger(s, hostile(2, HOSTILE.replace("not", "now"), "Al <script>x</script>"), key="hostile-2")
    st.close()
    with TestClient(create_app(store_url, token="s3cret"), base_url="http://localhost") as c:
        yield c


def promise_id(client) -> int:
    items = client.get("/api/claims", params={"text": "cannery homes"}).json()["items"]
    return items[0]["claim"]


def test_the_api_lists_claims_and_gives_one_with_its_timeline(client):
    listed = client.get("/api/claims").json()
    assert listed["limit"] == 50 and listed["items"][0]["occurrences"] == 8  # seven articles and the reprint
    top = listed["items"][0]
    assert (top["article"], top["outlet"], top["speaker"], top["outlets"], top["variants"]) == (
        "harbor-wire", "Harbor Wire", "Tomas Reyes", 8, 3)
    assert [c["claim"] for c in client.get("/api/claims", params={"changed": True}).json()["items"]] == \
        [top["claim"], *[c["claim"] for c in listed["items"] if c["changed"] and c["claim"] != top["claim"]]]
    assert [c["speaker"] for c in client.get("/api/claims", params={"speaker": "lopez"}).json()["items"]] == ["Maria Lopez"]
    assert len(client.get("/api/claims", params={"limit": 2, "offset": 1}).json()["items"]) == 2
    one = client.get(f"/api/claims/{top['claim']}").json()
    assert [o["article"] for o in one["timeline"]][:3] == ["harbor-wire", "bay-times-reprint", "coast-herald"]
    assert [o["article"] for o in one["timeline"] if o["reprint"]] == ["bay-times-reprint"]
    misquote = next(o for o in one["timeline"] if o["article"] == "daily-ledger")
    assert misquote["variant"] and misquote["changes"] == [{"kind": "negation", "from": "not", "to": ""}]
    res = client.get("/api/claims/999999")
    assert res.status_code == 404 and res.json()["error"]["type"] == "NotFound"
    for bad in ("0", "x", str(2**63)):
        assert client.get(f"/api/claims/{bad}").status_code == 422, bad
    assert client.get("/api/claims", params={"changed": "maybe"}).status_code == 422


def test_the_claim_page_shows_the_timeline_and_the_variants_side_by_side(client):
    cid = promise_id(client)
    res = client.get(f"/claims/{cid}")
    assert res.status_code == 200 and res.headers["content-security-policy"] == PAGE_CSP
    html = res.text
    assert "style=" not in html
    rows = re.findall(r"<tr(?: class=\"variant\")?>\s*<td class=\"when\" data-label=\"Published\"><time datetime=\"([^\"]+)\"", html)
    assert [r[:10] for r in rows] == ["2024-03-12", "2024-03-12", "2024-03-13", "2024-03-14", "2024-03-14",
                                      "2024-03-15", "2024-03-15", "2024-03-16"]
    assert html.count('<tr class="variant">') == 3
    assert html.count("(a reprint of the original)") == 1
    assert "<del>not </del>" in html and "<del>2026 </del>" in html and "<ins>2027 </ins>" in html
    assert "<del>Tomas Reyes</del>" in html and "<ins>Ana Ruiz</ins>" in html
    assert "dropped “not” <span class=\"kind\">(negation)</span>" in html
    assert "“2026” became “2027” <span class=\"kind\">(number)</span>" in html
    assert "part of it" in html  # the partial quote: no variant
    listed = client.get("/claims", params={"changed": "true", "speaker": "reyes"}).text
    assert f'href="/claims/{cid}"' in listed and "3 changed" in listed
    assert client.get("/claims/999999").status_code == 404 and client.get("/claims/0").status_code == 404


def test_each_quote_of_an_article_links_to_its_claim(client):
    cid = promise_id(client)
    html = client.get("/articles/daily-ledger").text
    assert f'<a class="claim-link" href="/claims/{cid}">quoted 8 times, this one changed</a>' in html
    wire = client.get("/articles/harbor-wire").text
    assert f'<a class="claim-link" href="/claims/{cid}">quoted 8 times, with changes</a>' in wire
    assert re.search(r'<a class="claim-link" href="/claims/\d+">quoted 2 times</a>', wire)  # Whitfield's, reprinted
    river = client.get("/articles/river-gazette").text
    assert re.search(r'<a class="claim-link" href="/claims/\d+">quoted only here</a>', river)  # Lopez's


def test_hostile_quotes_stay_text(client):
    items = client.get("/api/claims", params={"speaker": "Jo"}).json()["items"]
    [found] = [c for c in items if PAYLOAD_FLAG in c["quote"]]
    assert found["occurrences"] == 2 and found["changed"]
    for path in (f"/claims/{found['claim']}", "/claims", "/claims?q=harbor", "/articles/hostile-1"):
        tags = Tags(client.get(path).text).tags
        assert not [t for t in tags if any(name.startswith("on") for name in t[1])], path
        assert not [t for t in tags if t[0] in ("img", "svg", "b", "i") or (t[0] == "script" and "src" not in t[1])], path
    page = client.get(f"/claims/{found['claim']}").text
    assert "&lt;script&gt;window." in page and "<del>not" in page and "<ins>now" in page
