"""Blueprint: the ontology's own document at ``/ontology``, as the W3C "Best Practice Recipes
for Publishing RDF Vocabularies" describe (hash namespace: one document for every term).

Browsers get HTML documentation with one anchor per term, so ``…/ontology#Forum``
lands on the class Forum: its labels, comment, superclasses and alignments
(Wikidata, schema.org), domains, ranges, inverses, and some of its instances.
Machines get the ontology graph in Turtle, RDF/XML, N-Triples, JSON-LD, TriG or
N-Quads, by Accept or by extension (``/ontology.ttl``). The version IRI
(``…/ontology/1.0.0``) answers 303 to the ontology.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from flask import Blueprint
from pyoxigraph import Literal, NamedNode

from ..dataset.sources import RELEASES
from ..graph import current as graph
from ..http import caching, negotiation, problems, representations
from ..http.negotiation import HTML
from . import reader, resources
from .descriptions import Statement, select, statement_order
from .labels import LABEL_PROPERTIES
from .pages import Row, rows
from .terms import Term

bp = Blueprint("ontology", __name__)
caching.register(bp, lambda: graph().version)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
DCTERMS = "http://purl.org/dc/terms/"
CLASS_TYPES = (OWL + "Class",)
PROPERTY_TYPES = (OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty")
SHOWN_ELSEWHERE = (RDFS + "label", RDFS + "comment", RDFS + "isDefinedBy")
MAX_TERM_STATEMENTS = 200


@dataclass(frozen=True)
class TermDoc:
    anchor: str
    iri: str
    label: Term
    comment: str
    comment_lang: str
    rows: list[Row]
    incoming: list[Row]
    instances: list[Term]
    instance_count: int | None


@dataclass(frozen=True)
class OntologyDoc:
    iri: str
    title: str
    description: str
    version: str
    license: Term | None
    namespace: str
    classes: list[TermDoc]
    properties: list[TermDoc]
    data_links: list[Term]


@bp.route("/ontology")
def ontology():
    fmt = resources.acceptable(resources.DOCUMENT_OFFERS)
    return document(fmt)


@bp.route("/ontology.<ext>")
def ontology_as(ext: str):
    _, fmt = resources.document_format("ontology." + ext, resources.RDF_OFFERS)
    return document(fmt)


@bp.route("/ontology/<version>")
def version(version: str):
    """The version IRI of the ontology: 303 to the ontology document."""
    try:
        iri = NamedNode(graph().space.ontology + "/" + version)
    except ValueError:  # a path segment no IRI can hold (space, <, >, NUL...) names no version
        raise problems.NotFound(f"there is no version {version[:40]!r} of the ontology") from None
    if _states(OWL + "versionIRI", iri):
        return resources.see_other("/ontology", resources.rdf_alternates("/ontology"))
    if _states(OWL + "priorVersion", iri):
        return _prior_release(version)
    raise problems.NotFound(f"there is no version {version[:40]!r} of the ontology")


def _states(predicate: str, iri: NamedNode) -> bool:
    return any(True for _ in graph().store.quads_for_pattern(None, NamedNode(predicate), iri, None))


def _prior_release(version: str):
    """A prior version, as it was published (Turtle), from the ontology folder's ``releases/``."""
    folder = graph().source.ontology
    path = folder / RELEASES / f"{version}.ttl" if folder is not None else None
    if path is None or not path.is_file():
        raise problems.Gone(f"version {version} of the ontology is superseded by the current one, at /ontology; "
                            "its text is not kept on this server")
    fmt = negotiation.BY_NAME["ttl"]
    return representations.bytes_response(path.read_bytes(), fmt)


def document(fmt):
    g = ontology_graph()
    if fmt is HTML:
        doc = documentation(g)
        return reader.html("ontology.html", "/ontology", resources.rdf_alternates("/ontology"), doc=doc)
    return resources.with_links(resources.graph_document(g, fmt), "/ontology", fmt, "/ontology")


def ontology_graph() -> NamedNode:
    """The named graph that holds the ontology (the one declaring ``<ontology> a owl:Ontology``)."""
    declared = graph().store.quads_for_pattern(NamedNode(graph().space.ontology), NamedNode(RDF + "type"),
                                               NamedNode(OWL + "Ontology"), None)
    for quad in declared:
        if isinstance(quad.graph_name, NamedNode):  # not the default graph, which holds the union
            return quad.graph_name
    raise problems.NotFound("this dataset publishes no ontology")


