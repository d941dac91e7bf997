"""The application granian serves: the response cache first, then Flask in a thread.

granian's HTTP server is written in Rust; its RSGI interface hands each request
to an asyncio loop. A GET that :mod:`server.http.response_cache` holds is answered
right there, without a thread or Flask. Any other request is turned into a
WSGI environ (PEP 3333) and run by the Flask application in a pool of threads,
as a threaded WSGI server would; meanwhile the loop listens for the client
going away and tells the application through
``environ["dialogue55.client_disconnected"]``, so a query whose client left is
stopped (granian's own WSGI interface cannot tell).

Every answered request, hits included, is handed to the ``observers`` (the
access log, the metrics) as one :class:`~server.http.exchange.Exchange`, with
the route and the query's outcome the application left in the environ. A body
sent in one piece is observed just before it is handed to granian, so a client
that has its answer finds it already logged and counted; a streamed one, once sent.

Request bodies are read until they pass Flask's ``MAX_CONTENT_LENGTH`` (by at
most one chunk), so an oversized body is refused by Flask (413) without being
held whole; a GET without ``Content-Length`` or ``Transfer-Encoding`` has none.
A request whose ``Content-Length`` already declares more is answered 413 at
once, before any of its body is awaited, and then closed gracefully
(:func:`_refuse_declared_length`). Bodies up
to :data:`BUFFERED` bytes are answered in one piece; longer ones (dumps, large
results) are streamed, the thread waiting for each piece to be sent.
"""

from __future__ import annotations

import asyncio
import io
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Sequence

from .exchange import OUTCOME, PATH_LENGTH, QUERY_SECONDS, ROUTE, UNMATCHED, Exchange, brief_query
from .response_cache import BYPASSED, MISSED, STATUS_HEADER, STORED, ResponseCache

BUFFERED = 1024 * 1024  # bytes of body collected before switching to streaming
PIECE = 64 * 1024  # bytes sent at a time when streaming
DISCONNECTED = "dialogue55.client_disconnected"


class Application:
    """An RSGI application serving a WSGI application (granian calls ``__rsgi__``)."""

    def __init__(self, wsgi_app, version: str, cache: ResponseCache, threads: int, max_body: int,
                 observers: Sequence[Callable[[Exchange], None]] = ()):
        self.wsgi_app = wsgi_app
        self.version = version
        self.cache = cache
        self.max_body = max_body
        self.observers = tuple(observers)
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="request")

    def close(self) -> None:
        self.executor.shutdown(wait=True)

    async def __rsgi__(self, scope, protocol) -> None:
        if scope.proto != "http":  # WebSocket: not offered
            protocol.close(403)
            return
        arrived, started = time.time(), time.perf_counter()
        key = self.cache.key(self.version, scope.method, scope.scheme, scope.path, scope.query_string, scope.headers,
                             scope.authority)
        stored = self.cache.get(key)
        if stored is not None:
            self._observe(scope, arrived, started, stored.status, len(stored.body), "hit", {ROUTE: stored.route})
            protocol.response_bytes(stored.status, stored.headers, stored.body)
            return
        if _declared_length(scope) > self.max_body:
            await _refuse_declared_length(protocol, self.max_body)
            return
        try:
            body = await _read_body(protocol, self.max_body + 1) if _has_body(scope) else b""
        except Exception:  # the client went away mid-body: no one to answer
            return
        gone = threading.Event()
        environ = wsgi_environ(scope, body)
        environ[DISCONNECTED] = gone.is_set
        watcher = asyncio.ensure_future(_watch(protocol, gone))
        loop = asyncio.get_running_loop()
        try:
            status, headers, head, rest = await loop.run_in_executor(self.executor, _call, self.wsgi_app, environ)
            if rest is None:
                kept = self.cache.put(key, status, headers, head, environ.get(ROUTE, UNMATCHED))
                self._observe(scope, arrived, started, status, len(head), _cache_word(key, kept), environ)
                protocol.response_bytes(status, _with_status(headers, key, kept), head)
                return
            transport = protocol.response_stream(status, _with_status(headers, key, False))
            sent = await loop.run_in_executor(self.executor, _pump, head, rest, transport, loop)
            self._observe(scope, arrived, started, status, sent, _cache_word(key, False), environ)
        finally:
            watcher.cancel()

    def _observe(self, scope, arrived: float, started: float, status: int, size: int, cache: str,
                 environ: dict) -> None:
        """Hand the exchange to each observer; one that fails is reported and never fails the request."""
        if not self.observers:
            return
        exchange = Exchange(arrived, scope.client.rpartition(":")[0], scope.method, scope.path[:PATH_LENGTH],
                            brief_query(scope.query_string), status, size, time.perf_counter() - started, cache,
                            environ.get(ROUTE, UNMATCHED), environ.get(OUTCOME), environ.get(QUERY_SECONDS),
                            _forwarded_for(scope.headers))
        for observer in self.observers:
            try:
                observer(exchange)
            except Exception:  # a full disk must not take the server down with its log
                traceback.print_exc(file=sys.stderr)


def _forwarded_for(headers) -> str | None:
    value = headers.get("x-forwarded-for")
    return value[:PATH_LENGTH] if value else None


def _cache_word(key, kept: bool) -> str:
    """What the response cache did with a request that was not a hit, in one word (the log's and the metrics')."""
    return "bypass" if key is None else "stored" if kept else "miss"


