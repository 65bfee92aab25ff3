"""The `newsledger` command: analyze (formats, errors in place, exit codes, stdin), schema, info."""
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from newsledger.cli import app

runner = CliRunner()

GOOD = {
    "id": "harbor-1", "title": "Port terminal delayed", "published": "2024-05-06",
    "text": ("Harbor officials said on Monday that the new container terminal would open in March, two "
             "years later than planned.\n\n\"We underestimated the soil work,\" the port director, Elena "
             "Varga, told reporters. She said the project had cost $310 million so far."),
}
BROKEN = '{"id": "harbor-2", "text": "cut off in the mid'


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def spans_of(ledger):
    for ent in ledger["entities"]:
        yield from ent["mentions"]
    for att in ledger["attributions"]:
        yield from att["content"]
        if att["source"]["span"]:
            yield att["source"]["span"]
        if att["cue"]:
            yield att["cue"]["span"]
    for x in ledger["figures"] + ledger["dates"]:
        yield x["span"]


@pytest.fixture
def mixed_jsonl(write):
    return write("in.jsonl", json.dumps(GOOD) + "\n" + BROKEN + "\n")


def test_jsonl_good_and_broken_in_order_exit_1(mixed_jsonl, tmp_path):
    out = tmp_path / "out.jsonl"
    result = run("analyze", str(mixed_jsonl), "--format", "jsonl", "--output", str(out))
    assert result.exit_code == 1, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2
    ledger, error = records
    assert ledger["schema"] == "newsledger/ledger-v1"
    assert ledger["id"] == "harbor-1" and ledger["text"] == GOOD["text"]
    assert ledger["published"] == "2024-05-06" and ledger["title"] == "Port terminal delayed"
    for s, e in spans_of(ledger):
        assert 0 <= s < e <= len(ledger["text"])
    assert error == {"id": "line:2", "error": {"type": "InvalidJSON", "message": error["error"]["message"]}}
    assert "line 2" in error["error"]["message"]


def test_all_good_exit_0_to_stdout(write):
    path = write("one.jsonl", json.dumps(GOOD) + "\n")
    result = run("analyze", str(path))
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["id"] == "harbor-1"


