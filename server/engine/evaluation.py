"""Evaluating one SPARQL query against a store into serialised bytes.

This is the code a query worker runs (see :mod:`server.engine.workers`). It is kept
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

from . import columns


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
    base_iri: str | None = None  # what relative IRIs of a query without BASE resolve against: the endpoint's URL


@dataclass(frozen=True)
class Answer:
    """A serialised result: ``kind`` is boolean, solutions or graph."""

    kind: str
    media_type: str | None
    body: bytes
    rows: int | None = None
    truncated: bool = False
    engine_cut: bool = False  # cut by an external engine's own time limit or row cap, not at max_rows


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
    return shape(store.query(job.query, prefixes=job.prefixes or None, base_iri=job.base_iri,
                             **_dataset_arguments(job)), job)


def shape(result, job: Job) -> Answer:
    """Serialise a query result, from this store or another engine, in the job's format and row limit.

    ``result`` is a QueryBoolean, a QuerySolutions, or anything whose
    ``serialize(output, format)`` writes N-Triples (pyoxigraph's QueryTriples).
    """
    if isinstance(result, QueryBoolean):
        return _boolean(result, job)
    if isinstance(result, QuerySolutions):
        return _solutions(result, job)
    return _triples(result, job)


def _dataset_arguments(job: Job) -> dict:
    # The store's default graph is the union of the named graphs (see server.dataset.sources).
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
    lines, truncated = _first_lines(result, QueryResultsFormat.TSV, job.max_rows + 1)  # + the header
    lines = columns.in_written_order(lines, job.query)
    rows = len(lines) - 1
    if job.results_format is None:
        return Answer("solutions", None, b"", rows, truncated)
    tsv = b"".join(lines)
    if job.results_format == "text/tab-separated-values":
        return Answer("solutions", job.results_format, tsv, rows, truncated)
    solutions = parse_query_results(tsv, format=QueryResultsFormat.TSV)
    fmt = QueryResultsFormat.from_media_type(job.results_format)
    return Answer("solutions", job.results_format, solutions.serialize(format=fmt), rows, truncated)


def _triples(result, job: Job) -> Answer:
    lines, truncated = _first_lines(result, RdfFormat.N_TRIPLES, job.max_rows)
    rows = len(lines)
    if job.graph_format is None:
        return Answer("graph", None, b"", rows, truncated)
    ntriples = b"".join(lines)
    fmt = RdfFormat.from_media_type(job.graph_format)
    if fmt == RdfFormat.N_TRIPLES:
        return Answer("graph", job.graph_format, ntriples, rows, truncated)
    triples = parse(ntriples, format=RdfFormat.N_TRIPLES)
    return Answer("graph", job.graph_format, serialize(triples, format=fmt, prefixes=job.prefixes or None),
                  rows, truncated)


class _Enough(Exception):
    """Raised into the serialiser once the line limit is passed, to stop it."""


class _LineSink:
    """A binary sink that keeps what is written until it holds more than ``limit`` lines.

    pyoxigraph writes through it in chunks of a few kilobytes, so a huge result
    never grows the worker's memory past the limit: the serialiser is stopped.
    """

    def __init__(self, limit: int):
        self.limit, self.lines, self.chunks = limit, 0, []

    def write(self, chunk) -> int:
        self.chunks.append(bytes(chunk))
        self.lines += chunk.count(b"\n")
        if self.lines > self.limit:
            raise _Enough()
        return len(chunk)

    def flush(self) -> None:
        pass


def _first_lines(result, fmt, limit: int) -> tuple[list[bytes], bool]:
    """The first ``limit`` lines of ``result`` in a line-based ``fmt``, and whether there were more.

    >>> store = Store()
    >>> lines, more = _first_lines(store.query("SELECT ?n { VALUES ?n { 1 2 3 } }"), QueryResultsFormat.TSV, 3)
    >>> lines, more
    ([b'?n\\n', b'1\\n', b'2\\n'], True)
    """
    sink = _LineSink(limit)
    try:
        result.serialize(output=sink, format=fmt)
    except _Enough:
        pass
    # Split on LF only: both formats escape every other line break inside terms.
    lines = [line + b"\n" for line in b"".join(sink.chunks).split(b"\n")[:-1]]
    return lines[:limit], len(lines) > limit


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
