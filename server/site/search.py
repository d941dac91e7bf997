"""Label search: every label in every language, matched with accents and case folded.

The index (folded label -> resources) is built once per dataset version from
``queries/all_labels.rq`` and kept in ``app.extensions``; a search is then a
scan of strings in memory, with no query to the store. Exact matches rank
first, then prefixes, then other substrings.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass

from flask import current_app

from ..graph import Graph
from ..http import problems
from .descriptions import select

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 50
_lock = threading.Lock()


@dataclass(frozen=True)
class Entry:
    folded: str
    iri: str
    text: str
    lang: str


def fold(text: str) -> str:
    """Text for matching: accents and Arabic diacritics removed, case folded, spaces collapsed.

    >>> fold("  Algérie ") == fold("ALGERIE")
    True
    >>> fold("مَرَّاكُش") == fold("مراكش")
    True
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def index(graph: Graph) -> list[Entry]:
    """The label index of ``graph``, built on first use."""
    cache = current_app.extensions.setdefault("dialogue55.search", {})
    if graph.version not in cache:
        with _lock:
            if graph.version not in cache:
                rows = select(graph, "all_labels")
                cache[graph.version] = [Entry(fold(r["label"].value), r["s"].value, r["label"].value,
                                              r["label"].language or "") for r in rows]
    return cache[graph.version]


def search(graph: Graph, query: str) -> list[Entry]:
    """The best-matching label of each resource whose labels contain ``query`` (folded)."""
    if len(query) > MAX_QUERY_LENGTH:
        raise problems.BadRequest(f"the search text is longer than {MAX_QUERY_LENGTH} characters")
    wanted = fold(query)
    if not wanted:
        return []
    best: dict[str, tuple[int, Entry]] = {}
    for entry in index(graph):
        if wanted in entry.folded:
            rank = 0 if entry.folded == wanted else 1 if entry.folded.startswith(wanted) else 2
            if entry.iri not in best or rank < best[entry.iri][0]:
                best[entry.iri] = (rank, entry)
    ranked = sorted(best.values(), key=lambda r: (r[0], len(r[1].text), r[1].folded))
    return [entry for _, entry in ranked[:MAX_RESULTS]]
