"""The one place that turns any error into an HTTP answer.

Views and domain code raise a :class:`~server.http.problems.Problem` subclass;
:func:`register` renders it as HTML for browsers, JSON for clients that prefer
it, plain text for the rest. Unexpected exceptions are logged with their
traceback and answered 500 with no detail.
"""

from __future__ import annotations

import json

from flask import Flask, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from .problems import Problem


def render(status: int, title: str, message: str, headers: dict | None = None):
    """The answer for an error, in the representation the client prefers."""
    best = request.accept_mimetypes.best_match(["text/plain", "application/json", "text/html"], "text/plain")
    if best == "text/html":
        body = render_template("error.html", status=status, title=title, message=message)
        mimetype = "text/html"
    elif best == "application/json":
        body = json.dumps({"status": status, "error": title, "message": message})
        mimetype = "application/json"
    else:
        body, mimetype = f"{status} {title}: {message}\n", "text/plain"
    response = current_app.response_class(body, status=status, mimetype=mimetype)
    response.headers.update(headers or {})
    response.vary.add("Accept")
    return response


def register(app: Flask) -> None:
    @app.errorhandler(Problem)
    def problem(error: Problem):
        return render(error.status, error.title, error.message, error.headers)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        return render(error.code or 500, error.name, error.description or error.name, headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        return render(500, "Internal Server Error", "the server met an unexpected error; it has been logged")
