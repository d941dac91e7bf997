"""The load benchmark as one command: ``python3 -m tests.reliability.bench [--seconds 60] [--clients 64]``.

Starts a server on 127.0.0.1 (``dialogue55 serve`` with its defaults), loads it with the mixed workload
of :mod:`tests.reliability.load`, and prints requests, errors, p50/p99 and memory.
Extra arguments after ``--`` go to ``dialogue55 serve``. The same run, with
assertions, is ``python3 -m pytest -m long tests/test_load.py -s``.
"""

from __future__ import annotations

import argparse

from tests.live import running_server
from tests.reliability import load


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("serve_args", nargs="*")
    args = parser.parse_args()
    with running_server(*args.serve_args) as server:
        report = load.run(server.url, server.process.pid, clients=args.clients, seconds=args.seconds)
    print(report.summary())
    for kind, statuses in sorted(report.by_kind.items()):
        print(f"  {kind:22} {dict(statuses)}")
    return 1 if report.server_errors or report.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
