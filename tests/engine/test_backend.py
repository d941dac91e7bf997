"""Backend mode: the same endpoint over external engines (`oxigraph serve`, Virtuoso), loaded with our export.

The engines and the servers in front of them are in ``conftest.py``; ``engine`` runs each test against each.
"""

from __future__ import annotations

import http.server
import itertools
import re
import socket
import subprocess
import sys
import threading
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, RdfFormat, Variable, parse, serialize
from rdflib.compare import isomorphic

from bench import engines
from bench.servers import oxigraph_binary
from server import settings
from server.dataset import sources
from server.engine import backend, remote_store
from server.engine.remote_store import RemoteStore
from server.http import problems
from tests.live import _await_ready, free_port, running_server

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.live

QUESTIONS = [
    # SPARQL leaves the order of literals with language tags to the engine (Virtuoso's is not ours): STR and
    # LANG make the order one that SPARQL defines.
    "SELECT ?state ?label WHERE { ?state a d55o:State ; rdfs:label ?label } ORDER BY ?state STR(?label) LANG(?label)",
    # DISTINCT: oxigraph's union default graph is a multiset, ours a set (see server/engine/backend.py)
    "SELECT DISTINCT ?p ?o WHERE { d55:8th-ministerial-conference ?p ?o } ORDER BY ?p STR(?o) LANG(?o)",
    "SELECT ?g ?text WHERE { GRAPH ?g { d55:8th-ministerial-conference ?p ?o } GRAPH d55g:provenance { ?g prov:value ?text } } ORDER BY ?g",
]


@pytest.mark.parametrize("query", QUESTIONS)
@pytest.mark.parametrize("accept", ["text/csv", "application/sparql-results+json"])
def test_competency_questions_get_the_same_answers(both, query, accept):
    embedded, remote = both
    mine, theirs = (s.get("sparql", params={"query": query}, headers={"Accept": accept}) for s in both)
    assert mine.status_code == theirs.status_code == 200
    assert mine.headers["Content-Type"] == theirs.headers["Content-Type"]
    assert mine.content == theirs.content and len(mine.content) > 20


