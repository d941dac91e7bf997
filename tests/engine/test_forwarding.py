"""What is forwarded to an external engine: a parsed SPARQL 1.1 query, never parsed by evaluating it."""

from __future__ import annotations

import http.server
import threading

import pytest
from pyoxigraph import Store

from server.engine import forwarding
from server.engine.screening import Refused

PREFIXES = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#"}


def refusal(query: str) -> str | None:
    try:
        forwarding.check(query, PREFIXES)
    except Refused as refused:
        return refused.reason
    except SyntaxError:
        return "syntax"
    return None


@pytest.mark.parametrize("query", [
    "DEFINE sql:log-enable 2 INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> 1 } }",
    "DEFINE sql:log-enable 3 CLEAR GRAPH <http://e/g>",
    'DEFINE get:soft "replace" SELECT * FROM <http://127.0.0.1:1/x.ttl> WHERE { ?s ?p ?o }',
    "DEFINE input:inference 'x' SELECT * { ?s ?p ?o }",
    "INSERT DATA { <http://e/s> <http://e/p> 1 }",
    "SELECT * { ?s ?p ?o } ; CLEAR ALL",
    "SELECT * { ?s ?p ?o } OPTION (QUIETCAST)",
])
def test_pragmas_updates_and_extensions_are_not_sparql(query):
    assert refusal(query) in ("syntax", "engine")


@pytest.mark.parametrize("query", [
    "PREFIX bif: <bif:> SELECT (bif:sys_stat('st_dbms_ver') AS ?v) {}",
    "SELECT (<bif:sys_stat>('st_dbms_ver') AS ?v) {}",
    "SELECT (<BIF:sys_stat>('st_dbms_ver') AS ?v) {}",
    "SELECT (<\\u0062if:sys_stat>('st_dbms_ver') AS ?v) {}",
    "PREFIX b: <bif:> SELECT (b:sys\\_stat('x') AS ?v) {}",
    "BASE <bif:> SELECT (<sys_stat>('x') AS ?v) {}",
    "PREFIX sql: <sql:> SELECT ?v { BIND(sql:rdf_sys_stat() AS ?v) }",
    "PREFIX bif: <bif:> SELECT ?s { ?s ?p ?o . ?o bif:contains '\"x\"' }",
    "SELECT ?s { ?s <http://www.openlinksw.com/schemas/virtrdf#qmTableName> ?o }",
])
def test_the_engine_s_own_functions_and_iris_are_refused_by_iri(query):
    assert refusal(query) == "engine"


@pytest.mark.parametrize("query", [
    "PREFIX e: <http://e/> SELECT (e:f(1) AS ?v) {}",
    "SELECT ?s { ?s ?p ?o FILTER(<http://e/f>(?o)) }",
    "SELECT ?s { ?s ?p ?o } ORDER BY <java:org.Evil>(?o)",
])
def test_functions_outside_the_standard_namespaces_are_refused(query):
    assert refusal(query) in ("function", "engine")


@pytest.mark.parametrize("query", [
    "SELECT ?s WHERE { ?s rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), 'fr') && STRLEN(?l) > 2) }",
    "SELECT (xsd:integer('1') AS ?n) (<http://www.w3.org/2001/XMLSchema#string>(1) AS ?c) {}",
    "ASK { FILTER('bif:sys_stat(1)' != '') }",  # in a string, it is only text
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1",
    "DESCRIBE <http://e/x>",
    "SELECT * FROM <http://e/g> FROM NAMED <http://e/h> { GRAPH ?g { ?s ?p ?o } }",
])
def test_plain_sparql_is_forwarded(query):
    assert refusal(query) is None


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_POST(self):
        self.hits.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Counting.hits = []
    yield f"http://127.0.0.1:{server.server_port}/sparql", _Counting.hits
    server.shutdown()


@pytest.mark.parametrize("form", ["SELECT ?s WHERE {{ {} }}", "SELECT * WHERE {{ {} }}", "ASK {{ {} }}",
                                  "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {} }}", "DESCRIBE ?s WHERE {{ {} }}",
                                  "SELECT (COUNT(*) AS ?n) WHERE {{ {} }}"])
def test_parsing_never_evaluates_not_even_a_service(endpoint, form):
    url, hits = endpoint
    query = form.format(f"SERVICE <{url}> {{ ?s ?p ?o }}")
    forwarding.parse_only(query, {})
    assert hits == []
    with pytest.raises(OSError):  # the same text evaluated does call the service: the test can fail
        result = Store().query(query)
        list(result) if not isinstance(result, bool) and hasattr(result, "__iter__") else bool(result)
    assert hits != []


def test_a_query_that_mentions_the_marker_variable_is_still_only_parsed(endpoint):
    url, hits = endpoint
    forwarding.parse_only(f"SELECT ?parse_only WHERE {{ SERVICE <{url}> {{ ?parse_only ?p ?o }} }}", {})
    assert hits == []


def test_a_syntax_error_is_raised_as_such():
    with pytest.raises(SyntaxError):
        forwarding.parse_only("SELECT ?x WHERE { ?x", {})
