"""The errors a client can act on, each with its HTTP status: raised anywhere, rendered in one place.

Domain code (the dataset, the engines, the pages) raises these without knowing
the web framework; :mod:`server.http.errors` renders them.
"""

from __future__ import annotations


class Problem(Exception):
    """An error the client can act on: ``status``, a message and extra headers."""

    status = 500
    title = "Internal Server Error"

    def __init__(self, message: str, headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class BadRequest(Problem):
    status, title = 400, "Bad Request"


class ReadOnly(Problem):
    status, title = 403, "Forbidden"


class NotFound(Problem):
    status, title = 404, "Not Found"


class NotAcceptable(Problem):
    status, title = 406, "Not Acceptable"


class Gone(Problem):
    status, title = 410, "Gone"


class TooLarge(Problem):
    status, title = 413, "Content Too Large"


class UnsupportedMediaType(Problem):
    status, title = 415, "Unsupported Media Type"


class BadGateway(Problem):
    """An upstream the request needed (a SERVICE endpoint) failed or answered badly."""

    status, title = 502, "Bad Gateway"


class Unavailable(Problem):
    status, title = 503, "Service Unavailable"


class GatewayTimeout(Problem):
    """An upstream the request needed (a SERVICE endpoint) gave no answer in time."""

    status, title = 504, "Gateway Timeout"
