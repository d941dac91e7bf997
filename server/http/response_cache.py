"""Whole responses kept in memory and served again without entering Flask.

The dataset is read-only while the server runs, so a GET's response depends
only on the dataset version and the request: the method, scheme, host, path,
query string, and the request headers the application reads (``Accept``,
``Accept-Language``, ``Origin``, ``If-None-Match``). A cache keyed by exactly
those is correct by construction. It keeps only what :mod:`server.http.caching`
marked public with a strong ETag (200s and 303s of published documents and
SPARQL answers to GET, and the 304s answering a revalidation); errors and
anything ``no-cache`` go through Flask every time.

Requests with other conditions or ranges (``If-Modified-Since``, ``Range``…),
with a body or credentials, or that repeat a header, are never answered from
here: Flask answers them.

>>> cache = ResponseCache(max_bytes=10_000)
>>> scope = {"method": "GET", "scheme": "http", "path": "/id/x", "query_string": "",
...          "headers": {"host": "h", "accept": "text/html"}}
>>> key = cache.key("v1", scope["method"], scope["scheme"], scope["path"], scope["query_string"], scope["headers"])
>>> cache.get(key) is None
True
>>> cache.put(key, 200, [("Cache-Control", "public, max-age=300"), ("ETag", '"a"')], b"<p>x</p>")
True
>>> cache.get(key).body
b'<p>x</p>'
>>> cache.get(key).headers[-1]
('Cache-Status', 'dialogue55; hit')
>>> cache.put(key, 500, [("Cache-Control", "no-cache")], b"oops")
False
>>> cache.key("v1", "POST", "http", "/sparql", "", {}) is None
True
>>> cache.key("v1", "GET", "http", "/id/x", "", {"range": "bytes=0-10"}) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

from .lru import BoundedLRU

# Request headers the application reads to choose a representation; they are part of the key
# (with the host, from ``Host`` or HTTP/2's ``:authority``).
VARYING = ("accept", "accept-language", "origin", "if-none-match")
# Request headers that ask for something the cache does not key: Flask answers these.
BYPASS = frozenset(("if-modified-since", "if-match", "if-unmodified-since", "if-range", "range",
                    "authorization", "cookie", "content-length", "transfer-encoding"))
KEPT_STATUSES = (200, 303, 304)
ENTRY_BYTES = 1024  # counted per entry besides its body (key and headers), so empty 303s and 304s are bounded too
# RFC 9211 Cache-Status values: what this cache did with a request.
STATUS_HEADER = "Cache-Status"
HIT = "dialogue55; hit"
STORED = "dialogue55; fwd=miss; stored"
MISSED = "dialogue55; fwd=miss"
BYPASSED = "dialogue55; fwd=bypass"


@dataclass(frozen=True)
class Stored:
    status: int
    headers: list[tuple[str, str]]  # as sent on a hit: with ``Cache-Status: dialogue55; hit``
    body: bytes
    route: str = ""  # the route that made it, for the log and the metrics of a hit


class ResponseCache:
    """Whole responses by request, bounded by their bodies' bytes plus :data:`ENTRY_BYTES` each."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries = BoundedLRU(max_bytes)

    def key(self, version: str, method: str, scheme: str, path: str, query_string: str, headers,
            authority: str | None = None) -> tuple | None:
        """The key of a request, or None when it must not be answered from the cache.

        ``headers`` has ``items()`` (every pair, repeats included, names in lower case)
        and ``get(name)`` (the first value), as granian's RSGI headers have.
        """
        if not self.max_bytes or method != "GET":
            return None
        names = [name for name, _ in headers.items()]
        if len(names) != len(set(names)) or not BYPASS.isdisjoint(names):
            return None  # a repeated header reaches Flask joined, so its first value would not key it
        host = headers.get("host") or authority
        return (version, scheme, host, path, query_string, *(headers.get(name) for name in VARYING))

    def get(self, key: tuple | None) -> Stored | None:
        return None if key is None else self._entries.get(key)

    def put(self, key: tuple | None, status: int, headers: list[tuple[str, str]], body: bytes, route: str = "") -> bool:
        """Keep the response if it may be kept; say whether it was."""
        if key is None or not _public(status, headers):
            return False
        stored = Stored(status, [*headers, (STATUS_HEADER, HIT)], body, route)
        return self._entries.put(key, stored, len(body) + ENTRY_BYTES)

    def stats(self) -> dict[str, int]:
        """Hits, misses, entries and bytes (see :meth:`server.http.lru.BoundedLRU.stats`); bypasses are not lookups."""
        return self._entries.stats()

    def __len__(self) -> int:
        return len(self._entries)


def _public(status: int, headers: list[tuple[str, str]]) -> bool:
    """A 200, 303 or 304 that :mod:`server.http.caching` marked public with an ETag, and that sets no cookie."""
    if status not in KEPT_STATUSES:
        return False
    names = {name.lower(): value for name, value in headers}
    return "etag" in names and "set-cookie" not in names and "public" in names.get("cache-control", "")
