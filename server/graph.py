"""The published graph: loaded once, queried read-only.

:class:`Graph` is what the routes talk to. It holds

- a pyoxigraph store in this process, for the server's own fixed queries
  (``server/queries/*.rq``, bounded by design, values passed only through
  substitutions), and
- a :class:`~server.engine.workers.WorkerPool` for user SPARQL, which may be slow,
  hostile or crash the engine, and so runs in killable worker processes, and
- an :class:`~server.engine.answer_cache.AnswerCache` of user answers, keyed by the dataset
  version (see :mod:`server.engine.answer_cache`).

With the ``backend`` setting, both kinds of query go over HTTP to an external
SPARQL engine instead (:mod:`server.engine.backend`): ``store`` is then a
:class:`~server.engine.remote_store.RemoteStore`, which answers the part of the
pyoxigraph ``Store`` API the pages use, so they run unchanged. Where the
engine's union default graph repeats a triple (a multiset, see
:mod:`server.engine.backend`), :meth:`Graph.query_text` picks a fixed query's
DISTINCT twin from ``server/queries/multiset/``.

Its methods raise the domain errors of :mod:`server.http.problems`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Callable

from pyoxigraph import NamedNode, QuerySolutions, Variable

from .dataset import sources
from .dataset.iris import IriSpace
from .engine import backend, screening, service_calls, syntax
from .engine.answer_cache import AnswerCache, answer_key
from .engine.evaluation import Answer, Job
from .engine.remote_store import RemoteStore
from .engine.workers import QueryCrashed, QueryTimeout, WorkerFailed, WorkerPool
from .http import problems
from .http.lru import MIB

QUERIES = Path(__file__).parent / "queries"
_MAX_COUNTS = 100_000  # counts kept; past that they are forgotten and recomputed


def current() -> "Graph":
    """The graph of the application handling the current request."""
    from flask import current_app

    return current_app.extensions["dialogue55"]


@cache
def fixed_query(name: str) -> str:
    """The text of ``server/queries/{name}.rq``."""
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


class Graph:
    """A read-only dataset with its settings: limits, allow-list, namespace."""

    def __init__(self, settings: dict, start_workers: bool = False):
        self.settings = settings
        self.source = sources.Source.from_settings(settings)
        self.space = IriSpace(self.source.published_namespace)
        self.engine = backend.Engine(settings["backend"], self.space.prefixes) if settings["backend"] else None
        self._pool: WorkerPool | None = None
        if start_workers:  # before loading here: the first worker loads its copy meanwhile, on the other core
            self.start_workers()
        try:
            self.store = RemoteStore(self.engine, settings["query_timeout"]) if self.engine \
                else sources.load(self.source)
        except BaseException:
            self.close()  # the worker started above would fail the same way
            raise
        self.version = backend.version(settings["backend"]) if self.engine else sources.version(self.source)
        self.answers = AnswerCache(int(settings["answer_cache"] * MIB))
        self._counts: dict[tuple, int] = {}

    @property
    def pool(self) -> WorkerPool:
        if self._pool is None:
            self._pool = WorkerPool(self.source, self.settings["workers"])
        return self._pool

    def start_workers(self) -> None:
        """Start the query workers now, so they load while the server starts listening."""
        if not self.engine:
            self.pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()

    # --- user SPARQL -------------------------------------------------------

    def sparql(self, job: Job, timeout: float | None = None,
               disconnected: Callable[[], bool] = lambda: False) -> Answer:
        """Screen and run a user query in a worker, within the time limit.

        ``timeout`` may only shorten the configured limit.
        """
        key = answer_key(self.version, job)
        if (cached := self.answers.get(key)) is not None:
            return cached
        names_dataset = self.screen(job.query)
        limit = self.settings["query_timeout"]
        timeout = limit if timeout is None else max(0.001, min(timeout, limit))
        job = Job(**{**job.__dict__, "prefixes": self.space.prefixes, "max_rows": self.settings["max_result_rows"],
                     "names_dataset": names_dataset})
        answer = self._remote(job, timeout) if self.engine else self._evaluate(job, timeout, disconnected)
        self.answers.put(key, answer)
        return answer

    def _evaluate(self, job: Job, timeout: float, disconnected: Callable[[], bool]) -> Answer:
        """Run the job in a killable worker process; map its failures to domain errors."""
        try:
            status, payload = self.pool.run(job, timeout, disconnected)
        except QueryTimeout as error:
            late = None if str(error) else service_calls.timed_out(job.query, self.space.prefixes, timeout)
            if late is not None:
                raise late from None
            reason = str(error) or f"the query ran longer than its time limit of {timeout:g} s"
            raise problems.Unavailable(f"query timed out: {reason}", {"Retry-After": "5"}) from None
        except WorkerFailed as error:
            raise problems.Unavailable(f"no query worker could start: {error}", {"Retry-After": "5"}) from None
        except QueryCrashed:
            raise problems.BadRequest("the query stopped the SPARQL engine; it cannot be evaluated here") from None
        if status == "syntax":
            raise problems.BadRequest(f"SPARQL syntax error: {syntax.explain(payload, job.query, self.space.prefixes)}")
        if status == "io":
            raise service_calls.failed(job.query, self.space.prefixes, payload)
        if status == "error":
            raise problems.BadRequest(f"the query could not be evaluated: {payload}")
        return payload

    def _remote(self, job: Job, timeout: float) -> Answer:
        """Run the job on the external engine; map its failures to domain errors."""
        try:
            return self.engine.answer(job, timeout)
        except backend.TimedOut:
            raise problems.Unavailable(f"query timed out: the SPARQL engine gave no answer within {timeout:g} s",
                                     {"Retry-After": "5"}) from None
        except backend.EngineError as error:
            if error.status is not None:
                raise problems.BadRequest(self._engine_refusal(job.query, str(error))) from None
            if error.failed and screening.services(job.query, self.space.prefixes):
                raise service_calls.failed(job.query, self.space.prefixes, "the SPARQL engine failed while "
                                           "evaluating the query") from None
            if error.failed:
                raise problems.BadGateway(str(error)) from None
            raise problems.Unavailable(str(error), {"Retry-After": "5"}) from None

    def _engine_refusal(self, query: str, message: str) -> str:
        """What the client is told of an engine's 400: a syntax error in words, at the client's positions."""
        if syntax.is_syntax_error(message) or syntax.unknown_prefix(query, self.space.prefixes):
            explained = syntax.explain(message, query, self.space.prefixes, backend.PROLOGUE_LINES)
            return f"SPARQL syntax error: {explained}"
        return f"the query could not be evaluated: {message}"

    def screen(self, query: str) -> bool:
        """Refuse, before any evaluation, what this endpoint never runs; say whether the query names its dataset."""
        if len(query.encode("utf-8", "surrogatepass")) > self.settings["max_query_length"]:
            raise problems.TooLarge(f"the query is longer than {self.settings['max_query_length']} bytes")
        try:
            return screening.screen(query, self.settings["service_allowlist"], self.settings["max_nesting"],
                                    self.space.prefixes)
        except screening.Refused as refusal:
            problem = problems.ReadOnly if refusal.reason == "read-only" else problems.BadRequest
            raise problem(refusal.message) from None

    # --- the server's own queries ------------------------------------------

    def query_text(self, name: str) -> str:
        """The text of the fixed query ``name`` for this graph's store.

        The embedded store's default graph holds each triple once, so its fixed
        queries count and page it without DISTINCT (cheaper on a hub). An
        engine's union default graph may hold a triple once per named graph
        stating it; for it, a query whose answer would change has a DISTINCT
        twin in ``queries/multiset/``.
        """
        if self.engine and (QUERIES / "multiset" / f"{name}.rq").exists():
            return fixed_query(f"multiset/{name}")
        return fixed_query(name)

    def select(self, name: str, **values) -> list[dict]:
        """Rows of the fixed SELECT ``name``, with ``values`` substituted (IRIs as str).

        Each row maps variable names to pyoxigraph terms. The fixed queries bound
        their rows with LIMIT, so reading them row by row stays cheap.
        """
        result = self._fixed(name, values)
        assert isinstance(result, QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def count(self, name: str, **values) -> int:
        """The ``?n`` of the fixed COUNT query ``name``, computed once for this graph.

        The graph is read-only while it is served, so a count cannot change; a
        hub's page shows counts of 100,000 statements on every request, and
        counting them costs tens of milliseconds each time.
        """
        key = (name, *sorted((k, str(v)) for k, v in values.items()))
        if key not in self._counts:
            if len(self._counts) >= _MAX_COUNTS:
                self._counts.clear()
            rows = self.select(name, **values)
            self._counts[key] = int(rows[0]["n"].value) if rows else 0
        return self._counts[key]

    def construct(self, name: str, **values):
        """Triples of the fixed CONSTRUCT or DESCRIBE ``name``, with ``values`` substituted."""
        return self._fixed(name, values)

    def _fixed(self, name: str, values: dict):
        return self.store.query(
            self.query_text(name),
            prefixes=self.space.prefixes,
            substitutions={Variable(k): _term(v) for k, v in values.items()},
        )


def _term(value):
    if isinstance(value, str):
        return NamedNode(value)  # raises ValueError on anything that is not an IRI
    return value
