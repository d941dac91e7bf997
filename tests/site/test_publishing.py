"""Dataset-level publishing on a live server: VoID/DCAT, dumps, sitemap, robots.txt, ETags and 304s."""

from __future__ import annotations

import re

import pytest
import requests
from rdflib import Dataset, Graph, Literal, Namespace, URIRef

pytestmark = pytest.mark.live

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
OWL_SAME_AS = URIRef("http://www.w3.org/2002/07/owl#sameAs")


@pytest.fixture(scope="module")
def void(live_server) -> Graph:
    response = live_server.get(".well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return Graph().parse(data=response.text, format="turtle")


def endpoint_count(live_server, query: str) -> int:
    response = live_server.get("sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_void_triples_equal_what_the_endpoint_counts(live_server, void):
    dataset = URIRef(live_server.url + ".well-known/void#dataset")
    published = int(void.value(dataset, VOID.triples))
    assert published == endpoint_count(live_server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert published == endpoint_count(
        live_server, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
    # Each named graph is a subset; together they count the quads.
    quads = endpoint_count(live_server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    subsets = [int(void.value(s, VOID.triples)) for s in void.objects(dataset, VOID.subset)
               if str(s).startswith(live_server.url + "graph/")]
    assert sum(subsets) == quads > published


def test_void_names_the_endpoint_namespace_examples_vocabularies_and_licence(live_server, void):
    dataset = URIRef(live_server.url + ".well-known/void#dataset")
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef(live_server.url + "sparql")
    assert void.value(dataset, VOID.uriSpace) == Literal(live_server.url + "id/")
    examples = {str(e).rsplit("/", 1)[-1] for e in void.objects(dataset, VOID.exampleResource)}
    assert {"dialogue-5-5", "8th-ministerial-conference"} <= examples
    vocabularies = set(void.objects(dataset, VOID.vocabulary))
    assert URIRef(live_server.url + "ontology#") in vocabularies
    assert URIRef("http://www.w3.org/ns/prov#") in vocabularies
    assert void.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None


def test_void_describes_the_wikidata_linkset_with_its_size(live_server, void):
    linkset = next(void.subjects(VOID.linkPredicate, OWL_SAME_AS))
    size = int(void.value(linkset, VOID.triples))
    assert size == endpoint_count(
        live_server, "SELECT (COUNT(*) AS ?n) WHERE { ?s owl:sameAs ?o FILTER(STRSTARTS(STR(?o), STR(wd:))) }")
    assert size >= 18


def test_the_distributions_are_complete_dumps(live_server, void):
    dataset = URIRef(live_server.url + ".well-known/void#dataset")
    dumps = sorted(str(d) for d in void.objects(dataset, DCAT.distribution))
    assert dumps == [live_server.url + "dump.nq", live_server.url + "dump.trig"]
    quads = endpoint_count(live_server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    for url, fmt in ((dumps[0], "nquads"), (dumps[1], "trig")):
        response = requests.get(url, timeout=30)
        assert response.status_code == 200
        parsed = Dataset()
        parsed.parse(data=response.content, format=fmt)
        assert sum(1 for _ in parsed.quads((None, None, None, None))) == quads
        assert len(parsed.default_graph) == 0  # named graphs only: evidence is where each fact sits
        names = {str(c.identifier) for c in parsed.graphs()}
        assert live_server.url + "graph/sentence-13" in names and live_server.url + "graph/provenance" in names


def test_the_sitemap_lists_every_page_with_language_alternates(live_server):
    response = live_server.get("sitemap.xml")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/xml")
    locations = re.findall(r"<loc>([^<]+)</loc>", response.text)
    subjects = endpoint_count(live_server, "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { { ?r ?p ?o } UNION "
                                           "{ ?x ?p ?r } FILTER(isIRI(?r) && STRSTARTS(STR(?r), STR(d55:))) }")
    pages = [loc for loc in locations if "/page/" in loc]
    assert len(pages) == subjects
    assert live_server.url + "ontology" in locations and live_server.url + "graph/sentence-01" in locations
    assert f'hreflang="ar" href="{live_server.url}page/morocco?lang=ar"' in response.text
    for loc in pages[:5]:
        assert live_server.get(loc[len(live_server.url):]).status_code == 200


def test_robots_txt_points_to_the_sitemap(live_server):
    response = live_server.get("robots.txt")
    assert response.status_code == 200 and f"Sitemap: {live_server.url}sitemap.xml" in response.text


PUBLISHED = ["", "id/morocco", "page/morocco", "page/morocco?lang=ar", "data/morocco.ttl", "data/morocco",
             "graph/sentence-01", "graph/sentence-01.nq", "ontology", "ontology.ttl", "ontology/1.0.0", "ontology/2.0.0",
             "wikidata/Q1028", "search?q=maroc", ".well-known/void", "dump.trig", "dump.nq", "sitemap.xml",
             "robots.txt"]


@pytest.mark.parametrize("path", PUBLISHED)
def test_every_published_response_has_a_strong_etag_and_answers_304(live_server, path):
    first = live_server.get(path)
    assert first.status_code in (200, 303)
    tag = first.headers["ETag"]
    assert tag.startswith('"') and not tag.startswith("W/")
    assert "max-age" in first.headers["Cache-Control"]
    again = live_server.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == tag
    assert live_server.get(path, headers={"If-None-Match": '"other"'}).status_code == first.status_code
    head = requests.head(live_server.url + path, allow_redirects=False, timeout=30)
    assert head.status_code == first.status_code and head.headers["ETag"] == tag


def test_etags_differ_between_representations(live_server):
    tags = {live_server.get("data/morocco", headers={"Accept": accept}).headers["ETag"]
            for accept in ("text/turtle", "application/n-triples", "application/ld+json")}
    tags |= {live_server.get("page/morocco", headers={"Accept-Language": lang}).headers["ETag"] for lang in ("fr", "ar")}
    assert len(tags) == 5


def test_another_dataset_gives_other_etags(live_server, tmp_path):
    from tests.live import running_server

    (tmp_path / "extra.ttl").write_text("<https://w3id.org/dialogue55/id/morocco> "
                                        "<http://www.w3.org/2000/01/rdf-schema#comment> \"x\" .\n")
    with running_server("--data", str(tmp_path), "--data", "data", base_iri=False) as other:
        assert other.get("dump.nq").headers["ETag"] != live_server.get("dump.nq").headers["ETag"]


def test_favicon_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response.headers["Location"])
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


@pytest.mark.parametrize("path", [*PUBLISHED, "sparql?query=ASK%7B%7D", "context.jsonld"])
def test_a_weak_form_of_the_etag_matches_on_every_route(live_server, path):
    """If-None-Match compares weakly (RFC 9110 13.1.2): a proxy that compresses turns "t" into W/"t".

    Asked twice, so the second answer comes from the response cache, which must agree."""
    tag = live_server.get(path).headers["ETag"]
    answers = [live_server.get(path, headers={"If-None-Match": f'W/{tag}'}) for _ in range(2)]
    assert [a.status_code for a in answers] == [304, 304]
    assert answers[1].headers["Cache-Status"] == "dialogue55; hit"
    assert all(a.headers["ETag"] == tag for a in answers)
    listed = live_server.get(path, headers={"If-None-Match": f'W/"other", W/{tag}'})
    assert listed.status_code == 304
    assert live_server.get(path, headers={"If-None-Match": 'W/"other"'}).status_code in (200, 303)
