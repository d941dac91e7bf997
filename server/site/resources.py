"""Blueprint: dereferenceable IRIs, as "Cool URIs for the Semantic Web" describes them.

- ``/id/{slug}`` names a thing, not a document: it answers 303 See Other to
  ``/page/{slug}`` (HTML) or ``/data/{slug}.{ext}`` (RDF), as the client asks.
- ``/page/{slug}`` is the HTML description, ``/data/{slug}[.{ext}]`` the RDF one.
- ``/graph/{name}[.{ext}]`` is a named graph: its content, for people and machines. A sentence
  graph asked for HTML answers 303 to its sentence in the reading view; its table stays at
  ``/graph/{name}.html``.
- ``/read/{slug}`` is the reading view of a source: its sentences with their statements.
- ``/wikidata/{Qid}`` answers 303 to our resource that is ``owl:sameAs`` the item.
"""

from __future__ import annotations

import json
import re

from flask import Blueprint, current_app, request
from pyoxigraph import NamedNode, Quad, RdfFormat, serialize

from ..dataset import sources
from ..dataset.iris import WIKIDATA_ENTITY, is_slug
from ..graph import current as graph
from ..http import caching, negotiation, problems, representations
from ..http.negotiation import DATASETS, GRAPHS, HTML
from . import compacted, context, descriptions, graph_pages, pages, reader, reading
from .reader import Alternate

bp = Blueprint("resources", __name__)
caching.register(bp, lambda: graph().version)

RDF_OFFERS = GRAPHS + DATASETS
JSONLD = negotiation.BY_NAME["jsonld"]
DOCUMENT_OFFERS = (HTML,) + RDF_OFFERS
QID = re.compile(r"^Q[1-9][0-9]{0,11}$")


@bp.route("/id/<slug>")
def identify(slug: str):
    """The thing itself: 303 to the document that describes it in the format asked for."""
    resource_iri(slug)
    fmt = acceptable(DOCUMENT_OFFERS)
    target = f"/page/{slug}" if fmt is HTML else f"/data/{slug}.{fmt.name}"
    return see_other(target + _lang_suffix(), rdf_alternates(f"/data/{slug}"))


@bp.route("/page/<slug>")
def page(slug: str):
    iri = resource_iri(slug, described=True)
    description = descriptions.describe(graph(), iri, page_number("out"), page_number("in"), page_size())
    view = pages.resource_page(graph(), reader.linker(), description, f"/data/{slug}", f"/page/{slug}")
    reading_href = reader.linker().local(f"/read/{slug}") if reading.is_source(graph(), iri) else None
    return reader.html("resource.html", f"/page/{slug}", rdf_alternates(f"/data/{slug}"), page=view,
                       reading_href=reading_href)


@bp.route("/read/<slug>")
def read(slug: str):
    """The reading view of a source: its sentences in order, each with the statements of its graph."""
    iri = resource_iri(slug)
    if not reading.is_source(graph(), iri):
        raise problems.NotFound(f"{slug[:80]!r} is not a source: no sentence graph is derived from it")
    view = reading.reading_view(graph(), reader.linker(), iri)
    return reader.html("reading.html", f"/read/{slug}", [Alternate(f"/page/{slug}", rel="about")], view=view)


@bp.route("/data/<name>")
def data(name: str):
    slug, fmt = document_format(name, RDF_OFFERS)
    iri = resource_iri(slug, described=True)
    description = descriptions.describe(graph(), iri, page_number("out"), page_number("in"), page_size())
    response = rdf(descriptions.quads(graph(), description), fmt)
    return with_links(response, f"/data/{slug}", fmt, f"/page/{slug}", description)


@bp.route("/graph/<name>")
def named_graph(name: str):
    slug, fmt = document_format(name, DOCUMENT_OFFERS)
    iri = graph_iri(slug)
    if fmt is HTML and slug == name and (sentence := reading.anchor_path(graph(), iri)) is not None:
        path, _, anchor = sentence.partition("#")
        return see_other(f"{path}{_lang_suffix()}#{anchor}", rdf_alternates(f"/graph/{slug}"))
    if fmt is HTML:
        return graph_pages.graph_page(slug, iri, page_number("page"), page_size(), f"/graph/{name}")
    return with_links(graph_document(_named(iri), fmt), f"/graph/{slug}", fmt, f"/graph/{slug}")


@bp.route(compacted.CONTEXT_PATH)
def jsonld_context():
    """The JSON-LD context of every JSON-LD document here, on its own, for clients to cache and reuse."""
    body = json.dumps({"@context": context.context(graph())}, ensure_ascii=False, indent=1).encode("utf-8")
    return representations.bytes_response(body, JSONLD)


@bp.route("/wikidata/<qid>")
def wikidata(qid: str):
    """303 to the resource of ours that is the same as Wikidata item ``qid``."""
    if not QID.match(qid):
        raise problems.BadRequest(f"{qid[:40]!r} is not a Wikidata item id (Q followed by digits)")
    rows = descriptions.select(graph(), "same_as", item=_named(WIKIDATA_ENTITY + qid))
    ours = sorted(r["s"].value for r in rows if graph().space.slug(r["s"].value))
    if not ours:
        raise problems.NotFound(f"no resource of this dataset is the same as Wikidata item {qid}")
    return see_other(graph().space.path(ours[0]), [])


