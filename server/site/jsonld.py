"""schema.org JSON-LD embedded in each resource page, so search engines understand it.

The mapping is data: our classes to schema.org types, our properties to
schema.org properties. The context is inline (:data:`CONTEXT`: schema.org as
the vocabulary, and the two terms whose values are links), so a JSON-LD
processor reads the block with no network access, where ``"@context":
"https://schema.org"`` would need schema.org's context fetched first. Names
are value objects carrying their language (``{"@value": "Maroc",
"@language": "fr"}``). Every resource linked with ``owl:sameAs`` to a
Wikidata item names it in ``sameAs``. Templates embed the result with
Jinja's ``tojson`` filter, which escapes ``<``, ``>``, ``&`` and ``'``, so no
data can close the ``<script type="application/ld+json">`` block.
"""

from __future__ import annotations

import itertools

from pyoxigraph import Literal, NamedNode

from .descriptions import Description
from .terms import Linker, wikidata_id

TYPES = {
    "Conference": "Event", "State": "Country", "Forum": "Organization", "SubregionalForum": "Organization",
    "Organization": "Organization", "NewsArticle": "NewsArticle", "Theme": "DefinedTerm", "City": "City",
    "Region": "Place", "Agreement": "CreativeWork", "NewsOutlet": "NewsMediaOrganization", "Minister": "Person",
}
OUTGOING = {
    "startDate": "startDate", "endDate": "endDate", "location": "location", "participant": "attendee",
    "theme": "about", "objective": "about", "inception": "foundingDate", "publicationDate": "datePublished",
    "title": "headline", "publisher": "publisher", "about": "about", "shortName": "alternateName",
    "hasMember": "member", "partOf": "organizer", "adoptionDate": "dateCreated", "adoptionPlace": "locationCreated",
    "sourceAddress": "url",
}
INCOMING = {"memberOf": "member", "participantIn": "attendee"}
SCHEMA = "https://schema.org/"
CONTEXT = {"@vocab": SCHEMA, "sameAs": {"@type": "@id"}, "url": {"@type": "@id"}}
SKOS_IN_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"
OWL_SAME_AS = NamedNode("http://www.w3.org/2002/07/owl#sameAs")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def describe(linker: Linker, d: Description) -> dict:
    """The schema.org description of the resource of ``d`` (first page of each side)."""
    ontology = linker.space.namespace + "ontology#"
    data: dict = {"@context": CONTEXT, "@id": d.iri}
    types = sorted({TYPES[t] for st in d.outgoing.statements if st.predicate.value == RDF_TYPE
                    and (t := st.object.value.removeprefix(ontology)) in TYPES})
    if types:
        data["@type"] = types[0] if len(types) == 1 else types
    data["name"] = named(linker, d.iri)
    data["sameAs"] = same_as(linker, d.iri)
    for st in d.outgoing.statements:
        name = st.predicate.value.removeprefix(ontology)
        if name in OUTGOING:
            _add(data, OUTGOING[name], node(linker, st.object))
        elif st.predicate.value == SKOS_IN_SCHEME:
            _add(data, "inDefinedTermSet", node(linker, st.object))
    for st in d.incoming.statements:
        if (name := st.predicate.value.removeprefix(ontology)) in INCOMING:
            _add(data, INCOMING[name], node(linker, st.subject))
    if (slug := linker.space.slug(d.iri)) is not None:
        data.setdefault("url", linker.absolute(f"/page/{slug}"))
    return {k: v for k, v in data.items() if v not in (None, [])}


def node(linker: Linker, term) -> object:
    """A value: a literal's text, or a named node with its name and Wikidata items."""
    if isinstance(term, Literal):
        return term.value
    if not isinstance(term, NamedNode):
        return None
    return {"@id": term.value, "name": named(linker, term.value), "sameAs": same_as(linker, term.value)}


def named(linker: Linker, iri: str):
    """The label of ``iri`` with its language, or its bare text when it has none."""
    label = linker.labels.of(iri)
    return {"@value": label.text, "@language": label.lang} if label.lang else label.text


def same_as(linker: Linker, iri: str) -> list[str]:
    """The Wikidata items ``iri`` is the same as."""
    quads = linker.labels.store.quads_for_pattern(NamedNode(iri), OWL_SAME_AS, None, None)
    return sorted({q.object.value for q in itertools.islice(quads, 40) if wikidata_id(q.object.value)})


def _add(data: dict, key: str, value) -> None:
    if value is None:
        return
    if key not in data:
        data[key] = value
    elif isinstance(data[key], list):
        data[key].append(value)
    else:
        data[key] = [data[key], value]