def test_json_format_is_an_array(mixed_jsonl):
    result = run("analyze", str(mixed_jsonl), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [r["id"] for r in data] == ["harbor-1", "line:2"]


def test_example_with_said_has_an_attribution():
    """Needs the attribution extractor: a wire story full of `said` must yield attributions."""
    result = run("analyze", str(EXAMPLES / "council-budget.txt"))
    assert result.exit_code == 0, result.output
    ledger = json.loads(result.stdout)
    assert ledger["id"] == "council-budget"
    assert len(ledger["attributions"]) >= 1
    texts = [ledger["text"][s:e] for a in ledger["attributions"] for s, e in a["content"]]
    assert any("keeps every branch library open" in t for t in texts)


def test_text_format_shows_a_quote():
    result = run("analyze", str(EXAMPLES / "flood-minister.txt"), "--format", "text")
    assert result.exit_code == 0, result.output
    assert "flood-minister" in result.stdout
    assert "Attributions" in result.stdout
    report = " ".join(result.stdout.split())   # Rich wraps long lines
    assert "Every cent that is needed will be found" in report


def test_text_format_escapes_markup(write):
    path = write("markup.jsonl", json.dumps({
        "id": "[bold]x[/bold]", "title": "[red]Headline[/red]",
        "text": "The [link=http://evil]council[/link] met on Tuesday to discuss the annual budget."}) + "\n")
    result = run("analyze", str(path), "--format", "text")
    assert "[red]Headline[/red]" in result.stdout and "[bold]x[/bold]" in result.stdout


def test_stdin_plain_text():
    result = run("analyze", "-", input=GOOD["text"])
    assert result.exit_code == 0, result.output
    ledger = json.loads(result.stdout)
    assert ledger["id"] == "stdin" and ledger["text"] == GOOD["text"]


def test_stdin_jsonl():
    result = run("analyze", "-", input=json.dumps(GOOD) + "\n" + BROKEN + "\n")
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["harbor-1", "line:2"]


def test_non_english_is_an_empty_ledger_that_says_why(write):
    text = ("Le conseil municipal a adopté mercredi un budget de 412 millions d'euros après une longue "
            "séance marquée par des désaccords sur les heures d'ouverture des bibliothèques. « Ce n'est "
            "pas le budget idéal, mais il garde toutes les bibliothèques ouvertes », a déclaré la présidente.")
    result = run("analyze", str(write("conseil.txt", text)))
    assert result.exit_code == 0
    ledger = json.loads(result.stdout)
    assert ledger["language"] == "fr" and ledger["attributions"] == [] and ledger["entities"] == []
    assert any("not English" in w for w in ledger["warnings"])


def test_missing_file_exit_2_no_traceback(tmp_path):
    missing = str(tmp_path / "nowhere.jsonl")
    proc = subprocess.run([sys.executable, "-m", "newsledger", "analyze", missing],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "no such file" in proc.stderr and missing in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


@pytest.mark.parametrize("command", [["export", "-o", "-"], ["query", "articles"], ["query", "quotes"],
                                     ["query", "figures"], ["query", "speakers"]])
def test_a_since_after_the_until_is_a_one_line_usage_error(tmp_path, command):
    """Not an empty answer: a period with no day in it is a slip of the dates, said as such."""
    from newsledger.store import open_store

    db = str(tmp_path / "s.db")
    open_store(db).close()
    res = run(*command, "--db", db, "--since", "2024-03-14", "--until", "2024-03-01")
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert res.exit_code == 2 and len(lines) == 1, res.output
    assert "--since 2024-03-14" in lines[0] and "--until 2024-03-01" in lines[0], lines
    assert run(*command, "--db", db, "--since", "2024-03-14", "--until", "2024-03-14").exit_code == 0


def test_an_error_into_a_pipe_is_one_line_however_long(tmp_path):
    """Rich wraps at 80 columns when standard error is no terminal: not an error message, which a
    log or a grep must get whole."""
    import os

    missing = str(tmp_path / ("a-folder-with-a-long-name-" * 8) / "nowhere.jsonl")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}  # as in a real pipe
    proc = subprocess.run([sys.executable, "-m", "newsledger", "analyze", missing],
                          capture_output=True, text=True, env=env)
    lines = proc.stderr.splitlines()
    assert proc.returncode == 2 and len(missing) > 200
    assert len(lines) == 1 and missing in lines[0] and lines[0].startswith("error:"), proc.stderr


def test_unwritable_output_exit_2(mixed_jsonl, tmp_path):
    result = run("analyze", str(mixed_jsonl), "--output", str(tmp_path / "no" / "dir" / "out.jsonl"))
    assert result.exit_code == 2
    assert "cannot write" in result.output


def test_schema_is_json_schema_of_the_ledger():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    props = schema["properties"]
    for key in ("schema", "id", "text", "entities", "attributions", "figures", "dates", "warnings"):
        assert key in props
    assert "schema_" not in props
    assert {"Entity", "Attribution", "Figure", "TimeExpression"} <= set(schema["$defs"])


def test_info_json():
    result = run("info", "--format", "json")
    assert result.exit_code == 0
    info = json.loads(result.stdout)
    import newsledger
    import spacy

    assert info["version"] == newsledger.__version__
    assert info["spacy_version"] == spacy.__version__
    assert info["spacy_model"]
    spacy.util.get_lang_class("en")  # and the name is one spacy.load accepts:
    assert spacy.util.is_package(info["spacy_model"]) or "/" in info["spacy_model"]


def test_help_documents_exit_status():
    result = run("analyze", "--help")
    assert result.exit_code == 0
    assert "Exit status" in result.stdout and "--batch-size" in result.stdout


def test_text_report_shows_each_figure_with_its_source_and_time():
    from rich.console import Console

    from newsledger.cli import render_text
    from newsledger.ledger import Attribution, Cue, Figure, Ledger, Source, TimeExpression

    text = "At least 5,700 people have died since October 7, health officials said. Prices rose 3%."
    led = Ledger(id="t", text=text,
                 attributions=[Attribution(kind="indirect", content=[(0, 47)],
                                           source=Source(span=(49, 65), name="health officials"),
                                           cue=Cue(span=(66, 70)))],
                 figures=[Figure(span=(0, 14), value=5700, approx="at_least", quantity="people died",
                                 time="since October 7", attribution=0),
                          Figure(span=(text.index("3%"), text.index("3%") + 2), value=3, unit="percent",
                                 change="up")],
                 dates=[TimeExpression(span=(text.index("since"), 47), type="DATE", value="2023-10-07")])
    console = Console(record=True, width=200)
    render_text(led, console)
    out = console.export_text()
    assert "At least 5,700 → ≥5,700 people died · since October 7 · per health officials" in out
    assert "3% → 3 percent · up · unsourced" in out
    assert "since October 7 DATE = 2023-10-07" in out


def test_an_article_over_the_time_limit_is_a_timeout_record_and_the_run_goes_on(tmp_path):
    """The budget really stops the work: the long article's worker is ended, not waited for, and
    the articles around it (in the same piece of work) are analyzed as usual."""
    long = dict(GOOD, id="long", text="\n\n".join([GOOD["text"]] * 500))  # ~140 KB: far over 2 s
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in (dict(GOOD, id="before"), long, dict(GOOD, id="after"))))
    out = tmp_path / "out.jsonl"
    res = run("analyze", str(path), "--time-limit", "2", "--output", str(out))
    assert res.exit_code == 1, res.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["before", "long", "after"]
    assert records[1]["error"]["type"] == "Timeout" and "2 s" in records[1]["error"]["message"]
    assert records[0]["attributions"] and records[2]["attributions"]


