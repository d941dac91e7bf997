"""Responses with honest headers: RDF serialised to the negotiated format, bytes, plain text.

Every negotiated response carries ``Vary: Accept`` and the Content-Type of the
format that was actually produced.
"""

from __future__ import annotations

from flask import Response, current_app
from pyoxigraph import RdfFormat, serialize

from .negotiation import Format


def rdf(triples_or_quads, fmt: Format, prefixes: dict | None = None) -> Response:
    """Triples (or quads, for dataset formats) serialised by pyoxigraph."""
    body = serialize(triples_or_quads, format=RdfFormat.from_media_type(fmt.writer), prefixes=prefixes)
    return bytes_response(body, fmt)


def bytes_response(body: bytes, fmt: Format) -> Response:
    response = current_app.response_class(body, content_type=fmt.content_type)
    response.vary.add("Accept")
    return response


def plain(text: str, status: int = 200) -> Response:
    return current_app.response_class(text, status=status, content_type="text/plain; charset=utf-8")
