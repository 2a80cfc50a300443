"""impacteval — effect evaluation of local social investments.

The evaluation ladder (follow-up → before–after → comparison → DiD → matched
twins → randomised) with small-sample inference, for municipal evaluators and
researchers.

>>> import impacteval as ie
"""

from __future__ import annotations

# _dask registers ie.did's path for data larger than memory (see estimators._common.LARGE_DATA)
from . import _dask, datasets, economics, errors, plots, report  # noqa: F401
from . import sensitivity as sensitivity
from .errors import ImpactEvalError
from .estimators import (
    Reference,
    before_after,
    benchmark,
    did,
    difference,
    follow_up,
    its,
    synthetic,
)
from .estimators.matching import match
from .io import read_table
from .ladder import Evaluation, EvaluationCollection, evaluate
from .plan import Plan
from .power import power
from .results import EffectSize, Estimate, EstimateCollection
from .thresholds import Thresholds

__version__ = "0.1.0.dev0"

__all__ = [
    "errors",
    "economics",
    "datasets",
    "plots",
    "report",
    "follow_up",
    "benchmark",
    "before_after",
    "difference",
    "did",
    "Reference",
    "match",
    "synthetic",
    "its",
    "evaluate",
    "read_table",
    "Evaluation",
    "EvaluationCollection",
    "Plan",
    "power",
    "Thresholds",
    "ImpactEvalError",
    "EffectSize",
    "Estimate",
    "EstimateCollection",
    "__version__",
]
