"""What the query time limit costs: each query of the mix evaluated in process and through a worker.

The time limit holds because user queries run in killable worker processes
(``server/engine/workers.py``). This times, for every query of the benchmark mix on a
generated graph, the same evaluation (``server.engine.evaluation.evaluate``, bytes out)
directly in this process and through the worker pool, sequentially, and prints
the median of each and the difference: the price of the hop (pickling the job,
a pipe each way, the result bytes copied back).

    python3 -m bench.isolation --size tiny --repeat 200
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from pyoxigraph import Store

from server import create_app
from server.dataset import sources
from server.dataset.iris import IriSpace
from server.engine.evaluation import Job, evaluate
from server.engine.workers import WorkerPool
from server.http.rsgi import _call, wsgi_environ
from server.settings import NAMESPACE

from .generate import SIZES, generate
from .mix import QUERIES, sparql_requests
from .unlimited import InProcess


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="tiny", help="tiny, 1e5, 1e6 or a number of triples")
    parser.add_argument("--repeat", type=int, default=200, help="timed evaluations per query and way")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        data.mkdir()
        with (data / "graph.nq").open("w", encoding="utf-8") as out:
            generate(SIZES.get(args.size) or int(float(args.size)), out)
        source = sources.Source(ontology=None, data=(data,), namespace=NAMESPACE)
        store = sources.load(source)
        pool = WorkerPool(source, size=1)
        try:
            print(table(store, pool, args.repeat))
        finally:
            pool.close()
        print()
        print(requests_table(folder, data, args.repeat))
    return 0


def table(store: Store, pool: WorkerPool, repeat: int) -> str:
    prefixes = IriSpace(NAMESPACE).prefixes
    lines = ["| query | in process (ms) | through a worker (ms) | hop (ms) |", "| --- | ---: | ---: | ---: |"]
    for name, (query, accept) in QUERIES.items():
        job = Job(query, results_format="application/sparql-results+json", graph_format="text/turtle",
                  prefixes=prefixes)
        direct = _median(lambda: evaluate(store, job), repeat)
        hopped = _median(lambda: pool.run(job, timeout=60), repeat)
        lines.append(f"| {name} | {direct:.3f} | {hopped:.3f} | {hopped - direct:+.3f} |")
    return "\n".join(lines)


def requests_table(folder: str, data: Path, repeat: int) -> str:
    """Whole uncached requests through Flask (both caches off), with the hop and without it.

    The web process spends this time per request; at one client its inverse is
    the throughput, so the difference is what the time limit costs there.
    """
    app = create_app({"ontology": Path(folder), "data": (data,), "answer_cache": 0, "response_cache": 0})
    graph = app.extensions["dialogue55"]
    lines = ["| query | request, in process (ms) | request, through a worker (ms) | throughput lost |",
             "| --- | ---: | ---: | ---: |"]
    try:
        for request in sparql_requests("/sparql"):
            path, query_string = request.path.split("?", 1)
            scope = SimpleNamespace(method="GET", path=path, query_string=query_string, server="127.0.0.1:80",
                                    client="127.0.0.1:1", scheme="http", http_version="1.1", authority=None,
                                    headers=_Headers([("host", "127.0.0.1"), ("accept", request.accept)]))

            def one() -> None:
                status = _call(app, wsgi_environ(scope, b""))[0]
                assert status == 200, status

            hopped = _median(one, repeat)
            pool, graph._pool = graph.pool, InProcess(graph.store)
            try:
                direct = _median(one, repeat)
            finally:
                graph._pool = pool
            lines.append(f"| {request.name} | {direct:.3f} | {hopped:.3f} | {1 - direct / hopped:.0%} |")
    finally:
        graph.close()
    return "\n".join(lines)


class _Headers:
    def __init__(self, pairs):
        self.pairs = pairs

    def items(self):
        return self.pairs


def _median(call, repeat: int) -> float:
    call()  # warm: the worker's first job, the store's caches
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


if __name__ == "__main__":
    raise SystemExit(main())
