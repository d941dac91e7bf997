"""Where the published dataset comes from, and how it is loaded into a pyoxigraph store.

A dataset is described by a :class:`Source`: folders of RDF files, or a
persistent store made by ``dialogue55 load``. Loading is all or nothing: a file
that does not parse raises :class:`DatasetError` naming the file and line, and
no half-loaded store is ever returned.

Graph naming, so every triple lands in a named graph:

- a Turtle, N-Triples, N3 or RDF/XML file goes into ``{namespace}graph/{file stem}``;
- a TriG or N-Quads file keeps its own named graphs; its default-graph triples
  go into ``{namespace}graph/{file stem}``.

Relative IRIs in a file (``rdf:about=""``, ``<#x>``, ``<other>``) resolve
against the file's own graph IRI, ``{namespace}graph/{file stem}``
(:func:`file_base`): the document is the graph that holds its triples, so
``<>`` names it, and the base depends on nothing of the machine it is loaded
on (a ``file://`` location would publish the server's paths). A ``@base`` or
``xml:base`` in the file wins, as usual. ``dialogue55 validate`` says so.

``shapes.ttl`` is SHACL for validation, not data, and is never published; a
``releases/`` folder holds prior versions of the ontology, served at their
version IRIs (``/ontology/1.0.0``) and never loaded.

The Wikidata view (:mod:`.wikidata_view`) is derived from the loaded graphs
into a named graph of its own, ``{namespace}graph/wikidata-view``.

The store's default graph holds the union of all named graphs, materialised
once at load time. A store is a set of quads, so this union is a set of
triples, as SPARQL's RDF merge requires: a triple stated in two sentence
graphs is one triple of the default graph. (pyoxigraph's own
``use_default_graph_as_union`` is a multiset and counts it twice.)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse

from . import wikidata_view

SHAPES_FILENAME = "shapes.ttl"
RELEASES = "releases"  # prior versions of the ontology: served at their version IRI, never loaded


class DatasetError(Exception):
    """The dataset cannot be loaded; the message says which file and line."""


@dataclass(frozen=True)
class Source:
    """What to publish: RDF folders (or a persistent store) and the IRI rewriting to apply."""

    ontology: Path | None
    data: tuple[Path, ...]
    namespace: str
    base_iri: str | None = None
    store_path: Path | None = None

    @classmethod
    def from_settings(cls, settings: dict) -> "Source":
        return cls(
            ontology=settings["ontology"],
            data=tuple(settings["data"]),
            namespace=settings["namespace"],
            base_iri=settings["base_iri"],
            store_path=settings["store"],
        )

    @property
    def published_namespace(self) -> str:
        """The namespace as it appears in the store: rewritten to the base IRI if one is set."""
        return self.base_iri or self.namespace


def rdf_format(path: Path) -> RdfFormat | None:
    """The RDF format of a file, from its extension, or None for a file that is not RDF.

    >>> rdf_format(Path("facts.trig")).name
    'TriG'
    >>> rdf_format(Path("notes.tsv")) is None
    True
    """
    return RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None


def rdf_files(source: Source) -> list[Path]:
    """Every published RDF file of the source, in a stable order; missing folders are errors."""
    folders = ([source.ontology] if source.ontology else []) + list(source.data)
    files = []
    for folder in folders:
        if not folder.is_dir():
            raise DatasetError(f"{folder}: no such folder")
        files += sorted(
            p for p in folder.rglob("*")
            if p.is_file() and p.name != SHAPES_FILENAME and rdf_format(p) is not None
            and RELEASES not in p.relative_to(folder).parts
        )
    return files


def file_base(namespace: str, path: Path) -> str:
    """The base IRI of relative IRIs in a data file: its graph's IRI.

    >>> file_base("https://w3id.org/dialogue55/", Path("data/sq05.rdf"))
    'https://w3id.org/dialogue55/graph/sq05'
    """
    return namespace + "graph/" + path.stem


def quads_of(path: Path, source: Source) -> Iterator[Quad]:
    """The quads of one file, in their named graphs, with the namespace rewritten."""
    fmt = rdf_format(path)
    file_graph = NamedNode(source.published_namespace + "graph/" + path.stem)
    rename = _renamer(source.namespace, source.base_iri)
    try:
        for quad in parse(path=str(path), format=fmt, base_iri=file_base(source.namespace, path)):
            graph = file_graph if isinstance(quad.graph_name, DefaultGraph) else rename(quad.graph_name)
            yield Quad(rename(quad.subject), rename(quad.predicate), rename(quad.object), graph)
    except SyntaxError as error:
        raise DatasetError(f"{path}:{error.lineno or '?'}: {error.msg}") from None


def _renamer(namespace: str, base_iri: str | None):
    if not base_iri or base_iri == namespace:
        return lambda term: term

    def rename(term):
        if isinstance(term, NamedNode) and term.value.startswith(namespace):
            return NamedNode(base_iri + term.value[len(namespace):])
        return term

    return rename


def load(source: Source) -> Store:
    """A store holding the whole source, opened read-only when it is a persistent store."""
    if source.store_path is not None:
        return open_store(source.store_path)
    store = Store()
    for path in rdf_files(source):
        store.extend(list(quads_of(path, source)))
    wikidata_view.add_view(store, source.published_namespace)
    materialise_union(store)
    return store


UNION = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def materialise_union(store: Store) -> None:
    """Fill the default graph with the union (a set) of every named graph."""
    store.update(UNION)


def named_quads(store: Store) -> Iterator[Quad]:
    """Every quad of the named graphs: the dataset as published, without the derived union.

    A store that reads whole graphs its own way (an external engine's, which
    pages them by key) says so with a ``named_quads`` method of its own.
    """
    if hasattr(store, "named_quads"):
        yield from store.named_quads()
        return
    for graph in store.named_graphs():
        yield from store.quads_for_pattern(None, None, None, graph)


def graph_quads(store: Store, graph: NamedNode) -> Iterator[Quad]:
    """Every quad of the named graph ``graph``, whole (an external engine's store reads it by key)."""
    if hasattr(store, "graph_triples"):
        return (Quad(t.subject, t.predicate, t.object, graph) for t in store.graph_triples(graph))
    return store.quads_for_pattern(None, None, None, graph)


def open_store(path: Path) -> Store:
    if not path.is_dir():
        raise DatasetError(f"{path}: no store there (make one with `dialogue55 load`)")
    try:
        return Store.read_only(str(path))
    except (OSError, RuntimeError) as error:  # RocksDB reports a damaged store as RuntimeError ("Corruption: ...")
        raise DatasetError(f"{path}: cannot open the store: {error}") from None


def version(source: Source) -> str:
    """A short fingerprint of the dataset's content: the ETag of everything served from it.

    For RDF folders it hashes every file's bytes with its name, plus the rewriting;
    for a persistent store it hashes its files' names, sizes and modification times.
    """
    digest = hashlib.sha256((source.namespace + "|" + (source.base_iri or "")).encode())
    for path in _fingerprinted_files(source):
        digest.update(str(path.name).encode())
        if source.store_path is None:
            digest.update(path.read_bytes())
        else:
            stat = path.stat()
            digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def _fingerprinted_files(source: Source) -> Iterable[Path]:
    if source.store_path is not None:
        return sorted(p for p in source.store_path.rglob("*") if p.is_file())
    return rdf_files(source)
