"""Blueprint: the SPARQL 1.1 Protocol endpoint at ``/sparql``.

Decode the request, screen and run the query in a worker, represent the result.
"""

from __future__ import annotations

from flask import Blueprint, request

from . import errors, negotiation, protocol, representations
from .graph import current as graph
from .evaluation import Job

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET", "HEAD", "POST"])
def endpoint():
    query_request = protocol.decode(request)
    if query_request is None:
        return describe_service()
    accept = request.headers.get("Accept")
    results = negotiation.negotiate(negotiation.RESULTS, accept, query_request.format)
    graphs = negotiation.negotiate(negotiation.GRAPHS, accept, query_request.format)
    if query_request.format and not (results or graphs):
        raise errors.BadRequest(f"unknown format {query_request.format!r}; use one of "
                                + ", ".join(f.name for f in negotiation.RESULTS + negotiation.GRAPHS))
    job = Job(query_request.query, results and results.media_type, graphs and graphs.media_type,
              query_request.default_graphs, query_request.named_graphs)
    answer = graph().sparql(job, query_request.timeout, _disconnected())
    fmt = results if answer.kind in ("boolean", "solutions") else graphs
    if fmt is None:
        offers = negotiation.RESULTS if answer.kind != "graph" else negotiation.GRAPHS
        raise errors.NotAcceptable(f"a {answer.kind} result is offered as {negotiation.names(offers)}")
    return representations.answer(answer, fmt)


def describe_service():
    """GET /sparql with no query: a short text until the service description lands."""
    return representations.plain("This is a SPARQL 1.1 endpoint. Send a query as ?query=...\n")


def _disconnected():
    return request.environ.get("waitress.client_disconnected", lambda: False)
