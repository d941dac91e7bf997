"""Blueprint: the SPARQL 1.1 Protocol endpoint at ``/sparql``.

One address, four answers, chosen from the request:

- a query (``?query=``, a form, or an ``application/sparql-query`` body): run it
  in a worker and represent the result in the negotiated format, or, for a
  browser, the query page with the query filled in, ready to run;
- ``?graph=IRI`` or ``?default``: that graph whole (Graph Store Protocol, read-only);
- nothing, from a browser: the query page;
- nothing, from anything else: the Service Description, as RDF.
"""

from __future__ import annotations

import time

from flask import Blueprint, Response, current_app, render_template, request

from ..engine.evaluation import Answer, Job
from ..graph import current as graph
from ..graph import outcome_of
from ..http import caching, negotiation, problems, representations
from ..http.exchange import tell_outcome
from ..http.rsgi import DISCONNECTED
from . import graph_store, protocol, query_page, service_description

bp = Blueprint("sparql", __name__)
caching.register(bp, lambda: graph().version)

RESULT_OFFERS = negotiation.RESULTS
GRAPH_OFFERS = negotiation.GRAPHS + negotiation.DATASETS
# A result format named for a CONSTRUCT or DESCRIBE means its RDF counterpart.
GRAPH_EQUIVALENT = {"json": "jsonld", "xml": "rdf"}
TRUNCATED_HEADER = "X-SPARQL-Truncated"
DESCRIPTION_PREFIXES = {
    "sd": service_description.SD, "sh": service_description.SH,
    "void": "http://rdfs.org/ns/void#", "xsd": service_description.XSD,
}


@bp.route("/sparql", methods=["GET", "HEAD", "POST"])
def endpoint():
    query_request = protocol.decode(request)
    if query_request is None:
        return _without_query()
    if _wants_page(RESULT_OFFERS, query_request.format):
        return _page(query_request.query)
    results, graphs = _query_formats(query_request.format)
    job = Job(query_request.query, results and results.media_type, graphs and graphs.writer,
              query_request.default_graphs, query_request.named_graphs, base_iri=public_url())
    answer = _run(job, query_request.timeout)
    fmt = results if answer.kind in ("boolean", "solutions") else graphs
    if fmt is None:
        offers = RESULT_OFFERS if answer.kind != "graph" else GRAPH_OFFERS
        raise problems.NotAcceptable(f"a {answer.kind} result is offered as {negotiation.names(offers)}")
    return _answer(answer, fmt)


def _run(job: Job, timeout: float | None) -> Answer:
    """Answer the query, and tell the HTTP layer what became of it (ok, truncated, timeout, refused…)."""
    started = time.perf_counter()
    try:
        answer = graph().sparql(job, timeout, _disconnected())
    except problems.Problem as problem:
        tell_outcome(request.environ, outcome_of(problem), time.perf_counter() - started)
        raise
    tell_outcome(request.environ, "truncated" if answer.truncated else "ok", time.perf_counter() - started)
    return answer


def _answer(result: Answer, fmt) -> Response:
    """A SPARQL result in ``fmt``, with the truncation flag when the row limit cut it."""
    response = representations.bytes_response(result.body, fmt)
    if result.rows is not None:
        response.headers["X-SPARQL-Rows"] = str(result.rows)
    if result.truncated:
        limit = current_app.config["DIALOGUE55"]["max_result_rows"]
        response.headers[TRUNCATED_HEADER] = "true; the SPARQL engine cut the result short (its own time limit or " \
            "row cap)" if result.engine_cut else f"true; the result was cut at {limit} rows"
    return response


def _without_query():
    target = protocol.graph_target(request)
    if target is not None:
        fmt = _one_format(GRAPH_OFFERS, target.format)
        return _answer(graph_store.read(graph(), target, fmt), fmt)
    name = protocol.format_name(request.args)
    if _wants_page(GRAPH_OFFERS, name):
        return _page()
    fmt = _one_format(GRAPH_OFFERS, name)
    triples = service_description.describe(graph(), request.base_url)
    return representations.rdf(triples, fmt, {**graph().space.prefixes, **DESCRIPTION_PREFIXES})


def _page(query: str | None = None):
    page = query_page.build(graph(), request, query)
    return representations.bytes_response(render_template("sparql.html", page=page).encode(), negotiation.HTML)


def _wants_page(offers: tuple, name: str | None) -> bool:
    """Whether the client prefers the HTML page to any of ``offers`` (a browser does)."""
    return negotiation.negotiate(offers + (negotiation.HTML,), request.headers.get("Accept"), name) \
        is negotiation.HTML


def _query_formats(name: str | None):
    """The formats for a result of each kind: (solutions and booleans, graphs)."""
    if name and name not in negotiation.BY_NAME:
        raise problems.BadRequest(f"unknown format {name!r}; use one of {', '.join(negotiation.BY_NAME)}")
    accept = request.headers.get("Accept")
    results = negotiation.negotiate(RESULT_OFFERS, accept, name)
    graphs = negotiation.negotiate(GRAPH_OFFERS, accept, GRAPH_EQUIVALENT.get(name, name) if name else None)
    if results is None and graphs is None:  # refused before the query costs anything
        raise problems.NotAcceptable(f"results are offered as {negotiation.names(RESULT_OFFERS + GRAPH_OFFERS)}")
    return results, graphs


def _one_format(offers: tuple, name: str | None):
    fmt = negotiation.negotiate(offers, request.headers.get("Accept"), name)
    if fmt is None and name:
        raise problems.BadRequest(f"format {name!r} is not offered here; use one of {', '.join(f.name for f in offers)}")
    if fmt is None:
        raise problems.NotAcceptable(f"this resource is offered as {negotiation.names(offers)}")
    return fmt


def public_url() -> str:
    """The endpoint's own public URL, the base of relative IRIs in a query without BASE.

    Under ``--base-iri`` it is that address's ``sparql``; otherwise the URL the
    request was made to, with the host a proxy forwards in ``Host``, as
    ``oxigraph serve`` resolves against its own URL.
    """
    root = current_app.config["DIALOGUE55"]["base_iri"]
    return root + "sparql" if root else request.base_url


def _disconnected():
    return request.environ.get(DISCONNECTED, lambda: False)
