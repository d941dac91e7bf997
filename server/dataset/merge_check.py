"""Alignments that stay true when Wikidata's own statements are merged with ours.

An alignment ``ours owl:equivalentProperty wdt:P…`` with a domain, a range or a
functional declaration on ``ours`` lets ordinary Wikidata statements reach them:
``wd:Q458 wdt:P463 …`` would make the European Union one of our states, and two
locations of a painting would make two museums the same. :func:`check_merge`
merges a fixture of ordinary truthy statements (``wikidata_fixture.ttl``, beside
this module) with the ontology and the data, computes the OWL 2 RL closure, and
reports every type of ours the merge adds and every two distinct resources it
makes ``owl:sameAs``. Reasoning (owlrl) is for validation only, never on the
request path.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, Graph, URIRef

FIXTURE = Path(__file__).with_name("wikidata_fixture.ttl")


def check_merge(union: Graph, entailed, namespace: str, fixture: Path = FIXTURE) -> list[str]:
    """What merging ``fixture`` into ``union`` entails that ``union`` alone does not; empty when safe.

    ``entailed`` computes a closure (:func:`server.dataset.validation.entailed`).
    """
    merged = Graph()
    for triple in union:
        merged.add(triple)
    merged.parse(fixture, format="turtle")
    before, after = entailed(union), entailed(merged)
    ours = namespace + "ontology#"
    return _new_types(before, after, ours) + _new_identities(before, after)


def _new_types(before: Graph, after: Graph, ours: str) -> list[str]:
    added = {(s, c) for s, c in after.subject_objects(RDF.type) if str(c).startswith(ours)}
    added -= set(before.subject_objects(RDF.type))
    return sorted(f"merging Wikidata's statements makes {s} a {c}" for s, c in added)


def _new_identities(before: Graph, after: Graph) -> list[str]:
    known = set(before.subject_objects(OWL.sameAs))
    pairs = {tuple(sorted((str(a), str(b)))) for a, b in after.subject_objects(OWL.sameAs)
             if a != b and isinstance(a, URIRef) and isinstance(b, URIRef) and (a, b) not in known}
    return sorted(f"merging Wikidata's statements makes {a} owl:sameAs {b}" for a, b in pairs)
