"""Bounded in-memory caches, and the SPARQL answer cache (ETags and 304s are :mod:`server.caching`'s).

The graph is read-only between loads, so an answer depends only on the dataset
version, the query, the formats asked and the dataset arguments: a cache keyed
by those is correct by construction, and is invalidated by a new version, never
by time. Only successful, complete answers are kept (never a truncated one, nor
an error), within a bound on the bytes held, least recently used first out.

>>> from server.evaluation import Answer, Job
>>> cache = AnswerCache(max_bytes=1000)
>>> key = answer_key("v1", Job("ASK {}"))
>>> cache.get(key) is None
True
>>> cache.put(key, Answer("boolean", "application/sparql-results+json", b"{}"))
>>> cache.get(key).body
b'{}'
>>> cache.get(answer_key("v2", Job("ASK {}"))) is None
True
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from .evaluation import Answer, Job

MIB = 1024 * 1024


def answer_key(version: str, job: Job) -> tuple:
    """What an answer depends on: the dataset version and everything of the job that shapes the bytes."""
    return (version, job.query, job.results_format, job.graph_format, job.default_graphs, job.named_graphs,
            job.max_rows)


class BoundedLRU:
    """A thread-safe least-recently-used map, bounded by the sizes given with its values.

    A value bigger than an eighth of the bound is never kept, so one large item
    cannot evict every small, often-asked one. ``max_bytes`` 0 keeps nothing.

    >>> lru = BoundedLRU(max_bytes=80)
    >>> lru.put("a", "A", size=10), lru.put("big", "B", size=11)
    (True, False)
    >>> for n in range(8):
    ...     _ = lru.put(n, n, size=10)
    >>> lru.get("a") is None, len(lru)
    (True, 8)
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[object, tuple[object, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key, value, size: int) -> bool:
        """Keep ``value`` (counted as ``size`` bytes) unless it is too big; say whether it is kept."""
        if size * 8 > self.max_bytes:
            return False
        with self._lock:
            if key not in self._entries:
                self._entries[key] = (value, size)
                self._size += size
                while self._size > self.max_bytes:
                    _, (_, old) = self._entries.popitem(last=False)
                    self._size -= old
        return True

    def items(self) -> list[tuple[object, object]]:
        """A snapshot of the (key, value) pairs, least recently used first."""
        with self._lock:
            return [(key, value) for key, (value, _) in self._entries.items()]

    def __len__(self) -> int:
        return len(self._entries)


class AnswerCache(BoundedLRU):
    """Answers by :func:`answer_key`, bounded by the bytes of their bodies; never a truncated one nor an error."""

    def put(self, key: tuple, answer: Answer) -> None:
        if not answer.truncated and answer.media_type is not None:
            super().put(key, answer, len(answer.body))
