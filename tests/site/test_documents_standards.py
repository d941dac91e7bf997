"""Documents every client reads the same: compacted JSON-LD checked with PyLD offline, quads formats
with a default graph (checked with Comunica), labels of every IRI mentioned, VoID without repeats, N3."""

from __future__ import annotations

import collections
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib
from pyld import jsonld
from pyoxigraph import DefaultGraph, Literal, NamedNode, RdfFormat, parse
from rdflib.compare import isomorphic

from server.site.labels import LABEL_PROPERTIES
from tests.site.test_pages import parse_html

JS = Path(__file__).resolve().parents[1] / "js"
NS = "https://w3id.org/dialogue55/"
DOCUMENTS = ["/data/morocco", "/data/8th-ministerial-conference", "/graph/sentence-01", "/ontology",
             "/.well-known/void"]


def offline(url, options=None):
    """A PyLD document loader with no network: any remote context makes the test fail."""
    raise AssertionError(f"the JSON-LD processor had to fetch {url}")


def _jsonld_graph(body: bytes) -> rdflib.Graph:
    """The graph of a JSON-LD document as PyLD reads it, offline."""
    nquads = jsonld.to_rdf(json.loads(body), {"format": "application/n-quads", "documentLoader": offline})
    return rdflib.Graph().parse(data=nquads, format="nquads")


def _get(client, path: str, accept: str):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, (path, accept, response.status_code)
    return response


@pytest.mark.parametrize("path", DOCUMENTS)
def test_expanding_the_compacted_json_ld_gives_the_turtle_graph(client, path):
    body = _get(client, path, "application/ld+json").data
    turtle = rdflib.Graph().parse(data=_get(client, path, "text/turtle").data, format="turtle")
    assert len(turtle) > 5
    assert isomorphic(_jsonld_graph(body), turtle)


def test_the_json_ld_is_compacted_with_one_node_object_per_resource(client):
    document = json.loads(_get(client, "/data/morocco.jsonld", "*/*").data)
    context = document["@context"]
    assert context["d55"] == NS + "id/" and context["label"] == {"@id": "rdfs:label", "@container": "@language"}
    assert context["memberOf"] == {"@id": "d55o:memberOf", "@type": "@id"}
    ids = [node["@id"] for node in document["@graph"]]
    assert len(ids) == len(set(ids))
    morocco = next(node for node in document["@graph"] if node["@id"] == "d55:morocco")
    assert morocco["label"]["fr"] == "Maroc" and morocco["@type"] == "d55o:State"
    assert morocco["memberOf"] == "d55:dialogue-5-5" or "d55:dialogue-5-5" in morocco["memberOf"]
    assert not any(key.startswith("http") for node in document["@graph"] for key in node)


def test_the_context_is_served_at_its_own_url_and_is_the_documents_own(client):
    response = _get(client, "/context.jsonld", "application/ld+json")
    assert response.content_type.startswith("application/ld+json") and response.headers["ETag"]
    served = json.loads(response.data)["@context"]
    assert served == json.loads(_get(client, "/data/morocco.jsonld", "*/*").data)["@context"]
    # A client can compact its own data with it: PyLD reads it as a context, offline.
    compacted = jsonld.compact({"@id": NS + "id/x", "http://www.w3.org/2000/01/rdf-schema#label":
                                {"@value": "x", "@language": "en"}}, {"@context": served}, {"documentLoader": offline})
    assert compacted["label"] == {"en": "x"}


@pytest.mark.parametrize("lang, name", [("fr", "Maroc"), ("en", "Morocco")])
def test_the_json_ld_of_a_page_reads_offline_and_names_carry_their_language(client, lang, name):
    page = client.get(f"/page/morocco?lang={lang}")
    block = json.loads(parse_html(page.data.decode()).find(".//script").text)
    expanded = jsonld.expand(block, {"documentLoader": offline})
    assert expanded[0]["@type"] == ["https://schema.org/Country"]
    assert expanded[0]["https://schema.org/name"] == [{"@value": name, "@language": lang}]
    assert expanded[0]["https://schema.org/sameAs"] == [{"@id": "http://www.wikidata.org/entity/Q1028"}]


@pytest.mark.parametrize("slug", ["morocco", "8th-ministerial-conference", "dialogue-5-5"])
def test_every_iri_of_ours_a_description_mentions_comes_with_its_labels(client, oxi_store, slug):
    triples = set(parse(_get(client, f"/data/{slug}.ttl", "*/*").data, format=RdfFormat.TURTLE))
    mentioned = {term for t in triples for term in (t.subject, t.predicate, t.object)
                 if isinstance(term, NamedNode) and term.value.startswith(NS)}
    assert NamedNode(NS + "id/article") in mentioned
    for iri in mentioned:
        labels = {(q.predicate, q.object) for prop in LABEL_PROPERTIES
                  for q in oxi_store.quads_for_pattern(iri, prop, None, None)}
        shown = {(t.predicate, t.object) for t in triples if t.subject == iri and t.predicate in LABEL_PROPERTIES}
        assert labels <= shown, iri.value


