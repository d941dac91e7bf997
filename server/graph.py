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

import itertools
import logging
from contextlib import nullcontext
from functools import cache
from pathlib import Path
from typing import Callable

from pyoxigraph import NamedNode, QuerySolutions, RdfFormat, Triple, Variable, serialize

from .dataset import sources, wikidata_view
from .dataset.iris import IriSpace
from .engine import backend, evaluation, forwarding, label_service, rewriting, screening, service_calls, syntax
from .engine.answer_cache import AnswerCache, answer_key
from .engine.evaluation import Answer, Job
from .engine.remote_store import RemoteStore
from .engine.workers import QueryCrashed, QueryTimeout, WorkerFailed, WorkerPool
from .http import problems
from .http.lru import MIB

QUERIES = Path(__file__).parent / "queries"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
WAS_DERIVED_FROM = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
DESCRIPTION = NamedNode("http://purl.org/dc/terms/description")
_MAX_COUNTS = 100_000  # counts kept; past that they are forgotten and recomputed
HEALTH_SECONDS = 2.0  # longest /healthz waits for a worker (or the engine) to answer ASK {}


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
            self.store = RemoteStore(self.engine, settings["query_timeout"], self.space.namespace + "graph/") \
                if self.engine \
                else sources.load(self.source)
        except BaseException:
            self.close()  # the worker started above would fail the same way
            raise
        self.version = backend.version(settings["backend"]) if self.engine else sources.version(self.source)
        self.answers = AnswerCache(int(settings["answer_cache"] * MIB))
        self._counts: dict[tuple, int] = {}
        if self.engine:
            self._check_engine()
            self._read_our_graphs()
            self._check_wikidata_view()

    def _check_engine(self) -> None:
        """Refuse to serve an engine that cannot be reached, holds none of our graphs, or whose default graph
        is not their union (one count and one ASK): every page would be empty or an error."""
        url, graphs = self.settings["backend"], self.store.ours.value
        try:
            count, union = self.store.readiness()
        except problems.Problem as problem:
            reason = problem.message.removeprefix("the SPARQL engine failed on a page query: ")
            raise sources.DatasetError(f"cannot serve the SPARQL engine at {url}: {reason}") from None
        if count == 0:
            raise sources.DatasetError(
                f"the SPARQL engine at {url} holds none of our graphs (named graphs under {graphs}); "
                "load it with the output of `dialogue55 export`")
        if not union:
            raise sources.DatasetError(
                f"the SPARQL engine at {url} holds {count} of our graphs but its default graph is not their union; "
                "start it with the union default graph (oxigraph serve-read-only --union-default-graph; "
                "Virtuoso's default graph is the union as shipped)")

    def _read_our_graphs(self) -> None:
        """Give the engine the list of our graphs: the dataset of every user query that names none."""
        try:
            self.engine.our_graphs = tuple(sorted(g.value for g in self.store.named_graphs()))
        except problems.Problem:
            return  # the engine answered the start-up check: a failure now is reported by the first request

    def _check_wikidata_view(self) -> None:
        """Say in one line if the engine lacks the Wikidata view: questions in Wikidata's terms would find nothing."""
        view = NamedNode(self.space.namespace + wikidata_view.VIEW_GRAPH)
        try:
            present = self.store.contains_named_graph(view)
        except problems.Problem:
            return  # the engine answered the start-up check: a failure now is reported by the first request
        if not present:
            logging.getLogger("dialogue55").warning(
                "dialogue55: the engine holds no %s graph: questions in Wikidata's terms will find nothing; "
                "load the engine from `dialogue55 export`, which includes it", view.value)

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

    def workers_state(self) -> dict[str, int]:
        """The query workers: the most allowed, those alive, those busy (all 0 with an external engine)."""
        if self.engine or self._pool is None:
            return {"size": 0 if self.engine else self.settings["workers"], "alive": 0, "busy": 0}
        return self._pool.state()

    def health(self) -> tuple[bool, dict]:
        """Whether the graph answers a query now (a worker, or the external engine), with what is served."""
        try:
            answered, triples = self.answer_probe(), self.count("triple_count")
        except problems.Problem:  # no worker free or able to start, or the engine does not answer
            answered, triples = False, None
        return answered, {"version": self.version, "triples": triples, "workers": self.workers_state()}

    def answer_probe(self) -> bool:
        """Run ``ASK {}`` where user queries run, past the answer cache, within :data:`HEALTH_SECONDS`."""
        job = Job("ASK {}", prefixes=self.space.prefixes)
        timeout = min(HEALTH_SECONDS, self.settings["query_timeout"])
        answer = self._remote(job, timeout) if self.engine else self._evaluate(job, timeout, lambda: False)
        return answer.kind == "boolean"

    # --- user SPARQL -------------------------------------------------------

    def sparql(self, job: Job, timeout: float | None = None,
               disconnected: Callable[[], bool] = lambda: False) -> Answer:
        """Screen and run a user query in a worker, within the time limit.

        ``timeout`` may only shorten the configured limit.
        """
        key = answer_key(self.version, job)
        if (cached := self.answers.get(key)) is not None:
            return cached
        query = self.prepare(job.query)
        names_dataset = self.screen(query, job.base_iri)
        limit = self.settings["query_timeout"]
        timeout = limit if timeout is None else max(0.001, min(timeout, limit))
        job = Job(**{**job.__dict__, "query": self.published(query), "prefixes": self.space.prefixes,
                     "default_graphs": self._published_all(job.default_graphs),
                     "named_graphs": self._published_all(job.named_graphs),
                     "max_rows": self.settings["max_result_rows"], "names_dataset": names_dataset})
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
            raise outcome(problems.Unavailable(f"query timed out: {reason}", {"Retry-After": "5"}), "timeout") from None
        except WorkerFailed as error:
            raise outcome(problems.Unavailable(f"no query worker could start: {error}", {"Retry-After": "5"}),
                          "crashed") from None
        except QueryCrashed:
            raise outcome(problems.BadRequest("the query stopped the SPARQL engine; it cannot be evaluated here"),
                          "crashed") from None
        if status == "syntax":
            raise outcome(problems.BadRequest(
                f"SPARQL syntax error: {syntax.explain(payload, job.query, self.space.prefixes)}"), "invalid")
        if status == "io":
            raise outcome(service_calls.failed(job.query, self.space.prefixes, payload), "upstream")
        if status == "error":
            raise outcome(problems.BadRequest(f"the query could not be evaluated: {payload}"), "invalid")
        return payload

    def _remote(self, job: Job, timeout: float) -> Answer:
        """Run the job on the external engine; map its failures to domain errors."""
        try:
            return self.engine.answer(job, timeout)
        except backend.TimedOut as error:
            reason = str(error) or f"the SPARQL engine gave no answer within {timeout:g} s"
            raise outcome(problems.Unavailable(f"query timed out: {reason}", {"Retry-After": "5"}), "timeout") from None
        except backend.EngineError as error:
            if error.status is not None:
                raise outcome(problems.BadRequest(self._engine_refusal(job.query, str(error))), "invalid") from None
            if error.failed and screening.services(job.query, self.space.prefixes):
                raise outcome(service_calls.failed(job.query, self.space.prefixes, "the SPARQL engine failed while "
                                                   "evaluating the query"), "upstream") from None
            if error.failed:  # an answer we cannot read: the same query would fail the same way
                raise outcome(problems.BadGateway(str(error)), "upstream") from None
            # unreachable: the engine's fault, and a retry can succeed once it is back
            raise outcome(problems.BadGateway(str(error), {"Retry-After": "5"}), "upstream") from None

    def whole_graph(self, iri: str | None, graph_format: str) -> Answer:
        """The named graph ``iri`` (None: the union of ours, each triple once) from the external engine, as the
        answer to ``CONSTRUCT WHERE { ?s ?p ?o }`` over it: read by key to the end, cut at ``max_result_rows``."""
        limit = self.settings["max_result_rows"]
        triples = self.store.graph_triples(NamedNode(iri)) if iri is not None else self.store.union_triples()
        body = serialize(list(itertools.islice(triples, limit + 1)), format=RdfFormat.N_TRIPLES)
        job = Job("CONSTRUCT WHERE { ?s ?p ?o }", results_format=None, graph_format=graph_format, max_rows=limit)
        return evaluation.shape(backend.NTriples(body), job)

    def published(self, query: str) -> str:
        """The query with IRIs of the canonical namespace rewritten as the store publishes them (see
        :mod:`server.engine.rewriting`); unchanged without a base IRI."""
        return rewriting.rewrite_iris(query, self.source.namespace, self.source.published_namespace)

    def published_iri(self, iri: str) -> str:
        """One IRI of the canonical namespace as the store publishes it (a graph named in a request)."""
        return rewriting.rewrite_iri(iri, self.source.namespace, self.source.published_namespace)

    def _published_all(self, iris: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if iris is None else tuple(self.published_iri(iri) for iri in iris)

    def prepare(self, query: str) -> str:
        """The query as it will run: within the length limit, its label service clauses rewritten
        into standard SPARQL (:mod:`server.engine.label_service`), so no engine ever sees them."""
        if len(query.encode("utf-8", "surrogatepass")) > self.settings["max_query_length"]:
            raise problems.TooLarge(f"the query is longer than {self.settings['max_query_length']} bytes")
        try:
            return label_service.rewrite(query, self.space.prefixes)
        except label_service.LabelServiceError as error:
            raise problems.BadRequest(f"SERVICE wikibase:label: {error}") from None

    def _engine_refusal(self, query: str, message: str) -> str:
        """What the client is told of an engine's 400: a syntax error in words, at the client's positions."""
        if syntax.is_syntax_error(message) or syntax.unknown_prefix(query, self.space.prefixes):
            explained = syntax.explain(message, query, self.space.prefixes, backend.PROLOGUE_LINES)
            return f"SPARQL syntax error: {explained}"
        return f"the query could not be evaluated: {message}"

    def screen(self, query: str, base_iri: str | None = None) -> bool:
        """Refuse, before any evaluation, what this endpoint never runs; say whether the query names its dataset.

        In front of an external engine, the query must also be proved plain
        SPARQL 1.1 by parsing it (:mod:`server.engine.forwarding`), as its text is forwarded.
        """
        if len(query.encode("utf-8", "surrogatepass")) > self.settings["max_query_length"]:
            raise outcome(problems.TooLarge(f"the query is longer than {self.settings['max_query_length']} bytes"),
                          "refused")
        try:
            names_dataset = screening.screen(query, self.settings["service_allowlist"], self.settings["max_nesting"],
                                             self.space.prefixes)
            if self.engine:
                forwarding.check(query, self.space.prefixes, base_iri)
            return names_dataset
        except SyntaxError as error:
            raise outcome(problems.BadRequest(
                f"SPARQL syntax error: {syntax.explain(str(error), query, self.space.prefixes)}"), "invalid") from None
        except screening.Refused as refusal:
            problem = problems.ReadOnly if refusal.reason == "read-only" else problems.BadRequest
            raise outcome(problem(refusal.message), "refused") from None

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

    # --- few queries per page over an engine ---------------------------------

    def request_scope(self):
        """The context of one request: over an engine, what the pages read is kept until it ends
        (see :class:`~server.engine.remote_store.RemoteStore`); over the embedded store, nothing."""
        return self.store.scope() if self.engine else nullcontext()

    def prefetch(self, *, selects=(), statements=(), **lookups) -> None:
        """Say what a page is about to read, so that an external engine is asked for it in one request.

        ``selects`` are ``(query text, values)`` pairs of fixed SELECTs (values as
        for :meth:`select`, IRIs as str), answered again when the page runs the
        same query with the same values; ``statements`` are such pairs of
        SELECTs of ``?s ?p ?o``, read with the graphs of each statement; ``lookups`` are what
        :meth:`RemoteStore.prefetch <server.engine.remote_store.RemoteStore.prefetch>`
        takes (``neighbourhoods``, ``facts``, ``triples``, ``graphs``). Over the
        embedded store nothing is done: its lookups cost no round trip.
        """
        if not self.engine:
            return
        bound = lambda pairs: [(text, self.space.prefixes, {Variable(k): _term(v) for k, v in values.items()})  # noqa: E731
                               for text, values in pairs]
        self.store.prefetch(queries=bound(selects), statements=bound(statements), **lookups)

    @property
    def batches(self) -> bool:
        """Whether reading ahead with :meth:`prefetch` saves anything (over an external engine)."""
        return self.engine is not None

    def known_count(self, name: str, **values) -> int | None:
        """What :meth:`count` answers, if it has been computed already; else None."""
        return self._counts.get(_count_key(name, values))

    def derived_graphs(self) -> list[Triple]:
        """What each derived graph is and where it comes from, in PROV, for VoID and the service description."""
        derived = NamedNode(self.space.namespace + "ontology#DerivedGraph")
        triples = []
        for row in self.select("derived_graphs", derived=derived):
            triples += [Triple(row["g"], RDF_TYPE, derived), Triple(row["g"], WAS_DERIVED_FROM, row["source"])]
            if "description" in row:
                triples.append(Triple(row["g"], DESCRIPTION, row["description"]))
        return list(dict.fromkeys(triples))

    def select(self, name: str, **values) -> list[dict]:
        """Rows of the fixed SELECT ``name``, with ``values`` substituted (IRIs as str).

        Each row maps variable names to pyoxigraph terms. The fixed queries bound
        their rows with LIMIT, so reading them row by row stays cheap.
        """
        result = self._fixed(name, values)
        if not isinstance(result, QuerySolutions):  # only an external engine can answer a SELECT otherwise
            raise problems.BadGateway(f"the SPARQL engine did not answer the fixed query {name} with solutions")
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def count(self, name: str, **values) -> int:
        """The ``?n`` of the fixed COUNT query ``name``, computed once for this graph.

        The graph is read-only while it is served, so a count cannot change; a
        hub's page shows counts of 100,000 statements on every request, and
        counting them costs tens of milliseconds each time.
        """
        key = _count_key(name, values)
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


def outcome(problem: problems.Problem, word: str) -> problems.Problem:
    """``problem``, marked with what became of the query (see :data:`server.http.exchange.OUTCOMES`).

    The endpoint reads it back with :func:`outcome_of` for the access log and the metrics.
    """
    problem.outcome = word
    return problem


def outcome_of(problem: problems.Problem) -> str:
    """What became of the query that raised ``problem``: a refusal unless it was marked otherwise."""
    return getattr(problem, "outcome", "refused")


def _count_key(name: str, values: dict) -> tuple:
    return (name, *sorted((k, str(v)) for k, v in values.items()))


def _term(value):
    if isinstance(value, str):
        return NamedNode(value)  # raises ValueError on anything that is not an IRI
    return value
