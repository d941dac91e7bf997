"""A batch sent as requests at once: how its parts are shared out, written, and waited for (no engine needed)."""

from __future__ import annotations

import threading

import pytest
from pyoxigraph import NamedNode

from server.engine import backend, batches
from server.engine.remote_store import RemoteStore
from server.http import problems

EMPTY = b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="s"/></head><results/></sparql>'


class HeldEngine:
    """An engine that answers the request's own thread at once, and holds the pool's threads until released."""

    prefixes: dict = {}

    def __init__(self):
        self.released = threading.Event()
        self.asked: list[str] = []

    def exchange(self, query, accept, timeout, *args):
        self.asked.append(threading.current_thread().name)
        if threading.current_thread().name.startswith("engine"):
            self.released.wait(10)
        return backend.Reply(backend.SOLUTIONS, EMPTY, {})


def test_a_part_alone_is_sent_as_it_is_and_parts_together_carry_their_index():
    parts = [batches.Part("SELECT ?s WHERE { ?s ?p ?o }", print, {}), batches.Part("SELECT ?o WHERE { ?s ?p ?o }", print, {})]
    assert batches.text("PREFIX e: <http://e/>\n", parts, [1]) == "PREFIX e: <http://e/>\nSELECT ?o WHERE { ?s ?p ?o }"
    both = batches.text("", parts, [0, 1])
    assert both.startswith("SELECT * WHERE { ") and "BIND(0 AS ?d55batch)" in both and "BIND(1 AS ?d55batch)" in both


def test_a_costly_batch_is_shared_between_two_requests_of_about_the_same_cost():
    parts = [batches.Part("", print, {}, cost) for cost in (81, 62, 60, 50, 30)]
    groups = batches.shared_out(parts, 100)
    assert sorted(i for group in groups for i in group) == [0, 1, 2, 3, 4] and len(groups) == 2
    costs = [sum(parts[i].cost for i in group) for group in groups]
    assert abs(costs[0] - costs[1]) <= max(part.cost for part in parts)
    assert batches.shared_out(parts[3:], 100) == [[0, 1]]  # 80: one request


def test_a_second_request_that_cannot_finish_in_time_is_our_503_not_a_wait_without_end():
    engine = HeldEngine()
    store = RemoteStore(engine, timeout=0.2, graphs="http://e/graph/")
    nodes = [NamedNode(f"http://e/{n}") for n in range(40)]
    try:
        with store.scope(), pytest.raises(problems.Unavailable):
            store.prefetch(neighbourhoods=nodes[:1], facts=[(nodes, [NamedNode("http://e/p")])])
    finally:
        engine.released.set()
    assert "MainThread" in engine.asked and any(name.startswith("engine") for name in engine.asked)
