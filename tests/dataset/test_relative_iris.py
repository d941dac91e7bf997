"""Relative IRIs in data files resolve against the file's graph IRI, wherever the folder is loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pyoxigraph import NamedNode

from server.dataset import sources
from server.dataset.loading import bulk_load
from server.settings import NAMESPACE
from tests.live import running_server

ROOT = Path(__file__).resolve().parents[2]
# The W3C SPARQL test suite's subquery/sq05.rdf has the same shape: rdf:about="" and a fragment.
FOLDER = ROOT / "tests" / "fixtures" / "relative"
EX_P = NamedNode("http://example.org/p")
BASE = NAMESPACE + "graph/sq05"


def _source(**kwargs) -> sources.Source:
    return sources.Source(ontology=None, data=(FOLDER,), namespace=NAMESPACE, **kwargs)


def test_a_folder_with_rdf_about_empty_loads_with_the_documented_base():
    store = sources.load(_source())
    quads = list(store.quads_for_pattern(None, EX_P, None, NamedNode(BASE)))
    assert [(q.subject.value, q.object.value) for q in quads] == [(BASE, BASE + "#x")]


def test_the_base_follows_the_namespace_rewriting():
    store = sources.load(_source(base_iri="http://127.0.0.1:9/"))
    quads = list(store.quads_for_pattern(None, EX_P, None, None))
    assert {q.subject.value for q in quads} == {"http://127.0.0.1:9/graph/sq05"}


def test_the_bulk_loader_uses_the_same_base(tmp_path):
    bulk_load([FOLDER / "sq05.rdf"], tmp_path / "store", NAMESPACE, progress=False)
    store = sources.open_store(tmp_path / "store")
    assert {q.object.value for q in store.quads_for_pattern(NamedNode(BASE), EX_P, None, None)} == {BASE + "#x"}


def test_serve_publishes_such_a_folder():
    with running_server("--data", str(FOLDER), "data", base_iri=False) as server:
        response = server.get("sparql", params={"query": "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }"},
                              headers={"Accept": "text/csv"})
        assert response.status_code == 200
        assert response.text.splitlines()[1] == f"{BASE},{BASE}#x"


def test_validate_reports_the_base_it_used():
    result = subprocess.run([sys.executable, "-m", "server", "validate", "--data", str(FOLDER)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "relative IRIs in a file resolve against its graph, https://w3id.org/dialogue55/graph/{file stem}" \
        in result.stdout
    assert "No scheme found" not in result.stdout + result.stderr
