"""Dereferencing on a live server: 303s by Accept, documents by extension, 404/406, Link headers.

The matrices run against a real ``dialogue55 serve`` process whose namespace is
its own address, with real clients (requests, rdflib's parsers).
"""

from __future__ import annotations

import pytest
from rdflib import OWL, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

pytestmark = pytest.mark.live

RDF_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples", "rdf": "application/rdf+xml",
             "jsonld": "application/ld+json", "trig": "application/trig", "nq": "application/n-quads"}
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}


@pytest.mark.parametrize("accept, location", [
    ("text/html", "/page/morocco"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "/page/morocco"),
    ("*/*", "/page/morocco"),
    (None, "/page/morocco"),
    ("text/turtle", "/data/morocco.ttl"),
    ("application/n-triples", "/data/morocco.nt"),
    ("application/rdf+xml", "/data/morocco.rdf"),
    ("application/ld+json", "/data/morocco.jsonld"),
    ("application/trig", "/data/morocco.trig"),
    ("application/n-quads", "/data/morocco.nq"),
    ("application/rdf+xml;q=0.5, text/turtle", "/data/morocco.ttl"),
    ("text/html;q=0.1, application/ld+json", "/data/morocco.jsonld"),
])
def test_an_iri_answers_303_to_the_document_asked_for(live_server, accept, location):
    headers = {"Accept": accept} if accept else {}
    response = live_server.get("id/morocco", headers=headers)
    assert response.status_code == 303
    assert response.headers["Location"] == location
    assert "Accept" in response.headers["Vary"]
    assert response.content == b""


