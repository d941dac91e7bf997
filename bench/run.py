"""The benchmark: our server against ``oxigraph serve`` and rdflib-endpoint, on the same generated graph.

One command (see the README, "Benchmark")::

    python -m bench.run --size tiny

byte-compiles our package (as a wheel install does), generates the graph, loads it for each server (timing ``oxigraph load`` and,
beyond the tiny size, ``dialogue55 load``), starts every server (timing spawn
to first answer), checks that every request of the mix answers 200 on each,
then runs the mix at each concurrency for a bounded time, servers interleaved
A/B/A/B round after round, and writes a Markdown table.

Two mixes: ``queries`` (the SPARQL mix, the same text on every server) and
``pages`` (our resource pages and data documents; a plain SPARQL server is
given the DESCRIBE of the same resource, its nearest equivalent).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

from . import engines, generate, load, mix, servers

SERVERS = ("ours", "ours-nocache", "oxigraph", "rdflib-endpoint")
# On request only: our server without the time limit, no cache; our server in front of an external engine
# (`--backend`) loaded with the same graph, `oxigraph serve` or a private Virtuoso (bench/engines.py).
EXTRA_SERVERS = ("ours-unlimited", "ours-over-oxigraph", "ours-over-virtuoso")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Byte-compile our package first, as installing a wheel does: a checkout run with
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module at each server start.
    compileall.compile_dir(servers.ROOT / "server", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="d55-bench-"))
    try:
        report = benchmark(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    output = args.output or Path(__file__).with_name(f"results-{args.size}.md")
    output.write_text(report, encoding="utf-8")
    print(report)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Benchmark our server against oxigraph serve and rdflib-endpoint.")
    parser.add_argument("--size", default="tiny", help="tiny, 1e5, 1e6 or a number of triples")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of one run (one server, one level)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32], help="concurrency levels")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds per level (A/B/A/B)")
    parser.add_argument("--servers", default=",".join(SERVERS), help="comma-separated, from " + ", ".join(SERVERS + EXTRA_SERVERS))
    parser.add_argument("--server", default="granian", choices=["granian", "waitress", "gunicorn"],
                        help="granian: `dialogue55 serve`; waitress, gunicorn: our Flask application under that WSGI server")
    parser.add_argument("--output", type=Path, default=None, help="Markdown file (default: bench/results-SIZE.md)")
    return parser


def benchmark(args, work: Path) -> str:
    data = prepare(args.size, work)
    lines = [f"# Benchmark: {args.size} graph ({data.quads} quads), {args.seconds:g} s per run, "
             f"{args.rounds} interleaved rounds, wrk on 127.0.0.1", "", _machine("start"), ""]
    lines += _load_table(data)
    with contextlib.ExitStack() as engines_running:
        started = start_all(args, data, lambda name: _engine(name, data, work, engines_running))
        try:
            mixes = _mixes(started)
            results = measure(started, mixes, args)
            lines += _results_table(results, started)
            lines += _startup_table(started)
            lines += [_machine("end"), ""]
        finally:
            for running in started.values():
                running.stop()
    return "\n".join(lines) + "\n"


def _engine(name: str, data: servers.Data, work: Path, stack: contextlib.ExitStack) -> str:
    """The URL of an external engine loaded with the graph, started in ``work`` and stopped with ``stack``."""
    folder = work / name
    folder.mkdir(exist_ok=True)
    engine = engines.oxigraph(folder, [data.nquads]) if name == "oxigraph" else \
        engines.virtuoso(folder, [data.nquads], max_rows=1_000_000)
    return stack.enter_context(engine)


def _machine(moment: str) -> str:
    """The cores and the load average: the servers, wrk and anything else running share them."""
    one, five, _ = os.getloadavg()
    return f"Machine: {os.cpu_count()} cores; load average at the {moment}: {one:.2f} (1 min), {five:.2f} (5 min)."


# --- data -----------------------------------------------------------------

def prepare(size: str, work: Path) -> servers.Data:
    """Generate the graph and load it for each server, timing both loaders."""
    folder = work / "data"
    folder.mkdir()
    nquads = folder / "graph.nq"
    with nquads.open("w", encoding="utf-8") as out:
        quads = generate.generate(generate.SIZES.get(size) or int(float(size)), out)
    data = servers.Data(nquads)
    data.quads, data.loads = quads, {}
    data.oxigraph_store = work / "oxigraph-store"
    data.loads["oxigraph load"] = _timed([servers.oxigraph_binary(), "load", "--location",
                                          str(data.oxigraph_store), "--file", str(nquads)])
    if quads > 10_000:
        data.ours_store = work / "ours-store"
        data.loads["dialogue55 load"] = _timed([sys.executable, "-m", "server", "load", str(nquads),
                                                "--store", str(data.ours_store)])
    return data


def _timed(command: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=servers.ROOT)
    return time.perf_counter() - began


# --- servers --------------------------------------------------------------

def start_all(args, data: servers.Data, engine=None) -> dict[str, servers.Running]:
    """Start each server of ``args.servers``; ``engine(name)`` starts an external engine for ours to front."""
    started = {}
    first = mix.sparql_requests("")[0].path  # the query part, appended to each endpoint
    for name in args.servers.split(","):
        port = servers.free_port()
        spec = {"ours": lambda: servers.ours(data, port, "ours", args.server),
                "ours-nocache": lambda: servers.ours(data, port, "ours, no cache", args.server, cache=False),
                "ours-unlimited": lambda: servers.ours(data, port, "ours, no cache, no time limit", "unlimited",
                                                       cache=False),
                "ours-over-oxigraph": lambda: _over(servers.ours(data, port, "ours over oxigraph", args.server),
                                                    engine("oxigraph")),
                "ours-over-virtuoso": lambda: _over(servers.ours(data, port, "ours over Virtuoso", args.server),
                                                    engine("virtuoso")),
                "oxigraph": lambda: servers.oxigraph(data, port),
                "rdflib-endpoint": lambda: servers.rdflib_endpoint(data, port)}[name]()
        try:
            started[name] = servers.start(spec, port, spec.endpoint + first)
        except RuntimeError as error:
            print(f"bench: {error}; left out", file=sys.stderr)
    return started


def _over(spec: servers.Spec, url: str) -> servers.Spec:
    """Our server's spec, serving the external engine at ``url`` (``--backend``) instead of the files."""
    spec.env["DIALOGUE55_BACKEND"] = url
    return spec


