"""External engines for the backend tests: `oxigraph serve` and a private Virtuoso, both loaded with our export.

``engine`` is parametrized over both, so each backend test runs against each
(``engine_name`` says which). Virtuoso runs with a row cap of
:data:`VIRTUOSO_MAX_ROWS`, below the size of our largest graphs, so that every
whole-graph read is proved to page past an engine's cap. Both engines also hold
:func:`hub`, a graph outside our namespace whose subject has more statements
than one page, so paging by key within a subject is exercised too.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, serialize

from bench import engines
from tests.live import running_server

VIRTUOSO_MAX_ROWS = 500  # Virtuoso's ResultSetMaxRows here: our wikidata-view and ontology graphs are longer
ENGINE_TIMEOUT_S = 30  # Oxigraph's own time limit (--timeout-s)
# Virtuoso's MaxQueryExecutionTime: below our 10 s, so that its "anytime" answer (partial, flagged by X-SQL-State)
# comes before our limit cuts the connection. Every other query of the tests takes milliseconds.
VIRTUOSO_TIMEOUT_S = 2
HUB_GRAPH = "http://example.org/hub/graph"
HUB = "http://example.org/hub/"


def hub_quads() -> list[Quad]:
    """A subject with 1,300 statements: 700 of one predicate, 599 of another (one a blank node), and a blank
    node's own statement."""
    graph, subject, blank = NamedNode(HUB_GRAPH), NamedNode(HUB + "s"), BlankNode("hubnode")
    quads = [Quad(subject, NamedNode(HUB + "many"), Literal(f"value {n:04d}"), graph) for n in range(700)]
    quads += [Quad(subject, NamedNode(HUB + "more"), NamedNode(f"{HUB}o{n}"), graph) for n in range(599)]
    quads += [Quad(subject, NamedNode(HUB + "more"), blank, graph), Quad(blank, NamedNode(HUB + "p"), Literal(1), graph)]
    return quads


@pytest.fixture(scope="session")
def engine_files(tmp_path_factory) -> list[Path]:
    """`dialogue55 export` (N-Quads) and the hub graph, in one folder."""
    folder = tmp_path_factory.mktemp("export")
    hub = folder / "hub.nq"
    hub.write_bytes(serialize(hub_quads(), format=RdfFormat.N_QUADS))
    return [engines.export(folder), hub]


@pytest.fixture(scope="session")
def engine_stack():
    with ExitStack() as stack:
        yield stack


@pytest.fixture(scope="session")
def started_engines(engine_stack, engine_files, tmp_path_factory) -> dict:
    """Each engine, started the first time a test asks for it and stopped at the end of the session."""
    launchers = {
        "oxigraph": lambda folder: engines.oxigraph(folder, engine_files, timeout_s=ENGINE_TIMEOUT_S),
        # Virtuoso's cost estimate on, as shipped: a query it estimates too long must be our 503
        "virtuoso": lambda folder: engines.virtuoso(folder, engine_files, max_rows=VIRTUOSO_MAX_ROWS,
                                                    timeout_s=VIRTUOSO_TIMEOUT_S, estimate_s=400),
    }
    started: dict = {}

    def start(name: str) -> str:
        if name not in started:
            started[name] = engine_stack.enter_context(launchers[name](tmp_path_factory.mktemp(name)))
        return started[name]

    return start


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def engine_name(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def engine(started_engines, engine_name) -> str:
    """The SPARQL endpoint URL of the engine under test, loaded with our export."""
    return started_engines(engine_name)


@pytest.fixture(scope="session")
def oxigraph_engine(started_engines) -> str:
    """`oxigraph serve` alone, for what is tested of one engine only."""
    return started_engines("oxigraph")


@pytest.fixture(scope="session")
def embedded():
    """Our server over the embedded store: what every answer over an engine is compared with."""
    with running_server(base_iri=False) as server:
        yield server


@pytest.fixture(scope="session")
def remote(engine):
    """Our server in front of the engine under test."""
    with running_server("--backend", engine, base_iri=False) as server:
        yield server


@pytest.fixture(scope="session")
def both(embedded, remote):
    return embedded, remote
