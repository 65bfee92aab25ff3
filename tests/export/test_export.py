"""Exports: ledgers rebuilt from the store exactly, and each format (JSON Lines, Parquet, CSV,
GDELT GKG 2.1) written from a small store of analyzed examples and hand-made hostile ledgers."""
import csv
import io
import json
import re
import sqlite3

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.corpus.batch import ingest
from newsledger.export import ExportError, Filters, Period, export, write_gkg
from newsledger.export.gkg import COLUMNS, clean, parse_line
from newsledger.export.tables import TABLES
from newsledger.ledger import Article, Attribution, Cue, Entity, Figure, Ledger, Source, TimeExpression
from newsledger.pipeline import analyze_articles
from newsledger.store import article_key, open_store
from newsledger.store.db import StoreError
from newsledger.store.read import ledger, ledgers
from newsledger.store.write import save_ledger

from conftest import EXAMPLES, sql_rows

runner = CliRunner()

HOSTILE = ('Minister Ana Ruiz said:\t"We will\nspend $5 million; #1 | <script>alert(1)</script>," on 12 March.\r\n'
           'At least 12 people were killed in Río\tGrande, Ruiz said, and the "Acme; Co #1" board '
           'approved 900 million to 1.1 billion in aid,\u2028up 3 percent.\x85')


def at(text, needle, nth=0):
    s = -1
    for _ in range(nth + 1):
        s = text.index(needle, s + 1)
    return (s, s + len(needle))


def hostile_ledger():
    t = HOSTILE
    quote = (t.index('"We'), t.index(',"') + 2)
    return Ledger(
        id="<script>hostile\tid</script>", title='A "title"\twith\ntabs', url="https://example.org/a#b;c",
        outlet="Hostile\tNews", author=None, published="2024-03-12T10:00:00+02:00", language="en", text=t,
        entities=[Entity(id="E1", name="Ana Ruiz", type="PERSON", mentions=[at(t, "Ana Ruiz"), at(t, "Ruiz", 1)]),
                  Entity(id="E2", name="Acme; Co #1", type="ORG", mentions=[at(t, "Acme; Co #1")]),
                  Entity(id="E3", name="Río\tGrande", type="GPE", mentions=[at(t, "Río\tGrande")]),
                  Entity(id="E4", name="Minister", type="PERSON", mentions=[])],
        attributions=[
            Attribution(kind="direct", content=[quote], source=Source(span=at(t, "Ana Ruiz"), entity="E1",
                                                                      name="Ana Ruiz"),
                        cue=Cue(span=at(t, "said")), confidence=0.73),
            Attribution(kind="indirect", content=[at(t, "At least 12 people"), at(t, "were killed")],
                        source=Source(span=None, entity=None, name="officials")),
            Attribution(kind="according_to", content=[at(t, "approved")])],
        figures=[
            Figure(span=at(t, "$5 million"), value=5e6, unit="USD", quantity="spending", attribution=0),
            Figure(span=at(t, "At least 12"), value=12, approx="at_least", quantity="people killed",
                   attribution=1, location="Río\tGrande", time="12 March", change="up"),
            Figure(span=at(t, "900 million to 1.1 billion"), value=9e8, value_max=1.1e9, approx="about",
                   unit="USD", quantity="aid; #relief, now"),
            Figure(span=at(t, "3 percent"), value=3, unit="%", change="up"),
            Figure(span=at(t, "#1"), value=None)],
        dates=[TimeExpression(span=at(t, "12 March"), type="DATE", value="2024-03-12"),
               TimeExpression(span=at(t, "12 March"), type="DATE", value="XXXX-03-12"),
               TimeExpression(span=at(t, "March"), type="DATE", value="2024-03"),
               TimeExpression(span=at(t, "12"), type="DATE", value="2024"),
               TimeExpression(span=at(t, "on 12"), type="DURATION", value="P3D"),
               TimeExpression(span=at(t, "12 March"), type="TIME", value="2024-03-12T10:00")],
        warnings=["a warning"])


def plain_ledger(i, outlet, published):
    text = f"Story {i}: nothing to report, \"quoted\"\r\nsecond line."
    return Ledger(id=f"plain-{i}", outlet=outlet, published=published, language="en", text=text)


