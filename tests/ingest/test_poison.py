"""Poison records and bounded reads (issue 17): lone surrogates and arbitrary JSON in any field of
article-v1, JSON nested past the standard library's recursion, overlong lines, huge WARC headers,
special files in folders, unreadable subfolders, empty and UTF-16 files. Never a traceback, never a
500, never a lost neighbour."""
import io
import json
import os
import signal
import socket
import stat
import time

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsledger.cli import app as cli_app
from newsledger.corpus.batch import ingest
from newsledger.ingest import read_inputs
from newsledger.ingest import readers, textcheck
from newsledger.ingest.readers import read_stdin
from newsledger.ledger import Article, ErrorRecord
from newsledger.store import open_store, queries
from newsledger.web import create_app

FIELDS = ("id", "text", "html", "title", "url", "outlet", "author", "published", "language")
BEFORE = {"id": "n-before", "text": "The mayor of Ashford said on Monday that the bridge would open in May."}
AFTER = {"id": "n-after", "text": "Port officials in Kell told reporters the ferry would run again on Friday."}
POISON_TITLE = '{"id": "p", "text": "The mayor said so.", "title": "bad \\udfff"}'


def ids(items):
    return [i.id for i in items]


def kinds(items):
    return [i.error.type if isinstance(i, ErrorRecord) else "ok" for i in items]


# ---------------------------------------------------------------- 1. poison records

def test_lone_surrogates_become_replacement_characters_in_every_field(write):
    record = {k: "x \udfff y" for k in FIELDS if k != "html"}
    line = json.dumps(record)  # ensure_ascii: the surrogate written as the escape \udfff
    assert "\\udfff" in line
    (a,) = items = list(read_inputs(str(write("p.jsonl", line + "\n"))))
    assert isinstance(a, Article), kinds(items)
    for k in record:
        assert getattr(a, k) == "x \ufffd y"  # one code point for one: offsets unchanged
        getattr(a, k).encode("utf-8")


