"""One request and its response, as the access log and the metrics see it.

The RSGI bridge (:mod:`server.http.rsgi`) fills an :class:`Exchange` for every
request it answers, response-cache hits included. What only the application
knows travels up through the WSGI environ under the keys below: the Flask hook
(:func:`register`) names the route, and the SPARQL layer states what became of
a query (:func:`tell_outcome`). This module knows the words, not what they mean.

>>> brief_query("query=SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D&format=json", 12)
'query=SELECT%20%3F…&format=json'
>>> brief_query("", 12)
''
"""

from __future__ import annotations

from dataclasses import dataclass

ROUTE = "dialogue55.route"  # the Flask endpoint name, e.g. ``sparql.endpoint``
OUTCOME = "dialogue55.outcome"  # what became of a query: see OUTCOMES
QUERY_SECONDS = "dialogue55.query_seconds"  # how long answering the query took (evaluation or answer cache)
OUTCOMES = ("ok", "truncated", "timeout", "refused", "invalid", "upstream", "crashed")
UNMATCHED = "unmatched"  # the route of a request no route matched (a 404 or 405)
VALUE_PREFIX = 40  # characters kept of each query-string value in the log
PATH_LENGTH = 200  # characters kept of the path (and of X-Forwarded-For)


@dataclass(frozen=True)
class Exchange:
    """What was asked and answered: ``cache`` is hit, stored, miss or bypass; ``outcome`` None when no query ran."""

    time: float  # seconds since the epoch, when the request arrived
    client: str
    method: str
    path: str
    query: str
    status: int
    bytes: int
    seconds: float
    cache: str
    route: str
    outcome: str | None = None
    query_seconds: float | None = None
    forwarded_for: str | None = None  # X-Forwarded-For as received: the client behind a proxy (not verified)


def brief_query(query_string: str, keep: int = VALUE_PREFIX) -> str:
    """The query string with each value cut to its first ``keep`` characters (a query can be long, or private)."""
    if not query_string:
        return ""
    pairs = []
    for pair in query_string.split("&"):
        name, equals, value = pair.partition("=")
        pairs.append(name + equals + (value[:keep] + "…" if len(value) > keep else value))
    return "&".join(pairs)


def register(app) -> None:
    """Name each request's route in its environ, for the log and the metrics (bounded: route names, not paths)."""
    from flask import request

    @app.before_request
    def _name_route() -> None:
        request.environ[ROUTE] = request.endpoint or UNMATCHED


def tell_outcome(environ: dict, outcome: str, seconds: float) -> None:
    """Record in a request's environ what became of its query and how long it took."""
    assert outcome in OUTCOMES, outcome
    environ[OUTCOME] = outcome
    environ[QUERY_SECONDS] = seconds
