"""Cross-origin resource sharing: every answer may be read by a page on any origin.

The graph is public and read-only, and no request carries credentials, so every
response, errors included, says ``Access-Control-Allow-Origin: *``. A browser
asks before POSTing ``application/sparql-query`` from another origin (a
"preflight" ``OPTIONS`` request, which Flask answers on every route); the
hook adds what that answer must grant. The headers that tell a client about
its result (row count, truncation, retry delay) are exposed to scripts.

>>> EXPOSED
'X-SPARQL-Rows, X-SPARQL-Truncated, Retry-After, ETag, Link'
"""

from __future__ import annotations

from flask import Flask, Response, request

ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
ALLOWED_HEADERS = "Accept, Content-Type, If-None-Match, If-Modified-Since"
EXPOSED = "X-SPARQL-Rows, X-SPARQL-Truncated, Retry-After, ETag, Link"
PREFLIGHT_MAX_AGE = "86400"


def add_headers(response: Response) -> Response:
    """Grant every origin read access to ``response``, and answer a preflight."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        # Echo what the browser asks for: nothing a request header says can change the graph.
        asked = request.headers.get("Access-Control-Request-Headers")
        response.headers["Access-Control-Allow-Headers"] = asked or ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        response.vary.add("Access-Control-Request-Headers")
    return response


def register(app: Flask) -> None:
    app.after_request(add_headers)
