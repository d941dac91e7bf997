"""Cross-origin resource sharing: every answer may be read by a page on any origin.

The graph is public and read-only, and no request carries credentials, so every
response, errors included, says ``Access-Control-Allow-Origin: *``, and a
browser's preflight before POSTing ``application/sparql-query`` from another
origin is granted. Flask-CORS does the work; this module only states the
policy. The headers that tell a client about its result (row count,
truncation, retry delay) are exposed to scripts.
"""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

EXPOSED = ["X-SPARQL-Rows", "X-SPARQL-Truncated", "Retry-After", "ETag", "Link"]


def register(app: Flask) -> None:
    CORS(app, origins="*", methods=["GET", "HEAD", "POST", "OPTIONS"], allow_headers="*",
         expose_headers=EXPOSED, max_age=86400, send_wildcard=True, vary_header=False)
