"""Terms for templates: an RDF term turned into text, a link and a language, never a pyoxigraph object.

:class:`Linker` decides where each IRI leads: our resources to their pages,
our ontology terms to their anchor in the ontology documentation, our graphs
to their page, Wikidata items to Wikidata (shown with their Q-id), anything
else to itself. Literals keep their language tag so templates can mark it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from pyoxigraph import BlankNode, Literal, NamedNode

from ..dataset.iris import WIKIDATA_ENTITY, IriSpace
from ..http.i18n import Choice
from .labels import Labels, local_name

WIKIDATA_PROPERTY = "http://www.wikidata.org/prop/direct/"
WIKIDATA_ITEM = re.compile(r"^[QP][1-9][0-9]{0,11}$")
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_ANY_URI = XSD + "anyURI"


@dataclass(frozen=True)
class Term:
    """Something shown on a page: its text, where it links, its language, a short note (a Q-id)."""

    text: str
    href: str | None = None
    lang: str = ""
    note: str = ""
    external: bool = False
    iri: str = ""


def wikidata_id(iri: str) -> str | None:
    """The Q-id (or P-id) of a Wikidata entity or direct-property IRI, else None.

    >>> wikidata_id("http://www.wikidata.org/entity/Q1028"), wikidata_id("https://example.org/Q1")
    ('Q1028', None)
    """
    for head in (WIKIDATA_ENTITY, WIKIDATA_PROPERTY):
        if iri.startswith(head) and WIKIDATA_ITEM.match(iri[len(head):]):
            return iri[len(head):]
    return None


def safe_url(text: str) -> str | None:
    """``text`` if it is an http(s) URL a page may link to, else None (no javascript: links).

    >>> safe_url("http://article19.ma/a"), safe_url("javascript:alert(1)")
    ('http://article19.ma/a', None)
    """
    return text if re.match(r"^https?://[^\s<>\"]+$", text) else None


class Linker:
    """Turns RDF terms into :class:`Term` for one request (language, namespace)."""

    def __init__(self, space: IriSpace, labels: Labels, choice: Choice, root: str = ""):
        self.space = space
        self.labels = labels
        self.choice = choice
        self.root = root.rstrip("/")

    def absolute(self, path: str) -> str:
        """``path`` as an absolute URL on this server (``root`` is the request's host URL)."""
        return self.root + path

    def local(self, path: str, **params) -> str:
        """A path on this server, keeping ``?lang=`` when the reader chose a language."""
        if self.choice.explicit:
            params = {"lang": self.choice.lang, **params}
        params = {k: v for k, v in params.items() if v is not None}
        fragment = ""
        if "#" in path:
            path, fragment = path.split("#", 1)
            fragment = "#" + fragment
        return path + ("?" + urlencode(params) if params else "") + fragment

    def href(self, iri: str) -> tuple[str | None, bool]:
        """Where a link to ``iri`` goes, and whether that is outside this site."""
        if (slug := self.space.slug(iri)) is not None:
            return self.local(f"/page/{slug}"), False
        if iri.startswith(self.space.namespace):
            return self.local(self.space.path(iri)), False
        if (qid := wikidata_id(iri)) is not None:
            kind = "Property:" if qid.startswith("P") else ""
            return f"https://www.wikidata.org/wiki/{kind}{qid}", True
        return (iri, True) if safe_url(iri) else (None, True)

    def iri(self, iri: str) -> Term:
        label = self.labels.of(iri)
        href, external = self.href(iri)
        qid = wikidata_id(iri) or ""
        return Term(label.text, href, self._foreign(label.lang), qid if qid != label.text else "", external, iri)

    def term(self, node) -> Term:
        """Any RDF term as a :class:`Term`."""
        if isinstance(node, NamedNode):
            return self.iri(node.value)
        if isinstance(node, BlankNode):
            return Term("_:" + node.value)
        assert isinstance(node, Literal)
        if node.datatype.value == XSD_ANY_URI and safe_url(node.value):
            return Term(node.value, node.value, external=True)
        note = "" if node.language or node.datatype.value.endswith("#string") else local_name(node.datatype.value)
        return Term(node.value, None, self._foreign(node.language or ""), note)

    def _foreign(self, lang: str) -> str:
        """The language to mark on an element: only when it differs from the page's."""
        return lang if lang and lang != self.choice.lang else ""
