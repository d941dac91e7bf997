"""Hostile and broken input: each gets a clear 4xx message, never a 500, a traceback or a hang.

Volume goes through the Flask test client (the same app, query workers included);
samples of each kind go to a real server process, where the transport matters
(raw sockets, SERVICE listeners, parser crashes in a worker).
"""

from __future__ import annotations

import errno
import socket
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings

from tests.reliability.hostile import broken_sparql, leaks, listening, problems

SCRIPT = "<script>alert(1)</script>"


def assert_clear_4xx(response, *statuses: int) -> None:
    text = response.get_data(as_text=True) if hasattr(response, "get_data") else response.text
    assert problems(response.status_code, text) == [], (response.status_code, text[:400])
    if statuses:
        assert response.status_code in statuses, (response.status_code, text[:400])


def assert_no_server_error(response) -> None:
    text = response.get_data(as_text=True) if hasattr(response, "get_data") else response.text
    assert response.status_code < 500, (response.status_code, text[:400])
    assert leaks(text) == []


# --- malformed SPARQL, generated ------------------------------------------------------------

@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=broken_sparql)
def test_generated_broken_queries_never_fail_the_server(app, query):
    response = app.test_client().post("/sparql", data={"query": query}, headers={"Accept": "application/json"})
    if response.status_code != 200:  # a generated string may happen to be a valid query
        assert_clear_4xx(response)


@pytest.mark.live
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=broken_sparql)
def test_generated_broken_queries_on_the_live_server(live_server, query):
    response = live_server.post("sparql", data={"query": query},
                                headers={"Accept": "text/plain"})
    if response.status_code != 200:
        assert_clear_4xx(response)


# --- sizes and nesting ----------------------------------------------------------------------

def test_a_query_at_the_size_limit_runs_and_one_byte_more_is_refused(app):
    limit = app.config["DIALOGUE55"]["max_query_length"]
    base = "ASK { ?s ?p ?o }\n#"
    at_limit = base + "x" * (limit - len(base))
    client = app.test_client()
    assert client.post("/sparql", data=at_limit, content_type="application/sparql-query").status_code == 200
    too_long = client.post("/sparql", data=at_limit + "x", content_type="application/sparql-query")
    assert_clear_4xx(too_long, 413)


@pytest.mark.parametrize("size", [2_000_000, 20_000_000])
def test_oversized_bodies_are_refused(client, size):
    assert_clear_4xx(client.post("/sparql", data={"query": "x" * size}), 413)
    assert_clear_4xx(client.post("/sparql", data="x" * size, content_type="application/sparql-query"), 413)


# Groups, parentheses and brackets are counted by the screener and refused; chains of unary
# operators and path modifiers are not, and may be answered, but must never stop the server.
NESTED = {
    "groups": lambda n: "SELECT * WHERE " + "{ " * n + "?s ?p ?o" + " }" * n,
    "parentheses": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * n + "1" + ")" * n + ") }",
    "brackets": lambda n: "SELECT * WHERE { ?s ?p " + "[ <a:b> " * n + "1" + " ]" * n + " }",
    "unary-not": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * n + "true) }",
    "unary-minus": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "- " * n + "1 = 1) }",
    "inverse-path": lambda n: "SELECT * WHERE { ?s " + "^" * n + "rdfs:label ?o }",
    "unbalanced": lambda n: "SELECT * WHERE " + "{" * n,
}


@pytest.mark.live
@pytest.mark.parametrize("kind", NESTED)
@pytest.mark.parametrize("depth", [5_000, 45_000])
def test_deep_nesting_is_refused_and_the_server_stays_up(live_server, kind, depth):
    response = live_server.post("sparql", data={"query": NESTED[kind](depth)})
    if kind in ("groups", "parentheses", "brackets", "unbalanced") or response.status_code != 200:
        assert_clear_4xx(response, 400, 413)  # 413 when form-encoding takes it past the size limit
    assert live_server.get("sparql", params={"query": "ASK {}"}).status_code == 200
    assert live_server.process.poll() is None


