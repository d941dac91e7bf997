"""What a client is told when an allowed ``SERVICE`` endpoint fails: the gateway's errors, naming it.

A query that calls another endpoint makes this server a gateway for that
call. When the endpoint cannot be reached or answers with an error, the client
did nothing wrong: it gets 502 Bad Gateway; when no answer came within the
query's time limit, 504 Gateway Timeout. The message names the endpoint(s) the
query calls and never repeats what the remote endpoint sent
(:func:`server.engine.evaluation.error_message` has cut that off).

>>> query = "SELECT * { SERVICE <http://e/sparql> { ?s ?p ?o } }"
>>> failed(query, {}, "OSError: failed to lookup address information").status
502
>>> failed("ASK {}", {}, "OSError: disk").status
400
>>> timed_out(query, {}, 5.0).message
'SERVICE <http://e/sparql> gave no answer within the time limit of 5 s'
"""

from __future__ import annotations

from ..http import problems
from .screening import services


def failed(query: str, prefixes: dict, message: str) -> problems.Problem:
    """The error for an I/O failure (``message``) while evaluating ``query``."""
    called = services(query, prefixes)
    if not called:
        return problems.BadRequest(f"the query could not be evaluated: {message}")
    return problems.BadGateway(f"{_named(called)} could not be queried: {message}")


def timed_out(query: str, prefixes: dict, seconds: float) -> problems.Problem | None:
    """The error for a query that calls a service and ran out of time, or None if it calls none."""
    called = services(query, prefixes)
    if not called:
        return None
    return problems.GatewayTimeout(f"{_named(called)} gave no answer within the time limit of {seconds:g} s")


def _named(called: list[str]) -> str:
    endpoints = ", ".join(f"<{iri}>" for iri in called)
    return f"SERVICE {endpoints}" if len(called) == 1 else f"one of SERVICE {endpoints}"
