"""An allowed SERVICE endpoint that fails: the gateway's errors, 502 and 504, naming the endpoint."""

from __future__ import annotations

import socket
import threading

import pytest

from server import create_app


@pytest.fixture(scope="module")
def endpoints():
    """A port where nothing listens, and a listener that accepts and never answers."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{closed.getsockname()[1]}/sparql"
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    held = []
    stop = threading.Event()

    def accept():
        silent.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(silent.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield refused, f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
    stop.set()
    thread.join(5)
    for connection in held:
        connection.close()
    silent.close()


@pytest.fixture(scope="module")
def client(endpoints):
    app = create_app({"service_allowlist": endpoints, "query_timeout": 2.0})
    yield app.test_client()
    app.extensions["dialogue55"].close()


def test_an_unreachable_service_is_502_naming_it(client, endpoints):
    refused, _ = endpoints
    response = client.post("/sparql", data={"query": f"SELECT * WHERE {{ SERVICE <{refused}> {{ ?s ?p ?o }} }}"})
    assert response.status_code == 502
    assert refused in response.text and "could not be queried" in response.text


def test_an_unresolvable_host_is_502(endpoints):
    host = "http://no-such-host.invalid/sparql"
    app = create_app({"service_allowlist": (host,), "query_timeout": 10.0})
    try:
        response = app.test_client().post("/sparql", data={"query": f"ASK {{ SERVICE <{host}> {{ ?s ?p ?o }} }}"})
    finally:
        app.extensions["dialogue55"].close()
    assert response.status_code == 502
    assert host in response.text


def test_a_service_that_never_answers_is_504_naming_it(client, endpoints):
    _, silent = endpoints
    response = client.get("/sparql", query_string={"query": f"ASK {{ SERVICE <{silent}> {{ ?s ?p ?o }} }}"})
    assert response.status_code == 504
    assert silent in response.text and "no answer" in response.text


def test_a_slow_query_without_a_service_stays_503(client):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    response = client.get("/sparql", query_string={"query": runaway})
    assert response.status_code == 503
