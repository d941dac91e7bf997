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
