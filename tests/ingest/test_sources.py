"""Ingest sources: the guarded fetcher, RSS/Atom feeds, WARC files, publication time from HTML.

Nothing here touches the internet: fetches go to an HTTP server on 127.0.0.1 started by the test
(with private addresses allowed for it), and the guard's refusals are checked with injected resolvers.
"""
import gzip
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsledger.ingest import InputError, InputNotFound, extract_from_html, prepare, read_inputs
from newsledger.ingest.feeds import entry_published
from newsledger.ingest.fetch import address_refusal, checked_addresses, fetch
from newsledger.ingest.html import published_time
from newsledger.ledger import Article, ErrorRecord


def page(title, body, head=""):
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Harbor Gazette</title>
<meta property="og:title" content="{title}">{head}
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>{title}</h1>
{body}
</article><footer>&copy; 2024 Harbor Gazette</footer></body></html>"""


STORY = """<p>The city council voted on Tuesday to extend the night bus service to the eastern districts,
after a year of complaints from shift workers who said they had no way home after midnight.</p>
<p>"This closes a gap that should never have existed," said councillor Maria Okafor, who proposed
the measure. The extension will cost about $2.4 million a year, according to the transit agency.</p>"""

FERRY = """<p>Ferry crossings to Kell Island resume on Friday, nine days after a storm tore away part of
the island's only pier, the regional transport authority said on Wednesday afternoon.</p>
<p>"The temporary landing has passed its inspection," said spokesperson Nadia Ferris. Crossings will
run at half their usual frequency until the pier is rebuilt next spring, she said.</p>"""

BUS_PAGE = page("Night buses extended to eastern districts", STORY,
                '<meta property="article:published_time" content="2024-03-12T18:40:00+01:00">'
                '<meta name="author" content="Lena Brandt">')
FERRY_PAGE = page("Ferry crossings to resume on Friday", FERRY)  # no date, no author


def rss(items, title="Harbor Gazette - Local"):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>{title}</title><link>http://news.example/</link><description>Local news</description>
{items}
</channel></rss>""".encode()


def rss_item(link, guid, title, date="Wed, 13 Mar 2024 09:30:00 -0400", extra=""):
    return (f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>"
            f"<pubDate>{date}</pubDate><author>desk@news.example (News Desk)</author>{extra}</item>")


# ------------------------------------------------------------------ a local HTTP server

