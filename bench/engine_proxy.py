"""A counting, delaying HTTP proxy in front of a SPARQL engine, to see what ``--backend`` costs.

Put it between ``dialogue55 serve --backend`` and the engine: it forwards every
request to the engine as it comes (method, path, headers, body), counts them,
and can wait a fixed time before each one, as a network between the two would.
It passes requests and answers on as bytes, reading the engine's answers as the
server does (acknowledging at once, see :mod:`server.engine.connection`), so
that it adds its delay and as little time of its own as it can.
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
import socket
import socketserver
import threading
import time
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from server.engine.connection import quick_ack_reader


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
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", port), _handler(self))
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
    """Requests read and answers passed on as bytes, reading no more of them than their framing needs:
    the proxy adds its delay, and as little time of its own as it can (http.server and http.client,
    which parse every header, added 0.5 to 2 ms to each request)."""

    class Handler(socketserver.StreamRequestHandler):
        disable_nagle_algorithm = True  # headers and body go in separate writes: no 40 ms delayed-ACK stall
        engine: socket.socket | None = None

        def handle(self) -> None:
            try:
                while (request := _message(self.rfile, request=True)) is not None:
                    proxy.record(request.body)
                    if proxy.delay:
                        time.sleep(proxy.delay)
                    self.wfile.write(self._ask(request.raw))
            except (OSError, ValueError):
                pass  # the client went, or sent what is not HTTP: nothing to answer
            finally:
                if self.engine is not None:
                    self.engine.close()

        def _ask(self, raw: bytes) -> bytes:
            """The engine's whole answer to ``raw``, on this connection's own connection to the engine."""
            for attempt in (1, 2):  # the engine may have closed an idle connection: reopen once
                if self.engine is None:
                    self.engine = socket.create_connection((proxy.host, proxy.port), timeout=60)
                    self.engine.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self.reader = quick_ack_reader(self.engine, 1 << 16)
                try:
                    self.engine.sendall(raw)
                    answer = _message(self.reader, request=False)
                    if answer is not None:
                        return answer.raw
                except OSError:
                    pass
                self.engine.close()
                self.engine = None
            message = b"the engine closed the connection"
            return b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s" % (
                len(message), message)

    return Handler


class _Message(NamedTuple):
    raw: bytes   # the message as it came, head and body
    body: bytes  # its body, unchunked


def _message(stream, request: bool) -> _Message | None:
    """One HTTP/1.1 message read from ``stream``, or None at its end: the head, then a body of its
    Content-Length, or chunks to the last one.

    >>> import io
    >>> answer = b"HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabc\\r\\n0\\r\\n\\r\\n"
    >>> message = _message(io.BytesIO(answer + b"HTTP/1.1 204 No Content\\r\\n\\r\\n"), request=False)
    >>> message.body, message.raw == answer
    (b'abc', True)
    >>> _message(io.BytesIO(b"POST /q HTTP/1.1\\r\\nContent-Length: 7\\r\\n\\r\\nquery=1"), request=True).body
    b'query=1'
    """
    head = [line := stream.readline(65537)]
    if not line.strip():
        return None
    while line not in (b"\r\n", b"\n", b""):
        head.append(line := stream.readline(65537))
    fields = dict(_field(raw) for raw in head[1:-1])
    status = b"" if request else head[0].split(b" ", 2)[1]
    if fields.get(b"transfer-encoding", b"").lower() == b"chunked":
        raw, body = _chunks(stream)
        return _Message(b"".join(head) + raw, body)
    length = int(fields.get(b"content-length", b"0"))
    if not request and length == 0 and b"content-length" not in fields and status not in (b"204", b"304"):
        raise ValueError("an answer without a length or chunks")  # read to its close: not what engines send
    body = stream.read(length) if length else b""
    return _Message(b"".join(head) + body, body)


def _field(line: bytes) -> tuple[bytes, bytes]:
    name, _, value = line.partition(b":")
    return name.strip().lower(), value.strip()


def _chunks(stream) -> tuple[bytes, bytes]:
    raw, body = [], []
    while True:
        size_line = stream.readline(65537)
        raw.append(size_line)
        size = int(size_line.split(b";")[0].strip(), 16)
        if size == 0:
            while (trailer := stream.readline(65537)) not in (b"\r\n", b"\n", b""):
                raw.append(trailer)
            raw.append(trailer)
            return b"".join(raw), b"".join(body)
        chunk = stream.read(size + 2)
        raw.append(chunk)
        body.append(chunk[:-2])


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