# --- encodings and NUL ----------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "/sparql?query=%FF%FE%FD", "/sparql?query=SELECT%20*%20%7B%7D%ZZ", "/sparql?query=%", "/sparql?query=%E2%82",
    "/sparql?query=ASK%00%7B%7D", "/sparql?query=ASK%7B%3Fs%20%3Fp%20%22%C3(%22%7D", "/sparql?query=ASK%7B%7D&timeout=%00", "/sparql?query=ASK%7B%7D&format=%00",
    "/sparql?query=ASK%7B%7D&default-graph-uri=%00", "/page/%00", "/id/%00", "/data/%00.ttl", "/graph/%00",
    "/search?q=%00", "/search?q=%FF", "/dump.%00", "/wikidata/%00", "/ontology.%FF",
])
def test_invalid_encodings_and_nul_bytes(client, raw):
    response = client.get(raw, headers={"Accept": "text/html"})
    if response.status_code != 200:
        assert_clear_4xx(response)
    else:
        assert leaks(response.get_data(as_text=True)) == []


@pytest.mark.parametrize("body", [b"\xff\xfe SELECT", b"ASK {}\x00", b"ASK { ?s ?p \"\xc3\x28\" }", b"\xed\xa0\x80",
                                  b"ASK { ?s ?p ?o FILTER(?o != \"\xff\") }"])
def test_invalid_utf8_and_nul_in_a_posted_query(client, body):
    assert_clear_4xx(client.post("/sparql", data=body, content_type="application/sparql-query"), 400)
    assert_clear_4xx(client.post("/sparql", data=b"query=" + quote(body).encode(),
                                 content_type="application/x-www-form-urlencoded"), 400)


# --- headers --------------------------------------------------------------------------------

ABSURD_ACCEPT = ["*/*;q=abc", "text/html;;;;", ";", ",,,,", "*", "/", "text/", "q=1", "*/*;q=-1", "*/*;q=NaN",
                 "application/sparql-results+json;q=1e309", "x" * 8000, ", ".join(f"a/b{i};q=0.{i % 9}" for i in range(2000)),
                 "text/html;level=" + "9" * 500, "\x01\x02", "текст/html", SCRIPT]
ABSURD_LANGUAGE = ["zz-ZZ;q=x", "*", ";;", "fr;q=2", "ar;q=-1", "x" * 8000, ", ".join(f"l{i}" for i in range(2000)),
                   SCRIPT, "\x01", "en-" + "a" * 300]


@pytest.mark.parametrize("accept", ABSURD_ACCEPT)
@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D", "/page/morocco", "/id/morocco", "/", "/dump.nq",
                                  "/search?q=maroc", "/sparql?query=SELECT%20%3Fx%7B", "/nowhere"])
def test_absurd_accept_headers(client, accept, path):
    assert_no_server_error(client.get(path, headers={"Accept": accept}))


@pytest.mark.parametrize("language", ABSURD_LANGUAGE)
@pytest.mark.parametrize("path", ["/page/morocco", "/", "/search?q=maroc", "/ontology", "/nowhere"])
def test_absurd_accept_language_headers(client, language, path):
    response = client.get(path, headers={"Accept": "text/html", "Accept-Language": language})
    assert_no_server_error(response)
    assert SCRIPT not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D&format=exe", "/sparql?query=ASK%7B%7D&format=",
                                  "/dump.exe", "/data/morocco.exe", "/graph/provenance.exe", "/ontology.exe",
                                  "/search?q=x&format=exe", "/sparql?query=ASK%7B%7D&format=" + "x" * 5000])
def test_unknown_formats(client, path):
    response = client.get(path)
    if response.status_code != 200:  # an empty format= may fall back to negotiation
        assert_clear_4xx(response)


# --- paths, slugs and IRIs ------------------------------------------------------------------

SLUGS = ["..", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "%2F", "a%2Fb", "%00", "a" * 5000, "morocco%00", "morocco/..",
         "..%5C..%5Cwindows", "%252e%252e", "morocco%0d%0aSet-Cookie:x=1", "<x>", "a}b", "a%20b", "a>b", "~root"]


@pytest.mark.parametrize("prefix", ["/id/", "/page/", "/data/", "/graph/", "/wikidata/", "/ontology/", "/static/"])
@pytest.mark.parametrize("slug", SLUGS, ids=lambda slug: slug[:20])
def test_hostile_slugs(client, prefix, slug):
    response = client.get(prefix + slug, headers={"Accept": "text/html"})
    assert_clear_4xx(response, 400, 404, 406)
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("iri", ["http://e/a>b", "http://e/a}b", "http://e/a b", "http://e/<x>", "not an iri", "",
                                 "http://e/\x00", "javascript:alert(1)>", "http://e/" + "a" * 200_000])
