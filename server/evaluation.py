"""Evaluating one SPARQL query against a store into serialised bytes.

This is the code a query worker runs (see :mod:`server.workers`). It is kept
free of Flask so that it runs the same in a worker process and in a test.

Results are always fully serialised here, by pyoxigraph's own serialisers, so
that errors raised lazily by the engine surface before any HTTP status is sent.
The result size limit is applied without a Python loop over rows: the result is
first serialised in a line-based format (TSV for solutions, N-Triples for
triples), counted and, if need be, cut, then re-serialised in the format asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
    parse_query_results,
    serialize,
)


@dataclass(frozen=True)
class Job:
    """One query to run, with its dataset and the formats negotiated for each result kind.

    ``default_graphs`` and ``named_graphs`` are IRIs from the request
    (``default-graph-uri``, ``named-graph-uri``); when both are None the default
    graph is the store's, the union of all named graphs.
    """

    query: str
    results_format: str | None = "application/sparql-results+json"
    graph_format: str | None = "text/turtle"
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    prefixes: dict = field(default_factory=dict)
    max_rows: int = 100_000
    names_dataset: bool = False  # the query has FROM / FROM NAMED, which then defines its dataset


@dataclass(frozen=True)
class Answer:
    """A serialised result: ``kind`` is boolean, solutions or graph."""

    kind: str
    media_type: str | None
    body: bytes
    rows: int | None = None
    truncated: bool = False


def evaluate(store: Store, job: Job) -> Answer:
    """Run ``job`` on ``store`` and serialise its result.

    Raises SyntaxError for an invalid query, OSError (and others) for evaluation
    failures. ``media_type`` is None when no format acceptable to the client
    exists for the kind of result the query produced.

    >>> from pyoxigraph import Quad, Literal
    >>> store = Store()
    >>> store.add(Quad(NamedNode("http://e/s"), NamedNode("http://e/p"), Literal("o")))
    >>> evaluate(store, Job("ASK { ?s ?p 'o' }")).body
    b'{"head":{},"boolean":true}'
    >>> answer = evaluate(store, Job("SELECT ?s WHERE { ?s ?p ?o }", results_format="text/tab-separated-values"))
    >>> answer.body.decode().splitlines(), answer.rows, answer.truncated
    (['?s', '<http://e/s>'], 1, False)
    """
    result = store.query(job.query, prefixes=job.prefixes or None, **_dataset_arguments(job))
    if isinstance(result, QueryBoolean):
        return _boolean(result, job)
    if isinstance(result, QuerySolutions):
        return _solutions(result, job)
    return _triples(result, job)


def _dataset_arguments(job: Job) -> dict:
    # The store's default graph is the union of the named graphs (see server.dataset).
    if job.names_dataset or (job.default_graphs is None and job.named_graphs is None):
        return {}
    defaults = job.default_graphs or ()
    arguments = {"default_graph": [NamedNode(iri) for iri in defaults] if defaults else _EMPTY_GRAPH}
    if job.named_graphs is not None:
        arguments["named_graphs"] = [NamedNode(iri) for iri in job.named_graphs]
    return arguments


# Named graphs given without a default graph: the default graph is empty, not the union.
_EMPTY_GRAPH = [NamedNode("urn:x-dialogue55:empty-default-graph")]


def _boolean(result: QueryBoolean, job: Job) -> Answer:
    if job.results_format is None:
        return Answer("boolean", None, b"")
    fmt = QueryResultsFormat.from_media_type(job.results_format)
    return Answer("boolean", job.results_format, result.serialize(format=fmt))


def _solutions(result: QuerySolutions, job: Job) -> Answer:
    tsv = result.serialize(format=QueryResultsFormat.TSV)
    lines = tsv.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    rows = len(lines) - 1
    truncated = rows > job.max_rows
    if truncated:
        lines, rows = lines[: job.max_rows + 1], job.max_rows
    if job.results_format is None:
        return Answer("solutions", None, b"", rows, truncated)
    if job.results_format == "text/tab-separated-values" and not truncated:
        return Answer("solutions", job.results_format, tsv, rows, False)
    body = b"\n".join(lines) + b"\n"
    solutions = parse_query_results(body, format=QueryResultsFormat.TSV)
    fmt = QueryResultsFormat.from_media_type(job.results_format)
    return Answer("solutions", job.results_format, solutions.serialize(format=fmt), rows, truncated)


def _triples(result, job: Job) -> Answer:
    ntriples = result.serialize(format=RdfFormat.N_TRIPLES)
    lines = ntriples.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    rows = len(lines)
    truncated = rows > job.max_rows
    if truncated:
        lines, rows = lines[: job.max_rows], job.max_rows
    if job.graph_format is None:
        return Answer("graph", None, b"", rows, truncated)
    fmt = RdfFormat.from_media_type(job.graph_format)
    if fmt == RdfFormat.N_TRIPLES and not truncated:
        return Answer("graph", job.graph_format, ntriples, rows, False)
    triples = parse(b"\n".join(lines) + b"\n", format=RdfFormat.N_TRIPLES)
    return Answer("graph", job.graph_format, serialize(triples, format=fmt, prefixes=job.prefixes or None), rows, truncated)


def error_message(error: Exception) -> str:
    r"""What a client is told about an evaluation error: never a remote service's response body.

    pyoxigraph reports a failing ``SERVICE`` call with the body the remote endpoint
    sent ("... with payload: ..."); that body may hold anything, so it is cut off.

    >>> error_message(OSError("Error 500 returned by http://e/sparql with payload:\nsecret"))
    'OSError: Error 500 returned by http://e/sparql (its response is not shown)'
    >>> error_message(ValueError("bad"))
    'ValueError: bad'
    """
    text = str(error)
    cut = text.find(" with payload")
    if cut >= 0:
        text = text[:cut] + " (its response is not shown)"
    return f"{type(error).__name__}: {text}"
