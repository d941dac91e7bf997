"""Data health: rules about the ontology and the data, each a SPARQL query that must return no rows.

A failing rule lists its offenders. The store is the one the server would build (see conftest).
"""

from __future__ import annotations

import re

import pytest
from pyoxigraph import NamedNode, RdfFormat, Store

from tests.conftest import ARTICLE, DATA_DIR, GRAPH, ONTOLOGY_DIR, rows

PREFIXES = """
PREFIX d55:  <https://w3id.org/dialogue55/id/>
PREFIX d55o: <https://w3id.org/dialogue55/ontology#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
ONTOLOGY_GRAPH = "<https://w3id.org/dialogue55/graph/ontology>"
BUILT_IN = ('"http://www.w3.org/1999/02/22-rdf-syntax-ns#"', '"http://www.w3.org/2000/01/rdf-schema#"',
            '"http://www.w3.org/2002/07/owl#"')
NOT_BUILT_IN = " && ".join(f"!STRSTARTS(STR(?term), {ns})" for ns in BUILT_IN)

RULES = {
    "every term of ours has fr and en labels, a comment and rdfs:isDefinedBy": f"""
        SELECT ?term ?missing WHERE {{
          GRAPH {ONTOLOGY_GRAPH} {{ ?term a ?kind }}
          FILTER(STRSTARTS(STR(?term), "https://w3id.org/dialogue55/ontology#"))
          VALUES ?missing {{ "label@fr" "label@en" "comment" "isDefinedBy" }}
          FILTER NOT EXISTS {{
            GRAPH {ONTOLOGY_GRAPH} {{
              {{ ?term rdfs:label ?l FILTER(?missing = "label@fr" && LANG(?l) = "fr") }}
              UNION {{ ?term rdfs:label ?l FILTER(?missing = "label@en" && LANG(?l) = "en") }}
              UNION {{ ?term rdfs:comment ?c FILTER(?missing = "comment") }}
              UNION {{ ?term rdfs:isDefinedBy <https://w3id.org/dialogue55/ontology> FILTER(?missing = "isDefinedBy") }}
            }}
          }}
        }}""",
    "the ontology header is complete": f"""
        SELECT ?missing WHERE {{
          VALUES ?missing {{ dcterms:title dcterms:description owl:versionInfo owl:versionIRI dcterms:license
                             dcterms:created <http://purl.org/vocab/vann/preferredNamespacePrefix>
                             <http://purl.org/vocab/vann/preferredNamespaceUri> }}
          FILTER NOT EXISTS {{ GRAPH {ONTOLOGY_GRAPH} {{ <https://w3id.org/dialogue55/ontology> ?missing ?value }} }}
        }}""",
    "every predicate used in the data is declared in the ontology": f"""
        SELECT DISTINCT ?term WHERE {{
          GRAPH ?g {{ ?s ?term ?o }}
          FILTER(?g != {ONTOLOGY_GRAPH} && {NOT_BUILT_IN})
          FILTER NOT EXISTS {{
            GRAPH {ONTOLOGY_GRAPH} {{
              ?term a ?kind VALUES ?kind {{ owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }}
            }}
          }}
        }}""",
    "every class used in the data is declared in the ontology": f"""
        SELECT DISTINCT ?term WHERE {{
          GRAPH ?g {{ ?s a ?term }}
          FILTER(?g != {ONTOLOGY_GRAPH} && {NOT_BUILT_IN})
          FILTER NOT EXISTS {{ GRAPH {ONTOLOGY_GRAPH} {{ ?term a owl:Class }} }}
        }}""",
    "every data graph is a quoted sentence of the article or a described editorial graph": f"""
        SELECT DISTINCT ?g WHERE {{
          GRAPH ?g {{ ?s ?p ?o }}
          FILTER(?g != {ONTOLOGY_GRAPH})
          FILTER NOT EXISTS {{ ?g a d55o:SentenceGraph ; prov:value ?text ; prov:wasDerivedFrom d55:article }}
          FILTER NOT EXISTS {{ ?g prov:wasDerivedFrom ?source ; dcterms:description ?what }}
        }}""",
    "every described sentence graph holds at least one fact": """
        SELECT ?g WHERE {
          ?g a d55o:SentenceGraph .
          FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } }
        }""",
    "every sentence quote is non-empty French, and sentence-NN has ordinal NN": """
        SELECT ?g WHERE {
          ?g a d55o:SentenceGraph .
          OPTIONAL { ?g prov:value ?text }
          OPTIONAL { ?g d55o:sentenceOrdinal ?rank }
          FILTER(!BOUND(?text) || LANG(?text) != "fr" || STRLEN(STR(?text)) = 0 || !BOUND(?rank)
                 || !STRENDS(STR(?g), CONCAT("sentence-", IF(?rank < 10, "0", ""), STR(?rank))))
        }""",
    "every resource of ours has a French and an English label": """
        SELECT DISTINCT ?r ?lang WHERE {
          { ?r ?p ?o } UNION { ?s ?p ?r }
          FILTER(isIRI(?r) && STRSTARTS(STR(?r), "https://w3id.org/dialogue55/id/"))
          VALUES ?lang { "fr" "en" }
          FILTER NOT EXISTS { ?r rdfs:label ?l FILTER(LANG(?l) = ?lang) }
        }""",
    "states, cities and organizations have an Arabic label": """
        SELECT ?r WHERE {
          ?r a ?kind VALUES ?kind { d55o:State d55o:City d55o:Organization }
          FILTER NOT EXISTS { ?r rdfs:label ?l FILTER(LANG(?l) = "ar") }
        }""",
    "themes have one skos:prefLabel in French and one in English": """
        SELECT ?theme ?lang WHERE {
          ?theme a d55o:Theme .
          VALUES ?lang { "fr" "en" }
          OPTIONAL { ?theme skos:prefLabel ?l FILTER(LANG(?l) = ?lang) }
        }
        GROUP BY ?theme ?lang
        HAVING (COUNT(DISTINCT ?l) != 1)""",
    "owl:sameAs links only states, cities and organizations, to Wikidata items": """
        SELECT ?s ?item WHERE {
          ?s owl:sameAs ?item .
          FILTER(!STRSTARTS(STR(?item), "http://www.wikidata.org/entity/Q")
                 || NOT EXISTS { ?s a ?kind VALUES ?kind { d55o:State d55o:City d55o:Organization } })
        }""",
    "a sentence that restates another holds every statement of the other": """
        SELECT ?restating ?restated ?s ?p ?o WHERE {
          ?restating a d55o:SentenceGraph ; prov:value ?long .
          ?restated a d55o:SentenceGraph ; prov:value ?short .
          FILTER(?restating != ?restated && CONTAINS(STR(?long), STR(?short)))
          GRAPH ?restated { ?s ?p ?o }
          FILTER NOT EXISTS { GRAPH ?restating { ?s ?p ?o } }
        }""",
    "a sentence graph speaks only of what its sentence names or refers back to": """
        SELECT DISTINCT ?g ?entity WHERE {
          ?g a d55o:SentenceGraph ; prov:value ?quote .
          GRAPH ?g { { ?entity ?p ?o } UNION { ?s ?p ?entity } }
          FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), "https://w3id.org/dialogue55/id/"))
          FILTER NOT EXISTS { ?g d55o:refersTo ?entity }
          FILTER NOT EXISTS {
            ?entity rdfs:label|skos:prefLabel|skos:altLabel|d55o:shortName ?name
            FILTER(LANG(?name) = "fr" && CONTAINS(LCASE(STR(?quote)), LCASE(STR(?name))))
          }
        }""",
    "a graph that joins facts of several sentences is a described derived graph": """
        SELECT ?g WHERE {
          GRAPH ?g { ?s ?p ?o }
          FILTER NOT EXISTS { ?g a d55o:SentenceGraph }
          ?g prov:wasDerivedFrom ?first , ?second .
          ?first a d55o:SentenceGraph . ?second a d55o:SentenceGraph .
          FILTER(?first != ?second)
          FILTER NOT EXISTS { ?g a d55o:DerivedGraph ; dcterms:description ?rule }
        }""",
    "no sentence graph holds a statement that needs another sentence's list": """
        SELECT ?g ?member WHERE {
          ?g a d55o:SentenceGraph .
          GRAPH ?g { ?group d55o:groupMember ?member }
        }""",
    "a characterization is the article's own French words": """
        SELECT ?s ?words WHERE {
          ?s d55o:characterization ?words .
          FILTER(LANG(?words) != "fr"
                 || NOT EXISTS { ?g a d55o:SentenceGraph ; prov:value ?quote FILTER(CONTAINS(STR(?quote), STR(?words))) })
        }""",
    "no SKOS mapping makes a place a concept": """
        SELECT ?place ?match WHERE {
          ?place a ?kind VALUES ?kind { d55o:Region d55o:City d55o:State }
          ?place skos:closeMatch|skos:exactMatch|skos:relatedMatch|skos:broadMatch|skos:narrowMatch ?match .
        }""",
    "every term of ours, theme and group has a label in French, English and Arabic": f"""
        SELECT ?term ?lang WHERE {{
          {{ GRAPH {ONTOLOGY_GRAPH} {{ ?term a ?kind }}
             FILTER(STRSTARTS(STR(?term), "https://w3id.org/dialogue55/ontology#")) }}
          UNION {{ ?term a d55o:Theme }} UNION {{ ?term a d55o:Group }}
          VALUES ?lang {{ "fr" "en" "ar" }}
          FILTER NOT EXISTS {{ ?term rdfs:label ?l FILTER(LANG(?l) = ?lang) }}
        }}""",
    "every term of ours has a comment in French, English and Arabic": f"""
        SELECT ?term ?lang WHERE {{
          GRAPH {ONTOLOGY_GRAPH} {{ ?term a ?kind }}
          FILTER(STRSTARTS(STR(?term), "https://w3id.org/dialogue55/ontology#"))
          VALUES ?lang {{ "fr" "en" "ar" }}
          FILTER NOT EXISTS {{ ?term rdfs:comment ?c FILTER(LANG(?c) = ?lang) }}
        }}""",
    "no Wikidata IRI appears in the ontology as a class": """
        SELECT ?c WHERE {
          { ?c a owl:Class } UNION { ?x rdfs:subClassOf|owl:equivalentClass ?c }
          FILTER(STRSTARTS(STR(?c), "http://www.wikidata.org/entity/"))
        }""",
}


@pytest.mark.parametrize("rule", RULES)
def test_rule_has_no_offenders(oxi_store, rule):
    offenders = sorted(rows(oxi_store, PREFIXES + RULES[rule]))
    assert not offenders, f"{rule}: " + "; ".join(" ".join(row) for row in offenders)


def normalise(text: str) -> str:
    """Article text as sentences are quoted: no Markdown bold marks, whitespace runs collapsed."""
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def test_every_quote_occurs_in_the_article(oxi_store):
    article = normalise(ARTICLE.read_text(encoding="utf-8"))
    quotes = rows(oxi_store, PREFIXES + "SELECT ?g ?text WHERE { ?g a d55o:SentenceGraph ; prov:value ?text }")
    assert len(quotes) == 14
    missing = sorted(g for g, text in quotes if normalise(text) not in article)
    assert not missing, f"quotes not found in the article: {missing}"


def test_every_article_paragraph_is_quoted(oxi_store):
    """The other way round: each sentence of the article is the quote of some sentence graph."""
    quotes = {normalise(t) for (t,) in rows(oxi_store, PREFIXES + "SELECT ?t WHERE { ?g prov:value ?t }")}
    covered = normalise(" ".join(sorted(quotes, key=len, reverse=True)))
    words = set(re.findall(r"\w+", normalise(ARTICLE.read_text(encoding="utf-8"))))
    uncovered = sorted(w for w in words if w not in set(re.findall(r"\w+", covered)))
    assert not uncovered, f"words of the article in no quoted sentence: {uncovered}"


def test_rules_name_their_offenders():
    """The rules can fail: on the article alone (no editorial labels, no schemes) they list offenders."""
    store = Store()
    store.load(path=str(ONTOLOGY_DIR / "ontology.ttl"), format=RdfFormat.TURTLE, to_graph=NamedNode(GRAPH + "ontology"))
    store.load(path=str(DATA_DIR / "article.trig"), format=RdfFormat.TRIG)
    store.load(input=b"<https://w3id.org/dialogue55/id/x> <https://w3id.org/dialogue55/ontology#nope> 1 .",
               format=RdfFormat.TURTLE, to_graph=NamedNode(GRAPH + "stray"))
    unlabelled = rows(store, PREFIXES + RULES["every resource of ours has a French and an English label"])
    assert ("https://w3id.org/dialogue55/id/morocco", "en") in unlabelled
    assert ("https://w3id.org/dialogue55/id/morocco", "fr") not in unlabelled
    assert rows(store, PREFIXES + RULES["every predicate used in the data is declared in the ontology"]) == {
        ("https://w3id.org/dialogue55/ontology#nope",)}
    assert ("https://w3id.org/dialogue55/graph/stray",) in rows(
        store, PREFIXES + RULES["every data graph is a quoted sentence of the article or a described editorial graph"])
