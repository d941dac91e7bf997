"""Serving an external SPARQL 1.1 endpoint instead of the embedded store.

When a graph outgrows one process, an engine built for it (Oxigraph server,
Fuseki, QLever, Virtuoso, GraphDB) holds the data and this server keeps its
endpoint (protocol, limits, allow-list, cache) and its pages in front of it:
user queries go through :meth:`Engine.answer`, and the pages, documents, VoID,
dumps, search and ontology documentation read the engine through
:class:`~server.engine.remote_store.RemoteStore`, a pyoxigraph-``Store``-like view.
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

>>> from pyoxigraph import NamedNode
>>> bind_values("SELECT ?l WHERE { ?s ?p ?l }", {"s": NamedNode("http://e/a")})
'SELECT ?l WHERE { VALUES (?s) { (<http://e/a>) } ?s ?p ?l }'
>>> with_prefixes("SELECT * { ?s a d55o:Forum }", {"d55o": "http://e/o#", "owl": "http://e/owl#"})
'PREFIX d55o: <http://e/o#>\\nSELECT * { ?s a d55o:Forum }'
>>> with_prefixes("SELECT * { ?s a d55o:Forum }", {"d55o": "http://e/o#"}, "http://h/sparql")
'BASE <http://h/sparql> PREFIX d55o: <http://e/o#>\\nSELECT * { ?s a d55o:Forum }'
"""

from __future__ import annotations

import hashlib
import http.client
import re
import threading
import time
import urllib.parse

from pyoxigraph import (
    QueryResultsFormat,
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
    """The engine refused the query (``status`` 400) or could not be reached (``status`` None).

    ``failed`` is true when the engine did answer, but with a failure of its own
    (a 5xx, or a result cut off or unreadable): the query may have failed on a
    ``SERVICE`` it called.
    """

    def __init__(self, message: str, status: int | None = None, failed: bool = False):
        super().__init__(message)
        self.status = status
        self.failed = failed


class TimedOut(Exception):
    """The engine did not answer within the time limit."""


PROLOGUE_LINES = 1  # lines put before the client's query: what the engine's error positions are shifted by


def with_prefixes(query: str, prefixes: dict[str, str], base_iri: str | None = None) -> str:
    """The query after one line declaring the base and each built-in prefix it uses but does not declare.

    One line, so that the engine's error positions are the client's plus
    :data:`PROLOGUE_LINES` lines. A BASE of the query's own comes later and wins.
    """
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w.-]*):", query, re.IGNORECASE)}
    words = [f"BASE <{base_iri}>"] if base_iri else []
    words += [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items()
              if name.lower() not in declared and re.search(rf"(?<![\w.-]){re.escape(name)}:", query)]
    return " ".join(words) + "\n" + query if words else query


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
    """A remote SPARQL endpoint, spoken to with the SPARQL 1.1 Protocol over HTTP.

    Each thread keeps one HTTP/1.1 connection to the engine open (keep-alive):
    a page makes dozens of small queries, and a new TCP connection for each
    cost about 2 ms per query on loopback against 0.3 ms on an open one.
    Redirects are not followed and proxy variables are not read: the URL must
    name the endpoint itself.
    """

    def __init__(self, url: str, prefixes: dict[str, str]):
        self.url = url
        self.prefixes = prefixes
        parts = urllib.parse.urlsplit(url)
        self._address = (parts.scheme, parts.hostname, parts.port) \
            if parts.scheme in ("http", "https") and parts.hostname else None
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._local = threading.local()

    def fetch(self, query: str, accept: str, timeout: float, default_graphs=None,
              named_graphs=None, base_iri: str | None = None) -> tuple[str, bytes]:
        """POST the query; returns (media type, body). Raises EngineError or TimedOut."""
        fields = [("query", with_prefixes(query, self.prefixes, base_iri))]
        fields += [("default-graph-uri", iri) for iri in default_graphs or ()]
        fields += [("named-graph-uri", iri) for iri in named_graphs or ()]
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        if self._address is None:
            raise EngineError(f"the SPARQL engine URL {self.url!r} is not an http:// or https:// URL")
        try:
            status, reason, media_type, body = self._post(urllib.parse.urlencode(fields).encode(), headers, timeout)
        except TimeoutError:
            raise TimedOut() from None
        except (OSError, http.client.HTTPException) as error:
            raise EngineError(f"the SPARQL engine at {self.url} cannot be reached: {error}") from None
        if status >= 300:
            message = body[:2000].decode("utf-8", "replace").strip()
            raise EngineError(message or reason, status if 400 <= status < 500 else None, failed=status >= 500)
        return media_type, body

    def _post(self, body: bytes, headers: dict, timeout: float) -> tuple[int, str, str, bytes]:
        """One POST on this thread's connection; a kept-alive one the engine has closed is reopened once."""
        for _ in range(2):
            connection = getattr(self._local, "connection", None)
            reused = connection is not None
            if connection is None:
                scheme, host, port = self._address
                kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
                connection = self._local.connection = kind(host, port, timeout=timeout)
            try:
                connection.timeout = timeout
                if connection.sock is not None:
                    connection.sock.settimeout(timeout)
                connection.request("POST", self._path, body, headers)
                response = connection.getresponse()
                return response.status, response.reason, response.headers.get_content_type(), response.read()
            except Exception as error:
                connection.close()
                self._local.connection = None
                if not (reused and isinstance(error, ConnectionError)):
                    raise
        raise EngineError(f"the SPARQL engine at {self.url} closed the connection twice")

    def answer(self, job: evaluation.Job, timeout: float) -> evaluation.Answer:
        """Run a user query on the engine and shape its result as the embedded store's would be."""
        media_type, body = self.fetch(job.query, RESULTS_ACCEPT, timeout, job.default_graphs, job.named_graphs,
                                      job.base_iri)
        try:
            if media_type == "application/n-triples":
                return evaluation.shape(_Triples(body), job)
            result = parse_query_results(body, format=QueryResultsFormat.from_media_type(media_type))
            return evaluation.shape(result, job)
        except (SyntaxError, ValueError) as error:  # an engine that fails mid-answer cuts its 200 short
            raise EngineError(f"the SPARQL engine at {self.url} sent an answer that cannot be read ({error})",
                              failed=True) from None


class _Triples:
    """N-Triples bytes that look like a pyoxigraph QueryTriples to :mod:`server.engine.evaluation`."""

    def __init__(self, ntriples: bytes):
        self.ntriples = ntriples

    def serialize(self, output=None, format: RdfFormat = RdfFormat.N_TRIPLES) -> bytes | None:
        if format != RdfFormat.N_TRIPLES:
            raise ValueError("only N-Triples is kept")
        if output is None:
            return self.ntriples
        output.write(self.ntriples)
        return None
