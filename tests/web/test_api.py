"""The HTTP API: reading the store with filters and pages, analyzing a text, errors as JSON, limits,
the write token, hostile parameters."""
import json

import pytest
from fastapi.testclient import TestClient

from newsledger.corpus.batch import ingest
from newsledger.ledger import Article
from newsledger.store import open_store
from newsledger.web import create_app

from conftest import EXAMPLES

STORIES = [Article(**json.loads(line)) for line in (EXAMPLES / "articles.jsonl").read_text().splitlines()]


@pytest.fixture
def client(store_url, nlp):
    st = open_store(store_url)
    ingest(["examples"], st, nlp=nlp, items=STORIES)
    st.close()
    with TestClient(create_app(store_url, token="s3cret", max_body=20_000, nlp=nlp), base_url="http://localhost") as c:
        yield c


def test_read_articles_ledgers_quotes_figures_speakers(client):
    arts = client.get("/api/articles").json()["items"]
    assert {a["article"] for a in arts} == {s.id for s in STORIES}
    led = client.get(f"/api/articles/{arts[0]['article_key']}").json()
    assert led["schema"] == "newsledger/ledger-v1" and led["id"] == arts[0]["article"] and led["attributions"]
    quotes = client.get("/api/quotes", params={"speaker": "Okonjo", "limit": 2}).json()
    assert len(quotes["items"]) == 2 and all("Okonjo" in q["speaker"] for q in quotes["items"])
    more = client.get("/api/quotes", params={"speaker": "Okonjo", "limit": 2, "offset": 2}).json()["items"]
    assert more and not {(q["article"], q["position"]) for q in more} & {(q["article"], q["position"]) for q in quotes["items"]}
    figures = client.get("/api/figures", params={"sourced": True}).json()["items"]
    assert figures and all(f["source"] for f in figures)
    speakers = client.get("/api/speakers", params={"limit": 3}).json()["items"]
    assert len(speakers) == 3 and speakers[0]["quotes"] >= speakers[-1]["quotes"]
    assert client.get("/api/articles", params={"text": "flood"}).json()["items"][0]["article"] == "wire-20240314-halden-flood"


def test_analyze_needs_the_token_and_returns_a_ledger(client):
    body = {"id": "t", "text": "“We will rebuild,” the mayor said on Tuesday. At least 40 homes were lost.",
            "published": "2024-03-14"}
    res = client.post("/api/analyze", json=body)
    assert res.status_code == 401 and res.json()["error"]["type"] == "Unauthorized"
    res = client.post("/api/analyze", json=body, headers={"Authorization": "Bearer s3cret"})
    assert res.status_code == 200, res.text
    led = res.json()
    assert led["attributions"][0]["kind"] == "direct"
    assert any(f["value"] == 40 for f in led["figures"]) and led["dates"][0]["value"] == "2024-03-12"


def test_errors_are_json_with_a_clear_message(client):
    auth = {"Authorization": "Bearer s3cret"}
    res = client.get("/api/articles/no-such-key")
    assert res.status_code == 404 and res.json()["error"]["type"] == "NotFound"
    res = client.post("/api/analyze", json={"id": "e", "text": "   "}, headers=auth)
    assert res.status_code == 422 and res.json()["error"]["type"] == "EmptyText"
    res = client.post("/api/analyze", json={"id": "x"}, headers=auth)
    assert res.status_code == 422 and res.json()["error"]["type"] == "MissingText"
    res = client.post("/api/analyze", json={"id": "x", "text": "a", "script": "<b>"}, headers=auth)
    assert res.status_code == 422 and "script" in res.json()["error"]["message"]
    res = client.get("/api/quotes", params={"limit": 100000})
    assert res.status_code == 422 and res.json()["error"]["type"] == "InvalidRequest"
    res = client.get("/api/quotes", params={"since": "last week"})
    assert res.status_code == 422
    res = client.post("/api/analyze", json={"id": "big", "text": "word " * 10_000}, headers=auth)
    assert res.status_code == 413 and res.json()["error"]["type"] == "TooLarge"
    # a chunked body (no Content-Length) is counted as it comes: too big is 413, small is analyzed
    chunked = {**auth, "content-type": "application/json"}
    big = json.dumps({"id": "big", "text": "word " * 10_000}).encode()
    res = client.post("/api/analyze", content=iter([big[:10_000], big[10_000:]]), headers=chunked)
    assert res.status_code == 413 and res.json()["error"]["type"] == "TooLarge"
    small = json.dumps({"id": "small", "text": "The mayor said 3 bridges closed."}).encode()
    res = client.post("/api/analyze", content=iter([small[:20], small[20:]]), headers=chunked)
    assert res.status_code == 200 and res.json()["id"] == "small"
    res = client.post("/api/analyze", json={"id": "u", "url": "http://127.0.0.1:9/x"}, headers=auth)
    assert res.status_code == 422 and res.json()["error"]["type"] == "FetchRefused"
    for local in (str(EXAMPLES / "flood-minister.txt"), "file:///etc/passwd", "examples"):  # never read here
        res = client.post("/api/analyze", json={"id": "u", "url": local}, headers=auth)
        assert res.status_code == 422 and res.json()["error"]["type"] == "FetchRefused", local


