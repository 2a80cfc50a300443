"""Estimators of the evaluation ladder's designs."""

from .before_after import before_after
from .descriptive import Reference, benchmark, follow_up
from .did import did
from .difference import difference
from .its import its
from .synthetic import synthetic

__all__ = ["before_after", "benchmark", "difference", "did", "follow_up", "Reference",
           "its", "synthetic"]
