"""Backend mode: the same endpoint over an external engine (`oxigraph serve`, loaded with our export)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode

from bench.servers import oxigraph_binary
from server import backend
from tests.live import free_port, running_server, _await_ready

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.live

QUESTIONS = [
    "SELECT ?state ?label WHERE { ?state a d55o:State ; rdfs:label ?label } ORDER BY ?state ?label",
    # DISTINCT: oxigraph's union default graph is a multiset, ours a set (see server/backend.py)
    "SELECT DISTINCT ?p ?o WHERE { d55:8th-ministerial-conference ?p ?o } ORDER BY ?p ?o",
    "SELECT ?g ?text WHERE { GRAPH ?g { d55:8th-ministerial-conference ?p ?o } GRAPH d55g:provenance { ?g prov:value ?text } } ORDER BY ?g",
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """`oxigraph serve` on 127.0.0.1, loaded with `dialogue55 export` output, as it comes."""
    folder = tmp_path_factory.mktemp("engine")
    export = folder / "dump.trig"
    subprocess.run([sys.executable, "-m", "server", "export", "--format", "trig", "-o", str(export)],
                   cwd=ROOT, check=True)
    subprocess.run([oxigraph_binary(), "load", "--location", str(folder / "store"), "--file", str(export)],
                   check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(folder / "store"),
                                "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _await_ready(f"http://127.0.0.1:{port}/", process, open(folder / "log", "w+"))
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def both(engine):
    with running_server(base_iri=False) as embedded, running_server("--backend", engine, base_iri=False) as remote:
        yield embedded, remote


@pytest.mark.parametrize("query", QUESTIONS)
@pytest.mark.parametrize("accept", ["text/csv", "application/sparql-results+json"])
def test_competency_questions_get_the_same_answers(both, query, accept):
    embedded, remote = both
    mine, theirs = (s.get("sparql", params={"query": query}, headers={"Accept": accept}) for s in both)
    assert mine.status_code == theirs.status_code == 200
    assert mine.headers["Content-Type"] == theirs.headers["Content-Type"]
    assert mine.content == theirs.content and len(mine.content) > 20


def test_a_construct_is_negotiated_the_same(both):
    query = "CONSTRUCT { d55:morocco ?p ?o } WHERE { d55:morocco ?p ?o }"
    mine, theirs = (s.get("sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
                    for s in both)
    assert theirs.status_code == 200
    assert sorted(mine.text.splitlines()) == sorted(theirs.text.splitlines()) != []


def test_limits_and_errors_hold_in_front_of_the_engine(both):
    _, remote = both
    assert remote.get("sparql", params={"query": "SELECT ?x WHERE { ?x"}).status_code == 400
    assert remote.get("sparql", params={"update": "CLEAR ALL"}).status_code == 403
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"
    assert remote.get("sparql", params={"query": service}).status_code == 400


def test_an_unreachable_engine_is_a_503_not_a_500():
    with running_server("--backend", f"http://127.0.0.1:{free_port()}/query", base_iri=False) as remote:
        response = remote.get("sparql", params={"query": "ASK {}"})
        assert response.status_code == 503 and "cannot be reached" in response.text


def test_fixed_queries_bind_values_from_terms_never_from_strings(engine):
    with pytest.raises(ValueError):
        NamedNode("https://e/a> } <x")  # what the pages pass in is checked as an IRI first
    query = backend.bind_values("SELECT ?o WHERE { ?s ?p ?o }", {"o": Literal('x" } DROP')})
    assert query == 'SELECT ?o WHERE { VALUES (?o) { ("x\\" } DROP") } ?s ?p ?o }'
    rows = backend.Engine(engine, {}).select(
        "SELECT ?conference WHERE { ?conference <https://w3id.org/dialogue55/ontology#partOf> ?forum }",
        {"forum": NamedNode("https://w3id.org/dialogue55/id/dialogue-5-5")}, 10)
    assert rows and all(isinstance(r["conference"], NamedNode) for r in rows)
