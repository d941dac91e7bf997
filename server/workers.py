"""A pool of query worker processes that can be killed: the query time limit that really holds.

pyoxigraph offers no timeout and no cancellation, and a few thousand nested
groups overflow its parser's stack and kill the process. So user queries never
run in the server process: each runs in a worker process that holds its own
copy of the store. At the deadline (or when the client has gone) the worker is
killed and a fresh one takes its place; a worker that dies on a query is
replaced the same way. Other requests keep being served by the other workers.

Workers start from multiprocessing's ``forkserver``: a single-threaded process
forks them, so creating one from a busy threaded server is safe and fast. Each
worker loads the dataset itself (a persistent store opens read-only in a
fraction of a second).

One worker serves one query at a time; the pool grows on demand up to its size.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from multiprocessing.connection import Connection, wait
from typing import Callable

from . import dataset, evaluation

_POLL_SECONDS = 0.05
_START_SECONDS = 120.0


class QueryTimeout(Exception):
    """The query ran past its time limit (or waited past it for a free worker)."""


class QueryCrashed(Exception):
    """The worker died while evaluating the query."""


class WorkerFailed(Exception):
    """A worker could not start (its dataset did not load)."""


def _serve(conn: Connection, source: dataset.Source) -> None:
    """The worker's main loop: load the dataset, then answer jobs one at a time."""
    try:
        store = dataset.load(source)
    except Exception as error:  # reported to the parent, which refuses to serve
        conn.send(("failed", str(error)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", evaluation.evaluate(store, job)))
        except SyntaxError as error:
            conn.send(("syntax", str(error)))
        except Exception as error:  # an evaluation error belongs to the query, not the worker
            conn.send(("error", f"{type(error).__name__}: {error}"))


class _Worker:
    def __init__(self, context, source: dataset.Source):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, source), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(_START_SECONDS):
            raise WorkerFailed("a query worker did not start in time")
        try:
            status, message = self.conn.recv()
        except (EOFError, OSError):
            raise WorkerFailed("a query worker died while starting") from None
        if status != "ready":
            raise WorkerFailed(message)
        self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """Runs jobs in worker processes with a hard deadline.

    ``run`` returns the worker's reply ``(status, payload)`` where status is
    ``ok``, ``syntax`` or ``error``; it raises QueryTimeout or QueryCrashed.
    """

    def __init__(self, source: dataset.Source, size: int, warm: int = 1):
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["server.evaluation"])
        self._source = source
        self._size = max(1, size)
        self._idle: list[_Worker] = []
        self._count = 0
        self._available = threading.Condition()
        for _ in range(min(warm, self._size)):
            self._idle.append(self._spawn())

    def _spawn(self) -> _Worker:
        self._count += 1
        return _Worker(self._context, self._source)

    def run(self, job: evaluation.Job, timeout: float,
            disconnected: Callable[[], bool] = lambda: False) -> tuple[str, object]:
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline)
        try:
            worker.wait_ready()
            worker.conn.send(job)
            reply = self._await(worker, deadline, disconnected)
        except BaseException:
            self._discard(worker)
            raise
        self._release(worker)
        return reply

    def _await(self, worker: _Worker, deadline: float, disconnected) -> tuple[str, object]:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeout()
            if wait([worker.conn], min(_POLL_SECONDS, remaining)):
                try:
                    return worker.conn.recv()
                except (EOFError, OSError):
                    raise QueryCrashed() from None
            if disconnected():
                raise QueryTimeout("the client went away")

    def _acquire(self, deadline: float) -> _Worker:
        with self._available:
            while not self._idle and self._count >= self._size:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._available.wait(remaining):
                    raise QueryTimeout("every query worker stayed busy")
            return self._idle.pop() if self._idle else self._spawn()

    def _release(self, worker: _Worker) -> None:
        with self._available:
            self._idle.append(worker)
            self._available.notify()

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._available:
            self._count -= 1
            # Keep one warm worker, so the next query does not pay for a start.
            if not self._idle:
                self._idle.append(self._spawn())
            self._available.notify()

    def close(self) -> None:
        with self._available:
            for worker in self._idle:
                worker.kill()
            self._idle.clear()
