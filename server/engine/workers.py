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
import os
import select
import threading
import time
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from typing import Callable

from ..dataset import sources
from . import evaluation

_POLL_SECONDS = 0.05
_WORKER_NICENESS = 5
_WATCH_SECONDS = 0.5
_START_SECONDS = 120.0


class QueryTimeout(Exception):
    """The query ran past its time limit (or waited past it for a free worker)."""


class QueryCrashed(Exception):
    """The worker died while evaluating the query."""


class WorkerFailed(Exception):
    """A worker could not start (its dataset did not load)."""


def _serve(conn: Connection, source: sources.Source, server_pid: int) -> None:
    """The worker's main loop: load the dataset, then answer jobs one at a time."""
    # Below the server's own priority: on a busy machine, runaway queries must not
    # starve the threads that render pages and answer other clients.
    os.nice(_WORKER_NICENESS)
    exit_with(server_pid)
    try:
        store = sources.load(source)
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
        except OSError as error:  # network I/O while evaluating: a SERVICE call failed
            conn.send(("io", evaluation.error_message(error)))
        except Exception as error:  # an evaluation error belongs to the query, not the worker
            conn.send(("error", evaluation.error_message(error)))


def exit_with(server_pid: int) -> None:
    """End this process when process ``server_pid`` is gone.

    A server killed outright (SIGKILL, out of memory) cannot stop its workers,
    and a runaway query would then burn a core for ever. Query evaluation
    releases the GIL, so this watch thread runs even during one. The server's
    own process watches granian's parent process the same way.
    """
    def watch() -> None:
        while _alive(server_pid):
            time.sleep(_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="server-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, dead but not yet reaped, does not).

    >>> _alive(os.getpid())
    True
    """
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return not os.path.isdir("/proc") and _signalable(pid)


def _signalable(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def _forkserver():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["server.engine.evaluation"])
    return context


def prestart() -> None:
    """Start the fork server now, so it imports its modules while the web server starts."""
    _forkserver()
    forkserver.ensure_running()


class _Gone(OSError):
    """The worker process is gone (killed or crashed) before it took the job."""


class _Worker:
    def __init__(self, context, source: sources.Source):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, source, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        # One poll object per worker, made once: multiprocessing's wait() builds a selector per call,
        # which costs as much as a small query.
        self._replies = select.poll()
        self._replies.register(self.conn.fileno(), select.POLLIN | select.POLLHUP | select.POLLERR)

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def alive(self) -> bool:
        """Whether the process runs, asked of /proc: the fork server reports a death late."""
        return self.pid is None or _alive(self.pid)

    def replied(self, seconds: float) -> bool:
        """Whether a reply (or the end of the pipe) is there to read, waiting up to ``seconds``."""
        return bool(self._replies.poll(max(0, int(seconds * 1000))))

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(_START_SECONDS):
            raise WorkerFailed("a query worker did not start in time")
        try:
            status, message = self.conn.recv()
        except (EOFError, OSError):
            raise _Gone() from None
        if status != "ready":
            raise WorkerFailed(message)
        self.ready = True

    def kill(self) -> None:
        """Stop the worker whatever it is doing, and reap it (no zombie is left)."""
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """Runs jobs in worker processes with a hard deadline.

    ``run`` returns the worker's reply ``(status, payload)`` where status is
    ``ok``, ``syntax`` or ``error``; it raises QueryTimeout or QueryCrashed.
    """

    def __init__(self, source: sources.Source, size: int, warm: int = 1):
        self._context = _forkserver()
        self._source = source
        self._size = max(1, size)
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()  # idle and busy, so that close() stops them all
        self._count = 0
        self._available = threading.Condition()
        self._closed = False
        for _ in range(min(warm, self._size)):
            self._idle.append(self._spawn())

    @property
    def pids(self) -> set[int]:
        """The process ids of the live workers, idle and busy (for tests and monitoring)."""
        with self._available:
            return {w.pid for w in self._all if w.pid is not None}

    def state(self) -> dict[str, int]:
        """How many workers the pool may hold, how many are alive, and how many are running a query."""
        with self._available:
            return {"size": self._size, "alive": len(self._all), "busy": len(self._all) - len(self._idle)}

    def _spawn(self) -> _Worker:
        self._count += 1
        worker = _Worker(self._context, self._source)
        self._all.add(worker)
        return worker

    def run(self, job: evaluation.Job, timeout: float,
            disconnected: Callable[[], bool] = lambda: False) -> tuple[str, object]:
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline)
        try:
            worker = self._hand_over(worker, job, deadline)
            reply = self._await(worker, deadline, disconnected)
        except BaseException:
            self._discard(worker)
            raise
        self._release(worker)
        return reply

    def _hand_over(self, worker: _Worker, job: evaluation.Job, deadline: float) -> _Worker:
        """Send ``job`` to ``worker``, or to a fresh one if that worker died while idle."""
        try:
            worker.wait_ready()
            worker.conn.send(job)
            return worker
        except OSError:
            pass  # a broken pipe: the worker is gone (is_alive() may not know it yet)
        self._discard(worker, replace=False)
        fresh = self._acquire(deadline)
        try:
            fresh.wait_ready()
            fresh.conn.send(job)
        except OSError:
            self._discard(fresh)
            raise WorkerFailed("query workers died before taking the query") from None
        except BaseException:
            self._discard(fresh)
            raise
        return fresh

    def _await(self, worker: _Worker, deadline: float, disconnected) -> tuple[str, object]:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeout()
            if worker.replied(min(_POLL_SECONDS, remaining)):
                try:
                    return worker.conn.recv()
                except (EOFError, OSError):
                    if self._closed:
                        raise WorkerFailed("the server is shutting down") from None
                    raise QueryCrashed() from None
            if disconnected():
                raise QueryTimeout("the client went away")

    def _acquire(self, deadline: float) -> _Worker:
        with self._available:
            if self._closed:
                raise WorkerFailed("the server is shutting down")
            while not self._idle and self._count >= self._size:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._available.wait(remaining):
                    raise QueryTimeout("every query worker stayed busy")
            worker = None
            while self._idle and worker is None:
                worker = self._idle.pop()
                if not worker.alive():
                    self._forget(worker)  # died while idle (killed from outside, out of memory)
                    worker = None
            worker = worker or self._spawn()
            # Keep one spare loading while this query runs: when every other worker is busy
            # with a runaway, the next query must not wait for a start on a crowded machine.
            if not self._idle and self._count < self._size:
                self._idle.append(self._spawn())
            return worker

    def _release(self, worker: _Worker) -> None:
        with self._available:
            if self._closed:
                worker.kill()
                return
            self._idle.append(worker)
            self._available.notify()

    def _forget(self, worker: _Worker) -> None:
        """Take a dead or killed worker out of the count (call with the lock held)."""
        worker.kill()
        self._all.discard(worker)
        self._count -= 1

    def _discard(self, worker: _Worker, replace: bool = True) -> None:
        worker.kill()
        with self._available:
            if worker not in self._all:
                return  # already discarded (or the pool was closed)
            self._forget(worker)
            # Keep one warm worker, so the next query does not pay for a start.
            if replace and not self._idle and not self._closed:
                self._idle.append(self._spawn())
            self._available.notify()

    def close(self) -> None:
        """Stop every worker, busy ones included; a query still waiting gets QueryCrashed."""
        with self._available:
            self._closed = True
            idle, busy = list(self._idle), [w for w in self._all if w not in self._idle]
            self._all.clear()
            self._idle.clear()
            self._count = 0
        for worker in idle:
            worker.kill()
        # A busy worker's pipe belongs to the thread waiting on it: kill the process only;
        # that thread sees the end of the pipe and cleans up.
        for worker in busy:
            worker.process.kill()
