"""The bundled data load after a plain, non-editable ``pip install .``."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(300)
def test_datasets_load_after_non_editable_install(tmp_path):
    target = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(ROOT)],
        capture_output=True, text=True, timeout=280,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    assert build.returncode == 0, build.stderr[-2000:]
    code = (
        "import impacteval as ie, sys;"
        "assert ie.__file__.startswith(sys.argv[1]), ie.__file__;"
        "df = ie.datasets.load_servicetrainee();"
        "n = df.groupby('group', observed=True)['person_id'].nunique();"
        "print(df['person_id'].nunique(), n['participant'], n['waitlist'], n['register'],"
        " df.groupby('person_id').size().unique().tolist())"
    )
    run = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True,
                         text=True, timeout=120, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(target)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["426", "30", "30", "366", "[24]"]
