"""Corners of the SPARQL 1.1 Protocol: the base of relative IRIs, parameters without a query."""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat, parse

from tests.live import running_server

RELATIVE = "CONSTRUCT { <s> <p> 1 } WHERE {}"


def test_relative_iris_resolve_against_the_endpoint_url(client):
    """The W3C protocol test query_content_type_construct: no BASE, so the endpoint's URL is the base."""
    response = client.post("/sparql", data=RELATIVE, content_type="application/sparql-query",
                           headers={"Accept": "application/n-triples"}, base_url="http://example.org")
    assert response.status_code == 200
    triples = list(parse(response.data, format=RdfFormat.N_TRIPLES))
    assert [(t.subject.value, t.predicate.value) for t in triples] == [
        ("http://example.org/s", "http://example.org/p")]


def test_a_base_in_the_query_wins(client):
    response = client.get("/sparql", query_string={"query": "BASE <http://b/x/> " + RELATIVE},
                          headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and b"<http://b/x/s>" in response.data


def test_the_same_query_on_two_hosts_gets_two_answers(client):
    """The base is part of what an answer depends on, so the answer cache keeps them apart."""
    answers = {client.get("/sparql", query_string={"query": RELATIVE}, base_url=f"http://{host}",
                          headers={"Accept": "application/n-triples"}).data for host in ("a.example", "b.example")}
    assert len(answers) == 2


def test_under_base_iri_the_base_is_the_public_endpoint():
    with running_server() as server:
        response = server.post("sparql", data=RELATIVE, headers={"Content-Type": "application/sparql-query",
                                                                  "Accept": "application/n-triples"})
        assert response.status_code == 200
        assert f"<{server.url}s> <{server.url}p>" in response.text


@pytest.mark.parametrize("params", [{"default-graph-uri": "http://e/g"}, {"named-graph-uri": "http://e/g"},
                                    {"default-graph-uri": "http://e/g", "format": "json"}, {"timeout": "3"}])
def test_query_parameters_without_a_query_are_400(client, params):
    response = client.get("/sparql", query_string=params)
    assert response.status_code == 400
    assert "carries no query" in response.text


def test_a_bare_get_and_the_graph_store_still_answer(client):
    assert client.get("/sparql", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/sparql?format=ttl").status_code == 200
    assert client.get("/sparql?default", headers={"Accept": "text/turtle"}).status_code == 200
    graph = client.get("/sparql", query_string={"graph": "https://w3id.org/dialogue55/graph/sentence-01"},
                       headers={"Accept": "text/turtle"})
    assert graph.status_code == 200