def test_a_pipeline_that_cannot_load_is_exit_2_with_one_line(tmp_path, monkeypatch, write):
    monkeypatch.setenv("NEWSLEDGER_MODEL", str(tmp_path / "no-such-model"))
    res = run("analyze", str(write("a.txt", GOOD["text"])))
    assert res.exit_code == 2 and "cannot load the spaCy pipeline" in res.output
    assert "Traceback" not in res.output


def test_version():
    import newsledger

    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"newsledger {newsledger.__version__}\n"


def test_every_command_has_help_with_an_example():
    for args in (["analyze"], ["ingest"], ["load"], ["migrate"], ["link"], ["export"], ["serve"], ["schema"], ["info"],
                 ["query", "quotes"], ["query", "figures"], ["query", "speakers"], ["query", "articles"],
                 ["query", "runs"], ["eval", "attributions"], ["eval", "realnews"], ["eval", "timex"],
                 ["eval", "figures"], ["train", "attributions"], ["cluster", "run"], ["entities", "list"],
                 ["entities", "show"], ["entities", "merge"], ["entities", "split"], ["entities", "rename"],
                 ["entities", "rebuild"], ["entities", "edits"]):
        result = runner.invoke(app, args + ["--help"], terminal_width=80)
        assert result.exit_code == 0, args
        assert f"Example: newsledger {' '.join(args)}" in result.stdout, args


# the text report's markers: " … " joins the pieces of one content, " […] " marks a shortened one

QUOTE = ("The terminal will open in March, two years later than planned, because the soil under the "
         "old quay turned out to be far softer than any of the surveys had shown us")


def _direct(text: str, pieces) -> "object":
    from newsledger.ledger import Attribution, Cue, Ledger, Source

    said = text.index("said")
    return Ledger(id="m", text=text, attributions=[Attribution(
        kind="direct", content=pieces, source=Source(span=(0, 5), name="Varga"), cue=Cue(span=(said, said + 4)))])


def _report(led) -> str:
    from rich.console import Console

    from newsledger.cli import render_text

    console = Console(record=True, width=300)
    render_text(led, console)
    return console.export_text()


def test_the_report_joins_the_pieces_of_one_content_with_an_ellipsis():
    from newsledger.cli.render import _snippet

    text = '"We underestimated the soil," Varga said, "and we will pay for it."'
    first, second = (1, text.index(",")), (text.index("and"), len(text) - 1)  # inside the quotation marks
    assert _snippet(text, [first, second]) == "We underestimated the soil … and we will pay for it."
    assert "“We underestimated the soil … and we will pay for it.”" in _report(_direct(text, [first, second]))
    assert "[…]" not in _report(_direct(text, [first, second]))


