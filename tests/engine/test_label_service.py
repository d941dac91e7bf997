"""SERVICE wikibase:label as on the Wikidata Query Service: rewritten into standard SPARQL before any engine sees it."""

from __future__ import annotations

import pytest

from server.dataset.iris import IriSpace
from server.engine import label_service
from tests.dataset.test_competency import endpoint_rows

PREFIXES = IriSpace("https://w3id.org/dialogue55/").prefixes
WD = "http://www.wikidata.org/entity/"
ID = "https://w3id.org/dialogue55/id/"
MEMBERS = "SELECT ?state ?stateLabel WHERE { ?state wdt:P463 ?forum . %s }"


def service(languages: str, body: str = "") -> str:
    return f'SERVICE wikibase:label {{ bd:serviceParam wikibase:language "{languages}". {body} }}'


def test_a_query_without_the_service_is_left_as_it_is():
    query = 'SELECT * { ?s <http://e/p> "SERVICE wikibase:label { }" }'
    assert label_service.rewrite(query, PREFIXES) == query


def test_the_clause_is_gone_after_rewriting_and_the_query_names_no_service():
    rewritten = label_service.rewrite(MEMBERS % service("fr"), PREFIXES)
    assert "SERVICE" not in rewritten and "wikibase:" not in rewritten and "BIND(COALESCE(" in rewritten


def test_the_acceptance_query_returns_the_ten_states_with_arabic_labels(client):
    rows = endpoint_rows(client, MEMBERS % service("ar,en"))
    assert len(rows) == 10 and (WD + "Q1028", "المغرب") in rows
    assert all(item.startswith(WD) for item, _ in rows)


def test_languages_fall_back_in_order_and_then_to_the_local_name(client):
    query = 'SELECT ?x ?xLabel WHERE { VALUES ?x { wd:Q1028 wd:Q7330070 } %s }' % service("xx,fr")
    assert endpoint_rows(client, query) == {(WD + "Q1028", "Maroc"), (WD + "Q7330070", "Q7330070")}


def test_auto_language_is_english_at_the_endpoint(client):
    assert (WD + "Q1028", "Morocco") in endpoint_rows(client, MEMBERS % service("[AUTO_LANGUAGE]"))


def test_explicit_bindings_inside_the_clause(client):
    query = ("SELECT ?state ?name WHERE { ?state wdt:P463 ?forum . "
             + service("fr", "?state rdfs:label ?name .") + " }")
    assert (WD + "Q262", "Algérie") in endpoint_rows(client, query)


def test_descriptions_and_alternative_labels(client):
    query = ("SELECT ?x ?xDescription ?xAltLabel WHERE { VALUES ?x { d55g:wikidata-view wd:Q1028 } "
             + service("en") + " }")
    rows = {row[0]: row[1:] for row in endpoint_rows(client, query)}
    assert rows["https://w3id.org/dialogue55/graph/wikidata-view"][0].startswith("Our facts restated")
    assert rows[WD + "Q1028"] == ("", "")  # no description, no alternative label in English: unbound
    alt = endpoint_rows(client, "SELECT ?x ?xAltLabel WHERE { BIND(wd:Q1028 AS ?x) " + service("fr") + " }")
    assert alt == {(WD + "Q1028", "Royaume du Maroc")}


def test_the_full_iri_of_the_service_works_too(client):
    query = ('SELECT ?state ?stateLabel WHERE { ?state wdt:P463 ?forum . SERVICE <http://wikiba.se/ontology#label> '
             '{ <http://www.bigdata.com/rdf#serviceParam> <http://wikiba.se/ontology#language> "fr" } }')
    assert (WD + "Q29", "Espagne") in endpoint_rows(client, query)


@pytest.mark.parametrize("clause, message", [
    ("SERVICE wikibase:label { }", "needs its languages"),
    ('SERVICE wikibase:label { bd:serviceParam wikibase:language "fr;drop" }', "is not a language tag"),
])
def test_a_clause_that_cannot_be_read_is_a_clear_400(client, clause, message):
    response = client.post("/sparql", data={"query": "SELECT ?x WHERE { ?x ?p ?o " + clause + " }"})
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_an_unclosed_clause_is_refused_before_parsing():
    with pytest.raises(label_service.LabelServiceError, match="no closing"):
        label_service.rewrite('SELECT * { SERVICE wikibase:label { bd:serviceParam wikibase:language "fr" ', PREFIXES)


def test_other_services_keep_the_allow_list(client):
    response = client.post("/sparql", data={"query": "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert response.status_code == 400 and "not allowed" in response.get_data(as_text=True)
