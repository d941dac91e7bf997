"""Questions in Wikidata's terms on a real server, through SPARQLWrapper as a Wikidata user would send them."""

from __future__ import annotations

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.dataset.test_competency import QUERIES, WIKIDATA_TERMS

pytestmark = pytest.mark.live

ACCEPTANCE = ('SELECT ?state ?stateLabel WHERE { ?state wdt:P463 ?forum . '
              'SERVICE wikibase:label { bd:serviceParam wikibase:language "ar,en". } }')


def ask(live_server, query: str) -> set[tuple[str, ...]]:
    client = SPARQLWrapper(live_server.url + "sparql", returnFormat=JSON)
    client.setMethod("POST")
    client.setQuery(query)
    results = client.queryAndConvert()
    names = results["head"]["vars"]
    return {tuple(b[n]["value"] if n in b else "" for n in names) for b in results["results"]["bindings"]}


def canonical(live_server, text: str) -> str:
    """The example written for the canonical namespace, as it reads on a server with its own base IRI."""
    return text.replace("<https://w3id.org/dialogue55/", "<" + live_server.url)


@pytest.mark.parametrize("name", sorted(WIKIDATA_TERMS))
def test_wikidata_terms_on_a_live_server(live_server, name):
    query = canonical(live_server, (QUERIES / "wikidata-terms" / name).read_text(encoding="utf-8"))
    expected = {tuple(v.replace("https://w3id.org/dialogue55/", live_server.url) for v in row)
                for row in WIKIDATA_TERMS[name]}
    assert ask(live_server, query) == expected


def test_the_acceptance_query_names_ten_states_in_arabic(live_server):
    rows = ask(live_server, ACCEPTANCE)
    assert len(rows) == 10
    assert {label for _, label in rows} >= {"المغرب", "الجزائر", "تونس", "البرتغال"}
