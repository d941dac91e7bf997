"""Starting a real ``dialogue55 serve`` process on 127.0.0.1 for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.servers import stop

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log: object

    def output(self) -> str:
        """What the server printed so far."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        return requests.get(self.url + path.lstrip("/"), **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return requests.post(self.url + path.lstrip("/"), **kwargs)


@contextmanager
def running_server(*args: str, base_iri: bool = True, env: dict | None = None):
    """A server process serving the default graph (or what ``args`` say), stopped on exit.

    With ``base_iri`` the namespace is rewritten to the server's own address, so
    every IRI it publishes dereferences on it. Readiness is awaited by polling.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "server", "serve", "--port", str(port), *args]
    if base_iri:
        command += ["--base-iri", url]
    # Output goes to a file, not a pipe: a full pipe would block the server.
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                               stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        _await_ready(url, process, log)
        yield LiveServer(url, process, log)
    finally:
        stop(process, 10)
        log.close()


def _await_ready(url: str, process: subprocess.Popen, log, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the server exited with {process.returncode}: {log.read()}")
        try:
            requests.get(url, timeout=1)
            return
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or busy starting
            time.sleep(0.05)
    raise RuntimeError("the server did not answer in time")
