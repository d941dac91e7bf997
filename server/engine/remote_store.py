"""The part of pyoxigraph's ``Store`` that the pages use, over an external SPARQL engine.

With the ``backend`` setting, :class:`~server.graph.Graph` holds a
:class:`RemoteStore` where it would hold a pyoxigraph ``Store``, so the pages,
documents, VoID, dumps, search and ontology documentation run unchanged. Every
method becomes one or more SPARQL queries sent with :class:`~server.engine.backend.Engine`;
values reach them only as a ``VALUES`` block built from pyoxigraph terms
(:func:`server.engine.backend.bind_values`), never from raw strings.

What differs from the embedded store, and why:

- ``quads_for_pattern(..., None)`` yields the quads of the **named graphs**
  only. The engine's default graph is the union of them, so including it would
  give each statement twice; callers that ask for any graph want the named
  graphs (evidence) anyway. ``DefaultGraph()`` asks for that union, deduplicated.
- Results come page by page (``LIMIT``/``OFFSET``, pages growing from
  :data:`FIRST_PAGE` to :data:`LARGEST_PAGE` rows), so a caller that takes the
  first rows with ``itertools.islice`` costs one small request, even on a hub.
- A blank node of the engine cannot be named back to it (its label is local to
  one result), so a pattern with a blank node matches nothing here.
- The engine's failures become :class:`problems.BadGateway` (502), and its
  silence past the time limit :class:`problems.Unavailable` (503), as a page
  cannot be built without its data.
"""

from __future__ import annotations

from typing import Iterator

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Variable,
    parse,
    parse_query_results,
    serialize,
)

from ..http import problems
from . import backend

FIRST_PAGE = 100
LARGEST_PAGE = 10_000
# Every query reads named graphs whose IRI starts with ?ours: an engine may hold graphs of its own
# (Virtuoso's system graphs) in its union default graph, and they are not ours to publish.
OURS = "FILTER(STRSTARTS(STR(?g), ?ours))"
NAMED_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } %s }" % OURS
UNION_TRIPLES = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } %s }" % OURS
# A graph exists when it holds a triple: Virtuoso's GRAPH ?g { } is true of any IRI.
GRAPH_NAMES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } %s }" % OURS
HAS_GRAPH = "ASK WHERE { GRAPH ?g { ?s ?p ?o } %s }" % OURS
WHOLE_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
WHOLE_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } %s }" % OURS


class RemoteStore:
    """A read-only, pyoxigraph-``Store``-like view of the dataset an :class:`~server.engine.backend.Engine` holds."""

    def __init__(self, engine: backend.Engine, timeout: float, graphs: str = ""):
        """``graphs`` is what the IRIs of the dataset's named graphs start with: other graphs are not seen."""
        self.engine = engine
        self.timeout = timeout
        self.ours = Literal(graphs)

    def quads_for_pattern(self, subject, predicate, object, graph_name=None) -> Iterator[Quad]:
        """The quads matching the pattern (``None`` is a wildcard), fetched lazily page by page."""
        pattern = {"s": subject, "p": predicate, "o": object}
        if isinstance(graph_name, DefaultGraph):
            return self._pages(UNION_TRIPLES, {**pattern, "ours": self.ours})
        return self._pages(NAMED_QUADS, {**pattern, "g": graph_name, "ours": self.ours})

    def query(self, query: str, *, prefixes: dict[str, str] | None = None, substitutions: dict | None = None,
              use_default_graph_as_union: bool = False):
        """Run a query: ``QuerySolutions`` for SELECT, ``QueryBoolean`` for ASK, a list of triples otherwise.

        The engine's default graph is the union of its named graphs whatever
        ``use_default_graph_as_union`` says: that is how it must be started.
        """
        values = {variable.value: term for variable, term in (substitutions or {}).items()}
        if any(isinstance(term, BlankNode) for term in values.values()):
            raise ValueError("a blank node cannot be passed to an external engine")
        text = backend.with_prefixes(query, prefixes or {})
        media_type, body = self._fetch(backend.bind_values(text, values), backend.accept_for(query))
        return _parsed(media_type, body)

    def named_graphs(self) -> Iterator[NamedNode]:
        """The names of the engine's named graphs."""
        return (row["g"] for row in self.query(GRAPH_NAMES, substitutions={Variable("ours"): self.ours}))

    def contains_named_graph(self, graph_name) -> bool:
        if not isinstance(graph_name, NamedNode):
            return False
        return bool(self.query(HAS_GRAPH, substitutions={Variable("g"): graph_name, Variable("ours"): self.ours}))

    def dump(self, output=None, format: RdfFormat | None = None, *, from_graph=None, prefixes=None):
        """One graph serialised in ``format`` (a graph format): the named graph ``from_graph``, or the union."""
        if isinstance(from_graph, DefaultGraph):
            triples = dict.fromkeys(self.query(WHOLE_UNION, substitutions={Variable("ours"): self.ours}))  # the engine's union may repeat a triple
        elif isinstance(from_graph, NamedNode):
            triples = self.query(WHOLE_GRAPH, substitutions={Variable("g"): from_graph})
        else:
            raise ValueError("an external engine's dump needs from_graph (a named graph or DefaultGraph())")
        return serialize(triples, output, format, prefixes=prefixes)

    # --- helpers ---------------------------------------------------------

    def _pages(self, select: str, pattern: dict) -> Iterator[Quad]:
        bound = {name: term for name, term in pattern.items() if term is not None}
        if any(isinstance(term, BlankNode) for term in bound.values()):
            return
        text, named = backend.bind_values(select, bound), select is NAMED_QUADS
        offset, size = 0, FIRST_PAGE
        while True:
            media_type, body = self._fetch(f"{text} LIMIT {size} OFFSET {offset}", "application/sparql-results+json")
            rows = list(_parsed(media_type, body))
            for row in rows:
                yield Quad(row["s"], row["p"], row["o"], row["g"] if named else DefaultGraph())
            if len(rows) < size:
                return
            offset, size = offset + size, min(size * 10, LARGEST_PAGE)

    def _fetch(self, query: str, accept: str) -> tuple[str, bytes]:
        try:
            return self.engine.fetch(query, accept, self.timeout)
        except backend.TimedOut:
            raise problems.Unavailable(f"the SPARQL engine gave no answer within {self.timeout:g} s",
                                     {"Retry-After": "5"}) from None
        except backend.EngineError as error:  # the engine's fault: 502, never our 503 of a time limit
            raise problems.BadGateway(f"the SPARQL engine failed on a page query: {error}",
                                      {} if error.failed else {"Retry-After": "5"}) from None


def _parsed(media_type: str, body: bytes):
    """The engine's answer as pyoxigraph objects; an answer that cannot be read is the engine's failure."""
    try:
        if media_type == "application/n-triples":
            return [quad.triple for quad in parse(body, format=RdfFormat.N_TRIPLES)]
        results_format = QueryResultsFormat.from_media_type(media_type)
        if results_format is None:
            raise SyntaxError(f"{media_type} is not a SPARQL results format")
        result = parse_query_results(body, format=results_format)
        if isinstance(result, QuerySolutions):  # read it all here: a bad row must not surface mid-page
            result = parse_query_results(result.serialize(format=QueryResultsFormat.TSV),
                                         format=QueryResultsFormat.TSV)
        return result
    except (SyntaxError, ValueError) as error:
        raise problems.BadGateway(f"the SPARQL engine's answer could not be read: "
                                  f"{backend.clean_message(str(error))}") from None
