"""The worker pool: a runaway query is really stopped, a crash of the engine is survived,
and other queries are served meanwhile. Real worker processes over a small real dataset."""

from __future__ import annotations

import os
import threading
import time

import pytest

from server.dataset import sources
from server.engine.evaluation import Job
from server.engine.workers import QueryCrashed, QueryTimeout, WorkerFailed, WorkerPool

# Four patterns with nothing shared: |triples|^4 combinations, counted before the first row.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# A flat chain of 20,000 operators: within every screening limit, yet it overflows the engine's stack.
CRASHER = "ASK { FILTER(" + "||".join(["1"] * 20_000) + ") }"
QUICK = Job("ASK { ?s ?p ?o }")


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    lines = [f"<http://e/s{i}> <http://e/p{i % 7}> <http://e/o{i % 11}> ." for i in range(400)]
    (folder / "facts.ttl").write_text("\n".join(lines) + "\n")
    return sources.Source(ontology=None, data=(folder,), namespace="http://e/")


@pytest.fixture
def pool(source):
    workers = WorkerPool(source, size=2)
    yield workers
    workers.close()


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, dead but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_a_query_runs_in_a_worker(pool):
    status, answer = pool.run(QUICK, timeout=30)
    assert status == "ok" and answer.body == b'{"head":{},"boolean":true}'


def test_syntax_and_evaluation_errors_come_back_as_replies(pool):
    assert pool.run(Job("SELECT * WHERE {"), timeout=30)[0] == "syntax"
    assert pool.run(QUICK, timeout=30)[0] == "ok"


def test_a_runaway_query_is_killed_at_its_deadline(pool):
    pool.run(QUICK, timeout=30)  # the warm worker is now ready
    before = pool.pids
    with pytest.raises(QueryTimeout):
        pool.run(Job(RUNAWAY), timeout=0.5)
    assert before and not any(alive(pid) for pid in before - pool.pids)
    assert before - pool.pids, "the worker that ran the runaway query is gone"
    assert pool.run(QUICK, timeout=30)[0] == "ok"


def test_a_query_that_crashes_the_engine_is_survived(pool):
    with pytest.raises(QueryCrashed):
        pool.run(Job(CRASHER), timeout=60)
    assert pool.run(QUICK, timeout=30)[0] == "ok"


def test_other_queries_are_served_while_one_runs_away(pool):
    outcome = {}

    def runaway():
        try:
            pool.run(Job(RUNAWAY), timeout=60)
        except (QueryTimeout, WorkerFailed) as error:
            outcome["stopped"] = type(error).__name__

    thread = threading.Thread(target=runaway)
    thread.start()
    try:
        answers = [pool.run(QUICK, timeout=60)[0] for _ in range(20)]
        assert answers == ["ok"] * 20
        assert thread.is_alive(), "the quick queries were answered while the runaway was still running"
    finally:
        pool.close()  # stops the runaway's worker now rather than at its 60 s deadline
        thread.join(30)
    assert not thread.is_alive() and outcome["stopped"] == "WorkerFailed"


def test_a_client_that_leaves_stops_its_query(pool):
    with pytest.raises(QueryTimeout, match="went away"):
        pool.run(Job(RUNAWAY), timeout=60, disconnected=lambda: True)
    assert pool.run(QUICK, timeout=30)[0] == "ok"


def test_a_full_pool_makes_a_waiting_query_time_out(source):
    pool = WorkerPool(source, size=1)
    thread = threading.Thread(target=lambda: pytest.raises(WorkerFailed, pool.run, Job(RUNAWAY), 60))
    thread.start()
    try:
        with pytest.raises(QueryTimeout, match="busy"):
            # poll until the runaway holds the only worker, then ask for another
            while True:
                pool.run(QUICK, timeout=0.2)
    finally:
        pool.close()
        thread.join(30)


def test_a_worker_that_died_while_idle_is_replaced(pool):
    pool.run(QUICK, timeout=30)
    killed = pool.pids
    for pid in killed:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
    while any(alive(pid) for pid in killed):
        pass  # SIGKILL is delivered asynchronously: poll until the workers are really dead
    assert pool.run(QUICK, timeout=30)[0] == "ok"


def test_a_dataset_that_does_not_load_is_reported(tmp_path):
    (tmp_path / "broken.ttl").write_text("<a:s> <a:p> .\n")
    pool = WorkerPool(sources.Source(ontology=None, data=(tmp_path,), namespace="http://e/"), size=1)
    try:
        with pytest.raises(WorkerFailed, match="broken.ttl"):
            pool.run(QUICK, timeout=30)
    finally:
        pool.close()


def test_a_closed_pool_refuses_work(source):
    pool = WorkerPool(source, size=1)
    pool.close()
    with pytest.raises(WorkerFailed):
        pool.run(QUICK, timeout=5)


def test_workers_end_when_their_server_is_killed(tmp_path):
    """A server killed outright leaves no query running: its workers notice and exit."""
    from tests.live import running_server

    runaway = 'SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(STR(?c) = CONCAT(STR(?i), "x")) }'
    with running_server("--query-timeout", "60") as server:
        sent = threading.Thread(target=lambda: _ignore(server.get, "sparql", params={"query": runaway}, timeout=90))
        sent.start()
        workers = _await_children(server.process.pid)
        server.process.kill()
        server.process.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)], "workers outlived their server"
    sent.join(30)


def _ignore(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except Exception:
        pass  # the server is killed under this request on purpose


def _await_children(pid: int, seconds: float = 30) -> list[int]:
    """The server's descendants (fork server and workers) once one of them is busy with the query."""
    from tests.reliability import procs

    deadline = time.monotonic() + seconds
    before = {p: procs.cpu_ticks(p) for p in procs.descendants(pid)}
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = {p: procs.cpu_ticks(p) for p in procs.descendants(pid)}
        if any(ticks - before.get(p, ticks) >= 20 for p, ticks in now.items()):  # 0.2 s of CPU in 0.5 s
            return list(now)
        before = now
    raise AssertionError("no query worker got busy")
