"""The endpoint on a real server process, through the clients people use: SPARQLWrapper,
rdflib's SPARQLStore, Comunica (JavaScript), and plain HTTP with exact headers."""

from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
import requests
from rdflib import Graph as RdfGraph
from rdflib import URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

from server.sparql import examples
from tests.live import running_server

pytestmark = pytest.mark.live

JS = Path(__file__).resolve().parents[1] / "js"
STATES = "SELECT ?state WHERE { ?state a d55o:State } ORDER BY ?state"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def endpoint(live_server):
    return live_server.url + "sparql"


def state_count(live_server) -> int:
    response = live_server.get("sparql", params={"query": STATES}, headers={"Accept": "text/tab-separated-values"})
    assert response.status_code == 200
    return len(response.text.splitlines()) - 1


# --- SPARQLWrapper ---------------------------------------------------------------

@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_in_each_format(endpoint, live_server, fmt):
    client = SPARQLWrapper(endpoint)
    client.setQuery(STATES)
    client.setReturnFormat(fmt)
    result = client.query()
    converted = result.convert()
    if fmt == JSON:
        states = [b["state"]["value"] for b in converted["results"]["bindings"]]
    elif fmt == XML:
        states = [node.firstChild.data for node in converted.getElementsByTagName("uri")]
    else:
        delimiter = "," if fmt == CSV else "\t"
        states = [row[0] for row in csv.reader(io.StringIO(converted.decode()), delimiter=delimiter)][1:]
    assert len(states) == state_count(live_server) >= 10
    assert any(s.strip("<>").endswith("/id/morocco") for s in states)


