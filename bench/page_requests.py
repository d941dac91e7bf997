"""What a page costs behind ``--backend``: engine requests per route, and latency with a slower network.

Loads ``dialogue55 export`` into ``oxigraph serve``, then serves the pages with the caches off
(every page built each time) embedded, over the engine directly, and over the engine through
:mod:`bench.engine_proxy` with a fixed delay per engine request, and prints a Markdown table::

    python -m bench.page_requests                  # the routes' requests, the conference page's latency
    python -m bench.page_requests --delay-ms 2 --requests 20
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.engine_proxy import EngineProxy
from bench.servers import ROOT, Spec, free_port, oxigraph_binary, start

ROUTES = ["/", "/page/morocco", "/page/8th-ministerial-conference", "/data/morocco.ttl", "/data/morocco.jsonld",
          "/graph/labels", "/graph/sentence-13.html", "/ontology", "/read/article"]
TIMED = "/page/8th-ministerial-conference"
NO_CACHES = {"DIALOGUE55_ANSWER_CACHE": "0", "DIALOGUE55_RESPONSE_CACHE": "0"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay-ms", type=float, default=2.0, help="added per engine request through the proxy")
    parser.add_argument("--requests", type=int, default=20, help="sequential requests timed per server")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="d55-pages-") as folder:
        engine = _engine(Path(folder))
        try:
            _count_requests(engine.url + "/query")
            _latencies(engine.url + "/query", args.delay_ms / 1000, args.requests)
        finally:
            engine.stop()
    return 0


def _engine(folder: Path):
    export = folder / "dump.trig"
    subprocess.run([sys.executable, "-m", "server", "export", "--format", "trig", "-o", str(export)],
                   cwd=ROOT, check=True, capture_output=True)
    subprocess.run([oxigraph_binary(), "load", "--location", str(folder / "store"), "--file", str(export)],
                   check=True, capture_output=True)
    port = free_port()
    return start(Spec("oxigraph serve", [oxigraph_binary(), "serve-read-only", "--location", str(folder / "store"),
                                         "--bind", f"127.0.0.1:{port}", "--union-default-graph"], "/query"),
                 port, "/query?query=ASK%7B%7D")


def _ours(*args: str):
    port = free_port()
    return start(Spec("ours", [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", str(port),
                               *args], "/sparql", NO_CACHES), port, "/healthz")


def _count_requests(engine: str) -> None:
    with EngineProxy(engine) as proxy:
        server = _ours("--backend", proxy.url)
        try:
            print("| route | engine requests (first) | (again) |\n|---|---|---|")
            for route in ROUTES:
                counts = []
                for _ in range(2):
                    with proxy.counting() as counted:
                        _get(server.url + route)
                    counts.append(counted.requests)
                print(f"| {route} | {counts[0]} | {counts[1]} |")
        finally:
            server.stop()


def _latencies(engine: str, delay: float, requests: int) -> None:
    print(f"\n| {TIMED}, caches off | median of {requests} (ms) |\n|---|---|")
    for label, args, proxied in (("embedded", (), None), ("over oxigraph serve", ("--backend", engine), None),
                                 ("through the proxy", (), 0.0),
                                 (f"through the proxy, +{delay * 1000:g} ms per request", (), delay)):
        proxy = EngineProxy(engine, proxied).__enter__() if proxied is not None else None
        server = _ours(*(("--backend", proxy.url) if proxy else args))
        try:
            _get(server.url + TIMED)
            times = []
            for _ in range(requests):
                began = time.perf_counter()
                _get(server.url + TIMED)
                times.append(time.perf_counter() - began)
            print(f"| {label} | {statistics.median(times) * 1000:.1f} |")
        finally:
            server.stop()
            if proxy:
                proxy.__exit__(None, None, None)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


if __name__ == "__main__":
    raise SystemExit(main())
