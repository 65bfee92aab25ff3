"""Ingest: readers (JSONL, text, HTML, folders, stdin) and prepare (size, binary, empty, language, dates)."""
import gzip
import io
import json
import time

import pytest

from newsledger.ingest import InputError, InputNotFound, extract_from_html, prepare, read_inputs
from newsledger.ingest.readers import read_stdin
from newsledger.ledger import Article, ErrorRecord

ENGLISH = ("Harbor officials said on Monday that the new container terminal would open in March, "
           "two years later than planned. \"We underestimated the soil work,\" the port director, "
           "Elena Varga, told reporters. The project has cost $310 million so far, according to "
           "the port's annual report.")

FRENCH = ("Le gouvernement a annoncé mardi un plan d'aide de 300 millions d'euros pour les communes "
          "touchées par les inondations dans le sud-ouest du pays. « Nous serons aux côtés des "
          "sinistrés aussi longtemps qu'il le faudra », a déclaré la ministre lors d'une visite à "
          "Dax, où l'eau a atteint plus d'un mètre dans certaines rues du centre-ville.")

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Ferry service to resume after storm damage | Coastal Courier</title>
<meta property="og:title" content="Ferry service to resume after storm damage">
<meta name="author" content="Sam Ito">
<meta property="article:published_time" content="2024-02-20T08:15:00Z">
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sports">Sports</a></nav>
<article>
<h1>Ferry service to resume after storm damage</h1>
<p>Ferry service between Kell Island and the mainland will resume on Friday, nine days after a storm
tore away part of the island's only pier, the regional transport authority said on Tuesday.</p>
<p>"Crews have worked around the clock, and the temporary landing has passed its inspection," said
authority spokesperson Nadia Ferris. She said crossings would run at half their usual frequency.</p>
<p>About 1,400 people live on the island year-round. Shop owners said supplies of fresh food had
run low during the closure, and the authority said a cargo boat would make two extra trips.</p>
</article>
<footer>&copy; 2024 Coastal Courier. All rights reserved.</footer>
</body></html>"""

NO_ARTICLE_HTML = """<html><head><title>Login</title></head><body>
<form><input name="user"><input type="password" name="pw"><button>Sign in</button></form>
</body></html>"""


def items(path):
    return list(read_inputs(str(path)))


# ------------------------------------------------------------------ JSONL

def test_jsonl_broken_lines_become_error_records_and_reading_goes_on(write):
    lines = [
        json.dumps({"id": "a1", "text": ENGLISH, "published": "2024-05-06"}),
        '{"id": "a2", "text": "unterminated',           # invalid JSON
        "",                                              # blank: skipped, not an error
        json.dumps(["not", "an", "object"]),             # not an object
        json.dumps({"text": "no id here"}),              # missing id
        json.dumps({"id": "a5", "title": "no body"}),    # neither text nor html
        json.dumps({"id": "a6", "text": 42}),            # wrong type
        json.dumps({"id": 7, "text": "numeric id"}),     # numeric id: accepted, as a string
        json.dumps({"id": "a8", "html": ARTICLE_HTML, "extra": "ignored"}),
    ]
    got = items(write("in.jsonl", "\n".join(lines) + "\n"))
    assert [type(x).__name__ for x in got] == ["Article", "ErrorRecord", "ErrorRecord", "ErrorRecord",
                                               "ErrorRecord", "ErrorRecord", "Article", "Article"]
    assert got[0].id == "a1" and got[0].text == ENGLISH and got[0].published == "2024-05-06"
    errs = [x for x in got if isinstance(x, ErrorRecord)]
    assert [(e.id, e.error.type) for e in errs] == [
        ("line:2", "InvalidJSON"), ("line:4", "InvalidRecord"), ("line:5", "MissingId"),
        ("a5", "MissingText"), ("a6", "InvalidRecord")]
    assert "line 2" in errs[0].error.message
    assert got[6].id == "7"
    assert got[7].html == ARTICLE_HTML and got[7].text is None


def test_jsonl_invalid_utf8_line_is_an_error_record(write):
    good = json.dumps({"id": "ok", "text": "Fine."}).encode()
    bad = b'{"id": "bad", "text": "caf\xe9"}'
    got = items(write("in.jsonl", good + b"\n" + bad + b"\n" + good.replace(b"ok", b"ok2") + b"\n"))
    assert [getattr(x, "id") for x in got] == ["ok", "line:2", "ok2"]
    assert got[1].error.type == "InvalidUTF8"


def test_jsonl_gzip(write):
    data = gzip.compress((json.dumps({"id": "z", "text": ENGLISH}) + "\n").encode())
    (a,) = items(write("in.jsonl.gz", data))
    assert a.id == "z" and a.text == ENGLISH


# ------------------------------------------------------------------ text files

def test_txt_keeps_crlf_and_every_byte(write):
    text = "\ufeffCouncil votes today.\r\n\r\n  \u201cWe\u2019re ready,\u201d the mayor said.  \r\n"
    (a,) = items(write("budget-vote.txt", text))
    assert a.id == "budget-vote"
    assert a.text == text                      # no newline translation, no trimming
    assert prepare(a).text == text             # and prepare does not touch it either


def test_txt_invalid_utf8_is_error_record(write):
    (e,) = items(write("latin1.txt", "Caf\u00e9 owners said prices rose.".encode("latin-1")))
    assert isinstance(e, ErrorRecord)
    assert (e.id, e.error.type) == ("latin1", "InvalidUTF8")
    assert "UTF-8" in e.error.message


def test_binary_file_is_error_record(write):
    (e,) = items(write("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8))
    assert isinstance(e, ErrorRecord) and e.error.type == "BinaryInput"


def test_missing_path_raises_at_once(tmp_path):
    with pytest.raises(InputNotFound, match="no such file"):
        read_inputs(str(tmp_path / "nope.jsonl"))   # not only when iterated


# ------------------------------------------------------------------ HTML

def test_html_article_gives_text_and_title():
    text, meta = extract_from_html(ARTICLE_HTML)
    assert text.startswith("Ferry service between Kell Island")
    assert "\n\n\"Crews have worked around the clock" in text      # paragraphs: blank lines
    assert "Sports" not in text and "All rights reserved" not in text  # boilerplate gone
    assert meta["title"] == "Ferry service to resume after storm damage"
    assert meta["author"] == "Sam Ito"
    assert meta["date"] == "2024-02-20T08:15:00+00:00"  # with its time of day


def test_html_without_article_is_no_article_text():
    with pytest.raises(InputError) as info:
        extract_from_html(NO_ARTICLE_HTML)
    assert info.value.kind == "NoArticleText"


def test_html_file_prepared_with_metadata(write):
    (a,) = items(write("ferry.html", ARTICLE_HTML))
    p = prepare(a)
    assert a.id == "ferry"
    assert p.text.startswith("Ferry service between") and "Nadia Ferris" in p.text
    assert p.article.title == "Ferry service to resume after storm damage"
    assert p.article.published == "2024-02-20T08:15:00+00:00"


def test_html_too_large_is_bounded():
    with pytest.raises(InputError) as info:
        extract_from_html("<p>" + "x" * 10_000_001 + "</p>")
    assert info.value.kind == "TooLarge"


# ------------------------------------------------------------------ folders and stdin

def test_folder_recursive_sorted(write):
    write("b.txt", "Second story text.")
    write("a.html", ARTICLE_HTML)
    write("sub/c.txt", "Nested story text.")
    write("notes.md", "ignored")
    write(".hidden.txt", "ignored")
    write("batch.jsonl", json.dumps({"id": "j1", "text": "From JSONL."}) + "\n")
    got = items(write("a.html", ARTICLE_HTML).parent)
    assert [x.id for x in got] == ["a", "b", "j1", "sub/c"]


def test_stdin_jsonl_and_plain_text():
    jsonl = (json.dumps({"id": "s1", "text": "One."}) + "\n" + json.dumps({"id": "s2", "text": "Two."}) + "\n")
    assert [a.id for a in read_stdin(io.BytesIO(jsonl.encode()))] == ["s1", "s2"]
    (a,) = read_stdin(io.BytesIO(ENGLISH.encode()))
    assert (a.id, a.text) == ("stdin", ENGLISH)


# ------------------------------------------------------------------ prepare

def test_five_megabytes_is_too_large_fast():
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        prepare(Article(id="big", text="All work and no play. " * 240_000))
    assert time.perf_counter() - start < 1.0
    assert info.value.kind == "TooLarge"
    assert "5,280,000" in str(info.value) and "1,000,000" in str(info.value)


def test_five_megabyte_file_is_error_record_fast(write):
    path = write("big.txt", "x" * 5_000_000)
    start = time.perf_counter()
    (e,) = items(path)
    if isinstance(e, Article):
        with pytest.raises(InputError) as info:
            prepare(e)
        kind = info.value.kind
    else:
        kind = e.error.type
    assert kind == "TooLarge"
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize("text", ["", "   \n\t\r\n  "])
def test_empty_text(text):
    with pytest.raises(InputError) as info:
        prepare(Article(id="e", text=text))
    assert info.value.kind == "EmptyText"


def test_binary_looking_text():
    with pytest.raises(InputError) as info:
        prepare(Article(id="b", text="PK\x03\x04\x14\x00\x06\x00" + "abc" * 20))
    assert info.value.kind == "BinaryInput"


def test_french_is_skipped_with_language():
    p = prepare(Article(id="fr", text=FRENCH))
    assert p.article.language == "fr"
    assert p.skip_reason and "'fr'" in p.skip_reason and "not English" in p.skip_reason
    assert p.text == FRENCH


def test_declared_language_wins():
    p = prepare(Article(id="de", text=ENGLISH, language="de-AT"))
    assert p.skip_reason and p.article.language == "de"
    p = prepare(Article(id="en", text=FRENCH, language="EN"))
    assert p.skip_reason is None and p.article.language == "en"


def test_english_is_not_skipped():
    p = prepare(Article(id="en", text=ENGLISH))
    assert p.skip_reason is None and p.text == ENGLISH and p.warnings == []


def test_unparseable_published_is_a_warning_and_kept():
    p = prepare(Article(id="d", text=ENGLISH, published="last Tuesday-ish"))
    assert p.article.published == "last Tuesday-ish"
    assert len(p.warnings) == 1 and "ISO 8601" in p.warnings[0]


@pytest.mark.parametrize("published", ["2024-05-06", "2024-05-06T14:30:00Z", "2024-05-06T14:30:00+02:00"])
def test_iso_published_no_warning(published):
    assert prepare(Article(id="d", text=ENGLISH, published=published)).warnings == []


# ------------------------------------------------------------ issue 17: punctuation runs

def test_a_long_punctuation_run_gets_spaces_one_for_one_and_a_warning():
    """spaCy's tokenizer is quadratic on a run of punctuation with no space (10 KB: 11 s): such a
    run gets spaces in place of some of its characters, same length, and the ledger says so."""
    from newsledger.ingest.prepare import MAX_PUNCT_RUN, PUNCT_BREAK, break_punctuation_runs
    from newsledger.ingest import prepare
    from newsledger.ledger import Article
    run = "!?.,;:-*#" * 50
    text = "The council met. " + run + " It voted."
    out, n = break_punctuation_runs(text)
    assert n == 1 and len(out) == len(text)
    assert all(a == b or (b == " " and a in run) for a, b in zip(text, out))
    longest = max(len(r) for r in out.split())
    assert longest < PUNCT_BREAK
    p = prepare(Article(id="a", text=text))
    assert p.text == out and any("punctuation" in w for w in p.warnings)
    plain = "Well -- " + "-" * MAX_PUNCT_RUN + " that is it."
    assert break_punctuation_runs(plain) == (plain, 0)
    assert prepare(Article(id="b", text=plain)).warnings == []
