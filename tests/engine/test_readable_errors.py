"""Syntax errors in words, and SELECT * in the order the variables were written, through the endpoint."""

from __future__ import annotations

import csv
import io
import json

import pytest
from pyoxigraph import QueryResultsFormat, parse_query_results

STAR = "SELECT * WHERE { ?s ?p ?o } LIMIT 2"


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_select_star_columns_come_in_written_order_in_every_format(client, accept):
    response = client.get("/sparql", query_string={"query": STAR}, headers={"Accept": accept})
    assert response.status_code == 200
    if accept == "text/csv":  # pyoxigraph does not read CSV (it is lossy): its header is the first line
        assert response.text.splitlines()[0] == "s,p,o"
        return
    fmt = QueryResultsFormat.from_media_type(accept)
    assert [v.value for v in parse_query_results(response.data, format=fmt).variables] == ["s", "p", "o"]


def test_the_order_follows_first_appearance_and_keeps_values(client):
    query = "SELECT * { VALUES (?z ?a) { (1 2) } BIND(?a + ?z AS ?m) }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert list(csv.reader(io.StringIO(response.text))) == [["z", "a", "m"], ["1", "2", "3"]]


def test_an_explicit_projection_keeps_its_order(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?o ?s { ?s ?p ?o } LIMIT 1"})
    assert json.loads(response.data)["head"]["vars"] == ["o", "s"]


def test_an_unknown_prefix_is_named_with_its_position(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s a ex:Thing }"})
    assert response.status_code == 400
    assert "unknown prefix ex: (line 2, column 8)" in response.text
    assert "\\u{" not in response.text and len(response.text) < 300


def test_a_triple_pattern_without_object_says_so(client):
    response = client.get("/sparql", query_string={"query": "SELECT * {\n ?x ?p }"})
    assert response.status_code == 400
    assert "line 2, column 8: the triple pattern ?x ?p has no object" in response.text


@pytest.mark.parametrize("query", ["SELECT ?x { ?x ?p 'x }", "SELECT ?x { ?x <a b> ?o }", "ASK { FILTER(?x = ) }",
                                   "SELECT ?x { ?x ?p ?o } LIMT 3", "SELECT (COUNT(?x) ?n) {}"])
def test_other_syntax_errors_are_short_and_have_a_position(client, query):
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/plain"})
    assert response.status_code == 400
    assert "SPARQL syntax error: line 1, column " in response.text
    assert "\\u{" not in response.text and "..=" not in response.text and len(response.text) < 400
