"""The Wikidata view: our facts restated in Wikidata's vocabulary, derived once at load time.

A client that writes ``wd:``/``wdt:`` terms gets answers with no reasoning of
its own. The view is what OWL 2 RL entails from the ontology's alignments and
``data/wikidata.ttl``, restricted to Wikidata's direct properties and put in
the Wikidata Query Service's value model:

1. ``prp-spo1``: ``s ours o`` with ``ours rdfs:subPropertyOf+ wdt:P…`` gives ``s wdt:P… o``;
2. ``eq-rep-s`` / ``eq-rep-o``: an entity of ours with an ``owl:sameAs`` Wikidata item
   is written as that item;
3. values as WDQS encodes them: dates and years as ``xsd:dateTime`` at midnight UTC,
   edition numbers and ordinals as strings, quantities as decimals.

Beside each truthy statement, the Wikibase statement model for our evidence:
a statement node (``p:``, ``ps:``, ``wikibase:rank``) with ``prov:wasDerivedFrom``
one reference node per graph that states it (both are fragments of the view's
own IRI, so they dereference to the view's document); a sentence's reference carries
``pr:P854`` (the source's address), ``pr:P1683`` (the quoted sentence) and
``pr:P248`` (the article). Everything goes into one named graph that describes
itself as a derived graph, so derived triples are never mistaken for asserted ones.

The derivation reads only the store (pyoxigraph, no rdflib) and is deterministic:
the same files give the same quads.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad, Store, Variable

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
P = "http://www.wikidata.org/prop/"
PS = "http://www.wikidata.org/prop/statement/"
PR = "http://www.wikidata.org/prop/reference/"
WIKIBASE = "http://wikiba.se/ontology#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD = "http://www.w3.org/2001/XMLSchema#"
# WDQS's schema:description, in the spelling the endpoint's built-in schema: prefix gives (see the README).
DESCRIPTIONS = ("https://schema.org/description",)

VIEW_GRAPH = "graph/wikidata-view"
# Wikidata properties whose values WDQS gives as strings, and as quantities.
STRING_VALUED = {"P393", "P1545"}
QUANTITY_VALUED = {"P2124", "P1114"}
TIME_DATATYPES = {XSD + "date": "{}T00:00:00Z", XSD + "gYear": "{}-01-01T00:00:00Z",
                  XSD + "gYearMonth": "{}-01T00:00:00Z", XSD + "dateTime": "{}"}

ALIGNMENTS = """
SELECT DISTINCT ?ours ?theirs WHERE {
  ?ours <http://www.w3.org/2000/01/rdf-schema#subPropertyOf>+ ?theirs .
  FILTER(STRSTARTS(STR(?theirs), "http://www.wikidata.org/prop/direct/"))
  FILTER(!STRSTARTS(STR(?ours), "http://www.wikidata.org/"))
}"""
SAME_AS = """
SELECT ?entity ?item WHERE {
  ?entity <http://www.w3.org/2002/07/owl#sameAs> ?item .
  FILTER(STRSTARTS(STR(?item), "http://www.wikidata.org/entity/Q"))
}"""
STATEMENTS = """
SELECT ?s ?o ?g ?ours ?view WHERE { GRAPH ?g { ?s ?ours ?o } FILTER(?g != ?view) }"""
SENTENCES = """
SELECT ?g ?quote ?article ?address ?sentence_graph ?source_page WHERE {
  ?g a ?kind ; <http://www.w3.org/ns/prov#value> ?quote ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?article .
  FILTER(?kind = ?sentence_graph)
  OPTIONAL { ?article ?source_page ?address }
}"""
OUR_DESCRIPTIONS = """
SELECT ?s ?text ?namespace WHERE {
  ?s <http://www.w3.org/2000/01/rdf-schema#comment>|<http://purl.org/dc/terms/description> ?text .
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?namespace) && isLiteral(?text))
}"""


@dataclass(frozen=True)
class Truthy:
    """One truthy statement of the view, with the graphs of ours that state it."""

    subject: NamedNode
    prop: str  # the Wikidata property id, e.g. "P463"
    value: object
    graphs: tuple[NamedNode, ...]


def derive(store: Store, namespace: str) -> list[Quad]:
    """The quads of the Wikidata view of the named graphs in ``store`` (our IRIs under ``namespace``)."""
    view = NamedNode(namespace + VIEW_GRAPH)
    truthy = truthy_statements(store, view)
    if not truthy:  # an ontology with no alignment to Wikidata has no view
        return []
    triples = [(t.subject, NamedNode(WDT + t.prop), t.value) for t in truthy]
    triples += _descriptions(store, namespace)
    triples += _statement_nodes(store, namespace, truthy)
    triples += _self_description(namespace, view, sorted({g for t in truthy for g in t.graphs}, key=str))
    return [Quad(s, p, o, view) for s, p, o in dict.fromkeys(triples)]


def add_view(store: Store, namespace: str) -> int:
    """Derive the view from the named graphs of ``store`` and add it; returns its size in quads."""
    quads = derive(store, namespace)
    store.extend(quads)
    return len(quads)


def truthy_statements(store: Store, view: NamedNode) -> list[Truthy]:
    """Every ``s wdt:P… o`` the alignments entail, our entities written as their Wikidata items."""
    same_as = {row["entity"]: row["item"] for row in _union(store, SAME_AS)}
    found: dict[tuple, set] = defaultdict(set)
    for row in _union(store, ALIGNMENTS):
        prop = row["theirs"].value[len(WDT):]
        for fact in store.query(STATEMENTS, substitutions=_values(ours=row["ours"], view=view)):
            subject = same_as.get(fact["s"], fact["s"])
            if not isinstance(subject, NamedNode):
                continue
            value = same_as.get(fact["o"], fact["o"])
            found[(subject, prop, wdqs_value(value, prop))].add(fact["g"])
    return [Truthy(s, p, o, tuple(sorted(graphs, key=str))) for (s, p, o), graphs in
            sorted(found.items(), key=lambda item: tuple(str(part) for part in item[0]))]


def wdqs_value(term, prop: str):
    """A value as the Wikidata Query Service encodes it for the direct property ``prop``.

    >>> wdqs_value(Literal("1990", datatype=NamedNode(XSD + "gYear")), "P571").value
    '1990-01-01T00:00:00Z'
    >>> wdqs_value(Literal("8", datatype=NamedNode(XSD + "positiveInteger")), "P393").datatype.value
    'http://www.w3.org/2001/XMLSchema#string'
    >>> wdqs_value(Literal("10", datatype=NamedNode(XSD + "nonNegativeInteger")), "P2124").datatype.value
    'http://www.w3.org/2001/XMLSchema#decimal'
    """
    if not isinstance(term, Literal) or term.language:
        return term
    datatype = term.datatype.value
    if prop in STRING_VALUED:
        return Literal(term.value)
    if prop in QUANTITY_VALUED:
        return Literal(term.value, datatype=NamedNode(XSD + "decimal"))
    if datatype in TIME_DATATYPES:
        return Literal(TIME_DATATYPES[datatype].format(term.value), datatype=NamedNode(XSD + "dateTime"))
    return term


def _union(store: Store, query: str, **values):
    return store.query(query, use_default_graph_as_union=True, substitutions=_values(**values) or None)


def _values(**values) -> dict:
    """pyoxigraph substitutions (each substituted variable is also projected, as 0.5 requires)."""
    return {Variable(name): term for name, term in values.items()}


def _descriptions(store: Store, namespace: str) -> list[tuple]:
    """``schema:description`` (WDQS's term for an item's description) from our descriptions."""
    rows = _union(store, OUR_DESCRIPTIONS, namespace=Literal(namespace))
    return sorted(((row["s"], NamedNode(name), row["text"]) for row in rows for name in DESCRIPTIONS),
                  key=lambda triple: tuple(str(part) for part in triple))


def _statement_nodes(store: Store, namespace: str, truthy: list[Truthy]) -> list[tuple]:
    """The Wikibase statement model: statement nodes with one reference per stating graph."""
    sentences = _sentences(store, namespace)
    triples = []
    for statement in truthy:
        node = NamedNode(f"{namespace}{VIEW_GRAPH}#{_statement_slug(statement)}")
        triples += [
            (statement.subject, NamedNode(P + statement.prop), node),
            (node, RDF_TYPE, NamedNode(WIKIBASE + "Statement")),
            (node, NamedNode(PS + statement.prop), statement.value),
            (node, NamedNode(WIKIBASE + "rank"), NamedNode(WIKIBASE + "NormalRank")),
            (node, RDF_TYPE, NamedNode(WIKIBASE + "BestRank")),
            (node, RDFS_LABEL, Literal(f"statement {statement.prop} of {_local(statement.subject)}", language="en")),
            (node, RDFS_LABEL, Literal(f"déclaration {statement.prop} de {_local(statement.subject)}", language="fr")),
        ]
        for graph in statement.graphs:
            reference = NamedNode(f"{namespace}{VIEW_GRAPH}#reference-{_local(graph)}")
            triples.append((node, NamedNode(PROV + "wasDerivedFrom"), reference))
            triples += _reference(reference, graph, sentences.get(graph))
    return triples


def _reference(reference: NamedNode, graph: NamedNode, sentence: dict | None) -> list[tuple]:
    name = _local(graph)
    triples = [(reference, RDF_TYPE, NamedNode(WIKIBASE + "Reference")),
               (reference, RDFS_LABEL, Literal(f"reference: {name}", language="en")),
               (reference, RDFS_LABEL, Literal(f"référence : {name}", language="fr")),
               (reference, NamedNode(PROV + "wasDerivedFrom"), graph)]
    if sentence is None:  # an editorial or derived graph of ours: it is what states the fact
        return triples + [(reference, NamedNode(PR + "P248"), graph)]
    triples += [(reference, NamedNode(PR + "P1683"), sentence["quote"]),
                (reference, NamedNode(PR + "P248"), sentence["article"])]
    if sentence["address"] is not None:
        triples.append((reference, NamedNode(PR + "P854"), sentence["address"]))
    return triples


def _sentences(store: Store, namespace: str) -> dict:
    rows = _union(store, SENTENCES, sentence_graph=NamedNode(namespace + "ontology#SentenceGraph"),
                  source_page=NamedNode(namespace + "ontology#sourcePage"))
    return {row["g"]: {"quote": row["quote"], "article": row["article"], "address": row["address"]} for row in rows}


def _statement_slug(statement: Truthy) -> str:
    """A stable slug: the property and a digest of subject and value (a value may be a long literal)."""
    digest = hashlib.sha256(f"{statement.subject}|{statement.prop}|{statement.value}".encode()).hexdigest()[:12]
    return f"statement-{statement.prop.lower()}-{digest}"


def _local(iri: NamedNode) -> str:
    return iri.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _self_description(namespace: str, view: NamedNode, sources: list[NamedNode]) -> list[tuple]:
    """The view says what it is: a derived graph, from which graphs, by which rules."""
    d55o = namespace + "ontology#"
    rules = ("OWL 2 RL prp-spo1 (rdfs:subPropertyOf of a wdt: property), eq-rep-s and eq-rep-o (owl:sameAs "
             "of a Wikidata item), then the Wikidata Query Service's value model; Wikibase statement and "
             "reference nodes for each graph that states a fact")
    triples = [
        (view, RDF_TYPE, NamedNode(d55o + "DerivedGraph")),
        (view, RDF_TYPE, NamedNode(PROV + "Entity")),
        (view, RDFS_LABEL, Literal("Vue Wikidata (dérivée)", language="fr")),
        (view, RDFS_LABEL, Literal("Wikidata view (derived)", language="en")),
        (view, RDFS_LABEL, Literal("عرض ويكي بيانات (مشتق)", language="ar")),
        (view, NamedNode("http://purl.org/dc/terms/description"), Literal(
            "Nos faits redits dans le vocabulaire de Wikidata, dérivés au chargement ; non affirmés par l'article. "
            "Règles : " + rules + ".", language="fr")),
        (view, NamedNode("http://purl.org/dc/terms/description"), Literal(
            "Our facts restated in Wikidata's vocabulary, derived at load time; not stated by the article. "
            "Rules: " + rules + ".", language="en")),
        (view, NamedNode("http://purl.org/dc/terms/description"), Literal(
            "وقائعنا معادةً بمفردات ويكي بيانات، مشتقة عند التحميل؛ ولا يذكرها المقال. القواعد (بالإنجليزية): "
            + rules + ".", language="ar")),
        (view, NamedNode(PROV + "wasDerivedFrom"), NamedNode(namespace + "graph/ontology")),
        (view, NamedNode(PROV + "wasDerivedFrom"), NamedNode(namespace + "graph/wikidata")),
    ]
    return triples + [(view, NamedNode(PROV + "wasDerivedFrom"), graph) for graph in sources]
