"""Whole named graphs read from an external engine to their end, whatever its row cap.

Whole graphs (:meth:`RemoteStore.dump <server.engine.remote_store.RemoteStore.dump>`,
:meth:`~server.engine.remote_store.RemoteStore.graph_triples`,
:meth:`~server.engine.remote_store.RemoteStore.named_quads`: the dumps, graph
documents and the Graph Store Protocol) are read graph by graph: in one answer
when the engine sends as many triples as it counts in the graph, else **by
key**: pages sorted by subject, each starting after the last subject the
previous page held whole (then by predicate within a subject too large for a
page, then by object), never by ``OFFSET``. An engine's row cap (Virtuoso's
``ResultSetMaxRows``, flagged by ``X-SPARQL-MaxRows``) or its refusal of deep
sorted windows (``MaxSortedTopRows``) cannot cut them short.

Each function takes ``exchange``, which sends a query with an ``Accept`` and
returns the engine's :class:`~server.engine.backend.Reply` (raising the
engine's failures as problems).
"""

from __future__ import annotations

from typing import Callable, Iterator

from pyoxigraph import Literal, NamedNode, Triple

from ..http import problems
from . import backend
from .answers import solutions

Exchange = Callable[[str, str], backend.Reply]

# Paging a whole graph by key: the statements whose ?KEY (s, p or o; never a blank node) sorts after ?after
# (or at it), a page at a time; the statements whose ?KEY is a blank node come in one answer of their own.
# Rows per page: below every row cap known (Virtuoso's 10,000 as shipped), so that a silent cut cannot pass for an
# end; or the cap the engine named when it cut the whole graph (Virtuoso's X-SPARQL-MaxRows), fewer pages.
KEY_PAGE = 1_000
KEYED = ("SELECT ?s ?p ?o ?key WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!isBlank(?KEY)%s) BIND(STR(?KEY) AS ?key) } "
         "ORDER BY ?key LIMIT ")
KEYED_FIRST, KEYED_AFTER, KEYED_FROM = (KEYED % "", KEYED % " && STR(?KEY) > ?after", KEYED % " && STR(?KEY) >= ?after")
BLANK_KEYED = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isBlank(?KEY)) } LIMIT "
GRAPH_SIZE = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPH_TRIPLES = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def graph_triples(exchange: Exchange, graph_name: NamedNode) -> Iterator[Triple]:
    """Every triple of the named graph ``graph_name``, to the end whatever the engine's row cap.

    First in one unsorted answer, kept if it holds as many triples as the
    engine counts in the graph (cheap on an engine without a cap: sorting
    a large graph page by page costs Oxigraph seconds a page); else read by key.
    """
    whole, cap = _whole(exchange, graph_name)
    if whole is not None:
        return iter(whole)
    return (triple for triple, _ in _keyed(exchange, graph_name, {}, ("s", "p", "o"), cap or KEY_PAGE))


def _whole(exchange: Exchange, graph_name: NamedNode) -> tuple[list[Triple] | None, int | None]:
    """The graph in one answer, or None if the engine cut it (flagged, or fewer triples than it counts);
    and the row cap the engine named, if it did."""
    _, counted = solutions(exchange(_in_graph(GRAPH_SIZE, graph_name), backend.SOLUTIONS))
    size = next((int(row["n"].value) for row in counted if row["n"] is not None), 0)
    reply = exchange(_in_graph(GRAPH_TRIPLES, graph_name), backend.SOLUTIONS)
    _, rows = solutions(reply)
    triples = [Triple(row["s"], row["p"], row["o"]) for row in rows]
    cap = backend.row_cap(reply)
    return (triples if cap is None and len(triples) == size else None), cap


def _keyed(exchange: Exchange, graph_name: NamedNode, bound: dict, free: tuple[str, ...],
           page: int) -> Iterator[tuple[Triple, str]]:
    """The triples of ``graph_name`` with ``bound`` terms, sorted and paged by the string of ``free[0]``.

    A full page (``page`` rows, or fewer that the engine flags as cut)
    keeps the rows before its last key, and the next page starts at that
    key; a page that one key fills is read by the next variable within it.
    """
    key, fixed = free[0], {"g": graph_name, **bound}
    if key != "p":  # a subject or an object may be a blank node, which no key can name again
        rows, cut = _key_page(exchange, BLANK_KEYED, key, fixed, page)
        if cut:
            raise problems.BadGateway("the SPARQL engine holds more statements about blank nodes in one graph "
                                      f"than it returns in one answer ({len(rows)}); they cannot be paged")
        yield from rows
    text, after = KEYED_FIRST, None
    while True:
        rows, cut = _key_page(exchange, text, key, fixed if after is None else {**fixed, "after": after}, page)
        if not cut:
            yield from rows
            return
        last = rows[-1][1]
        whole = [row for row in rows if row[1] != last]
        yield from whole
        if whole:
            text, after = KEYED_FROM, Literal(last)
            continue
        if len(free) == 1:
            raise problems.BadGateway("the SPARQL engine holds more statements of one subject, predicate and "
                                      "object text than it returns in one answer; they cannot be paged")
        term = getattr(rows[-1][0], {"s": "subject", "p": "predicate"}[key])
        yield from _keyed(exchange, graph_name, {**bound, key: term}, free[1:], page)
        text, after = KEYED_AFTER, Literal(last)


def _key_page(exchange: Exchange, text: str, key: str, values: dict,
              page: int) -> tuple[list[tuple[Triple, str]], bool]:
    """One page of a keyed read: its (triple, key) rows, and whether it was cut (full, or flagged by the engine)."""
    values = dict(values)
    query = backend.bind_values(_in_graph(text, values.pop("g")).replace("?KEY", f"?{key}") + str(page), values)
    reply = exchange(query, backend.SOLUTIONS)
    names, found = solutions(reply)
    keyed = "key" in names
    rows = [(Triple(row["s"], row["p"], row["o"]), row["key"].value if keyed else "") for row in found]
    return rows, backend.row_cap(reply) is not None or len(rows) >= page


def _in_graph(text: str, graph_name: NamedNode) -> str:
    """``text`` with ``GRAPH ?g`` naming ``graph_name``, by its N-Triples form (a NamedNode's, as in a VALUES
    block): engines look a constant graph up by index, where a VALUES-bound ?g makes Oxigraph scan every graph."""
    return text.replace("GRAPH ?g", f"GRAPH {NamedNode(graph_name.value)}")
