"""Blueprint: the site around the data: home page, label search, VoID, dumps, sitemap, robots.txt.

``/`` is also an entry point for machines: a client asking for RDF gets
303 to the VoID description, which leads to everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree import ElementTree

from flask import Blueprint, current_app, redirect, request, url_for
from pyoxigraph import Literal, NamedNode, RdfFormat, serialize

from ..dataset import sources
from ..graph import current as graph
from ..http import caching, negotiation, problems, representations
from ..http.i18n import LANGUAGES
from ..http.negotiation import GRAPHS, HTML, Format
from . import reader, reading, resources, void
from .descriptions import select
from .labels import LABEL_PROPERTIES
from .search import search as search_labels
from .terms import Term

bp = Blueprint("site", __name__)
caching.register(bp, lambda: graph().version)

JSON = Format("json", "application/json")
SECTIONS = (("forum", "Forum"), ("conference", "Conference"), ("states", "State"),
            ("organizations", "Organization"), ("themes", "Theme"), ("article", "NewsArticle"))
SITEMAP_CHUNK = 10_000  # URLs per sitemap file (the protocol allows 50,000)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class Section:
    key: str
    terms: list[Term]
    count: int


@bp.route("/")
def home():
    fmt = resources.acceptable((HTML,) + GRAPHS)
    if fmt is not HTML:
        return resources.see_other("/.well-known/void", [])
    return reader.html("home.html", "/", [reader.Alternate("/.well-known/void", type="text/turtle")],
                       sections=sections(), sources=reading.sources(graph(), reader.linker()),
                       namespace=graph().space.namespace)


def sections() -> list[Section]:
    """What the home page leads to: instances of the main classes, labelled and sorted.

    Over an engine: one request for the instances, their counts and the sources
    (for :func:`reading.sources`), one for the labels of them all.
    """
    linker = reader.linker()
    classes = [NamedNode(graph().space.namespace + "ontology#" + name) for _, name in SECTIONS]
    _prefetch(classes)
    found = []
    for (key, _), cls in zip(SECTIONS, classes):
        terms = [linker.term(r["s"]) for r in select(graph(), "instances", type=cls)]
        found.append(Section(key, sorted(terms, key=lambda t: t.text.casefold()),
                             graph().count("instance_count", type=cls)))
    return found


def _prefetch(classes: list[NamedNode]) -> None:
    g = graph()
    if not g.batches:
        return
    g.prefetch(selects=[(g.query_text("instances"), {"type": c}) for c in classes]
               + [(g.query_text("instance_count"), {"type": c}) for c in classes
                  if g.known_count("instance_count", type=c) is None]
               + [(g.query_text("reading_sources"), {})])
    shown = [r["s"] for c in classes for r in select(g, "instances", type=c)]
    shown += [r["source"] for r in g.select("reading_sources")]
    g.prefetch(facts=[([t for t in shown if isinstance(t, NamedNode)], LABEL_PROPERTIES)])


@bp.route("/search")
def search():
    fmt = negotiation.negotiate((HTML, JSON), request.headers.get("Accept"), request.args.get("format"))
    if fmt is None:
        raise problems.NotAcceptable("search results are offered as text/html or application/json")
    query = request.args.get("q", "")
    linker = reader.linker()
    results = [(linker.iri(e.iri), e) for e in search_labels(graph(), query)]
    if fmt is JSON:
        body = {"query": query, "results": [
            {"iri": e.iri, "label": term.text, "matched": e.text, "matched_lang": e.lang, "page": term.href}
            for term, e in results]}
        response = current_app.response_class(current_app.json.dumps(body), content_type="application/json")
        response.vary.update(["Accept", "Accept-Language"])
        return response
    return reader.html("search.html", "/search", [], query=query, results=results)


@bp.route("/.well-known/void")
def void_description():
    fmt = resources.acceptable(GRAPHS)
    return resources.triples_response(void.description(graph(), request.host_url), fmt)


@bp.route("/dump.<ext>")
def dump(ext: str):
    """The whole dataset, every named graph (evidence included)."""
    fmt = next((f for f in negotiation.DATASETS if f.name == ext), None)
    if fmt is None:
        raise problems.NotFound(f"no dump in .{ext[:20]}; there are /dump.trig and /dump.nq")
    body = serialize(sources.named_quads(graph().store), format=RdfFormat.from_media_type(fmt.writer),
                     prefixes=graph().space.prefixes if fmt.name == "trig" else None)
    return representations.bytes_response(body, fmt)


@bp.route("/sitemap.xml")
def sitemap():
    """Every page, with its language alternates; a sitemap index when there are too many."""
    prefix = Literal(graph().space.namespace + "id/")
    counted = select(graph(), "resource_count", prefix=prefix)
    count = int(counted[0]["n"].value) if counted else 0
    if count > SITEMAP_CHUNK:
        chunks = (count + SITEMAP_CHUNK - 1) // SITEMAP_CHUNK
        return _xml(_index([f"{request.host_url}sitemap/{n}.xml" for n in range(1, chunks + 1)]))
    return _xml(_urlset(_site_paths() + _resource_paths(1)))


@bp.route("/sitemap/<int:chunk>.xml")
def sitemap_chunk(chunk: int):
    paths = _resource_paths(chunk) + (_site_paths() if chunk == 1 else [])
    if not paths:
        raise problems.NotFound(f"there is no sitemap number {chunk}")
    return _xml(_urlset(paths))


@bp.route("/robots.txt")
def robots():
    return representations.plain(
        "User-agent: *\nAllow: /\nDisallow: /sparql\nDisallow: /search\n"
        f"Sitemap: {request.host_url}sitemap.xml\n")


def _site_paths() -> list[str]:
    graphs = sorted(graph().space.slug(g.value, "graph") or "" for g in graph().store.named_graphs())
    readings = [urlsplit(term.href).path for term, _ in reading.sources(graph(), reader.linker())]
    return ["/", "/ontology"] + readings + [f"/graph/{name}" for name in graphs if name]


def _resource_paths(chunk: int) -> list[str]:
    rows = select(graph(), "resources", limit=SITEMAP_CHUNK, offset=(chunk - 1) * SITEMAP_CHUNK,
                  prefix=Literal(graph().space.namespace + "id/"))
    slugs = sorted(s for r in rows if (s := graph().space.slug(r["r"].value)))
    return [f"/page/{slug}" for slug in slugs]


def _urlset(paths: list[str]) -> ElementTree.Element:
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    root = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")
    base = request.host_url.rstrip("/")
    for path in paths:
        url = ElementTree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ElementTree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = base + path
        for lang in LANGUAGES:
            ElementTree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=lang,
                                   href=f"{base}{path}?lang={lang}")
    return root


def _index(urls: list[str]) -> ElementTree.Element:
    ElementTree.register_namespace("", SITEMAP_NS)
    root = ElementTree.Element(f"{{{SITEMAP_NS}}}sitemapindex")
    for url in urls:
        ElementTree.SubElement(ElementTree.SubElement(root, f"{{{SITEMAP_NS}}}sitemap"),
                               f"{{{SITEMAP_NS}}}loc").text = url
    return root


def _xml(root: ElementTree.Element):
    body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return current_app.response_class(body, content_type="application/xml; charset=utf-8")


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico before reading the page's icon link."""
    return redirect(url_for("static", filename="favicon.svg"), 301)
