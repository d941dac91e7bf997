"""Documents in JSON-LD as people and programs read them: compacted, one node object per resource.

pyoxigraph writes JSON-LD in expanded, flat form: full IRIs and a resource
split over several objects. Here the triples go through PyLD, the JSON-LD
reference implementation in Python: read as RDF (``from_rdf``, which makes
one node object per subject), then compacted with the context of
:mod:`server.site.context`. The context is put in the document itself, so a
JSON-LD processor reads it with no request of its own (pyoxigraph's parser,
for one, does not fetch remote contexts); the same context is served at
``/context.jsonld`` for clients that compact their own data with our terms.

No remote document is ever loaded: the document loader refuses every URL.
"""

from __future__ import annotations

import json

from pyld import jsonld
from pyoxigraph import RdfFormat, serialize

CONTEXT_PATH = "/context.jsonld"
# PyLD is pure Python: past this many triples (a whole large graph), the document is
# pyoxigraph's expanded JSON-LD instead, the same graph written flat.
MAX_TRIPLES = 20_000


def document(triples, context: dict) -> bytes:
    """The triples as compacted JSON-LD with ``context`` inline.

    >>> from pyoxigraph import Literal, NamedNode, Triple
    >>> t = [Triple(NamedNode("http://e/m"), NamedNode("http://e/label"), Literal("Maroc", language="fr")),
    ...      Triple(NamedNode("http://e/m"), NamedNode("http://e/label"), Literal("Morocco", language="en"))]
    >>> json.loads(document(t, {"label": {"@id": "http://e/label", "@container": "@language"}}))["label"]
    {'en': 'Morocco', 'fr': 'Maroc'}
    """
    nquads = serialize(triples, format=RdfFormat.N_QUADS).decode("utf-8")
    expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads", "documentLoader": _offline})
    compacted = jsonld.compact(expanded, {"@context": context}, {"documentLoader": _offline})
    return json.dumps(compacted, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _offline(url: str, options=None):
    raise jsonld.JsonLdError(f"no remote document is loaded ({url})", "jsonld.LoadDocumentError",
                             code="loading document failed")