def test_a_since_after_the_until_is_refused_as_json(store_url):
    """422 InvalidRequest, as for a since or until that is no day: never an empty page."""
    open_store(store_url).close()
    with TestClient(create_app(store_url), base_url="http://localhost") as client:
        for endpoint in ("articles", "quotes", "figures", "speakers"):
            res = client.get(f"/api/{endpoint}", params={"since": "2024-03-14", "until": "2024-03-01"})
            assert res.status_code == 422, (endpoint, res.text)
            error = res.json()["error"]
            assert error["type"] == "InvalidRequest", error
            assert "since 2024-03-14" in error["message"] and "until 2024-03-01" in error["message"], error
            one_day = client.get(f"/api/{endpoint}", params={"since": "2024-03-14", "until": "2024-03-14"})
            assert one_day.status_code == 200, one_day.text


def test_hostile_parameters_are_text(client):
    for params in ({"speaker": "' OR 1=1 --"}, {"text": '"; DROP TABLE attributions; --'}, {"mentioning": "%_"},
                   {"text": "NEAR(a b) OR * ^ :"}):
        res = client.get("/api/quotes", params=params)
        assert res.status_code == 200 and res.json()["items"] == [], params
    assert len(client.get("/api/quotes", params={"limit": 500}).json()["items"]) > 10  # still all there


def test_openapi_is_published_and_responses_are_locked_down(client):
    res = client.get("/openapi.json")
    assert "default-src 'none'" in res.headers["content-security-policy"]
    assert res.headers["x-content-type-options"] == "nosniff"
    assert client.get("/docs").status_code == 404  # its page would load scripts from a CDN
    spec = res.json()
    assert {"/api/articles", "/api/articles/{key}", "/api/quotes", "/api/figures", "/api/speakers",
            "/api/analyze"} <= set(spec["paths"])


def test_analyses_take_turns_and_only_their_own_run_is_timed(store_url, nlp):
    """One worker, room for one waiting: of three analyses at once, the first runs (held past the
    time limit: 503 Timeout at the limit), the second waits longer than the limit, the first's
    thread keeping the turn until it ends, and is still answered; the third finds the queue full
    (503 Busy at once). The pipeline never runs two at once."""
    import threading
    from collections import Counter

    release, started, lock = threading.Event(), threading.Event(), threading.Lock()
    running = {"now": 0, "most": 0}

    class Gated:  # the real pipeline; its first parse waits until released
        def pipe(self, texts, **kwargs):
            with lock:
                running["now"] += 1
                running["most"] = max(running["most"], running["now"])
            try:
                if not started.is_set():
                    started.set()
                    release.wait(10)
                return list(nlp.pipe(texts, **kwargs))
            finally:
                with lock:
                    running["now"] -= 1

    app = create_app(store_url, analyze_seconds=0.3, analyze_workers=1, analyze_queue=1, nlp=Gated())
    outcomes = []
    with TestClient(app, base_url="http://localhost") as c:
        def post(i):
            res = c.post("/api/analyze", json={"id": f"t{i}", "text": "The mayor said 3 bridges closed."})
            outcomes.append((res.status_code, res.json().get("error", {}).get("type")))

        first = threading.Thread(target=post, args=(0,))
        first.start()
        assert started.wait(10)
        others = [threading.Thread(target=post, args=(i,)) for i in (1, 2)]
        for t in others:
            t.start()
        for _ in range(100):  # the queue is full: one of the two is turned away at once
            if outcomes:
                break
            threading.Event().wait(0.05)
        assert outcomes == [(503, "Busy")]
        first.join(10)  # answered at the limit, its parse still held
        assert outcomes[1] == (503, "Timeout") and not release.is_set() and running["now"] == 1
        threading.Event().wait(0.3)  # the waiting one has now waited longer than the limit
        release.set()
        for t in [first] + others:
            t.join(20)
    assert Counter(outcomes) == Counter([(503, "Busy"), (503, "Timeout"), (200, None)])
    assert running["most"] == 1