def examples():
    return [Article(**json.loads(line)) for line in (EXAMPLES / "articles.jsonl").read_text().splitlines()]


FRENCH = Article(id="fr-1", language="fr", text="Le conseil municipal a adopté le budget mercredi soir.")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A store with the three examples analyzed, a skipped French article and hand-made ledgers;
    returns (db path, {key: the ledger as saved})."""
    from newsledger import nlp as nlp_loader

    nlp = nlp_loader.load()
    db = tmp_path_factory.mktemp("export") / "s.db"
    store = open_store(str(db))
    items = examples() + [FRENCH]
    ingest(["examples"], store, nlp=nlp, items=items)
    saved = {article_key(a): led for a, led in zip(items, analyze_articles(items, nlp=nlp))}
    handmade = [hostile_ledger(), plain_ledger(1, "Wire", "2024-01-05"), plain_ledger(2, "Other", "2024-02-01"),
                plain_ledger(3, "Wire", None)]
    with store.session() as s:
        for i, led in enumerate(handmade):
            save_ledger(s, led, key=f"hand-{i}")
            saved[f"hand-{i}"] = led
    store.close()
    return db, saved


@pytest.fixture
def store(built):
    store = open_store(str(built[0]), read_only=True)
    yield store
    store.close()


def count(db, table):
    with sqlite3.connect(db) as c:
        return c.execute(f"select count(*) from {table}").fetchone()[0]


# ---------------------------------------------------------------- ledgers

def test_round_trip_is_exact_for_analyzed_skipped_and_handmade_ledgers(built, store):
    _db, saved = built
    assert any(led.attributions for led in saved.values())  # the examples did analyze
    for key, led in saved.items():
        assert ledger(store, key).to_json_dict() == led.to_json_dict(), key
    assert ledger(store, "no-such-key") is None
    french = saved[article_key(FRENCH)]
    assert french.entities == [] and french.warnings and french.language == "fr"


def test_ledgers_stream_in_batches_with_filters(store, built):
    everything = [led.id for led in ledgers(store)]
    assert len(everything) == len(built[1])
    assert [led.id for led in ledgers(store, batch_size=2)] == everything  # keyset pages join up
    wire = [led.id for led in ledgers(store, Filters(outlet="Wire"))]
    assert "plain-1" in wire and "plain-3" in wire and "plain-2" not in wire
    from datetime import date
    jan = [led.id for led in ledgers(store, Filters(period=Period(date(2024, 1, 5), date(2024, 1, 5))))]
    assert jan == ["plain-1"]  # until is inclusive; an article without a date is left out
    assert [led.id for led in ledgers(store, Filters(period=Period("2024-01-05", "2024-01-05")))] == jan
    assert list(ledgers(store, Filters(outlet="x' OR '1'='1"))) == []  # a bound parameter


# ---------------------------------------------------------------- JSON Lines

def test_jsonl_is_one_ledger_a_line(store, built, tmp_path):
    out = tmp_path / "l.jsonl"
    assert export(store, "jsonl", out) == len(built[1])
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(built[1])
    assert out.read_text(encoding="utf-8").splitlines() == lines[:-1]  # no U+2028 or U+0085 raw
    by_id = {led.id: led.to_json_dict() for led in built[1].values()}
    for line in lines[:-1]:
        got = json.loads(line)
        assert without_actors(got) == by_id[got["id"]]  # the ledger as saved, and the corpus's actors
        assert Ledger.model_validate(got).to_json_dict() == got  # the extension is in the schema


def without_actors(record: dict) -> dict:
    """A ledger-v1 JSON record without the `actor` extension of its entities and sources."""
    return {**record, "entities": [{k: v for k, v in e.items() if k != "actor"} for e in record["entities"]],
            "attributions": [{**a, "source": {k: v for k, v in a["source"].items() if k != "actor"}}
                             for a in record["attributions"]]}


# ---------------------------------------------------------------- Parquet and CSV

def test_parquet_tables_have_the_schema_and_the_rows(store, built, tmp_path):
    db, saved = built
    counts = export(store, "parquet", tmp_path / "pq")
    for table in TABLES:
        got = pq.read_table(tmp_path / "pq" / f"{table.name}.parquet")
        assert got.schema.equals(table.schema), table.name
        assert got.num_rows == counts[table.name] == count(db, table.name)
    articles = pq.read_table(tmp_path / "pq" / "articles.parquet").to_pylist()
    hostile = next(r for r in articles if r["key"] == "hand-0")
    assert hostile["text"] == HOSTILE and hostile["warnings"] == ["a warning"]
    assert hostile["published_at"] is not None
    figures = [r for r in pq.read_table(tmp_path / "pq" / "figures.parquet").to_pylist() if r["article_key"] == "hand-0"]
    assert [f["attribution"] for f in figures] == [0, 1, None, None, None]
    assert figures[2]["value_max"] == 1.1e9 and HOSTILE[figures[1]["start"]:figures[1]["end"]] == "At least 12"
    atts = [r for r in pq.read_table(tmp_path / "pq" / "attributions.parquet").to_pylist()
            if r["article_key"] == "hand-0"]
    assert atts[0]["source_entity"] == "E1" and atts[0]["confidence"] == 0.73 and atts[1]["source_entity"] is None
    assert atts[1]["content_spans"] == [list(sp) for sp in saved["hand-0"].attributions[1].content]


def test_parquet_row_groups_are_batches(store, tmp_path, monkeypatch):
    import dataclasses

    from newsledger.export import parquet, tables
    small = [dataclasses.replace(t, batch_size=2) for t in tables.TABLES]
    monkeypatch.setattr(parquet, "TABLES", small)
    export(store, "parquet", tmp_path / "pq")
    meta = pq.ParquetFile(tmp_path / "pq" / "articles.parquet").metadata
    assert meta.num_row_groups == (meta.num_rows + 1) // 2 and meta.num_rows > 2


def test_csv_tables_keep_hostile_text_exactly(store, built, tmp_path):
    db, saved = built
    counts = export(store, "csv", tmp_path / "csv")
    for table in TABLES:
        with open(tmp_path / "csv" / f"{table.name}.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0] == [name for name, _ in table.columns]
        assert len(rows) - 1 == counts[table.name] == count(db, table.name)
    with open(tmp_path / "csv" / "articles.csv", encoding="utf-8", newline="") as f:
        articles = {r["key"]: r for r in csv.DictReader(f)}
    for key, led in saved.items():
        assert articles[key]["text"] == led.text  # tabs, \r\n, quotes, <script> survive
        assert json.loads(articles[key]["warnings"]) == led.warnings
    assert articles["hand-0"]["title"] == 'A "title"\twith\ntabs' and articles["hand-0"]["author"] == ""
    with open(tmp_path / "csv" / "figures.csv", encoding="utf-8", newline="") as f:
        figures = [r for r in csv.DictReader(f) if r["article_key"] == "hand-0"]
    assert float(figures[2]["value_max"]) == 1.1e9 and figures[0]["attribution"] == "0" and figures[4]["value"] == ""


def test_filters_apply_to_tables(store, tmp_path):
    counts = export(store, "csv", tmp_path / "csv", Filters(outlet="Other"))
    assert counts["articles"] == 1 and counts["entities"] == 0


# ---------------------------------------------------------------- GKG

@pytest.fixture
def gkg_lines(store):
    from datetime import datetime
    out = io.StringIO()
    write_gkg(store, out, batch_time=datetime(2024, 3, 14, 15, 0, 0))
    return out.getvalue().split("\n")[:-1]


def test_gkg_records_have_27_fields_whatever_the_text(gkg_lines, built):
    assert len(COLUMNS) == 27 and len(gkg_lines) == len(built[1])
    records = [parse_line(line) for line in gkg_lines]
    assert [r["GKGRECORDID"] for r in records] == [f"20240314150000-{i}" for i in range(1, len(records) + 1)]
    hostile = next(r for r in records if "hand-0" in r["Extras"])
    assert hostile["DATE"] == "20240312080000"  # published at +02:00, in UTC
    assert hostile["SourceCollectionIdentifier"] == "1" and hostile["DocumentIdentifier"] == "https://example.org/a#b;c"
    assert hostile["SourceCommonName"] == "Hostile News"
    assert "&lt;script&gt;hostile id&lt;/script&gt;" in hostile["Extras"] and "<script>" not in hostile["Extras"]
    plain = next(r for r in records if "plain-3" in r["Extras"])
    assert plain["DATE"] == "0" and plain["SourceCollectionIdentifier"] == "2" and plain["DocumentIdentifier"] == "plain-3"


def _blocks(field, sep=";"):
    return field.split(sep) if field else []


def test_gkg_name_fields_point_at_the_names(gkg_lines, built):
    texts = {key: led.text for key, led in built[1].items()}
    n_names = 0
    for record in map(parse_line, gkg_lines):
        key = re.search(r"<NEWSLEDGER_KEY>(.*?)</NEWSLEDGER_KEY>", record["Extras"]).group(1)
        text = texts[key]
        for column in ("V2Persons", "V2Organizations", "AllNames"):
            for block in _blocks(record[column]):
                name, offset = block.split(",")
                assert any(text.startswith(w, int(offset)) for w in clean(name).split()), \
                    (column, block, text[int(offset):int(offset) + 30])
                n_names += 1
        for block in _blocks(record["V2Locations"]):
            fields = block.split("#")
            assert len(fields) == 9 and text[int(fields[8]):].startswith(fields[1].split()[0])
    assert n_names > 10
    hostile = parse_line(next(line for line in gkg_lines if "hand-0" in line))
    assert hostile["Persons"] == "Ana Ruiz"  # "Minister" has no name mention
    assert hostile["V2Persons"] == f"Ana Ruiz,{HOSTILE.index('Ana Ruiz')};Ana Ruiz,{at(HOSTILE, 'Ruiz', 1)[0]}"
    assert hostile["V2Organizations"] == f"Acme Co #1,{HOSTILE.index('Acme')}"
    assert hostile["Locations"] == "#Río Grande#####"


def test_gkg_quotations_amounts_counts_dates(gkg_lines):
    t = HOSTILE
    r = parse_line(next(line for line in gkg_lines if "hand-0" in line))
    offset, length, verb, quote = r["Quotations"].split("|")  # one direct quotation, one span
    assert verb == "said" and quote == clean(t[int(offset):int(offset) + int(length)], "|#")
    assert quote.startswith("We will spend $5 million;") and quote.endswith("</script>")
    amounts = [b.split(",") for b in _blocks(r["Amounts"])]
    assert amounts == [["5000000", "USD spending", str(t.index("$5"))],
                       ["12", "people killed", str(t.index("At least"))],
                       ["900000000", "USD aid #relief now", str(t.index("900"))]]  # no percentage, no None
    assert r["Counts"] == "KILL#12#people killed##Río Grande#####"
    assert r["V2Counts"] == f"KILL#12#people killed##Río Grande######{t.index('At least')}"
    d = t.index("12 March")
    assert r["Dates"] == (f"3#3#12#2024#{d};4#3#12#0#{d};2#3#0#2024#{t.index('March')};"
                          f"1#0#0#2024#{t.index('12')};3#3#12#2024#{d}")
    for column in ("Themes", "V2Tone", "GCAM", "SharingImage", "TranslationInfo"):
        assert r[column] == ""


def test_gkg_of_analyzed_examples_has_quotes_from_the_text(gkg_lines, built):
    texts = {key: led.text for key, led in built[1].items()}
    n = 0
    for record in map(parse_line, gkg_lines):
        key = re.search(r"<NEWSLEDGER_KEY>(.*?)</NEWSLEDGER_KEY>", record["Extras"]).group(1)
        for block in _blocks(record["Quotations"], "#"):
            offset, length, verb, quote = block.split("|")
            assert quote == clean(texts[key][int(offset):int(offset) + int(length)], "|#") and quote[0] not in "\"“"
            n += 1
    assert n >= 3


# ---------------------------------------------------------------- the command

def test_cli_writes_each_format(built, tmp_path):
    db = str(built[0])
    res = runner.invoke(app, ["export", "--db", db, "--format", "gkg", "--output", "-", "--outlet", "Wire"])
    assert res.exit_code == 0, res.output
    lines = [line for line in res.stdout.split("\n") if line]
    assert len(lines) == 5 and all(len(line.split("\t")) == 27 for line in lines)  # 3 examples + 2 plain
    res = runner.invoke(app, ["export", "--db", db, "-f", "jsonl", "-o", str(tmp_path / "x.jsonl"),
                              "--since", "2024-02-01"])
    assert res.exit_code == 0 and {json.loads(l)["id"] for l in open(tmp_path / "x.jsonl")} >= {"plain-2"}
    for fmt in ("parquet", "csv"):
        res = runner.invoke(app, ["export", "--db", db, "-f", fmt, "-o", str(tmp_path / fmt / "new")])
        assert res.exit_code == 0, res.output
        assert (tmp_path / fmt / "new" / f"dates.{fmt}").is_file()


@pytest.mark.parametrize("args, message", [
    (["--db", "{tmp}/missing.db"], "no such database file"),
    (["--db", "{tmp}/junk.db"], "cannot use"),
    (["--db", "{tmp}/empty.db"], "not a newsledger store"),
    (["--db", "{db}", "--format", "xml"], "xml"),
    (["--db", "{db}", "--output", "{tmp}/no/such/dir/x.jsonl"], "cannot write"),
    (["--db", "{db}", "--format", "parquet", "--output", "-"], "must be a folder"),
    (["--db", "{db}", "--format", "csv", "--output", "{tmp}/junk.db"], "not a folder"),
    (["--db", "{db}", "--since", "last week"], "YYYY-MM-DD"),
])
def test_cli_bad_inputs_exit_2_with_a_message(built, tmp_path, args, message):
    (tmp_path / "junk.db").write_text("not a database")
    sqlite3.connect(tmp_path / "empty.db").execute("create table t (x)").connection.close()
    args = [a.format(tmp=tmp_path, db=built[0]) for a in args]
    res = runner.invoke(app, ["export"] + args)
    assert res.exit_code == 2 and message in res.output, res.output
    assert "Traceback" not in res.output and isinstance(res.exception, (SystemExit, type(None)))
    assert not (tmp_path / "missing.db").exists()  # an export never creates a store


def test_api_rejects_unknown_format_and_missing_store(store, tmp_path):
    with pytest.raises(ExportError):
        export(store, "xml", tmp_path / "x")
    with pytest.raises(StoreError):
        open_store(str(tmp_path / "nope.db"), read_only=True)


def test_round_trip_and_formats_on_both_backends(store_url, tmp_path):
    """The same exports from PostgreSQL as from SQLite: ledgers exact, a near-duplicate says whose
    copy it is, every format written."""
    from newsledger import nlp as nlp_loader

    nlp = nlp_loader.load()
    store = open_store(store_url)
    stories = examples()
    copy = stories[0].model_copy(update={"id": "copy", "text": stories[0].text + "\nReprinted."})
    ingest(["x"], store, nlp=nlp, items=stories + [copy])
    with store.session() as s:
        save_ledger(s, hostile_ledger(), key="hand-0")
    expected = {led.id: led.to_json_dict() for led in analyze_articles(stories, nlp=nlp)}
    expected[hostile_ledger().id] = hostile_ledger().to_json_dict()
    got = {led.id: led for led in ledgers(store)}
    for key, led in expected.items():
        assert got[key].to_json_dict() == led
    assert got["copy"].attributions == [] and stories[0].id in got["copy"].warnings[-1]
    for fmt in ("jsonl", "gkg"):
        export(store, fmt, tmp_path / f"out.{fmt}")
        assert len((tmp_path / f"out.{fmt}").read_text(encoding="utf-8").splitlines()) == len(expected) + 1
    for fmt in ("parquet", "csv"):
        counts = export(store, fmt, tmp_path / fmt)
        assert counts["articles"] == len(expected) + 1
    store.close()


def test_gkg_names_never_hold_an_unresolved_pronoun_source():
    from newsledger.export.gkg import record
    t = "Mayor Ana Ruiz said the dam held. They said it would not. It said the Harbor Board would meet."
    led = Ledger(id="pronouns", text=t,
                 entities=[Entity(id="E1", name="Ana Ruiz", type="PERSON", mentions=[at(t, "Ana Ruiz")]),
                           Entity(id="E2", name="Harbor Board", type="ORG", mentions=[at(t, "Harbor Board")])],
                 attributions=[
                     Attribution(kind="indirect", content=[at(t, "the dam held")],
                                 source=Source(span=at(t, "Mayor Ana Ruiz"), entity="E1", name="Ana Ruiz", resolved=True)),
                     Attribution(kind="indirect", content=[at(t, "it would not")],
                                 source=Source(span=at(t, "They"), name="They", resolved=False)),
                     Attribution(kind="indirect", content=[at(t, "the Harbor Board would meet")],
                                 source=Source(span=at(t, "It"), name="It", resolved=False))])
    fields = dict(zip(COLUMNS, record("k", led, "1-1")))
    assert fields["Persons"] == "Ana Ruiz" and fields["Organizations"] == "Harbor Board"
    names = {block.split(",")[0] for block in fields["AllNames"].split(";")}
    assert names == {"Ana Ruiz", "Harbor Board"}


def test_tables_carry_whether_a_source_is_resolved(store, built, tmp_path):
    export(store, "csv", tmp_path / "csv")
    with open(tmp_path / "csv" / "attributions.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    analyzed = {k for k, led in built[1].items() if not k.startswith("hand-")}
    spanned = [r for r in rows if r["article_key"] in analyzed and r["source_start"]]
    assert spanned and {r["source_resolved"] for r in spanned} <= {"true", "false"}
    assert all(r["source_resolved"] == "" for r in rows if r["article_key"] == "hand-0")  # made by hand: not judged


def test_gkg_persons_organizations_and_tables_name_the_corpus_actor(store_url, tmp_path):
    """Three wire stories name one man three ways (a lone "Trump" the tagger typed ORG): GKG writes
    one person, "Donald Trump", and no organization "Trump"; the tables carry the actor's name."""
    from conftest import wire_stories

    st = open_store(store_url)
    for led in wire_stories():
        with st.session() as s:
            save_ledger(s, led, key=led.id)
    write_gkg(st, tmp_path / "out.gkg")
    records = {parse_line(line)["Extras"].split("<NEWSLEDGER_ID>")[1].split("<")[0]: parse_line(line)
               for line in (tmp_path / "out.gkg").read_text(encoding="utf-8").splitlines()}
    assert {k: r["Persons"] for k, r in records.items()} == {"wire-a": "Donald Trump", "wire-b": "Donald Trump",
                                                            "wire-c": "Donald Trump"}
    assert records["wire-c"]["Organizations"] == "" and records["wire-a"]["Organizations"] == "White House"
    assert records["wire-c"]["V2Persons"] == "Donald Trump,0"  # its own name, at its own offset
    assert {block.split(",")[0] for block in records["wire-b"]["AllNames"].split(";")} == {"Donald Trump"}
    export(st, "csv", tmp_path / "csv")
    with open(tmp_path / "csv" / "entities.csv", encoding="utf-8", newline="") as f:
        assert {(r["name"], r["actor"]) for r in csv.DictReader(f)} == {
            ("Donald Trump", "Donald Trump"), ("White House", "White House"), ("Donald J. Trump", "Donald Trump"),
            ("Trump", "Donald Trump")}
    with open(tmp_path / "csv" / "attributions.csv", encoding="utf-8", newline="") as f:
        assert {(r["source_name"], r["source_actor"]) for r in csv.DictReader(f)} == {
            ("Donald Trump", "Donald Trump"), ("Donald J. Trump", "Donald Trump"), ("Trump", "Donald Trump")}
    st.close()


