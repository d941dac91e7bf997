"""View models of the resource and graph pages: small dataclasses the templates read.

:func:`resource_page` turns a :class:`~server.site.descriptions.Description` into a
:class:`ResourcePage`: the title and types in the reader's language, the
property table grouped by property, the incoming links, one numbered footnote
per evidence graph (the quoted sentence and its source), the Wikidata items,
the data links and the SPARQL query that reproduces the page.

Over an external engine, what the page reads about the IRIs it shows (labels,
types, Wikidata links, the footnotes' fields) is asked for in one request, and
the sources the footnotes cite in one more (:func:`prefetch`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Store

from ..graph import Graph, fixed_query
from ..http.i18n import fallback_chain, text
from ..http.negotiation import DATASETS, GRAPHS
from . import diagrams, jsonld, reading
from .descriptions import Description, Side, Statement
from .labels import LABEL_PROPERTIES
from .terms import Linker, Term, safe_url, wikidata_id

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
PROV = "http://www.w3.org/ns/prov#"
SOURCE_ADDRESS = "ontology#sourceAddress"
DCTERMS_DESCRIPTION = "http://purl.org/dc/terms/description"
# What a page reads about each IRI it shows, and about each evidence graph, asked for at once over an engine.
SHOWN_FACTS = (NamedNode(OWL_SAME_AS),)  # and the labels (see prefetch)
EVIDENCE_FACTS = (NamedNode(PROV + "value"), NamedNode(PROV + "wasDerivedFrom"), NamedNode(DCTERMS_DESCRIPTION))
FIRST_PROPERTIES = (RDF_TYPE, "http://www.w3.org/2004/02/skos/core#prefLabel",
                    "http://www.w3.org/2000/01/rdf-schema#label")


@dataclass(frozen=True)
class Value:
    term: Term
    notes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Row:
    """One property and its values (or, for incoming links, the resources that use it)."""

    property: Term
    values: list[Value]


@dataclass(frozen=True)
class Footnote:
    """An evidence graph: the quoted sentence (or what the graph is), its source."""

    number: int
    graph: Term
    quote: str = ""
    quote_lang: str = ""
    description: str = ""
    source: Term | None = None
    description_lang: str = ""


@dataclass(frozen=True)
class Pager:
    count: int
    page: int
    pages: int
    previous: str | None = None
    next: str | None = None


@dataclass
class ResourcePage:
    iri: str
    title: Term
    types: list[Term]
    rows: list[Row]
    incoming: list[Row]
    out_pager: Pager
    in_pager: Pager
    footnotes: list[Footnote]
    same_as: list[Term]
    data_links: list[Term]
    sparql: str
    sparql_href: str
    jsonld: dict
    diagrams: list = field(default_factory=list)


def resource_page(graph: Graph, linker: Linker, d: Description, data_path: str, page_path: str) -> ResourcePage:
    """The view model of a resource page (``page_path`` is where it is served, for pagers)."""
    store = graph.store
    prefetch(graph, [st for side in (d.outgoing, d.incoming) for st in side.statements], d.evidence,
             linker.labels.lang, [reading.source_select(graph, d.iri)], [d.iri])
    notes = {g.value: n for n, g in enumerate(d.evidence, start=1)}
    outgoing = d.outgoing.statements
    page = ResourcePage(
        iri=d.iri,
        title=linker.iri(d.iri),
        types=[linker.term(st.object) for st in outgoing if st.predicate.value == RDF_TYPE],
        rows=rows(linker, outgoing, "object", notes),
        incoming=rows(linker, d.incoming.statements, "subject", notes),
        out_pager=pager(linker, d.outgoing, page_path, "out", d.incoming.page),
        in_pager=pager(linker, d.incoming, page_path, "in", d.outgoing.page),
        footnotes=[footnote(store, linker, n, g) for n, g in enumerate(d.evidence, start=1)],
        same_as=[linker.term(st.object) for st in outgoing
                 if st.predicate.value == OWL_SAME_AS and wikidata_id(st.object.value or "")],
        data_links=data_links(data_path),
        sparql=reproducing_query(d.iri),
        sparql_href="/sparql?" + _query_string(reproducing_query(d.iri)),
        jsonld=jsonld.describe(linker, d),
    )
    page.diagrams = diagrams.for_description(linker, d)
    return page


def prefetch(graph: Graph, statements: list[Statement], evidence: list[NamedNode], lang: str, selects=(),
             iris=()) -> None:
    """Over an engine, read in one request what a page in ``lang`` shows about the IRIs of ``statements``
    and ``iris`` (their labels in ``lang`` only, see ``RemoteStore.label_quads``), about the ``evidence``
    graphs and about the sources they cite (with the fixed ``selects``)."""
    if not graph.batches:
        return
    shown = {t for st in statements for t in (st.subject, st.object) if isinstance(t, NamedNode)} \
        | {NamedNode(iri) for iri in iris}
    properties = {st.predicate for st in statements} - shown  # named, never linked to Wikidata on a page
    source = (*LABEL_PROPERTIES, NamedNode(graph.space.namespace + SOURCE_ADDRESS))
    named = sorted(shown | properties | set(evidence), key=str)
    graph.prefetch(facts=[(sorted(shown, key=str), SHOWN_FACTS), (evidence, EVIDENCE_FACTS),
                          (evidence, source, NamedNode(PROV + "wasDerivedFrom"))],
                   labels=[(named, LABEL_PROPERTIES, lang)], selects=selects)


def rows(linker: Linker, statements: list[Statement], other: str, notes: dict[str, int]) -> list[Row]:
    """Statements grouped by property; types and labels first, then by property label."""
    grouped: dict[str, list[Statement]] = {}
    for st in statements:
        grouped.setdefault(st.predicate.value, []).append(st)
    result = [Row(linker.iri(p), [value(linker, st, other, notes) for st in group]) for p, group in grouped.items()]
    first = {p: i for i, p in enumerate(FIRST_PROPERTIES)}
    return sorted(result, key=lambda r: (first.get(r.property.iri, len(first)), r.property.text.casefold()))


def value(linker: Linker, st: Statement, other: str, notes: dict[str, int]) -> Value:
    return Value(linker.term(getattr(st, other)), tuple(notes[g.value] for g in st.graphs if g.value in notes))


def pager(linker: Linker, side: Side, path: str, name: str, other_page: int) -> Pager:
    """Links to the previous and next pages of one side, keeping the other side's page."""
    other = {"in": "out", "out": "in"}[name]

    def link(page: int) -> str:
        return linker.local(path, **{name: page if page > 1 else None, other: other_page if other_page > 1 else None})

    return Pager(side.count, side.page, side.pages,
                 link(side.page - 1) if side.page > 1 else None,
                 link(side.page + 1) if side.page < side.pages else None)


