"""Evaluating into bytes: every format, the row limit cuts and flags, never silently."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QueryResultsFormat, RdfFormat, Store, parse, parse_query_results

from server.engine.evaluation import Job, evaluate
from server.http.negotiation import GRAPHS, RESULTS

FIVE = "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 5 } }"


@pytest.fixture(scope="module")
def store():
    store = Store()
    for i in range(5):
        store.add(Quad(NamedNode(f"http://e/s{i}"), NamedNode("http://e/p"), Literal(f"line\n{i}")))
    return store


@pytest.mark.parametrize("fmt", RESULTS, ids=lambda f: f.name)
def test_a_cut_result_is_complete_in_every_results_format(store, fmt):
    answer = evaluate(store, Job(FIVE, results_format=fmt.media_type, max_rows=3))
    assert (answer.rows, answer.truncated) == (3, True)
    if fmt.name == "csv":  # pyoxigraph reads every results format but CSV
        assert answer.body.decode().splitlines() == ["n", "1", "2", "3"]
        return
    parsed = parse_query_results(answer.body, format=QueryResultsFormat.from_media_type(fmt.media_type))
    assert [row["n"].value for row in parsed] == ["1", "2", "3"]


def test_a_result_at_the_limit_is_not_flagged(store):
    answer = evaluate(store, Job(FIVE, max_rows=5))
    assert (answer.rows, answer.truncated) == (5, False)
    assert len(json.loads(answer.body)["results"]["bindings"]) == 5


@pytest.mark.parametrize("fmt", GRAPHS, ids=lambda f: f.name)
def test_a_cut_graph_keeps_whole_triples_with_line_breaks_in_literals(store, fmt):
    answer = evaluate(store, Job("CONSTRUCT WHERE { ?s ?p ?o }", graph_format=fmt.media_type, max_rows=2))
    assert (answer.rows, answer.truncated) == (2, True)
    triples = list(parse(answer.body, format=RdfFormat.from_media_type(fmt.media_type)))
    assert len(triples) == 2
    assert all(t.object.value.startswith("line\n") for t in triples)


def test_no_acceptable_format_is_reported_without_a_body(store):
    answer = evaluate(store, Job("CONSTRUCT WHERE { ?s ?p ?o }", graph_format=None))
    assert (answer.kind, answer.media_type, answer.body) == ("graph", None, b"")
