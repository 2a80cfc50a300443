"""QALYs in money: a QALY gain valued at a range of values per QALY.

Written by hand (a multiplication with its interval carried along).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .._protocol import check_lang
from ..errors import ArgumentError
from ..notes import Note, render_note
from ..results import Estimate
from ._common import EconomicsResult, _array, _localise, _money, _notes_lines, _real

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

    def summary(self, lang: str = "en") -> str:
        """A short plain-text table, in English or Swedish."""
        sv = check_lang(lang) == "sv"
        lines = [
            (f"QALY-vinst {self.gain:g} per person" if sv
             else f"QALY gain of {self.gain:g} per person"),
            "=" * 50,
            ("Värde per person: " if sv else "Value per person: ")
            + f"{_money(self.low)} – {_money(self.high)}",
        ]
        for v, m in zip(self.values_per_qaly, self.values, strict=True):
            lines.append(f"  {'vid' if sv else 'at'} {_money(v)} per QALY: {_money(m)}")
        return _localise("\n".join(lines), lang)

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
            raise ArgumentError(Note("err_econ_qaly_missing"))
    else:
        g = _real(gain, "gain", func=func)
    v = _array(value_per_qaly, "value_per_qaly", func=func, max_ndim=1).reshape(-1)
    if np.any(v <= 0):
        raise ArgumentError(Note("err_econ_qaly_values", values=str(v.tolist())))
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




# ------------------------------------------------------- cost per QALY
@dataclass(frozen=True, slots=True, kw_only=True)
class CostPerQaly(EconomicsResult):
    """Net cost per QALY gained, with its uncertainty, and the acceptability curve.

    Attributes
    ----------
    net_cost, net_cost_low, net_cost_high : float
        Net cost per person (cost − savings; negative = the project saves money) and its
        interval.
    qaly_gain, qaly_low, qaly_high : float
        QALYs gained per person and their interval.
    cost_per_qaly, cost_per_qaly_low, cost_per_qaly_high : float
        Net cost per QALY (the incremental cost-effectiveness ratio) and its interval; the
        interval is NaN when some draws gain no QALY (the ratio is then not monotone; read
        the acceptability curve instead). A negative ratio with a positive gain means the
        project saves money *and* gains health (dominant).
    p_saves_money : float
        P(net cost < 0): the savings alone pay for the project.
    p_dominant : float
        P(net cost < 0 and QALY gain > 0).
    acceptability : DataFrame
        The cost-effectiveness acceptability curve (van Hout et al. 1994): for each value
        per QALY λ, P(λ · QALY gain − net cost > 0) — the probability that the project is
        worth its net cost at that value (columns ``value_per_qaly``,
        ``p_cost_effective``). Read-only copy on access through :meth:`tidy`.
    """

    net_cost: float
    net_cost_low: float
    net_cost_high: float
    qaly_gain: float
    qaly_low: float
    qaly_high: float
    cost_per_qaly: float
    cost_per_qaly_low: float
    cost_per_qaly_high: float
    conf_level: float
    p_saves_money: float
    p_dominant: float
    n_draws: int
    values_per_qaly: tuple[float, ...]
    p_cost_effective: tuple[float, ...]
    qaly_source: str
    cost_source: str
    notes: tuple[str, ...] = ()

    def probability_below(self, threshold: float) -> float:
        """P(cost per QALY below ``threshold``) = P(threshold · gain − net cost > 0)."""
        i = self.values_per_qaly.index(float(threshold)) if float(threshold) in \
            self.values_per_qaly else None
        if i is None:
            raise ArgumentError(Note("err_econ_qaly_threshold", value=repr(threshold),
                                     values=str(list(self.values_per_qaly))))
        return self.p_cost_effective[i]

    def tidy(self) -> pd.DataFrame:
        """The acceptability curve: one row per value per QALY."""
        return pd.DataFrame({"value_per_qaly": self.values_per_qaly,
                             "p_cost_effective": self.p_cost_effective})

    def summary(self, lang: str = "en") -> str:
        """A short plain-text table, in English or Swedish."""
        L = _CPQ_LABELS[check_lang(lang)]
        lv = f"{100 * self.conf_level:g} %"
        ratio = _money(self.cost_per_qaly)
        if math.isfinite(self.cost_per_qaly_low):
            ratio += f"  [{lv}: {_money(self.cost_per_qaly_low)}, " \
                     f"{_money(self.cost_per_qaly_high)}]"
        lines = [
            L["title"],
            "=" * 72,
            f"{L['net']:<23}{_money(self.net_cost)}  [{lv}: "
            f"{_money(self.net_cost_low)}, {_money(self.net_cost_high)}]",
            f"{L['gain']:<23}{self.qaly_gain:.3g}  [{lv}: {self.qaly_low:.3g}, "
            f"{self.qaly_high:.3g}]",
            f"{L['ratio']:<23}{ratio}",
            f"{L['saves']:<23}{self.p_saves_money:.3f}",
            f"{L['dominant']:<23}{self.p_dominant:.3f}  {L['dominant_why']}",
            L["below"],
        ]
        for v, p in zip(self.values_per_qaly, self.p_cost_effective, strict=True):
            lines.append(f"  {_money(v):>14} per QALY: {p:.3f}")
        lines.append(L["source"].format(c=render_note(self.cost_source, lang, None),
                                        q=render_note(self.qaly_source, lang, None)))
        return _localise("\n".join(lines + _notes_lines(self.notes, lang)), lang)


def _draws_or_value(x: Any, name: str) -> tuple[np.ndarray, str]:
    func = "cost_per_qaly"
    if isinstance(x, Estimate):
        if x.draws is None:
            raise ArgumentError(Note("err_econ_qaly_draws", name=name))
        return np.asarray(x.draws, dtype=float), f"bootstrap draws (n={len(x.draws)})"
    a = _array(x, name, func=func, max_ndim=1).reshape(-1)
    src = "a single value (no uncertainty)" if a.size == 1 else f"draws (n={a.size})"
    return a, src


def cost_per_qaly(
    net_cost: float | ArrayLike,
    qaly_gain: float | ArrayLike,
    *,
    values_per_qaly: ArrayLike | None = None,
    conf_level: float = 0.95,
    qaly_source: str | None = None,
    net_cost_point: float | None = None,
    qaly_point: float | None = None,
) -> CostPerQaly:
    """Net cost per QALY gained, P(below a value per QALY) and the acceptability curve.

    Parameters
    ----------
    net_cost : float or 1-D array_like
        Net cost per person in kronor (the project's cost minus the savings it causes; the
        savings' draws carry the effect's uncertainty), one value or draws.
    qaly_gain : float or 1-D array_like
        QALYs gained per person: one value, or draws paired one to one with ``net_cost``'s
        (from a comparison, or from an assumed range: say which in ``qaly_source``).
    values_per_qaly : 1-D array_like, optional
        Values per QALY (kronor) for the acceptability curve. Default: 0 to 2 MSEK in steps
        of 100 kSEK plus :data:`QALY_VALUES_SEK`.
    conf_level : float, default 0.95
        Level of the percentile intervals.
    qaly_source : str, optional
        Where the QALY gain's uncertainty comes from (printed in the summary), e.g.
        ``"assumption: triangular 0.08–0.24"``.
    net_cost_point, qaly_point : float, optional
        Point estimates to report instead of the draws' means (e.g. the estimate itself
        when the draws are a bootstrap whose mean is slightly off it); intervals and
        probabilities still come from the draws.

    Returns
    -------
    CostPerQaly

    Notes
    -----
    The acceptability curve uses the net monetary benefit λ·q − c (Stinnett & Mullahy
    1998), which stays well defined when the QALY gain or the net cost crosses zero, where
    the ratio c/q does not. Draws are paired: the i-th net cost with the i-th QALY gain.

    Examples
    --------
    >>> import numpy as np
    >>> from impacteval.economics import cost_per_qaly
    >>> rng = np.random.default_rng(1)
    >>> r = cost_per_qaly(rng.normal(20_000, 10_000, 4000), 0.16, values_per_qaly=[500_000])
    >>> round(r.cost_per_qaly, -3), r.probability_below(500_000) > 0.99
    (124000.0, True)
    """
    func = "cost_per_qaly"
    if not 0 < float(conf_level) < 1:
        raise ArgumentError(Note("err_conf_level", value=repr(conf_level)))
    c, c_src = _draws_or_value(net_cost, "net_cost")
    q, q_src = _draws_or_value(qaly_gain, "qaly_gain")
    if c.size > 1 and q.size > 1 and c.size != q.size:
        raise ArgumentError(Note("err_econ_qaly_pairs", n=int(c.size), m=int(q.size)))
    n = max(c.size, q.size)
    c = np.broadcast_to(c, (n,)) if c.size == 1 else c
    q = np.broadcast_to(q, (n,)) if q.size == 1 else q
    if values_per_qaly is None:
        lam = np.unique(np.r_[np.arange(0, 2_000_001, 100_000), QALY_VALUES_SEK]).astype(float)
    else:
        lam = _array(values_per_qaly, "values_per_qaly", func=func, max_ndim=1).reshape(-1)
        if np.any(lam < 0):
            raise ArgumentError(Note("err_econ_qaly_nonneg"))
    alpha = 1 - float(conf_level)
    qs = [alpha / 2, 1 - alpha / 2]
    c_mean = float(np.mean(c)) if net_cost_point is None else _real(
        net_cost_point, "net_cost_point", func=func)
    q_mean = float(np.mean(q)) if qaly_point is None else _real(qaly_point, "qaly_point",
                                                                  func=func)
    c_lo, c_hi = (float(x) for x in np.quantile(c, qs))
    q_lo, q_hi = (float(x) for x in np.quantile(q, qs))
    notes: list[str] = []
    ratio = c_mean / q_mean if q_mean != 0 else float("nan")
    if np.all(q > 0):
        r_lo, r_hi = (float(x) for x in np.quantile(c / q, qs))
    else:
        r_lo = r_hi = float("nan")
        notes.append(Note("qaly_nonpositive", n=int(np.sum(q <= 0)), total=n))
    if n == 1:
        notes.append(Note("qaly_single"))
    p_ce = tuple(float(np.mean(lv * q - c > 0)) for lv in lam)
    return CostPerQaly(
        net_cost=c_mean, net_cost_low=c_lo, net_cost_high=c_hi,
        qaly_gain=q_mean, qaly_low=q_lo, qaly_high=q_hi,
        cost_per_qaly=ratio, cost_per_qaly_low=r_lo, cost_per_qaly_high=r_hi,
        conf_level=float(conf_level),
        p_saves_money=float(np.mean(c < 0)),
        p_dominant=float(np.mean((c < 0) & (q > 0))),
        n_draws=int(n),
        values_per_qaly=tuple(float(x) for x in lam),
        p_cost_effective=p_ce,
        qaly_source=qaly_source or q_src,
        cost_source=c_src,
        notes=tuple(notes),
    )


_CPQ_LABELS = {
    "en": {"title": "Net cost per QALY gained", "net": "Net cost per person:",
           "gain": "QALY gain per person:", "ratio": "Net cost per QALY:",
           "saves": "P(saves money):", "dominant": "P(dominant):",
           "dominant_why": "(saves money and gains health)",
           "below": "P(cost per QALY below the value per QALY):",
           "source": "Uncertainty from: cost {c}; QALY {q}"},
    "sv": {"title": "Nettokostnad per vunnen QALY", "net": "Nettokostnad per person:",
           "gain": "QALY-vinst per person:", "ratio": "Nettokostnad per QALY:",
           "saves": "P(sparar pengar):", "dominant": "P(dominant):",
           "dominant_why": "(sparar pengar och ger hälsa)",
           "below": "P(kostnad per QALY under värdet per QALY):",
           "source": "Osäkerheten från: kostnad {c}; QALY {q}"},
}
