"""Blueprint: what an operator asks of the server, ``GET /healthz`` and ``GET /metrics``.

``/healthz`` answers 200 with what is served (the dataset version, the triple
count, the worker pool) when ``health()`` finds the graph loaded and a worker
answering, else 503 with the same fields. ``/metrics`` is the Prometheus text
format of :class:`~server.http.metrics.Metrics`; without metrics (the ``metrics``
setting off) it is not there (404).

Neither is ever cached: both say ``Cache-Control: no-store`` and carry no ETag, so
the response cache (which keeps only public responses with a strong ETag) never
holds them, and a proxy does not either.
"""

from __future__ import annotations

import json
from typing import Callable

from flask import Blueprint, Response

from .metrics import CONTENT_TYPE, Metrics
from .problems import NotFound

NO_STORE = "no-store"


def blueprint(health: Callable[[], tuple[bool, dict]], measured: Metrics | None) -> Blueprint:
    """The two routes, over ``health() -> (healthy, fields)`` and the application's metrics (or None)."""
    bp = Blueprint("operations", __name__)

    @bp.get("/healthz")
    def healthz() -> Response:
        healthy, fields = health()
        body = json.dumps({"status": "ok" if healthy else "unavailable", **fields}) + "\n"
        return _uncached(Response(body, status=200 if healthy else 503, mimetype="application/json"))

    @bp.get("/metrics")
    def metrics() -> Response:
        if measured is None:
            raise NotFound("metrics are turned off on this server (the metrics setting)")
        return _uncached(Response(measured.exposition(), content_type=CONTENT_TYPE))

    return bp


def _uncached(response: Response) -> Response:
    response.headers["Cache-Control"] = NO_STORE
    return response
