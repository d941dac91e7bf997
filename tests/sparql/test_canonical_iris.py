"""Behind ``--base-iri``, queries written with the canonical IRIs get the same answers.

The data is published under the server's own address, and incoming queries are
rewritten the same way (:mod:`server.engine.rewriting`). Every example file, the
README tour's queries and the Graph Store Protocol are asked of a server with a
base IRI and of one without; the answers, with the base mapped back to the
canonical namespace, must be the same, and must not be empty.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from server.settings import NAMESPACE
from tests.live import running_server

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "server" / "queries" / "examples").glob("*.rq"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
JSON_RESULTS = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def canonical_server():
    with running_server(base_iri=False) as server:
        yield server


def answer(server, query: str) -> list:
    """The solutions of ``query`` as sorted JSON rows, the server's base mapped back to the canonical namespace."""
    response = server.post("sparql", data={"query": query}, headers=JSON_RESULTS)
    assert response.status_code == 200, response.text
    text = response.text.replace(server.url, NAMESPACE)
    return sorted(json.dumps(row, sort_keys=True) for row in json.loads(text)["results"]["bindings"])


def test_every_example_names_the_canonical_namespace():
    assert len(EXAMPLES) >= 14
    assert sum(NAMESPACE in path.read_text(encoding="utf-8") for path in EXAMPLES) >= 13


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_example_answers_the_same_with_and_without_a_base_iri(path, live_server, canonical_server):
    query = path.read_text(encoding="utf-8")
    published = answer(live_server, query)
    assert published, f"{path.name} has no answer behind --base-iri"
    assert published == answer(canonical_server, query)


def test_the_readme_tour_answers_behind_a_base_iri(live_server, canonical_server):
    tour = re.search(r"## A short tour\n(.*?)\n## ", README, re.DOTALL).group(1)
    files = re.findall(r"query@(server/queries/examples/[\w.-]+\.rq)", tour)
    inline = re.findall(r"--data-urlencode 'query=([^']+)'", tour)
    assert files and inline
    for query in inline + [(ROOT / name).read_text(encoding="utf-8") for name in files]:
        assert answer(live_server, query) == answer(canonical_server, query) != []


def test_a_graph_named_canonically_is_found(live_server):
    canonical = live_server.get("sparql", params={"graph": NAMESPACE + "graph/labels"},
                                headers={"Accept": "application/n-triples"})
    published = live_server.get("sparql", params={"graph": live_server.url + "graph/labels"},
                                headers={"Accept": "application/n-triples"})
    assert canonical.status_code == published.status_code == 200
    assert canonical.text == published.text and canonical.text
    named = live_server.post("sparql", headers=JSON_RESULTS, data={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": NAMESPACE + "graph/labels"})
    assert int(named.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_an_iri_inside_a_string_is_text_and_is_not_rewritten(live_server):
    query = f'SELECT ?s WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), "{NAMESPACE}id/")) }}'
    assert answer(live_server, query) == []  # as the README says: strings cannot be rewritten
    assert answer(live_server, query.replace(NAMESPACE, live_server.url)) != []
