"""The one place that maps request paths to IRIs and back, and names the prefixes.

Every IRI of the published namespace has a path on this server: the namespace
``N`` (rewritten to the base IRI when one is set) maps ``N{path}`` to
``/{path}``, so ``N/id/morocco`` is served at ``/id/morocco``.

>>> space = IriSpace("https://w3id.org/dialogue55/")
>>> space.iri("id", "morocco")
'https://w3id.org/dialogue55/id/morocco'
>>> space.slug("https://w3id.org/dialogue55/id/morocco")
'morocco'
>>> space.slug("http://www.wikidata.org/entity/Q1028") is None
True
>>> space.path("https://w3id.org/dialogue55/ontology#Forum")
'/ontology#Forum'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The local part of a prefixed name, as far as every writer here needs (a subset of SPARQL's PN_LOCAL).
LOCAL_NAME = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
MAX_SLUG_LENGTH = 200

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

COMMON_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "vann": "http://purl.org/vocab/vann/",
    "wd": WIKIDATA_ENTITY,
    "wdt": "http://www.wikidata.org/prop/direct/",
    # The rest of the Wikidata Query Service's built-in prefixes, so queries copied from it run as they are.
    "p": "http://www.wikidata.org/prop/",
    "ps": "http://www.wikidata.org/prop/statement/",
    "pq": "http://www.wikidata.org/prop/qualifier/",
    "pr": "http://www.wikidata.org/prop/reference/",
    "wikibase": "http://wikiba.se/ontology#",
    "bd": "http://www.bigdata.com/rdf#",
}


@dataclass(frozen=True)
class IriSpace:
    """The published namespace (already rewritten to the base IRI, if any)."""

    namespace: str

    @property
    def prefixes(self) -> dict[str, str]:
        """Prefixes every query may use without declaring them."""
        return {
            "d55": self.namespace + "id/",
            "d55o": self.namespace + "ontology#",
            "d55g": self.namespace + "graph/",
            **COMMON_PREFIXES,
        }

    @property
    def ontology(self) -> str:
        return self.namespace + "ontology"

    def iri(self, kind: str, name: str) -> str:
        return f"{self.namespace}{kind}/{name}"

    def slug(self, iri: str, kind: str = "id") -> str | None:
        """The slug of an IRI of the given kind in our namespace, else None."""
        head = f"{self.namespace}{kind}/"
        rest = iri[len(head):] if iri.startswith(head) else None
        return rest if rest and SLUG.match(rest) else None

    def path(self, iri: str) -> str | None:
        """The path on this server where an IRI of our namespace is served, else None."""
        return "/" + iri[len(self.namespace):] if iri.startswith(self.namespace) else None


def is_slug(text: str) -> bool:
    """Whether a request path segment can name one of our resources.

    >>> is_slug("morocco"), is_slug("../etc"), is_slug("a" * 201)
    (True, False, False)
    """
    return len(text) <= MAX_SLUG_LENGTH and bool(SLUG.match(text))


def prefixed_name(iri: str, prefixes: dict[str, str], local: re.Pattern = LOCAL_NAME) -> str | None:
    """``prefix:local`` for the longest namespace ``iri`` starts with whose rest is a ``local`` name, else None.

    >>> prefixed_name("http://e/a/b", {"e": "http://e/", "ea": "http://e/a/"})
    'ea:b'
    >>> prefixed_name("http://e/a/b", {"e": "http://e/"}) is None, prefixed_name("http://e/", {"e": "http://e/"})
    (True, None)
    """
    fits = [(len(ns), name) for name, ns in prefixes.items() if iri.startswith(ns) and local.match(iri[len(ns):])]
    if not fits:
        return None
    length, name = max(fits)
    return f"{name}:{iri[length:]}"