EXAMPLES = sorted((ROOT / "server" / "queries").glob("*/[0-9][0-9]-*.rq"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_every_example_question_gets_the_same_rows_over_the_engine(both, path):
    """The competency questions and the questions in Wikidata's terms, as the query page offers them.

    Rows are compared as a multiset: where a question orders by a language-tagged label, SPARQL leaves the
    order to the engine (Virtuoso's is not Oxigraph's).
    """
    query = path.read_text(encoding="utf-8")
    mine, theirs = (s.post("sparql", data={"query": query}, headers={"Accept": "text/csv, application/n-triples"})
                    for s in both)
    assert mine.status_code == theirs.status_code == 200, theirs.text[:300]
    assert mine.headers["Content-Type"] == theirs.headers["Content-Type"]
    assert "X-SPARQL-Truncated" not in theirs.headers
    lines = [r.text.splitlines() for r in (mine, theirs)]
    if mine.headers["Content-Type"].startswith("text/csv"):
        assert lines[0][0] == lines[1][0]
    assert sorted(lines[0]) == sorted(lines[1]) and len(lines[1]) >= 2


def test_a_construct_is_negotiated_the_same(both):
    query = "CONSTRUCT { d55:morocco ?p ?o } WHERE { d55:morocco ?p ?o }"
    mine, theirs = (s.get("sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
                    for s in both)
    assert theirs.status_code == 200
    assert sorted(mine.text.splitlines()) == sorted(theirs.text.splitlines()) != []


def test_health_in_front_of_the_engine_asks_the_engine(both):
    embedded, remote = both
    mine, theirs = embedded.get("healthz").json(), remote.get("healthz").json()
    assert theirs["status"] == "ok" and theirs["workers"] == {"size": 0, "alive": 0, "busy": 0}
    assert theirs["triples"] == mine["triples"] > 0


def test_limits_and_errors_hold_in_front_of_the_engine(both):
    _, remote = both
    assert remote.get("sparql", params={"query": "SELECT ?x WHERE { ?x"}).status_code == 400
    assert remote.get("sparql", params={"update": "CLEAR ALL"}).status_code == 403
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"
    assert remote.get("sparql", params={"query": service}).status_code == 400


HOSTILE = [
    "DEFINE sql:log-enable 2 INSERT DATA { GRAPH <https://w3id.org/dialogue55/graph/x> { d55:a d55:b d55:c } }",
    "DEFINE sql:log-enable 3 CLEAR GRAPH <https://w3id.org/dialogue55/graph/labels>",
    'DEFINE get:soft "replace" SELECT * FROM <http://127.0.0.1:1/x.ttl> WHERE { ?s ?p ?o }',
    "PREFIX bif: <bif:> SELECT (bif:sys_stat('st_dbms_ver') AS ?v) WHERE {}",
    "SELECT (<\\u0062if:sys_stat>('st_dbms_ver') AS ?v) WHERE {}",
    "PREFIX bif: <bif:> SELECT ?s WHERE { ?s rdfs:label ?l . ?l bif:contains '\"maroc\"' }",
    "PREFIX e: <http://127.0.0.1:1/> SELECT (e:f(1) AS ?v) WHERE {}",
    # the same pragmas and extensions, spelled otherwise
    'define input:same-as "yes" SELECT * WHERE { ?s ?p ?o }',
    "# a comment first\nDEFINE sql:signal-void-variables 1 SELECT * WHERE { ?s ?p ?o }",
    "PREFIX e: <http://e/> DEFINE sql:log-enable 2 INSERT DATA { e:a e:b e:c }",
    "SPARQL SELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o OPTION (QUIETCAST) }",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1 ; SPARQL CLEAR GRAPH <https://w3id.org/dialogue55/graph/labels>",
    "PREFIX v: <http://www.openlinksw.com/schemas/bif#> SELECT (v:sys_stat('st_dbms_ver') AS ?v) WHERE {}",
    "SELECT ?s WHERE { ?s <bif:contains> '\"maroc\"' }",
    "SELECT (<sql:\\u0067et_keyword>('x', 1) AS ?v) WHERE {}",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_engine_pragmas_and_functions_are_refused_before_the_engine(both, query):
    embedded, remote = both
    theirs = remote.get("sparql", params={"query": query})
    assert theirs.status_code == 400, theirs.text
    assert re.search(r"SPARQL syntax error|of the engine's own|not forwarded|not supported", theirs.text)
    assert "Traceback" not in theirs.text and "127.0.0.1" not in theirs.text.replace("127.0.0.1:1", "")
    assert embedded.get("sparql", params={"query": query}).status_code in (200, 400)  # a plain IRI embedded


def test_engine_pragmas_and_functions_never_reach_the_engine():
    """Refused by our screening: the engine (here one that records what it receives) is never sent them."""
    with _endpoint() as (handler, url), running_server("--backend", url, base_iri=False) as remote:
        for query in HOSTILE:
            for response in (remote.get("sparql", params={"query": query}), remote.post("sparql", data={"query": query})):
                assert response.status_code in (400, 403), (query, response.text[:300])
        assert remote.get("sparql", params={"query": "ASK {}"}).status_code == 200
    sent = [fields["query"][0] for _, fields in handler.seen]  # the fixed queries of the start and ours
    assert any(q.endswith("\nASK {}") or q == "ASK {}" for q in sent)
    assert not [q for q in sent if re.search(r"DEFINE|bif|sql:|openlinksw|OPTION|SPARQL ", q, re.IGNORECASE)]


def test_an_engine_that_goes_away_is_a_502_not_a_500():
    empty = b'{"head":{"vars":["n"]},"results":{"bindings":[]}}'
    with _endpoint(body=empty, drop_after_answer=True) as (handler, url), running_server("--backend", url, base_iri=False) as remote:
        port = url.split(":")[2].split("/")[0]
        handler.server.shutdown()
        handler.server.server_close()
        response = remote.get("sparql", params={"query": "ASK {}"})
        assert response.status_code == 502 and "cannot be reached" in response.text
        assert response.headers["Retry-After"] == "5" and port not in response.text
        health = remote.get("healthz")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"
        assert "Traceback" not in remote.output()


def _serve_refused(url: str) -> str:
    """What `dialogue55 serve --backend url` says when it refuses to start (it must exit non-zero)."""
    done = subprocess.run([sys.executable, "-m", "server", "serve", "--port", str(free_port()), "--backend", url],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0, done.stdout + done.stderr
    output = (done.stdout + done.stderr).strip()
    assert "Traceback" not in output and len(output.splitlines()) == 1, output
    return output


def test_serve_refuses_an_engine_it_cannot_reach():
    port = free_port()
    assert _serve_refused(f"http://127.0.0.1:{port}/query") == (
        f"dialogue55: cannot serve the SPARQL engine at http://127.0.0.1:{port}/query: "
        "the SPARQL engine cannot be reached (ConnectionRefusedError)")


def test_serve_refuses_an_engine_without_our_graphs(tmp_path):
    from tests.engine.conftest import hub_quads

    other = tmp_path / "other.nq"
    other.write_bytes(serialize(hub_quads(), format=RdfFormat.N_QUADS))
    with engines.oxigraph(tmp_path, [other]) as url:
        assert "holds none of our graphs (named graphs under https://w3id.org/dialogue55/graph/)" in _serve_refused(url)


def test_serve_refuses_an_engine_whose_default_graph_is_not_the_union(tmp_path, engine_files):
    graphs = {quad.graph_name for quad in parse(path=str(engine_files[0]), format=RdfFormat.N_QUADS)}
    with engines.oxigraph(tmp_path, engine_files, union=False) as url:
        refusal = _serve_refused(url)
    assert f"holds {len(graphs)} of our graphs but its default graph is not their union" in refusal
    assert "--union-default-graph" in refusal


def test_fixed_queries_bind_values_from_terms_never_from_strings(engine):
    with pytest.raises(ValueError):
        NamedNode("https://e/a> } <x")  # what the pages pass in is checked as an IRI first
    query = backend.bind_values("SELECT ?o WHERE { ?s ?p ?o }", {"o": Literal('x" } DROP')})
    assert query == 'SELECT ?o WHERE { VALUES (?o) { ("x\\" } DROP") } ?s ?p ?o }'
    rows = RemoteStore(backend.Engine(engine, {}), 10).query(
        "SELECT ?conference ?forum WHERE { ?conference <https://w3id.org/dialogue55/ontology#partOf> ?forum }",
        substitutions={Variable("forum"): NamedNode("https://w3id.org/dialogue55/id/dialogue-5-5")})
    rows = list(rows)
    assert rows and all(isinstance(r["conference"], NamedNode) for r in rows)


# --- the store API the pages use, over the engine ---------------------------


class CountingEngine(backend.Engine):
    """An engine that remembers the queries sent to it."""

    def __init__(self, url: str):
        super().__init__(url, {})
        self.sent: list[str] = []

    def exchange(self, query, accept, timeout, default_graphs=None, named_graphs=None, base_iri=None):
        self.sent.append(query)
        return super().exchange(query, accept, timeout, default_graphs, named_graphs, base_iri)


def test_quads_for_pattern_reads_a_page_at_a_time_past_the_engine_s_row_cap(engine):
    # The test Virtuoso cuts answers at 500 rows, below the largest page: a page it cut is not the last one.
    counting = CountingEngine(engine)
    store = RemoteStore(counting, 10, "https://w3id.org/dialogue55/graph/")
    first = list(itertools.islice(store.quads_for_pattern(None, None, None, None), 1))
    assert len(first) == 1 and isinstance(first[0].graph_name, NamedNode) and len(counting.sent) == 1
    everything = list(store.quads_for_pattern(None, None, None, None))
    assert len(counting.sent) >= 3  # the dataset is read in several pages
    count = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } %s }" % remote_store.OURS))[0]["n"]
    assert len(everything) == len(set(everything)) == int(count.value) > 1_000 > remote_store.FIRST_PAGE


def test_the_store_api_answers_as_the_embedded_store(engine):
    embedded = sources.load(sources.Source.from_settings(settings.resolve({})))
    remote = RemoteStore(backend.Engine(engine, {}), 10, "https://w3id.org/dialogue55/graph/")
    morocco = NamedNode("https://w3id.org/dialogue55/id/morocco")
    labels = NamedNode("https://w3id.org/dialogue55/graph/labels")
    named = lambda quads: {q for q in quads if isinstance(q.graph_name, NamedNode)}  # noqa: E731
    assert set(remote.quads_for_pattern(morocco, None, None, None)) == named(
        embedded.quads_for_pattern(morocco, None, None, None)) != set()
    assert set(remote.quads_for_pattern(None, None, morocco, DefaultGraph())) == set(
        embedded.quads_for_pattern(None, None, morocco, DefaultGraph())) != set()
    assert set(remote.named_graphs()) == set(embedded.named_graphs())
    assert remote.contains_named_graph(labels) and not remote.contains_named_graph(NamedNode("http://e/none"))
    assert bool(remote.query("ASK WHERE { ?s ?p ?o }")) is True
    dumped, theirs = (s.dump(format=RdfFormat.N_TRIPLES, from_graph=labels) for s in (embedded, remote))
    assert sorted(dumped.splitlines()) == sorted(theirs.splitlines()) != []
    assert list(remote.quads_for_pattern(BlankNode(), None, None, None)) == []


# --- the linked-data pages, served over the engine -------------------------


def test_a_thing_and_a_wikidata_item_answer_303_as_over_the_embedded_store(both):
    for path, accept in (("id/morocco", "text/html"), ("id/morocco", "text/turtle"), ("wikidata/Q1028", "*/*")):
        mine, theirs = (s.get(path, headers={"Accept": accept}) for s in both)
        assert mine.status_code == theirs.status_code == 303
        assert _local(mine.headers["Location"]) == _local(theirs.headers["Location"])
    assert _local(theirs.headers["Location"]) == "/id/morocco"


def test_a_resource_page_shows_the_same_labels_counts_and_evidence(both):
    mine, theirs = (s.get("page/morocco?lang=en") for s in both)
    assert mine.status_code == theirs.status_code == 200
    title = re.compile(r"<h1[^>]*>(.*?)</h1>")
    assert title.findall(mine.text) == title.findall(theirs.text) == ["Morocco"]
    counts = re.compile(r"<h2>[^<]*<small>\((.*?)\)</small></h2>")
    assert counts.findall(mine.text) == counts.findall(theirs.text) != []
    # Statements may come in another order (the engine's), so their footnotes are numbered
    # differently: compare the values shown and the footnotes as sets.
    assert _values(mine.text) == _values(theirs.text) != []
    assert _footnotes(mine.text) == _footnotes(theirs.text) != []


def test_a_description_document_is_the_same_graph(both):
    mine, theirs = (s.get("data/morocco.ttl") for s in both)
    assert mine.status_code == theirs.status_code == 200
    assert isomorphic(_graph(mine.text, "turtle"), _graph(theirs.text, "turtle"))
    assert len(_graph(theirs.text, "turtle")) > 10


def test_the_ontology_void_and_dumps_are_served_from_the_engine(both):
    mine, theirs = (s.get("ontology", headers={"Accept": "text/turtle"}) for s in both)
    assert theirs.status_code == 200 and theirs.headers["Content-Type"].startswith("text/turtle")
    assert isomorphic(_graph(mine.text, "turtle"), _graph(theirs.text, "turtle"))
    mine, theirs = (s.get(".well-known/void", headers={"Accept": "text/turtle"}) for s in both)
    assert theirs.status_code == 200
    assert isomorphic(_graph(mine.text.replace(both[0].url, "/"), "turtle"),
                      _graph(theirs.text.replace(both[1].url, "/"), "turtle"))
    mine, theirs = (s.get("dump.nq") for s in both)
    assert theirs.status_code == 200 and theirs.headers["Content-Type"].startswith("application/n-quads")
    assert sorted(mine.text.splitlines()) == sorted(theirs.text.splitlines()) != []


def test_the_reading_view_reads_the_same_over_the_engine(both):
    mine, theirs = (s.get("read/article?lang=en") for s in both)
    assert mine.status_code == theirs.status_code == 200
    quotes = re.compile(r'<blockquote class="quote"[^>]*>(.*?)</blockquote>', re.DOTALL)
    assert quotes.findall(mine.text) == quotes.findall(theirs.text) and len(quotes.findall(theirs.text)) == 14
    lines = re.compile(r'<li class="line[^"]*">(.*?)</li>', re.DOTALL)
    assert sorted(lines.findall(mine.text)) == sorted(lines.findall(theirs.text)) != []


def test_search_finds_morocco_over_the_engine(both):
    _, remote = both
    found = remote.get("search", params={"q": "maroc", "format": "json"})
    assert found.status_code == 200
    assert "https://w3id.org/dialogue55/id/morocco" in found.text


@pytest.mark.parametrize("path", ["", "ontology", "graph/labels", "graph/labels.ttl", "sitemap.xml", "read/article",
                                  "sparql?graph=https://w3id.org/dialogue55/graph/labels", "page/no-such-thing"])
def test_other_documents_answer_as_over_the_embedded_store(both, path):
    mine, theirs = (s.get(path) for s in both)
    assert mine.status_code == theirs.status_code
    assert theirs.status_code in (200, 404)


def _local(location: str) -> str:
    return urllib.parse.urlsplit(location).path


def _values(html: str) -> list[str]:
    """The values shown in the statement tables, footnote marks removed, sorted."""
    bare = re.sub(r'<sup class="fn">.*?</sup>', "", html)
    return sorted(re.findall(r"<li>(.*?)</li>", bare))


def _footnotes(html: str) -> list[str]:
    """The evidence footnotes, their numbers removed, sorted."""
    notes = re.findall(r'<li id="evidence-\d+" value="\d+">(.*?)</li>', html, re.DOTALL)
    return sorted(" ".join(note.split()) for note in notes)


def _graph(text: str, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format=fmt)


# --- the connection to the engine ----------------------------------------


class _Endpoint(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint that answers the start-up check as an engine loaded with our export, then ``body``
    (by default true to an ASK, no solutions otherwise), and counts the connections made to it."""

    protocol_version = "HTTP/1.1"
    connections = 0
    drop_after_answer = False
    body = None  # None: true to an ASK, no solutions to anything else
    content_type = "application/sparql-results+json"
    status = 200
    extra_headers: dict = {}
    seen: list = []

    def setup(self):
        super().setup()
        type(self).connections += 1

    def do_POST(self):
        fields = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        checked = _start_up_answer(fields["query"][0])
        if checked is not None:  # the server's start-up check, answered as an engine loaded with our export
            self._send(200, checked, "application/sparql-results+json", {})
        else:
            self.seen.append((self.headers["Accept"], fields))
            body = self.body if self.body is not None else b'{"head":{},"boolean":true}' \
                if fields["query"][0].startswith("ASK") else b'{"head":{"vars":[]},"results":{"bindings":[]}}'
            self._send(self.status, body, self.content_type, self.extra_headers)
        # Closing without "Connection: close" is what an engine's idle timeout looks like to a client.
        self.close_connection = self.drop_after_answer

    def _send(self, status: int, body: bytes, content_type: str, headers: dict):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _start_up_answer(query: str) -> bytes | None:
    """The answer of an engine loaded with our export to the server's start-up check, None for other queries."""
    if remote_store.OUR_GRAPH_COUNT.split(" WHERE")[0] in query:
        n = '{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"22"}'
        return ('{"head":{"vars":["n"]},"results":{"bindings":[{"n":%s}]}}' % n).encode()
    if query.startswith(("PREFIX", "ASK")) and "STRSTARTS(STR(?g), ?ours)" in query:
        return b'{"head":{},"boolean":true}'
    return None


@contextmanager
def _endpoint(**behaviour):
    """A fake endpoint on 127.0.0.1 with ``behaviour`` (class attributes of :class:`_Endpoint`)."""
    handler = type("Handler", (_Endpoint,), {"connections": 0, "seen": [], **behaviour})
    server = handler.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler, f"http://127.0.0.1:{server.server_address[1]}/query"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("drops", [False, True])
def test_a_connection_is_kept_open_and_reopened_when_the_engine_closed_it(drops):
    with _endpoint(drop_after_answer=drops) as (handler, url):
        engine = backend.Engine(url, {})
        answers = [engine.fetch("ASK {}", "application/sparql-results+json", 5) for _ in range(3)]
        assert all(body == b'{"head":{},"boolean":true}' for _, body in answers)
        assert handler.connections == (3 if drops else 1)


def test_an_answer_the_pages_cannot_read_is_the_engines_failure():
    with _endpoint(body=b"<html>maintenance</html>", content_type="text/html") as (_, url):
        store = RemoteStore(backend.Engine(url, {}), 5)
        with pytest.raises(problems.BadGateway, match="text/html"):
            list(store.quads_for_pattern(NamedNode("http://e/a"), None, None, None))


def test_an_engine_url_that_is_not_http_is_a_clear_engine_error():
    with pytest.raises(backend.EngineError, match="not an http"):
        backend.Engine("file:///etc/passwd", {}).fetch("ASK {}", "*/*", 1)


@pytest.mark.parametrize("accept", ["text/csv", "application/sparql-results+json", "application/sparql-results+xml"])
def test_select_star_keeps_the_written_order_over_the_engine_too(both, accept):
    query = "SELECT * WHERE { ?s a d55o:State ; rdfs:label ?label } ORDER BY ?s STR(?label) LANG(?label) LIMIT 3"
    mine, theirs = (s.get("sparql", params={"query": query}, headers={"Accept": accept}) for s in both)
    assert mine.status_code == theirs.status_code == 200
    assert mine.content == theirs.content
    if accept == "text/csv":
        assert theirs.text.splitlines()[0] == "s,label"


def test_syntax_errors_point_into_the_query_as_written_over_the_engine(both):
    """The PREFIX and BASE line sent before the query does not shift the positions the client reads."""
    for server in both:
        unknown = server.get("sparql", params={"query": "SELECT * WHERE {\n  ?s ex:x ?o }"})
        assert unknown.status_code == 400
        assert "unknown prefix ex: (line 2, column 6)" in unknown.text
        short = server.get("sparql", params={"query": "SELECT * WHERE { d55:morocco\n  rdfs:label }"})
        assert short.status_code == 400
        assert "line 2, column 14: the triple pattern d55:morocco rdfs:label has no object" in short.text
    cut = [s.get("sparql", params={"query": "SELECT ?x WHERE { ?x ?p ?o }\nLIMT"}) for s in both]
    assert cut[0].status_code == cut[1].status_code == 400
    assert "line 2" in cut[1].text and "line 3" not in cut[1].text


def test_relative_iris_resolve_against_our_endpoint_not_the_engines(remote):
    response = remote.post("sparql", data="CONSTRUCT { <s> <p> 1 } WHERE {}", headers={
        "Content-Type": "application/sparql-query", "Accept": "application/n-triples"})
    assert response.status_code == 200
    assert f"<{remote.url}s> <{remote.url}p>" in response.text


def test_a_failing_service_behind_the_engine_is_502_naming_it(engine):
    """The engine streams a 200 and fails mid-answer when the SERVICE fails: a gateway's error, not a 500."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{closed.getsockname()[1]}/sparql"
    with running_server("--backend", engine, base_iri=False, env={"DIALOGUE55_SERVICE_ALLOWLIST": refused}) as remote:
        response = remote.get("sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{refused}> {{ ?s ?p ?o }} }}"})
        assert response.status_code == 502
        assert refused in response.text and "Traceback" not in remote.output()


WIKIDATA_QUESTIONS = [
    'SELECT ?state ?stateLabel WHERE { ?state wdt:P463 ?forum . '
    'SERVICE wikibase:label { bd:serviceParam wikibase:language "ar,en". } } ORDER BY ?state',
    "SELECT ?quote WHERE { wd:Q1028 p:P463 ?st . ?st ps:P463 ?forum ; prov:wasDerivedFrom ?ref . "
    "?ref pr:P1683 ?quote }",
]


@pytest.mark.parametrize("query", WIKIDATA_QUESTIONS)
def test_wikidata_questions_are_answered_over_the_engine_as_embedded(both, query):
    """The engine holds the Wikidata view from the export, and never sees SERVICE wikibase:label."""
    mine, theirs = (s.get("sparql", params={"query": query}, headers={"Accept": "text/csv"}) for s in both)
    assert mine.status_code == theirs.status_code == 200
    assert mine.content == theirs.content and mine.content.count(b"\n") >= 2


def test_an_engine_without_the_wikidata_view_is_named_at_start(tmp_path):
    """An engine loaded from the files, not from the export, lacks the view: the start says so in one line."""
    store = tmp_path / "store"
    for path in sorted([*(ROOT / "data").glob("*.ttl"), *(ROOT / "data").glob("*.trig")]):
        graph = [] if path.suffix == ".trig" else ["--graph", "https://w3id.org/dialogue55/graph/" + path.stem]
        subprocess.run([oxigraph_binary(), "load", "--location", str(store), "--file", str(path), *graph],
                       check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(store),
                                "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _await_ready(f"http://127.0.0.1:{port}/", process, open(tmp_path / "log", "w+"))
        with running_server("--backend", f"http://127.0.0.1:{port}/query", base_iri=False) as remote:
            assert "holds no https://w3id.org/dialogue55/graph/wikidata-view graph" in remote.output()
    finally:
        process.terminate()
        process.wait(10)


def test_each_query_form_is_sent_with_the_accept_it_needs_and_the_time_limit_in_ms():
    with _endpoint() as (handler, url):
        engine = backend.Engine(url, {})
        for query in ("SELECT * { ?s ?p ?o }", "ASK {}", "CONSTRUCT WHERE { ?s ?p ?o }", "DESCRIBE <http://e/a>"):
            engine.exchange(query, None, 2.5)
    assert [accept for accept, _ in handler.seen] == ["application/sparql-results+xml", "application/sparql-results+json"] + [
        "application/n-triples"] * 2
    assert all(fields["timeout"] == ["2500"] for _, fields in handler.seen)


def test_a_query_s_own_dataset_goes_as_protocol_parameters_only_when_the_request_names_none():
    job = lambda **kw: backend.evaluation.Job("SELECT * FROM <http://e/g> { ?s ?p ?o }", names_dataset=True, **kw)  # noqa: E731
    with _endpoint(body=b'{"head":{"vars":["s"]},"results":{"bindings":[]}}') as (handler, url):
        engine = backend.Engine(url, {})
        engine.answer(job(), 5)
        engine.answer(job(default_graphs=("http://e/h",)), 5)
    assert handler.seen[0][1]["default-graph-uri"] == ["http://e/g"]
    assert handler.seen[1][1]["default-graph-uri"] == ["http://e/h"]


def test_from_is_honoured_over_an_engine_that_ignores_it_in_the_text(both):
    query = ("SELECT ?s ?p ?o FROM <https://w3id.org/dialogue55/graph/provenance> WHERE { ?s ?p ?o } "
             "ORDER BY ?s ?p STR(?o) LANG(?o) STR(DATATYPE(?o))")
    mine, theirs = (s.get("sparql", params={"query": query}, headers={"Accept": "text/csv"}) for s in both)
    assert mine.status_code == theirs.status_code == 200
    assert mine.text == theirs.text and 2 < len(theirs.text.splitlines()) < 200


@pytest.mark.parametrize("headers, rows", [({"X-SQL-State": "S1TAT"}, 3), ({}, 10_000)])
def test_an_answer_the_engine_cut_is_reported_truncated(headers, rows):
    row = '{"s":{"type":"uri","value":"http://e/a"}}'
    body = ('{"head":{"vars":["s"]},"results":{"bindings":[' + ",".join([row] * rows) + "]}}").encode()
    with _endpoint(body=body, extra_headers=headers) as (_, url):
        answer = backend.Engine(url, {}).answer(backend.evaluation.Job("SELECT ?s { ?s ?p ?o }"), 5)
    assert answer.rows == rows and answer.truncated


def test_a_complete_answer_is_not_flagged():
    with _endpoint(body=b'{"head":{"vars":["s"]},"results":{"bindings":[]}}') as (_, url):
        answer = backend.Engine(url, {}).answer(backend.evaluation.Job("SELECT ?s { ?s ?p ?o }"), 5)
    assert answer.rows == 0 and not answer.truncated


def test_the_engine_s_refusal_is_a_short_400_without_its_addresses_or_internals():
    message = (b"Virtuoso 37000 Error SP031: SPARQL: Internal error: procedure DB.DBA.SPARQL_EVAL at "
               b"http://10.1.2.3:8890/sparql with user ID 105, group ID 105" + b" x" * 2000 +
               b"\nSPARQL query:\ndefine sql:big-data-const 0 select * where { ?s ?p ?o }")
    with _endpoint(status=400, body=message, content_type="text/plain") as (_, url):
        with running_server("--backend", url, base_iri=False) as remote:
            response = remote.get("sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 400 and "SP031" in response.text
    for leak in ("10.1.2.3", "DB.DBA", "user ID", "define sql", "127.0.0.1"):
        assert leak not in response.text
    assert len(response.content) < 1500  # the page around a message of at most 300 bytes


def test_an_unreadable_user_answer_is_a_502():
    with _endpoint(body=b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":', content_type="application/sparql-results+json") as (_, url):
        with running_server("--backend", url, base_iri=False) as remote:
            response = remote.get("sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 502 and "Retry-After" not in response.headers


def test_only_our_graphs_are_seen_and_a_graph_exists_only_when_it_holds_a_triple(engine):
    labels = NamedNode("https://w3id.org/dialogue55/graph/labels")
    store = RemoteStore(backend.Engine(engine, {}), 10, labels.value)
    assert list(store.named_graphs()) == [labels]
    assert {q.graph_name for q in store.quads_for_pattern(None, None, None, None)} == {labels}
    assert store.contains_named_graph(labels)
    assert not store.contains_named_graph(NamedNode("https://w3id.org/dialogue55/graph/provenance"))
    everything = RemoteStore(backend.Engine(engine, {}), 10, "https://w3id.org/dialogue55/graph/")
    assert not everything.contains_named_graph(NamedNode("https://w3id.org/dialogue55/graph/nope"))
    assert len(list(everything.named_graphs())) > 10


# --- whole graphs, past the engine's row cap ---------------------------------

WIKIDATA_VIEW = "https://w3id.org/dialogue55/graph/wikidata-view"  # 875 triples: past Virtuoso's cap of 500 here


@pytest.mark.parametrize("path", ["graph/wikidata-view.ttl", "graph/wikidata-view.nt", "graph/ontology.ttl",
                                  "graph/wikidata-view.trig", "graph/wikidata-view.nq", "graph/wikidata-view.jsonld",
                                  f"sparql?graph={WIKIDATA_VIEW}", "sparql?default", "dump.trig", "dump.nq"])
def test_whole_graphs_and_dumps_are_the_same_whatever_the_engines_row_cap(both, path):
    mine, theirs = (s.get(path, headers={"Accept": "application/n-quads, text/turtle;q=0.9"}) for s in both)
    assert mine.status_code == theirs.status_code == 200, theirs.text[:300]
    assert mine.headers["Content-Type"] == theirs.headers["Content-Type"]
    assert "X-SPARQL-Truncated" not in theirs.headers
    fmt = {"application/trig": "trig", "application/n-quads": "nquads", "application/ld+json": "json-ld",
           "application/n-triples": "nt"}.get(theirs.headers["Content-Type"].split(";")[0], "turtle")
    if fmt in ("trig", "nquads"):
        a, b = rdflib.Dataset(), rdflib.Dataset()
        a.parse(data=mine.text, format=fmt), b.parse(data=theirs.text, format=fmt)
        assert sorted(a.quads()) == sorted(b.quads()) and len(list(b.quads())) > 500
    else:
        assert isomorphic(_graph(mine.text, fmt), _graph(theirs.text, fmt)) and len(_graph(theirs.text, fmt)) > 500


def test_a_graph_is_read_by_key_within_a_subject_larger_than_a_page(engine, engine_name):
    """The hub's subject has 1,301 statements, past Virtuoso's cap (500): read whole from Oxigraph, by key from
    Virtuoso, by predicate, then by object within the subject, blank nodes included."""
    from tests.engine.conftest import HUB, HUB_GRAPH, hub_quads

    store = RemoteStore(CountingEngine(engine), 10, HUB)
    triples = list(store.graph_triples(NamedNode(HUB_GRAPH)))
    expected = [q.triple for q in hub_quads()]
    assert len(triples) == len(set(triples)) == len(expected) == 1_301
    blank = lambda t: tuple(None if isinstance(x, BlankNode) else x for x in (t.subject, t.predicate, t.object))  # noqa: E731
    assert sorted(map(blank, triples), key=str) == sorted(map(blank, expected), key=str)
    assert not any("OFFSET" in query for query in store.engine.sent)
    keys = {key for query in store.engine.sent for key in ("s", "p", "o") if f"BIND(STR(?{key}) AS ?key)" in query}
    assert keys == ({"s", "p", "o"} if engine_name == "virtuoso" else set())


# --- Virtuoso's own limits, as our server reports them ----------------------


@pytest.fixture(scope="module")
def over_virtuoso(started_engines):
    with running_server("--backend", started_engines("virtuoso"), base_iri=False) as server:
        yield server


def test_virtuosos_anytime_answer_is_reported_truncated(over_virtuoso):
    """Stopped at its MaxQueryExecutionTime, Virtuoso sends what it has with X-SQL-State: a 200 flagged truncated."""
    query = ("SELECT ?a ?d (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) } "
             "GROUP BY ?a ?d ORDER BY DESC(?n) LIMIT 3")
    response = over_virtuoso.get("sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["X-SPARQL-Truncated"].startswith("true; the SPARQL engine cut the result short")
    assert '"outcome": "truncated"' in over_virtuoso.output()


def test_a_query_virtuoso_will_not_start_is_our_time_limit_503(over_virtuoso):
    """Virtuoso refuses, with a 500, a query it estimates past MaxQueryCostEstimationTime: a 503, not a 502."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    response = over_virtuoso.get("sparql", params={"query": query})
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "estimates the query would run" in response.text and "past its limit of 400 s" in response.text


def test_a_construct_cut_at_virtuosos_row_cap_is_flagged_once_the_cap_is_known(over_virtuoso):
    """Virtuoso cuts a CONSTRUCT at ResultSetMaxRows without saying so; a SELECT it cut told us the cap."""
    from tests.engine.conftest import VIRTUOSO_MAX_ROWS

    cut = over_virtuoso.get("sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert cut.headers["X-SPARQL-Truncated"].startswith("true; the SPARQL engine cut")
    assert len(cut.text.splitlines()) == VIRTUOSO_MAX_ROWS + 1
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{WIKIDATA_VIEW}> {{ ?s ?p ?o }} }}"
    response = over_virtuoso.get("sparql", params={"query": construct}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and len(response.text.splitlines()) == VIRTUOSO_MAX_ROWS + 1  # sic
    assert response.headers["X-SPARQL-Truncated"].startswith("true; the SPARQL engine cut")


def test_a_fixed_select_longer_than_the_engines_cap_is_read_to_its_end(engine):
    """The search index's labels (609 rows here) past Virtuoso's cap of 500: read on in windows, none twice."""
    from server.dataset.iris import IriSpace
    from server.graph import fixed_query

    space = IriSpace("https://w3id.org/dialogue55/")
    embedded = sources.load(sources.Source.from_settings(settings.resolve({})))
    mine = {(r["s"], r["label"]) for r in embedded.query(fixed_query("all_labels"), prefixes=space.prefixes)}
    store = RemoteStore(CountingEngine(engine), 10, space.namespace + "graph/")
    theirs = [(r["s"], r["label"]) for r in store.query(fixed_query("multiset/all_labels"), prefixes=space.prefixes)]
    assert len(theirs) == len(set(theirs)) and set(theirs) == mine and len(mine) > 500


def test_the_readme_s_virtuoso_ini_sets_what_the_tested_instance_sets():
    """The recipe in the README and the instance the tests run have the same sections and settings."""
    import configparser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"^```\w*\n(.*?)\n```$", readme, re.DOTALL | re.MULTILINE)
                 if b.startswith("[Database]"))
    recipe, tested = configparser.ConfigParser(), configparser.ConfigParser()
    recipe.read_string(block)
    tested.read_string(engines.virtuoso_ini(Path("/x"), 1, 2, [Path("/load")]))
    shown = {section: set(recipe[section]) for section in recipe.sections()}
    run = {section: set(tested[section]) for section in tested.sections()}
    assert set(shown) == set(run)
    for section, keys in shown.items():  # the tested instance may tune more (buffers, threads), never less
        assert keys <= run[section], section
    assert {"resultsetmaxrows", "maxqueryexecutiontime"} <= shown["SPARQL"] and "maxsortedtoprows" in shown["Parameters"]


def test_the_query_editor_s_terms_are_the_same_over_the_engine(both):
    from tests.sparql.test_query_editor import tools_of

    mine, theirs = (tools_of(s.get("sparql?lang=fr", headers={"Accept": "text/html"}).text)["terms"] for s in both)
    assert mine == theirs and len(mine) > 50


def test_a_user_query_sees_our_graphs_only_never_the_engine_s_own(both):
    """Virtuoso's system graphs and a graph outside our namespace are in the engine, not in our dataset."""
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    mine, theirs = (s.get("sparql", params={"query": graphs}, headers={"Accept": "text/csv"}) for s in both)
    assert mine.status_code == theirs.status_code == 200
    assert theirs.text == mine.text and mine.text.count("\n") > 10
    foreign = 'ASK { ?s ?p ?o FILTER(!STRSTARTS(STR(?s), "https://w3id.org/dialogue55/") && isIRI(?s) ' \
              '&& STRSTARTS(STR(?s), "http://www.openlinksw.com/")) }'
    answers = [s.get("sparql", params={"query": foreign}, headers={"Accept": "application/sparql-results+json"})
               for s in both]
    assert [a.json()["boolean"] for a in answers] == [False, False]