@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_broken_iris_in_dataset_parameters(client, iri, parameter):
    response = client.post("/sparql", data={"query": "ASK {}", parameter: iri})
    assert_clear_4xx(response, 400, 413)


# --- script in every parameter --------------------------------------------------------------

REFLECTED = [
    ("/sparql", {"query": "SELECT " + SCRIPT}), ("/sparql", {"query": "ASK {}", "format": SCRIPT}),
    ("/sparql", {"query": "ASK {}", "timeout": SCRIPT}), ("/sparql", {"query": "ASK {}", "default-graph-uri": SCRIPT}),
    ("/sparql", {"query": "SELECT * { SERVICE <" + SCRIPT + "> {} }"}), ("/sparql", {"query": "ASK {}", "update": SCRIPT}),
    ("/search", {"q": SCRIPT}), ("/search", {"q": "x", "format": SCRIPT}), ("/page/morocco", {"lang": SCRIPT}),
    ("/page/" + quote(SCRIPT, safe=""), {}), ("/data/" + quote(SCRIPT, safe=""), {}), ("/dump." + quote(SCRIPT, safe=""), {}),
    ("/", {"lang": SCRIPT}), ("/ontology", {"lang": SCRIPT}),
]


@pytest.mark.parametrize("path, params", REFLECTED)
def test_script_in_parameters_is_escaped_wherever_it_is_shown(client, path, params):
    for accept in ("text/html", "application/json", "text/plain"):
        response = client.get(path, query_string=params, headers={"Accept": accept})
        assert_no_server_error(response)
        body = response.get_data(as_text=True)
        if response.mimetype == "text/html":  # JSON and plain text carry it as data, with nosniff
            assert SCRIPT not in body, body[:300]
            assert response.headers.get("Content-Security-Policy")
        assert response.headers.get("X-Content-Type-Options") == "nosniff"


# --- the network: SERVICE and LOAD ----------------------------------------------------------

def _service_queries(port: int) -> list[str]:
    targets = [f"http://127.0.0.1:{port}/sparql", f"http://localhost:{port}/", f"http://[::1]:{port}/",
               f"http://0.0.0.0:{port}/", f"http://2130706433:{port}/", "http://10.0.0.1/sparql",
               "http://192.168.1.1/", "http://172.16.0.1/", "http://169.254.169.254/latest/meta-data/",
               "http://metadata.google.internal/computeMetadata/v1/", "file:///etc/passwd", "ftp://127.0.0.1/",
               f"gopher://127.0.0.1:{port}/", "urn:x-local:sparql", f"https://query.wikidata.org.127.0.0.1.nip.io:{port}/",
               f"https://query.wikidata.org/sparql@127.0.0.1:{port}/"]
    queries = [f"SELECT * WHERE {{ SERVICE <{t}> {{ ?s ?p ?o }} }}" for t in targets]
    local = f"http://127.0.0.1:{port}/"
    return queries + [
        f"SELECT * WHERE {{ SERVICE SILENT <{local}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{local}> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{local}> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
        f"PREFIX wd: <{local}> SELECT * WHERE {{ SERVICE wd:sparql {{ ?s ?p ?o }} }}",
        f"BASE <{local}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE # a comment\n <{local}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http:\\u002F\\u002F127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/\\u0073parql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{local}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{local}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o }} VALUES ?x {{ 1 }} # SERVICE <{local}>",
        f"SELECT * FROM <{local}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{local}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{local}>", f"LOAD SILENT <{local}> INTO GRAPH <http://e/g>", f"DESCRIBE <{local}>",
    ]


def _assert_no_connection(send, port_listener) -> None:
    for query in _service_queries(port_listener.port):
        response = send(query)
        assert_no_server_error(response)
    assert port_listener.connections == 0


def test_service_and_load_make_no_connection(client):
    with listening() as listener:
        _assert_no_connection(lambda q: client.post("/sparql", data={"query": q}), listener)


