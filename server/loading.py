"""Bulk-loading RDF files into a persistent pyoxigraph store, with a progress bar.

``Store.bulk_load`` is the fastest way in (about 3x ``load`` on disk) and
``optimize`` afterwards compacts the store. Graph naming is the same as for
folders (see :mod:`server.dataset`).
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Store
from tqdm import tqdm

from . import dataset


def bulk_load(files: list[Path], store_path: Path, namespace: str) -> int:
    """Load ``files`` into the store at ``store_path``; returns the number of quads loaded."""
    source = dataset.Source(ontology=None, data=(), namespace=namespace)
    for path in files:
        if dataset.rdf_format(path) is None or not path.is_file():
            raise dataset.DatasetError(f"{path}: not an RDF file this loader knows")
    store = Store(str(store_path))
    total = 0
    with tqdm(unit=" quads", unit_scale=True, desc="loading") as bar:
        for path in files:
            batch = []
            for quad in dataset.quads_of(path, source):
                batch.append(quad)
                if len(batch) == 100_000:
                    store.bulk_extend(batch)
                    bar.update(len(batch))
                    total += len(batch)
                    batch = []
            store.bulk_extend(batch)
            bar.update(len(batch))
            total += len(batch)
    dataset.materialise_union(store)
    store.optimize()
    return total
