"""The server's metrics in the Prometheus text format, from ``prometheus_client``.

One :class:`Metrics` per application, with its own registry (no process-wide
state). Counters and histograms are fed one :class:`~server.http.exchange.Exchange`
at a time by the RSGI bridge; the state of the query workers and of the caches is
read when ``/metrics`` is scraped, through the callables given to
:meth:`Metrics.watch_workers` and :meth:`Metrics.watch_cache`.

Labels are bounded: a route is the name of a Flask endpoint (``site.page``), never
a path; a status is one of the few the application sends; an outcome one of
:data:`~server.http.exchange.OUTCOMES`.

>>> from server.http.exchange import Exchange
>>> metrics = Metrics()
>>> metrics.observe(Exchange(0.0, "c", "GET", "/sparql", "", 200, 10, 0.01, "miss", "sparql.endpoint", "ok", 0.005))
>>> metrics.registry.get_sample_value("dialogue55_sparql_queries_total", {"outcome": "ok"})
1.0
"""

from __future__ import annotations

from typing import Callable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from .exchange import OUTCOMES, Exchange

CONTENT_TYPE = CONTENT_TYPE_LATEST
REQUEST_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
CACHE_RESULTS = ("hit", "stored", "miss", "bypass")  # RFC 9211 Cache-Status, as the bridge names them


class Metrics:
    """The instruments of one server and the registry they are exposed from."""

    def __init__(self):
        self.registry = CollectorRegistry()
        self.requests = Counter("dialogue55_http_requests", "HTTP requests answered, by route and status.",
                                ["route", "status"], registry=self.registry)
        self.duration = Histogram("dialogue55_http_request_duration_seconds",
                                  "Time from a request's arrival to its last byte handed to the server, by route.",
                                  ["route"], buckets=REQUEST_BUCKETS, registry=self.registry)
        self.response_cache = Counter("dialogue55_http_response_cache_requests",
                                      "Requests by what the response cache did (hit, stored, miss, bypass).",
                                      ["result"], registry=self.registry)
        self.queries = Counter("dialogue55_sparql_queries", "SPARQL queries by outcome.", ["outcome"],
                               registry=self.registry)
        self.query_duration = Histogram("dialogue55_sparql_query_duration_seconds",
                                        "Time to answer a SPARQL query (evaluation, or the answer cache).",
                                        buckets=REQUEST_BUCKETS, registry=self.registry)
        for outcome in OUTCOMES:  # every outcome shows, at 0 until it happens
            self.queries.labels(outcome)
        for result in CACHE_RESULTS:
            self.response_cache.labels(result)

    def observe(self, exchange: Exchange) -> None:
        """Count one answered request (called by the RSGI bridge, for hits too)."""
        self.requests.labels(exchange.route, str(exchange.status)).inc()
        self.duration.labels(exchange.route).observe(exchange.seconds)
        self.response_cache.labels(exchange.cache).inc()
        if exchange.outcome is not None:
            self.queries.labels(exchange.outcome).inc()
            if exchange.query_seconds is not None:
                self.query_duration.observe(exchange.query_seconds)

    def watch_workers(self, state: Callable[[], dict]) -> None:
        """Expose ``state()`` (``{"size": n, "alive": n, "busy": n}``) as worker gauges at each scrape."""
        self.registry.register(_Workers(state))

    def watch_cache(self, name: str, lru) -> None:
        """Expose a :class:`~server.http.lru.BoundedLRU`'s hits, misses, entries and bytes, as cache ``name``."""
        self.registry.register(_Cache(name, lru))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _Workers:
    def __init__(self, state: Callable[[], dict]):
        self.state = state

    def collect(self):
        gauge = GaugeMetricFamily("dialogue55_query_workers", "Query worker processes: the most allowed, "
                                  "those alive, those running a query.", labels=["state"])
        for name, value in self.state().items():
            gauge.add_metric([name], value)
        yield gauge


class _Cache:
    def __init__(self, name: str, lru):
        self.name, self.lru = name, lru

    def collect(self):
        stats = self.lru.stats()
        for kind, family in (("hits", CounterMetricFamily), ("misses", CounterMetricFamily)):
            metric = family(f"dialogue55_{self.name}_cache_{kind}", f"Lookups in the {self.name} cache that found "
                            f"{'an entry' if kind == 'hits' else 'nothing'}.")
            metric.add_metric([], stats[kind])
            yield metric
        yield GaugeMetricFamily(f"dialogue55_{self.name}_cache_entries", f"Entries in the {self.name} cache.",
                                value=stats["entries"])
        yield GaugeMetricFamily(f"dialogue55_{self.name}_cache_bytes", f"Bytes the {self.name} cache holds "
                                "(the bound it is kept within: dialogue55_..._cache_max_bytes).", value=stats["bytes"])
        yield GaugeMetricFamily(f"dialogue55_{self.name}_cache_max_bytes", f"The {self.name} cache's bound, in bytes.",
                                value=stats["max_bytes"])
