"""The Wikidata view is exactly a stated part of the OWL RL closure, in the Wikidata Query Service's value model.

The part: the closure's triples whose predicate is a ``wdt:`` property, with each of our entities written
as its Wikidata item where it has one (owl:sameAs), and each value as WDQS encodes it. The view is derived
by the loader with pyoxigraph alone; the closure is computed by owlrl (rdflib) over the same files.
"""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode
from rdflib import OWL, URIRef
from rdflib import Literal as RdfLiteral

from server import settings
from server.dataset import sources, wikidata_view

WD, WDT = wikidata_view.WD, wikidata_view.WDT
VIEW = "https://w3id.org/dialogue55/graph/wikidata-view"


@pytest.fixture(scope="module")
def store():
    return sources.load(sources.Source.from_settings(settings.resolve({})))


def as_pyoxigraph(term):
    if isinstance(term, URIRef):
        return NamedNode(str(term))
    if term.language:
        return Literal(str(term), language=term.language)
    return Literal(str(term), datatype=NamedNode(str(term.datatype)))


def closure_part(closure) -> set[tuple[str, str, str]]:
    same_as = {s: o for s, o in closure.subject_objects(OWL.sameAs) if str(o).startswith(WD + "Q")}
    part = set()
    for s, p, o in closure:
        if not str(p).startswith(WDT) or not isinstance(s, URIRef):
            continue
        subject, value = same_as.get(s, s), same_as.get(o, o)
        value = wikidata_view.wdqs_value(as_pyoxigraph(value), str(p)[len(WDT):])
        part.add((str(subject), str(p), str(value)))
    return part


def view_part(store) -> set[tuple[str, str, str]]:
    quads = store.quads_for_pattern(None, None, None, NamedNode(VIEW))
    return {(q.subject.value, q.predicate.value, str(q.object)) for q in quads if q.predicate.value.startswith(WDT)}


def test_the_view_is_the_wdt_part_of_the_owl_rl_closure(store, closure):
    expected = closure_part(closure)
    assert len(expected) > 50
    assert view_part(store) == expected


def test_the_derivation_is_deterministic(store):
    again = sources.load(sources.Source.from_settings(settings.resolve({})))
    assert view_part(again) == view_part(store)
    first = sorted(str(q) for q in store.quads_for_pattern(None, None, None, NamedNode(VIEW)))
    assert first == sorted(str(q) for q in again.quads_for_pattern(None, None, None, NamedNode(VIEW)))


def test_values_follow_the_wikidata_query_service(store):
    view = view_part(store)
    conference = "https://w3id.org/dialogue55/id/8th-ministerial-conference"
    date = '"2020-03-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>'
    assert (conference, WDT + "P580", date) in view
    assert (conference, WDT + "P393", '"8"') in view
    forum = "https://w3id.org/dialogue55/id/dialogue-5-5"
    assert (forum, WDT + "P2124", '"10"^^<http://www.w3.org/2001/XMLSchema#decimal>') in view
    assert (WD + "Q1028", WDT + "P463", f"<{forum}>") in view


def test_an_announcement_is_not_restated_as_participation(store):
    """Sentence 6 announces participants in the future tense: the view states no P710 and no P1344."""
    assert not [t for t in view_part(store) if t[1] in (WDT + "P710", WDT + "P1344")]


def test_the_view_describes_itself_and_the_asserted_graphs_are_unchanged(store, oxi_store):
    described = {(q.predicate.value, str(q.object)) for q in
                 store.quads_for_pattern(NamedNode(VIEW), None, None, NamedNode(VIEW))}
    assert ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
            "<https://w3id.org/dialogue55/ontology#DerivedGraph>") in described
    assert ("http://www.w3.org/ns/prov#wasDerivedFrom", "<https://w3id.org/dialogue55/graph/sentence-13>") in described
    for graph in oxi_store.named_graphs():
        ours = {str(q) for q in store.quads_for_pattern(None, None, None, graph)}
        assert ours == {str(q) for q in oxi_store.quads_for_pattern(None, None, None, graph)}, graph


def test_a_fact_stated_by_two_sentences_is_one_statement_with_two_references(store):
    rows = list(store.query("""
        SELECT ?statement (COUNT(DISTINCT ?reference) AS ?n) WHERE {
          GRAPH ?view {
            ?conference <http://www.wikidata.org/prop/P488> ?statement .
            ?statement <http://www.w3.org/ns/prov#wasDerivedFrom> ?reference .
            ?reference <http://www.wikidata.org/prop/reference/P1683> ?quote }
        } GROUP BY ?statement""", substitutions={}))
    assert len(rows) == 1 and int(rows[0]["n"].value) == 3  # the headline, the dated headline, sentence 4


def test_an_ontology_without_alignments_has_no_view(tmp_path):
    (tmp_path / "facts.ttl").write_text("<https://w3id.org/dialogue55/id/a> <http://e/p> 1 .")
    store = sources.load(sources.Source.from_settings(settings.resolve({"ontology": None, "data": (tmp_path,)})))
    assert not list(store.quads_for_pattern(None, None, None, NamedNode(VIEW)))


def test_literal_conversion_keeps_language_strings():
    title = RdfLiteral("Le Maroc préside", lang="fr")
    assert str(wikidata_view.wdqs_value(as_pyoxigraph(title), "P1476")) == '"Le Maroc préside"@fr'
