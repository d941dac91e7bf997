"""Serving an external SPARQL 1.1 endpoint instead of the embedded store.

When a graph outgrows one process, an engine built for it (Oxigraph server,
Fuseki, QLever, Virtuoso, GraphDB) holds the data and this server keeps its
endpoint (protocol, limits, allow-list, cache) and its pages in front of it:
user queries go through :meth:`Engine.answer`, and the pages, documents, VoID,
dumps, search and ontology documentation read the engine through
:class:`~server.remote_store.RemoteStore`, a pyoxigraph-``Store``-like view.
The engine must treat its default graph as the union of its named graphs
(``oxigraph serve --union-default-graph``; Fuseki's ``unionDefaultGraph``), as
the embedded store does, and ``dialogue55 export`` output loads into it as is.

One difference remains: the embedded store materialises that union as a set,
while some engines' union is a multiset (oxigraph's is), so a triple stated by
two sentences comes back twice. DISTINCT answers are the same; user queries
see the engine's semantics as they are, and the server's own fixed queries
whose answer would change (counts and pages of a description) have a DISTINCT
twin in ``server/queries/multiset/`` used over an engine.

Values reach a fixed query as a ``VALUES`` block at the start of its WHERE
group, built from pyoxigraph terms' N-Triples form: never from raw strings.

>>> bind_values("SELECT ?l WHERE { ?s ?p ?l }", {"s": NamedNode("http://e/a")})
'SELECT ?l WHERE { VALUES (?s) { (<http://e/a>) } ?s ?p ?l }'
>>> with_prefixes("SELECT * { ?s a d55o:Forum }", {"d55o": "http://e/o#", "owl": "http://e/owl#"})
'PREFIX d55o: <http://e/o#>\\nSELECT * { ?s a d55o:Forum }'
"""

from __future__ import annotations

import hashlib
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from pyoxigraph import (
    NamedNode,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    parse_query_results,
)

from . import evaluation

RESULTS_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def version(url: str) -> str:
    """The version of a remote dataset, which this server cannot see change: the URL and the start time.

    The engine's data is taken as read-only while this server runs; restart it
    after reloading the engine, and every cached answer and ETag is renewed.
    """
    return hashlib.sha256(f"{url}|{time.time_ns()}".encode()).hexdigest()[:32]


class EngineError(Exception):
    """The engine refused the query (``status`` 400) or could not be reached (``status`` None)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class TimedOut(Exception):
    """The engine did not answer within the time limit."""


def with_prefixes(query: str, prefixes: dict[str, str]) -> str:
    """The query with a PREFIX line for each built-in prefix it uses but does not declare."""
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w.-]*):", query, re.IGNORECASE)}
    lines = [f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items()
             if name.lower() not in declared and re.search(rf"(?<![\w.-]){re.escape(name)}:", query)]
    return "".join(lines) + query


def bind_values(query: str, values: dict) -> str:
    """The fixed ``query`` with ``values`` (variable name -> pyoxigraph term) bound by a VALUES block."""
    if not values:
        return query
    match = _WHERE.search(query)
    if match is None:
        raise ValueError("a fixed query run on a backend needs an explicit WHERE { ... }")
    names = " ".join(f"?{name}" for name in values)
    row = " ".join(str(term) for term in values.values())  # str() of a term is its N-Triples form
    return f"{query[:match.end()]} VALUES ({names}) {{ ({row}) }}{query[match.end():]}"


class Engine:
    """A remote SPARQL endpoint, spoken to with the SPARQL 1.1 Protocol over HTTP."""

    def __init__(self, url: str, prefixes: dict[str, str]):
        self.url = url
        self.prefixes = prefixes

    def fetch(self, query: str, accept: str, timeout: float, default_graphs=None,
              named_graphs=None) -> tuple[str, bytes]:
        """POST the query; returns (media type, body). Raises EngineError or TimedOut."""
        fields = [("query", with_prefixes(query, self.prefixes))]
        fields += [("default-graph-uri", iri) for iri in default_graphs or ()]
        fields += [("named-graph-uri", iri) for iri in named_graphs or ()]
        request = urllib.request.Request(self.url, data=urllib.parse.urlencode(fields).encode(),
                                         headers={"Accept": accept,
                                                  "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            message = error.read(2000).decode("utf-8", "replace").strip()
            raise EngineError(message or error.reason, error.code if 400 <= error.code < 500 else None) from None
        except TimeoutError:
            raise TimedOut() from None
        except (urllib.error.URLError, OSError) as error:
            if isinstance(getattr(error, "reason", None), TimeoutError):
                raise TimedOut() from None
            raise EngineError(f"the SPARQL engine at {self.url} cannot be reached: {error}") from None

    def answer(self, job: evaluation.Job, timeout: float) -> evaluation.Answer:
        """Run a user query on the engine and shape its result as the embedded store's would be."""
        media_type, body = self.fetch(job.query, RESULTS_ACCEPT, timeout, job.default_graphs, job.named_graphs)
        if media_type == "application/n-triples":
            return evaluation._triples(_Triples(body), job)
        result = parse_query_results(body, format=QueryResultsFormat.from_media_type(media_type))
        if isinstance(result, QuerySolutions):
            return evaluation._solutions(result, job)
        return evaluation._boolean(result, job)


class _Triples:
    """N-Triples bytes that look like a pyoxigraph QueryTriples to :mod:`server.evaluation`."""

    def __init__(self, ntriples: bytes):
        self.ntriples = ntriples

    def serialize(self, output=None, format: RdfFormat = RdfFormat.N_TRIPLES) -> bytes | None:
        if format != RdfFormat.N_TRIPLES:
            raise ValueError("only N-Triples is kept")
        if output is None:
            return self.ntriples
        output.write(self.ntriples)
        return None
