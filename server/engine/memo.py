"""What one request has read from an external engine, and which lookups that answers completely.

Over an external engine each store lookup is a round trip, and a page makes
many small ones (a label, a footnote field, the graphs of a statement).
:class:`~server.engine.remote_store.RemoteStore` reads them in batches and keeps,
for the life of one request, what each batch covers *completely*: every quad
with a given subject, with a given object, with a given subject and predicate,
of a given graph, or matching a given pattern, and the rows of fixed SELECTs.
A later lookup inside that coverage is answered here; any other goes to the
engine. A batch cut by its bound covers nothing, so an incomplete batch costs
requests, never correctness.

Answers are sorted (quads by their N-Quads form), so what a page shows does
not depend on the engine's order.

>>> from pyoxigraph import NamedNode, Quad
>>> a, p, b, g = (NamedNode(f"http://e/{n}") for n in "apbg")
>>> memo = Memo()
>>> memo.subjects[a] = [Quad(a, p, b, g)]
>>> memo.lookup(a, p, None, None) == [Quad(a, p, b, g)], memo.lookup(b, None, None, None)
(True, None)
>>> [str(q.graph_name) for q in memo.lookup(a, None, None, DefaultGraph())]
['DEFAULT']
"""

from __future__ import annotations

import json

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, QueryResultsFormat, parse_query_results

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
UNION = "union"  # the pattern key of a lookup in the union default graph


class Memo:
    """The quads and SELECT answers one request has read, by what they cover."""

    def __init__(self):
        self.subjects: dict = {}   # term -> every named quad with it as subject
        self.objects: dict = {}    # term -> every named quad with it as object
        self.pairs: dict = {}      # (subject, predicate) -> every named quad with both
        self.graphs: dict = {}     # graph name -> every quad of that graph
        self.patterns: dict = {}   # (s, p, o, graph name | None | UNION) -> the quads read for that exact lookup
        self.answers: dict = {}    # bound query text -> (variable names, rows)
        self.partial: dict = {}    # ('s' | 'o', term) -> the first quads of a neighbourhood too large to read whole
        self.labels: dict = {}     # (term, label properties, lang) -> the quads that decide its label (label_quads)

    def lookup(self, s, p, o, g) -> list[Quad] | None:
        """The quads matching the pattern (``g``: a graph name, None for any named graph,
        ``DefaultGraph()`` for the union), sorted; None when what was read does not cover it.
        Every list kept here is sorted by whoever keeps it."""
        named = g if isinstance(g, NamedNode) else None
        union = isinstance(g, DefaultGraph)
        exact = self.patterns.get((s, p, o, UNION if union else named))
        if exact is not None:
            return exact
        found = self._covering(s, p, o, named)
        if found is None:
            return None
        matching = [q for q in found if (s is None or q.subject == s) and (p is None or q.predicate == p)
                    and (o is None or q.object == o) and (named is None or q.graph_name == named)]
        if union:
            triples = dict.fromkeys(q.triple for q in matching)
            return sorted((Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples), key=str)
        return matching  # kept sorted

    def _covering(self, s, p, o, named) -> list[Quad] | None:
        """Quads read that include every named quad matching the pattern, or None."""
        if s is not None and s in self.subjects:
            return self.subjects[s]
        if s is not None and p is not None and (s, p) in self.pairs:
            return self.pairs[(s, p)]
        if o is not None and o in self.objects:
            return self.objects[o]
        if named is not None and named in self.graphs:
            return self.graphs[named]
        return self.patterns.get((s, p, o, None))

    def keep_triples(self, quads: list[Quad]) -> None:
        """Keep, from ``quads`` that hold every named quad of their triples, each triple's quads as the
        answer to that exact lookup (sorted as ``quads`` are)."""
        found: dict = {}
        for quad in quads:
            found.setdefault((quad.subject, quad.predicate, quad.object, None), []).append(quad)
        for key, kept in found.items():
            self.patterns.setdefault(key, kept)

    def remember_answer(self, key: str, variables: list[str], rows: list[dict]) -> None:
        self.answers[key] = (variables, rows)

    def answer(self, key: str):
        """The SELECT answer read for ``key`` as fresh ``QuerySolutions``, or None."""
        if key not in self.answers:
            return None
        variables, rows = self.answers[key]
        return solutions(variables, rows)


def solutions(variables: list[str], rows: list[dict]):
    """``QuerySolutions`` holding ``rows`` (name -> term, None: unbound), made by pyoxigraph's own JSON results parser.

    >>> rows = solutions(["s", "l"], [{"s": NamedNode("http://e/a"), "l": Literal("x", language="fr")}, {}])
    >>> [(r["s"], r["l"]) for r in rows]
    [(<NamedNode value=http://e/a>, <Literal value=x language=fr>), (None, None)]
    """
    body = {"head": {"vars": variables},
            "results": {"bindings": [{name: _json(term) for name, term in row.items() if term is not None}
                                     for row in rows]}}
    return parse_query_results(json.dumps(body).encode("utf-8"), format=QueryResultsFormat.JSON)


def _json(term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    assert isinstance(term, Literal)
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    if term.datatype.value == XSD_STRING:
        return {"type": "literal", "value": term.value}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
