"""The Ray Data path (a local Ray, as CI runs it): the same ledgers as the in-process run, bad lines
as error rows, and `load` storing them idempotently."""
import json

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.ledger import Article
from newsledger.pipeline import analyze_articles

from conftest import EXAMPLES, sql_rows

ray = pytest.importorskip("ray")
runner = CliRunner()


@pytest.fixture(scope="module")
def ray_local():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_cluster_run_then_load_stores_what_ingest_stores(ray_local, tmp_path, write):
    from newsledger.corpus import cluster

    lines = (EXAMPLES / "articles.jsonl").read_text().splitlines()
    src = write("in.jsonl", "\n".join(lines + ["{broken", json.dumps({"id": "no-text"})]) + "\n")
    out = tmp_path / "out"
    assert cluster.run([str(src)], str(out), actors=1, batch_size=2) == 5
    rows = list(cluster.read_outcomes([str(out)]))
    by_id = {o.ledger.id: o.ledger for _, o in rows if hasattr(o, "ledger")}
    expected = {l.id: l for l in analyze_articles([Article(**json.loads(x)) for x in lines])}
    assert set(by_id) == set(expected)
    for key in expected:  # the same analysis, wherever it runs
        assert by_id[key].to_json_dict() == expected[key].to_json_dict()
    assert sorted(o.error.type for _, o in rows if not hasattr(o, "ledger")) == ["InvalidJSON", "MissingText"]

    db = f"sqlite:///{tmp_path / 's.db'}"
    res = runner.invoke(app, ["load", str(out), "--db", db])
    assert res.exit_code == 1  # the two bad records are failures of the run
    res = runner.invoke(app, ["load", str(out), "--db", db])
    assert sql_rows(db, "select analyzed, existing, failed from runs order by id") == [(3, 0, 2), (0, 3, 2)]
    assert sql_rows(db, "select count(*) from attributions")[0][0] == sum(
        len(l.attributions) for l in expected.values())


def test_cluster_run_refuses_what_it_cannot_read(tmp_path, write):
    src = write("notes.txt", "plain text")
    res = runner.invoke(app, ["cluster", "run", str(src), "--output", str(tmp_path / "o")])
    assert res.exit_code == 2 and "not JSON Lines, Parquet or WARC" in res.output
    res = runner.invoke(app, ["load", str(tmp_path / "missing"), "--db", str(tmp_path / "s.db")])
    assert res.exit_code == 2 and "no such input" in res.output


def test_cluster_reads_warc_files_record_by_record_and_keeps_the_damage(ray_local, tmp_path):
    from newsledger.corpus import cluster
    from newsledger.ingest import read_inputs

    from test_sources import NEWS_RECORDS, write_warc

    good = write_warc(tmp_path / "CC-NEWS-1.warc.gz", NEWS_RECORDS)
    data = write_warc(tmp_path / "full.warc.gz", NEWS_RECORDS).read_bytes()
    cut = tmp_path / "CC-NEWS-2.warc.gz"
    cut.write_bytes(data[:int(len(data) * 0.8)])
    out = tmp_path / "out"
    cluster.run([str(good), str(cut)], str(out), actors=1, batch_size=4)
    rows = list(cluster.read_outcomes([str(out)]))
    urls = sorted(o.ledger.url for _, o in rows if hasattr(o, "ledger"))
    expected = sorted(i.url for p in (good, cut) for i in read_inputs(str(p)) if hasattr(i, "url"))
    assert urls == expected and len(urls) == 3  # two pages from the whole file, one before the damage
    errors = [o for _, o in rows if not hasattr(o, "ledger")]
    assert [e.error.type for e in errors] == ["InvalidWARC"] and errors[0].id == str(cut)


def test_load_refuses_files_that_are_not_a_cluster_runs_output(tmp_path, write):
    import pyarrow as pa
    import pyarrow.parquet as pq

    db = str(tmp_path / "s.db")
    other = tmp_path / "other.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": ["not an outcome row"]}), other)
    res = runner.invoke(app, ["load", str(other), "--db", db])
    assert res.exit_code == 2 and "cannot load" in res.output
    garbage = write("garbage.parquet", b"PAR1 this is not parquet at all")
    res = runner.invoke(app, ["load", str(garbage), "--db", db])
    assert res.exit_code == 2 and "cannot load" in res.output
    assert sql_rows(f"sqlite:///{db}", "select count(*) from articles") == [(0,)]
