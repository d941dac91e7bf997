"""Decoding a SPARQL 1.1 Protocol request into a :class:`QueryRequest`.

Operations (https://www.w3.org/TR/sparql11-protocol/): query via GET,
via URL-encoded POST, and via POST directly with ``application/sparql-query``.
Updates, in any of their forms, are refused: this endpoint is read-only.

The same address answers the read-only part of the SPARQL 1.1 Graph Store
Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/): ``GET
/sparql?graph=IRI`` or ``GET /sparql?default``; see :func:`graph_target`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from pyoxigraph import NamedNode
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request

from ..http import problems

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


# ``format`` values other clients send (SPARQLWrapper sends ``turtle``, ``n3``, ``rdf+xml`` ...),
# mapped to our short names (see server.http.negotiation).
FORMAT_ALIASES = {
    "turtle": "ttl", "n3": "ttl", "ntriples": "nt", "n-triples": "nt", "rdf+xml": "rdf", "rdfxml": "rdf",
    "json-ld": "jsonld", "text/turtle": "ttl", "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml", "text/csv": "csv", "text/tab-separated-values": "tsv",
}


def format_name(params: MultiDict) -> str | None:
    """The short format name a request asks for with ``?format=``, or None.

    >>> format_name(MultiDict({"format": "Turtle"})), format_name(MultiDict({"format": "csv"})), format_name(MultiDict())
    ('ttl', 'csv', None)
    """
    value = (params.get("format") or "").strip().lower()
    return FORMAT_ALIASES.get(value, value) or None


@dataclass(frozen=True)
class QueryRequest:
    query: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    format: str | None
    timeout: float | None


def decode(request: Request) -> QueryRequest | None:
    """The query a request carries, or None when it carries none (a plain GET).

    Raises BadRequest, ReadOnly or UnsupportedMediaType with a message saying what
    was wrong.
    """
    _strict_utf8(request.query_string, "query string")
    params = MultiDict(request.args)
    body_query = None
    if request.method == "POST" and _names_graph(request.args):
        raise problems.ReadOnly("this endpoint is read-only; the Graph Store Protocol is offered for GET only")
    if request.method == "POST":
        media_type = request.mimetype
        if media_type == FORM:
            _strict_utf8(request.get_data(cache=True), "form body")
            params.update(request.form)
        elif media_type == QUERY:
            body_query = _text(request.get_data())
        elif media_type == UPDATE:
            raise problems.ReadOnly("this endpoint is read-only; SPARQL Update is not accepted")
        else:
            raise problems.UnsupportedMediaType(
                f"a SPARQL query is POSTed as {FORM} or {QUERY}, not {media_type or 'no Content-Type'}")
    if "update" in params:
        raise problems.ReadOnly("this endpoint is read-only; SPARQL Update is not accepted")
    query = _one_query(params, body_query, request.method)
    if query is None:
        _no_query_parameters(params)
        return None
    return QueryRequest(
        query=query,
        default_graphs=_iris(params, "default-graph-uri"),
        named_graphs=_iris(params, "named-graph-uri"),
        format=format_name(params),
        timeout=_timeout(params.get("timeout")),
    )


_ESCAPED_HIGH_BYTE = re.compile(rb"%[89a-fA-F][0-9a-fA-F]")


def _strict_utf8(encoded: bytes, where: str) -> None:
    """Refuse percent-encoded text that is not UTF-8.

    Werkzeug decodes such bytes to U+FFFD, which could turn a broken query into
    a different, valid one; the client must hear that its bytes were wrong.

    >>> _strict_utf8(b"query=ASK%7B%7D&x=%C3%A9", "query string")
    >>> _strict_utf8(b"query=%C3(", "query string")
    Traceback (most recent call last):
    ...
    server.http.problems.BadRequest: the query string is not valid UTF-8 once percent-decoded (byte 6)
    """
    if encoded.isascii() and not _ESCAPED_HIGH_BYTE.search(encoded):
        return  # every byte, escaped or not, is ASCII: valid UTF-8 whatever follows
    try:
        unquote_to_bytes(encoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError as error:
        raise problems.BadRequest(f"the {where} is not valid UTF-8 once percent-decoded (byte {error.start})") from None


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise problems.BadRequest(f"the request body is not valid UTF-8 (byte {error.start})") from None


def _one_query(params: MultiDict, body_query: str | None, method: str) -> str | None:
    queries = params.getlist("query") + ([body_query] if body_query is not None else [])
    if len(queries) > 1:
        raise problems.BadRequest("the request carries more than one query; send exactly one")
    if not queries:
        if method == "POST":
            raise problems.BadRequest("the request carries no query: send it as 'query' or as the body")
        return None
    if not queries[0].strip():
        raise problems.BadRequest("the query is empty")
    if "\x00" in queries[0]:
        raise problems.BadRequest("the query contains a NUL character")
    return queries[0]


# Parameters of the query operation: without a query they are a malformed request (a bare GET,
# ``?format=``, and the Graph Store's ``?default`` and ``?graph=`` are not queries and stay valid).
QUERY_PARAMETERS = ("default-graph-uri", "named-graph-uri", "timeout")


def _no_query_parameters(params: MultiDict) -> None:
    """Refuse query-protocol parameters sent without a query.

    >>> _no_query_parameters(MultiDict({"format": "ttl"}))
    >>> _no_query_parameters(MultiDict({"default-graph-uri": "http://e/g"}))
    Traceback (most recent call last):
    ...
    server.http.problems.BadRequest: default-graph-uri is a parameter of a query, and the request carries no query
    """
    given = [name for name in QUERY_PARAMETERS if name in params]
    if given:
        raise problems.BadRequest(f"{', '.join(given)} {'is a parameter' if len(given) == 1 else 'are parameters'} "
                                  "of a query, and the request carries no query")


def _iris(params: MultiDict, name: str) -> tuple[str, ...] | None:
    values = params.getlist(name)
    if not values:
        return None
    for value in values:
        try:
            NamedNode(value)
        except ValueError:
            raise problems.BadRequest(f"{name} is not a valid IRI: {value!r}") from None
    return tuple(values)


def _timeout(value: str | None) -> float | None:
    if value is None or value == "":
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0 or seconds != seconds or seconds == float("inf"):
        raise problems.BadRequest(f"timeout must be a positive number of seconds, not {value!r}")
    return seconds


@dataclass(frozen=True)
class GraphTarget:
    """A Graph Store Protocol read: one named graph (``iri``), or the default graph when None."""

    iri: str | None
    format: str | None


def graph_target(request: Request) -> GraphTarget | None:
    """The graph a query-less GET asks for (``?graph=IRI`` or ``?default``), or None.

    Raises BadRequest for both at once, several graphs, or an invalid IRI.
    """
    if not _names_graph(request.args):
        return None
    graphs = request.args.getlist("graph")
    if "default" in request.args and graphs:
        raise problems.BadRequest("ask for either ?default or ?graph=IRI, not both")
    if len(graphs) > 1:
        raise problems.BadRequest("ask for one graph at a time")
    iris = _iris(request.args, "graph")
    return GraphTarget(iris[0] if iris else None, format_name(request.args))


def _names_graph(args: MultiDict) -> bool:
    return "graph" in args or "default" in args
