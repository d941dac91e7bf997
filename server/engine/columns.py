"""The columns of ``SELECT *`` in the order the query's author wrote its variables.

SPARQL leaves the order of ``SELECT *`` open, and pyoxigraph (like
``oxigraph serve``) sorts the variables by name, so ``SELECT * { ?s ?p ?o }``
comes back as ``o, p, s``. People read a table in the order they wrote it, and
Fuseki and the Wikidata Query Service keep that order; so do we, for answers
of the embedded store and of an engine behind ``--backend`` alike: the
columns of a ``SELECT *`` are put in order of each variable's first
appearance in the query text (``?x`` and ``$x`` are one variable). The
reordering works on the TSV lines that :mod:`server.engine.evaluation` makes
of every table anyway; a tab inside a term is escaped there, so splitting a
line on tabs is exact.

>>> written_order("SELECT * WHERE { ?s ?p ?o }")
['s', 'p', 'o']
>>> written_order("SELECT ?o ?s WHERE { ?s ?p ?o }") is None
True
>>> in_written_order([b"?o\\t?p\\t?s\\n", b"1\\t2\\t3\\n"], "SELECT * { ?s ?p ?o }")
[b'?s\\t?p\\t?o\\n', b'3\\t2\\t1\\n']
"""

from __future__ import annotations

from .screening import tokens


def written_order(query: str) -> list[str] | None:
    """The variables of a ``SELECT *`` query by first appearance, or None for any other query."""
    toks = list(tokens(query))
    for i, (kind, text) in enumerate(toks):
        if kind == "word" and text.upper() == "SELECT":
            j = i + 1 + (i + 1 < len(toks) and toks[i + 1][1].upper() in ("DISTINCT", "REDUCED"))
            if j >= len(toks) or toks[j][1] != "*":
                return None
            return list(dict.fromkeys(text[1:] for kind, text in toks[j:] if kind == "var"))
    return None


def in_written_order(lines: list[bytes], query: str) -> list[bytes]:
    """TSV ``lines`` (header first) with the columns of a ``SELECT *`` in written order."""
    order = written_order(query) if lines else None
    if not order:
        return lines
    header = lines[0].rstrip(b"\n").split(b"\t")
    names = [name[1:].decode() for name in header]
    rank = {name: i for i, name in enumerate(order)}
    permutation = sorted(range(len(names)), key=lambda i: (rank.get(names[i], len(rank)), i))
    if permutation == list(range(len(names))) or header == [b""]:
        return lines
    return [b"\t".join(cells[i] for i in permutation) + b"\n"
            for cells in (line.rstrip(b"\n").split(b"\t") for line in lines)]
