"""The engine's own time on the batches one page sends: each round as sent, and each request alone.

A page over ``--backend`` reads in rounds (a round: one batch, sent as one
request or two at once, see :mod:`server.engine.batches`). This records the
requests a page sends on its second visit (the first also reads what is then
known), by rendering it in this process over each engine of
:mod:`bench.engines`, then sends them again to the engine directly: round
after round as the page sends them, and each request alone, interleaved over
``--rounds`` repetitions, and prints the medians with the rows each answer held.
It is where to look first when a page is slow over an engine: the engine's
time, apart from ours and the network's.

    python -m bench.page_batches                         # the conference page
    python -m bench.page_batches --route /page/morocco --rounds 40
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from server import create_app
from server.engine import backend
from server.engine.remote_store import RemoteStore

from . import engines

ENGINES = {"oxigraph": engines.oxigraph, "virtuoso": engines.virtuoso}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--route", default="/page/8th-ministerial-conference")
    parser.add_argument("--rounds", type=int, default=25, help="timed repetitions (after two to warm up)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated, from " + ", ".join(ENGINES))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="d55-page-batches-") as work, ExitStack() as stack:
        dump = engines.export(Path(work) / "export")
        for name in args.engines.split(","):
            (Path(work) / name).mkdir()
            url = stack.enter_context(ENGINES[name](Path(work) / name, [dump]))
            print(report(name, url, args.route, args.rounds))
    return 0


def captured(url: str, route: str) -> list[list[str]]:
    """The requests ``route`` sends to the engine at ``url`` on its second visit, round by round."""
    os.environ.update(DIALOGUE55_ANSWER_CACHE="0", DIALOGUE55_RESPONSE_CACHE="0")
    rounds: list[list[str]] = []
    sent = RemoteStore._exchange_at_once

    def recorded(store, queries):
        rounds.append(list(queries))
        return sent(store, queries)

    client = create_app({"backend": url}).test_client()
    client.get(route)
    RemoteStore._exchange_at_once = recorded
    try:
        client.get(route)
    finally:
        RemoteStore._exchange_at_once = sent
    return rounds


def report(name: str, url: str, route: str, repetitions: int) -> str:
    """The medians of each round of ``route`` over the engine ``name`` at ``url``, as sent and request by request."""
    rounds = captured(url, route)
    clients = [backend.Engine(url, {}) for _ in range(2)]
    ask = lambda pair: pair[0].exchange(pair[1], backend.SOLUTIONS, 30)  # noqa: E731
    as_sent: list[list[float]] = [[] for _ in rounds]
    alone: dict[tuple[int, int], list[float]] = {}
    rows: dict[tuple[int, int], int] = {}
    with ThreadPoolExecutor(2) as pool:
        for repetition in range(repetitions + 2):
            for number, queries in enumerate(rounds):
                began = time.perf_counter()
                list(pool.map(ask, zip(clients, queries)))
                as_sent[number].append((time.perf_counter() - began) * 1000)
                for index, query in enumerate(queries):
                    began = time.perf_counter()
                    reply = ask((clients[0], query))
                    alone.setdefault((number, index), []).append((time.perf_counter() - began) * 1000)
                    rows[number, index] = reply.body.count(b"<result>")
    median = lambda values: statistics.median(values[2:])  # noqa: E731
    lines = [f"{name}, {route}: {len(rounds)} rounds, {median([sum(v) for v in zip(*as_sent)]):.1f} ms in all"]
    for number, queries in enumerate(rounds):
        each = ", ".join(f"{median(alone[number, i]):.1f} ms alone ({rows[number, i]} rows, {len(q):,} characters)"
                         for i, q in enumerate(queries))
        lines.append(f"  round {number + 1}: {median(as_sent[number]):.1f} ms as sent; {each}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
