"""The VoID and DCAT description of the dataset, served at ``/.well-known/void``.

What is counted, decided once: ``void:triples`` of the dataset is the number
of **distinct triples of the union of all named graphs**, which is what
``SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }``
answers at ``/sparql``. A fact stated by three sentences is one triple of the
union but three quads; each named graph is described as a ``void:subset``
with its own ``void:triples``, so the subsets add up to the number of quads.

The statistics scan the whole store, so they are computed once per dataset
version and kept in the application (``app.extensions``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from pyoxigraph import Literal, NamedNode, Triple

from ..dataset.iris import COMMON_PREFIXES, WIKIDATA_ENTITY
from ..graph import Graph
from .descriptions import select

VOID = COMMON_PREFIXES["void"]
DCAT = COMMON_PREFIXES["dcat"]
DCTERMS = COMMON_PREFIXES["dcterms"]
RDF_TYPE = NamedNode(COMMON_PREFIXES["rdf"] + "type")
XSD_INTEGER = NamedNode(COMMON_PREFIXES["xsd"] + "integer")
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DUMPS = (("dump.trig", "application/trig"), ("dump.nq", "application/n-quads"))
EXAMPLE_CLASSES = ("Forum", "Conference", "State", "Organization", "Theme")


@dataclass(frozen=True)
class Statistics:
    triples: int
    graphs: dict[str, int]
    wikidata_links: int
    resources: int
    vocabularies: tuple[str, ...]
    examples: tuple[str, ...]


def statistics(graph: Graph) -> Statistics:
    """The dataset's counts, computed once per graph (the store is read-only)."""
    cache = current_app.extensions.setdefault("dialogue55.void", {})
    if graph.version not in cache:
        cache[graph.version] = _compute(graph)
    return cache[graph.version]


def _compute(graph: Graph) -> Statistics:
    space = graph.space
    per_graph = {r["g"].value: int(r["n"].value) for r in select(graph, "graph_count")}
    predicates = [r["p"].value for r in select(graph, "predicates")]
    examples = []
    for name in EXAMPLE_CLASSES:
        rows = select(graph, "instances", type=NamedNode(space.namespace + "ontology#" + name))
        examples += sorted(r["s"].value for r in rows)[:1]
    resources = select(graph, "resource_count", prefix=Literal(space.namespace + "id/"))
    return Statistics(
        triples=int(select(graph, "triple_count")[0]["n"].value),
        graphs=dict(sorted(per_graph.items())),
        wikidata_links=int(select(graph, "wikidata_links")[0]["n"].value),
        resources=int(resources[0]["n"].value) if resources else 0,
        vocabularies=tuple(sorted({vocabulary(p) for p in predicates})),
        examples=tuple(examples),
    )


def vocabulary(predicate: str) -> str:
    """The namespace of a predicate: up to and including its last '#' or '/'.

    >>> vocabulary("http://www.w3.org/2000/01/rdf-schema#label")
    'http://www.w3.org/2000/01/rdf-schema#'
    >>> vocabulary("http://www.wikidata.org/prop/direct/P31")
    'http://www.wikidata.org/prop/direct/'
    """
    cut = max(predicate.rfind("#"), predicate.rfind("/"))
    return predicate[:cut + 1]


def dataset_iri(root: str) -> str:
    return root + ".well-known/void#dataset"


