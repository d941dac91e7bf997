"""`dialogue55 load`: files into a persistent store, graphs named as for folders, union default graph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import Store

from server.dataset import sources
from server.dataset.loading import bulk_load
from server.settings import NAMESPACE

ROOT = Path(__file__).resolve().parents[2]
TURTLE = '@prefix d55: <https://w3id.org/dialogue55/id/> .\nd55:a d55:p "x"@fr .\nd55:b d55:p "y"@en .\n'
NQUADS = ('<https://w3id.org/dialogue55/id/a> <https://w3id.org/dialogue55/id/p> "x"@fr '
          '<https://w3id.org/dialogue55/graph/s1> .\n'
          '<https://w3id.org/dialogue55/id/a> <https://w3id.org/dialogue55/id/p> "x"@fr '
          '<https://w3id.org/dialogue55/graph/s2> .\n')


def _count(store: Store, pattern: str) -> int:
    return int(next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")))["n"].value)


def test_files_land_in_their_graphs_and_the_default_graph_is_their_set_union(tmp_path):
    (tmp_path / "labels.ttl").write_text(TURTLE)
    (tmp_path / "facts.nq").write_text(NQUADS)
    report = bulk_load([tmp_path / "labels.ttl", tmp_path / "facts.nq"], tmp_path / "store", NAMESPACE,
                       progress=False)
    assert report["quads"] == 4
    store = Store.read_only(str(tmp_path / "store"))
    assert _count(store, f"GRAPH <{NAMESPACE}graph/labels> {{ ?s ?p ?o }}") == 2
    assert _count(store, "GRAPH ?g { ?s ?p ?o }") == 4
    # labels.ttl and both graphs of facts.nq state "a p x": one triple of the union
    assert _count(store, "?s ?p ?o") == 2


def test_the_loaded_store_serves_what_the_folder_serves(tmp_path):
    files = sorted(p for p in (ROOT / "data").glob("*") if sources.rdf_format(p))
    bulk_load(files, tmp_path / "store", NAMESPACE, progress=False)
    folder = sources.load(sources.Source(None, (ROOT / "data",), NAMESPACE))
    store = Store.read_only(str(tmp_path / "store"))
    assert _count(store, "?s ?p ?o") == _count(folder, "?s ?p ?o") > 0
    assert _count(store, "GRAPH ?g { ?s ?p ?o }") == _count(folder, "GRAPH ?g { ?s ?p ?o }")


def test_the_loaded_store_holds_the_same_wikidata_view_as_a_folder(tmp_path):
    files = sorted(p for p in [*(ROOT / "ontology").glob("*.ttl"), *(ROOT / "data").glob("*")]
                   if sources.rdf_format(p) and p.name != "shapes.ttl")
    bulk_load(files, tmp_path / "store", NAMESPACE, progress=False)
    folder = sources.load(sources.Source(ROOT / "ontology", (ROOT / "data",), NAMESPACE))
    store = Store.read_only(str(tmp_path / "store"))
    view = f"GRAPH <{NAMESPACE}graph/wikidata-view> {{ ?s ?p ?o }}"
    assert _count(store, view) == _count(folder, view) > 500
    asked = "?s <http://www.wikidata.org/prop/direct/P463> ?o"  # in the default graph too
    assert _count(store, asked) == _count(folder, asked) == 10


def test_a_file_that_does_not_parse_is_named_with_its_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    with pytest.raises(sources.DatasetError, match="bad.ttl:1"):
        bulk_load([bad], tmp_path / "store", NAMESPACE, progress=False)


def test_the_command_reports_missing_files_and_shows_its_progress(tmp_path):
    missing = subprocess.run([sys.executable, "-m", "server", "load", str(tmp_path / "nope.ttl"),
                              "--store", str(tmp_path / "s")], cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode == 1 and "nope.ttl: no such file" in missing.stderr
    (tmp_path / "labels.ttl").write_text(TURTLE)
    done = subprocess.run([sys.executable, "-m", "server", "load", str(tmp_path / "labels.ttl"),
                           "--store", str(tmp_path / "s")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "quads/s" in done.stderr and "loaded 2 quads" in done.stdout
