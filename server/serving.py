"""Serving the application with granian, a production HTTP server written in Rust.

One granian worker process holds one loaded graph, one response cache and one
pool of query workers; the Flask application runs in ``threads`` threads inside
it (see :mod:`server.http.rsgi`). granian's parent process only watches that worker.

Connections are handled by granian's event loop, so thousands of idle or
half-open ones cost little; a client that has not sent its headers within
:data:`HEADER_TIMEOUT` seconds is dropped.

SIGTERM (and Ctrl-C) stop the server gracefully: it stops accepting, finishes
the requests it has already read, then exits with status 0.
"""

from __future__ import annotations

import os
import socket
import sys
from functools import partial

from . import create_app
from .dataset import sources
from .engine import workers
from .http import access_log, problems
from .http.access_log import AccessLog
from .http.lru import MIB
from .http.response_cache import ResponseCache
from .http.rsgi import Application

HEADER_TIMEOUT = 30  # seconds a client may take to send its request headers
BACKLOG = 1024  # connections waiting to be accepted
DRAIN_GRACE = 5.0  # seconds granted past the query time limit for requests in flight at shutdown


def serve(config: dict, loader=None) -> int:
    """Serve the graph until SIGTERM or Ctrl-C. Returns the exit status.

    ``loader(config)`` builds the application in granian's worker process
    (default: :func:`application`).
    """
    from granian import Granian
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    host, port = config["host"], config["port"]
    problem = _cannot_listen(host, port)
    if problem:
        print(f"dialogue55: cannot listen on {host}:{port}: {problem}", file=sys.stderr)
        return 1
    problem = access_log.cannot_write(config["access_log"])
    if problem:
        print(f"dialogue55: cannot write the access log {config['access_log']}: {problem}", file=sys.stderr)
        return 1
    server = Granian("dialogue55", address=host, port=port, interface=Interfaces.RSGI, workers=1,
                     backlog=BACKLOG, log_enabled=False, websockets=False,
                     http1_settings=HTTP1Settings(header_read_timeout=HEADER_TIMEOUT * 1000),
                     workers_kill_timeout=int(config["query_timeout"] + DRAIN_GRACE))
    server.serve(target_loader=partial(loader or application, config), wrap_loader=False)
    print("dialogue55: stopped", flush=True)
    return 0


class _Served(Application):
    """The application with what granian calls at the worker's start and end."""

    def __init__(self, app, config: dict):
        graph, metrics = app.extensions["dialogue55"], app.extensions["dialogue55.metrics"]
        cache = ResponseCache(int(config["response_cache"] * MIB))
        self.access_log = AccessLog(config["access_log"])
        observers = [o for o in (self.access_log if self.access_log.enabled else None,
                                 metrics and metrics.observe) if o]
        if metrics is not None:
            metrics.watch_cache("response", cache)
        super().__init__(app, graph.version, cache, config["threads"], app.config["MAX_CONTENT_LENGTH"], observers)
        self.graph = graph
        self.address = f"http://{config['host']}:{config['port']}/"

    def __rsgi_init__(self, loop) -> None:
        print(startup_line(self.graph, self.address), flush=True)

    def __rsgi_del__(self, loop) -> None:
        self.close()
        self.graph.close()
        self.access_log.close()


def startup_line(graph, address: str) -> str:
    """What is served, where, and within which limits: the one line an operator reads at start."""
    s = graph.settings
    source = (f"the SPARQL engine at {s['backend']}" if s["backend"] else f"the store {s['store']}" if s["store"]
              else "the folders " + ", ".join(str(p) for p in ([s["ontology"]] if s["ontology"] else []) + list(s["data"])))
    base = f", published as {s['base_iri']}" if s["base_iri"] and s["base_iri"] != s["namespace"] else ""
    log = {"-": "standard error", "off": "off"}.get(s["access_log"], s["access_log"])
    return (f"dialogue55: serving {_size(graph)} from {source}; namespace {s['namespace']}{base}; on {address}\n"
            f"dialogue55: limits: {s['query_timeout']:g} s, {s['max_result_rows']:,} rows, "
            f"{s['max_query_length']:,} bytes, nesting {s['max_nesting']} per query; {s['workers']} query workers; "
            f"caches: answers {s['answer_cache']:g} MiB, responses {s['response_cache']:g} MiB; "
            f"access log: {log}; metrics: {'/metrics' if s['metrics'] else 'off'}; health: /healthz")

def application(config: dict) -> Application:
    """Load the graph and build the application, in granian's worker process.

    A graph that cannot be loaded is reported in one line and the worker exits
    with status 1, which granian's parent process passes on.
    """
    workers.exit_with(os.getppid())  # granian's parent killed outright: this process and its workers end too
    workers.prestart()
    try:
        app = create_app(config, start_workers=True)
    except sources.DatasetError as error:
        print(f"dialogue55: {error}", file=sys.stderr, flush=True)
        raise SystemExit(1) from None
    return _Served(app, config)


def _size(graph) -> str:
    """``N triples in M graphs``, or why they cannot be counted (an external engine that does not answer yet)."""
    try:
        return f"{graph.count('triple_count'):,} triples in {len(graph.select('graph_count')):,} graphs"
    except problems.Problem as problem:
        return f"a graph that cannot be counted now ({problem.message})"


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the address cannot be bound, or None when it can (checked before any worker starts)."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        return error.strerror or str(error)
    return None
