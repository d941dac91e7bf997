"""The bridge from granian's RSGI interface to the Flask application: environ, bodies, streaming."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import selectors
import socket
import threading
from types import SimpleNamespace

import pytest
import requests

from server.http.rsgi import BUFFERED, PIECE, _pump, _Rest, wsgi_environ


class Headers:
    """RSGI headers as granian gives them: lower-case names, repeats kept."""

    def __init__(self, pairs):
        self.pairs = pairs

    def items(self):
        return list(self.pairs)


def _scope(headers, path="/page/caf\u00e9", http_version="1.1", authority=None):
    return SimpleNamespace(method="POST", path=path, query_string="a=%2F&b=1", server="127.0.0.1:5000",
                           client="127.0.0.1:40000", scheme="http", http_version=http_version,
                           authority=authority, headers=Headers(headers))


def test_the_environ_follows_pep_3333():
    environ = wsgi_environ(_scope([("host", "example.org"), ("content-type", "text/plain"), ("accept", "a"),
                                   ("accept", "b"), ("x-forwarded_for", "1.2.3.4")]), b"body")
    assert environ["PATH_INFO"] == "/page/caf\u00c3\u00a9"  # UTF-8 bytes as latin-1, as WSGI servers pass them
    assert environ["QUERY_STRING"] == "a=%2F&b=1"  # raw, still percent-encoded
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("127.0.0.1", "5000")
    assert environ["REMOTE_ADDR"] == "127.0.0.1"
    assert environ["HTTP_HOST"] == "example.org"
    assert environ["CONTENT_TYPE"] == "text/plain"
    assert environ["HTTP_ACCEPT"] == "a,b"  # repeated headers joined
    assert "HTTP_X_FORWARDED_FOR" not in environ  # an underscore name cannot pose as a dash name
    assert environ["wsgi.input_terminated"]  # so Werkzeug reads a chunked body, up to its limit
    assert environ["wsgi.input"].read() == b"body"
    assert environ["SERVER_PROTOCOL"] == "HTTP/1.1"


def test_http2_names_the_host_in_authority():
    environ = wsgi_environ(_scope([], http_version="2", authority="example.org:8443"), b"")
    assert environ["HTTP_HOST"] == "example.org:8443"
    assert "CONTENT_LENGTH" not in environ


class _Body:
    """A WSGI result that counts the pieces it produced and knows whether it was closed."""

    def __init__(self, pieces: int):
        self.produced, self.closed, self.pieces = 0, False, pieces

    def __iter__(self):
        for _ in range(self.pieces):
            self.produced += 1
            yield b"x" * PIECE

    def close(self):
        self.closed = True


def _pumped(body: _Body, fail_after: int | None) -> list[bytes]:
    """Run _pump against a transport on a real event loop; the transport fails after ``fail_after`` sends."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever)
    thread.start()
    sent = []

    class Transport:
        async def send_bytes(self, data):
            if fail_after is not None and len(sent) >= fail_after:
                raise ConnectionResetError("the client went away")
            sent.append(data)

    try:
        _pump(b"head", _Rest(iter(body), body), Transport(), loop)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
    return sent


def test_a_stream_is_sent_whole_then_closed():
    body = _Body(10)
    sent = _pumped(body, fail_after=None)
    assert b"".join(sent) == b"head" + b"x" * PIECE * 10
    assert body.closed


def test_a_stream_stops_and_closes_when_the_client_goes():
    body = _Body(100)
    sent = _pumped(body, fail_after=2)
    assert len(sent) == 2 and sent[0].startswith(b"head")
    assert body.produced < 100  # nothing more is produced for no one
    assert body.closed


# --- a real server --------------------------------------------------------------

CROSS = "SELECT ?a ?b ?c ?d WHERE { ?a ?b ?c . ?d a ?e } LIMIT 20000"


def test_a_result_longer_than_the_buffer_is_streamed_whole(live_server):
    response = live_server.get("sparql", params={"query": CROSS}, headers={"Accept": "application/sparql-results+json"},
                               stream=True)
    assert response.status_code == 200
    body = response.raw.read()
    assert len(body) > BUFFERED
    assert len(json.loads(body)["results"]["bindings"]) == 20000


def test_a_chunked_post_body_is_read(live_server):
    def chunks():
        yield b"query=SELECT%20(COUNT(*)%20AS%20%3Fn)"
        yield b"%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"

    response = live_server.post("sparql", data=chunks(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    assert response.status_code == 200
    assert int(list(csv.reader(io.StringIO(response.text)))[1][0]) > 1000


@pytest.mark.parametrize("chunked", [True, False])
def test_an_oversized_body_is_refused_without_being_held(live_server, chunked):
    body = b"query=" + b"x" * 300_000

    def chunks():
        for start in range(0, len(body), 50_000):
            yield body[start:start + 50_000]

    response = live_server.post("sparql", data=chunks() if chunked else body, headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert "100000" in response.text or "too large" in response.text.lower()


def test_head_keeps_the_length_of_get(live_server):
    get = live_server.get("page/morocco")
    head = requests.head(live_server.url + "page/morocco", timeout=30)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Length"] == str(len(get.content))


def test_a_url_past_64_kib_is_refused_with_414_and_the_same_query_posted_runs(live_server):
    """granian (hyper) caps the request target at 64 KiB; longer queries go by POST, up to max_query_length."""
    query = "ASK {} #" + "x" * 70_000
    assert live_server.get("sparql", params={"query": query}).status_code == 414
    posted = live_server.post("sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert posted.status_code == 200
    assert posted.json()["boolean"] is True


def _port(server) -> int:
    return int(server.url.rsplit(":", 1)[1].strip("/"))


def test_a_declared_length_over_the_limit_is_413_at_once(live_server):
    """50 GiB declared, a few bytes sent: the answer comes without waiting for the rest of the body."""
    with socket.create_connection(("127.0.0.1", _port(live_server)), timeout=10) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 53687091200\r\n\r\nASK {}")
        answer = sock.recv(65536)  # the socket's timeout fails the test if nothing comes
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"connection: close" in answer.lower()
    assert b"the request body is longer than" in answer


def test_a_client_still_sending_a_refused_body_reads_the_413(live_server):
    """The connection is closed gracefully: the server reads and drops the body for a moment after
    answering, so a client busy sending sees the 413 instead of a reset."""
    sock = socket.create_connection(("127.0.0.1", _port(live_server)), timeout=10)
    sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                 b"Content-Length: 53687091200\r\n\r\n")
    answer = b""
    with sock:
        selector = selectors.DefaultSelector()
        selector.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
        while b"\r\n\r\n" not in answer:
            events = selector.select(timeout=10)
            assert events, "no answer while sending"
            for _, mask in events:
                if mask & selectors.EVENT_WRITE:
                    sock.send(b"x" * 16384)
                if mask & selectors.EVENT_READ:
                    chunk = sock.recv(65536)
                    assert chunk, "the connection was closed before the answer"
                    answer += chunk
        selector.close()
    assert answer.startswith(b"HTTP/1.1 413 ")
