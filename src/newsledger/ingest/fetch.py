"""The guarded fetcher: the only network use in newsledger, and only for a URL or feed a user names.

`fetch(url)` gets one page over http or https and refuses what a server-side fetcher should not
reach: other schemes, and hosts that resolve to private, loopback, link-local, multicast, reserved
or unspecified addresses (IPv4 and IPv6, IPv4-mapped included) unless `allow_private=True`. The
connection goes to the address that was checked (no second DNS lookup an attacker could answer
differently), every redirect is checked again (at most MAX_REDIRECTS), and the body, the time and the
content type are bounded.

Time: one deadline (`deadline_seconds`, DEADLINE_SECONDS) covers the whole fetch, redirects
included: connecting, the TLS handshake, sending the request, the status line, the headers and the
body. Every read from the server is given the time left (and at most `timeout`), and the deadline is
checked before each read, so a server that sends one byte at a time cannot stretch it. The response
head is bounded too: at most MAX_HEADERS header lines and MAX_HEAD_BYTES bytes (status line and
headers, interim 1xx responses included). Failures raise InputError with kind FetchRefused, FetchFailed, Timeout,
TooLarge or UnsupportedContent. Proxy settings of the environment are not used.
"""
from __future__ import annotations

import http.client
import io
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Callable, Optional
from urllib.parse import urljoin, urlsplit

from .. import __version__
from .errors import FETCH_FAILED, FETCH_REFUSED, TIMEOUT, TOO_LARGE, UNSUPPORTED_CONTENT, InputError

MAX_BYTES = 10_000_000      # body bound (after decompression)
TIMEOUT_SECONDS = 10.0      # connect, and each read (never past the deadline)
DEADLINE_SECONDS = 30.0     # the whole fetch, redirects included: connect, status line, headers, body
MAX_HEADERS = 100           # header lines in a response head
MAX_HEAD_BYTES = 64 * 1024  # a response head (status line and headers)
MAX_REDIRECTS = 5
USER_AGENT = f"newsledger/{__version__} (news article analysis; +https://github.com/newsledger/newsledger)"
# Media types read as pages or feeds; a response without a Content-Type is accepted and sniffed later.
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/xml", "application/xml",
                  "application/rss+xml", "application/atom+xml", "application/rdf+xml", "text/plain")
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024

# host, port -> the addresses it resolves to (strings). Tests inject their own.
Resolver = Callable[[str, int], list[str]]


@dataclass
class Fetched:
    url: str                    # the final URL, after redirects
    content_type: str           # media type, lower case, without parameters ("" if none was sent)
    charset: Optional[str]      # from the Content-Type header, if any
    body: bytes


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def address_refusal(address: str) -> Optional[str]:
    """Why this IP address is not public ('loopback', 'private', ...), or None for a public one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address are judged by it: ::ffff:127.0.0.1 (mapped),
        # 2002:7f00:1:: (6to4), 64:ff9b::7f00:1 (NAT64).
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
        elif ip in NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    for name in ("unspecified", "loopback", "link_local", "multicast", "private", "reserved"):
        if getattr(ip, "is_" + name):
            return name.replace("_", "-")
    if not ip.is_global:  # shared address space (100.64/10) and other non-global blocks
        return "not globally routable"
    return None


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, or InputError FetchRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InputError(f"invalid URL {url!r}: {exc}", kind=FETCH_REFUSED) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"refused {url!r}: only http and https URLs are fetched, not {scheme or 'no'} scheme",
                         kind=FETCH_REFUSED)
    if not parts.hostname:
        raise InputError(f"refused {url!r}: no host", kind=FETCH_REFUSED)
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def checked_addresses(host: str, port: int, allow_private: bool = False,
                      resolver: Resolver = system_resolver) -> list[str]:
    """The addresses of `host`, all of them public unless `allow_private`; else FetchRefused.

    A name with one non-public address among public ones is refused as a whole: the connection
    could otherwise be steered to it.
    """
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError) as exc:
        raise InputError(f"cannot resolve host {host!r}: {exc}", kind=FETCH_FAILED) from None
    if not addresses:
        raise InputError(f"host {host!r} has no address", kind=FETCH_FAILED)
    if not allow_private:
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                raise InputError(f"refused host {host!r}: it resolves to {address}, a {reason} address "
                                 "(--allow-private-urls, allow_private=True, to fetch it)", kind=FETCH_REFUSED)
    return addresses


class _Clock:
    """The fetch's one deadline: how long the next connect or read may take."""

    def __init__(self, deadline_seconds: float, timeout: float, url: str):
        self.deadline = time.monotonic() + deadline_seconds
        self.seconds, self.timeout, self.url = deadline_seconds, timeout, url

    def limit(self) -> float:
        """Seconds the next operation may take: the time left, at most `timeout`; TIMEOUT when none is left."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise InputError(f"fetching {self.url} took over the time bound ({self.seconds:g} s)", kind=TIMEOUT)
        return min(self.timeout, left)


def _resolve_within(resolver: Resolver, host: str, port: int, clock: _Clock) -> list[str]:
    """The resolver's answer within the fetch's deadline. The system's getaddrinfo takes no timeout,
    so it runs in a thread of its own, left behind when the deadline passes (it ends when the
    system resolver gives up); the fetch answers Timeout at the deadline all the same."""
    answer: dict = {}

    def ask() -> None:
        try:
            answer["addresses"] = resolver(host, port)
        except BaseException as exc:  # noqa: BLE001 - raised again below, in the fetch's thread
            answer["error"] = exc

    asking = threading.Thread(target=ask, daemon=True, name="newsledger-resolve")
    asking.start()
    asking.join(clock.limit())
    if asking.is_alive():
        raise InputError(f"fetching {clock.url} took over the time bound ({clock.seconds:g} s): "
                         f"resolving {host!r} did not answer", kind=TIMEOUT)
    if "error" in answer:
        raise answer["error"]
    return answer["addresses"]


class _DeadlineRaw(io.RawIOBase):
    """The socket's bytes, each read given the time left before the deadline (and checked against it)."""

    def __init__(self, sock: socket.socket, clock: _Clock):
        super().__init__()
        self._sock, self._clock = sock, clock
        self._io = sock.makefile("rb", buffering=0)  # holds the socket open while the response is read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._sock.settimeout(self._clock.limit())
        return self._io.readinto(buffer)

    def close(self) -> None:
        self._io.close()
        super().close()


