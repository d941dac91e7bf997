"""Labels of resources in a chosen language, with one fixed fallback chain.

For an IRI the label is, in order: ``skos:prefLabel`` then ``rdfs:label`` in
each language of :func:`server.i18n.fallback_chain` (chosen, English, French,
untagged), then any label at all, then a name made from the IRI itself (a
Wikidata item shows its Q-id). Lookups go straight to the store's indexes and
are cached for the life of one :class:`Labels` (one request).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Store

from ..http.i18n import fallback_chain

RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_PREF_LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
LABEL_PROPERTIES = (SKOS_PREF_LABEL, RDFS_LABEL)
MAX_LABELS = 50  # a resource with more labels than this is broken data; never read more


@dataclass(frozen=True)
class Label:
    """A label's text and language tag ('' when untagged or made from the IRI)."""

    text: str
    lang: str = ""


def local_name(iri: str) -> str:
    """A readable name made from an IRI: the part after the last '#' or '/'.

    >>> local_name("http://www.wikidata.org/entity/Q1028")
    'Q1028'
    >>> local_name("https://w3id.org/dialogue55/ontology#memberOf")
    'memberOf'
    >>> local_name("https://w3id.org/dialogue55/id/8th-ministerial-conference")
    '8th ministerial conference'
    """
    tail = iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1] or iri
    return tail.replace("-", " ") if "-" in tail else tail


def pick(candidates: list[tuple[int, Literal]], lang: str) -> Label | None:
    """The best of ``(property rank, literal)`` candidates for ``lang``.

    >>> lit = lambda t, l=None: Literal(t, language=l)
    >>> pick([(1, lit("Maroc", "fr")), (1, lit("Morocco", "en"))], "ar")
    Label(text='Morocco', lang='en')
    >>> pick([(1, lit("x", "fr")), (0, lit("y", "fr"))], "fr")
    Label(text='y', lang='fr')
    >>> pick([(1, lit("مراكش", "ar"))], "fr")
    Label(text='مراكش', lang='ar')
    """
    for tag in fallback_chain(lang):
        matching = [(rank, lit) for rank, lit in candidates if (lit.language or "") == tag]
        if matching:
            best = min(matching, key=lambda c: (c[0], c[1].value))[1]
            return Label(best.value, tag)
    if candidates:
        best = min(candidates, key=lambda c: (c[0], c[1].language or "", c[1].value))[1]
        return Label(best.value, best.language or "")
    return None


RDF, RDFS, OWL = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
                  "http://www.w3.org/2002/07/owl#")
SKOS, PROV, DCTERMS = ("http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/")
# Names of the other vocabularies' terms our pages show most, for a reader whose language the store has no
# label in (those vocabularies label their terms in English only, if at all): (en, fr, ar).
VOCABULARY = {
    RDF + "type": ("type", "type", "النوع"),
    RDFS + "label": ("label", "libellé", "التسمية"),
    RDFS + "comment": ("comment", "commentaire", "تعليق"),
    RDFS + "seeAlso": ("see also", "voir aussi", "انظر أيضا"),
    OWL + "sameAs": ("same as", "identique à", "مطابق لـ"),
    SKOS + "prefLabel": ("preferred label", "libellé préféré", "التسمية المفضلة"),
    SKOS + "altLabel": ("alternative label", "autre libellé", "تسمية بديلة"),
    SKOS + "note": ("note", "note", "ملاحظة"),
    SKOS + "inScheme": ("in scheme", "dans le schéma", "ضمن منظومة"),
    SKOS + "narrower": ("narrower", "plus spécifique", "أخص"),
    SKOS + "broader": ("broader", "plus général", "أعم"),
    SKOS + "closeMatch": ("close match", "correspondance proche", "مطابقة قريبة"),
    SKOS + "relatedMatch": ("related match", "correspondance associée", "مطابقة ذات صلة"),
    PROV + "wasDerivedFrom": ("derived from", "dérivé de", "مشتق من"),
    PROV + "value": ("quoted text", "texte cité", "النص المقتبس"),
    DCTERMS + "description": ("description", "description", "وصف"),
    DCTERMS + "language": ("language", "langue", "اللغة"),
}


def _vocabulary_name(iri: str, lang: str) -> Label:
    """A well-known term's name in ``lang`` (see :data:`VOCABULARY`), else its local name.

    >>> _vocabulary_name("http://www.w3.org/2002/07/owl#sameAs", "ar"), _vocabulary_name("http://e/x#y", "ar")
    (Label(text='مطابق لـ', lang='ar'), Label(text='y', lang=''))
    """
    names = VOCABULARY.get(iri)
    if names is None or lang not in ("en", "fr", "ar"):
        return Label(local_name(iri))
    return Label(names[("en", "fr", "ar").index(lang)], lang)


class Labels:
    """Label resolution for one language over a store, cached per instance."""

    def __init__(self, store: Store, lang: str):
        self.store = store
        self.lang = lang
        self._cache: dict[str, Label] = {}

    def of(self, iri: str) -> Label:
        """The label of ``iri`` in this language, following the fallback chain."""
        if iri not in self._cache:
            self._cache[iri] = pick(self.candidates(iri), self.lang) or _vocabulary_name(iri, self.lang)
        return self._cache[iri]

    def preload(self, iris, candidates: dict[str, list[tuple[int, Literal]]]) -> None:
        """Resolve the labels of ``iris`` from ``candidates`` read beforehand (one query for a whole page),
        so that no IRI of them costs a lookup; an IRI with no candidate gets its name from the IRI."""
        for iri in iris:
            if iri not in self._cache:
                self._cache[iri] = pick(candidates.get(iri, []), self.lang) or Label(local_name(iri))

    def candidates(self, iri: str) -> list[tuple[int, Literal]]:
        """Every label literal of ``iri``, with the rank of its property (prefLabel first); or, where the
        store has read them ahead (an external engine's, see ``label_quads``), those that decide the
        label in this language: the ones in it, else all."""
        read = getattr(self.store, "label_quads", None)
        quads = read(NamedNode(iri), LABEL_PROPERTIES, self.lang) if read is not None else None
        if quads is not None:
            ranked = [(LABEL_PROPERTIES.index(q.predicate), q.object) for q in quads
                      if q.predicate in LABEL_PROPERTIES and isinstance(q.object, Literal)]
            return ranked[:MAX_LABELS]
        found = []
        for rank, prop in enumerate(LABEL_PROPERTIES):
            for quad in self.store.quads_for_pattern(NamedNode(iri), prop, None, None):
                if isinstance(quad.object, Literal):
                    found.append((rank, quad.object))
                if len(found) >= MAX_LABELS:
                    return found
        return found
