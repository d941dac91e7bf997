"""Loading RDF folders into the store: graph naming, IRI rewriting, all-or-nothing errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, NamedNode

from server.dataset import sources

NS = "https://w3id.org/dialogue55/"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folders(tmp_path):
    ontology, data = tmp_path / "ontology", tmp_path / "data"
    write(ontology, "terms.ttl", f"<{NS}ontology#State> a <http://www.w3.org/2002/07/owl#Class> .\n")
    write(ontology, "shapes.ttl", "<http://e/shape> a <http://www.w3.org/ns/shacl#NodeShape> .\n")
    write(data, "facts.trig", f"<{NS}graph/sentence-01> {{ <{NS}id/morocco> a <{NS}ontology#State> . }}\n"
                              f"<{NS}id/morocco> <http://e/p> <http://e/o> .\n")
    write(data, "notes.tsv", "not\trdf\n")
    return ontology, data


def source(folders, base_iri=None) -> sources.Source:
    return sources.Source(ontology=folders[0], data=(folders[1],), namespace=NS, base_iri=base_iri)


def graphs(store) -> set[str]:
    return {g.value for g in store.named_graphs()}


def test_each_file_lands_in_its_named_graphs(folders):
    store = sources.load(source(folders))
    assert graphs(store) == {NS + "graph/terms", NS + "graph/sentence-01", NS + "graph/facts"}
    assert len(list(sources.named_quads(store))) == 3


def test_shapes_and_non_rdf_files_are_not_published(folders):
    store = sources.load(source(folders))
    assert not list(store.quads_for_pattern(NamedNode("http://e/shape"), None, None))


def test_base_iri_rewrites_every_namespace_iri(folders):
    store = sources.load(source(folders, base_iri="http://127.0.0.1:8080/"))
    assert graphs(store) == {"http://127.0.0.1:8080/graph/" + n for n in ("terms", "sentence-01", "facts")}
    subjects = {q.subject.value for q in store}
    assert "http://127.0.0.1:8080/id/morocco" in subjects
    assert not any(s.startswith(NS) for s in subjects)


def test_syntax_error_names_file_and_line(folders):
    write(folders[1], "broken.ttl", "<http://e/s> <http://e/p> <http://e/o> .\n<http://e/s> <http://e/p> \"open .\n")
    with pytest.raises(sources.DatasetError, match=r"broken\.ttl:2: "):
        sources.load(source(folders))


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(sources.DatasetError, match="no such folder"):
        sources.load(sources.Source(ontology=tmp_path / "absent", data=(), namespace=NS))


def test_version_follows_content(folders):
    before = sources.version(source(folders))
    assert before == sources.version(source(folders))
    write(folders[1], "more.ttl", "<http://e/a> <http://e/b> <http://e/c> .\n")
    assert sources.version(source(folders)) != before
    assert sources.version(source(folders, base_iri="http://127.0.0.1:8080/")) != sources.version(source(folders))


def test_default_graph_is_the_set_union_of_named_graphs(folders):
    same = f"<{NS}id/morocco> a <{NS}ontology#State> ."
    write(folders[1], "again.trig", f"<{NS}graph/sentence-02> {{ {same} }}\n")
    store = sources.load(source(folders))
    union = list(store.quads_for_pattern(None, None, None, DefaultGraph()))
    assert len(list(sources.named_quads(store))) == 4
    assert len(union) == 3  # the triple stated in two sentence graphs counts once


def test_embedded_graph_loads():
    from server import settings

    store = sources.load(sources.Source.from_settings(settings.resolve({}, {})))
    assert NS + "graph/ontology" in graphs(store)
    assert len(list(sources.named_quads(store))) > 100