@pytest.mark.live
def test_service_and_load_make_no_connection_from_the_live_server(live_server):
    with listening() as listener:
        _assert_no_connection(lambda q: live_server.post("sparql", data={"query": q}), listener)
        for query in _service_queries(listener.port)[:16]:
            assert_clear_4xx(live_server.post("sparql", data={"query": query}), 400)


# --- updates --------------------------------------------------------------------------------

UPDATES = [
    "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }",
    "DELETE DATA { d55:morocco rdfs:label \"Maroc\"@fr }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o }",
    "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/>", "CLEAR ALL", "CLEAR DEFAULT", "CLEAR GRAPH d55g:provenance", "CREATE GRAPH <http://e/g>",
    "DROP ALL", "DROP SILENT GRAPH d55g:provenance", "COPY DEFAULT TO <http://e/g>", "MOVE d55g:provenance TO DEFAULT",
    "ADD d55g:provenance TO <http://e/g>",
    "PREFIX e: <http://e/> INSERT DATA { e:s e:p e:o }",
    "# a comment first\nDROP ALL",
    "drop all", "BASE <http://e/> CLEAR ALL",
    "ASK {} ; DROP ALL",
    "SELECT * {} ; INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_every_update_form_is_refused(client, update):
    assert_clear_4xx(client.get("/sparql", query_string={"query": update}), 400, 403)
    assert_clear_4xx(client.post("/sparql", data={"update": update}), 400, 403)
    assert_clear_4xx(client.post("/sparql", data=update, content_type="application/sparql-update"), 403)
    for method in ("PUT", "DELETE", "PATCH"):
        response = getattr(client, method.lower())("/sparql", data=update)
        assert_clear_4xx(response, 403, 405)


# --- the transport: raw sockets -------------------------------------------------------------

def _port(server) -> int:
    return int(server.url.rsplit(":", 1)[1].strip("/"))


def _still_serving(server) -> None:
    response = server.get("sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.json()["boolean"] is True


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.live
def test_truncated_bodies_are_dropped_and_slow_ones_do_not_block_others(live_server):
    head = ("POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            "Content-Length: 1000\r\n\r\n").encode()
    slow = [socket.create_connection(("127.0.0.1", _port(live_server))) for _ in range(20)]
    for sock in slow:
        sock.sendall(head + b"ASK {")
    _still_serving(live_server)  # twenty half-sent bodies hold no thread
    for sock in slow:
        sock.close()  # truncated: the client gives up mid-body
    _still_serving(live_server)


@pytest.mark.live
def test_slow_headers_do_not_block_others(live_server):
    slow = [socket.create_connection(("127.0.0.1", _port(live_server))) for _ in range(20)]
    for sock in slow:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    _still_serving(live_server)
    for sock in slow:
        sock.close()


@pytest.mark.live
@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Nul: a\x00b\r\n\r\n",
    b"GET /\x00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/sparql-query\r\n\r\nZZ\r\nASK{}\r\n0\r\n\r\n",
    b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-A: " + b"a" * 300_000 + b"\r\n\r\n",
    b"GET /" + b"a" * 300_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
])
def test_malformed_http_gets_a_4xx_and_the_server_stays_up(live_server, request_bytes):
    with socket.create_connection(("127.0.0.1", _port(live_server)), timeout=30) as sock:
        sock.sendall(request_bytes)
        try:
            sock.shutdown(socket.SHUT_WR)
            answer = _read_all(sock)
        except ConnectionResetError:
            answer = b""  # closing on a hostile request is also a clear answer
        except OSError as error:  # ... closed so fast that there was nothing left to shut (a hang still fails)
            if error.errno != errno.ENOTCONN:
                raise
            answer = b""
    if answer:
        status = int(answer.split(b" ", 2)[1])
        assert 400 <= status < 500, answer[:300]
        assert leaks(answer.decode("latin-1")) == []
    _still_serving(live_server)


@pytest.mark.live
def test_hundreds_of_half_open_connections_lock_no_one_out(live_server):
    """Three hundred clients that send half a request and wait (slowloris): a server with a
    limit of 100 connections (waitress's default) would refuse everyone else until they time out."""
    slow = [socket.create_connection(("127.0.0.1", _port(live_server))) for _ in range(300)]
    try:
        for sock in slow:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        _still_serving(live_server)
    finally:
        for sock in slow:
            sock.close()
