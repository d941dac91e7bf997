"""Load and runaway work against a real server process on 127.0.0.1.

The bounded run (CI) and the long run (``python3 -m pytest -m long tests/test_load.py -s``,
the benchmark: 64 clients for 60 s) assert the same things: no 5xx, no connection
error, and memory that stops growing once the query workers are warm. Latencies are
reported, never asserted.
"""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.live import running_server
from tests.reliability import load, procs

pytestmark = pytest.mark.live

MIB = 1024 * 1024
# Runaways that the row limit cannot end early: they find no row (or one) after a huge product.
NEVER = 'FILTER(STR(?c) = CONCAT(STR(?i), "never"))'
CROSS_JOINS = [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i " + NEVER + " }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "SELECT ?a (COUNT(?d) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } GROUP BY ?a ORDER BY ?n",
    "CONSTRUCT { ?a ?b ?i } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i " + NEVER + " }",
]
SIMPLE = "ASK { ?s rdfs:label ?o }"


def _load_in_slices(server, slices: int, seconds: float) -> list[load.Report]:
    return [load.run(server.url, server.process.pid, clients=64, seconds=seconds) for _ in range(slices)]


def _assert_healthy(reports: list[load.Report]) -> None:
    for report in reports:
        print(report.summary())
        assert report.requests > 0
        assert report.server_errors == 0, report.by_kind
        assert report.errors == [], report.errors[:5]
    # Memory stops growing: the last slice peaks no higher than the first one after warm-up.
    first = max(m for _, m in reports[1].memory)
    last = max(m for _, m in reports[-1].memory)
    assert last <= first * 1.10 + 16 * MIB, f"memory grew from {first / MIB:.0f} to {last / MIB:.0f} MiB"


def test_a_production_server_answers_not_the_development_one(live_server):
    response = live_server.get("")
    assert response.headers.get("Server") == "granian"
    assert "Werkzeug" not in response.headers.get("Server", "")


def test_bounded_load_has_no_server_errors_and_flat_memory():
    with running_server() as server:
        _assert_healthy(_load_in_slices(server, slices=3, seconds=3))


@pytest.mark.long
def test_long_load_has_no_server_errors_and_flat_memory():
    """The benchmark: 64 clients for 60 s (a 10 s warm-up, then five 10 s slices)."""
    with running_server() as server:
        _assert_healthy(_load_in_slices(server, slices=6, seconds=10))


# --- runaway queries -------------------------------------------------------------------------

def _timed_get(server, query: str, accept: str = "application/sparql-results+json"):
    began = time.monotonic()
    response = requests.get(server.url + "sparql", params={"query": query}, headers={"Accept": accept}, timeout=60)
    return response, began, time.monotonic()


def test_eight_runaway_queries_are_stopped_while_others_are_served():
    """Eight cross joins at once: each is cut at the time limit with 503, and a simple query
    and a page sent while they run are answered before any of them ends."""
    with running_server("--query-timeout", "10") as server, \
            ThreadPoolExecutor(max_workers=8) as pool:
        _warm_up(server)
        runaways = [pool.submit(_timed_get, server, CROSS_JOINS[i % len(CROSS_JOINS)]) for i in range(8)]
        _await_busy_workers(server.process.pid, 8)
        simple, simple_began, simple_done = _timed_get(server, SIMPLE)
        page = server.get("", headers={"Accept": "text/html"})
        page_done = time.monotonic()
        results = [future.result() for future in runaways]
        first_runaway_done = min(done for _, _, done in results)
        for response, began, done in results:
            print(f"runaway answered {response.status_code} after {done - began:.2f} s")
            assert response.status_code == 503, response.text[:300]
            assert "timed out" in response.text
            assert response.headers.get("Retry-After")
        print(f"during the runaways: simple query {simple.status_code} in {simple_done - simple_began:.3f} s, "
              f"page {page.status_code} in {page_done - simple_done:.3f} s")
        assert simple.status_code == 200 and simple.json()["boolean"] is True
        assert page.status_code == 200
        assert simple_done < first_runaway_done and page_done < first_runaway_done


def _warm_up(server) -> None:
    """One query first, so the worker pool exists and starting it is not mistaken for work."""
    assert server.get("sparql", params={"query": SIMPLE}).status_code == 200


def _await_busy_workers(pid: int, count: int, seconds: float = 30) -> list[int]:
    """Poll until ``count`` processes under ``pid`` are burning CPU; return them."""
    deadline = time.monotonic() + seconds
    before = {p: procs.cpu_ticks(p) for p in procs.descendants(pid)}
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = {p: procs.cpu_ticks(p) for p in procs.descendants(pid)}
        busy = [p for p, ticks in now.items() if ticks - before.get(p, ticks) >= 2]
        if len(busy) >= count:
            return busy
        before = now
    raise AssertionError(f"fewer than {count} query workers got busy")


def test_a_client_that_disconnects_does_not_leave_its_query_running():
    """The time limit is long here (60 s): only the client's going can stop the worker in time."""
    with running_server("--query-timeout", "60") as server:
        port = int(server.url.rsplit(":", 1)[1].strip("/"))
        _warm_up(server)
        query = requests.Request("GET", server.url + "sparql", params={"query": CROSS_JOINS[1]}).prepare().path_url
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(f"GET {query} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
        busy = _await_busy_workers(server.process.pid, 1)
        for _ in range(20):  # the spare worker is busy too while it loads: wait until only the query is
            if len(busy) == 1:
                break
            busy = _await_busy_workers(server.process.pid, 1)
        [busy] = busy
        sock.close()
        deadline = time.monotonic() + 20
        while busy in procs.descendants(server.process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert busy not in procs.descendants(server.process.pid), "the worker kept running after its client left"
        again = server.get("sparql", params={"query": SIMPLE}, headers={"Accept": "application/json"})
        assert again.status_code == 200 and again.json()["boolean"] is True