def _with_status(headers: list, key, kept: bool) -> list:
    """The headers with the RFC 9211 ``Cache-Status`` of a request that was not a hit."""
    return [*headers, (STATUS_HEADER, BYPASSED if key is None else STORED if kept else MISSED)]


def _has_body(scope) -> bool:
    """Whether the request may carry a body: in HTTP/1.x only with one of these headers."""
    return scope.http_version.startswith("2") or "content-length" in scope.headers \
        or "transfer-encoding" in scope.headers


LINGER_SECONDS = 2.0  # how long a refused body is still read, so the client sees the answer (as Apache's lingering close)
LINGER_BYTES = 4 * 1024 * 1024  # and at most this much of it


def _declared_length(scope) -> int:
    """The body length a request declares in ``Content-Length`` (0 when absent; hyper has checked its form)."""
    value = scope.headers.get("content-length") or "0"
    return int(value) if value.isdigit() else 0


async def _refuse_declared_length(protocol, limit: int) -> None:
    """Answer 413 to a body declared too long, then close the connection gracefully.

    The answer goes out before any body is read. Closing a socket that still
    has unread bytes makes the kernel send a reset, and a client still sending
    would lose the 413 already on its way; so the body keeps being read and
    dropped for a moment (:data:`LINGER_SECONDS`, :data:`LINGER_BYTES`), as a
    lingering close does, and the connection is closed after.
    """
    body = f"413 Content Too Large: the request body is longer than {limit} bytes\n".encode()
    protocol.response_bytes(413, [("content-type", "text/plain; charset=utf-8"), ("connection", "close"),
                                  ("cache-control", "no-cache")], body)
    try:
        await asyncio.wait_for(_drain(protocol, LINGER_BYTES), LINGER_SECONDS)
    except Exception:  # timed out, or the client closed: either way the linger is over
        pass


async def _drain(protocol, limit: int) -> None:
    """Read and drop up to ``limit`` bytes of the body."""
    size = 0
    async for chunk in protocol:
        size += len(chunk)
        if size > limit:
            return


async def _read_body(protocol, limit: int) -> bytes:
    """The request body, cut one chunk past ``limit`` bytes (enough for Flask to see it is too long)."""
    parts, size = [], 0
    async for chunk in protocol:
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            break
    return b"".join(parts)


async def _watch(protocol, gone: threading.Event) -> None:
    await protocol.client_disconnect()
    gone.set()


def wsgi_environ(scope, body: bytes) -> dict:
    """The PEP 3333 environ of an RSGI request.

    Header names with an underscore are dropped (``X_Forwarded_For`` must not pass
    for ``X-Forwarded-For``); repeated headers are joined with commas.
    """
    server_host, _, server_port = scope.server.rpartition(":")
    client_host, _, client_port = scope.client.rpartition(":")
    environ = {
        "REQUEST_METHOD": scope.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": scope.path.encode("utf-8", "surrogateescape").decode("latin-1"),
        "QUERY_STRING": scope.query_string,
        "SERVER_NAME": server_host,
        "SERVER_PORT": server_port,
        "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
        "REMOTE_ADDR": client_host,
        "REMOTE_PORT": client_port,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,  # the whole body (or its first bytes past the limit) is in wsgi.input
    }
    for name, value in scope.headers.items():
        if "_" in name:
            continue
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    if "HTTP_HOST" not in environ and scope.authority:  # HTTP/2 names the host in :authority
        environ["HTTP_HOST"] = scope.authority
    return environ


def _call(wsgi_app, environ: dict):
    """Run the WSGI application: status, headers, the first body bytes, and the rest (None when complete)."""
    response = {}

    def start_response(status, headers, exc_info=None):
        response["status"], response["headers"] = int(status.split(" ", 1)[0]), headers

    try:
        result = wsgi_app(environ, start_response)
        pieces, size = [], 0
        iterator = iter(result)
        for piece in iterator:
            pieces.append(piece)
            size += len(piece)
            if size > BUFFERED:
                return response["status"], response["headers"], b"".join(pieces), _Rest(iterator, result)
        _close(result)
    except Exception:
        traceback.print_exc(file=sys.stderr)
        return 500, [("Content-Type", "text/plain; charset=utf-8")], b"internal server error\n", None
    return response["status"], response["headers"], b"".join(pieces), None


class _Rest:
    """The unsent part of a streamed body, with the WSGI result to close once done."""

    def __init__(self, iterator, result):
        self.iterator, self.result = iterator, result


def _pump(head: bytes, rest: _Rest, transport, loop) -> int:
    """Send a body in pieces, waiting for each; stop if the client has gone. The result is closed either way.

    Returns the bytes sent."""

    def send(data: bytes) -> bool:
        try:
            asyncio.run_coroutine_threadsafe(transport.send_bytes(data), loop).result()
            return True
        except Exception:  # the client went away
            return False

    sent = 0
    try:
        buffer, size = [head], len(head)
        for piece in rest.iterator:
            buffer.append(piece)
            size += len(piece)
            if size >= PIECE:
                if not send(b"".join(buffer)):
                    return sent
                sent, buffer, size = sent + size, [], 0
        if buffer and send(b"".join(buffer)):
            sent += size
    except Exception:  # the application failed mid-body: the client gets a cut response
        traceback.print_exc(file=sys.stderr)
    finally:
        _close(rest.result)
    return sent


def _close(result) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()
