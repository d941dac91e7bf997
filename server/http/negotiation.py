"""One table of formats, and one ``negotiate()`` used by every route.

The formats come from pyoxigraph (media types, extensions); this module only
adds the short names of ``?format=``, the aliases clients send, and the order of
offers, which breaks ties such as ``Accept: */*``. Accept parsing (q-values,
wildcards, specificity) is Werkzeug's.

>>> negotiate(RESULTS, "*/*").name
'json'
>>> negotiate(GRAPHS, "application/rdf+xml;q=0.5, text/turtle").name
'ttl'
>>> negotiate(GRAPHS, "text/html") is None
True
>>> negotiate(RESULTS, "text/html", "csv").name
'csv'
>>> negotiate(RESULTS, "text/*").name, negotiate(RESULTS, "text/xml").name
('csv', 'xml')
>>> negotiate(GRAPHS, "text/n3").content_type, negotiate(GRAPHS, "text/n3").writer
('text/n3; charset=utf-8', 'text/turtle')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import QueryResultsFormat, RdfFormat
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header


@dataclass(frozen=True)
class Format:
    """A representation: short ``name`` (also the file extension), media type, aliases."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    text: bool = True
    written_as: str = ""  # the media type of the serialiser, when it is not ``media_type``'s own

    @property
    def writer(self) -> str:
        """The media type pyoxigraph serialises this format with (N3 is written as Turtle)."""
        return self.written_as or self.media_type

    @property
    def content_type(self) -> str:
        """The Content-Type header, with the charset every text format here uses."""
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


def _results(name: str, fmt: QueryResultsFormat, *aliases: str) -> Format:
    return Format(name, fmt.media_type.split(";")[0], aliases)


def _rdf(name: str, fmt: RdfFormat, *aliases: str) -> Format:
    return Format(name, fmt.media_type, aliases)


RESULTS = (
    _results("json", QueryResultsFormat.JSON, "application/json"),
    _results("xml", QueryResultsFormat.XML, "application/xml", "text/xml"),
    _results("csv", QueryResultsFormat.CSV),
    _results("tsv", QueryResultsFormat.TSV),
)
GRAPHS = (
    _rdf("ttl", RdfFormat.TURTLE, "application/x-turtle"),
    _rdf("nt", RdfFormat.N_TRIPLES, "text/plain"),
    _rdf("rdf", RdfFormat.RDF_XML, "application/xml", "text/xml"),
    _rdf("jsonld", RdfFormat.JSON_LD, "application/json"),
    # Turtle is N3: a client that asks for N3 gets Turtle, labelled as what it asked for.
    Format("n3", RdfFormat.N3.media_type, written_as=RdfFormat.TURTLE.media_type),
)
DATASETS = (
    _rdf("trig", RdfFormat.TRIG, "application/x-trig"),
    _rdf("nq", RdfFormat.N_QUADS, "text/x-nquads"),
)
HTML = Format("html", "text/html")

BY_NAME = {f.name: f for f in RESULTS + GRAPHS + DATASETS + (HTML,)}


@lru_cache(maxsize=4096)  # clients send few distinct Accept headers; parsing one costs more than the rest of a request
def negotiate(offers: tuple[Format, ...], accept: str | None, name: str | None = None) -> Format | None:
    """The offer the client prefers, or None when none is acceptable.

    ``name`` (from ``?format=`` or a file extension) wins over the Accept header
    when it names one of the offers. An absent or empty Accept accepts anything.
    """
    if name:
        return next((f for f in offers if f.name == name), None)
    if not accept or not accept.strip():
        return offers[0]
    parsed = parse_accept_header(accept, MIMEAccept)
    # An alias counts only when the client names it: `text/*` must not pick RDF/XML
    # through its `text/xml` alias and then answer application/rdf+xml.
    named = {value.lower() for value, _ in parsed}
    by_type = {}
    for offer in offers:
        for media_type in offer.media_types:
            if media_type == offer.media_type or media_type in named:
                by_type.setdefault(media_type, offer)
    best = parsed.best_match(list(by_type))
    return by_type.get(best) if best else None


def names(offers: tuple[Format, ...]) -> str:
    """A readable list of offers, for 406 messages.

    >>> names(GRAPHS[:2])
    'text/turtle (ttl), application/n-triples (nt)'
    """
    return ", ".join(f"{f.media_type} ({f.name})" for f in offers)