def test_the_report_marks_a_shortened_content_apart_from_joined_pieces():
    from newsledger.cli.render import _snippet

    long = " ".join([QUOTE] * 3) + "."
    text = f'Varga said: "{long}"'
    snippet = _snippet(text, [(text.index('"'), len(text))])
    head, tail = snippet.split(" […] ")
    assert long.startswith(head) and long.endswith(tail) and " … " not in snippet
    assert len(snippet) < 260
    assert " […] " in _report(_direct(text, [(text.index('"'), len(text))]))
    # both: pieces joined, then the whole shortened
    pieces = [(0, len(text) // 2), (len(text) // 2 + 1, len(text))]
    both = _snippet(text, pieces, strip_quotes=False)
    assert " […] " in both


def test_the_text_report_into_a_file_keeps_a_long_quote_on_one_line(tmp_path):
    """Written to a file (or a pipe), the report does not wrap: a long quote stays whole on its line."""
    text = f'"{QUOTE}," the port director, Elena Varga, told reporters on Monday.'
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "wrap", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "report.txt"
    res = run("analyze", str(path), "--format", "text", "--output", str(out), "--time-limit", "0")
    assert res.exit_code == 0, res.output
    report = out.read_text(encoding="utf-8")
    assert len(QUOTE) > 120
    assert any(QUOTE in line for line in report.splitlines()), report


def test_a_query_table_into_a_pipe_keeps_long_values_on_one_line(tmp_path):
    from newsledger.ledger import Attribution, Cue, Ledger, Source
    from newsledger.store import open_store
    from newsledger.store.write import save_ledger

    text = f'"{QUOTE}," Elena Varga said on Monday.'
    said = text.index("said")
    led = Ledger(id="wrap", published="2024-05-06", outlet="Harbor News", text=text,
                 attributions=[Attribution(kind="direct", content=[(0, text.index(",\"") + 2)],
                                           source=Source(span=(said - 12, said - 1), name="Elena Varga"),
                                           cue=Cue(span=(said, said + 4)))])
    db = str(tmp_path / "s.db")
    store = open_store(db)
    with store.session() as s:
        save_ledger(s, led, key="k-wrap")
    store.close()
    res = run("query", "quotes", "--db", db)
    assert res.exit_code == 0, res.output
    assert any(QUOTE in line for line in res.stdout.splitlines()), res.stdout


def test_analyze_takes_several_inputs_in_turn_and_checks_them_all_first(tmp_path, write):
    first = write("first.txt", GOOD["text"])
    second = tmp_path / "second.jsonl"
    second.write_text(json.dumps(dict(GOOD, id="second")) + "\n")
    res = run("analyze", str(first), str(second), "--time-limit", "0")
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["id"] for line in res.stdout.splitlines()] == ["first", "second"]
    missing = run("analyze", str(first), str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "no such file or folder" in missing.output and not missing.stdout.strip().startswith("{")


def test_serve_opens_its_store_once_and_serves_that_one(tmp_path, monkeypatch):
    """The store serve asks for its showcase article is the one the app serves (one engine, one
    migration check), closed once the server stops."""
    import uvicorn

    from newsledger.store import db as store_db
    from newsledger.web.turns import Turns

    opened, closed, served = [], [], []
    real_init, real_close = store_db.Store.__init__, store_db.Store.close

    def init(self, *args, **kwargs):
        opened.append(self)
        real_init(self, *args, **kwargs)

    def close(self):
        closed.append(self)
        real_close(self)
    monkeypatch.setattr(store_db.Store, "__init__", init)
    monkeypatch.setattr(store_db.Store, "close", close)
    monkeypatch.setattr(Turns, "start", lambda self: None)  # no pipeline: not what is tested
    monkeypatch.setattr(uvicorn, "run", lambda api, **kwargs: served.append(api))  # everything but listening
    res = run("serve", "--db", str(tmp_path / "s.db"))
    assert res.exit_code == 0, res.output
    assert len(opened) == 1 and len(served) == 1, opened
    assert closed and set(closed) == set(opened)
