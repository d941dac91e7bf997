"""The description of one resource: its statements, the statements pointing to it, and their evidence.

A description is bounded whatever the resource: outgoing and incoming
statements are counted with COUNT queries and read one page at a time with
LIMIT/OFFSET, so a forum with 100,000 members costs one page, not 100,000 rows.
Each statement carries the named graphs that hold it: for a fact of the
article, the graph of the sentence that states it (its evidence).

For machines, :func:`quads` adds what a client needs to read the page: the
labels of every resource it mentions and the description of each evidence
graph (the quoted sentence, its source).

The statements of a page are in a fixed order (by property, then subject and
object, in their N-Triples form), whatever order the store reads them in. Over
an external engine a description costs a fixed handful of requests whatever
the number of statements (see :meth:`server.graph.Graph.prefetch`): the
resource's neighbourhood, the counts and pages not known yet, and for a side
past one page the graphs of its statements, each in one request.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Store, Variable

from ..graph import Graph
from ..http import problems
from .labels import LABEL_PROPERTIES

MAX_GRAPHS_PER_STATEMENT = 20   # evidence shown for one statement
MAX_GRAPH_DESCRIPTION = 50      # statements read about one evidence graph
COUNTS = {"s": "count_outgoing", "o": "count_incoming"}


@dataclass(frozen=True)
class Statement:
    """One distinct triple and the named graphs that hold it."""

    subject: NamedNode | BlankNode
    predicate: NamedNode
    object: NamedNode | BlankNode | Literal
    graphs: tuple[NamedNode, ...]


@dataclass(frozen=True)
class Side:
    """One page of the outgoing or incoming statements, with the total count."""

    statements: list[Statement]
    count: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.size))


@dataclass(frozen=True)
class Description:
    iri: str
    outgoing: Side
    incoming: Side
    evidence: list[NamedNode] = field(default_factory=list)


def exists(store: Store, iri: str) -> bool:
    """Whether ``iri`` is the subject or object of any statement."""
    node = NamedNode(iri)
    return any(True for _ in itertools.islice(store.quads_for_pattern(node, None, None, None), 1)) or \
        any(True for _ in itertools.islice(store.quads_for_pattern(None, None, node, None), 1))


def describe(graph: Graph, iri: str, out_page: int = 1, in_page: int = 1, size: int = 100) -> Description:
    """The description of ``iri``: a page of each side; :class:`problems.NotFound` if it is unknown."""
    node = NamedNode(iri)
    _prefetch(graph, node, {"s": out_page, "o": in_page}, size)
    if not exists(graph.store, iri):
        raise problems.NotFound(f"there is no resource <{iri}> here")
    sides = {position: side(graph, position, iri, page, size) for position, page in (("s", out_page), ("o", in_page))}
    graph.prefetch(triples=[t for count, triples in sides.values() if count > size for t in triples])
    outgoing, incoming = (_side(graph, *sides[position], page, size)
                          for position, page in (("s", out_page), ("o", in_page)))
    evidence = list(dict.fromkeys(g for st in outgoing.statements + incoming.statements for g in st.graphs))
    return Description(iri, outgoing, incoming, evidence)


def _prefetch(graph: Graph, node: NamedNode, pages: dict[str, int], size: int) -> None:
    """In one batch: the resource's neighbourhood, the counts not known yet, and the page of
    statements (with their graphs) of a side that may not fit in one page."""
    if not graph.batches:
        return
    counts, windows = [], []
    for position, page in pages.items():
        count = graph.known_count(COUNTS[position], **{position: node})
        if count is None:
            counts.append((graph.query_text(COUNTS[position]), {position: node}))
        if count is None or count > size:
            windows.append((window(graph, "statements", size, (page - 1) * size), {position: node}))
    graph.prefetch(neighbourhoods=[node], selects=counts, statements=windows)


def side(graph: Graph, position: str, iri: str, page: int, size: int) -> tuple[int, list[tuple]]:
    """The count of statements where ``iri`` is at ``position`` ('s' or 'o'), and page ``page`` of them."""
    node = NamedNode(iri)
    count = graph.count(COUNTS[position], **{position: node})
    pages = max(1, math.ceil(count / size))
    if page < 1 or page > pages:
        raise problems.NotFound(f"no page {page}: there are {pages} page(s) of {size} statements")
    if count <= size:  # the whole side: the lookups the page makes anyway (over an engine, the neighbourhood read)
        pattern = (node, None, None) if position == "s" else (None, None, node)
        return count, [(q.subject, q.predicate, q.object)
                       for q in graph.store.quads_for_pattern(*pattern, DefaultGraph())]
    rows = select(graph, "statements", limit=size, offset=(page - 1) * size, **{position: node})
    return count, [(r["s"], r["p"], r["o"]) for r in rows]


def _side(graph: Graph, count: int, triples: list[tuple], page: int, size: int) -> Side:
    statements = [Statement(s, p, o, graphs_of(graph.store, s, p, o)) for s, p, o in triples]
    return Side(sorted(statements, key=statement_order), count, page, size)


def statement_order(st: Statement) -> tuple[str, str, str]:
    """The order of statements on a page: property, subject, object, in N-Triples form (no store's index order)."""
    return str(st.predicate), str(st.subject), str(st.object)


def graphs_of(store: Store, s, p, o) -> tuple[NamedNode, ...]:
    """The named graphs holding the triple (s, p, o), in a stable order."""
    quads = store.quads_for_pattern(s, p, o, None)
    return tuple(sorted((q.graph_name for q in itertools.islice(quads, MAX_GRAPHS_PER_STATEMENT)
                         if isinstance(q.graph_name, NamedNode)), key=lambda g: g.value))


def select(graph: Graph, name: str, limit: int | None = None, offset: int = 0, **values) -> list[dict]:
    """Rows of the fixed query ``name`` with pyoxigraph terms substituted, optionally windowed.

    ``limit`` and ``offset`` are appended as integers (``int()`` guarantees no
    text of a request reaches the query); every other value goes through
    substitutions.
    """
    text = graph.query_text(name) if limit is None else window(graph, name, limit, offset)
    result = graph.store.query(text, prefixes=graph.space.prefixes,
                               substitutions={Variable(k): v for k, v in values.items()})
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in result]