@pytest.mark.parametrize("accept", ["application/n-triples", "text/turtle", "application/ld+json",
                                    "application/rdf+xml"])
def test_the_void_description_never_repeats_a_triple(client, accept):
    body = _get(client, "/.well-known/void", accept).data
    if accept == "application/n-triples":
        repeated = [line for line, n in collections.Counter(body.decode().splitlines()).items() if n > 1]
        assert repeated == []
    fmt = RdfFormat.from_media_type(accept)
    triples = list(parse(body, format=fmt))
    assert len(triples) == len(set(triples)) > 20
    vocabularies = [t for t in triples if t.predicate.value == "http://rdfs.org/ns/void#vocabulary"]
    assert len(vocabularies) == len(set(vocabularies)) and NamedNode(NS + "ontology#") in {t.object for t in vocabularies}


def test_n3_is_asked_and_turtle_labelled_n3_is_served(client):
    thing = client.get("/id/morocco", headers={"Accept": "text/n3"})
    assert thing.status_code == 303 and thing.headers["Location"] == "/data/morocco.n3"
    document = _get(client, "/data/morocco", "text/n3")
    assert document.content_type == "text/n3; charset=utf-8"
    as_n3 = set(parse(document.data, format=RdfFormat.N3))
    assert as_n3 == set(parse(_get(client, "/data/morocco.ttl", "*/*").data, format=RdfFormat.TURTLE))
    construct = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { d55:morocco ?p ?o }"},
                           headers={"Accept": "text/n3"})
    assert construct.status_code == 200 and construct.content_type == "text/n3; charset=utf-8"
    assert Literal("Maroc", language="fr") in {t.object for t in parse(construct.data, format=RdfFormat.N3)}


def test_quads_formats_have_the_description_in_their_default_graph(client):
    turtle = {q.triple for q in parse(_get(client, "/data/morocco.ttl", "*/*").data, format=RdfFormat.TURTLE)}
    for ext, fmt in (("nq", RdfFormat.N_QUADS), ("trig", RdfFormat.TRIG)):
        quads = list(parse(_get(client, f"/data/morocco.{ext}", "*/*").data, format=fmt))
        default = {q.triple for q in quads if q.graph_name == DefaultGraph()}
        assert default == turtle == {q.triple for q in quads}


# --- Comunica reading the documents ------------------------------------------------------------

def comunica_over(url: str, query: str) -> list[dict]:
    if shutil.which("node") is None or not (JS / "node_modules" / "@comunica").is_dir():
        pytest.fail("Comunica is not installed: run `npm ci` in tests/js (CI does)")
    done = subprocess.run(["node", str(JS / "query.mjs"), url, query, "document"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)["rows"]


@pytest.mark.live
def test_comunica_reads_the_same_answers_from_every_document_format(live_server):
    """Comunica dereferences each document itself; /id/morocco with its own Accept header and 303."""
    query = f"SELECT ?p ?o WHERE {{ <{live_server.url}id/morocco> ?p ?o }}"
    answers = {}
    for path in ("data/morocco.ttl", "data/morocco.nq", "data/morocco.trig", "data/morocco.jsonld", "id/morocco"):
        rows = comunica_over(live_server.url + path, query)
        answers[path] = sorted((row["p"], row["o"]) for row in rows)
    assert len(answers["data/morocco.ttl"]) >= 5
    assert all(rows == answers["data/morocco.ttl"] for rows in answers.values()), \
        {path: len(rows) for path, rows in answers.items()}


@pytest.mark.live
@pytest.mark.parametrize("seed", ["id/morocco", "data/morocco.nq", "data/morocco.trig", "data/morocco.ttl"])
def test_link_traversal_from_any_document_finds_what_the_endpoint_answers(live_server, seed):
    """Comunica's link traversal, from one document, follows the forum's IRI to its own description.

    The crawl is bounded: the server publishes under its own address (``--base-iri``) and
    Comunica follows only the IRIs matching the query's patterns; Wikidata cannot be reached and
    is skipped."""
    ns = live_server.url
    query = (f"SELECT ?state WHERE {{ <{ns}id/morocco> <{ns}ontology#memberOf> ?forum . "
             f"?state <{ns}ontology#memberOf> ?forum }}")
    done = subprocess.run(["node", str(JS / "traverse.mjs"), ns + seed, query],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    traversed = {row["state"] for row in json.loads(done.stdout)}
    answer = live_server.get("sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    expected = {b["state"]["value"] for b in answer.json()["results"]["bindings"]}
    assert len(expected) == 10 and traversed == expected