def footnote(store: Store, linker: Linker, number: int, graph: NamedNode) -> Footnote:
    """What a reader needs to check a fact: the sentence of graph ``graph`` and its source."""
    quote = _first(store, graph, PROV + "value")
    origin = _first(store, graph, PROV + "wasDerivedFrom")
    description = _first(store, graph, DCTERMS_DESCRIPTION, linker.choice.lang)
    source, sentence = None, linker.iri(graph.value)
    if isinstance(origin, NamedNode):
        address = _first(store, origin, linker.space.namespace + SOURCE_ADDRESS)
        article = linker.iri(origin.value)
        url = safe_url(address.value) if isinstance(address, Literal) else None
        source = Term(article.text, url or article.href, article.lang, external=bool(url), iri=origin.value)
        sentence = _at_sentence(linker, sentence, origin, graph) if isinstance(quote, Literal) else sentence
    return Footnote(number, sentence,
                    quote.value if isinstance(quote, Literal) else "",
                    (quote.language or "") if isinstance(quote, Literal) else "",
                    description.value if isinstance(description, Literal) and not quote else "",
                    source, (description.language or "") if isinstance(description, Literal) else "")


def _at_sentence(linker: Linker, sentence: Term, source: NamedNode, graph: NamedNode) -> Term:
    """A quoted sentence's graph, linked to that sentence in its source's reading view (``/read/{source}#{graph}``)."""
    slug, name = linker.space.slug(source.value), linker.space.slug(graph.value, "graph")
    if slug is None or name is None:
        return sentence
    return Term(sentence.text, linker.local(f"/read/{slug}#{name}"), sentence.lang, iri=sentence.iri)


def _first(store: Store, subject: NamedNode, predicate: str, lang: str | None = None):
    """The first object of (subject, predicate), preferring literals in ``lang`` when given.

    Objects are first put in the order of their N-Triples form, so the choice does
    not depend on a store's index order (which differs between the embedded store
    and an external engine).
    """
    found = itertools.islice(store.quads_for_pattern(subject, NamedNode(predicate), None, None), 20)
    objects = sorted({q.object for q in found}, key=str)
    if lang:
        chain = fallback_chain(lang)
        objects.sort(key=lambda o: chain.index(o.language or "") if isinstance(o, Literal)
                     and (o.language or "") in chain else len(chain))
    return objects[0] if objects else None


def data_links(data_path: str) -> list[Term]:
    """Links to this description in every RDF format served for it."""
    return [Term(f.name, f"{data_path}.{f.name}", note=f.media_type) for f in GRAPHS + DATASETS]


def reproducing_query(iri: str) -> str:
    """The SPARQL query a reader can run at /sparql to see the facts of this page with their evidence."""
    return fixed_query("page").replace("$resource", str(NamedNode(iri)))


def _query_string(query: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"query": query})


def ui_count(n: int, lang: str) -> str:
    return text("count", lang).format(n=n)
