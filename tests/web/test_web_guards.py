"""Who may ask the server: the Host header must name it (no DNS rebinding), posts must come from its
own origin (not another site's page, not `Origin: null`), the token only as `Authorization: Bearer`;
and URL analyses wait in the analyses' line, so slow URLs cannot starve the pages."""
import http.client
import json
import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient

from newsledger.web import create_app
from newsledger.web.api import HostCheck, same_origin

from test_fetch_deadline import DripServer, forever

TEXT = {"id": "t", "text": "“We will rebuild,” the mayor said on Tuesday."}


@pytest.fixture
def store_file(tmp_path):
    return f"sqlite:///{tmp_path / 'store.db'}"


def client(app, host="localhost"):
    return TestClient(app, base_url=f"http://{host}")


# ---------------------------------------------------------------- Host

def test_host_header_must_name_the_server(store_file):
    app = create_app(store_file, host="127.0.0.1", port=8000, allowed_hosts=["news.example.org", "other.example:8443"])
    for host, status in [("127.0.0.1:8000", 200), ("localhost:8000", 200), ("[::1]:8000", 200),
                         ("news.example.org", 200), ("news.example.org:8000", 200), ("other.example:8443", 200),
                         ("evil.example:8000", 400), ("evil.example", 400), ("127.0.0.1:9999", 400),
                         ("localhost", 400), ("other.example:8000", 400), ("127.0.0.1:bad", 400),
                         ("user@127.0.0.1:8000", 400)]:
        with client(app) as c:
            for path in ("/", "/api/articles", "/static/app.css"):
                res = c.get(path, headers={"Host": host})
                assert res.status_code == status, (host, path, res.status_code)
    with client(app, "evil.example:8000") as c:
        res = c.get("/api/articles")
        assert res.json()["error"]["type"] == "BadHost" and res.headers["x-content-type-options"] == "nosniff"
        assert c.post("/api/analyze", json=TEXT).status_code == 400


def test_without_a_port_loopback_names_at_any_port_and_the_wildcard(store_file):
    app = create_app(store_file)  # as the browser tests make it: localhost's names, any port
    for host, status in [("127.0.0.1:51234", 200), ("localhost", 200), ("attacker.example:51234", 400)]:
        with client(app, host) as c:
            assert c.get("/api/articles").status_code == status, host
    with client(create_app(store_file, allowed_hosts=["*"]), "anything.example:1") as c:
        assert c.get("/api/articles").status_code == 200
    with pytest.raises(ValueError):
        create_app(store_file, allowed_hosts=["http://x/"])


def test_host_check_and_same_origin_units():
    check = HostCheck("0.0.0.0", 8000, [])  # a wildcard address is no name: localhost's names only
    assert check.allows("localhost:8000") and not check.allows("0.0.0.0:8000") and not check.allows("")
    assert HostCheck("127.0.0.1", 80, []).allows("localhost")
    assert HostCheck(None, None, ["fe80::1"]).allows("[fe80::1]:8000")  # a bare IPv6 address as an entry
    assert same_origin("http://localhost:8000", "localhost:8000", "http")
    assert same_origin("https://news.example.org", "news.example.org", "http")  # TLS ended at a proxy
    assert not same_origin("http://localhost:8001", "localhost:8000", "http")
    assert not same_origin("null", "localhost:8000", "http")
    assert not same_origin("http://localhost.evil.example:8000", "localhost:8000", "http")


# ---------------------------------------------------------------- Origin

@pytest.mark.parametrize("headers", [{"Origin": "null"}, {"Origin": "https://evil.example"},
                                     {"Origin": "http://localhost:8001"}, {"Sec-Fetch-Site": "cross-site"}])
def test_posts_from_another_origin_are_refused(store_file, headers):
    with client(create_app(store_file)) as c:
        res = c.post("/api/analyze", json=TEXT, headers=headers)
        assert res.status_code == 403 and res.json()["error"]["type"] == "Forbidden"
        res = c.post("/analyze", data={"text": TEXT["text"]}, headers=headers)
        assert res.status_code == 403 and "text/html" in res.headers["content-type"]
        assert c.get("/api/articles", headers=headers).status_code == 200  # reads stay open


def test_posts_from_the_own_origin_or_without_one_pass(store_file, nlp):
    with client(create_app(store_file, nlp=nlp), "localhost:8000") as c:
        assert c.post("/api/analyze", json=TEXT, headers={"Origin": "http://localhost:8000"}).status_code == 200
        assert c.post("/api/analyze", json=TEXT, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
        assert c.post("/api/analyze", json=TEXT).status_code == 200  # curl and scripts send no Origin
        res = c.post("/analyze", data={"text": TEXT["text"]}, headers={"Origin": "http://localhost:8000"},
                     follow_redirects=False)
        assert res.status_code == 303


# ---------------------------------------------------------------- token

def test_the_token_only_as_a_bearer_token(store_file, nlp):
    with client(create_app(store_file, token="s3cret", nlp=nlp)) as c:
        for value in ["s3cret", "Basic s3cret", "Bearer", "Bearer wrong", "Bearers3cret", "Token s3cret"]:
            res = c.post("/api/analyze", json=TEXT, headers={"Authorization": value})
            assert res.status_code == 401 and res.json()["error"]["type"] == "Unauthorized", value
        assert c.post("/api/analyze", json=TEXT).status_code == 401
        for value in ["Bearer s3cret", "bearer s3cret"]:  # the scheme's case does not matter (RFC 7235)
            assert c.post("/api/analyze", json=TEXT, headers={"Authorization": value}).status_code == 200, value


# ---------------------------------------------------------------- slow URLs and the pages

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_slow_urls_wait_in_the_analyses_line_and_the_pages_still_answer(store_file):
    import uvicorn

    drip = DripServer(b"", forever(b"H"), interval=0.2)  # a status line that never ends
    port = free_port()
    app = create_app(store_file, analyze_workers=1, analyze_queue=100, allow_private_urls=True)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    answers = []

    def post(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("POST", "/api/analyze", json.dumps({"id": f"u{i}", "url": drip.url}),
                         {"Content-Type": "application/json"})
            answers.append(conn.getresponse().status)
        except OSError as exc:
            answers.append(type(exc).__name__)
        finally:
            conn.close()

    posts = [threading.Thread(target=post, args=(i,), daemon=True) for i in range(45)]
    try:
        for t in posts:
            t.start()
        time.sleep(1.0)  # all 45 are in: one fetching, the others in line
        took = {}
        for path in ("/", "/static/app.css", "/api/articles"):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            began = time.monotonic()
            try:
                conn.request("GET", path)
                status = conn.getresponse().status
            except OSError as exc:
                status = type(exc).__name__
            finally:
                conn.close()
            took[path] = (status, round(time.monotonic() - began, 2))
        assert all(status == 200 and seconds < 2 for status, seconds in took.values()), took
    finally:
        drip.close()  # the fetches fail at once now, and the line empties
        for t in posts:
            t.join(20)
        srv.should_exit = True
        thread.join(10)
    assert len(answers) == 45 and set(answers) <= {422, 503}, answers
