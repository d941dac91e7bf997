"""The benchmark runs end to end at the smallest size: every row present, no errors. Timings are never asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.live


def test_the_benchmark_writes_its_table_with_zero_errors(tmp_path):
    output = tmp_path / "results.md"
    subprocess.run([sys.executable, "-m", "bench.run", "--size", "tiny", "--seconds", "1", "--clients", "2",
                    "--rounds", "1", "--servers", "ours,ours-unlimited,oxigraph", "--output", str(output)],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    rows = [line.split("|")[1:-1] for line in output.read_text().splitlines() if line.startswith("| queries")]
    assert {row[2].strip() for row in rows} == {"ours", "ours, no cache, no time limit", "oxigraph serve"}
    assert all(row[6].strip() == "0" for row in rows)  # errors column
    assert "| oxigraph load |" in output.read_text()


def test_the_isolation_benchmark_times_every_query_both_ways():
    from bench.mix import QUERIES

    result = subprocess.run([sys.executable, "-m", "bench.isolation", "--size", "tiny", "--repeat", "3"],
                            cwd=ROOT, check=True, capture_output=True, text=True, timeout=300)
    tables = [t.splitlines()[2:] for t in result.stdout.strip().split("\n\n")]
    assert len(tables) == 2  # evaluations alone, then whole requests through Flask
    for table in tables:
        rows = [line.split("|")[1:-1] for line in table]
        assert [row[0].strip() for row in rows] == list(QUERIES)
        assert all(float(row[1]) > 0 and float(row[2]) > 0 for row in rows)


def test_the_backend_benchmark_times_every_route_on_both_engines_and_counts_engine_requests(tmp_path):
    from bench.backend import ROUTES

    output = tmp_path / "backend.md"
    subprocess.run([sys.executable, "-m", "bench.backend", "--requests", "1", "--output", str(output)],
                   cwd=ROOT, check=True, capture_output=True, timeout=600)
    lines = output.read_text().splitlines()
    head = [cell.strip() for cell in lines[2].split("|")[1:-1]]
    assert head == ["route", "embedded (ms)", "oxigraph (ms)", "oxigraph +2 ms (ms)", "virtuoso (ms)",
                    "virtuoso +2 ms (ms)", "oxigraph requests", "virtuoso requests"]
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in lines[4:]]
    assert [row[0] for row in rows] == [f"`{route}`" for route in ROUTES]
    counts = [[int(n) for cell in row[6:] for n in cell.split(" / ")] for row in rows]
    assert all(len(found) == 4 and min(found) > 0 for found in counts)  # first / again, on each engine