def test_poison_title_in_analyze_keeps_its_neighbours(write):
    path = write("in.jsonl", "\n".join([json.dumps(BEFORE), POISON_TITLE, json.dumps(AFTER)]) + "\n")
    result = CliRunner().invoke(cli_app, ["analyze", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    out = [json.loads(line) for line in result.stdout.split("\n") if line]  # U+2028 ends no JSONL line
    assert [r["id"] for r in out] == ["n-before", "p", "n-after"]
    assert out[1]["title"] == "bad \ufffd"


def test_poison_title_in_ingest_is_stored(write, tmp_path, nlp):
    path = write("in.jsonl", "\n".join([json.dumps(BEFORE), POISON_TITLE, json.dumps(AFTER)]) + "\n")
    st_ = open_store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        summary = ingest([str(path)], st_, nlp=nlp)
        assert summary.failed == 0
        assert {a["article"] for a in queries.articles(st_)} == {"n-before", "p", "n-after"}
    finally:
        st_.close()


def test_api_poison_title_is_not_a_server_error(tmp_path, nlp):
    with TestClient(create_app(f"sqlite:///{tmp_path / 's.db'}", nlp=nlp), base_url="http://localhost") as c:
        r = c.post("/api/analyze", content=POISON_TITLE, headers={"content-type": "application/json"})
        assert r.status_code == 200, r.text
        assert r.json()["title"] == "bad \ufffd"
        r = c.post("/api/analyze", content='{"\\udfff": 1, "text": "x"}', headers={"content-type": "application/json"})
        assert r.status_code < 500


def test_deep_nesting_is_invalid_json_and_reading_goes_on(write):
    deep = "[" * 100_000
    path = write("in.jsonl", "\n".join([json.dumps(BEFORE), deep, '{"id": "d", "text": ' + deep + "}",
                                        json.dumps(AFTER)]) + "\n")
    t = time.perf_counter()
    items = list(read_inputs(str(path)))
    assert time.perf_counter() - t < 2
    assert ids(items) == ["n-before", "line:2", "line:3", "n-after"]
    assert kinds(items)[1:3] == ["InvalidJSON", "InvalidJSON"]
    assert "nested deeper than 100" in items[1].error.message
    # brackets inside strings do not count
    (a,) = read_inputs(str(write("s.jsonl", json.dumps({"id": "s", "text": "[" * 500}))))
    assert a.text == "[" * 500


def test_deep_nesting_on_stdin_is_an_error_record():
    items = list(read_stdin(io.BytesIO(("{" * 50_000 + "\n" + json.dumps(AFTER) + "\n").encode())))
    assert kinds(items) == ["InvalidJSON", "ok"]


# arbitrary Unicode (lone surrogates included) and arbitrary JSON values in any field
SURROGATES = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"])
UNICODE = st.one_of(
    st.builds(lambda a, lone, b: a + lone + b, st.text(max_size=20), SURROGATES, st.text(max_size=20)),  # at least one
    st.text(st.one_of(st.characters(), SURROGATES), max_size=40))
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | UNICODE,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(UNICODE, inner, max_size=3),
                           max_leaves=8)
POISON = st.builds(lambda field, value, text: {"id": "p", "text": text, field: value},
                   st.sampled_from(FIELDS), st.one_of(UNICODE, JSON_VALUES),
                   st.sampled_from(["The mayor said so.", "x \udfff y"]))
POISON_EXAMPLE = {"id": "p", "text": "The mayor said so.", "title": "bad \udfff"}
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@pytest.fixture(scope="module")
def api(tmp_path_factory, nlp):
    with TestClient(create_app(f"sqlite:///{tmp_path_factory.mktemp('api') / 's.db'}", nlp=nlp),
                    raise_server_exceptions=False, base_url="http://localhost") as c:
        yield c


@pytest.fixture(scope="module")
def loaded(nlp):
    return nlp  # the CLI's own load() returns the same cached pipeline


def _lines(record):
    return "\n".join([json.dumps(BEFORE), json.dumps(record), json.dumps(AFTER)]) + "\n"


@FUZZ
@given(record=POISON)
@example(record=POISON_EXAMPLE)
def test_fuzz_analyze_never_a_traceback_never_a_lost_neighbour(tmp_path_factory, loaded, record):
    path = tmp_path_factory.mktemp("fz") / "in.jsonl"
    path.write_text(_lines(record), encoding="utf-8")
    # in this process (no time limit, no worker to start for each example); the worker path meets
    # a poison record in test_poison_title_in_analyze_keeps_its_neighbours
    result = CliRunner().invoke(cli_app, ["analyze", str(path), "--time-limit", "0"])
    assert result.exit_code in (0, 1) and (result.exception is None or isinstance(result.exception, SystemExit)), \
        result.exception
    out = [json.loads(line) for line in result.stdout.split("\n") if line]  # U+2028 ends no JSONL line
    assert len(out) == 3 and out[0]["id"] == "n-before" and out[2]["id"] == "n-after", out


@FUZZ
@given(record=POISON)
@example(record=POISON_EXAMPLE)
def test_fuzz_ingest_never_a_traceback_never_a_lost_neighbour(tmp_path_factory, nlp, record):
    folder = tmp_path_factory.mktemp("fz")
    (folder / "in.jsonl").write_text(_lines(record), encoding="utf-8")
    st_ = open_store(f"sqlite:///{folder / 's.db'}")
    try:
        summary = ingest([str(folder / "in.jsonl")], st_, nlp=nlp)
        stored = {a["article"] for a in queries.articles(st_)}
    finally:
        st_.close()
    assert {"n-before", "n-after"} <= stored
    assert len(stored) + summary.failed + summary.skipped + summary.duplicates >= 3


@FUZZ
@given(record=POISON)
@example(record=POISON_EXAMPLE)
def test_fuzz_api_analyze_never_a_500(api, record):
    r = api.post("/api/analyze", content=json.dumps(record), headers={"content-type": "application/json"})
    assert r.status_code < 500, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert api.post("/api/analyze", json=AFTER).status_code == 200


# ---------------------------------------------------------------- 2. bounded reads

def test_overlong_jsonl_line_is_too_large_and_reading_goes_on(write, monkeypatch):
    monkeypatch.setattr(textcheck, "MAX_LINE_BYTES", 1000)
    long = json.dumps({"id": "long", "text": "word " * 1000})
    path = write("in.jsonl", "\n".join([json.dumps(BEFORE), long, json.dumps(AFTER)]) + "\n")
    items = list(read_inputs(str(path)))
    assert kinds(items) == ["ok", "TooLarge", "ok"] and ids(items) == ["n-before", "line:2", "n-after"]
    assert "over 999 bytes" in items[1].error.message


def test_bounded_lines_never_reads_a_long_line_whole():
    class Recording(io.BytesIO):
        biggest = 0

        def readline(self, size=-1):
            assert size is not None and 0 < size <= 100  # never an unbounded readline
            line = super().readline(size)
            Recording.biggest = max(Recording.biggest, len(line))
            return line

    lines = list(readers.bounded_lines(Recording(b"a\n" + b"x" * 10_000 + b"\nb"), limit=100))
    assert lines[0] == b"a\n" and isinstance(lines[1], readers.Overlong) and lines[2] == b"b"
    assert lines[1].n_bytes == 10_001 and Recording.biggest <= 100


def test_stdin_is_read_in_bounded_pieces():
    class NoWholeRead(io.BytesIO):
        def read(self, size=-1):
            assert size is not None and size >= 0, "stdin read whole"
            return super().read(size)

    jsonl = (json.dumps(BEFORE) + "\n\n" + json.dumps(AFTER) + "\n").encode()
    assert ids(read_stdin(NoWholeRead(jsonl))) == ["n-before", "n-after"]
    (a,) = read_stdin(NoWholeRead(b"\nPlain text, said the mayor.\nSecond line."))
    assert a.id == "stdin" and a.text == "\nPlain text, said the mayor.\nSecond line."


def _warc_record(uri: bytes, extra: bytes = b"") -> bytes:
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
            b"<html><body><p>The mayor said the bridge would open.</p></body></html>")
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:" + uri + b">\r\n"
            b"WARC-Target-URI: http://x.test/" + uri + b"\r\n" + extra +
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: " + str(len(http)).encode() +
            b"\r\n\r\n" + http + b"\r\n\r\n")


