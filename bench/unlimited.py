"""Our server with user queries evaluated in its own process, with no time limit: a comparison point only.

The time limit holds because user queries run in killable worker processes.
To measure what that costs in throughput, this serves the same application
with the worker pool replaced by in-process evaluation (never do this for
real: a runaway query would run for ever and a crashing one would take the
server down). Both caches should be off (``DIALOGUE55_ANSWER_CACHE=0``,
``DIALOGUE55_RESPONSE_CACHE=0``) so that every query is evaluated.

    python3 -m bench.unlimited --port 5001
"""

from __future__ import annotations

import argparse

from pyoxigraph import Store

from server import serving, settings
from server.engine.evaluation import Job, evaluate


class InProcess:
    """Stands in for the worker pool: evaluates in this process, with no time limit."""

    def __init__(self, store: Store):
        self.store = store

    def run(self, job: Job, timeout: float, disconnected=None) -> tuple[str, object]:
        return "ok", evaluate(self.store, job)

    def close(self) -> None:
        pass


def application(config: dict):
    """The served application, its worker pool swapped for in-process evaluation."""
    served = serving.application(config)
    served.graph.close()  # the pool started at load time
    served.graph._pool = InProcess(served.graph.store)
    return served


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    return serving.serve(settings.resolve({"host": args.host, "port": args.port}), loader=application)


if __name__ == "__main__":
    raise SystemExit(main())
