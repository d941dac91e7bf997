"""What may be forwarded to an external engine: a SPARQL 1.1 query, parsed, and nothing of the engine's own.

An external engine (Virtuoso above all) understands more than SPARQL: pragmas
(``DEFINE sql:log-enable 2``, ``DEFINE get:soft "replace"``, which fetches
remote documents), built-in functions of its SQL (``bif:sys_stat``), and its
own update forms. In backend mode the text is forwarded, so it must first be
proved a plain SPARQL 1.1 query (:func:`check`):

1. It **parses** with pyoxigraph's SPARQL parser as a query (an update, a
   ``DEFINE`` or any other extension is a syntax error there), and it is
   **never evaluated** to find out: :func:`parse_only` asks pyoxigraph to
   substitute a variable the query does not project, which it refuses right
   after parsing, before any evaluation (so before any ``SERVICE`` call).
   This costs one parse (see the README's measurements).
2. Every **function it calls** (an IRI followed by an argument list) is in the
   XPath/SPARQL namespaces or :data:`KNOWN_FUNCTIONS`; ``bif:`` and ``sql:``
   are plain IRIs once declared, so they are refused by IRI, not by prefix.
3. No IRI at all is in a vendor's **engine namespaces** (:data:`ENGINE_SCHEMES`,
   :data:`ENGINE_NAMESPACES`), whatever its position: Virtuoso reads some of
   them as magic predicates (``bif:contains``).

SERVICE targets and nesting are screened before, by :mod:`server.engine.screening`.

>>> check("SELECT ?s WHERE { ?s ?p ?o FILTER(STRLEN(?o) > 2) }", {})
>>> check("PREFIX bif: <bif:> SELECT (bif:sys_stat('st_dbms_ver') AS ?v) {}", {})
Traceback (most recent call last):
...
server.engine.screening.Refused: engine: the query names bif:sys_stat, a function of the engine's own; only SPARQL 1.1 is forwarded
"""

from __future__ import annotations

import re
from typing import Mapping

from pyoxigraph import NamedNode, Store, Variable

from .screening import Refused, tokens

FUNCTION_NAMESPACES = (
    "http://www.w3.org/2005/xpath-functions#",       # fn:
    "http://www.w3.org/2005/xpath-functions/math#",  # math:
    "http://www.w3.org/2001/XMLSchema#",             # xsd: casts
)
KNOWN_FUNCTIONS = frozenset({
    "http://www.opengis.net/def/function/geosparql/distance",  # GeoSPARQL, as Wikidata's queries use it
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
})
ENGINE_SCHEMES = ("bif:", "sql:")
ENGINE_NAMESPACES = (
    "http://www.openlinksw.com/",  # Virtuoso's schemas (virtrdf:, bif#, sql#, …)
    "http://jena.apache.org/",     # Jena's property functions
    "java:",                       # ARQ's function loading by class name
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_store = Store()  # never holds anything: the parser is reached through it


def check(query: str, prefixes: Mapping[str, str], base_iri: str | None = None) -> None:
    """Raise :class:`Refused` unless ``query`` is a SPARQL 1.1 query with only standard functions.

    The IRIs are read first, by the lexer; then the text is parsed. A syntax
    error is raised as pyoxigraph's ``SyntaxError``, for the caller to explain.
    """
    for iri, shown, called in iris(query, dict(prefixes)):
        if iri.lower().startswith(ENGINE_SCHEMES) or iri.startswith(ENGINE_NAMESPACES):
            kind = "a function" if called else "an IRI"
            raise Refused("engine", f"the query names {shown}, {kind} of the engine's own; only SPARQL 1.1 is forwarded")
        if called and not _standard_function(iri):
            raise Refused("function", f"the function {shown} is not forwarded to the engine; functions of "
                                      "SPARQL 1.1 and XPath (fn:, math:, xsd:) are")
    parse_only(query, prefixes, base_iri)


def parse_only(query: str, prefixes: Mapping[str, str], base_iri: str | None = None) -> None:
    """Parse ``query`` as a SPARQL query without evaluating it; raise ``SyntaxError`` if it is not one.

    pyoxigraph 0.5 has no parse-only call, but it checks ``substitutions``
    against the parsed query before it plans or evaluates anything: a variable
    that the query never mentions cannot be projected, so the call stops there
    with a ``RuntimeError`` once the text has parsed.
    """
    marker = _absent_variable(query)
    try:
        _store.query(query, prefixes=dict(prefixes) or None, base_iri=base_iri,
                     substitutions={Variable(marker): NamedNode("urn:x-parse-only:")})
    except RuntimeError as error:
        if marker in str(error):
            return
        raise Refused("invalid", str(error).split("\n")[0][:300]) from None
    raise AssertionError("a query ran while only being parsed")  # cannot happen: the marker is absent


def _absent_variable(query: str) -> str:
    name, n = "parse_only", 0
    while name in query:
        n += 1
        name = f"parse_only_{n}"
    return name


def iris(query: str, prefixes: dict) -> list[tuple[str, str, bool]]:
    """Each IRI the query writes (full or prefixed, PREFIX declarations read on the way), as
    (IRI, as written, whether an argument list follows it: a function call).

    >>> iris("PREFIX f: <http://e/> SELECT (f:g(1) AS ?x) { ?s <http://e/p> ?o }", {})
    [('http://e/g', 'f:g', True), ('http://e/p', '<http://e/p>', False)]
    """
    toks, found, i = list(tokens(query)), [], 0
    while i < len(toks):
        kind, text = toks[i]
        if kind == "word" and text.upper() == "PREFIX" and i + 2 < len(toks) and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1].rstrip(":")] = toks[i + 2][1][1:-1]
            i += 3
            continue
        iri = _iri(kind, text, prefixes)
        if iri is not None:
            called = i + 1 < len(toks) and toks[i + 1][1] == "("
            found.append((iri, text, called))
        i += 1
    return found


def _iri(kind: str, text: str, prefixes: dict) -> str | None:
    """The IRI a token writes, its escapes decoded as the engine decodes them.

    >>> _iri("iri", "<\\\\u0062if:x>", {}), _iri("word", "b:sys\\\\_stat", {"b": "bif:"})
    ('bif:x', 'bif:sys_stat')
    """
    if kind == "iri":
        return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text[1:-1])
    if kind == "word" and ":" in text:
        prefix, local = text.split(":", 1)
        return prefixes.get(prefix, f"{prefix}:") + re.sub(r"\\(.)", r"\1", local)
    return None


def _standard_function(iri: str) -> bool:
    return iri.startswith(FUNCTION_NAMESPACES) or iri in KNOWN_FUNCTIONS