@pytest.mark.parametrize("extra", [
    b"X-Huge: " + b"x" * 2_000_000 + b"\r\n",            # one huge line
    b"X-Folded: a\r\n" + b" b\r\n" * 300_000,            # one header folded over many lines (quadratic in warcio)
    b"X-H: a\r\n" * 5_000,                               # too many headers
], ids=["huge-line", "folded", "many"])
def test_warc_headers_are_bounded(write, extra):
    path = write("a.warc", _warc_record(b"a") + _warc_record(b"b", extra) + _warc_record(b"c"))
    t = time.perf_counter()
    items = list(read_inputs(str(path)))
    assert time.perf_counter() - t < 1.5
    assert kinds(items) == ["ok", "TooLarge"] and items[0].id == "urn:uuid:a"
    assert items[1].id.endswith("a.warc#2")


def test_warc_headers_within_bounds_are_read(write):
    path = write("a.warc", _warc_record(b"a", b"X-Long: " + b"y" * 50_000 + b"\r\n") + _warc_record(b"b"))
    assert ids(read_inputs(str(path))) == ["urn:uuid:a", "urn:uuid:b"]


def test_special_files_in_a_folder_are_unreadable_never_a_hang(tmp_path):
    class Hung(Exception):  # not an OSError, which readers take for an unreadable file
        pass

    def hung(*_):
        raise Hung("reading the folder hung (a FIFO opened?)")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)  # opening a FIFO would block: fail instead of hanging
    (tmp_path / "a.jsonl").write_text(json.dumps(BEFORE) + "\n")
    os.mkfifo(tmp_path / "b.jsonl")
    os.mkfifo(tmp_path / "c.xml")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "d.txt"))
    (tmp_path / "e.jsonl").write_text(json.dumps(AFTER) + "\n")
    try:
        items = list(read_inputs(str(tmp_path)))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sock.close()
    assert kinds(items) == ["ok", "Unreadable", "Unreadable", "Unreadable", "ok"]
    assert "FIFO" in items[1].error.message and "socket" in items[3].error.message
    assert ids(items)[0] == "n-before" and ids(items)[-1] == "n-after"


def test_unreadable_subfolder_is_an_error_record(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("The mayor said so.")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_text("Hidden.")
    scandir = os.scandir

    def no_entry(path):  # as for a folder without read permission (chmod does not stop root)
        if os.fspath(path) == str(tmp_path / "b"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", no_entry)
    items = list(read_inputs(str(tmp_path)))
    assert kinds(items) == ["ok", "Unreadable"]
    assert "cannot read folder" in items[1].error.message and "Permission denied" in items[1].error.message


def test_empty_jsonl_says_so(write):
    for content in ("", "\n \n"):
        (e,) = read_inputs(str(write("empty.jsonl", content)))
        assert e.error.type == "EmptyText" and "holds no records" in e.error.message


def test_utf16_gets_a_clear_message(write):
    text = json.dumps(BEFORE) + "\n"
    for name, data in [("a.jsonl", text.encode("utf-16")), ("b.jsonl", text.encode("utf-16-be")),
                       ("c.txt", "The mayor said so.".encode("utf-16"))]:
        items = list(read_inputs(str(write(name, data))))
        assert len(items) == 1 and items[0].error.type == "InvalidUTF8", (name, items)
        assert "UTF-16" in items[0].error.message and "save it as UTF-8" in items[0].error.message


def test_endless_stdin_without_newline_ends_too_large():
    class Endless(io.RawIOBase):  # cat /dev/zero | tr '\0' a | newsledger analyze -
        given = 0

        def readable(self):
            return True

        def readinto(self, buf):
            Endless.given += len(buf)
            assert Endless.given < 3 * readers.MAX_FILE_BYTES, "standard input read past the bound"
            buf[:] = b"a" * len(buf)
            return len(buf)

    t = time.perf_counter()
    (e,) = read_stdin(io.BufferedReader(Endless()))
    assert e.error.type == "TooLarge" and time.perf_counter() - t < 5


def test_feed_with_a_surrogate_character_reference_is_an_error_record(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps(BEFORE) + "\n")
    (tmp_path / "b.rss").write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title><item>'
        "<title>bad &#xDFFF; title</title><link>http://x.test/a</link><description>The mayor said the "
        "bridge would open.</description></item></channel></rss>")
    (tmp_path / "c.jsonl").write_text(json.dumps(AFTER) + "\n")
    items = list(read_inputs(str(tmp_path), fetch_pages=False))
    assert ids(items)[0] == "n-before" and ids(items)[-1] == "n-after"
    assert all(isinstance(i, Article) or i.error.type == "InvalidFeed" for i in items)
