"""The security suite's hostile input, sent to our server in front of each engine (`oxigraph serve`, Virtuoso).

Each case gets the answer it gets over the embedded store's screening: a clear
4xx, no connection made, nothing of the engine's shown, and the engine's data
unchanged afterwards. Virtuoso's own pragmas and functions are refused before
the engine, and the engine itself is shown to accept them, so that the refusal
is what stops them.
"""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings

from tests.engine.test_backend import HOSTILE
from tests.reliability.hostile import broken_sparql, leaks, listening, problems
from tests.test_hostile import REFLECTED, SCRIPT, UPDATES, _service_queries

pytestmark = pytest.mark.live

OURS = "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/dialogue55/graph/'))"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } %s }" % OURS


def _clear_4xx(response, *statuses: int) -> None:
    assert problems(response.status_code, response.text) == [], (response.status_code, response.text[:400])
    if statuses:
        assert response.status_code in statuses, (response.status_code, response.text[:400])


def _engine_count(url: str) -> int:
    """The number of quads in our graphs, asked of the engine itself."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": COUNT}).encode(),
                                     headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return int(reply.read().decode().splitlines()[1].strip('"'))


@pytest.fixture(scope="module")
def untouched(engine):
    """The engine's count of our quads before the module's hostile requests; checked unchanged after them."""
    before = _engine_count(engine)
    assert before > 1000
    yield
    assert _engine_count(engine) == before


@pytest.mark.parametrize("update", UPDATES)
def test_every_update_form_is_refused_before_the_engine(remote, untouched, update):
    _clear_4xx(remote.get("sparql", params={"query": update}), 400, 403)
    _clear_4xx(remote.post("sparql", data={"update": update}), 400, 403)
    _clear_4xx(remote.post("sparql", data=update, headers={"Content-Type": "application/sparql-update"}), 403)


@pytest.mark.parametrize("query", HOSTILE)
def test_engine_pragmas_and_functions_are_refused_by_post_too(remote, untouched, query):
    for response in (remote.post("sparql", data={"query": query}),
                     remote.post("sparql", data=query, headers={"Content-Type": "application/sparql-query"})):
        _clear_4xx(response, 400)
        assert leaks(response.text) == [] and "DB.DBA" not in response.text


def test_virtuoso_itself_would_run_its_function_and_our_server_does_not(started_engines, remote, engine_name):
    """What the screening stops is real: Virtuoso answers bif:sys_stat with its version when asked directly."""
    query = "SELECT (bif:sys_stat('st_dbms_ver') AS ?v) WHERE {}"
    request = urllib.request.Request(started_engines("virtuoso"), data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert reply.read().decode().splitlines()[1].strip('"')[:2].isdigit()  # "07.20.3229"
    response = remote.get("sparql", params={"query": query})
    _clear_4xx(response, 400)
    assert "of the engine's own" in response.text


@pytest.mark.parametrize("iri", ["http://e/a>b", "http://e/a}b", "http://e/a b", "not an iri", "",
                                 "javascript:alert(1)>", "http://e/" + "a" * 200_000])
@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_broken_iris_in_dataset_parameters(remote, iri, parameter):
    _clear_4xx(remote.post("sparql", data={"query": "ASK {}", parameter: iri}), 400, 413)


@pytest.mark.parametrize("path, params", REFLECTED)
def test_script_in_parameters_is_escaped_wherever_it_is_shown(remote, path, params):
    for accept in ("text/html", "application/json", "text/plain"):
        response = remote.get(path, params=params, headers={"Accept": accept})
        assert response.status_code < 500 and leaks(response.text) == [], (response.status_code, response.text[:300])
        if response.headers.get("Content-Type", "").startswith("text/html"):
            assert SCRIPT not in response.text
        assert response.headers.get("X-Content-Type-Options") == "nosniff"


def test_service_load_and_from_make_no_connection_through_the_engine(remote, untouched):
    """Neither our server nor the engine behind it connects to a SERVICE, LOAD or FROM target."""
    with listening() as listener:
        for query in _service_queries(listener.port):
            response = remote.post("sparql", data={"query": query})
            # A valid query the engine fails on is the engine's failure, a 502 (Virtuoso 7.2 cannot run a
            # VALUES after the WHERE clause: "SQ200: No column x"); nothing else may be a 5xx.
            failed = response.status_code == 502 and "Bad Gateway: Virtuoso" in response.text
            assert response.status_code < 500 or failed, (query, response.text[:300])
            assert leaks(response.text) == []
        assert listener.connections == 0


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=broken_sparql)
def test_generated_broken_queries_never_fail_the_server(remote, query):
    response = remote.post("sparql", data={"query": query}, headers={"Accept": "text/plain"})
    if response.status_code != 200:
        _clear_4xx(response)