def test_nothing_acceptable_is_a_406_naming_the_offers(live_server):
    response = live_server.get("id/morocco", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text
    assert live_server.get("data/morocco", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("path", ["id/no-such-thing", "page/no-such-thing", "data/no-such-thing.ttl",
                                  "id/Morocco", "id/%2E%2E", "graph/no-such-graph", "data/morocco.exe",
                                  "ontology/9.9.9", "wikidata/Q999999999"])
def test_unknown_things_are_404_never_an_empty_303(live_server, path):
    response = live_server.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert "Location" not in response.headers


def test_a_404_for_a_browser_is_a_helpful_page(live_server):
    response = live_server.get("id/no-such-thing", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert 'action="/search"' in response.text and "no-such-thing" in response.text


@pytest.mark.parametrize("path", ["page/morocco?out=x", "page/morocco?in=0", "page/morocco?lang=xx",
                                  "wikidata/not-an-id", "search?q=" + "x" * 300])
def test_bad_parameters_are_400_with_a_message(live_server, path):
    response = live_server.get(path, headers={"Accept": "*/*"})
    assert response.status_code == 400
    assert len(response.text) > 20 and "Traceback" not in response.text


def parse(body: bytes, ext: str) -> Graph:
    parsed = Dataset(default_union=True)
    parsed.parse(data=body, format=RDFLIB_FORMATS[ext])
    graph = Graph()
    for triple in parsed.triples((None, None, None)):
        graph.add(triple)
    return graph


@pytest.mark.parametrize("slug", ["morocco", "dialogue-5-5", "8th-ministerial-conference", "article"])
def test_every_format_of_a_description_says_the_same(live_server, slug):
    graphs = {}
    for ext, media_type in RDF_TYPES.items():
        response = live_server.get(f"data/{slug}.{ext}")
        assert response.status_code == 200
        assert response.headers["Content-Type"].split(";")[0] == media_type
        graphs[ext] = parse(response.content, ext)
    first = graphs["ttl"]
    assert len(first) > 3
    for ext, graph in graphs.items():
        assert isomorphic(first, graph), f"{ext} differs from Turtle"


def test_a_description_has_statements_incoming_links_labels_and_evidence(live_server):
    graph = parse(live_server.get("data/morocco.ttl").content, "ttl")
    me = URIRef(live_server.url + "id/morocco")
    ns = live_server.url
    assert (me, URIRef(ns + "ontology#memberOf"), URIRef(ns + "id/dialogue-5-5")) in graph
    assert (URIRef(ns + "id/8th-ministerial-conference"), URIRef(ns + "ontology#presidedBy"), me) in graph
    # The label of a resource it mentions, and the quoted sentence of an evidence graph.
    labels = {str(o) for o in graph.objects(URIRef(ns + "id/dialogue-5-5"), None)}
    assert "Dialogue 5+5" in labels
    quote = graph.value(URIRef(ns + "graph/sentence-13"), URIRef("http://www.w3.org/ns/prov#value"))
    assert quote is not None and "Maroc" in str(quote)


def test_the_quads_keep_each_fact_in_the_graph_of_its_sentence(live_server):
    parsed = Dataset()
    parsed.parse(data=live_server.get("data/morocco.trig").content, format="trig")
    ns = live_server.url
    member_of = (URIRef(ns + "id/morocco"), URIRef(ns + "ontology#memberOf"), URIRef(ns + "id/dialogue-5-5"))
    graphs = {str(c.identifier) for c in parsed.graphs(member_of)} - {str(parsed.default_graph.identifier)}
    assert graphs == {ns + "graph/sentence-13"}
    # Since issue 14 the description is in the default graph too, once per triple.
    default = parsed.default_graph.identifier
    named = {triple for g in parsed.graphs() if g.identifier != default for triple in g}
    assert set(parsed.default_graph) == named and member_of in named


def test_data_without_extension_negotiates_and_says_where_it_is(live_server):
    response = live_server.get("data/morocco", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/n-triples")
    assert response.headers["Content-Location"] == "/data/morocco.nt"
    assert "Accept" in response.headers["Vary"]


def test_documents_state_their_canonical_address_and_alternates(live_server):
    links = live_server.get("data/morocco.ttl").headers["Link"]
    assert '</data/morocco.ttl>; rel="canonical"' in links
    assert '</page/morocco>; rel="alternate"; type="text/html"' in links
    assert '</data/morocco.jsonld>; rel="alternate"; type="application/ld+json"' in links
    page = live_server.get("page/morocco").headers["Link"]
    assert 'rel="canonical"' in page and '</data/morocco.rdf>; rel="alternate"; type="application/rdf+xml"' in page
    assert 'hreflang="ar"' in page


@pytest.mark.parametrize("accept, kind", [("text/html", "text/html"), ("text/turtle", "text/turtle"),
                                          ("application/n-quads", "application/n-quads")])
def test_a_graph_iri_serves_its_content_by_accept(live_server, accept, kind):
    response = live_server.get("graph/sentence-13", headers={"Accept": accept})
    if kind == "text/html":  # people are sent to the sentence in the reading view; its table is .html
        assert response.status_code == 303 and response.headers["Location"] == "/read/article#sentence-13"
        response = live_server.get("graph/sentence-13.html")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(kind)
    if kind == "text/html":
        assert "Il regroupe les dix pays" in response.text


def test_a_graph_holds_exactly_its_statements(live_server):
    graph = parse(live_server.get("graph/sentence-13.nt").content, "nt")
    subjects = {str(s).rsplit("/", 1)[-1] for s in graph.subjects()}
    assert "portugal" in subjects and "8th-ministerial-conference" not in subjects


def test_a_wikidata_id_leads_to_our_resource(live_server):
    response = live_server.get("wikidata/Q1028")
    assert response.status_code == 303 and response.headers["Location"] == "/id/morocco"
    assert live_server.get("wikidata/Q7330070").status_code == 404  # used, but not owl:sameAs ours


@pytest.mark.parametrize("accept, kind", [("text/html", "text/html"), ("text/turtle", "text/turtle"),
                                          ("application/rdf+xml", "application/rdf+xml"),
                                          ("application/n-triples", "application/n-triples"),
                                          ("application/ld+json", "application/ld+json")])
def test_the_ontology_is_served_for_people_and_machines(live_server, accept, kind):
    response = live_server.get("ontology", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(kind)
    if kind == "text/html":
        assert 'id="Forum"' in response.text and 'id="memberOf"' in response.text
    else:
        ext = {v: k for k, v in RDF_TYPES.items()}[kind]
        graph = parse(response.content, ext)
        forum = URIRef(live_server.url + "ontology#Forum")
        assert (forum, None, None) in graph


def test_the_ontology_version_iri_leads_to_the_ontology(live_server):
    response = live_server.get("ontology/2.0.0", headers={"Accept": "text/turtle"})
    assert response.status_code == 303 and response.headers["Location"] == "/ontology"


def test_the_prior_version_stays_retrievable_as_published(live_server):
    """Version 1.0.0 aligned with owl:equivalentProperty; its version IRI still answers its own text."""
    response = live_server.get("ontology/1.0.0")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    graph = parse(response.content, "ttl")
    ontology = URIRef("https://w3id.org/dialogue55/ontology")
    assert (ontology, OWL.versionInfo, Literal("1.0.0")) in graph
    assert (None, OWL.equivalentProperty, None) in graph
    current = live_server.get("ontology.ttl")
    assert "owl:equivalentProperty wdt:" not in current.text and "2.0.0" in current.text
    assert live_server.get("ontology/0.9.0").status_code == 404


def test_head_works_and_has_no_body(live_server):
    import requests

    for path in ("id/morocco", "page/morocco", "data/morocco.ttl", "ontology", "graph/sentence-01"):
        response = requests.head(live_server.url + path, allow_redirects=False, timeout=30)
        assert response.status_code in (200, 303) and response.content == b""
