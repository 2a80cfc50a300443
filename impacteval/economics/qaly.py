"""QALYs in money: a QALY gain valued at a range of values per QALY.

Written by hand (a multiplication with its interval carried along).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..errors import ArgumentError
from ..results import Estimate
from ._common import EconomicsResult, _array, _money, _real

#: A common range of values per QALY in Swedish health economics (kronor):
#: 500 kSEK to 1.3 MSEK.
QALY_VALUES_SEK: tuple[float, float] = (500_000.0, 1_300_000.0)

# ------------------------------------------------------------------- QALYs
@dataclass(frozen=True, slots=True, kw_only=True)
class QalyValue(EconomicsResult):
    """Monetary value of a QALY gain per person at several values per QALY.

    ``values[i] = gain * values_per_qaly[i]``; ``low``/``high`` are the extremes.
    With an :class:`Estimate` as the gain, ``values_low``/``values_high`` carry
    its interval (``conf_low``/``conf_high``) at each value per QALY.
    """

    gain: float
    values_per_qaly: tuple[float, ...]
    values: tuple[float, ...]
    low: float
    high: float
    values_low: tuple[float, ...] | None = None
    values_high: tuple[float, ...] | None = None
    conf_level: float | None = None

    def tidy(self) -> pd.DataFrame:
        """One row per value per QALY."""
        out = pd.DataFrame({"value_per_qaly": self.values_per_qaly, "value": self.values})
        if self.values_low is not None:
            out["value_low"] = self.values_low
            out["value_high"] = self.values_high
        return out

    def summary(self) -> str:
        lines = [
            f"QALY gain of {self.gain:g} per person",
            "=" * 50,
            f"Value per person: {_money(self.low)} – {_money(self.high)}",
        ]
        for v, m in zip(self.values_per_qaly, self.values, strict=True):
            lines.append(f"  at {_money(v)} per QALY: {_money(m)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def qaly_value(gain: float | Estimate, value_per_qaly: float | ArrayLike) -> QalyValue:
    """Value a QALY gain per person at one or several values per QALY.

    Parameters
    ----------
    gain : float or Estimate
        QALYs gained per person (an :class:`Estimate` carries its interval).
    value_per_qaly : float or 1-D array_like
        Kronor per QALY, e.g. ``QALY_VALUES_SEK = (500_000, 1_300_000)``. All
        must be positive.

    Returns
    -------
    QalyValue

    Examples
    --------
    >>> from impacteval.economics import qaly_value, QALY_VALUES_SEK
    >>> q = qaly_value(0.16, QALY_VALUES_SEK)
    >>> round(q.low), round(q.high)
    (80000, 208000)
    """
    func = "qaly_value"
    est = None
    if isinstance(gain, Estimate):
        est = gain
        g = gain.estimate
        if not math.isfinite(g):
            raise ArgumentError("The QALY gain estimate passed to qaly_value() is missing.")
    else:
        g = _real(gain, "gain", func=func)
    v = _array(value_per_qaly, "value_per_qaly", func=func, max_ndim=1).reshape(-1)
    if np.any(v <= 0):
        raise ArgumentError(
            f"Every value per QALY given to qaly_value() must be positive kronor. Got "
            f"{v.tolist()}."
        )
    vals = g * v
    lows = highs = None
    if est is not None and math.isfinite(est.conf_low) and math.isfinite(est.conf_high):
        lows = tuple(float(x) for x in est.conf_low * v)
        highs = tuple(float(x) for x in est.conf_high * v)
    return QalyValue(
        gain=float(g),
        values_per_qaly=tuple(float(x) for x in v),
        values=tuple(float(x) for x in vals),
        low=float(vals.min()),
        high=float(vals.max()),
        values_low=lows,
        values_high=highs,
        conf_level=None if est is None else est.conf_level,
    )