class Server:
    """routes: path -> (status, headers dict, body bytes) or a callable(handler) that answers."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append((self.path, dict(self.headers)))
                route = outer.routes.get(self.path)
                if route is None:
                    route = (404, {"Content-Type": "text/html"}, b"<html>not found</html>")
                if callable(route):
                    return route(self)
                status, headers, body = route
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def html(self, path, text, status=200):
        self.routes[path] = (status, {"Content-Type": "text/html; charset=utf-8"}, text.encode("utf-8"))
        return self.base + path

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def only_loopback(host, port):
    return ["127.0.0.1"]


@pytest.fixture(autouse=True)
def no_dns(monkeypatch):
    """No test here may look a name up: only numeric hosts reach getaddrinfo."""
    import ipaddress
    import socket

    real = socket.getaddrinfo

    def numeric_only(host, *args, **kwargs):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise AssertionError(f"a test tried to resolve {host!r}") from None
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", numeric_only)


# ------------------------------------------------------------------ the guard (no connections)

@pytest.mark.parametrize("address,reason", [
    ("127.0.0.1", "loopback"), ("10.0.0.7", "private"), ("192.168.1.1", "private"),
    ("172.16.5.4", "private"), ("169.254.169.254", "link-local"), ("224.0.0.251", "multicast"),
    ("0.0.0.0", "unspecified"), ("100.64.0.1", "not globally routable"), ("::1", "loopback"),
    ("fe80::1%eth0", "link-local"), ("fc00::1", "private"), ("::", "unspecified"),
    ("ff02::1", "multicast"), ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),
    ("2002:7f00:1::", "loopback"), ("64:ff9b::a9fe:a9fe", "link-local"),
])
def test_non_public_addresses_are_refused_with_the_reason(address, reason):
    assert address_refusal(address) == reason


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address):
    assert address_refusal(address) is None


def test_a_name_with_one_private_address_among_public_ones_is_refused():
    def resolver(host, port):
        return ["93.184.215.14", "10.0.0.5"]

    with pytest.raises(InputError) as exc:
        checked_addresses("mixed.example", 80, resolver=resolver)
    assert exc.value.kind == "FetchRefused" and "10.0.0.5" in str(exc.value)
    assert checked_addresses("mixed.example", 80, allow_private=True, resolver=resolver) == \
        ["93.184.215.14", "10.0.0.5"]


def test_the_guard_refuses_before_connecting():
    calls = []

    def resolver(host, port):
        calls.append((host, port))
        return ["169.254.169.254"]

    with pytest.raises(InputError) as exc:
        fetch("http://metadata.example/latest/", resolver=resolver)
    assert exc.value.kind == "FetchRefused" and "link-local" in str(exc.value)
    assert calls == [("metadata.example", 80)]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://ftp.example/pub/a.html", "gopher://x/",
                                 "http:///nohost", "http://[::1"])
def test_other_schemes_and_broken_urls_are_refused_without_resolving(url):
    def resolver(host, port):
        raise AssertionError("must not resolve")

    with pytest.raises(InputError) as exc:
        fetch(url, resolver=resolver)
    assert exc.value.kind == "FetchRefused"


def test_an_unresolvable_host_is_a_fetch_failure():
    def resolver(host, port):
        raise OSError("Name or service not known")

    with pytest.raises(InputError) as exc:
        fetch("https://no-such-host.example/", resolver=resolver)
    assert exc.value.kind == "FetchFailed" and "no-such-host.example" in str(exc.value)


# ------------------------------------------------------------------ fetching (local server)

def test_fetch_gets_a_page_with_a_user_agent_and_decodes_its_charset(server):
    server.routes["/latin"] = (200, {"Content-Type": "text/html; charset=iso-8859-1"},
                               "<p>Caf\u00e9 owners</p>".encode("latin-1"))
    fetched = fetch(server.base + "/latin", allow_private=True)
    assert fetched.content_type == "text/html" and fetched.charset == "iso-8859-1"
    from newsledger.ingest.fetch import decode_body
    assert "Caf\u00e9" in decode_body(fetched)
    assert server.requests[0][1]["User-Agent"].startswith("newsledger/")


def test_loopback_is_refused_unless_allowed(server):
    url = server.html("/a", BUS_PAGE)
    with pytest.raises(InputError) as exc:
        fetch(url)
    assert exc.value.kind == "FetchRefused" and "loopback" in str(exc.value)
    assert server.requests == []  # refused before any connection


def test_the_connection_goes_to_the_checked_address_with_the_host_name_kept(server):
    # news.invalid cannot resolve through DNS: the fetch succeeds only by connecting to the address
    # the resolver gave (and checked), and the server still sees the name in the Host header.
    server.html("/a", BUS_PAGE)
    port = server.httpd.server_address[1]
    fetched = fetch(f"http://news.invalid:{port}/a", allow_private=True, resolver=only_loopback)
    assert fetched.body == BUS_PAGE.encode() and fetched.url == f"http://news.invalid:{port}/a"
    assert server.requests[0][1]["Host"] == f"news.invalid:{port}"


def test_https_to_a_server_without_tls_is_a_fetch_failure(server):
    port = server.httpd.server_address[1]
    with pytest.raises(InputError) as exc:
        fetch(f"https://news.invalid:{port}/a", allow_private=True, resolver=only_loopback, timeout=2)
    assert exc.value.kind == "FetchFailed" and "TLS" in str(exc.value)


def test_redirects_are_followed(server):
    url = server.html("/story", BUS_PAGE)
    server.routes["/old"] = (301, {"Location": "/story"}, b"")
    server.routes["/older"] = (307, {"Location": server.base + "/old"}, b"")
    fetched = fetch(server.base + "/older", allow_private=True)
    assert fetched.url == url and fetched.body == BUS_PAGE.encode()
    assert [p for p, _ in server.requests] == ["/older", "/old", "/story"]


def test_a_redirect_to_a_private_address_is_refused(server, monkeypatch):
    """The first hop is the test server (pinned, allowed as if public); its redirect to a private
    address is refused without a connection."""
    from newsledger.ingest import fetch as fetch_module

    server.routes["/go"] = (302, {"Location": "http://intranet.example/secrets"}, b"")
    real_refusal = fetch_module.address_refusal
    monkeypatch.setattr(fetch_module, "address_refusal",
                        lambda a: None if a == "127.0.0.1" else real_refusal(a))

    def resolver(host, port):
        return {"127.0.0.1": ["127.0.0.1"], "intranet.example": ["192.168.0.10"]}[host]

    with pytest.raises(InputError) as exc:
        fetch(server.base + "/go", resolver=resolver)
    assert exc.value.kind == "FetchRefused" and "192.168.0.10" in str(exc.value)
    assert [p for p, _ in server.requests] == ["/go"]


def test_redirect_to_file_scheme_is_refused(server):
    server.routes["/file"] = (302, {"Location": "file:///etc/passwd"}, b"")
    with pytest.raises(InputError) as exc:
        fetch(server.base + "/file", allow_private=True)
    assert exc.value.kind == "FetchRefused" and "file" in str(exc.value)


def test_redirect_loops_stop_after_the_bound(server):
    server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(InputError) as exc:
        fetch(server.base + "/loop", allow_private=True, max_redirects=3)
    assert exc.value.kind == "FetchFailed" and "redirects" in str(exc.value)
    assert len(server.requests) == 4


def test_http_errors_and_wrong_content_types_are_reported(server):
    with pytest.raises(InputError) as exc:
        fetch(server.base + "/missing", allow_private=True)
    assert exc.value.kind == "FetchFailed" and "404" in str(exc.value)
    server.routes["/photo.jpg"] = (200, {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff\xe0")
    with pytest.raises(InputError) as exc:
        fetch(server.base + "/photo.jpg", allow_private=True)
    assert exc.value.kind == "UnsupportedContent" and "image/jpeg" in str(exc.value)


def test_oversized_responses_stop_at_the_bound(server):
    big = b"<html><body>" + b"x" * 50_000 + b"</body></html>"
    server.routes["/big"] = (200, {"Content-Type": "text/html"}, big)
    with pytest.raises(InputError) as exc:
        fetch(server.base + "/big", allow_private=True, max_bytes=10_000)
    assert exc.value.kind == "TooLarge"

    def no_length(handler):  # no Content-Length: the bound applies while reading
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(big)

    server.routes["/stream"] = no_length
    with pytest.raises(InputError) as exc:
        fetch(server.base + "/stream", allow_private=True, max_bytes=10_000)
    assert exc.value.kind == "TooLarge"
    # a gzip bomb: small on the wire, large once inflated
    bomb = gzip.compress(b"<p>" + b"a" * 1_000_000)
    server.routes["/bomb"] = (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb)
    with pytest.raises(InputError) as exc:
        fetch(server.base + "/bomb", allow_private=True, max_bytes=100_000)
    assert exc.value.kind == "TooLarge"
    server.routes["/gz"] = (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                            gzip.compress(BUS_PAGE.encode()))
    assert fetch(server.base + "/gz", allow_private=True).body == BUS_PAGE.encode()


def test_a_server_that_does_not_answer_times_out(server):
    def slow(handler):
        time.sleep(1.5)
        handler.send_response(200)
        handler.end_headers()

    server.routes["/slow"] = slow
    started = time.monotonic()
    with pytest.raises(InputError) as exc:
        fetch(server.base + "/slow", allow_private=True, timeout=0.3)
    assert exc.value.kind == "Timeout"
    assert time.monotonic() - started < 1.2


def test_a_trickling_server_hits_the_overall_deadline(server):
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        try:
            for _ in range(30):
                handler.wfile.write(b"<p>x</p>")
                handler.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    server.routes["/trickle"] = trickle
    started = time.monotonic()
    with pytest.raises(InputError) as exc:
        fetch(server.base + "/trickle", allow_private=True, timeout=1, deadline_seconds=0.5)
    assert exc.value.kind == "Timeout"
    assert time.monotonic() - started < 1.5


# ------------------------------------------------------------------ URLs through read_inputs

def test_a_page_url_is_one_article(server):
    url = server.html("/news/night-buses", BUS_PAGE)
    [article] = list(read_inputs(url, allow_private=True))
    assert isinstance(article, Article) and article.id == url and article.url == url
    prepared = prepare(article)
    assert prepared.text.startswith("The city council voted on Tuesday")
    assert prepared.article.published == "2024-03-12T18:40:00+01:00"
    assert prepared.article.author == "Lena Brandt"


def test_a_url_that_fails_is_one_error_record_in_place(server):
    items = list(read_inputs(server.base + "/gone", allow_private=True))
    assert [(i.id, i.error.type) for i in items] == [(server.base + "/gone", "FetchFailed")]
    [refused] = list(read_inputs(server.base + "/gone"))  # loopback, not allowed
    assert refused.error.type == "FetchRefused"
    # a URL is never looked for on disk
    assert list(read_inputs("https://[::1"))[0].error.type == "FetchRefused"


def test_a_feed_url_yields_its_entries_pages(server):
    bus = server.html("/news/night-buses", BUS_PAGE)
    ferry = server.html("/news/ferry", FERRY_PAGE)
    server.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(
        rss_item("/news/night-buses", "urn:gazette:101", "Night buses extended (feed title)")
        + rss_item("/news/ferry", "urn:gazette:102", "Ferry crossings resume Friday")
        + rss_item("/news/404", "urn:gazette:103", "A story since removed")
        + rss_item("file:///etc/passwd", "urn:gazette:104", "Not a web link")))
    items = list(read_inputs(server.base + "/feed.xml", allow_private=True))
    assert [i.id for i in items] == ["urn:gazette:101", "urn:gazette:102", "urn:gazette:103",
                                     "urn:gazette:104"]
    a, b, c, d = items
    # the page's own metadata wins: its title and its publication time (with time of day)
    assert a.url == bus and a.title == "Night buses extended to eastern districts"
    assert a.published == "2024-03-12T18:40:00+01:00" and a.author == "Lena Brandt"
    # the page lacks a date and an author: the entry's fill in, offset kept
    assert b.url == ferry and b.published == "2024-03-13T09:30:00-04:00"
    assert b.author == "desk@news.example (News Desk)"
    assert prepare(b).text.startswith("Ferry crossings to Kell Island resume on Friday")
    assert c.error.type == "FetchFailed" and "404" in c.error.message
    assert d.error.type == "FetchRefused" and "file" in d.error.message


def test_feed_entry_links_to_private_addresses_are_refused(write, server):
    # a local feed file whose entry links to the loopback server: refused when not allowed
    bus = server.html("/news/night-buses", BUS_PAGE)
    path = write("local.rss", rss(rss_item(bus, "urn:gazette:101", "Night buses")))
    [refused] = list(read_inputs(str(path)))
    assert refused.id == "urn:gazette:101" and refused.error.type == "FetchRefused"
    [article] = list(read_inputs(str(path), allow_private=True))
    assert isinstance(article, Article) and article.html == BUS_PAGE
    assert server.requests and server.requests[-1][0] == "/news/night-buses"


# ------------------------------------------------------------------ feed files

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>River Post</title><id>urn:riverpost</id><updated>2024-04-02T10:00:00Z</updated>
<entry><title>Dam inspection finds cracks</title><id>tag:riverpost.example,2024:dam</id>
<link href="https://riverpost.example/dam"/>
<published>2024-04-02T07:45:00+02:00</published><updated>2024-04-02T09:00:00+02:00</updated>
<author><name>Tomas Weber</name></author>
<content type="html">&lt;p&gt;Inspectors found cracks in the spillway of the Lindau dam, the regional water board
said on Tuesday, and ordered the reservoir lowered by two metres as a precaution.&lt;/p&gt;
&lt;p&gt;"There is no immediate danger," board chair Ilse Kern told reporters.&lt;/p&gt;</content>
</entry>
<entry><title>Summary only</title><id>tag:riverpost.example,2024:short</id>
<link href="https://riverpost.example/short"/><published>2024-04-01T12:00:00Z</published>
<summary type="text">Council meets on Thursday to discuss the budget for the coming year and the new bridge.</summary>
</entry>
<entry><title>Empty</title><id>tag:riverpost.example,2024:empty</id><link href="https://riverpost.example/e"/></entry>
</feed>"""


