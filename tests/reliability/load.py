"""A bounded load generator for a running server on 127.0.0.1.

``run(url, pid, clients, seconds)`` keeps ``clients`` threads busy with a fixed
mix of requests (SPARQL in every result and graph format, by GET and both POST
forms; the home page; resource pages; the whole dataset) for ``seconds``, and
samples the server's resident memory (its query workers included) once a second.
Nothing here asserts: callers decide what must hold, from the :class:`Report`.
"""

from __future__ import annotations

import itertools
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import requests

from . import procs

SELECT = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 50"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 100"
ASK = "ASK { ?s owl:sameAs ?o }"
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"

# (label, method, path, keyword arguments of requests). Results formats by Accept and by format=,
# graph formats likewise; the three protocol operations; pages and the dataset in full.
MIX = [
    ("select-json", "GET", "sparql", {"params": {"query": SELECT}, "headers": {"Accept": "application/sparql-results+json"}}),
    ("select-xml", "GET", "sparql", {"params": {"query": SELECT, "format": "xml"}}),
    ("select-csv", "POST", "sparql", {"data": {"query": SELECT}, "headers": {"Accept": "text/csv"}}),
    ("select-tsv", "POST", "sparql", {"data": SELECT.encode(), "headers": {"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"}}),
    ("ask", "GET", "sparql", {"params": {"query": ASK}}),
    ("group-by", "GET", "sparql", {"params": {"query": GRAPHS}}),
    ("all-quads-tsv", "GET", "sparql", {"params": {"query": ALL_QUADS, "format": "tsv"}}),
    ("construct-ttl", "GET", "sparql", {"params": {"query": CONSTRUCT}, "headers": {"Accept": "text/turtle"}}),
    ("construct-nt", "GET", "sparql", {"params": {"query": CONSTRUCT, "format": "nt"}}),
    ("construct-rdfxml", "POST", "sparql", {"data": {"query": CONSTRUCT}, "headers": {"Accept": "application/rdf+xml"}}),
    ("construct-jsonld", "GET", "sparql", {"params": {"query": CONSTRUCT}, "headers": {"Accept": "application/ld+json"}}),
    ("home", "GET", "", {"headers": {"Accept": "text/html"}}),
    ("service-description", "GET", "sparql", {"headers": {"Accept": "text/turtle"}}),
    ("iri-303", "GET", "id/dialogue-5-5", {"headers": {"Accept": "application/ld+json"}}),
    ("page-html", "GET", "page/morocco", {"headers": {"Accept": "text/html"}}),
    ("page-fr", "GET", "page/8th-ministerial-conference", {"headers": {"Accept": "text/html", "Accept-Language": "fr"}}),
    ("data-ttl", "GET", "data/morocco.ttl", {}),
    ("search", "GET", "search", {"params": {"q": "maroc"}, "headers": {"Accept": "text/html"}}),
    ("dump-nq", "GET", "dump.nq", {}),
    ("dump-trig", "GET", "dump.trig", {}),
]


@dataclass
class Report:
    """What a load run saw: statuses per request kind, errors, latencies, memory samples."""

    seconds: float = 0.0
    clients: int = 0
    statuses: Counter = field(default_factory=Counter)
    by_kind: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    memory: list = field(default_factory=list)  # (seconds since start, bytes of the whole tree)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + len(self.errors)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0

    def summary(self) -> str:
        mib = 1024 * 1024
        start = self.memory[0][1] / mib if self.memory else 0
        end = self.memory[-1][1] / mib if self.memory else 0
        peak = max((m for _, m in self.memory), default=0) / mib
        return (f"{self.requests} requests in {self.seconds:.1f} s by {self.clients} clients "
                f"({self.requests / max(self.seconds, 1e-9):.0f}/s); statuses {dict(sorted(self.statuses.items()))}; "
                f"5xx {self.server_errors}; connection errors {len(self.errors)}; "
                f"latency p50 {self.percentile(50) * 1000:.1f} ms, p99 {self.percentile(99) * 1000:.1f} ms, "
                f"mean {statistics.fmean(self.latencies) * 1000 if self.latencies else 0:.1f} ms; "
                f"memory (server + workers) start {start:.0f} MiB, peak {peak:.0f} MiB, end {end:.0f} MiB")


def run(url: str, pid: int, clients: int = 64, seconds: float = 5.0, mix=MIX) -> Report:
    """Load the server at ``url`` (process ``pid``) with ``clients`` threads for ``seconds``."""
    report = Report(clients=clients)
    lock = threading.Lock()
    stop = threading.Event()
    turns = itertools.count()
    start = time.monotonic()
    sampler = threading.Thread(target=_sample_memory, args=(pid, report, stop, start), daemon=True)
    sampler.start()
    workers = [threading.Thread(target=_client, args=(url, mix, turns, start + seconds, report, lock), daemon=True)
               for _ in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    report.seconds = time.monotonic() - start
    stop.set()
    sampler.join()
    report.memory.append((report.seconds, procs.tree_rss_bytes(pid)))
    return report


def _client(url, mix, turns, deadline, report: Report, lock: threading.Lock) -> None:
    session = requests.Session()
    while time.monotonic() < deadline:
        label, method, path, kwargs = mix[next(turns) % len(mix)]
        began = time.monotonic()
        try:
            response = session.request(method, url + path, timeout=60, allow_redirects=False, **kwargs)
            status = response.status_code
            _ = response.content
        except requests.RequestException as error:
            with lock:
                report.errors.append(f"{label}: {type(error).__name__}: {error}")
            session = requests.Session()
            continue
        elapsed = time.monotonic() - began
        with lock:
            report.statuses[status] += 1
            report.by_kind.setdefault(label, Counter())[status] += 1
            report.latencies.append(elapsed)
    session.close()


def _sample_memory(pid: int, report: Report, stop: threading.Event, start: float) -> None:
    while True:
        report.memory.append((time.monotonic() - start, procs.tree_rss_bytes(pid)))
        if stop.wait(1.0):
            return