class _BoundedHead(io.BufferedReader):
    """The response's reader: while the head is read (status lines and headers), its lines are counted
    and their bytes summed, past MAX_HEADERS or MAX_HEAD_BYTES: TOO_LARGE."""

    def __init__(self, raw: _DeadlineRaw, url: str):
        super().__init__(raw)
        self.url, self.in_head, self.lines, self.bytes = url, True, 0, 0

    def readline(self, size: int = -1) -> bytes:
        line = super().readline(size)
        if self.in_head:
            self.bytes += len(line)
            self.lines += line not in (b"\r\n", b"\n", b"")
            if self.bytes > MAX_HEAD_BYTES:
                raise InputError(f"{self.url}: the response's headers are over {MAX_HEAD_BYTES:,} bytes", kind=TOO_LARGE)
            if self.lines > MAX_HEADERS + 1:  # the headers and the status line
                raise InputError(f"{self.url}: the response has over {MAX_HEADERS} headers", kind=TOO_LARGE)
        return line


class _ResponseSocket:
    """What http.client.HTTPResponse is given instead of the socket: it only asks for `makefile`."""

    def __init__(self, sock: socket.socket, clock: _Clock, url: str):
        self.sock, self.clock, self.url = sock, clock, url
        self.reader: Optional[_BoundedHead] = None

    def makefile(self, mode: str = "rb", *args, **kwargs) -> _BoundedHead:
        self.reader = _BoundedHead(_DeadlineRaw(self.sock, self.clock), self.url)
        return self.reader


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a checked address; Host header (and TLS name, below) stay the host's.
    Connecting (and the TLS handshake) gets the time left on `clock`, and so does each read of the
    response (see `_ResponseSocket`)."""

    def __init__(self, host: str, port: int, address: str, clock: _Clock):
        super().__init__(host, port, timeout=clock.limit())
        self.address, self.clock, self.reading = address, clock, None

    def _open(self) -> socket.socket:
        return socket.create_connection((self.address, self.port), self.clock.limit())

    def connect(self) -> None:
        self.sock = self._open()

    def response_class(self, sock, *args, **kwargs) -> http.client.HTTPResponse:
        self.reading = _ResponseSocket(sock, self.clock, self.clock.url)
        return http.client.HTTPResponse(self.reading, *args, **kwargs)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def __init__(self, host: str, port: int, address: str, clock: _Clock):
        super().__init__(host, port, address, clock)
        self._context = ssl.create_default_context()

    def connect(self) -> None:
        sock = self._open()
        try:
            sock.settimeout(self.clock.limit())  # the handshake as a whole, within the deadline
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def _connect(conn_class, host: str, port: int, addresses: list[str], clock: _Clock):
    """A connection to the first of the checked `addresses` that accepts one."""
    last_error: Optional[OSError] = None
    for address in addresses:
        conn = conn_class(host, port, address, clock)
        try:
            conn.connect()
            return conn
        except OSError as exc:
            conn.close()
            if isinstance(exc, (socket.timeout, ssl.SSLError)):
                raise
            last_error = exc
    raise last_error or OSError("no address accepted a connection")


def _read_body(response: http.client.HTTPResponse, url: str, max_bytes: int) -> bytes:
    """The body, decompressed if the server sent gzip or deflate, within the size bound (the time
    bound is the reader's: each read gets the time left)."""
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise InputError(f"{url}: unsupported Content-Encoding {encoding!r}", kind=UNSUPPORTED_CONTENT)
    inflate = zlib.decompressobj(wbits=47) if encoding != "identity" else None  # 47: gzip or zlib header
    out = bytearray()
    too_large = InputError(f"{url}: the response is over {max_bytes:,} bytes", kind=TOO_LARGE)
    while True:
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        if inflate is not None:
            # max_length: a small compressed body cannot expand past the bound in memory.
            chunk = inflate.decompress(inflate.unconsumed_tail + chunk, max_bytes + 1 - len(out))
            if inflate.unconsumed_tail:
                raise too_large
        out += chunk
        if len(out) > max_bytes:
            raise too_large
    return bytes(out)


def parse_content_type(value: Optional[str]) -> tuple[str, Optional[str]]:
    if not value:
        return "", None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip('"\'') or None
    return media.strip().lower(), charset


def fetch(url: str, *, allow_private: bool = False, max_bytes: int = MAX_BYTES,
          timeout: float = TIMEOUT_SECONDS, deadline_seconds: float = DEADLINE_SECONDS,
          max_redirects: int = MAX_REDIRECTS, resolver: Resolver = system_resolver) -> Fetched:
    """GET `url` through the guard (see the module's docstring); the final page, or InputError."""
    clock = _Clock(deadline_seconds, timeout, url)
    current = url
    for _ in range(max_redirects + 1):
        scheme, host, port = check_url(current)
        clock.url = current
        addresses = checked_addresses(host, port, allow_private,
                                      lambda h, p: _resolve_within(resolver, h, p, clock))
        conn_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        parts = urlsplit(current)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn = response = None
        try:
            conn = _connect(conn_class, host, port, addresses, clock)
            conn.sock.settimeout(clock.limit())  # sending the request (sendall: the whole of it)
            conn.request("GET", target, headers={
                "User-Agent": USER_AGENT, "Accept-Encoding": "gzip",
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                          "application/xml;q=0.9,text/*;q=0.8"})
            response = conn.getresponse()  # the status line and headers: each read within the deadline
            if conn.reading is not None and conn.reading.reader is not None:
                conn.reading.reader.in_head = False  # the head is read: its bounds are done with
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise InputError(f"{current}: HTTP {response.status} redirect without a Location",
                                     kind=FETCH_FAILED)
                current = urljoin(current, location.strip())
                continue
            if not 200 <= response.status < 300:
                raise InputError(f"{current}: HTTP {response.status} {response.reason}".rstrip(),
                                 kind=FETCH_FAILED)
            media, charset = parse_content_type(response.getheader("Content-Type"))
            if media and media not in ACCEPTED_TYPES:
                raise InputError(f"{current}: content type {media!r} is not HTML, XML or text",
                                 kind=UNSUPPORTED_CONTENT)
            length = response.getheader("Content-Length")
            if length and length.strip().isdigit() and int(length) > max_bytes:
                raise InputError(f"{current}: the response is {int(length):,} bytes, over {max_bytes:,}",
                                 kind=TOO_LARGE)
            body = _read_body(response, current, max_bytes)
            return Fetched(url=current, content_type=media, charset=charset, body=body)
        except InputError:
            raise
        except socket.timeout:
            if time.monotonic() >= clock.deadline - 0.01:  # the read was given the time left, and used it
                raise InputError(f"fetching {current} took over the time bound ({deadline_seconds:g} s)",
                                 kind=TIMEOUT) from None
            raise InputError(f"fetching {current} timed out (no byte for {timeout:g} s)", kind=TIMEOUT) from None
        except ssl.SSLError as exc:
            raise InputError(f"{current}: TLS error: {exc.reason or exc}", kind=FETCH_FAILED) from None
        except (OSError, http.client.HTTPException, zlib.error) as exc:
            raise InputError(f"fetching {current} failed: {type(exc).__name__}: {exc}",
                             kind=FETCH_FAILED) from None
        finally:
            if response is not None:
                response.close()
            if conn is not None:
                if conn.reading is not None and conn.reading.reader is not None:
                    conn.reading.reader.close()  # its socket too, even when no response came of it
                conn.close()
    raise InputError(f"{url}: more than {max_redirects} redirects", kind=FETCH_FAILED)


def decode_body(fetched: Fetched) -> str:
    """The body as text: the charset the server declared if it decodes it, else as for HTML files."""
    from .readers import decode_html

    return decode_html(fetched.body, fetched.charset)
