"""The response cache: what it keeps, what it never answers, and what a real server does with it."""

from __future__ import annotations

import socket

import pytest
import requests

from server.http.response_cache import ENTRY_BYTES, ResponseCache
from tests.live import running_server

PUBLIC = [("Content-Type", "text/html"), ("Cache-Control", "public, max-age=300"), ("ETag", '"t"')]
HEADERS = {"host": "h", "accept": "text/html"}
ASK = {"query": "ASK { ?s ?p ?o }"}


def _key(cache: ResponseCache, method="GET", path="/page/morocco", query="", headers=HEADERS):
    return cache.key("v1", method, "http", path, query, headers)


def test_the_key_separates_everything_a_response_depends_on():
    cache = ResponseCache(10_000)
    keys = {_key(cache), _key(cache, path="/page/spain"), _key(cache, query="lang=ar"),
            _key(cache, headers={**HEADERS, "accept": "text/turtle"}),
            _key(cache, headers={**HEADERS, "accept-language": "fr"}),
            _key(cache, headers={**HEADERS, "origin": "https://example.org"}),
            _key(cache, headers={**HEADERS, "host": "other"}),
            cache.key("v2", "GET", "http", "/page/morocco", "", HEADERS),
            cache.key("v1", "GET", "https", "/page/morocco", "", HEADERS),
            _key(cache, headers={**HEADERS, "if-none-match": '"t"'})}
    assert len(keys) == 10
    h2 = {"accept": "text/html"}  # HTTP/2 names the host in :authority, not Host
    assert cache.key("v1", "GET", "http", "/", "", h2, "a.example") != cache.key("v1", "GET", "http", "/", "", h2,
                                                                                 "b.example")
    assert _key(cache, headers={**HEADERS, "user-agent": "x"}) == _key(cache)  # read by no one


@pytest.mark.parametrize("header", ["if-modified-since", "range", "authorization", "cookie",
                                    "content-length", "transfer-encoding"])
def test_conditional_ranged_credentialed_or_bodied_requests_are_never_answered_from_it(header):
    assert _key(ResponseCache(10_000), headers={**HEADERS, header: "x"}) is None


class _Repeating(dict):
    """Headers with repeats, as granian gives them: get() has the first value, items() every pair."""

    def __init__(self, pairs):
        super().__init__(reversed(pairs))
        self.pairs = pairs

    def items(self):
        return self.pairs


def test_a_repeated_header_is_never_answered_from_it():
    headers = _Repeating([("host", "h"), ("accept", "text/turtle"), ("accept", "text/html")])
    assert headers.get("accept") == "text/turtle"
    assert _key(ResponseCache(10_000), headers=headers) is None


def test_only_gets_and_only_when_on():
    assert _key(ResponseCache(10_000), method="HEAD") is None
    assert _key(ResponseCache(10_000), method="POST") is None
    assert _key(ResponseCache(0)) is None


def test_only_public_200s_303s_and_304s_with_an_etag_are_kept():
    cache = ResponseCache(100_000)
    assert cache.put(("ok",), 200, PUBLIC, b"x")
    assert cache.put(("see",), 303, PUBLIC, b"")
    assert cache.put(("not-modified",), 304, PUBLIC, b"")
    assert not cache.put(("missing",), 404, PUBLIC, b"x")
    assert not cache.put(("error",), 500, PUBLIC, b"x")
    assert not cache.put(("no-tag",), 200, [("Cache-Control", "public")], b"x")
    assert not cache.put(("no-cache",), 200, [("Cache-Control", "no-cache"), ("ETag", '"t"')], b"x")
    assert not cache.put(("cookie",), 200, [*PUBLIC, ("Set-Cookie", "a=b")], b"x")
    assert len(cache) == 3


def test_the_least_recently_used_goes_first_and_big_bodies_are_never_kept():
    cache = ResponseCache(8 * 10_240)
    assert not cache.put(("huge",), 200, PUBLIC, b"h" * 10_000)  # with its entry, more than an eighth of the bound
    cache.put(("a",), 200, PUBLIC, b"a" * 5_000)
    cache.put(("b",), 200, PUBLIC, b"b" * 5_000)
    assert cache.get(("a",)) is not None
    for n in range(20):
        cache.put((n,), 200, PUBLIC, b"n" * 5_000)
    assert cache.get(("b",)) is None
    kept = [k for k in [("a",), *[(n,) for n in range(20)]] if cache.get(k)]
    assert sum(len(cache.get(k).body) + ENTRY_BYTES for k in kept) <= 8 * 10_240


