"""The SPARQL 1.1 Service Description of ``/sparql``, as RDF.

https://www.w3.org/TR/sparql11-service-description/ : what a client reads to
learn what the endpoint does before sending a query. Ours says: the endpoint's
address, the language (SPARQL 1.1 Query; no update), the result formats, the
features (the default graph is the union of the named graphs; SERVICE to an
allow-list), the default dataset with each named graph and its triple count,
the prefixes every query may use without declaring them (as SHACL prefix
declarations, ``sh:declare``), and the limits in force.

The limits have no term in the standard vocabulary, so they use the server's
own terms under ``{namespace}service#``.
"""

from __future__ import annotations

from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..http import negotiation

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
VOID_TRIPLES = NamedNode("http://rdfs.org/ns/void#triples")
SH = "http://www.w3.org/ns/shacl#"

# The W3C's identifiers of the formats we answer in (https://www.w3.org/ns/formats/).
FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV", "ttl": "Turtle", "nt": "N-Triples", "rdf": "RDF_XML",
    "jsonld": "JSON-LD", "n3": "N3", "trig": "TriG", "nq": "N-Quads",
}


def _sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def describe(graph, endpoint: str) -> list[Triple]:
    """The description of the endpoint at ``endpoint`` serving ``graph``."""
    service = BlankNode()
    own = graph.space.namespace + "service#"
    triples = [
        Triple(service, RDF_TYPE, _sd("Service")),
        Triple(service, _sd("endpoint"), NamedNode(endpoint)),
        Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        Triple(service, _sd("feature"), _sd("BasicFederatedQuery")),
        Triple(service, _sd("defaultEntailmentRegime"), NamedNode("http://www.w3.org/ns/entailment/Simple")),
    ]
    triples += [Triple(service, _sd("resultFormat"), NamedNode(FORMATS + FORMAT_IRIS[f.name]))
                for f in negotiation.RESULTS + negotiation.GRAPHS + negotiation.DATASETS]
    triples += _limits(service, own, graph.settings)
    triples += _prefixes(service, graph.space.prefixes)
    triples += graph.derived_graphs()
    triples += _dataset(service, graph)
    return triples


def _limits(service: BlankNode, own: str, settings: dict) -> list[Triple]:
    def number(value, datatype):
        return Literal(str(value), datatype=NamedNode(XSD + datatype))

    triples = [
        Triple(service, NamedNode(own + "queryTimeout"), number(f"PT{settings['query_timeout']:g}S", "dayTimeDuration")),
        Triple(service, NamedNode(own + "maxResultRows"), number(settings["max_result_rows"], "integer")),
        Triple(service, NamedNode(own + "maxQueryLength"), number(settings["max_query_length"], "integer")),
        Triple(service, NamedNode(own + "maxNesting"), number(settings["max_nesting"], "integer")),
    ]
    triples += [Triple(service, NamedNode(own + "allowedService"), NamedNode(iri))
                for iri in settings["service_allowlist"]]
    return triples


def _prefixes(service: BlankNode, prefixes: dict[str, str]) -> list[Triple]:
    triples = []
    for prefix, namespace in sorted(prefixes.items()):
        declaration = BlankNode()
        triples += [
            Triple(service, NamedNode(SH + "declare"), declaration),
            Triple(declaration, NamedNode(SH + "prefix"), Literal(prefix)),
            Triple(declaration, NamedNode(SH + "namespace"), Literal(namespace, datatype=NamedNode(XSD + "anyURI"))),
        ]
    return triples


def _dataset(service: BlankNode, graph) -> list[Triple]:
    dataset, default = BlankNode(), BlankNode()
    sizes, total = graph_sizes(graph)
    triples = [
        Triple(service, _sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, _sd("Dataset")),
        Triple(dataset, _sd("defaultGraph"), default),
        Triple(default, RDF_TYPE, _sd("Graph")),
        Triple(default, VOID_TRIPLES, Literal(str(total), datatype=NamedNode(XSD + "integer"))),
    ]
    for name, count in sizes:
        named, described = BlankNode(), BlankNode()
        triples += [
            Triple(dataset, _sd("namedGraph"), named),
            Triple(named, RDF_TYPE, _sd("NamedGraph")),
            Triple(named, _sd("name"), NamedNode(name)),
            Triple(named, _sd("graph"), described),
            Triple(described, RDF_TYPE, _sd("Graph")),
            Triple(described, VOID_TRIPLES, Literal(str(count), datatype=NamedNode(XSD + "integer"))),
        ]
    return triples


@lru_cache(maxsize=4)
def graph_sizes(graph) -> tuple[tuple[tuple[str, int], ...], int]:
    """Each named graph with its triple count, and the distinct triples of the union.

    Counted once per graph: the dataset is read-only.
    """
    sizes = tuple((row["graph"].value, int(row["triples"].value)) for row in graph.select("service/graph-sizes"))
    rows = graph.select("service/default-graph-size")
    return sizes, int(rows[0]["triples"].value) if rows else 0
