"""Backend mode against the embedded store: page latency and engine requests per page, side by side.

Our server is started four ways on the project's own dataset, every cache off
(each request renders its page): embedded, then ``--backend`` over each
engine of :mod:`bench.engines` (``oxigraph serve`` and a private Virtuoso),
once through a :class:`~bench.engine_proxy.EngineProxy` that only counts and
once through one that adds ``--delay-ms`` (2 ms) before each engine request,
as a network between the two would. For each route it prints the median of
``--requests`` sequential requests over one keep-alive connection (after one
warm-up request), the ratio to the embedded page, and the engine requests the
route made (counted by the proxy on one request).

    python -m bench.backend                      # writes bench/results-backend.md
    python -m bench.backend --engines oxigraph --requests 10
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
from .servers import ROOT, free_port

ROUTES = ("/", "/page/morocco", "/page/8th-ministerial-conference", "/data/morocco.ttl", "/ontology")
ENGINES = {"oxigraph": engines.oxigraph, "virtuoso": engines.virtuoso}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="d55-bench-backend-") as work:
        report = benchmark(Path(work), args.engines.split(","), args.requests, args.delay_ms / 1000)
    output = args.output or Path(__file__).with_name("results-backend.md")
    output.write_text(report, encoding="utf-8")
    print(report)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated, from " + ", ".join(ENGINES))
    parser.add_argument("--requests", type=int, default=20, help="timed sequential requests per route")
    parser.add_argument("--delay-ms", type=float, default=2.0, help="added before each engine request")
    parser.add_argument("--output", type=Path, default=None, help="Markdown file to write")
    return parser


def benchmark(work: Path, names: list[str], requests: int, delay: float) -> str:
    """Measure every configuration and return the report as Markdown."""
    dump = engines.export(work / "export")
    columns: dict[str, dict[str, float]] = {}
    counts: dict[str, dict[str, int]] = {}
    with serving(work / "embedded") as port:
        columns["embedded"] = {route: median_ms(port, route, requests) for route in ROUTES}
    for name in names:
        (work / name).mkdir()
        with ENGINES[name](work / name, [dump]) as url:
            for added in (0.0, delay):
                label = name if not added else f"{name} +{added * 1000:g} ms"
                with EngineProxy(url, delay=added) as proxy, serving(work / label, proxy.url) as port:
                    columns[label] = {route: median_ms(port, route, requests) for route in ROUTES}
                    if not added:
                        counts[name] = {route: engine_requests(proxy, port, route) for route in ROUTES}
    return report(columns, counts, requests, delay)


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
        stack.callback(_stop, process)
        try:
            _await(port, process)
        except RuntimeError as error:
            raise RuntimeError(f"{error}; its log ends: {(folder / 'server.log').read_text()[-1000:]}") from None
        yield port


def median_ms(port: int, route: str, requests: int) -> float:
    """The median time of ``requests`` sequential GETs of ``route`` on one connection, after one warm-up."""
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        _get(connection, route)
        times = []
        for _ in range(requests):
            began = time.perf_counter()
            _get(connection, route)
            times.append((time.perf_counter() - began) * 1000)
        return statistics.median(times)
    finally:
        connection.close()


def engine_requests(proxy: EngineProxy, port: int, route: str) -> int:
    """How many requests the engine received while one GET of ``route`` was answered."""
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        with proxy.counting() as counted:
            _get(connection, route)
        return counted.requests
    finally:
        connection.close()


def report(columns: dict[str, dict[str, float]], counts: dict[str, dict[str, int]], requests: int,
           delay: float) -> str:
    labels = list(columns)
    head = "| route | " + " | ".join(f"{label} (ms)" for label in labels) + " | " + \
        " | ".join(f"{name} requests" for name in counts) + " |"
    rule = "| --- |" + " ---: |" * (len(labels) + len(counts))
    lines = [f"Median of {requests} sequential requests per route, caches off; ratio to embedded in brackets; "
             f"engine requests counted on one request.", "", head, rule]
    for route in ROUTES:
        base = columns["embedded"][route]
        cells = [f"{columns['embedded'][route]:.1f}"] + \
            [f"{columns[label][route]:.1f} ({columns[label][route] / base:.1f}x)" for label in labels[1:]]
        lines.append(f"| `{route}` | " + " | ".join(cells) + " | " +
                     " | ".join(str(counts[name][route]) for name in counts) + " |")
    return "\n".join(lines) + "\n"


def _get(connection: HTTPConnection, route: str) -> None:
    connection.request("GET", route, headers={"Accept": "text/html" if not route.endswith(".ttl") else "text/turtle"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{route} answered {response.status}")


def _await(port: int, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering")
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.05)  # between two polls
    raise RuntimeError(f"the server gave no answer within {seconds:g} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


if __name__ == "__main__":
    raise SystemExit(main())
