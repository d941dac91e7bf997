"""The Dialogue 5+5 knowledge graph server: a SPARQL 1.1 endpoint and linked-data pages.

``create_app`` builds the application: settings (defaults, then environment,
then the given config), the graph (loaded once), blueprints and error handlers,
and the operator's view: ``/healthz``, and ``/metrics`` unless the ``metrics``
setting turns it off (the metrics are in ``app.extensions["dialogue55.metrics"]``,
for the RSGI bridge to feed).

Flask and the web modules are imported inside ``create_app``: query worker
processes import this package too, and they need only the store and the
evaluator, so they start in a fraction of the time.
"""

from __future__ import annotations


def create_app(config: dict | None = None, start_workers: bool = False):
    """Build the application for the settings in ``config`` (see :mod:`server.settings`).

    With ``start_workers`` the first query worker starts loading before the graph
    is loaded here, so a server answers its first query sooner.
    """
    from flask import Flask

    from . import settings
    from .graph import Graph
    from .http import cors, errors, security_headers
    from .site import home, ontology_docs, reader, resources
    from .sparql import endpoint

    app = Flask(__name__)
    values = settings.resolve(config)
    app.config["DIALOGUE55"] = values
    app.config["MAX_CONTENT_LENGTH"] = values["max_query_length"] + 1024
    app.extensions["dialogue55"] = Graph(values, start_workers)
    errors.register(app)
    cors.register(app)
    security_headers.register(app)
    reader.register(app)
    for module in (home, endpoint, resources, ontology_docs):
        app.register_blueprint(module.bp)
    _operations(app, app.extensions["dialogue55"], values["metrics"])
    return app


def _operations(app, graph, with_metrics: bool) -> None:
    """``/healthz`` and ``/metrics``, the route names they count by, and the gauges read at each scrape."""
    from .http import exchange, operations
    from .http.metrics import Metrics

    metrics = Metrics() if with_metrics else None
    if metrics is not None:
        metrics.watch_workers(graph.workers_state)
        metrics.watch_cache("answer", graph.answers)
    app.extensions["dialogue55.metrics"] = metrics
    exchange.register(app)
    app.register_blueprint(operations.blueprint(graph.health, metrics))
