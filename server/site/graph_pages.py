"""The HTML page of a named graph: what the graph is (for a sentence graph, the quoted sentence)
and its statements, one bounded page at a time."""

from __future__ import annotations

import math
from dataclasses import dataclass

from pyoxigraph import NamedNode

from ..graph import current as graph
from ..http import problems
from ..http.negotiation import DATASETS, GRAPHS
from . import reader
from .descriptions import Statement, select, window
from .pages import Footnote, Pager, footnote, prefetch
from .reader import Alternate
from .terms import Term


@dataclass(frozen=True)
class GraphPage:
    iri: str
    title: Term
    about: Footnote
    statements: list[tuple[Term, Term, Term]]
    pager: Pager
    data_links: list[Term]


def graph_page(slug: str, iri: str, page: int, size: int, path: str | None = None):
    """Render page ``page`` of the named graph ``iri``, served at ``path`` (``/graph/{slug}``, or
    ``/graph/{slug}.html`` for a sentence graph, whose IRI leads people to the reading view)."""
    linker = reader.linker()
    node = NamedNode(iri)
    if graph().batches:  # over an engine: the count (if not known) and the page in one request
        counted = graph().known_count("graph_count", g=node) is not None
        graph().prefetch(selects=[(window(graph(), "graph_statements", size, (page - 1) * size), {"g": node})]
                         + ([] if counted else [(graph().query_text("graph_count"), {"g": node})]))
    count = graph().count("graph_count", g=node)
    pages = max(1, math.ceil(count / size))
    if page > pages:
        raise problems.NotFound(f"no page {page}: this graph has {pages} page(s) of {size} statements")
    found = select(graph(), "graph_statements", limit=size, offset=(page - 1) * size, g=node)
    found.sort(key=lambda r: (str(r["s"]), str(r["p"]), str(r["o"])))
    prefetch(graph(), [Statement(r["s"], r["p"], r["o"], ()) for r in found], [node], linker.labels.lang)
    statements = [(linker.term(r["s"]), linker.term(r["p"]), linker.term(r["o"])) for r in found]
    path = path or f"/graph/{slug}"
    data_path = f"/graph/{slug}"
    pager = Pager(count, page, pages,
                  linker.local(path, page=page - 1 if page > 2 else None) if page > 1 else None,
                  linker.local(path, page=page + 1) if page < pages else None)
    view = GraphPage(iri, linker.iri(iri), footnote(graph().store, linker, 0, node), statements, pager,
                     [Term(f.name, f"{data_path}.{f.name}", note=f.media_type) for f in GRAPHS + DATASETS])
    alternates = [Alternate(f"{data_path}.{f.name}", type=f.media_type) for f in GRAPHS + DATASETS]
    return reader.html("graph.html", path, alternates, view=view)
