"""The validation module on the project's files (everything passes) and on small broken inputs (caught)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from server.dataset import validation
from tests.conftest import DATA_DIR, ONTOLOGY_DIR, REFERENCE, SHAPES, project_files

D55 = "https://w3id.org/dialogue55/id/"
D55O = "https://w3id.org/dialogue55/ontology#"
PREFIXES = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix d55o: <https://w3id.org/dialogue55/ontology#> .
"""


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def messages(problems) -> str:
    return "\n".join(map(str, problems))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def copy(graph: Graph) -> Graph:
    duplicate = Graph()
    for triple in graph:
        duplicate.add(triple)
    return duplicate


# --- the project passes every check ---------------------------------------------------------------


def test_project_files_parse():
    files = project_files() + [SHAPES]
    assert {f.name for f in files} >= {"ontology.ttl", "article.trig", "labels.ttl", "wikidata.ttl", "shapes.ttl"}
    assert validation.check_syntax(files) == []


def test_project_is_owl_lite(union):
    assert validation.check_owl_lite(union) == [], messages(validation.check_owl_lite(union))


def test_project_conforms_to_shapes(union, shapes):
    problems = validation.check_shacl(union, shapes)
    assert problems == [], messages(problems)


def test_project_is_consistent(union):
    problems = validation.check_consistency(union)
    assert problems == [], messages(problems)


def test_project_uses_only_verified_wikidata_ids():
    files = project_files() + [SHAPES]
    assert validation.check_wikidata_ids(files, REFERENCE) == []


def test_reference_list_is_read():
    ids = validation.read_reference(REFERENCE)
    assert {"Q1028", "Q7330070", "P463", "P1813"} <= ids
    assert not {"kind", "id", "Q6256"} & ids


def test_validate_runs_everything_cleanly():
    assert validation.validate(ONTOLOGY_DIR, [DATA_DIR]) == []


def test_entailed_answers_in_wikidata_terms(closure):
    wd, wdt = "http://www.wikidata.org/entity/", "http://www.wikidata.org/prop/direct/"
    assert (URIRef(wd + "Q1028"), URIRef(wdt + "P463"), URIRef(D55 + "dialogue-5-5")) in closure
    conference = URIRef(D55 + "8th-ministerial-conference")
    assert (conference, URIRef(wdt + "P580"), Literal("2020-03-01", datatype=XSD.date)) in closure


# --- and each check catches what it is for --------------------------------------------------------


