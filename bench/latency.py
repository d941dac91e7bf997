"""Sequential latency of single resources: the first request, then p50 and p99 of the next ones.

Throughput runs (``bench.run``) show the mix; this shows what one person waits
for one page, hub resources included, which is where paging and counting
matter. It starts ``dialogue55 serve`` on a persistent store (or on the
embedded graph), sends each path once, then ``--requests`` more times over
one keep-alive connection, and prints a Markdown table.

    python3 -m bench.latency --store STORE /page/forum-0 /data/forum-0.ttl /page/state-1
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from http.client import HTTPConnection

from .servers import ROOT, await_answer, free_port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="paths to time, e.g. /page/forum-0")
    parser.add_argument("--store", default=None, help="a store made by `dialogue55 load` (default: the embedded graph)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per path, after the first")
    args = parser.parse_args(argv)
    port = free_port()
    command = [sys.executable, "-m", "server", "serve", "--port", str(port)]
    if args.store:
        command += ["--store", args.store]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        try:
            await_answer(f"http://127.0.0.1:{port}/healthz", server)
        except RuntimeError as error:
            raise SystemExit(str(error)) from None
        print("| path | first (ms) | p50 (ms) | p99 (ms) |\n| --- | ---: | ---: | ---: |")
        for path in args.paths:
            first, rest = _time(port, path, args.requests)
            print(f"| `{path}` | {first:.1f} | {statistics.median(rest):.1f} | {_percentile(rest, 0.99):.1f} |")
    finally:
        server.terminate()
        server.wait(30)
    return 0


def _time(port: int, path: str, requests: int) -> tuple[float, list[float]]:
    """Milliseconds of the first request, then of each of ``requests`` more, on one connection."""
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    timings = []
    try:
        for _ in range(requests + 1):
            began = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")
            timings.append((time.perf_counter() - began) * 1000)
    finally:
        connection.close()
    return timings[0], timings[1:]


def _percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank).

    >>> _percentile([1.0, 2.0, 3.0, 4.0], 0.5), _percentile([1.0, 2.0, 3.0, 4.0], 0.99)
    (2.0, 4.0)
    """
    ranked = sorted(values)
    return ranked[min(len(ranked) - 1, max(0, round(fraction * len(ranked)) - 1))]


if __name__ == "__main__":
    raise SystemExit(main())
