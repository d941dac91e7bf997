"""Startup faults stop the server with one clear line and a non-zero exit; SIGTERM stops it cleanly.

A fault never leaves a half-loaded server listening: the port stays closed.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

from tests.live import ROOT, free_port, running_server
from tests.reliability import procs

pytestmark = pytest.mark.live


def _start(*args: str, port: int | None = None) -> tuple[subprocess.CompletedProcess, int]:
    port = port or free_port()
    done = subprocess.run([sys.executable, "-m", "server", "serve", "--port", str(port), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    return done, port


def _assert_one_clear_line(done: subprocess.CompletedProcess, *expected: str) -> None:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode != 0
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("dialogue55: ")
    assert "Traceback" not in done.stderr + done.stdout
    assert "dialogue55: serving" not in done.stdout
    for text in expected:
        assert text in lines[0], lines[0]


def _closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def copy_of_the_data(tmp_path):
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


def test_a_data_file_with_a_syntax_error_names_the_file_and_line(copy_of_the_data):
    broken = copy_of_the_data / "data" / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c ;\n    ex:d \"unterminated .\n",
                      encoding="utf-8")
    done, port = _start("--ontology", str(copy_of_the_data / "ontology"), "--data", str(copy_of_the_data / "data"))
    _assert_one_clear_line(done, "broken.ttl:4")
    assert _closed(port)


def test_a_missing_ontology_folder(tmp_path):
    done, port = _start("--ontology", str(tmp_path / "nowhere"))
    _assert_one_clear_line(done, "nowhere", "no such folder")
    assert _closed(port)


@pytest.mark.parametrize("kind", ["missing", "a file", "not a store"])
def test_an_unusable_store_path(tmp_path, kind):
    path = tmp_path / "store"
    if kind == "a file":
        path.write_text("not a store")
    elif kind == "not a store":
        path.mkdir()
        (path / "CURRENT").write_text("garbage\n")
    done, port = _start("--store", str(path))
    _assert_one_clear_line(done, str(path))
    assert _closed(port)


def test_a_port_already_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done, _ = _start(port=port)
    _assert_one_clear_line(done, f"127.0.0.1:{port}", "in use")


def test_sigterm_finishes_the_request_in_flight_then_exits_cleanly():
    # A query that takes a few seconds and then succeeds: ~3 million rows counted.
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . { SELECT ?g WHERE { ?g ?h ?i } LIMIT 3 } }"
    with running_server("--query-timeout", "60") as server:
        assert server.get("sparql", params={"query": "ASK {}"}).status_code == 200  # the worker pool is up
        answer = {}
        client = threading.Thread(target=lambda: answer.update(response=server.get(
            "sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=60)))
        client.start()
        _await_busy_descendant(server.process.pid)
        server.process.send_signal(signal.SIGTERM)
        client.join(90)
        status = server.process.wait(60)
        response = answer["response"]
        assert response.status_code == 200
        assert int(response.text.split()[1]) > 0
        assert status == 0
        assert "stopped" in server.output()
        with pytest.raises(requests.ConnectionError):
            server.get("", timeout=5)


def _await_busy_descendant(pid: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    before = {p: procs.cpu_ticks(p) for p in procs.descendants(pid)}
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = {p: procs.cpu_ticks(p) for p in procs.descendants(pid)}
        if any(ticks - before.get(p, ticks) >= 2 for p, ticks in now.items()):
            return
    raise AssertionError("the query never started")


def test_an_access_log_that_cannot_be_written_is_one_clear_line(tmp_path):
    done, port = _start("--access-log", str(tmp_path / "no" / "such" / "access.log"))
    _assert_one_clear_line(done, "cannot write the access log", "No such file or directory")
    assert _closed(port)
