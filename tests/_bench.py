"""Import a module of ``benchmarks/`` by its path.

The folder is not put on ``sys.path``: its ``coverage.py`` (the coverage study) would
then shadow the ``coverage`` package, and numba (under pyfixest) imports ``coverage``
when it compiles, so a test that ran after such an insertion failed with
"module 'coverage' has no attribute 'types'" depending on the order of the tests.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str) -> ModuleType:
    """``benchmarks/<name>.py`` as module ``name`` (once per session)."""
    if name in sys.modules and getattr(sys.modules[name], "__file__", "") == \
            str(BENCHMARKS / f"{name}.py"):
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses and pickling need their module registered
    spec.loader.exec_module(mod)
    return mod
