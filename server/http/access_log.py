"""The access log: one JSON line per request, cache hits included.

JSON lines rather than the combined log format: the combined format has no
field for the cache status, the duration or the query's outcome (servers that
add them each append them their own way), and its quoting of paths and agents
is loose. A JSON line is parsed by ``jq``, by log shippers and by one line of
Python, and a new field breaks no reader. Example::

    {"time": "2026-12-01T21:40:02.153Z", "client": "127.0.0.1", "method": "GET", "path": "/sparql",
     "query": "query=SELECT%20%3Fs…", "status": 200, "bytes": 512, "ms": 3.1,
     "cache": "stored", "route": "sparql.endpoint", "outcome": "ok"}

``client`` is the address the connection came from; behind a reverse proxy the
client's own is in ``forwarded_for``, the ``X-Forwarded-For`` header as received
(logged, never trusted for anything else). The target is a file (appended to),
``-`` for standard error, or ``off``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import TextIO

from .exchange import Exchange

STANDARD_ERROR = "-"
OFF = "off"


class AccessLog:
    """Writes one line per :class:`Exchange` to a file or standard error; thread-safe."""

    def __init__(self, target: str):
        self._file: TextIO | None = sys.stderr if target == STANDARD_ERROR else \
            None if target == OFF else open(target, "a", encoding="utf-8", buffering=1)
        self._owned = target not in (STANDARD_ERROR, OFF)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._file is not None

    def __call__(self, exchange: Exchange) -> None:
        if self._file is None:
            return
        line = json.dumps(record(exchange), ensure_ascii=False)
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._owned and self._file is not None:
            self._file.close()


def cannot_write(target: str) -> str | None:
    """Why the log cannot be written to ``target``, or None when it can (checked before the server starts).

    >>> cannot_write("-"), cannot_write("off"), cannot_write("/no/such/folder/access.log")
    (None, None, 'No such file or directory')
    """
    if target in (STANDARD_ERROR, OFF):
        return None
    try:
        open(target, "a", encoding="utf-8").close()
    except OSError as error:
        return error.strerror or str(error)
    return None


def record(exchange: Exchange) -> dict:
    """The fields of one log line (no query-string field when there was none; no outcome when no query ran).

    >>> e = Exchange(0.0, "127.0.0.1", "GET", "/id/x", "", 303, 0, 0.0012, "hit", "resources.resource")
    >>> record(e)
    {'time': '1970-01-01T00:00:00.000Z', 'client': '127.0.0.1', 'method': 'GET', 'path': '/id/x', 'status': 303, 'bytes': 0, 'ms': 1.2, 'cache': 'hit', 'route': 'resources.resource'}
    """
    fields = {"time": _iso(exchange.time), "client": exchange.client}
    if exchange.forwarded_for:
        fields["forwarded_for"] = exchange.forwarded_for
    fields.update(method=exchange.method, path=exchange.path)
    if exchange.query:
        fields["query"] = exchange.query
    fields.update(status=exchange.status, bytes=exchange.bytes, ms=round(exchange.seconds * 1000, 1),
                  cache=exchange.cache, route=exchange.route)
    if exchange.outcome is not None:
        fields["outcome"] = exchange.outcome
    return fields


def _iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{int(seconds * 1000) % 1000:03d}Z"
