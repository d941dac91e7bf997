"""Canonical IRIs in incoming queries, rewritten to the namespace the store publishes.

With ``--base-iri`` the data is rewritten at load (:mod:`server.dataset.sources`):
``https://w3id.org/dialogue55/id/morocco`` is stored as
``http://127.0.0.1:5000/id/morocco``. Users paste queries written with the
canonical IRIs (the example files, the README, other people's notebooks), so each
query is rewritten the same way before it runs: every IRI token (``<…>``, in
PREFIX and BASE declarations too) that starts with the canonical namespace gets
the published one instead. The tokens come from the screening lexer, which knows
strings and comments, so text inside them is never touched.

Why rewrite queries rather than keep canonical IRIs in the store and map answers
at the edges: the store, every page, VoID and the dumps already speak the
published namespace, and a persistent store made by ``dialogue55 load`` holds it;
rewriting the query is one pass over its tokens, where mapping at the edges would
mean rewriting every answer in every format.

What cannot be rewritten: an IRI spelled inside a string literal, as in
``FILTER(STRSTARTS(STR(?x), "https://w3id.org/dialogue55/"))``, is text to the
engine, and a query that compares strings means exactly that string.

>>> rewrite_iris("SELECT * { <https://w3id.org/d/id/x> ?p 'https://w3id.org/d/id/x' }", "https://w3id.org/d/", "http://h/")
"SELECT * { <http://h/id/x> ?p 'https://w3id.org/d/id/x' }"
"""

from __future__ import annotations

from .screening import token_spans


def rewrite_iris(query: str, canonical: str, published: str) -> str:
    """``query`` with each IRI token under ``canonical`` moved under ``published``; the rest byte for byte.

    An IRI already under ``published`` is left as it is, even when ``published``
    itself lies under ``canonical`` (``https://w3id.org/d/`` published as
    ``https://w3id.org/d/v2/``).

    >>> rewrite_iris("PREFIX d: <https://w3id.org/d/v2/id/> ASK { <https://w3id.org/d/id/x> ?p ?o }",
    ...              "https://w3id.org/d/", "https://w3id.org/d/v2/")
    'PREFIX d: <https://w3id.org/d/v2/id/> ASK { <https://w3id.org/d/v2/id/x> ?p ?o }'
    """
    if canonical == published:
        return query
    parts, done = [], 0
    for kind, _, start, end in token_spans(query):
        if kind != "iri":
            continue
        iri = query[start + 1:end - 1]
        if (moved := rewrite_iri(iri, canonical, published)) != iri:
            parts += [query[done:start], "<", moved, ">"]
            done = end
    return "".join(parts) + query[done:]


def rewrite_iri(iri: str, canonical: str, published: str) -> str:
    """One IRI under ``canonical`` moved under ``published`` (any other IRI unchanged).

    >>> rewrite_iri("https://w3id.org/d/graph/labels", "https://w3id.org/d/", "http://h/")
    'http://h/graph/labels'
    >>> rewrite_iri("http://www.wikidata.org/entity/Q1028", "https://w3id.org/d/", "http://h/")
    'http://www.wikidata.org/entity/Q1028'
    >>> rewrite_iri("https://w3id.org/d/id/x", "https://w3id.org/d/", "https://w3id.org/")
    'https://w3id.org/id/x'
    """
    already = published.startswith(canonical) and iri.startswith(published)
    if not iri.startswith(canonical) or already or canonical == published:
        return iri
    return published + iri[len(canonical):]
