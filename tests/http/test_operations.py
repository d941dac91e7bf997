"""What an operator sees of a live server: the access log, ``/healthz`` and ``/metrics``.

Each test starts its own server, so the counters it reads come only from the
requests it sent (and the readiness poll of ``GET /``, which no test counts).
``/metrics`` is parsed with ``prometheus_client``'s own parser.
"""

from __future__ import annotations

import json
import re
import threading

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.live import running_server

pytestmark = pytest.mark.live

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LONG_QUERY = "SELECT ?state WHERE { ?state d55o:memberOf d55:dialogue-5-5 } " + "#" * 200


def samples(server) -> dict[tuple, float]:
    """Every sample of ``/metrics``: (name, sorted labels) -> value."""
    response = server.get("metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def the_known_sequence(server) -> None:
    """Two GETs of an IRI (stored, then a hit), a query twice by GET, a syntax error, an update, a 404."""
    assert server.get("id/morocco").status_code == 303
    assert server.get("id/morocco").headers["Cache-Status"] == "dialogue55; hit"
    for _ in range(2):
        assert server.get("sparql", params={"query": LONG_QUERY}, headers={"Accept": "text/csv"}).status_code == 200
    assert server.post("sparql", data={"query": "SELECT ?x WHERE { ?x"}).status_code == 400
    assert server.post("sparql", data={"query": "DELETE WHERE { ?s ?p ?o }"}).status_code == 403
    assert server.get("no/such/path").status_code == 404


@pytest.fixture(scope="module")
def watched(tmp_path_factory):
    log = tmp_path_factory.mktemp("log") / "access.jsonl"
    with running_server("--access-log", str(log)) as server:
        the_known_sequence(server)
        yield server, log


def test_metrics_count_the_known_sequence(watched):
    server, _ = watched
    found = samples(server)
    assert value(found, "dialogue55_http_requests_total", route="resources.identify", status="303") == 2
    assert value(found, "dialogue55_http_requests_total", route="sparql.endpoint", status="200") == 2
    assert value(found, "dialogue55_http_requests_total", route="sparql.endpoint", status="400") == 1
    assert value(found, "dialogue55_http_requests_total", route="sparql.endpoint", status="403") == 1
    assert value(found, "dialogue55_http_requests_total", route="unmatched", status="404") == 1
    assert value(found, "dialogue55_http_request_duration_seconds_count", route="sparql.endpoint") == 4
    # the second GET of the query is a response-cache hit: the query ran once
    assert value(found, "dialogue55_sparql_queries_total", outcome="ok") == 1
    assert value(found, "dialogue55_sparql_queries_total", outcome="invalid") == 1
    assert value(found, "dialogue55_sparql_queries_total", outcome="refused") == 1
    assert value(found, "dialogue55_sparql_queries_total", outcome="timeout") == 0
    assert value(found, "dialogue55_sparql_query_duration_seconds_count") == 3
    assert value(found, "dialogue55_response_cache_hits_total") == 2
    assert value(found, "dialogue55_response_cache_entries") >= 2
    assert value(found, "dialogue55_response_cache_bytes") > 0
    assert value(found, "dialogue55_http_response_cache_requests_total", result="hit") == 2
    assert value(found, "dialogue55_answer_cache_misses_total") == 3
    assert value(found, "dialogue55_query_workers", state="size") == 16
    assert value(found, "dialogue55_query_workers", state="alive") >= 1
    assert value(found, "dialogue55_query_workers", state="busy") == 0


def test_route_labels_are_route_names_never_paths(watched):
    server, _ = watched
    routes = {dict(labels).get("route") for (name, labels) in samples(server) if name.startswith("dialogue55_http_requests")}
    assert {"resources.identify", "sparql.endpoint", "unmatched"} <= routes
    assert not any(route and "/" in route for route in routes)


def test_the_access_log_has_one_line_per_request_hits_included(watched):
    server, log = watched
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    ours = [line for line in lines if line["path"] != "/"]  # the readiness poll
    assert [(line["method"], line["path"], line["status"], line["cache"]) for line in ours[:7]] == [
        ("GET", "/id/morocco", 303, "stored"), ("GET", "/id/morocco", 303, "hit"),
        ("GET", "/sparql", 200, "stored"), ("GET", "/sparql", 200, "hit"),
        ("POST", "/sparql", 400, "bypass"), ("POST", "/sparql", 403, "bypass"), ("GET", "/no/such/path", 404, "miss"),
    ]
    assert [line.get("outcome") for line in ours[:7]] == [None, None, "ok", None, "invalid", "refused", None]
    assert ours[1]["route"] == "resources.identify" and ours[0]["client"] == "127.0.0.1"
    assert ours[2]["bytes"] == ours[3]["bytes"] > 0
    assert all(line["ms"] >= 0 and line["time"].endswith("Z") for line in ours)
    query = ours[2]["query"]
    assert query.startswith("query=SELECT") and query.endswith("…") and len(query) < 60  # values cut short


def test_health_says_what_is_served_and_is_never_cached(watched):
    server, _ = watched
    for _ in range(2):
        response = server.get("healthz")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Cache-Status"] != "dialogue55; hit"
    health = response.json()
    assert health["status"] == "ok"
    assert health["triples"] > 0 and health["workers"]["size"] == 16
    assert re.fullmatch(r"[0-9a-f]{32}", health["version"])
    assert server.get("metrics").headers["Cache-Status"] != "dialogue55; hit"
    assert server.get("metrics").headers["Cache-Control"] == "no-store"


def test_health_is_503_while_no_worker_answers_and_a_timeout_is_counted():
    with running_server("--workers", "1", "--query-timeout", "4") as server:
        runaway = threading.Thread(target=lambda: server.get("sparql", params={"query": RUNAWAY}, timeout=60))
        runaway.start()
        statuses = []
        while runaway.is_alive():  # the one worker is busy until the runaway is killed at its limit
            statuses.append(server.get("healthz").status_code)
        runaway.join()
        assert 503 in statuses
        assert server.get("healthz").json()["status"] == "ok"  # a fresh worker took the killed one's place
        found = samples(server)
        assert value(found, "dialogue55_sparql_queries_total", outcome="timeout") == 1
        assert value(found, "dialogue55_http_requests_total", route="operations.healthz", status="503") >= 1


def test_metrics_and_the_access_log_can_be_turned_off():
    with running_server("--metrics", "off", "--access-log", "off") as server:
        assert server.get("metrics").status_code == 404
        assert server.get("id/morocco").status_code == 303
        assert '"path"' not in server.output()
        assert "metrics: off" in server.output() and "access log: off" in server.output()


def test_the_startup_line_says_what_is_served_and_a_cut_answer_is_truncated():
    with running_server("--max-result-rows", "77", "--answer-cache", "2", base_iri=False) as server:
        first = server.output().splitlines()[0]
        assert "triples in" in first and "graphs from the folders" in first
        assert "namespace https://w3id.org/dialogue55/" in first and server.url in first
        assert "77 rows" in server.output() and "answers 2 MiB" in server.output()
        assert '"path": "/"' in server.output()  # the access log goes to standard error by default
        cut = server.post("sparql", data={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
        assert cut.headers["X-SPARQL-Truncated"].startswith("true")
        assert value(samples(server), "dialogue55_sparql_queries_total", outcome="truncated") == 1
        assert '"outcome": "truncated"' in server.output()
