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

import dataclasses
import functools
import hashlib
import http.client
import json
import re
import threading
import time
import urllib.parse
from typing import NamedTuple

from pyoxigraph import (
    Literal,
    NamedNode,
    QueryResultsFormat,
    RdfFormat,
    parse,
    parse_query_results,
    serialize,
)

from ..dataset.iris import prefixed_name
from . import evaluation
from .connection import form_encoded, open_connection

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
    """The engine did not answer within the time limit, or (with a message) refused to start a query it
    estimates would run past its own (Virtuoso's ``MaxQueryCostEstimationTime``)."""


# Virtuoso's refusal, as a 500, of a query whose estimated time exceeds its limit: the time limit's answer, not a fault
_ESTIMATED = re.compile(r"estimated execution time (\d+) \(sec\) exceeds the limit of (\d+)", re.IGNORECASE)


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


def bind_values(query: str, values: dict, prefixes: dict[str, str] | None = None) -> str:
    """The fixed ``query`` with ``values`` (variable name -> pyoxigraph term) bound by a VALUES block.

    A value may also be a list of terms (the variable takes each of them, one
    request for a whole batch), and a key a tuple of names with a list of rows
    of terms (``{("s", "p"): [(a, b), (c, d)]}``). Only ``NamedNode`` and
    ``Literal`` are written, in their N-Triples form: never a raw string.
    With ``prefixes`` (declared by the query's prologue), an IRI is written as
    a prefixed name where it is one (:func:`term_text`).

    >>> bind_values("SELECT ?l WHERE { ?s ?p ?l }", {"s": [NamedNode("http://e/a"), NamedNode("http://e/b")]})
    'SELECT ?l WHERE { VALUES ?s { <http://e/a> <http://e/b> } ?s ?p ?l }'
    >>> bind_values("SELECT ?l WHERE { ?s ?p ?l }", {"s": "<http://e/a>"})
    Traceback (most recent call last):
    ValueError: only IRIs and literals are bound in a query, not str
    """
    if not values:
        return query
    match = _WHERE.search(query)
    if match is None:
        raise ValueError("a fixed query run on a backend needs an explicit WHERE { ... }")
    single = {name: term for name, term in values.items() if not isinstance(term, (list, tuple))}
    row = functools.partial(term_text, prefixes=prefixes, separator=" ")
    blocks = [f"VALUES ({' '.join(f'?{name}' for name in single)}) {{ ({row(single.values())}) }}"] if single else []
    for name, terms in values.items():
        if isinstance(name, tuple):
            rows = " ".join(f"({row(one)})" for one in terms)
            blocks.append(f"VALUES ({' '.join(f'?{n}' for n in name)}) {{ {rows} }}")
        elif isinstance(terms, (list, tuple)):
            blocks.append(f"VALUES ?{name} {{ {row(terms)} }}")
    return f"{query[:match.end()]} {' '.join(blocks)}{query[match.end():]}"


def term_text(terms, prefixes: dict[str, str] | None = None, separator: str = ", ") -> str:
    """Terms as a query writes them, ``separator`` between them (an ``IN`` list by default): an IRI as
    a prefixed name of ``prefixes`` where it is one, else (and a literal) in its N-Triples form.

    >>> term_text([NamedNode("http://e/a"), NamedNode("http://f/b#c"), Literal("x", language="fr")], {"e": "http://e/"})
    'e:a, <http://f/b#c>, "x"@fr'
    """
    written = []
    names = tuple(prefixes.items()) if prefixes else ()
    for term in terms:
        if not isinstance(term, (NamedNode, Literal)):
            raise ValueError(f"only IRIs and literals are bound in a query, not {type(term).__name__}")
        name = _prefixed_name(term.value, names) if names and isinstance(term, NamedNode) else None
        written.append(name or str(term))  # str() of a term is its N-Triples form
    return separator.join(written)