# --- helpers --------------------------------------------------------------


def resource_iri(slug: str, described: bool = False) -> str:
    """The IRI of an existing resource, or :class:`problems.NotFound`. ``described``: the IRI of any slug,
    as it is about to be described, which finds whether it exists with the rest (over an engine, in the
    same request) and is the 404 if not."""
    iri = graph().space.iri("id", slug) if is_slug(slug) else None
    if iri is None or not (described or descriptions.exists(graph().store, iri)):
        raise problems.NotFound(f"there is no resource named {slug[:80]!r} here")
    return iri


def graph_iri(name: str) -> str:
    """The IRI of an existing named graph, or :class:`problems.NotFound`."""
    iri = graph().space.iri("graph", name) if is_slug(name) else None
    if iri is None or not graph().count("graph_count", g=_named(iri)):  # counted once: no request next time
        raise problems.NotFound(f"there is no named graph {name[:80]!r} here")
    return iri


def document_format(name: str, offers):
    """``(slug, format)`` from ``slug.ext`` (the extension decides) or ``slug`` (Accept decides)."""
    slug, dot, ext = name.partition(".")
    if dot:
        fmt = next((f for f in offers if f.name == ext), None)
        if fmt is None:
            raise problems.NotFound(f"no .{ext[:20]} representation; try one of "
                                  + ", ".join("." + f.name for f in offers if f is not HTML))
        return slug, fmt
    return slug, acceptable(offers)


def acceptable(offers):
    fmt = negotiation.negotiate(offers, request.headers.get("Accept"))
    if fmt is None:
        raise problems.NotAcceptable(f"this resource is offered as {negotiation.names(offers)}")
    return fmt


def page_number(name: str) -> int:
    value = request.args.get(name, "1")
    if not value.isdigit() or not 0 < int(value) < 10**9:
        raise problems.BadRequest(f"?{name}= must be a page number (1, 2, ...), not {value[:20]!r}")
    return int(value)


def page_size() -> int:
    return current_app.config["DIALOGUE55"]["page_size"]


def rdf(quads, fmt):
    """A description in ``fmt``: its triples, or for TriG and N-Quads its quads and its triples.

    In a dataset format the description is in the default graph as well as in
    the evidence graphs, so a client that asks the plain-triple question of
    the document (``SELECT * { <iri> ?p ?o }`` over it, or link traversal)
    finds the same answer as in Turtle.
    """
    triples = list(dict.fromkeys(q.triple for q in quads))
    if fmt in DATASETS:
        return representations.rdf([*(Quad(t.subject, t.predicate, t.object) for t in triples), *quads], fmt,
                                   graph().space.prefixes)
    return triples_response(triples, fmt)


def triples_response(triples, fmt):
    """Triples in ``fmt``: JSON-LD compacted with the dataset's context, the others by pyoxigraph."""
    if fmt.name == "jsonld" and len(triples) <= compacted.MAX_TRIPLES:
        return representations.bytes_response(compacted.document(triples, context.context(graph())), fmt)
    return representations.rdf(triples, fmt, graph().space.prefixes)


def graph_document(graph_name: NamedNode, fmt):
    """The whole named graph ``graph_name`` in ``fmt`` (in a dataset format, as that graph's quads)."""
    if fmt.name == "jsonld":
        triples = [q.triple for q in sources.graph_quads(graph().store, graph_name)]
        return triples_response(triples, fmt)
    body = graph().store.dump(format=_rdf_format(fmt), from_graph=graph_name, prefixes=graph().space.prefixes) \
        if fmt in GRAPHS else _graph_as_dataset(graph_name.value, fmt)
    return representations.bytes_response(body, fmt)


def rdf_alternates(path: str) -> list[Alternate]:
    return [Alternate(f"{path}.{f.name}", type=f.media_type) for f in RDF_OFFERS]


def with_links(response, path: str, fmt, html_path: str, description=None):
    """Content-Location, canonical, alternates and (for a paged description) next links."""
    response.headers["Content-Location"] = f"{path}.{fmt.name}"
    links = [Alternate(f"{path}.{fmt.name}", rel="canonical"), Alternate(html_path, type=HTML.media_type)]
    links += [a for a in rdf_alternates(path) if a.type != fmt.media_type]
    if description is not None:
        for side, key in ((description.outgoing, "out"), (description.incoming, "in")):
            if side.page < side.pages:
                links.append(Alternate(f"{path}.{fmt.name}?{key}={side.page + 1}", rel="next"))
    response.headers["Link"] = ", ".join(link.header() for link in links)
    return response


def see_other(location: str, alternates: list[Alternate]):
    response = current_app.response_class(status=303)
    response.headers["Location"] = location
    if alternates:
        response.headers["Link"] = ", ".join(a.header() for a in alternates)
    response.vary.add("Accept")
    return response


def _lang_suffix() -> str:
    lang = request.args.get("lang")
    return f"?lang={lang}" if lang in ("en", "fr", "ar") else ""


def _named(iri: str) -> NamedNode:
    return NamedNode(iri)


def _rdf_format(fmt) -> RdfFormat:
    return RdfFormat.from_media_type(fmt.writer)


def _graph_as_dataset(iri: str, fmt) -> bytes:
    quads = sources.graph_quads(graph().store, _named(iri))
    return serialize(quads, format=_rdf_format(fmt), prefixes=graph().space.prefixes)
