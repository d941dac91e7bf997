"""Backend mode against the embedded store: page latency and engine requests per page, side by side.

Our server is started four ways on the project's own dataset, every cache off
(each request renders its page): embedded, then ``--backend`` over each
engine of :mod:`bench.engines` (``oxigraph serve`` and a private Virtuoso),
once through a :class:`~bench.engine_proxy.EngineProxy` that only counts and
once through one that adds ``--delay-ms`` (2 ms) before each engine request,
as a network between the two would. All of them run at once, asked in turn
(round after round, route after route, one keep-alive connection each), so
the machine's load hits them alike. For each route it prints the median over
``--requests`` rounds (after a warm-up round), the ratio to the embedded page,
and the engine requests the route made, counted by the proxy on its first
request to a fresh server and on the next one ("first / again").

    python -m bench.backend                      # writes bench/results-backend.md
    python -m bench.backend --engines oxigraph --requests 10
    python -m bench.backend --virtuoso-estimate 400   # Virtuoso's cost estimate on, as shipped

Virtuoso runs with the README's ``virtuoso.ini``: its cost estimate off
(``MaxQueryCostEstimationTime = 0``), unless ``--virtuoso-estimate`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from http.client import HTTPConnection
from pathlib import Path
from typing import Iterator

from . import engines
from .engine_proxy import EngineProxy
from .servers import ROOT, await_answer, free_port, stop

ROUTES = ("/", "/page/morocco", "/page/8th-ministerial-conference", "/page/dialogue-5-5", "/data/morocco.ttl",
          "/data/morocco.jsonld", "/graph/labels", "/graph/sentence-13.html", "/ontology", "/read/article")
ENGINES = {"oxigraph": engines.oxigraph, "virtuoso": engines.virtuoso}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="d55-bench-backend-") as work:
        report = benchmark(Path(work), args.engines.split(","), args.requests, args.delay_ms / 1000,
                           args.virtuoso_estimate)
    output = args.output or Path(__file__).with_name("results-backend.md")
    output.write_text(report, encoding="utf-8")
    print(report)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated, from " + ", ".join(ENGINES))
    parser.add_argument("--requests", type=int, default=20, help="timed sequential requests per route")
    parser.add_argument("--delay-ms", type=float, default=2.0, help="added before each engine request")
    parser.add_argument("--virtuoso-estimate", type=int, default=0,
                        help="Virtuoso's MaxQueryCostEstimationTime (0: off, as the README advises; 400 as shipped)")
    parser.add_argument("--output", type=Path, default=None, help="Markdown file to write")
    return parser


def benchmark(work: Path, names: list[str], requests: int, delay: float, estimate_s: int = 0) -> str:
    """Measure every configuration and return the report as Markdown.

    Every server runs at once and the rounds are interleaved (each route asked
    of each server in turn), so a change in the machine's load hits them all alike.
    """
    dump = engines.export(work / "export")
    ports: dict[str, int] = {}
    counts: dict[str, dict[str, str]] = {}
    with ExitStack() as stack:
        ports["embedded"] = stack.enter_context(serving(work / "embedded"))
        for name in names:
            (work / name).mkdir()
            options = {"estimate_s": estimate_s} if name == "virtuoso" else {}
            url = stack.enter_context(ENGINES[name](work / name, [dump], **options))
            for added in (0.0, delay):
                label = name if not added else f"{name} +{added * 1000:g} ms"
                proxy = stack.enter_context(EngineProxy(url, delay=added))
                ports[label] = stack.enter_context(serving(work / label.replace(" ", ""), proxy.url))
                if not added:
                    counts[name] = {route: engine_requests(proxy, ports[label], route) for route in ROUTES}
        times = interleaved(ports, requests)
    return report(times, counts, requests, estimate_s)


def interleaved(ports: dict[str, int], requests: int) -> dict[str, dict[str, float]]:
    """The median time (ms) of each route on each server, over ``requests`` interleaved rounds after a warm-up."""
    connections = {label: HTTPConnection("127.0.0.1", port, timeout=60) for label, port in ports.items()}
    times: dict[str, dict[str, list[float]]] = {label: {route: [] for route in ROUTES} for label in ports}
    try:
        for round_ in range(requests + 1):
            for route in ROUTES:
                for label, connection in connections.items():
                    began = time.perf_counter()
                    _get(connection, route)
                    if round_:  # the first round warms up
                        times[label][route].append((time.perf_counter() - began) * 1000)
    finally:
        for connection in connections.values():
            connection.close()
    return {label: {route: statistics.median(values) for route, values in by_route.items()}
            for label, by_route in times.items()}


@contextmanager
def serving(folder: Path, backend: str | None = None) -> Iterator[int]:
    """``dialogue55 serve`` with both caches off, embedded or in front of ``backend``; yields its port."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "DIALOGUE55_ANSWER_CACHE": "0", "DIALOGUE55_RESPONSE_CACHE": "0"}
    command = [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if backend:
        command += ["--backend", backend]
    with open(folder / "server.log", "w") as log, ExitStack() as stack:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        stack.callback(stop, process)
        try:
            await_answer(f"http://127.0.0.1:{port}/healthz", process)
        except RuntimeError as error:
            raise RuntimeError(f"{error}; its log ends: {(folder / 'server.log').read_text()[-1000:]}") from None
        yield port


def engine_requests(proxy: EngineProxy, port: int, route: str) -> str:
    """How many requests the engine received while ``route`` was answered: the first time, then again."""
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    found = []
    try:
        for _ in range(2):
            with proxy.counting() as counted:
                _get(connection, route)
            found.append(counted.requests)
        return " / ".join(map(str, found))
    finally:
        connection.close()


def report(columns: dict[str, dict[str, float]], counts: dict[str, dict[str, str]], requests: int,
           estimate_s: int = 0) -> str:
    labels = list(columns)
    head = "| route | " + " | ".join(f"{label} (ms)" for label in labels) + " | " + \
        " | ".join(f"{name} requests" for name in counts) + " |"
    rule = "| --- |" + " ---: |" * (len(labels) + len(counts))
    lines = [f"Median of {requests} requests per route and server, caches off, servers asked in turn; ratio to "
             f"embedded in brackets; engine requests (first / again) counted by the proxy. Virtuoso's "
             f"MaxQueryCostEstimationTime = {estimate_s}.", "", head, rule]
    for route in ROUTES:
        base = columns["embedded"][route]
        cells = [f"{columns['embedded'][route]:.1f}"] + \
            [f"{columns[label][route]:.1f} ({columns[label][route] / base:.1f}x)" for label in labels[1:]]
        lines.append(f"| `{route}` | " + " | ".join(cells) + " | " +
                     " | ".join(counts[name][route] for name in counts) + " |")
    return "\n".join(lines) + "\n"


def _get(connection: HTTPConnection, route: str) -> None:
    connection.request("GET", route, headers={"Accept": "text/html" if not route.endswith(".ttl") else "text/turtle"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{route} answered {response.status}")


if __name__ == "__main__":
    raise SystemExit(main())