def test_feed_entries_only_take_the_entry_content_and_fetch_nothing(write, monkeypatch):
    from newsledger.ingest import feeds

    def no_fetch(*a, **k):
        raise AssertionError("must not fetch")

    monkeypatch.setattr(feeds, "fetch", no_fetch)
    path = write("river.atom", ATOM)
    full, short, empty = list(read_inputs(str(path), fetch_pages=False))
    assert full.id == "tag:riverpost.example,2024:dam" and full.url == "https://riverpost.example/dam"
    assert full.published == "2024-04-02T07:45:00+02:00" and full.author == "Tomas Weber"
    assert full.outlet == "River Post" and full.title == "Dam inspection finds cracks"
    assert prepare(full).text.startswith("Inspectors found cracks in the spillway")
    assert short.text.startswith("Council meets on Thursday") and short.html is None
    assert empty.id == "tag:riverpost.example,2024:empty" and empty.error.type == "MissingText"


def test_malformed_and_empty_feeds_are_one_error_record(write):
    broken = write("broken.rss", b"<rss><channel><title>Cut off<item><title>x</ti")
    [err] = list(read_inputs(str(broken), fetch_pages=False))
    assert err.id == str(broken) and err.error.type == "InvalidFeed"
    assert "not an RSS or Atom feed with entries" in err.error.message
    not_a_feed = write("sitemap.xml", b'<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    [err] = list(read_inputs(str(not_a_feed), fetch_pages=False))
    assert err.error.type == "InvalidFeed"


def test_entry_without_id_or_link_is_an_error_in_place(write):
    path = write("odd.rss", rss("<item><title>No id</title><description>Some words here.</description></item>"
                                + rss_item("https://news.example/a", "urn:a", "A",
                                           extra="<description>The harbour reopened on Monday after a week of "
                                                 "repairs to the quay wall, officials said.</description>")))
    first, second = list(read_inputs(str(path), fetch_pages=False))
    assert first.error.type == "MissingId" and "entry 1" in first.error.message
    assert second.id == "urn:a" and second.published == "2024-03-13T09:30:00-04:00"


def test_entry_published_keeps_the_offset():
    assert entry_published({"published": "Tue, 02 Apr 2024 07:45:00 +0200"}) == "2024-04-02T07:45:00+02:00"
    assert entry_published({"published": "2024-04-02T05:45:00Z"}) == "2024-04-02T05:45:00+00:00"
    assert entry_published({"published": "sometime", "published_parsed": time.struct_time(
        (2024, 4, 2, 5, 45, 0, 1, 93, 0))}) == "2024-04-02T05:45:00+00:00"
    assert entry_published({}) is None


# ------------------------------------------------------------------ WARC files

def write_warc(path, records, gz=True):
    """records: (uri, content_type, html bytes or str, status) -> a WARC file like CC-NEWS's."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for uri, ctype, body, status in records:
            body = body.encode("utf-8") if isinstance(body, str) else body
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
            writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".encode())))
    return path


NEWS_RECORDS = [
    ("https://gazette.example/night-buses", "text/html; charset=UTF-8", BUS_PAGE, "200 OK"),
    ("https://gazette.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "200 OK"),
    ("https://gazette.example/moved", "text/html", "<html>moved</html>", "301 Moved Permanently"),
    ("https://gazette.example/ferry", "text/html; charset=windows-1252",
     FERRY_PAGE.replace("spokesperson", "spokesperson\u2019s aide").encode("cp1252"), "200 OK"),
]


def test_warc_responses_with_html_are_articles_and_the_rest_is_skipped(tmp_path):
    path = write_warc(tmp_path / "CC-NEWS-20240313.warc.gz", NEWS_RECORDS)
    items = list(read_inputs(str(path)))
    assert [i.url for i in items] == ["https://gazette.example/night-buses", "https://gazette.example/ferry"]
    assert all(isinstance(i, Article) and i.id.startswith("urn:uuid:") for i in items)
    assert "aide" in items[1].html and "\u2019" in items[1].html  # decoded as the HTTP charset says
    prepared = prepare(items[0])
    assert prepared.article.published == "2024-03-12T18:40:00+01:00"
    assert prepared.text.startswith("The city council voted")
    plain = write_warc(tmp_path / "plain.warc", NEWS_RECORDS[:1], gz=False)
    assert [i.url for i in read_inputs(str(plain))] == ["https://gazette.example/night-buses"]


def test_a_truncated_warc_yields_the_records_before_the_damage_then_an_error(tmp_path):
    path = write_warc(tmp_path / "cut.warc.gz", NEWS_RECORDS)
    data = path.read_bytes()
    cut = tmp_path / "cut-short.warc.gz"
    cut.write_bytes(data[:int(len(data) * 0.8)])
    items = list(read_inputs(str(cut)))
    assert isinstance(items[0], Article) and items[0].url == "https://gazette.example/night-buses"
    assert isinstance(items[-1], ErrorRecord) and items[-1].error.type == "InvalidWARC"
    assert items[-1].id == str(cut) and "records before the damage were read" in items[-1].error.message
    # uncompressed, cut inside a record's headers (warcio alone would stop quietly there)
    plain = write_warc(tmp_path / "plain.warc", NEWS_RECORDS, gz=False).read_bytes()
    cut_at = plain.index(b"WARC-Target-URI: https://gazette.example/logo.png") + 10
    (tmp_path / "plain-cut.warc").write_bytes(plain[:cut_at])
    first, last = list(read_inputs(str(tmp_path / "plain-cut.warc")))
    assert first.url == "https://gazette.example/night-buses" and last.error.type == "InvalidWARC"
    garbage = tmp_path / "garbage.warc"
    garbage.write_bytes(b"this is not a WARC file at all\n" * 10)
    [err] = list(read_inputs(str(garbage)))
    assert err.error.type == "InvalidWARC"


def test_an_oversized_warc_record_is_an_error_and_reading_goes_on(tmp_path):
    from newsledger.ingest.warc import read_warc

    big = page("Long", "<p>" + "word " * 5000 + "</p>")
    path = write_warc(tmp_path / "big.warc.gz", [("https://g.example/big", "text/html", big, "200 OK"),
                                                 NEWS_RECORDS[0]])
    first, second = list(read_warc(path, max_record_bytes=10_000))
    assert first.error.type == "TooLarge" and second.url == "https://gazette.example/night-buses"


# ------------------------------------------------------------------ folders and the CLI

def test_a_folder_reads_feeds_warc_files_and_skips_xml_that_is_not_a_feed(tmp_path):
    write_warc(tmp_path / "a.warc.gz", NEWS_RECORDS[:1])
    (tmp_path / "b.atom").write_text(ATOM)
    (tmp_path / "c-sitemap.xml").write_text('<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    (tmp_path / "d.xml").write_bytes(rss(rss_item("https://n.example/d", "urn:d", "D",
                                                  extra="<description>The harbour reopened on Monday after a week "
                                                        "of repairs, officials said.</description>")))
    items = list(read_inputs(str(tmp_path), fetch_pages=False))
    assert [getattr(i, "url", None) for i in items] == [
        "https://gazette.example/night-buses", "https://riverpost.example/dam", "https://riverpost.example/short",
        None, "https://n.example/d"]


def test_missing_local_paths_still_raise():
    with pytest.raises(InputNotFound):
        read_inputs("/no/such/feed.rss")


def test_progress_totals_are_unknown_for_urls_feeds_and_warc_files(tmp_path):
    from newsledger.corpus.batch import count_items

    (tmp_path / "a.txt").write_text("One article.")
    assert count_items([str(tmp_path / "a.txt")]) == 1
    assert count_items(["https://news.example/feed"]) is None
    write_warc(tmp_path / "cc.warc.gz", NEWS_RECORDS[:1])
    assert count_items([str(tmp_path)]) is None


def test_a_feed_url_without_entries_is_an_invalid_feed_error(server):
    server.routes["/empty.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(""))
    [err] = list(read_inputs(server.base + "/empty.xml", allow_private=True))
    assert err.id == server.base + "/empty.xml" and err.error.type == "InvalidFeed"


def test_cli_refuses_private_urls_unless_allowed(server, tmp_path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    url = server.html("/news/night-buses", BUS_PAGE)
    runner = CliRunner()
    refused = runner.invoke(app, ["analyze", url])
    assert refused.exit_code == 1
    assert json.loads(refused.stdout)["error"]["type"] == "FetchRefused"
    allowed = runner.invoke(app, ["analyze", url, "--allow-private-urls"])
    assert allowed.exit_code == 0, allowed.output
    ledger = json.loads(allowed.stdout)
    assert ledger["id"] == url and ledger["text"].startswith("The city council voted")


# ------------------------------------------------------------------ publication time in HTML

@pytest.mark.parametrize("head,body,expected", [
    ('<meta property="article:published_time" content="2024-03-12T18:40:00+01:00">', "", "2024-03-12T18:40:00+01:00"),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebPage"},'
     '{"@type": "NewsArticle", "datePublished": "2024-03-12T17:40:00Z"}]}</script>', "", "2024-03-12T17:40:00+00:00"),
    ('<script type="application/ld+json">{broken json</script>',
     '<time datetime="2024-03-12T09:05:00-05:00" itemprop="datePublished">March 12</time>', "2024-03-12T09:05:00-05:00"),
    ("", '<time datetime="2024-03-12">March 12</time>', None),          # a date alone: left to trafilatura
    ('<meta property="article:published_time" content="last Tuesday">', "", None),
])
def test_published_time_keeps_the_time_of_day_and_offset(head, body, expected):
    html = page("Night buses", STORY + body, head)
    assert published_time(html) == expected


def test_extract_from_html_gives_the_time_of_day_when_the_page_has_it():
    _, meta = extract_from_html(BUS_PAGE)
    assert meta["date"] == "2024-03-12T18:40:00+01:00"
    _, meta = extract_from_html(page("Night buses", STORY, '<meta name="date" content="2024-03-12">'))
    assert meta["date"] == "2024-03-12"
    assert published_time("") is None and published_time("\x00\x01") is None
