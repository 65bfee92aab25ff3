"""The guarded fetcher's one deadline: a loopback server that drips its status line, its headers or
its body one byte at a time is cut at the deadline (connect, status line, headers and body together),
and a response head with too many or too large headers is refused."""
import itertools
import socket
import threading
import time

import pytest

from newsledger.ingest import fetch as fetch_module
from newsledger.ingest.errors import InputError
from newsledger.ingest.fetch import fetch

DRIP_CAP = 8.0  # seconds a connection drips at most: a fetcher without the deadline fails, not hangs


class DripServer:
    """A loopback server: on each connection it reads the request, sends `head` at once, then
    `drip` one byte every `interval` seconds (forever when it is an iterator), up to DRIP_CAP."""

    def __init__(self, head: bytes = b"", drip=b"", interval: float = 0.05):
        self.head, self.drip, self.interval = head, drip, interval
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/article"

    def _serve(self):
        self.listener.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except (socket.timeout, OSError):
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        with conn:
            conn.settimeout(DRIP_CAP)
            request = b""
            while b"\r\n\r\n" not in request:
                got = conn.recv(4096)
                if not got:
                    return
                request += got
            began = time.monotonic()
            try:
                conn.sendall(self.head)
                drip = self.drip if isinstance(self.drip, bytes) else self.drip()
                for byte in drip:
                    if self.stop.is_set() or time.monotonic() - began > DRIP_CAP:
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(self.interval)
            except OSError:
                return

    def close(self):
        self.stop.set()
        self.listener.close()
        self.thread.join(2)


def forever(pattern: bytes):
    return lambda: itertools.cycle(pattern)


OK_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"


@pytest.mark.parametrize("phase, head, drip", [
    ("status line", b"", forever(b"H")),  # "HHHH...": a status line that never ends
    ("headers", OK_HEAD, forever(b"X-Drip: 1\r\n")),  # header after header, never the blank line
    ("body", OK_HEAD + b"\r\n", forever(b"<p>slow</p>")),  # no Content-Length: read to the end
])
def test_a_dripping_server_is_cut_at_the_one_deadline(phase, head, drip):
    server = DripServer(head, drip, interval=0.05)  # one byte every 50 ms: each read well inside `timeout`
    try:
        began = time.monotonic()
        with pytest.raises(InputError) as err:
            fetch(server.url, allow_private=True, timeout=1.0, deadline_seconds=1.0)
        elapsed = time.monotonic() - began
    finally:
        server.close()
    assert err.value.kind == "Timeout", (phase, err.value)
    assert elapsed < 1.8, f"{phase}: cut after {elapsed:.2f} s, the deadline is 1 s"


def test_the_deadline_covers_all_phases_together():
    """Status line, then headers, then body, each a little under the deadline, together over it."""
    status = b"HTTP/1.1 200 OK\r\n"
    headers = b"Content-Type: text/html\r\nX-A: 1\r\n\r\n"
    body = b"<p>" + b"x" * 40 + b"</p>"
    server = DripServer(b"", status + headers + body, interval=0.02)  # ~1.9 s in all, each phase < 1 s
    try:
        began = time.monotonic()
        with pytest.raises(InputError) as err:
            fetch(server.url, allow_private=True, timeout=1.0, deadline_seconds=1.0)
        elapsed = time.monotonic() - began
    finally:
        server.close()
    assert err.value.kind == "Timeout" and elapsed < 1.8


def test_a_quick_page_still_comes_whole():
    body = b"<html><body><p>All good.</p></body></html>"
    server = DripServer(OK_HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body)
    try:
        got = fetch(server.url, allow_private=True, timeout=1.0, deadline_seconds=2.0)
    finally:
        server.close()
    assert got.body == body and got.content_type == "text/html"


def test_too_many_headers_are_refused():
    head = OK_HEAD + b"".join(b"X-H%d: 1\r\n" % i for i in range(fetch_module.MAX_HEADERS + 5)) + b"\r\n<p>x</p>"
    server = DripServer(head)
    try:
        with pytest.raises(InputError) as err:
            fetch(server.url, allow_private=True, timeout=2.0, deadline_seconds=2.0)
    finally:
        server.close()
    assert err.value.kind == "TooLarge" and "headers" in str(err.value)


def test_headers_over_the_size_bound_are_refused():
    big = b"X-Big: " + b"a" * 30_000 + b"\r\n"  # under http.client's own 64 KiB line bound
    head = OK_HEAD + big * 3 + b"\r\n<p>x</p>"  # 90 kB of headers, over MAX_HEAD_BYTES
    server = DripServer(head)
    try:
        with pytest.raises(InputError) as err:
            fetch(server.url, allow_private=True, timeout=2.0, deadline_seconds=2.0)
    finally:
        server.close()
    assert err.value.kind == "TooLarge" and "headers" in str(err.value)


def test_a_server_that_never_answers_is_cut_at_the_deadline():
    listener = socket.create_server(("127.0.0.1", 0))  # accepts (backlog), never reads nor writes
    port = listener.getsockname()[1]
    try:
        began = time.monotonic()
        with pytest.raises(InputError) as err:
            fetch(f"http://127.0.0.1:{port}/", allow_private=True, timeout=5.0, deadline_seconds=0.5)
        elapsed = time.monotonic() - began
    finally:
        listener.close()
    assert err.value.kind == "Timeout" and elapsed < 1.2


def test_a_resolver_that_does_not_answer_is_cut_at_the_deadline():
    """getaddrinfo takes no timeout: a name server that never answers must not hold the fetch past
    its one deadline."""
    released = threading.Event()

    def silent(host, port):
        released.wait(30)
        return ["93.184.216.34"]

    started = time.monotonic()
    with pytest.raises(InputError) as info:
        fetch("http://slow-dns.example/story", resolver=silent, deadline_seconds=1.0)
    released.set()
    assert info.value.kind == "Timeout" and "resolving 'slow-dns.example'" in str(info.value)
    assert time.monotonic() - started < 10  # cut near its 1 s, not after the resolver's 30 s


def test_a_resolver_error_is_still_a_fetch_failure():
    def broken(host, port):
        raise socket.gaierror(-2, "Name or service not known")

    with pytest.raises(InputError) as info:
        fetch("http://no-such-host.example/", resolver=broken)
    assert info.value.kind == "FetchFailed" and "cannot resolve host" in str(info.value)
