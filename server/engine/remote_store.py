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
- Whole graphs (:meth:`RemoteStore.dump`, :meth:`RemoteStore.graph_triples`,
  :meth:`RemoteStore.named_quads`: the dumps, graph documents and the Graph
  Store Protocol) are read graph by graph: in one answer when the engine sends
  as many triples as it counts in the graph, else **by key**: pages sorted by
  subject, each starting after the last subject the previous page held whole
  (then by predicate within a subject too large for a page, then by object),
  never by ``OFFSET``. An engine's row cap (Virtuoso's
  ``ResultSetMaxRows``, flagged by ``X-SPARQL-MaxRows``) or its refusal of deep
  sorted windows (``MaxSortedTopRows``) cannot cut them short.
- The engine's failures become :class:`problems.BadGateway` (502), and its
  silence past the time limit :class:`problems.Unavailable` (503), as a page
  cannot be built without its data.
"""

from __future__ import annotations

import re
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
    Triple,
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
# Our graphs, and whether the engine's default graph is their union: what serving needs of the engine.
OUR_GRAPH_COUNT = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } %s }" % OURS
UNION_DEFAULT = "ASK WHERE { GRAPH ?g { ?s ?p ?o } %s ?s ?p ?o }" % OURS


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
        A query that mentions ``?ours`` and is not given it gets what our
        graphs' IRIs start with (the twins in ``server/queries/multiset/``).
        A SELECT that the engine cuts at its row cap (Virtuoso's
        ``X-SPARQL-MaxRows``) is read on, a window of that many rows at a time.
        """
        values = {variable.value: term for variable, term in (substitutions or {}).items()}
        if "ours" not in values and "?ours" in query:  # a fixed query for an engine reads our graphs only
            values["ours"] = self.ours
        if any(isinstance(term, BlankNode) for term in values.values()):
            raise ValueError("a blank node cannot be passed to an external engine")
        text = backend.bind_values(backend.with_prefixes(query, prefixes or {}), values)
        reply = self._exchange(text, backend.accept_for(query))
        result = _parsed(reply.media_type, reply.body)
        cap = backend.row_cap(reply)
        return result if cap is None or not isinstance(result, QuerySolutions) else self._read_on(text, result, cap)

    def named_graphs(self) -> Iterator[NamedNode]:
        """The names of the engine's named graphs."""
        return (row["g"] for row in self.query(GRAPH_NAMES, substitutions={Variable("ours"): self.ours}))

    def contains_named_graph(self, graph_name) -> bool:
        if not isinstance(graph_name, NamedNode):
            return False
        return bool(self.query(HAS_GRAPH, substitutions={Variable("g"): graph_name, Variable("ours"): self.ours}))

    def dump(self, output=None, format: RdfFormat | None = None, *, from_graph=None, prefixes=None):
        """One graph serialised in ``format`` (a graph format): the named graph ``from_graph``, or the union.

        Read to the end, in one answer or by key (see the module's docstring).
        """
        if isinstance(from_graph, DefaultGraph):
            triples = self.union_triples()
        elif isinstance(from_graph, NamedNode):
            triples = self.graph_triples(from_graph)
        else:
            raise ValueError("an external engine's dump needs from_graph (a named graph or DefaultGraph())")
        return serialize(triples, output, format, prefixes=prefixes)

    def graph_triples(self, graph_name: NamedNode) -> Iterator[Triple]:
        """Every triple of the named graph ``graph_name``, to the end whatever the engine's row cap.

        First in one unsorted answer, kept if it holds as many triples as the
        engine counts in the graph (cheap on an engine without a cap: sorting
        a large graph page by page costs Oxigraph seconds a page); else read by key.
        """
        whole, cap = self._whole(graph_name)
        if whole is not None:
            return iter(whole)
        return (triple for triple, _ in self._keyed(graph_name, {}, ("s", "p", "o"), cap or KEY_PAGE))

    def named_quads(self) -> Iterator[Quad]:
        """Every quad of our named graphs, graph by graph: the dataset as published (the dumps)."""
        for name in sorted(self.named_graphs(), key=lambda g: g.value):
            for triple in self.graph_triples(name):
                yield Quad(triple.subject, triple.predicate, triple.object, name)

    def union_triples(self) -> list[Triple]:
        """The union of our named graphs, each triple once (the engine's union may repeat one)."""
        return list(dict.fromkeys(quad.triple for quad in self.named_quads()))

    def readiness(self) -> tuple[int, bool]:
        """How many of our graphs the engine holds, and whether its default graph is their union.

        One count and one ASK, run before serving: an engine that cannot be
        reached raises :class:`problems.BadGateway` (or :class:`problems.Unavailable`).
        """
        ours = {Variable("ours"): self.ours}
        rows = list(self.query(OUR_GRAPH_COUNT, substitutions=ours))
        count = int(rows[0]["n"].value) if rows and rows[0]["n"] is not None else 0
        return count, count > 0 and bool(self.query(UNION_DEFAULT, substitutions=ours))

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

    def _keyed(self, graph_name: NamedNode, bound: dict, free: tuple[str, ...],
               page: int) -> Iterator[tuple[Triple, str]]:
        """The triples of ``graph_name`` with ``bound`` terms, sorted and paged by the string of ``free[0]``.

        A full page (``page`` rows, or fewer that the engine flags as cut)
        keeps the rows before its last key, and the next page starts at that
        key; a page that one key fills is read by the next variable within it.
        """
        key, fixed = free[0], {"g": graph_name, **bound}
        if key != "p":  # a subject or an object may be a blank node, which no key can name again
            rows, cut = self._key_page(BLANK_KEYED, key, fixed, page)
            if cut:
                raise problems.BadGateway("the SPARQL engine holds more statements about blank nodes in one graph "
                                          f"than it returns in one answer ({len(rows)}); they cannot be paged")
            yield from rows
        text, after = KEYED_FIRST, None
        while True:
            rows, cut = self._key_page(text, key, fixed if after is None else {**fixed, "after": after}, page)
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
            yield from self._keyed(graph_name, {**bound, key: term}, free[1:], page)
            text, after = KEYED_AFTER, Literal(last)

    def _whole(self, graph_name: NamedNode) -> tuple[list[Triple] | None, int | None]:
        """The graph in one answer, or None if the engine cut it (flagged, or fewer triples than it counts);
        and the row cap the engine named, if it did."""
        counted = _parsed(*self._exchange(_in_graph(GRAPH_SIZE, graph_name), "application/sparql-results+json")[:2])
        size = next((int(row["n"].value) for row in counted), 0)
        reply = self._exchange(_in_graph(GRAPH_TRIPLES, graph_name), "application/sparql-results+json")
        rows = _parsed(reply.media_type, reply.body)
        triples = [Triple(row["s"], row["p"], row["o"]) for row in rows]
        cap = backend.row_cap(reply)
        return (triples if cap is None and len(triples) == size else None), cap

    def _key_page(self, text: str, key: str, values: dict, page: int) -> tuple[list[tuple[Triple, str]], bool]:
        """One page of a keyed read: its (triple, key) rows, and whether it was cut (full, or flagged by the engine)."""
        values = dict(values)
        query = backend.bind_values(_in_graph(text, values.pop("g")).replace("?KEY", f"?{key}") + str(page), values)
        reply = self._exchange(query, "application/sparql-results+json")
        result = _parsed(reply.media_type, reply.body)
        keyed = Variable("key") in result.variables
        rows = [(Triple(row["s"], row["p"], row["o"]), row["key"].value if keyed else "") for row in result]
        return rows, backend.row_cap(reply) is not None or len(rows) >= page

    def _read_on(self, text: str, first: QuerySolutions, cap: int) -> QuerySolutions:
        """The rest of a SELECT the engine cut after ``cap`` rows, in windows of ``cap`` rows after the first.

        Each window is the query with its own ``LIMIT``/``OFFSET`` moved on
        (:func:`window`): a fixed query's order is its own, and the data is
        read-only while it is served, so the windows follow on. (Not as a
        subquery: Virtuoso 7.2 answers an ``OFFSET`` past its cap over a
        ``DISTINCT`` subquery with the first rows again.)
        """
        lines = first.serialize(format=QueryResultsFormat.TSV).splitlines(keepends=True)
        read = len(lines) - 1
        while (query := window(text, read, cap)) is not None:
            reply = self._exchange(query, "application/sparql-results+json")
            page = _parsed(reply.media_type, reply.body).serialize(format=QueryResultsFormat.TSV).splitlines(True)[1:]
            lines += page
            read += len(page)
            if not page or (len(page) < cap and backend.row_cap(reply) is None):
                break
        return parse_query_results(b"".join(lines), format=QueryResultsFormat.TSV)

    def _exchange(self, query: str, accept: str) -> backend.Reply:
        try:
            return self.engine.exchange(query, accept, self.timeout)
        except (backend.TimedOut, backend.EngineError) as error:
            raise self._problem(error) from None

    def _problem(self, error: Exception) -> problems.Problem:
        if isinstance(error, backend.TimedOut):
            return problems.Unavailable(f"the SPARQL engine gave no answer within {self.timeout:g} s",
                                        {"Retry-After": "5"})
        # the engine's fault: 502, never our 503 of a time limit
        return problems.BadGateway(f"the SPARQL engine failed on a page query: {error}",
                                   {} if error.failed else {"Retry-After": "5"})

    def _fetch(self, query: str, accept: str) -> tuple[str, bytes]:
        try:
            return self.engine.fetch(query, accept, self.timeout)
        except backend.TimedOut:
            raise problems.Unavailable(f"the SPARQL engine gave no answer within {self.timeout:g} s",
                                     {"Retry-After": "5"}) from None
        except backend.EngineError as error:  # the engine's fault: 502, never our 503 of a time limit
            raise problems.BadGateway(f"the SPARQL engine failed on a page query: {error}",
                                      {} if error.failed else {"Retry-After": "5"}) from None