@functools.lru_cache(maxsize=16_384)
def _prefixed_name(iri: str, names: tuple) -> str | None:
    """:func:`prefixed_name`, remembered: a page's batches name the same IRIs again and again."""
    return prefixed_name(iri, dict(names))


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
        self.row_caps = set(KNOWN_ROW_CAPS)  # and every cap the engine has said it cut an answer at
        # Our graphs' IRIs, once the start-up check has read them: the dataset of a user query that names none,
        # so an engine's own graphs (Virtuoso's system graphs) are never seen through our endpoint.
        self.our_graphs: tuple[str, ...] = ()

    def fetch(self, query: str, accept: str, timeout: float, default_graphs=None,
              named_graphs=None, base_iri: str | None = None) -> tuple[str, bytes]:
        """POST the query; returns (media type, body). Raises EngineError or TimedOut."""
        reply = self.exchange(query, accept, timeout, default_graphs, named_graphs, base_iri)
        return reply.media_type, reply.body

    def exchange(self, query: str, accept: str | None, timeout: float, default_graphs=None,
                 named_graphs=None, base_iri: str | None = None) -> "Reply":
        """POST the query with ``accept`` (None: the one its form needs, :func:`accept_for`).

        The time limit goes with it as ``timeout`` in milliseconds, as Virtuoso
        reads it (engines that do not know the parameter ignore it; Oxigraph
        needs its own ``--timeout-s``), and the connection is cut at it.
        """
        fields = [("query", with_prefixes(query, self.prefixes, base_iri)), ("timeout", str(int(timeout * 1000)))]
        fields += [("default-graph-uri", iri) for iri in default_graphs or ()]
        fields += [("named-graph-uri", iri) for iri in named_graphs or ()]
        headers = {"Accept": accept or accept_for(query), "Content-Type": "application/x-www-form-urlencoded"}
        if self._address is None:
            raise EngineError("the SPARQL engine URL is not an http:// or https:// URL")
        try:
            status, reason, reply = self._post(form_encoded(fields), headers, timeout)
        except TimeoutError:
            raise TimedOut() from None
        except (OSError, http.client.HTTPException) as error:
            raise EngineError(f"the SPARQL engine cannot be reached ({type(error).__name__})") from None
        if status >= 300:
            message = clean_message(reply.body.decode("utf-8", "replace")) or reason
            if (estimate := _ESTIMATED.search(message)) is not None:
                raise TimedOut(f"the SPARQL engine estimates the query would run {estimate.group(1)} s, "
                               f"past its limit of {estimate.group(2)} s")
            raise EngineError(message, status if 400 <= status < 500 else None, failed=status >= 500)
        if (cap := row_cap(reply)) is not None:
            self.row_caps.add(cap)
        return standard_reply(reply, query)

    def _post(self, body: bytes, headers: dict, timeout: float) -> tuple[int, str, "Reply"]:
        """One POST on this thread's connection; a kept-alive one the engine has closed is reopened once."""
        for _ in range(2):
            connection = getattr(self._local, "connection", None)
            reused = connection is not None
            if connection is None:
                connection = self._local.connection = open_connection(*self._address, timeout)
            try:
                connection.timeout = timeout
                if connection.sock is not None:
                    connection.sock.settimeout(timeout)
                connection.request("POST", self._path, body, headers)
                response = connection.getresponse()
                reply = Reply(response.headers.get_content_type(), response.read(), dict(response.headers))
                return response.status, response.reason, reply
            except Exception as error:
                connection.close()  # at our time limit too: the engine sees the client go
                self._local.connection = None
                if not (reused and isinstance(error, ConnectionError)):
                    raise
        raise EngineError("the SPARQL engine closed the connection twice")

    def answer(self, job: evaluation.Job, timeout: float) -> evaluation.Answer:
        """Run a user query on the engine and shape its result as the embedded store's would be.

        An answer the engine flags as partial (Virtuoso's anytime answers) or
        whose size is a known row cap is reported truncated, never complete.
        """
        default_graphs, named_graphs = job.default_graphs, job.named_graphs
        if job.names_dataset and default_graphs is None and named_graphs is None:
            default_graphs, named_graphs = dataset_of(job.query, self.prefixes)
        if default_graphs is None and named_graphs is None and self.our_graphs:
            default_graphs = named_graphs = self.our_graphs
        reply = self.exchange(job.query, None, timeout, default_graphs, named_graphs, job.base_iri)
        try:
            if reply.media_type in GRAPH_TYPES:
                triples = [quad.triple for quad in parse(reply.body, format=RdfFormat.from_media_type(reply.media_type))]
                answer = evaluation.shape(NTriples(serialize(triples, format=RdfFormat.N_TRIPLES)), job)
            else:
                result = parse_query_results(reply.body, format=QueryResultsFormat.from_media_type(reply.media_type))
                answer = evaluation.shape(result, job)
        except (SyntaxError, ValueError, TypeError) as error:  # an engine that fails mid-answer cuts its 200 short
            raise EngineError(f"the SPARQL engine sent an answer that cannot be read ({clean_message(str(error))})",
                              failed=True) from None
        if cut_by_engine(reply, answer, self.row_caps):
            return dataclasses.replace(answer, truncated=True, engine_cut=True)
        return answer


EMPTY_GRAPH = "urn:x-dialogue55:empty-default-graph"


