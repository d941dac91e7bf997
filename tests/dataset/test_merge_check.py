"""Merging ordinary Wikidata statements with ours under OWL RL entails nothing false: no new type of ours,
no two resources made the same. The check fails on an alignment that is not safe."""

from __future__ import annotations

from rdflib import OWL, RDFS, Graph, URIRef

from server.dataset import merge_check, validation
from server.settings import NAMESPACE

D55O = NAMESPACE + "ontology#"
WDT = "http://www.wikidata.org/prop/direct/"


def test_the_shipped_ontology_and_data_are_safe_to_merge(union):
    assert merge_check.check_merge(union, validation.entailed, NAMESPACE) == []


def unsafe(union: Graph, ours: str, theirs: str) -> Graph:
    """``union`` with ``ours`` aligned the way version 1.0.0 did: equivalent to ``theirs``."""
    graph = Graph()
    for triple in union:
        graph.add(triple)
    graph.remove((URIRef(D55O + ours), RDFS.subPropertyOf, URIRef(WDT + theirs)))
    graph.add((URIRef(D55O + ours), OWL.equivalentProperty, URIRef(WDT + theirs)))
    return graph


def test_an_equivalent_property_with_a_domain_is_caught(union):
    problems = merge_check.check_merge(unsafe(union, "memberOf", "P463"), validation.entailed, NAMESPACE)
    assert f"merging Wikidata's statements makes http://www.wikidata.org/entity/Q458 a {D55O}State" in problems
    assert f"merging Wikidata's statements makes http://www.wikidata.org/entity/Q7159 a {D55O}Forum" in problems


def test_an_equivalent_functional_property_is_caught(union):
    problems = merge_check.check_merge(unsafe(union, "location", "P276"), validation.entailed, NAMESPACE)
    assert ("merging Wikidata's statements makes https://example.org/fixture/museum-one owl:sameAs "
            "https://example.org/fixture/museum-two") in problems


def test_validate_reports_an_unsafe_alignment(tmp_path):
    ontology = (validation.rdf_files(tmp_path) and None) or tmp_path / "ontology"
    ontology.mkdir()
    text = (validation.Path(__file__).resolve().parents[2] / "ontology" / "ontology.ttl").read_text(encoding="utf-8")
    (ontology / "ontology.ttl").write_text(text.replace(
        "d55o:memberOf a owl:ObjectProperty ;\n    rdfs:subPropertyOf wdt:P463 ;",
        "d55o:memberOf a owl:ObjectProperty ;\n    owl:equivalentProperty wdt:P463 ;"), encoding="utf-8")
    data = validation.Path(__file__).resolve().parents[2] / "data"
    problems = [p.message for p in validation.validate(ontology, [data]) if p.file == "wikidata-merge"]
    assert any(m.endswith(f"Q458 a {D55O}State") for m in problems)