def test_entities_by_name_and_type_one_entity_and_search(client):
    people = client.get("/api/entities", params={"name": "okonjo", "type": "PERSON"}).json()["items"]
    assert people and all("okonjo" in e["name"].lower() and e["type"] == "PERSON" for e in people)
    assert client.get("/api/entities", params={"name": "okonjo", "type": "ORG"}).json()["items"] == []
    assert client.get("/api/entities", params={"name": "%_"}).json()["items"] == []  # wildcards are text
    one = client.get(f"/api/entities/{people[0]['entity_id']}").json()
    assert one["name"] == people[0]["name"] and len(one["mentions"]) == people[0]["mentions"]
    led = client.get(f"/api/articles/{one['article_key']}").json()
    assert all(led["text"][m["start"]:m["end"]] == m["text"] for m in one["mentions"])
    res = client.get("/api/entities/999999999")
    assert res.status_code == 404 and res.json()["error"]["type"] == "NotFound"
    paged = client.get("/api/entities", params={"limit": 2, "offset": 1}).json()["items"]
    assert [e["entity_id"] for e in paged] == [e["entity_id"] for e in client.get("/api/entities").json()["items"][1:3]]
    found = client.get("/api/search", params={"q": "rebuild"}).json()
    assert any("rebuild" in q["content"].lower() for q in found["quotes"])
    assert found["articles"] and client.get("/api/search", params={"q": ""}).status_code == 422


def test_speakers_page_through_in_order(client):
    everyone = client.get("/api/speakers", params={"limit": 50}).json()["items"]
    assert len(everyone) >= 3
    second_page = client.get("/api/speakers", params={"limit": 2, "offset": 1}).json()["items"]
    assert [s["speaker"] for s in second_page] == [s["speaker"] for s in everyone[1:3]]


def test_speakers_leave_out_unresolved_pronouns_and_quotes_say_so(store_url, nlp):
    from newsledger.store.write import save_ledger
    from test_queries import pronoun_ledger

    st = open_store(store_url)
    with st.session() as s:
        save_ledger(s, pronoun_ledger(), key="pronouns")
    st.close()
    with TestClient(create_app(store_url, nlp=nlp), base_url="http://localhost") as c:
        assert {p["speaker"] for p in c.get("/api/speakers").json()["items"]} == {"Ana Ruiz", "Residents"}
        quotes = {q["position"]: q for q in c.get("/api/quotes").json()["items"]}
        assert (quotes[1]["speaker"], quotes[1]["source_name"], quotes[1]["source_resolved"]) == (None, "I", False)
        by_speaker = c.get("/api/quotes", params={"speaker": "i"}).json()["items"]  # "Ruiz", "Residents" match
        assert sorted(q["position"] for q in by_speaker) == [0, 2]
        led = c.get("/api/articles/pronouns").json()
        assert [a["source"]["resolved"] for a in led["attributions"]] == [True, False, True]


def test_an_analysis_over_its_time_is_ended_and_its_worker_replaced(store_url):
    """In the server's own mode (worker processes, no pipeline given): the runaway analysis answers
    503 Timeout, the pages are served while it runs, and the next analysis gets the freed slot."""
    import threading

    long = "\n\n".join(["Harbor officials said on Monday that the terminal would open in March, "
                        "\"We underestimated the soil work,\" the port director told reporters."] * 900)
    app = create_app(store_url, analyze_seconds=2, analyze_workers=1, analyze_queue=1)
    with TestClient(app, base_url="http://localhost") as c:
        answers = []
        slow = threading.Thread(target=lambda: answers.append(c.post("/api/analyze", json={"id": "long", "text": long})))
        slow.start()
        threading.Event().wait(0.5)  # the analysis has started: it takes far over its 2 s
        read = c.get("/api/articles")  # served while it runs
        assert read.status_code == 200 and not answers
        slow.join(120)
        assert answers[0].status_code == 503 and answers[0].json()["error"]["type"] == "Timeout"
        short = c.post("/api/analyze", json={"id": "short", "text": "The mayor said 3 bridges closed."})
        assert short.status_code == 200 and short.json()["attributions"]


def test_speakers_and_actors_go_by_the_corpus_person(store_url):
    """Three wire stories name one man three ways: one speaker, one actor, with his other names."""
    from newsledger.store.write import save_ledger

    from conftest import wire_stories

    st = open_store(store_url)
    for led in wire_stories():
        with st.session() as s:
            save_ledger(s, led, key=led.id)
    st.close()
    with TestClient(create_app(store_url), base_url="http://localhost") as c:
        [one] = c.get("/api/speakers").json()["items"]
        assert (one["speaker"], one["type"], one["quotes"], one["articles"]) == ("Donald Trump", "PERSON", 4, 3)
        assert {a["name"] for a in one["aliases"]} >= {"Trump", "Donald J. Trump"} and one["ambiguous"] is False
        assert {q["speaker"] for q in c.get("/api/quotes").json()["items"]} == {"Donald Trump"}
        [found] = c.get("/api/actors", params={"name": "donald j"}).json()["items"]
        assert found["id"] == one["actor"] and found["articles"] == 3
        assert c.get("/api/actors", params={"type": "ORG"}).json()["items"][0]["name"] == "White House"
        actor = c.get(f"/api/actors/{one['actor']}").json()
        assert actor["name"] == "Donald Trump" and {e["article"] for e in actor["entities"]} == {"wire-a", "wire-b", "wire-c"}
        assert c.get("/api/actors/999999").status_code == 404
        ent = c.get("/api/entities", params={"name": "Trump"}).json()["items"]
        assert {e["actor"] for e in ent} == {"Donald Trump"}