def window(graph: Graph, name: str, limit: int, offset: int) -> str:
    """The text of the fixed query ``name`` with ``LIMIT``/``OFFSET`` appended (``int()``: no request text)."""
    return graph.query_text(name) + f"\nLIMIT {int(limit)} OFFSET {int(offset)}"


def quads(graph: Graph, description: Description) -> list[Quad]:
    """The description as quads: statements in their graphs, what the dataset says about each
    evidence graph (the quoted sentence, its source), and the labels of every IRI these mention,
    the evidence's included (``d55:article``), so a client can show the document without
    another request. Over an engine: one request for the evidence, one for the labels."""
    store = graph.store
    found: dict[Quad, None] = {}
    for st in description.outgoing.statements + description.incoming.statements:
        for g in st.graphs:
            found[Quad(st.subject, st.predicate, st.object, g)] = None
    graph.prefetch(facts=[(description.evidence, None)])
    for g in description.evidence:
        found.update(dict.fromkeys(itertools.islice(store.quads_for_pattern(g, None, None, None),
                                                    MAX_GRAPH_DESCRIPTION)))
    graph.prefetch(facts=[([NamedNode(iri) for iri in mentioned(description.iri, found)], LABEL_PROPERTIES)])
    for iri in mentioned(description.iri, found):
        for prop in LABEL_PROPERTIES:
            found.update(dict.fromkeys(store.quads_for_pattern(NamedNode(iri), prop, None, None)))
    # The default graph holds the derived union; a description publishes the named graphs only,
    # the resource's own statements first, each part in N-Quads order (no store's index order).
    node = NamedNode(description.iri)
    return sorted((q for q in found if isinstance(q.graph_name, NamedNode)), key=lambda q: (q.subject != node, str(q)))


def mentioned(iri: str, quads) -> dict[str, None]:
    """``iri`` and every IRI the quads name (subjects, predicates, objects, graphs), in order."""
    found: dict[str, None] = {iri: None}
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, NamedNode):
                found[term.value] = None
    return found