def documentation(g: NamedNode) -> OntologyDoc:
    """The view model of the ontology documentation."""
    linker = reader.linker()
    space = graph().space
    iri = space.ontology
    node = NamedNode(iri)
    graph().prefetch(graphs=[g])  # over an engine: the ontology graph whole, in one request
    terms = _terms(g, space.namespace + "ontology#")
    _prefetch(g, [NamedNode(t) for t in terms if terms[t] == "class"])
    license_ = _object(node, DCTERMS + "license", g)
    return OntologyDoc(
        iri=iri,
        title=_text(node, DCTERMS + "title", g, linker.choice.lang)[0] or "Ontology",
        description=_text(node, DCTERMS + "description", g, linker.choice.lang)[0],
        version=_literal(_object(node, OWL + "versionInfo", g)),
        license=linker.term(license_) if license_ is not None else None,
        namespace=space.namespace + "ontology#",
        classes=[term_doc(linker, t, g, True) for t in terms if terms[t] == "class"],
        properties=[term_doc(linker, t, g, False) for t in terms if terms[t] == "property"],
        data_links=[Term(f.name, f"/ontology.{f.name}", note=f.media_type) for f in resources.RDF_OFFERS],
    )


def _prefetch(g: NamedNode, classes: list[NamedNode]) -> None:
    """Over an engine: the instances of every class and their counts in one request, then the labels
    of every IRI the documentation shows in one more."""
    if not graph().batches:
        return
    instances = [(graph().query_text("instances"), {"type": c}) for c in classes]
    counts = [(graph().query_text("instance_count"), {"type": c}) for c in classes
              if graph().known_count("instance_count", type=c) is None]
    graph().prefetch(selects=instances + counts)
    shown = {t for q in graph().store.quads_for_pattern(None, None, None, g)
             for t in (q.subject, q.predicate, q.object) if isinstance(t, NamedNode)}
    shown |= {r["s"] for c in classes for r in select(graph(), "instances", type=c) if isinstance(r["s"], NamedNode)}
    graph().prefetch(facts=[(sorted(shown, key=str), LABEL_PROPERTIES)])


def term_doc(linker, iri: str, g: NamedNode, is_class: bool) -> TermDoc:
    node = NamedNode(iri)
    outgoing = [Statement(q.subject, q.predicate, q.object, (g,)) for q in _quads(node, None, g)
                if q.predicate.value not in SHOWN_ELSEWHERE]
    incoming = [Statement(q.subject, q.predicate, q.object, (g,)) for q in _quads(None, node, g)]
    outgoing.sort(key=statement_order)
    incoming.sort(key=statement_order)
    comment, comment_lang = _text(node, RDFS + "comment", g, linker.choice.lang)
    instances, count = [], None
    if is_class:
        found = select(graph(), "instances", type=node)
        instances = sorted((linker.term(r["s"]) for r in found), key=lambda t: (t.text.casefold(), t.iri))
        count = graph().count("instance_count", type=node)
    return TermDoc(iri.rsplit("#", 1)[-1], iri, linker.iri(iri), comment, comment_lang,
                   rows(linker, outgoing, "object", {}), rows(linker, incoming, "subject", {}), instances, count)


def _terms(g: NamedNode, namespace: str) -> dict[str, str]:
    """Terms of our namespace declared in the ontology graph: IRI -> 'class' or 'property'."""
    found: dict[str, str] = {}
    for quad in graph().store.quads_for_pattern(None, NamedNode(RDF + "type"), None, g):
        subject = quad.subject.value if isinstance(quad.subject, NamedNode) else ""
        if subject.startswith(namespace):
            if quad.object.value in CLASS_TYPES:
                found[subject] = "class"
            elif quad.object.value in PROPERTY_TYPES:
                found.setdefault(subject, "property")
    return dict(sorted(found.items(), key=lambda item: item[0].casefold()))


def _quads(subject, obj, g):
    return itertools.islice(graph().store.quads_for_pattern(subject, None, obj, g), MAX_TERM_STATEMENTS)


def _object(subject: NamedNode, predicate: str, g: NamedNode):
    """The first object of (subject, predicate) in ``g``, in N-Triples order (not a store's index order)."""
    found = itertools.islice(graph().store.quads_for_pattern(subject, NamedNode(predicate), None, g), 20)
    return min((q.object for q in found), key=str, default=None)


def _text(subject: NamedNode, predicate: str, g: NamedNode, lang: str) -> tuple[str, str]:
    """A literal in ``lang``, else English, else any: (text, its language)."""
    literals = sorted((q.object for q in itertools.islice(
        graph().store.quads_for_pattern(subject, NamedNode(predicate), None, g), 20) if isinstance(q.object, Literal)),
        key=str)
    for tag in (lang, "en", "fr", None):
        for lit in literals:
            if tag is None or lit.language == tag:
                return lit.value, lit.language or ""
    return "", ""


def _literal(term) -> str:
    return term.value if isinstance(term, Literal) else ""
