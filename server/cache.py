"""The SPARQL answer cache (ETags and 304s for every published response are :mod:`server.caching`'s).

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


class AnswerCache:
    """A thread-safe LRU of answers, bounded by the bytes of their bodies.

    An answer bigger than an eighth of the bound is never kept: one huge result
    must not evict every small, often-asked one.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Answer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is not None:
                self._entries.move_to_end(key)
            return answer

    def put(self, key: tuple, answer: Answer) -> None:
        if answer.truncated or answer.media_type is None or len(answer.body) * 8 > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = answer
            self._size += len(answer.body)
            while self._size > self.max_bytes:
                _, old = self._entries.popitem(last=False)
                self._size -= len(old.body)

    def __len__(self) -> int:
        return len(self._entries)
