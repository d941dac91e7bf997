"""Shared fixtures: an application per test (Flask test client) and one live server per session.

For the data tests: ``oxi_store`` loads the project's files the way the server does (a Turtle file
into ``graph/{stem}``, a TriG file with its own named graphs) with plain pyoxigraph, so that they do
not depend on the server's loader; ``union`` and ``closure`` give the same files to rdflib, as is and
after OWL RL reasoning.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, Store

from server import create_app
from server.dataset import validation
from tests.live import running_server


@pytest.fixture(scope="session")
def app():
    """The application over the embedded 5+5 graph (built once: the graph is read-only)."""
    application = create_app({"query_timeout": 5.0})
    application.config["TESTING"] = True
    yield application
    application.extensions["dialogue55"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server():
    """A real ``dialogue55 serve`` process on 127.0.0.1 whose IRIs dereference on itself."""
    with running_server() as server:
        yield server


ROOT = Path(__file__).resolve().parent.parent

GRAPH = "https://w3id.org/dialogue55/graph/"
ONTOLOGY_DIR = ROOT / "ontology"
DATA_DIR = ROOT / "data"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
REFERENCE = DATA_DIR / "wikidata-verified.tsv"
ARTICLE = Path(__file__).resolve().parent / "fixtures" / "article.txt"


def project_files() -> list[Path]:
    """The RDF files the server loads: ontology/ (shapes excepted) and data/."""
    return validation.rdf_files(ONTOLOGY_DIR) + validation.rdf_files(DATA_DIR)


@pytest.fixture(scope="session")
def oxi_store() -> Store:
    """An in-memory store of ontology/ (shapes excepted) and data/, named graphs as the server names them."""
    store = Store()
    for path in project_files():
        if path.suffix == ".trig":
            store.load(path=str(path), format=RdfFormat.TRIG)
        else:
            store.load(path=str(path), format=RdfFormat.TURTLE, to_graph=NamedNode(GRAPH + path.stem))
    return store


@pytest.fixture(scope="session")
def union():
    """Every triple of ontology and data in one rdflib Graph (the default graph the server queries)."""
    return validation.union_graph(project_files())


@pytest.fixture(scope="session")
def closure(union):
    """The OWL RL closure of ``union``: what a question in Wikidata's terms is answered from."""
    return validation.entailed(union)


def rows(store: Store, query: str) -> set[tuple[str, ...]]:
    """The solutions of a SELECT over the union of named graphs, as tuples of lexical values."""
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return {tuple("" if s[n] is None else s[n].value for n in names) for s in solutions}