def test_empty_bodies_count_too():
    cache = ResponseCache(8 * ENTRY_BYTES)  # room for eight empty entries, however many are put
    for n in range(100):
        cache.put((n,), 303, PUBLIC, b"")
    assert len(cache) == 8


# --- a real server ------------------------------------------------------------


def _status(response: requests.Response) -> str:
    return response.headers.get("Cache-Status", "")


def _comparable(response: requests.Response) -> dict:
    return {k: v for k, v in response.headers.items() if k.lower() not in ("cache-status", "date")}


@pytest.mark.parametrize(("path", "params", "headers"), [
    ("page/morocco", None, {"Accept": "text/html"}),
    ("page/morocco", {"lang": "ar"}, {"Accept": "text/html"}),
    ("data/morocco.ttl", None, {}),
    ("id/morocco", None, {"Accept": "text/turtle"}),
    ("sparql", ASK, {"Accept": "application/sparql-results+json"}),
])
def test_a_repeated_get_is_a_hit_with_the_same_bytes_and_headers(live_server, path, params, headers):
    first = live_server.get(path, params=params, headers=headers)
    second = live_server.get(path, params=params, headers=headers)
    assert first.status_code in (200, 303)
    assert _status(first) in ("dialogue55; fwd=miss; stored", "dialogue55; hit")  # another test may have asked
    assert _status(second) == "dialogue55; hit"
    assert second.status_code == first.status_code
    assert second.content == first.content
    assert _comparable(second) == _comparable(first)


def test_another_language_or_format_is_another_entry(live_server):
    for _ in range(2):  # the second time round, every one is a hit, and still the right one
        for language in ("fr", "en", "ar"):
            page = live_server.get("page/spain", headers={"Accept": "text/html", "Accept-Language": language})
            assert page.headers["Content-Language"] == language
        for media_type in ("text/turtle", "application/rdf+xml", "application/n-triples"):
            document = live_server.get("data/spain", headers={"Accept": media_type})
            assert document.headers["Content-Type"].startswith(media_type)
    assert _status(page) == _status(document) == "dialogue55; hit"


def test_repeated_headers_reach_flask_every_time(live_server):
    request = (b"GET /page/libya HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/turtle\r\n"
               b"Accept: text/html\r\nConnection: close\r\n\r\n")
    for _ in range(2):
        with socket.create_connection(("127.0.0.1", int(live_server.url.rsplit(":", 1)[1].strip("/")))) as sock:
            sock.sendall(request)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200")
        assert b"cache-status: dialogue55; fwd=bypass" in answer.lower()


def test_a_revalidation_is_answered_304_and_kept_too(live_server):
    first = live_server.get("page/algeria", headers={"Accept": "text/html"})
    conditional = {"Accept": "text/html", "If-None-Match": first.headers["ETag"]}
    answers = [live_server.get("page/algeria", headers=conditional) for _ in range(2)]
    assert [a.status_code for a in answers] == [304, 304]
    assert [a.content for a in answers] == [b"", b""]
    assert _status(answers[1]) == "dialogue55; hit"
    assert answers[1].headers["ETag"] == first.headers["ETag"]
    assert _comparable(answers[1]) == _comparable(answers[0])
    stale = live_server.get("page/algeria", headers={"Accept": "text/html", "If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_errors_and_posts_are_never_kept(live_server):
    for _ in range(2):
        missing = live_server.get("page/no-such-thing")
        assert missing.status_code == 404
        assert _status(missing) == "dialogue55; fwd=miss"
        posted = live_server.post("sparql", data=ASK, headers={"Accept": "application/sparql-results+json"})
        assert posted.status_code == 200
        assert _status(posted) == "dialogue55; fwd=bypass"


def test_turned_off_every_request_reaches_flask():
    with running_server(env={"DIALOGUE55_RESPONSE_CACHE": "0"}) as server:
        for _ in range(2):
            response = server.get("page/tunisia")
            assert response.status_code == 200
            assert _status(response) == "dialogue55; fwd=bypass"
