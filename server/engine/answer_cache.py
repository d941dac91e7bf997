"""The SPARQL answer cache (ETags and 304s are :mod:`server.http.caching`'s).

The graph is read-only between loads, so an answer depends only on the dataset
version, the query, the formats asked and the dataset arguments: a cache keyed
by those is correct by construction, and is invalidated by a new version, never
by time. Only successful, complete answers are kept (never a truncated one, nor
an error), within a bound on the bytes held, least recently used first out.

>>> from server.engine.evaluation import Answer, Job
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

from ..http.lru import BoundedLRU
from .evaluation import Answer, Job


def answer_key(version: str, job: Job) -> tuple:
    """What an answer depends on: the dataset version and everything of the job that shapes the bytes."""
    return (version, job.query, job.results_format, job.graph_format, job.default_graphs, job.named_graphs,
            job.max_rows, job.base_iri)


class AnswerCache(BoundedLRU):
    """Answers by :func:`answer_key`, bounded by the bytes of their bodies; never a truncated one nor an error."""

    def put(self, key: tuple, answer: Answer) -> None:
        if not answer.truncated and answer.media_type is not None:
            super().put(key, answer, len(answer.body))