def dataset_of(query: str, prefixes: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The graphs of the query's FROM and FROM NAMED clauses, to pass as protocol parameters.

    Engines honour ``default-graph-uri`` where some ignore a query's ``FROM``
    (Oxigraph under ``--union-default-graph``); the two mean the same. Only
    FROM NAMED leaves the default graph empty, as SPARQL says.

    >>> dataset_of("PREFIX g: <http://e/> SELECT * FROM g:a FROM NAMED <http://e/b> { ?s ?p ?o }", {})
    (('http://e/a',), ('http://e/b',))
    >>> dataset_of("SELECT * FROM NAMED <http://e/b> { ?s ?p ?o }", {})
    (('urn:x-dialogue55:empty-default-graph',), ('http://e/b',))
    """
    from .forwarding import _iri

    toks, known = list(_tokens(query)), dict(prefixes)
    defaults, named, expect = [], [], None
    for i, (kind, text) in enumerate(toks):
        word = text.upper() if kind == "word" else ""
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2][0] == "iri":
            known[toks[i + 1][1].rstrip(":")] = toks[i + 2][1][1:-1]
        if expect is not None and (iri := _iri(kind, text, known)) is not None:
            expect.append(iri)
        expect = defaults if word == "FROM" else named if word == "NAMED" and expect is defaults else None
    return tuple(defaults) or ((EMPTY_GRAPH,) if named else ()), tuple(named)


def _tokens(query: str):
    from .screening import tokens

    return tokens(query)


class Reply(NamedTuple):
    """An engine's answer: its media type, body and headers."""

    media_type: str
    body: bytes
    headers: dict


GRAPH_TYPES = ("application/n-triples", "text/turtle", "application/rdf+xml")
KNOWN_ROW_CAPS = (10_000,)  # Virtuoso's ResultSetMaxRows as shipped
_QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(query: str) -> str:
    """The query's form, read by the lexer: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` (``SELECT`` if none).

    >>> query_form("PREFIX s: <http://e/select> ask { ?s ?p 'SELECT' }")
    'ASK'
    """
    from .screening import tokens

    for kind, text in tokens(query):
        if kind == "word" and _QUERY_FORM.fullmatch(text):
            return text.upper()
    return "SELECT"


SOLUTIONS = "application/sparql-results+xml"  # how a SELECT's solutions are asked for
BOOLEAN = "application/sparql-results+json"   # how an ASK's answer is asked for
GRAPH = "application/n-triples"               # how a CONSTRUCT's or a DESCRIBE's graph is asked for


def accept_for(query: str) -> str:
    """The Accept header a query's form needs: graphs as N-Triples, solutions as SPARQL XML, a boolean as JSON.

    Virtuoso answers a CONSTRUCT asked with a mixed Accept as a JSON table. It
    writes SPARQL XML in two thirds of the time it takes for JSON (a 120 KB
    answer: 33 ms against 49 ms), which pyoxigraph reads as fast. Its TSV and
    CSV are never asked for: TSV loses the kinds of terms (an IRI is written as
    a quoted string), CSV loses them too, and Virtuoso 7.2's CSV writer can hang
    for good (no CPU, past its own time limit, and its endpoint stops answering
    after a few): ``SELECT ?s ?o (IF(isIRI(?o), "I", "L") AS ?k) (LANG(?o) AS ?l)
    WHERE { GRAPH ?g { <x> ?p ?o } BIND(<x> AS ?s) }`` did, asked as text/csv.

    >>> accept_for("PREFIX s: <http://e/select> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'application/n-triples'
    >>> accept_for("SELECT * { ?s ?p 'DESCRIBE' }"), accept_for("ASK {}")
    ('application/sparql-results+xml', 'application/sparql-results+json')
    """
    form = query_form(query)
    return GRAPH if form in ("CONSTRUCT", "DESCRIBE") else BOOLEAN if form == "ASK" else SOLUTIONS


ASK_TABLE = "__ASK_RETVAL"  # the one column of Virtuoso's answer to an ASK, in place of a boolean
ENGINE_BLANK = "nodeID://"  # what Virtuoso writes before a blank node's label (``nodeID://b10001``)


def standard_reply(reply: Reply, query: str) -> Reply:
    """A SPARQL JSON or XML answer as the standard writes it: Virtuoso's dialect put right, anything else as it came.

    Virtuoso answers an ASK with a table of one column, ``__ASK_RETVAL`` (one
    row of ``1`` when true, none when false), and writes blank nodes as
    ``nodeID://b10001``, which is not a blank node label: pyoxigraph's parser
    refuses both.

    >>> table = b'{"head":{"vars":["__ASK_RETVAL"]},"results":{"bindings":[{"__ASK_RETVAL":{"type":"literal","value":"1"}}]}}'
    >>> standard_reply(Reply("application/sparql-results+json", table, {}), "ASK").body
    b'{"head": {}, "boolean": true}'
    >>> bnode = b'{"head":{"vars":["b"]},"results":{"bindings":[{"b":{"type":"bnode","value":"nodeID://b10001"}}]}}'
    >>> standard_reply(Reply("application/sparql-results+json", bnode, {}), "SELECT").body
    b'{"head": {"vars": ["b"]}, "results": {"bindings": [{"b": {"type": "bnode", "value": "b10001"}}]}}'
    >>> standard_reply(Reply(SOLUTIONS, b'<binding name="b"><bnode>nodeID://b10001</bnode></binding>', {}), "SELECT").body
    b'<binding name="b"><bnode>b10001</bnode></binding>'
    """
    if reply.media_type == SOLUTIONS:  # "<bnode>" can only be markup there: a literal's "<" is written "&lt;"
        return reply._replace(body=reply.body.replace(b"<bnode>" + ENGINE_BLANK.encode(), b"<bnode>"))
    if reply.media_type not in ("application/sparql-results+json", "application/json"):
        return reply
    if ASK_TABLE.encode() not in reply.body and ENGINE_BLANK.encode() not in reply.body:
        return reply
    try:
        document = json.loads(reply.body)
        bindings = document["results"]["bindings"]
        variables = document["head"].get("vars")
    except (ValueError, KeyError, TypeError, AttributeError):
        return reply  # not a table: the parser says what is wrong with it
    if variables == [ASK_TABLE] and query_form(query) == "ASK":  # read only then: lexing a long text costs
        value = bindings[0].get(ASK_TABLE, {}).get("value") if bindings else None
        document = {"head": {}, "boolean": value not in (None, "0", "false")}
    else:
        for row in bindings:
            for term in row.values() if isinstance(row, dict) else ():
                if isinstance(term, dict) and term.get("type") == "bnode" \
                        and str(term.get("value", "")).startswith(ENGINE_BLANK):
                    term["value"] = term["value"][len(ENGINE_BLANK):]
    return reply._replace(body=json.dumps(document).encode())


def row_cap(reply: Reply) -> int | None:
    """The row cap the engine says it cut this answer at (Virtuoso's ``X-SPARQL-MaxRows``), or None.

    >>> row_cap(Reply("text/csv", b"", {"X-SPARQL-MaxRows": "500"})), row_cap(Reply("text/csv", b"", {}))
    (500, None)
    """
    value = next((v for name, v in reply.headers.items() if name.lower() == "x-sparql-maxrows"), None)
    return int(value) if value is not None and value.strip().isdigit() and int(value) > 0 else None


def cut_by_engine(reply: Reply, answer: evaluation.Answer, caps=KNOWN_ROW_CAPS) -> bool:
    """Whether the engine cut this answer short: its own headers say so, or it stops exactly at a known cap.

    Virtuoso flags an answer stopped by its ``timeout`` ("anytime" mode) only
    in ``X-SQL-State`` (and ``X-SQL-Message``), and a row cap in ``X-SPARQL-MaxRows``,
    for SELECT only: a CONSTRUCT is cut at the same cap without a word (with
    one triple more: 501 at a cap of 500, measured on Virtuoso 7.2), so one as
    long as a cap it has named (``caps``) is taken as cut.
    """
    headers = {name.lower(): value for name, value in reply.headers.items()}
    if headers.get("x-sql-state") or "x-sparql-maxrows" in headers:
        return True
    if answer.truncated or answer.rows is None:
        return False
    return answer.rows in caps or (answer.kind == "graph" and answer.rows - 1 in caps)


_ADDRESS = re.compile(r"[a-zA-Z][\w+.-]*://\S+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\[[0-9a-fA-F:]+\](?::\d+)?")
_INTERNALS = re.compile(r"(?:,\s*)?\b(?:with )?(?:user|group) ID \d+|\b[A-Z]{2,}\.[A-Z]{2,}\.[A-Z_0-9]+\b")
MESSAGE_BYTES = 300


def clean_message(text: str) -> str:
    """An engine's message as a client may see it: its first line, without addresses or internals, short.

    >>> clean_message("Virtuoso 42000 Error SR186:SECURITY: No permission to execute procedure "
    ...               "DB.DBA.SPARQL_INSERT_DICT_CONTENT with user ID 107, group ID 107\\nSPARQL query: ...")
    'Virtuoso 42000 Error SR186:SECURITY: No permission to execute procedure …'
    >>> clean_message("cannot fetch http://127.0.0.1:8890/x from 10.0.0.2:1111")
    'cannot fetch … from …'
    """
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    first = lines[0] if lines else ""
    first = _INTERNALS.sub("…", _ADDRESS.sub("…", first))
    first = re.sub(r"…(?:\s*…)+", "…", first).strip()
    encoded = first.encode("utf-8")
    return first if len(encoded) <= MESSAGE_BYTES else encoded[:MESSAGE_BYTES].decode("utf-8", "ignore") + "…"


class NTriples:
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