def test_each_export_carries_the_corpus_actor_of_entities_and_speakers(store_url, tmp_path):
    """JSON Lines (ledger-v1's `actor` on entities and sources), Parquet and CSV (`actor`,
    `actor_id`, `source_actor`, `source_actor_id`) name each entity's and each speaker's actor by
    the store's id and canonical name, a correction included; a bare pronoun is no speaker."""
    from harbor_fixtures import STORIES

    from newsledger.store.actors import merge
    from newsledger.store.write import save_ledgers

    st = open_store(store_url)
    with st.session() as s:
        save_ledgers(s, STORIES)
    t = "Ana Reyes spoke first. She said the pier would reopen. They said it would not."
    pronoun = Ledger(id="harbor-pronouns", text=t, outlet="Island Courier", published="2024-05-05",
                     entities=[Entity(id="E1", name="Ana Reyes", type="PERSON",
                                      mentions=[at(t, "Ana Reyes"), at(t, "She")])],
                     attributions=[
                         Attribution(kind="indirect", content=[at(t, "the pier would reopen")],
                                     source=Source(span=at(t, "She"), entity="E1", name="Ana Reyes", resolved=True)),
                         Attribution(kind="indirect", content=[at(t, "it would not")],
                                     source=Source(span=at(t, "They"), name="They", resolved=False))])
    with st.session() as s:
        save_ledger(s, pronoun, key="harbor-pronouns")
    merge(st, "Ana Reyes", "A. Reyes")  # the user's correction: one person
    ids = {name: i for i, name in sql_rows(store_url, "select id, name from actors")}
    reyes, patrol = ids["Ana Reyes"], ids["Harbor Patrol"]

    export(st, "jsonl", tmp_path / "out.jsonl")
    by_id = {r["id"]: r for r in map(json.loads, (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines())}
    third = by_id["harbor-3"]
    assert [(e["name"], e.get("actor")) for e in third["entities"]] == [
        ("A. Reyes", {"id": reyes, "name": "Ana Reyes"}), ("Harbor Patrol", {"id": patrol, "name": "Harbor Patrol"}),
        ("Gull Island", None)]  # a place is no actor: no field at all
    assert [a["source"].get("actor") for a in third["attributions"]] == [
        {"id": reyes, "name": "Ana Reyes"}, {"id": patrol, "name": "Harbor Patrol"}]
    sources = [a["source"] for a in by_id["harbor-pronouns"]["attributions"]]
    assert sources[0]["actor"] == {"id": reyes, "name": "Ana Reyes"} and "actor" not in sources[1]

    for fmt in ("parquet", "csv"):
        export(st, fmt, tmp_path / fmt)
    entities = pq.read_table(tmp_path / "parquet" / "entities.parquet").to_pylist()
    assert {(r["article_id"], r["name"], r["actor"], r["actor_id"]) for r in entities if r["type"] == "PERSON"} == {
        ("harbor-1", "Ana Reyes", "Ana Reyes", reyes), ("harbor-2", "Ana Reyes", "Ana Reyes", reyes),
        ("harbor-3", "A. Reyes", "Ana Reyes", reyes), ("harbor-pronouns", "Ana Reyes", "Ana Reyes", reyes)}
    assert {r["actor_id"] for r in entities if r["type"] == "GPE"} == {None}
    atts = pq.read_table(tmp_path / "parquet" / "attributions.parquet").to_pylist()
    assert [(r["source_name"], r["source_actor"], r["source_actor_id"]) for r in atts
            if r["article_id"] in ("harbor-3", "harbor-pronouns")] == [
        ("A. Reyes", "Ana Reyes", reyes), ("Harbor Patrol", "Harbor Patrol", patrol),
        ("Ana Reyes", "Ana Reyes", reyes), ("They", None, None)]
    with open(tmp_path / "csv" / "attributions.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["article_id"] == "harbor-pronouns"]
    assert [(r["source_actor"], r["source_actor_id"]) for r in rows] == [("Ana Reyes", str(reyes)), ("", "")]
    with open(tmp_path / "csv" / "entities.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header[-2:] == ["actor", "actor_id"]  # new columns come last: readers by position keep theirs
    st.close()


def test_cli_help_says_where_the_actors_go():
    res = runner.invoke(app, ["export", "--help"])
    assert res.exit_code == 0
    assert "source_actor_id" in " ".join(res.stdout.split()) and "`actor`" in res.stdout
