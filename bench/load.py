"""Driving load with wrk: fixed concurrency, fixed duration, a list of requests replayed in turn.

wrk (Debian package ``wrk``) is a C event-loop load generator: on two cores
shared with the server under test, a Python client would itself be the
bottleneck long before ``oxigraph serve`` is, and the comparison would measure
the client. wrk reports requests, latency percentiles and errors (socket
errors, timeouts and any status >= 400) through ``bench/mix.lua``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .mix import Request

SCRIPT = Path(__file__).with_name("mix.lua")


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("bench: wrk is not installed (Debian: apt-get install wrk)")
    return path


def run(url: str, requests: list[Request], clients: int, seconds: float) -> Result:
    """Replay ``requests`` against ``url`` with ``clients`` connections for ``seconds``."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
        listing.writelines(f"{r.path}\t{r.accept}\n" for r in requests)
    threads = max(1, min(clients, 2))
    command = [wrk_path(), "-t", str(threads), "-c", str(clients), "-d", f"{seconds:g}s", "--timeout", "10s",
               "-s", str(SCRIPT), url, "--", listing.name]
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        Path(listing.name).unlink()
    line = next(l for l in reversed(out.splitlines()) if l.startswith("{"))
    return parse(line)


def parse(line: str) -> Result:
    """The Result in wrk's JSON line (see mix.lua).

    >>> r = parse('{"requests": 100, "duration_us": 2000000, "bytes": 1, "p50_us": 1500, "p99_us": 9000,'
    ...           ' "connect": 0, "read": 1, "write": 0, "status": 2, "timeout": 0}')
    >>> r.rate, r.p50_ms, r.errors
    (50.0, 1.5, 3)
    """
    data = json.loads(line)
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Result(data["requests"], data["duration_us"] / 1e6, data["p50_us"] / 1e3, data["p99_us"] / 1e3, errors)
