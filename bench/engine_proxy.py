"""A counting, delaying HTTP proxy in front of a SPARQL engine, to see what ``--backend`` costs.

Put it between ``dialogue55 serve --backend`` and the engine: it forwards every
request to the engine as it comes (method, path, headers, body), counts them,
and can wait a fixed time before each one, as a network between the two would.
It reads the engine's answers as the server does (acknowledging at once, see
:mod:`server.engine.connection`), so that it adds no wait of its own.
The tests count the engine requests a page makes through it; the benchmark
adds 2 ms per request to see how a page's latency grows with the number of
requests it makes.

    python -m bench.engine_proxy http://127.0.0.1:7878/query --port 7879 --delay-ms 2

then ``dialogue55 serve --backend http://127.0.0.1:7879/query``. In Python::

    with EngineProxy(engine_url, delay=0.002) as proxy:
        ...  # serve --backend proxy.url
        with proxy.counting() as counted:
            requests.get(page)
        counted.requests  # engine requests made while answering that page
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import threading
import time
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass, field

from server.engine.connection import open_connection

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection",
              "content-length", "host"}


@dataclass
class Counted:
    """The engine requests made within one :meth:`EngineProxy.counting` block."""

    requests: int = 0
    queries: list[str] = field(default_factory=list)


class EngineProxy:
    """A threaded proxy on 127.0.0.1 in front of the engine at ``target`` (its SPARQL endpoint URL)."""

    def __init__(self, target: str, delay: float = 0.0, port: int = 0):
        parts = urllib.parse.urlsplit(target)
        self.host, self.port, self.delay = parts.hostname, parts.port or 80, delay
        self.path = parts.path or "/"
        self._lock = threading.Lock()
        self._counted: Counted | None = None
        self.total = 0
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The proxy's address for the same endpoint path."""
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.path}"

    def __enter__(self) -> "EngineProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @contextmanager
    def counting(self):
        """Count the requests forwarded while the block runs (one client request at a time)."""
        counted = Counted()
        with self._lock:
            self._counted = counted
        try:
            yield counted
        finally:
            with self._lock:
                self._counted = None

    def record(self, body: bytes) -> None:
        with self._lock:
            self.total += 1
            if self._counted is not None:
                self._counted.requests += 1
                fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
                self._counted.queries.append((fields.get("query") or [""])[0])


def _handler(proxy: EngineProxy):
    local = threading.local()  # one open connection to the engine per proxy thread, as the server keeps one

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go in separate writes: no 40 ms delayed-ACK stall

        def do_GET(self):
            self._forward()

        def do_POST(self):
            self._forward()

        def _forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            proxy.record(body)
            if proxy.delay:
                time.sleep(proxy.delay)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            try:
                status, reply_headers, reply = self._ask(body, headers)
            except OSError as error:
                status, reply_headers, reply = 502, [("Content-Type", "text/plain")], str(error).encode()
            self.send_response(status)
            for name, value in reply_headers:
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def _ask(self, body: bytes, headers: dict):
            for attempt in (1, 2):  # the engine may have closed an idle connection: reopen once
                connection = getattr(local, "connection", None) or open_connection("http", proxy.host, proxy.port, 60)
                local.connection = connection
                try:
                    connection.request(self.command, self.path, body=body or None, headers=headers)
                    response = connection.getresponse()
                    return response.status, response.getheaders(), response.read()
                except (http.client.HTTPException, ConnectionError):
                    connection.close()
                    local.connection = None
                    if attempt == 2:
                        raise OSError("the engine closed the connection") from None

        def log_message(self, *args):
            pass

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", help="the engine's SPARQL endpoint URL")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--delay-ms", type=float, default=0.0, help="wait before forwarding each request")
    args = parser.parse_args(argv)
    with EngineProxy(args.target, args.delay_ms / 1000, args.port) as proxy:
        print(f"forwarding {proxy.url} -> {args.target}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print(f"{proxy.total} requests forwarded")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
