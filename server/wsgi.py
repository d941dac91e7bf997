"""Running the application under waitress, the production WSGI server.

Waitress is pure Python and multi-threaded, so one process holds one loaded
graph and one pool of query workers. ``channel_request_lookahead`` lets it tell
a request that a client has gone (``waitress.client_disconnected``), so a query
whose client left is stopped instead of running to its time limit.

Connections are cheap for waitress (one event loop reads them all), so the
connection limit is set high and idle connections are dropped soon: with
waitress's defaults (100 connections, 120 s) a hundred clients that send half a
request and wait lock everyone else out for two minutes.

SIGTERM (and Ctrl-C) stop the server gracefully: it stops accepting, finishes
the requests it has already read, then exits with status 0.
"""

from __future__ import annotations

import signal
import sys
import threading
import time

from waitress import wasyncore
from waitress.server import create_server

from . import create_app, workers

CONNECTION_LIMIT = 1000  # open connections at once (waitress's default is 100)
CHANNEL_TIMEOUT = 30  # seconds a connection may stay silent (waitress's default is 120)
DRAIN_GRACE = 5.0  # seconds granted past the query time limit for requests in flight at shutdown


def serve(config: dict) -> int:
    """Load the graph, then serve it until SIGTERM or Ctrl-C. Returns the exit status."""
    workers.prestart()
    app = create_app(config)
    values = app.config["DIALOGUE55"]
    try:
        server = create_server(app, host=values["host"], port=values["port"], threads=values["threads"],
                               channel_request_lookahead=5, ident="dialogue55", connection_limit=CONNECTION_LIMIT,
                               channel_timeout=CHANNEL_TIMEOUT, cleanup_interval=5, asyncore_use_poll=True)
    except OSError as error:
        app.extensions["dialogue55"].close()
        print(f"dialogue55: cannot listen on {values['host']}:{values['port']}: {error.strerror}", file=sys.stderr)
        return 1
    app.extensions["dialogue55"].start_workers()
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: _stop_accepting(server, stopping))
    print(f"dialogue55: serving on http://{server.effective_host}:{server.effective_port}/", flush=True)
    try:
        _run(server, stopping, values["query_timeout"] + DRAIN_GRACE)
    finally:
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)
        app.extensions["dialogue55"].close()
    print("dialogue55: stopped", flush=True)
    return 0


def _stop_accepting(server, stopping: threading.Event) -> None:
    """Close the listening socket; connections already open keep being served."""
    if not stopping.is_set():
        stopping.set()
        server.accepting = False
        server.del_channel()
        server.socket.close()


def _run(server, stopping: threading.Event, drain_seconds: float) -> None:
    """The event loop, one turn at a time, so that a stop can wait for the requests in flight."""
    deadline = None
    while True:
        server.asyncore.loop(timeout=0.2, map=server._map, use_poll=True, count=1)
        if stopping.is_set():
            deadline = deadline or time.monotonic() + drain_seconds
            if _drained(server) or time.monotonic() > deadline:
                return


def _drained(server) -> bool:
    """No request queued, running, or waiting to be written out."""
    dispatcher = server.task_dispatcher
    if dispatcher.queue or dispatcher.active_count:
        return False
    channels = [c for c in server._map.values() if hasattr(c, "requests")]
    return all(not c.requests and not c.total_outbufs_len for c in channels)
