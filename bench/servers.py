"""The servers under test: how each is started on the same data, timed to its first answer, and measured.

Every server listens on 127.0.0.1 on a free port. "Start" is the moment the
process is spawned; "first answer" is the first 200 to the first query of the
mix (polled every few milliseconds). Resident memory is the sum over the
process and its children (our query workers are processes).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def oxigraph_binary() -> str:
    """The ``oxigraph`` command of the PyPI package: beside this Python (a virtualenv), else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph") or "oxigraph"


def await_answer(request, process: subprocess.Popen, ready=lambda: True, seconds: float = 120) -> None:
    """Poll ``request`` (a URL or a ``urllib.request.Request``) until it answers 200 and ``ready()`` is true;
    RuntimeError if ``process`` exits first or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(request, timeout=2) as reply:
                if reply.status == 200 and ready():
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)  # the interval between two polls, not a wait for readiness
    raise RuntimeError(f"{process.args[0]} did not answer within {seconds:g} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Data:
    """One generated graph in the forms the servers read: a folder, a file, and two loaded stores."""

    nquads: Path
    ours_store: Path | None = None       # made by `dialogue55 load` (None: serve the folder in memory)
    oxigraph_store: Path | None = None   # made by `oxigraph load`
    empty: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="d55-empty-")))


@dataclass
class Spec:
    """How to start one server: its label, its command, its SPARQL path and whether it serves our pages."""

    label: str
    command: list[str]
    endpoint: str
    env: dict = field(default_factory=dict)
    pages: bool = False


def ours(data: Data, port: int, label: str = "ours", server: str = "granian", cache: bool = True,
         timeout: float | None = None) -> Spec:
    """Our server (``dialogue55 serve``: granian), or our Flask application under a WSGI server instead,
    or (``unlimited``) our server evaluating queries in process, without the time limit.

    Without ``cache`` both caches are off, so every query is evaluated and every page rendered.
    """
    source = {"DIALOGUE55_STORE": str(data.ours_store)} if data.ours_store else {
        "DIALOGUE55_ONTOLOGY": str(data.empty), "DIALOGUE55_DATA": str(data.nquads.parent)}
    size = "64" if cache else "0"
    env = {**source, "DIALOGUE55_ANSWER_CACHE": size, "DIALOGUE55_RESPONSE_CACHE": size}
    if timeout is not None:
        env["DIALOGUE55_QUERY_TIMEOUT"] = str(timeout)
    commands = {
        "granian": [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", str(port)],
        "waitress": [sys.executable, "-m", "waitress", "--host", "127.0.0.1", "--port", str(port), "--threads", "32",
                     "--call", "server:create_app"],
        "gunicorn": [sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",
                     "server:create_app()"],
        "unlimited": [sys.executable, "-m", "bench.unlimited", "--host", "127.0.0.1", "--port", str(port)],
    }
    return Spec(label, commands[server], "/sparql", env, pages=True)


def oxigraph(data: Data, port: int) -> Spec:
    return Spec("oxigraph serve", [oxigraph_binary(), "serve-read-only", "--location",
                                   str(data.oxigraph_store), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                "/query")


def rdflib_endpoint(data: Data, port: int) -> Spec:
    return Spec("rdflib-endpoint", [sys.executable, "-m", "rdflib_endpoint", "serve", str(data.nquads),
                                    "--host", "127.0.0.1", "--port", str(port)], "/")


@dataclass
class Running:
    spec: Spec
    url: str
    process: subprocess.Popen
    startup: float  # seconds from spawn to first answer

    def rss_mib(self) -> float:
        return sum(_rss_kib(pid) for pid in _tree(self.process.pid)) / 1024

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen, seconds: float = 30) -> None:
    """Ask ``process`` to end (SIGTERM); kill it if it is still there after ``seconds``."""
    process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start(spec: Spec, port: int, first_path: str, limit: float = 300) -> Running:
    """Spawn the server and wait (polling) for its first 200 to ``first_path``."""
    url = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    process = subprocess.Popen(spec.command, cwd=ROOT, env={**os.environ, **spec.env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while time.perf_counter() - began < limit:
        if process.poll() is not None:
            raise RuntimeError(f"{spec.label} exited with {process.returncode}: {' '.join(spec.command)}")
        if _answers(url + first_path):
            return Running(spec, url, process, time.perf_counter() - began)
        time.sleep(0.005)
    process.kill()
    raise RuntimeError(f"{spec.label} gave no answer within {limit} s")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def _tree(root: int) -> list[int]:
    """The process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
