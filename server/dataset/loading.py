"""Bulk-loading RDF files into a persistent pyoxigraph store, with a progress bar.

Each file goes through ``Store.bulk_load`` (pyoxigraph's native loader, the one
``oxigraph load`` uses: about 3x ``load`` on disk) straight from its path, so
the loader parses in parallel and no quad is ever built in Python. The progress
bar follows the bytes the process has read: elapsed time, estimated time left,
and quads/s estimated from the bytes per statement of the file's first block. Graph naming is the same as for
folders (see :mod:`server.dataset.sources`): a file of triples goes into
``{namespace}graph/{file stem}``, a TriG or N-Quads file keeps its graphs.

The default graph holds the union of the named graphs (see
:mod:`server.dataset.sources`): a file of triples is simply loaded a second time into
it; for TriG and N-Quads the union is written by the engine to a temporary file
and bulk-loaded. The Wikidata view (:mod:`server.dataset.wikidata_view`) is derived from the
loaded graphs and added to its own graph and to the default graph. The store
is compacted last (``optimize``).
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, QueryResultsFormat, RdfFormat, Store
from tqdm import tqdm

from . import sources, wikidata_view

SAMPLE_BYTES = 1 << 16
BAR = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}] {postfix}"
UNION = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


class _Progress(threading.Thread):
    """Advances a progress bar by the bytes this process has read, counted in (estimated) quads.

    The native loader reads the file itself (and parses it in parallel), so its
    progress is read from ``/proc/self/io`` rather than from a wrapped file.
    """

    def __init__(self, bar: tqdm, per_statement: float):
        super().__init__(daemon=True)
        self.bar, self.per_statement = bar, per_statement
        self.start_bytes, self.done = _bytes_read(), threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.25):
            self.advance()

    def advance(self) -> None:
        read = (_bytes_read() - self.start_bytes) / self.per_statement
        self.bar.update(max(0.0, min(read, self.bar.total) - self.bar.n))


def _bytes_read() -> int:
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("rchar:"):
                return int(line.split()[1])
    except OSError:  # not Linux: the bar then jumps at the end of each file
        pass
    return 0


def bytes_per_statement(path: Path) -> float:
    """Average bytes per statement in the file's first block (a line, or a ' .' end, per statement).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".nt") as f:
    ...     _ = f.write(b'<a> <b> <c> .\\n' * 10); _ = f.flush()
    ...     bytes_per_statement(Path(f.name))
    14.0
    """
    with path.open("rb") as file:
        sample = file.read(SAMPLE_BYTES)
    statements = max(sample.count(b" .\n"), sample.count(b";\n") + sample.count(b".\n"), 1)
    return len(sample) / statements


def _check(files: list[Path]) -> None:
    for path in files:
        if not path.is_file():
            raise sources.DatasetError(f"{path}: no such file")
        if sources.rdf_format(path) is None:
            raise sources.DatasetError(f"{path}: not an RDF file this loader knows (by its extension)")


def _load_file(store: Store, path: Path, namespace: str, bar: tqdm, per_statement: float) -> None:
    fmt = sources.rdf_format(path)
    graph = None if fmt.supports_datasets else NamedNode(namespace + "graph/" + path.stem)
    bar.set_postfix_str(path.name)
    # A file of triples is read twice (see below), so each byte is worth half a statement.
    progress = _Progress(bar, per_statement * (1 if graph is None else 2))
    progress.start()
    try:
        base = sources.file_base(namespace, path)
        store.bulk_load(path=str(path), format=fmt, base_iri=base, to_graph=graph)
        if graph is not None:  # a file of triples is its own union: read it again into the default graph
            store.bulk_load(path=str(path), format=fmt, base_iri=base, to_graph=DefaultGraph())
    except SyntaxError as error:
        raise sources.DatasetError(f"{path}:{error.lineno or '?'}: {error.msg}") from None
    finally:
        progress.done.set()
        progress.join()
    progress.advance()


def _materialise_union(store: Store, folder: Path) -> None:
    """Fill the default graph with the union of the named graphs of dataset files, natively.

    The engine writes the union's triples as TSV results, whose terms are
    Turtle; once each row ends with " ." the file loads as Turtle.
    """
    handle, name = tempfile.mkstemp(suffix=".tsv", dir=folder)
    os.close(handle)
    try:
        store.query(UNION).serialize(output=name, format=QueryResultsFormat.TSV)
        with open(name, "rb") as rows:
            rows.readline()  # the header: ?s ?p ?o
            store.bulk_load(_TurtleRows(rows), format=RdfFormat.TURTLE, to_graph=DefaultGraph())
    finally:
        os.unlink(name)


class _TurtleRows:
    """TSV rows of ?s ?p ?o, read as Turtle statements."""

    def __init__(self, rows):
        self.rows = rows

    def read(self, size: int = -1) -> bytes:
        chunk = self.rows.read(size) + self.rows.readline()  # whole rows only
        return chunk.replace(b"\t", b" ").replace(b"\n", b" .\n")


def bulk_load(files: list[Path], store_path: Path, namespace: str, progress: bool = True) -> dict:
    """Load ``files`` into the store at ``store_path``; returns bytes, seconds and named-graph quads."""
    _check(files)
    began = time.perf_counter()
    size = sum(path.stat().st_size for path in files)
    per_statement = {path: bytes_per_statement(path) for path in files}
    estimate = sum(path.stat().st_size / per_statement[path] for path in files)
    store_path.mkdir(parents=True, exist_ok=True)
    store = Store(str(store_path))
    with tqdm(total=round(estimate), unit=" quads", unit_scale=True, desc="loading (estimated)",
              disable=not progress, bar_format=BAR) as bar:
        for path in files:
            _load_file(store, path, namespace, bar, per_statement[path])
        bar.set_postfix_str("default graph: union of the named graphs")
        bar.set_postfix_str("the Wikidata view")
        view = wikidata_view.derive(store, namespace)
        store.extend(view)
        store.extend([Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in view])
        quads = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        count = int(next(iter(quads))["n"].value)
        if any(sources.rdf_format(path).supports_datasets for path in files):
            _materialise_union(store, store_path)
        bar.set_postfix_str("compacting")
        store.optimize()
        store.flush()
        seconds = time.perf_counter() - began
        bar.write(f"loaded {count:,} quads from {size:,} bytes in {seconds:.1f} s ({count / seconds:,.0f} quads/s)")
    return {"bytes": size, "seconds": seconds, "quads": count}
