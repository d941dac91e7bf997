"""Every IRI of our namespace dereferences, and the descriptions add up to the whole dataset.

A crawler that knows nothing but the server's address starts from ``/`` and
the VoID description, and follows every IRI of the namespace it meets with
rdflib's own content negotiation (``parse(iri)``: rdflib's Accept header,
303s followed by urllib). Each must answer with RDF that parses. The union of
the resource, graph and ontology descriptions must be exactly the dataset
(the dumps and the VoID description are followed but not counted: a dump would
make the union trivially complete, and VoID describes the dataset rather than
being part of it).
"""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat
from rdflib import Dataset, URIRef

from server import settings
from server.dataset import sources

pytestmark = pytest.mark.live

# Prior versions of the ontology are served as published, and are not part of the dataset.
NOT_COUNTED = (".well-known/void", "dump.trig", "dump.nq", "ontology/1.0.0")


def dataset_triples(base_iri: str) -> set:
    """The published dataset as rdflib triples, loaded from the files (not through HTTP)."""
    source = sources.Source.from_settings(settings.resolve({"base_iri": base_iri}))
    store = sources.load(source)
    from pyoxigraph import serialize

    nquads = serialize(sources.named_quads(store), format=RdfFormat.N_QUADS)
    parsed = Dataset(default_union=True)
    parsed.parse(data=nquads, format="nquads")
    return set(parsed.triples((None, None, None)))


def crawl(root: str):
    """Follow every IRI under ``root`` from ``/`` and VoID; returns (documents, union, failures)."""
    seen, todo, union, failures = set(), [root, root + ".well-known/void"], set(), []
    while todo:
        document = todo.pop().split("#")[0]
        if document in seen:
            continue
        seen.add(document)
        if document == root + "sparql":
            continue  # a service, not a document: checked below
        parsed = Dataset(default_union=True)
        try:
            parsed.parse(document)
        except Exception as error:  # noqa: BLE001 - every failure is reported with its IRI
            failures.append(f"{document}: {error!r}"[:300])
            continue
        triples = set(parsed.triples((None, None, None)))
        if not triples:
            failures.append(f"{document}: an empty description")
        if document not in (root,) and not document.endswith(NOT_COUNTED):
            union |= triples
        todo += [str(t) for triple in triples for t in triple
                 if isinstance(t, URIRef) and str(t).startswith(root) and str(t).split("#")[0] not in seen]
    return seen, union, failures


def test_every_iri_dereferences_and_the_descriptions_make_the_dataset(live_server):
    documents, union, failures = crawl(live_server.url)
    assert failures == []
    expected = dataset_triples(live_server.url)
    missing, extra = expected - union, union - expected
    assert not missing, f"{len(missing)} triples no description gives, e.g. {sorted(missing)[:3]}"
    assert not extra, f"{len(extra)} triples not in the dataset, e.g. {sorted(extra)[:3]}"
    # The crawl met every kind of IRI we mint.
    kinds = {d[len(live_server.url):].split("/")[0] for d in documents}
    assert {"id", "graph", "ontology", "sparql"} <= kinds
    assert live_server.get("sparql").status_code == 200


def test_the_crawl_reaches_every_resource_of_the_sitemap(live_server):
    import re

    sitemap = live_server.get("sitemap.xml").text
    listed = set(re.findall(r"<loc>[^<]*/page/([a-z0-9-]+)</loc>", sitemap))
    documents, _, _ = crawl(live_server.url)
    crawled = {d.rsplit("/", 1)[-1] for d in documents if "/id/" in d}
    assert listed and listed == crawled
