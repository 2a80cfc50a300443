"""The README speed table generator (benchmarks/readme_table.py): only the text between
the markers changes, the fastest peer is chosen, and run_all's merge replaces rows."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


ROW = {"workload": "did", "size": "1,000/10", "unit": "units × periods", "repeats": 3,
       "ours_s": 1.0, "ours_min_s": 0.9, "ours_max_s": 1.2, "ours_peak_mb": 100.0,
       "ours_note": "", "peer": "panelols", "peer_s": 5.0, "peer_min_s": 4.0,
       "peer_max_s": 6.0, "peer_peak_mb": 300.0, "peer_note": "", "ratio": 5.0,
       "load_max": 1.5}


def test_readme_only_between_markers(tmp_path):
    rt = _load("readme_table")
    readme = tmp_path / "README.md"
    readme.write_text(f"# T\nbefore\n{rt.START}\nold table\n{rt.END}\nafter\n")
    rows = [ROW, {**ROW, "peer": "pyfixest", "peer_s": 2.0, "ratio": 2.0}]
    assert rt.update_readme(rows, None, readme=readme)
    text = readme.read_text()
    assert text.startswith("# T\nbefore\n") and text.endswith(f"{rt.END}\nafter\n")
    assert "old table" not in text
    table = [ln for ln in text.splitlines() if ln.startswith("| did")]
    assert len(table) == 1 and "pyfixest" in table[0] and "2.0×" in table[0]
    assert "1.000 (0.900–1.200)" in table[0]


def test_readme_without_markers_is_left_alone(tmp_path):
    rt = _load("readme_table")
    readme = tmp_path / "README.md"
    readme.write_text("# T\n")
    assert not rt.update_readme([ROW], None, readme=readme)
    assert readme.read_text() == "# T\n"


def test_merge_replaces_same_workload_size_peer(tmp_path, monkeypatch):
    pytest.importorskip("threadpoolctl")
    sys.path.insert(0, str(BENCH))
    try:
        ra = _load("run_all")
    finally:
        sys.path.remove(str(BENCH))
    monkeypatch.setattr(ra, "RESULTS", tmp_path)
    ra.merge_into_bench([ROW, {**ROW, "workload": "matching", "peer": "sklearn"}])
    merged = ra.merge_into_bench([{**ROW, "ours_s": 0.5, "ratio": 10.0}])
    # in the order of run_all.WORKLOADS (matching before did)
    assert [(r["workload"], r["peer"]) for r in merged] == [("matching", "sklearn"),
                                                           ("did", "panelols")]
    assert merged[1]["ours_s"] == 0.5 and merged[0]["ours_s"] == 1.0
