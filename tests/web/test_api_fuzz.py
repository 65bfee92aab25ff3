"""The API fuzzed from its own OpenAPI schema (schemathesis): whatever the parameters and bodies,
never a server error."""
import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from newsledger.corpus.batch import ingest
from newsledger.ledger import Article
from newsledger.store import open_store
from newsledger.web import create_app

from conftest import EXAMPLES


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory, nlp):
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 's.db'}"
    st = open_store(url)
    ingest(["examples"], st, nlp=nlp, items=[Article(**json.loads(line)) for line in
                                             (EXAMPLES / "articles.jsonl").read_text().splitlines()])
    st.close()
    # no URL fetching while fuzzing: private addresses refused, and any other host is not resolvable here
    app = create_app(url, nlp=nlp, max_body=50_000, analyze_seconds=20, allowed_hosts=["testserver"])  # schemathesis' Host
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_server_errors_whatever_the_request(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case):
            response = case.call()
            assert response.status_code < 500, (operation.label, case.path_parameters, case.query, response.text[:300])
            content_type = response.headers["content-type"]
            content_type = content_type[0] if isinstance(content_type, list) else content_type
            assert content_type.startswith("application/json")

        fuzz()