def _mixes(started: dict[str, servers.Running]) -> dict[str, dict[str, list[mix.Request]]]:
    """For each mix, the requests of each server: only requests that answer 200 (the others are reported)."""
    mixes: dict[str, dict[str, list[mix.Request]]] = {"queries": {}, "pages": {}}
    for name, running in started.items():
        mixes["queries"][name] = _checked(running, mix.sparql_requests(running.spec.endpoint))
        if running.spec.pages:
            pages = [mix.Request(p, p, a) for p, a in mix.PAGES]
            mixes["pages"][name] = [r for r in pages if _status(running.url + r.path, r.accept) == 200]
        else:
            mixes["pages"][name] = _checked(running, mix.describe_requests(running.spec.endpoint))
    ours_pages = {r.path for n, rs in mixes["pages"].items() if started[n].spec.pages for r in rs}
    for name, requests in mixes["pages"].items():
        if not started[name].spec.pages:
            mixes["pages"][name] = [r for r in requests if r.name in ours_pages]
    return mixes


def _checked(running: servers.Running, requests: list[mix.Request]) -> list[mix.Request]:
    for request in requests:
        status = _status(running.url + request.path, request.accept)
        if status != 200:
            raise SystemExit(f"bench: {running.spec.label} answers {status} to {request.name}")
    return requests


def _status(url: str, accept: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as error:
        return error.code


# --- measuring ------------------------------------------------------------

def measure(started, mixes, args) -> dict:
    """Results per (mix, clients, server), runs interleaved: every server once per round."""
    runs = defaultdict(list)
    for mix_name, requests_of in mixes.items():
        for clients in args.clients:
            for _ in range(args.rounds):
                for name, running in started.items():
                    requests = requests_of.get(name)
                    if requests:
                        runs[mix_name, clients, name].append(load.run(running.url, requests, clients, args.seconds))
    return runs


def _combined(results: list[load.Result]) -> dict:
    requests = sum(r.requests for r in results)
    seconds = sum(r.seconds for r in results)
    return {"requests": requests, "rate": requests / seconds,
            "p50": sorted(r.p50_ms for r in results)[len(results) // 2], "p99": max(r.p99_ms for r in results), "errors": sum(r.errors for r in results)}


def _results_table(runs: dict, started) -> list[str]:
    lines = ["| mix | clients | server | requests/s | p50 ms | p99 ms | errors | / oxigraph serve |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for (mix_name, clients, name), results in runs.items():
        row = _combined(results)
        if row["requests"] == 0:  # wrk reports 0 ms latencies and no timeout when nothing came back in time
            lines.append(f"| {mix_name} | {clients} | {started[name].spec.label} | 0 | - | - | "
                         f"no answer within the run | - |")
            continue
        reference = runs.get((mix_name, clients, "oxigraph"))
        ratio = f"{row['rate'] / _combined(reference)['rate']:.2f}x" if reference else "-"
        lines.append(f"| {mix_name} | {clients} | {started[name].spec.label} | {row['rate']:,.0f} | "
                     f"{row['p50']:.2f} | {row['p99']:.2f} | {row['errors']} | {ratio} |")
    return lines + [""]


def _startup_table(started) -> list[str]:
    lines = ["| server | spawn to first answer (s) | resident memory after the runs (MiB) |", "| --- | ---: | ---: |"]
    lines += [f"| {r.spec.label} | {r.startup:.2f} | {r.rss_mib():,.0f} |" for r in started.values()]
    return lines + [""]


def _load_table(data) -> list[str]:
    lines = ["| loader | seconds | quads/s |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {s:.2f} | {data.quads / s:,.0f} |" for name, s in data.loads.items()]
    return lines + [""]


if __name__ == "__main__":
    sys.exit(main())
