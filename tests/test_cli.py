"""The ``dialogue55`` commands, run as a newcomer runs them (a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

from pyoxigraph import RdfFormat, parse

from tests.live import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_query_prints_an_aligned_table_with_labels():
    result = run("query", "SELECT ?state ?wd WHERE { ?state d55o:memberOf d55:dialogue-5-5 ; owl:sameAs ?wd } "
                          "ORDER BY ?state")
    assert result.returncode == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines() if line.strip()]
    assert lines[0].split() == ["state", "wd"]
    rows = [line for line in lines if "(d55:" in line]
    assert len(rows) == 10
    assert any(row.strip().startswith("Morocco (d55:morocco)") for row in rows)
    assert "wd:Q1028" in result.stdout  # an IRI without a label in the graph: compact, no label
    assert len({row.index("wd:") for row in rows}) == 1  # the second column starts at one place
    assert lines[-1].strip() == "10 rows"


def test_query_prints_machine_formats():
    query = "SELECT ?state WHERE { ?state d55o:memberOf d55:dialogue-5-5 } ORDER BY ?state"
    csv = run("query", "--format", "csv", query)
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.splitlines()[0] == "state"
    assert "https://w3id.org/dialogue55/id/morocco" in csv.stdout.splitlines()
    as_json = run("query", "--format", "json", query)
    assert len(json.loads(as_json.stdout)["results"]["bindings"]) == 10
    turtle = run("query", "--format", "ttl", "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t ; d55o:memberOf ?f }")
    assert len(list(parse(turtle.stdout.encode(), format=RdfFormat.TURTLE))) == 10


def test_query_prints_a_boolean():
    result = run("query", "ASK { d55:morocco d55o:memberOf d55:dialogue-5-5 }")
    assert (result.returncode, result.stdout) == (0, "true\n")


def test_query_syntax_error_exits_non_zero():
    result = run("query", "SELECT ?x WHERE { ?x }")
    assert result.returncode != 0
    assert "syntax error" in result.stderr


def test_query_refuses_updates():
    result = run("query", "DELETE WHERE { ?s ?p ?o }")
    assert result.returncode != 0
    assert "read-only" in result.stderr


def test_export_writes_every_graph(tmp_path):
    out = tmp_path / "all.nq"
    result = run("export", "--format", "nq", "--output", str(out))
    assert result.returncode == 0, result.stderr
    graphs = {q.graph_name.value for q in parse(path=str(out), format=RdfFormat.N_QUADS)}
    assert "https://w3id.org/dialogue55/graph/ontology" in graphs
    assert any(g.startswith("https://w3id.org/dialogue55/graph/sentence-") for g in graphs)


def test_validate_accepts_the_embedded_graph():
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_reports_file_and_line(tmp_path):
    (tmp_path / "bad.ttl").write_text("<http://e/s> <http://e/p> <http://e/o> .\n<http://e/s> <http://e/p> .\n")
    result = run("validate", "--data", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path / 'bad.ttl'}:2" in result.stdout


def test_export_says_which_namespace_it_writes(tmp_path):
    canonical = run("export", "--format", "nt", "--output", str(tmp_path / "a.nt"))
    assert "IRIs in the canonical namespace https://w3id.org/dialogue55/" in canonical.stderr
    rebased = run("export", "--format", "nt", "--base-iri", "http://example.org/d55/", "--output", str(tmp_path / "b.nt"))
    assert "IRIs in http://example.org/d55/ (the canonical https://w3id.org/dialogue55/" in rebased.stderr
    assert "<http://example.org/d55/id/morocco>" in (tmp_path / "b.nt").read_text()
    assert "https://w3id.org/dialogue55/id/" not in (tmp_path / "b.nt").read_text()
