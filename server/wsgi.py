"""Running the application under waitress, the production WSGI server.

Waitress is pure Python and multi-threaded, so one process holds one loaded
graph and one pool of query workers. ``channel_request_lookahead`` lets it tell
a request that a client has gone (``waitress.client_disconnected``), so a query
whose client left is stopped instead of running to its time limit.
"""

from __future__ import annotations

import signal
import sys

from waitress.server import create_server

from . import create_app


def serve(config: dict) -> int:
    """Load the graph, then serve it until SIGTERM or Ctrl-C. Returns the exit status."""
    app = create_app(config)
    values = app.config["DIALOGUE55"]
    try:
        server = create_server(app, host=values["host"], port=values["port"], threads=values["threads"],
                               channel_request_lookahead=5, ident="dialogue55")
    except OSError as error:
        print(f"dialogue55: cannot listen on {values['host']}:{values['port']}: {error.strerror}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, lambda *_: server.close())
    print(f"dialogue55: serving on http://{server.effective_host}:{server.effective_port}/", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        app.extensions["dialogue55"].close()
    return 0