def test_sparqlwrapper_post_and_ask(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setMethod("POST")
    client.setQuery("ASK { d55:morocco ?p ?o }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_sparqlwrapper_construct_as_turtle(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery("CONSTRUCT WHERE { ?state a d55o:State }")
    client.setReturnFormat("turtle")
    graph = RdfGraph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) >= 10


# --- rdflib SPARQLStore -------------------------------------------------------------

def test_rdflib_sparqlstore_select_and_construct(endpoint, live_server):
    store = SPARQLStore(endpoint, returnFormat="json")
    graph = RdfGraph(store)
    rows = list(graph.query(STATES))
    assert len(rows) == state_count(live_server)
    morocco = URIRef(live_server.url + "id/morocco")
    assert morocco in {row[0] for row in rows}
    labels = list(graph.objects(morocco, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    assert {label.language for label in labels} >= {"fr", "en"}


def test_rdflib_sparqlstore_refuses_to_write(endpoint):
    graph = RdfGraph(SPARQLStore(endpoint))
    with pytest.raises(TypeError):  # SPARQLStore is read-only; the endpoint would refuse anyway
        graph.add((URIRef("a:s"), URIRef("a:p"), URIRef("a:o")))


# --- Comunica -------------------------------------------------------------------

def comunica(endpoint: str, query: str) -> dict:
    if shutil.which("node") is None or not (JS / "node_modules" / "@comunica").is_dir():
        pytest.fail("Comunica is not installed: run tests/install-tools.sh")
    done = subprocess.run(["node", str(JS / "query.mjs"), endpoint, query],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_comunica_select_ask_and_construct(endpoint, live_server):
    ns = live_server.url
    states = comunica(endpoint, f"SELECT ?state WHERE {{ ?state a <{ns}ontology#State> }}")
    assert states["kind"] == "bindings" and len(states["rows"]) == state_count(live_server)
    assert {"state": ns + "id/morocco"} in states["rows"]
    assert comunica(endpoint, f"ASK {{ <{ns}id/morocco> ?p ?o }}") == {"kind": "boolean", "rows": [True]}
    quads = comunica(endpoint, f"CONSTRUCT WHERE {{ <{ns}id/morocco> a ?type }}")
    assert quads["kind"] == "quads" and [ns + "id/morocco", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                                         ns + "ontology#State"] in quads["rows"]


# --- plain HTTP with exact headers ------------------------------------------------

def test_direct_post_with_exact_headers(endpoint):
    response = requests.post(endpoint, data=STATES.encode(), timeout=30, headers={
        "Content-Type": "application/sparql-query", "Accept": "text/csv", "Origin": "https://yasgui.example"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Vary"] == "Accept"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert int(response.headers["X-SPARQL-Rows"]) == len(response.text.splitlines()) - 1


def test_cross_origin_preflight_then_post(endpoint):
    preflight = requests.options(endpoint, timeout=30, headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_every_example_query_answers_in_every_results_format(live_server, endpoint):
    found = examples.load(namespace="https://w3id.org/dialogue55/", published=live_server.url)
    assert found, "the example queries are missing"
    for example in found:
        counts = set()
        for accept in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                       "text/tab-separated-values"):
            response = requests.post(endpoint, data={"query": example.query}, headers={"Accept": accept}, timeout=60)
            assert response.status_code == 200, (example.name, response.text)
            assert response.headers["Content-Type"] == accept + "; charset=utf-8"
            counts.add(response.headers["X-SPARQL-Rows"])
        assert len(counts) == 1 and counts != {"0"}, (example.name, counts)


def test_a_service_to_a_local_listener_is_refused_before_any_connection(endpoint):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        for target in (f"<http://127.0.0.1:{port}/sparql>", f"SILENT <http://localhost:{port}/>",
                       f"<\\u0068ttp://127.0.0.1:{port}/>"):
            query = f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}"
            response = requests.post(endpoint, data={"query": query}, timeout=30)
            assert response.status_code == 400 and "not allowed" in response.text
        with pytest.raises(BlockingIOError):
            listener.accept()  # nothing ever connected


# --- limits that hold on a real server --------------------------------------------

def test_a_runaway_query_gets_503_while_other_requests_are_served(live_server, endpoint):
    outcome = {}

    def runaway():
        outcome["response"] = requests.get(endpoint, params={"query": RUNAWAY, "timeout": "3"}, timeout=60)

    thread = threading.Thread(target=runaway)
    thread.start()
    served_during = 0
    while thread.is_alive():
        response = requests.get(endpoint, params={"query": "ASK { d55:morocco ?p ?o }"}, timeout=30)
        assert response.status_code == 200
        served_during += thread.is_alive()
    thread.join()
    response = outcome["response"]
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "timed out" in response.text
    assert served_during > 0


def test_a_query_cannot_ask_for_more_time_than_the_limit():
    with running_server("--query-timeout", "1") as server:
        response = server.get("sparql", params={"query": RUNAWAY, "timeout": "600"})
        assert response.status_code == 503 and "1 s" in response.text


def test_a_query_that_crashes_the_engine_leaves_the_server_serving(live_server, endpoint):
    crasher = "ASK { FILTER(" + "||".join(["1"] * 20_000) + ") }"
    response = requests.post(endpoint, data=crasher, headers={"Content-Type": "application/sparql-query"}, timeout=60)
    assert response.status_code == 400 and "stopped the SPARQL engine" in response.text
    assert requests.get(endpoint, params={"query": "ASK { ?s ?p ?o }"}, timeout=30).json()["boolean"] is True


def test_a_cut_result_says_so():
    with running_server(env={"DIALOGUE55_MAX_RESULT_ROWS": "3"}) as server:
        response = server.get("sparql", params={"query": STATES}, headers={"Accept": "text/csv"})
        assert response.status_code == 200
        assert response.headers["X-SPARQL-Truncated"].startswith("true")
        assert response.headers["X-SPARQL-Rows"] == "3" and len(response.text.splitlines()) == 4
        assert "X-SPARQL-Truncated" in response.headers["Access-Control-Expose-Headers"]


def test_a_failing_allowed_service_is_reported_without_its_response_body():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        service = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"

        def answer_once():
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                body = b"SECRET-REMOTE-BODY"
                connection.sendall(b"HTTP/1.1 500 Oops\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                                   % (len(body), body))

        thread = threading.Thread(target=answer_once)
        thread.start()
        with running_server(env={"DIALOGUE55_SERVICE_ALLOWLIST": service}) as server:
            response = server.post("sparql", data={"query": f"SELECT * WHERE {{ SERVICE <{service}> {{ ?s ?p ?o }} }}"})
        thread.join(30)
    assert response.status_code == 502  # the service failed, not the client: a gateway's error
    assert "500" in response.text and service in response.text
    assert "SECRET" not in response.text
