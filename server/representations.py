"""The only code that serialises: it turns results into responses with honest headers.

Every negotiated response carries ``Vary: Accept`` and the Content-Type of the
format that was actually produced.
"""

from __future__ import annotations

from flask import Response, current_app
from pyoxigraph import RdfFormat, serialize

from .evaluation import Answer
from .negotiation import Format

TRUNCATED_HEADER = "X-SPARQL-Truncated"


def answer(result: Answer, fmt: Format) -> Response:
    """A SPARQL result in ``fmt``, with the truncation flag when the row limit cut it."""
    response = bytes_response(result.body, fmt)
    if result.rows is not None:
        response.headers["X-SPARQL-Rows"] = str(result.rows)
    if result.truncated:
        limit = current_app.config["DIALOGUE55"]["max_result_rows"]
        response.headers[TRUNCATED_HEADER] = f"true; the result was cut at {limit} rows"
    return response


def rdf(triples_or_quads, fmt: Format, prefixes: dict | None = None) -> Response:
    """Triples (or quads, for dataset formats) serialised by pyoxigraph."""
    body = serialize(triples_or_quads, format=RdfFormat.from_media_type(fmt.media_type), prefixes=prefixes)
    return bytes_response(body, fmt)


def bytes_response(body: bytes, fmt: Format) -> Response:
    response = current_app.response_class(body, content_type=fmt.content_type)
    response.vary.add("Accept")
    return response


def plain(text: str, status: int = 200) -> Response:
    return current_app.response_class(text, status=status, content_type="text/plain; charset=utf-8")
