"""External SPARQL engines on loopback, loaded with ``dialogue55 export``: for the backend tests and the benchmark.

Each engine is a private process on free 127.0.0.1 ports, its files in a
folder of the caller's, started, waited for by polling its endpoint, and
stopped with SIGTERM (then killed if it lingers):

- :func:`oxigraph`: ``oxigraph serve-read-only --union-default-graph`` over a
  store made by ``oxigraph load``, with its own time limit (``--timeout-s``);
- :func:`virtuoso`: ``virtuoso-t +foreground`` with a ``virtuoso.ini`` of its
  own (database files in the folder, SQL and HTTP ports of its own, the export's
  folder in ``DirsAllowed``, a row cap), loaded with the bulk loader
  (``ld_dir``, ``rdf_loader_run()``, ``checkpoint``) through ``isql-vt``. It
  never uses or disturbs a system instance (ports 1111 and 8890).

>>> "ResultSetMaxRows = 500" in virtuoso_ini(Path("/x"), 5491, 5490, [Path("/data")], max_rows=500)
True
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .servers import ROOT, await_answer, free_port, oxigraph_binary, stop

SORTED_ROWS = 50_000  # Virtuoso's MaxSortedTopRows (10,000 as shipped): the reading view sorts up to 20,001 rows
START_SECONDS = 120  # a fresh Virtuoso database takes a few seconds to create on a shared machine


def export(folder: Path, fmt: str = "nq") -> Path:
    """``dialogue55 export`` of the project's dataset into ``folder``, in the canonical namespace."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"dump.{fmt}"
    subprocess.run([sys.executable, "-m", "server", "export", "--format", fmt, "-o", str(path)],
                   cwd=ROOT, check=True, capture_output=True)
    return path


@contextmanager
def oxigraph(folder: Path, files: list[Path], timeout_s: float = 30, union: bool = True) -> Iterator[str]:
    """``oxigraph serve-read-only`` over ``files`` (N-Quads or TriG), its default graph the union (unless not
    ``union``), engine-side limit ``timeout_s``; yields its query endpoint's URL."""
    store = folder / "oxigraph-store"
    for path in files:
        subprocess.run([oxigraph_binary(), "load", "--location", str(store), "--file", str(path)],
                       check=True, capture_output=True)
    port = free_port()
    command = [oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
               *(["--union-default-graph"] if union else []), "--timeout-s", f"{timeout_s:g}"]
    with _running(command, folder / "oxigraph.log") as process:
        url = f"http://127.0.0.1:{port}/query"
        await_endpoint(url, process)
        yield url


def virtuoso_binaries() -> tuple[str, str]:
    """Debian's ``virtuoso-t`` and its SQL client (``isql-vt``, else ``isql``)."""
    server = shutil.which("virtuoso-t") or "virtuoso-t"
    client = shutil.which("isql-vt") or shutil.which("isql") or "isql-vt"
    return server, client


def virtuoso_ini(folder: Path, sql_port: int, http_port: int, allowed: list[Path], max_rows: int = 10_000,
                 timeout_s: float = 30, estimate_s: int = 0) -> str:
    """A ``virtuoso.ini`` for a private instance: files under ``folder``, loopback ports, ``allowed`` loadable.

    ``ResultSetMaxRows`` is the most rows (or triples) one answer carries (longer
    ones are cut); ``MaxQueryExecutionTime`` the engine's own time limit, in seconds;
    ``MaxSortedTopRows`` the most rows a query may sort (``ORDER BY`` with ``LIMIT``
    and ``OFFSET``), which the reading view's fixed query needs above the default.
    ``MaxQueryCostEstimationTime`` (``estimate_s``): above 0 (400 as shipped), the
    endpoint compiles every query once more to estimate its cost, and refuses one
    estimated past that many seconds; 0 (the README's advice) skips the estimate.
    """
    dirs = ", ".join([".", *(str(path) for path in allowed)])
    db = folder / "db"
    return f"""\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {dirs}
CheckpointInterval = 0
MaxSortedTopRows = {SORTED_ROWS}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder / "www"}
ServerThreads = 10
MaxKeepAlives = 10
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {int(timeout_s)}
MaxQueryCostEstimationTime = {estimate_s}
"""


@contextmanager
def virtuoso(folder: Path, files: list[Path], max_rows: int = 10_000, timeout_s: float = 30,
             estimate_s: int = 0) -> Iterator[str]:
    """A private Virtuoso instance in ``folder``, loaded with ``files`` (N-Quads or TriG); yields its endpoint's URL.

    Its settings are :func:`virtuoso_ini`'s."""
    server, client = virtuoso_binaries()
    sql_port, http_port = free_port(), free_port()
    for sub in ("db", "www"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(folder, sql_port, http_port, sorted({p.parent for p in files}), max_rows, timeout_s,
                                estimate_s))
    with _running([server, "+foreground", "+configfile", str(ini)], folder / "virtuoso.out", cwd=folder / "db") \
            as process:
        url = f"http://127.0.0.1:{http_port}/sparql"
        await_endpoint(url, process, lambda: "Server online at" in (folder / "virtuoso.out").read_text())
        listed = " ".join(f"ld_dir('{path.parent}', '{path.name}', 'urn:x-dialogue55:unnamed');" for path in files)
        sql = f"{listed} rdf_loader_run(); checkpoint;"
        loaded = subprocess.run([client, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={sql}"],
                                capture_output=True, text=True, timeout=300)
        if loaded.returncode != 0 or "Error" in loaded.stdout + loaded.stderr:
            raise RuntimeError(f"Virtuoso's bulk loader failed: {(loaded.stdout + loaded.stderr)[-500:]}")
        yield url


def await_endpoint(url: str, process: subprocess.Popen, ready=lambda: True, seconds: float = START_SECONDS) -> None:
    """Poll ``url`` with ``ASK {}`` until it answers 200 and ``ready()`` is true (Virtuoso's SQL port is open
    only once its log says "Server online"); fail if the process exits or time runs out."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": "ASK {}"}).encode(),
                                     headers={"Accept": "application/sparql-results+json"})
    await_answer(request, process, ready, seconds)


@contextmanager
def _running(command: list[str], log: Path, cwd: Path | None = None) -> Iterator[subprocess.Popen]:
    with open(log, "w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=cwd)
        try:
            yield process
        finally:
            stop(process)
