"""Reading one graph whole: the read-only SPARQL 1.1 Graph Store Protocol.

``GET /sparql?graph=IRI`` returns that named graph, ``GET /sparql?default`` the
default graph (the union of every named graph, as for queries). The graph is
read by the same killable workers as user queries, so the time limit and the
result size limit hold here too. In front of an external engine it is read
graph by graph and by key, whatever the engine's own row cap, and cut at the
result size limit as a query's answer would be.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from ..engine.evaluation import Answer, Job
from ..http import problems
from ..http.negotiation import Format
from .protocol import GraphTarget

WHOLE_GRAPH = "CONSTRUCT WHERE { ?s ?p ?o }"


def read(graph, target: GraphTarget, fmt: Format) -> Answer:
    """The triples of the graph ``target`` names (a canonical IRI or a published one), serialised in ``fmt``;
    NotFound if there is none."""
    iri = None if target.iri is None else graph.published_iri(target.iri)
    if iri is not None and not graph.store.contains_named_graph(NamedNode(iri)):
        raise problems.NotFound(f"this dataset has no graph named <{target.iri}>")
    if graph.engine:  # read by key, past the engine's row cap (see server.engine.whole_graphs)
        return graph.whole_graph(iri, fmt.writer)
    job = Job(WHOLE_GRAPH, results_format=None, graph_format=fmt.writer,
              default_graphs=(iri,) if iri is not None else None)
    return graph.sparql(job)