def _in_graph(text: str, graph_name: NamedNode) -> str:
    """``text`` with ``GRAPH ?g`` naming ``graph_name``, by its N-Triples form (a NamedNode's, as in a VALUES
    block): engines look a constant graph up by index, where a VALUES-bound ?g makes Oxigraph scan every graph."""
    return text.replace("GRAPH ?g", f"GRAPH {NamedNode(graph_name.value)}")


_WINDOW = re.compile(r"(?:\s+(?:LIMIT\s+(?P<limit>\d+)|OFFSET\s+(?P<offset>\d+))){0,2}\s*$", re.IGNORECASE)


def window(query: str, read: int, size: int) -> str | None:
    """``query`` with its solutions after the first ``read`` ones, at most ``size`` of them; None if there are no more.

    >>> window("SELECT * { ?s ?p ?o }", 500, 500)
    'SELECT * { ?s ?p ?o }\\nLIMIT 500 OFFSET 500'
    >>> window("SELECT * { ?s ?p ?o } LIMIT 1200 OFFSET 100", 1000, 500)
    'SELECT * { ?s ?p ?o }\\nLIMIT 200 OFFSET 1100'
    >>> window("SELECT * { ?s ?p ?o } LIMIT 1000", 1000, 500) is None
    True
    """
    match = _WINDOW.search(query)
    limits = [int(v) for v in re.findall(r"LIMIT\s+(\d+)", match.group(0), re.IGNORECASE)]
    offsets = [int(v) for v in re.findall(r"OFFSET\s+(\d+)", match.group(0), re.IGNORECASE)]
    remaining = size if not limits else min(size, limits[0] - read)
    if remaining <= 0:
        return None
    return f"{query[:match.start()]}\nLIMIT {remaining} OFFSET {(offsets[0] if offsets else 0) + read}"


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
