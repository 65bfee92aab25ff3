"""Series over HTTP: `GET /api/series` (filters) and `/api/series/{id}`, the `/series` list and a
series' page with its SVG chart drawn on the server (a line per source, a log axis when values span
orders of magnitude, a legend, each point a link to its figure's sentence), escaped; the chart's
geometry (web/chart.py)."""
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from newsledger.corpus.batch import ingest
from newsledger.store import open_store
from newsledger.web import create_app
from newsledger.web.chart import compact, series_chart
from newsledger.web.pages import PAGE_CSP

from conftest import PAYLOAD_FLAG, hostile_articles
from series_fixtures import TOLL_IDS, articles


@pytest.fixture
def client(store_url, nlp):
    st = open_store(store_url)
    ingest(["series"], st, nlp=nlp, items=articles() + hostile_articles())
    st.close()
    with TestClient(create_app(store_url, nlp=nlp), base_url="http://localhost") as c:
        yield c


def _toll(client):
    [toll] = client.get("/api/series", params={"measure": "killed", "place": "Gaza"}).json()["items"]
    return toll


def test_the_api_lists_series_with_filters_and_gives_one_with_its_points(client):
    everything = client.get("/api/series").json()
    assert everything["limit"] == 50 and everything["offset"] == 0
    measures = {s["measure"] for s in everything["items"]}
    assert {"killed", "teacher registered", "heater", "loss"} <= measures and "people" not in measures
    toll = _toll(client)
    assert (toll["points"], toll["sources"], toll["disagree"], toll["first"], toll["last"]) == (
        4, 2, True, "2023-10-10", "2023-10-12")
    assert [s["id"] for s in client.get("/api/series", params={"disagree": "true"}).json()["items"]] == [toll["id"]]
    assert client.get("/api/series", params={"measure": "deaths"}).json()["items"] == [toll]
    assert client.get("/api/series", params={"unit": "USD"}).json()["items"][0]["unit"] == "USD"
    assert client.get("/api/series", params={"place": "' OR 1=1 --"}).json()["items"] == []
    one = client.get(f"/api/series/{toll['id']}").json()
    assert {k: one[k] for k in toll} == toll
    assert [p["article"] for p in one["items"]] == list(TOLL_IDS)
    assert [p["disagrees"] for p in one["items"]] == [False, False, True, True]
    point = one["items"][0]
    assert {"date", "value", "value_max", "approx", "source", "outlet", "article_key", "position", "text"} <= set(point)
    missing = client.get("/api/series/999999")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "NotFound"
    assert client.get("/api/series/0").status_code == 422
    assert "/api/series" in client.get("/openapi.json").json()["paths"]


def test_the_series_page_draws_a_line_per_source_and_links_each_point_to_its_sentence(client):
    toll = _toll(client)
    res = client.get(f"/series/{toll['id']}")
    assert res.status_code == 200 and res.headers["content-security-policy"] == PAGE_CSP
    html = res.text
    assert "style=" not in html and "<script" not in html
    assert "<h1>killed in Gaza</h1>" in html
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert len(re.findall(r'<g class="line c\d+">', svg)) == 2  # one line per source, whatever its case
    links = re.findall(r'<a href="(/articles/[0-9a-f]{64}#ft-\d+)" class="point( disagrees)?">', svg)
    assert len(links) == 4 and sum(1 for _, d in links if d) == 2
    assert svg.count('class="ring"') == 2
    # each link opens the article at its figure, and the figure is there
    href = links[0][0]
    key, anchor = href[len("/articles/"):].split("#")
    assert f'id="{anchor}"' in client.get(f"/articles/{key}").text
    legend = html[html.index('<ul class="series-legend"'):]
    assert "Gaza Health Ministry" in legend and "Israeli military" in legend and "sources disagree that day" in legend
    assert "log" not in svg[svg.index("axis-title"):svg.index("</text>", svg.index("axis-title"))]
    assert "sources disagree" in client.get("/series?disagree=true").text


def test_the_figures_page_links_rows_to_their_series(client):
    toll = _toll(client)
    html = client.get("/figures", params={"quantity": "killed"}).text
    assert f'href="/series/{toll["id"]}"' in html


class Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


# what the series pages are made of: anything else came from an article
OWN_TAGS = {"html", "head", "meta", "title", "link", "body", "a", "header", "nav", "ul", "li", "form", "label",
            "input", "button", "main", "h1", "h2", "p", "dl", "dt", "dd", "span", "figure", "svg", "g", "line",
            "text", "path", "circle", "figcaption", "section", "div", "table", "caption", "thead", "tbody", "tr",
            "th", "td", "footer"}


def test_series_pages_escape_article_text_and_unknown_ids_are_404(client):
    hostile = [s for s in client.get("/api/series", params={"place": "Alder"}).json()["items"]
               if PAYLOAD_FLAG in client.get(f"/api/series/{s['id']}").text]
    assert hostile, "the hostile articles' figures make a series"
    pages = ["/series", "/series?measure=%3Cscript%3E", "/series?place=Alder"] + [f"/series/{s['id']}" for s in hostile]
    for path in pages:
        html = client.get(path).text
        tags = Tags(html).tags
        assert {t for t, _ in tags} <= OWN_TAGS, (path, {t for t, _ in tags} - OWN_TAGS)
        assert not [a for _, a in tags if any(k.startswith("on") for k in a)], path
        assert not [a for _, a in tags if (a.get("href") or "").lower().startswith("javascript:")], path
    page = client.get(f"/series/{hostile[0]['id']}").text
    assert PAYLOAD_FLAG in page  # the outlet's markup is there, as text
    assert client.get("/series/999999").status_code == 404
    assert client.get("/series/0").status_code == 404


def test_a_log_axis_when_values_span_orders_of_magnitude():
    def point(day, value, source, value_max=None):
        return {"date": day, "value": value, "value_max": value_max, "source": source, "outlet": "Wire",
                "article_key": "k", "position": 0, "text": str(value), "disagrees": False}

    chart = series_chart([point("2024-01-01", 49, "A"), point("2024-01-03", 1.2e9, "B"),
                          point("2024-01-02", 5e5, "a", 7e5), point(None, 3, "C")], lambda p: "/x")
    assert chart["log"] and chart["undated"] == 1
    assert [t["label"] for t in chart["yticks"]][:2] == ["10", "100"] and chart["yticks"][-1]["label"] == "10B"
    assert [line["name"] for line in chart["lines"]] == ["A", "B"]  # "a" is A, whatever its case
    [ranged] = [p for line in chart["lines"] for p in line["points"] if p["y_max"] is not None]
    assert ranged["y_max"] < ranged["y"]  # the range's top is above its bottom
    ys = {p["y"] for line in chart["lines"] for p in line["points"]}
    assert all(chart["top"] <= y <= chart["bottom"] for y in ys)
    linear = series_chart([point("2024-01-01", 1400, "A"), point("2024-01-02", 1600, "B")], lambda p: "/x")
    assert not linear["log"] and linear["yticks"][0]["label"] == "1,400"
    one_day = series_chart([point("2024-01-01", 10, "A")], lambda p: "/x")
    assert [t["label"] for t in one_day["xticks"]] == ["2023-12-31", "2024-01-01", "2024-01-02"]
    assert series_chart([point(None, 10, "A")], lambda p: "/x") is None
    assert [compact(x) for x in (1400, 2.5e6, 1.2e9, 0.25, 0)] == ["1,400", "2.5M", "1.2B", "0.25", "0"]
