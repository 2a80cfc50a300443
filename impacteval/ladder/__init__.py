"""The evaluation ladder: ``ie.evaluate`` picks the strongest design the data allow.

Where things are:

- :mod:`.core` — the run loop (no design names);
- :mod:`.registry` — the :class:`~.registry.Rung` protocol and ``register``;
- :mod:`.rungs` — one module per design (``rungs/did.py`` is the DiD rung);
- :mod:`.context`, :mod:`.study` — what the rungs read, computed once;
- :mod:`.checks` — :class:`Check`, :class:`~.checks.Infeasible` and shared checks;
- :mod:`.ratings` — design, precision, attrition and security padlocks;
- :mod:`.render` — steps table, verdict lines and the plain-language paragraph;
- :mod:`.result` — :class:`Evaluation` and :class:`EvaluationCollection`.
"""

from __future__ import annotations

from .checks import Check, Infeasible
from .core import evaluate
from .registry import DESIGNS, Rung, register, registered, unregister
from .result import Evaluation, EvaluationCollection

__all__ = ["evaluate", "Evaluation", "EvaluationCollection", "DESIGNS", "Check", "Infeasible",
           "Rung", "register", "registered", "unregister"]
