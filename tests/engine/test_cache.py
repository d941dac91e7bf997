"""The SPARQL answer cache: keyed by dataset version and request, bounded, and visible as ETags and 304s."""

from __future__ import annotations

from urllib.parse import quote

from server.engine.answer_cache import AnswerCache, answer_key
from server.engine.evaluation import Answer, Job

QUERY = "SELECT ?state WHERE { d55:dialogue-5-5 d55o:hasMember ?state } ORDER BY ?state"


def _answer(body: bytes, truncated: bool = False) -> Answer:
    return Answer("solutions", "text/csv", body, 1, truncated)


def test_the_key_separates_version_query_format_and_dataset():
    base = Job(QUERY)
    keys = {answer_key("v1", base), answer_key("v2", base), answer_key("v1", Job(QUERY + " LIMIT 1")),
            answer_key("v1", Job(QUERY, results_format="text/csv")),
            answer_key("v1", Job(QUERY, default_graphs=("http://e/g",)))}
    assert len(keys) == 5


def test_truncated_answers_are_never_kept():
    cache = AnswerCache(10_000)
    cache.put(("k",), _answer(b"x", truncated=True))
    assert cache.get(("k",)) is None


def test_the_least_recently_used_answer_goes_first_when_full():
    cache = AnswerCache(800)
    cache.put(("a",), _answer(b"a" * 90))
    cache.put(("b",), _answer(b"b" * 90))
    assert cache.get(("a",)) is not None  # a is now the most recently used
    for n in range(10):
        cache.put((n,), _answer(b"n" * 90))
    assert cache.get(("b",)) is None
    assert sum(len(cache.get(k).body) for k in [("a",), *[(n,) for n in range(10)]] if cache.get(k)) <= 800


def test_a_repeated_query_is_answered_from_the_cache(app, client):
    url = "/sparql?query=" + quote(QUERY + " LIMIT 3")
    graph = app.extensions["dialogue55"]
    before = len(graph.answers)
    first = client.get(url, headers={"Accept": "text/csv"})
    assert first.status_code == 200 and len(graph.answers) == before + 1
    cached = next(a for k, a in graph.answers.items() if k[1] == QUERY + " LIMIT 3")
    assert cached.body == first.data
    second = client.get(url, headers={"Accept": "text/csv"})
    assert second.data == first.data and len(graph.answers) == before + 1


def test_a_matching_etag_gets_304_and_another_format_another_etag(client):
    url = "/sparql?query=" + quote(QUERY)
    first = client.get(url, headers={"Accept": "text/csv"})
    tag = first.headers["ETag"]
    assert not tag.startswith("W/")
    again = client.get(url, headers={"Accept": "text/csv", "If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    json = client.get(url, headers={"Accept": "application/sparql-results+json", "If-None-Match": tag})
    assert json.status_code == 200 and json.headers["ETag"] != tag


def test_errors_are_not_cached_and_carry_no_etag(client):
    response = client.get("/sparql?query=" + quote("SELECT ?x WHERE { ?x"))
    assert response.status_code == 400 and "ETag" not in response.headers


def test_the_cache_can_be_turned_off():
    from server import create_app

    app = create_app({"answer_cache": 0})
    try:
        app.test_client().get("/sparql?query=" + quote(QUERY))
        assert len(app.extensions["dialogue55"].answers) == 0
    finally:
        app.extensions["dialogue55"].close()