def test_syntax_error_reports_file_and_line(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://a> <http://b> <http://c> .\n\n<http://a> <http://b> .\n", encoding="utf-8")
    trig = tmp_path / "broken.trig"
    trig.write_text("<http://g> {\n  <http://a> <http://b> <http://c> <http://d> .\n}\n", encoding="utf-8")
    problems = validation.check_syntax([broken, trig])
    assert [(Path(p.file).name, p.line) for p in problems] == [("broken.ttl", 3), ("broken.trig", 2)]


@pytest.mark.parametrize("text, expected", [
    ("d55o:A a owl:Class ; owl:unionOf ( d55o:B d55o:C ) . d55o:B a owl:Class . d55o:C a owl:Class .",
     "unionOf is not allowed in OWL Lite"),
    ("d55o:A a owl:Class ; owl:disjointWith d55o:B . d55o:B a owl:Class .", "disjointWith is not allowed"),
    ("d55o:p a owl:ObjectProperty . d55o:A a owl:Class ; rdfs:subClassOf [ a owl:Restriction ; "
     "owl:onProperty d55o:p ; owl:maxCardinality 2 ] .", "OWL Lite allows 0 or 1 only"),
    ("d55o:A a owl:Class , owl:ObjectProperty .", "is declared as class, object"),
    ("d55o:p a owl:ObjectProperty , owl:DatatypeProperty .", "is declared as datatype, object"),
    ("d55o:p a owl:ObjectProperty ; owl:propertyChainAxiom ( d55o:p d55o:p ) .", "is not OWL 1 vocabulary"),
    ("d55o:x a owl:NamedIndividual .", "NamedIndividual is not OWL 1 vocabulary"),
    ("d55o:A a owl:Class ; rdfs:subClassOf d55o:Undeclared .", "class https://w3id.org/dialogue55/ontology#Undeclared"),
    ("d55o:x d55o:undeclaredProperty d55o:y .", "property https://w3id.org/dialogue55/ontology#undeclaredProperty"),
])
def test_owl_lite_violations_are_caught(text, expected):
    assert expected in messages(validation.check_owl_lite(turtle(text)))


def test_version_iri_is_accepted_on_the_ontology_header_only():
    header = "<http://o> a owl:Ontology ; owl:versionIRI <http://o/1> ."
    assert validation.check_owl_lite(turtle(header)) == []
    assert "versionIRI is not OWL 1" in messages(validation.check_owl_lite(turtle("d55o:A owl:versionIRI <http://o/1> .")))


def test_missing_label_breaks_shapes(union, shapes):
    broken = copy(union)
    morocco = URIRef(D55 + "morocco")
    broken.remove((morocco, RDFS.label, Literal("Maroc", lang="fr")))
    problems = validation.check_shacl(broken, shapes)
    assert problems and all(str(morocco) in p.message for p in problems)
    assert "French" in messages(problems)


def test_wrong_member_count_breaks_shapes(union, shapes):
    broken = copy(union)
    forum = URIRef(D55 + "dialogue-5-5")
    broken.set((forum, URIRef(D55O + "memberCount"), Literal(11, datatype=XSD.nonNegativeInteger)))
    assert "member count differs" in messages(validation.check_shacl(broken, shapes))


def test_second_start_date_is_inconsistent(union):
    broken = copy(union)
    broken.add((URIRef(D55 + "8th-ministerial-conference"), URIRef(D55O + "startDate"),
                Literal("2020-03-03", datatype=XSD.date)))
    assert "several values of functional" in messages(validation.check_consistency(broken))


def test_same_and_different_is_inconsistent():
    graph = turtle("d55o:a owl:sameAs d55o:b ; owl:differentFrom d55o:b .")
    assert "differentFrom" in messages(validation.check_consistency(graph))


def test_member_of_nothing_is_inconsistent():
    graph = turtle("d55o:a a owl:Nothing .")
    assert "owl:Nothing" in messages(validation.check_consistency(graph))


@pytest.mark.parametrize("line, expected", [
    ("d55:x owl:sameAs wd:Q6256 .", "Q6256 is not in the verified reference list"),
    ("d55:x wdt:P9999 d55:y .", "P9999 is not in the verified reference list"),
    ("d55:x owl:sameAs <https://www.wikidata.org/wiki/Q1028> .", "must be written http://www.wikidata.org/entity/Q1028"),
    ("d55:x owl:sameAs <http://www.wikidata.org/entity/Q150> .", "Q150 is not in the verified"),
    ("d55:x wd:P463 d55:y .", "must be written http://www.wikidata.org/prop/direct/P463"),
])
def test_unverified_or_misspelt_wikidata_ids_are_caught(tmp_path, line, expected):
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix d55: <https://w3id.org/dialogue55/id/> .\n"
                    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                    "@prefix wd: <http://www.wikidata.org/entity/> .\n"
                    "@prefix wdt: <http://www.wikidata.org/prop/direct/> .\n" + line + "\n", encoding="utf-8")
    problems = validation.check_wikidata_ids([path], REFERENCE)
    assert expected in messages(problems)
    assert {p.line for p in problems} == {5}


def test_validate_reports_a_broken_data_folder(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "wikidata-verified.tsv").write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    (data / "facts.ttl").write_text("<http://a> <http://b> .\n", encoding="utf-8")
    problems = validation.validate(ONTOLOGY_DIR, [data])
    assert [(Path(p.file).name, p.line) for p in problems] == [("facts.ttl", 1)]