def description(graph: Graph, root: str) -> list[Triple]:
    """The VoID/DCAT triples; ``root`` is the server's own address (endpoint, dumps)."""
    stats = statistics(graph)
    ds = NamedNode(dataset_iri(root))
    linkset = NamedNode(root + ".well-known/void#wikidata-links")
    wikidata = NamedNode(root + ".well-known/void#wikidata")
    out = [Triple(ds, RDF_TYPE, NamedNode(VOID + "Dataset")), Triple(ds, RDF_TYPE, NamedNode(DCAT + "Dataset"))]
    add = lambda s, p, o: out.append(Triple(s, NamedNode(p), o))  # noqa: E731 - local shorthand
    add(ds, DCTERMS + "title", Literal("Dialogue 5+5 knowledge graph", language="en"))
    add(ds, DCTERMS + "title", Literal("Graphe de connaissances du Dialogue 5+5", language="fr"))
    add(ds, DCTERMS + "description", Literal(
        "Facts of one news article about the 8th Ministerial Conference of the Dialogue 5+5 on Migration and "
        "Development (Marrakesh, 2020), one named graph per supporting sentence, linked to Wikidata.", language="en"))
    add(ds, DCTERMS + "license", NamedNode(LICENSE))
    out += _sources(graph, ds)
    add(ds, VOID + "triples", _integer(stats.triples))
    add(ds, VOID + "entities", _integer(stats.resources))
    add(ds, VOID + "sparqlEndpoint", NamedNode(root + "sparql"))
    add(ds, VOID + "uriSpace", Literal(graph.space.namespace + "id/"))
    for iri in stats.examples:
        add(ds, VOID + "exampleResource", NamedNode(iri))
    for vocab in dict.fromkeys((graph.space.namespace + "ontology#", *stats.vocabularies)):
        add(ds, VOID + "vocabulary", NamedNode(vocab))
    for name, media_type in DUMPS:
        dump = NamedNode(root + name)
        add(ds, VOID + "dataDump", dump)
        add(ds, DCAT + "distribution", dump)
        out.append(Triple(dump, RDF_TYPE, NamedNode(DCAT + "Distribution")))
        add(dump, DCAT + "downloadURL", dump)
        add(dump, DCAT + "mediaType", NamedNode("https://www.iana.org/assignments/media-types/" + media_type))
        add(dump, DCTERMS + "license", NamedNode(LICENSE))
    for iri, count in stats.graphs.items():
        add(ds, VOID + "subset", NamedNode(iri))
        add(NamedNode(iri), VOID + "triples", _integer(count))
    out += graph.derived_graphs()
    out.append(Triple(linkset, RDF_TYPE, NamedNode(VOID + "Linkset")))
    add(linkset, VOID + "linkPredicate", NamedNode(COMMON_PREFIXES["owl"] + "sameAs"))
    add(linkset, VOID + "subjectsTarget", ds)
    add(linkset, VOID + "objectsTarget", wikidata)
    add(linkset, VOID + "triples", _integer(stats.wikidata_links))
    add(ds, VOID + "subset", linkset)
    out.append(Triple(wikidata, RDF_TYPE, NamedNode(VOID + "Dataset")))
    add(wikidata, VOID + "uriSpace", Literal(WIKIDATA_ENTITY))
    add(wikidata, VOID + "sparqlEndpoint", NamedNode("https://query.wikidata.org/sparql"))
    return list(dict.fromkeys(out))  # a document never states a triple twice


RIGHTS = {
    "en": "The sentences quoted in this dataset (prov:value in its provenance graph) are from its sources "
          "(dcterms:source), to which they are attributed; their rights remain with their rights holders. "
          "The dataset's licence does not cover them, and no licence for them is known.",
    "fr": "Les phrases citées dans ce jeu de données (prov:value de son graphe de provenance) viennent de ses "
          "sources (dcterms:source), auxquelles elles sont attribuées ; leurs droits restent à leurs titulaires. "
          "La licence du jeu de données ne les couvre pas, et aucune licence n'en est connue.",
}


def _sources(graph: Graph, ds: NamedNode) -> list[Triple]:
    """``dcterms:source`` each source's address (its page, else the source itself) and what we know of the
    rights of the text quoted from them: that they are not ours to license. No licence is claimed for it."""
    triples = []
    for row in select(graph, "reading_sources"):
        pages = [r["o"] for r in select(graph, "reading_source", source=row["source"])
                 if r["p"].value == graph.space.namespace + "ontology#sourcePage" and isinstance(r["o"], NamedNode)]
        triples += [Triple(ds, NamedNode(DCTERMS + "source"), page) for page in (pages or [row["source"]])]
    if triples:
        triples += [Triple(ds, NamedNode(DCTERMS + "rights"), Literal(text, language=lang))
                    for lang, text in RIGHTS.items()]
    return triples


def _integer(n: int) -> Literal:
    return Literal(str(n), datatype=XSD_INTEGER)
