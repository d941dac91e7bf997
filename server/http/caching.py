"""Validators and freshness for published documents: strong ETags, Cache-Control, 304.

The dataset is read-only while the server runs, so a representation is fully
determined by the dataset's content hash (``graph.version``) and what selects
the representation: the path and query string, the Content-Type and the
Content-Language produced. The ETag hashes exactly that, so it is strong: the
same ETag always means the same bytes. ``If-None-Match`` is answered 304.

:func:`register` installs this on every blueprint that publishes the dataset:
pages, data, ontology, VoID, dumps, sitemap, and the SPARQL endpoint's answers
to GET (the query is in the path, so the same request on the same version gets
the same bytes).
"""

from __future__ import annotations

import hashlib
from typing import Callable

from flask import Blueprint, Response, request
from werkzeug.http import parse_etags

MAX_AGE = 300  # seconds: a reload of the dataset shows within five minutes
CACHED_STATUSES = (200, 303)


def etag(version: str, *parts: str) -> str:
    """The strong entity tag of one representation of one dataset version.

    >>> etag("v1", "/id/x", "text/html") == etag("v1", "/id/x", "text/html")
    True
    >>> etag("v1", "/id/x", "text/html") == etag("v2", "/id/x", "text/html")
    False
    """
    digest = hashlib.sha256("\x1f".join((version, *parts)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def conditional(response: Response, version: str) -> Response:
    """Add ETag and Cache-Control to a 200 or 303, and turn it into a 304 when the client has it."""
    if response.status_code not in CACHED_STATUSES or request.method not in ("GET", "HEAD"):
        response.headers.setdefault("Cache-Control", "no-cache")
        return response
    tag = etag(version, str(response.status_code), request.full_path, response.headers.get("Content-Type", ""),
               response.headers.get("Content-Language", ""), response.headers.get("Location", ""))
    response.set_etag(tag)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    if matches(request.headers.get("If-None-Match"), tag):
        return not_modified(response)
    return response


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` value names ``tag``, compared weakly (RFC 9110 section 13.1.2).

    >>> matches('W/"abc"', "abc"), matches('"x", "abc"', "abc"), matches("*", "abc")
    (True, True, True)
    >>> matches('"abd"', "abc"), matches(None, "abc")
    (False, False)
    """
    return parse_etags(if_none_match).contains_weak(tag)


def not_modified(response: Response) -> Response:
    """A 304 carrying the validators and variance of the full response, and no body."""
    answer = Response(status=304)
    for name in ("ETag", "Cache-Control", "Vary", "Content-Location", "Link"):
        if name in response.headers:
            answer.headers[name] = response.headers[name]
    return answer


def register(bp: Blueprint, version: Callable[[], str]) -> None:
    """Apply :func:`conditional` to every response of ``bp``, with the dataset version ``version()``."""

    @bp.after_request
    def _validators(response: Response) -> Response:
        return conditional(response, version())
