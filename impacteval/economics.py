"""From effect to money: present values, cost-effectiveness, repayment rules,
QALYs, benefit–cost with uncertainty, and pooling of repeated cohorts or sites.

A social investment fund grants money on the promise of savings, and often asks
for the savings to be paid back (*återföring*). This module turns an effect
:class:`~impacteval.results.Estimate` into money while keeping its uncertainty:

* :func:`present_value` discounts yearly flows (scalars, arrays, or one row of
  yearly flows per draw);
* :func:`cost_effectiveness` gives effect per krona and kronor per unit of
  effect, with an interval that is honestly unbounded on one side when the
  effect's interval includes zero;
* :class:`Unconditional`, :class:`Conditional` and :class:`Capped` are the
  repayment rules, and :func:`repayment` shows who carries the downside —
  the fund or the unit that received the grant;
* :func:`qaly_value` values a QALY gain at a range of values per QALY;
* :func:`benefit_cost` and :func:`probability_pays_back` give the net present
  value, the benefit–cost ratio and P(NPV > 0), using the effect's own
  bootstrap draws when the estimator kept them (``Estimate.draws``) and its
  normal/t sampling distribution otherwise;
* :func:`pool` combines several estimates by inverse-variance fixed-effect or
  DerSimonian–Laird random-effects weighting, with Q, I² and τ².

Uncertainty is carried, not re-estimated: with bootstrap draws the intervals
are percentiles of the (transformed) draws; without them the effect is taken
as ``estimate + std_error · T`` with ``T`` Student-t on ``Estimate.df`` degrees
of freedom (standard normal when ``df`` is None), and because every money
quantity here is a monotone function of the effect, its quantiles are exact
transforms of the effect's quantiles — no simulation, no seed needed.

Written by hand, because no library we depend on has them: the discounting of
per-draw arrays, the repayment rules, the cost-effectiveness interval with an
unbounded side, and the benefit–cost summary. The pooling formulas are a dozen
lines and are also written here rather than delegated to
``statsmodels.stats.meta_analysis.combine_effects``: that function is marked
experimental, and its DerSimonian–Laird τ² and its I² are not truncated at zero
(they turn negative when Q < k − 1), whereas the DerSimonian–Laird estimator
and Higgins' I² are defined with truncation. The tests check :func:`pool`
against ``combine_effects`` to 1e-8 wherever the two definitions agree.

Bootstrap draws are used as the effect's distribution (the percentile reading
of the bootstrap). Draws recorded by a permutation test describe the null
hypothesis, not the effect; they are recognised by
``Estimate.inference["method"] == "permutation"`` (or
``inference["draws_kind"] == "permutation"``) and are then not used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from .errors import ArgumentError
from .results import Estimate, EstimateCollection, to_jsonable

__all__ = [
    "present_value",
    "cost_effectiveness",
    "CostEffectiveness",
    "qaly_value",
    "QalyValue",
    "QALY_VALUES_SEK",
    "RepaymentRule",
    "Unconditional",
    "Conditional",
    "Capped",
    "repayment",
    "compare_repayment",
    "RepaymentResult",
    "benefit_cost",
    "BenefitCost",
    "probability_pays_back",
    "pool",
]

#: A common range of values per QALY in Swedish health economics (kronor):
#: 500 kSEK to 1.3 MSEK.
QALY_VALUES_SEK: tuple[float, float] = (500_000.0, 1_300_000.0)

TIMINGS = ("end", "start")
POOL_METHODS = ("fixed", "random")


# ---------------------------------------------------------------- formatting
def _money(x: float, unit: str = "kr") -> str:
    """Kronor with spaces as thousands separators (Swedish style)."""
    if x is None or not math.isfinite(x):
        if x is None or math.isnan(x):
            return "undefined"
        return "+inf" if x > 0 else "-inf"
    s = f"{x:,.0f}".replace(",", " ") if abs(x) >= 100 else f"{x:.4g}"
    return f"{s} {unit}".rstrip()


def _num(x: float, digits: int = 4) -> str:
    if x is None:
        return "–"
    if not math.isfinite(x):
        return "undefined" if math.isnan(x) else ("+inf" if x > 0 else "-inf")
    if 1e3 <= abs(x) < 1e12:
        return f"{x:,.0f}".replace(",", " ")
    return f"{x:.{digits}g}"


def _pct(level: float) -> str:
    return f"{100 * level:g} %"


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float, copy=True)
    a.setflags(write=False)
    return a


# ---------------------------------------------------------------- validation
def _real(x: Any, name: str, *, func: str) -> float:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise ArgumentError(
            f"The {name!r} argument of {func}() must be a number. Got {x!r} "
            f"({type(x).__name__})."
        )
    v = float(x)
    if not math.isfinite(v):
        raise ArgumentError(f"The {name!r} argument of {func}() must be finite. Got {v}.")
    return v


def _positive(x: Any, name: str, *, func: str, allow_zero: bool = False) -> float:
    v = _real(x, name, func=func)
    if v < 0 or (v == 0 and not allow_zero):
        need = "zero or positive" if allow_zero else "positive"
        raise ArgumentError(f"The {name!r} argument of {func}() must be {need}. Got {v:g}.")
    return v


def _rate(rate: Any, *, func: str) -> float:
    r = _real(rate, "rate", func=func)
    if r <= -1:
        raise ArgumentError(
            f"The 'rate' argument of {func}() must be greater than -1 (a yearly rate such "
            f"as 0.035 for 3.5 %). Got {r:g}: (1 + rate) must be positive to discount."
        )
    return r


def _conf_level(level: Any, *, func: str) -> float:
    v = _real(level, "conf_level", func=func)
    if not 0 < v < 1:
        raise ArgumentError(
            f"The 'conf_level' argument of {func}() must be a number in (0, 1), e.g. 0.95. "
            f"Got {v:g}."
        )
    return v


def _array(x: Any, name: str, *, func: str, max_ndim: int = 2) -> np.ndarray:
    """A finite float array with at least one value and at most ``max_ndim`` axes."""
    if isinstance(x, (str, bytes)) or x is None or isinstance(x, Mapping):
        raise ArgumentError(
            f"The {name!r} argument of {func}() must be numbers (a number, a list or an "
            f"array). Got {type(x).__name__}."
        )
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ArgumentError(
            f"The {name!r} argument of {func}() must be numeric; it could not be read as "
            f"numbers ({exc})."
        ) from None
    if a.ndim > max_ndim:
        raise ArgumentError(
            f"The {name!r} argument of {func}() has {a.ndim} dimensions; at most {max_ndim} "
            f"are allowed (draws × years). Got shape {a.shape}."
        )
    if a.size == 0:
        raise ArgumentError(
            f"The {name!r} argument of {func}() is empty (shape {a.shape}); give at least "
            "one value."
        )
    bad = int(np.count_nonzero(~np.isfinite(a)))
    if bad:
        raise ArgumentError(
            f"The {name!r} argument of {func}() has {bad} of {a.size} values that are "
            "missing or infinite; remove or replace them first."
        )
    return a


def _check_timing(timing: Any, *, func: str) -> str:
    if timing not in TIMINGS:
        raise ArgumentError(
            f"The 'timing' argument of {func}() must be 'end' (flows at the end of each "
            f"year) or 'start'. Got {timing!r}."
        )
    return timing


def _discount_factors(n_years: int, rate: float, timing: str) -> np.ndarray:
    t = np.arange(1, n_years + 1) if timing == "end" else np.arange(n_years)
    return (1.0 + rate) ** (-t.astype(float))


# ---------------------------------------------------------------- present value
def present_value(
    flows: ArrayLike,
    rate: float = 0.035,
    timing: Literal["end", "start"] = "end",
    *,
    horizon: int | None = None,
) -> float | np.ndarray:
    """Present value of a stream of yearly savings or costs.

    Parameters
    ----------
    flows : float, 1-D or 2-D array_like
        ``flows[i]`` is the flow of year ``i + 1``. A 2-D array has one row per
        draw (e.g. bootstrap draw) and one column per year; each row is
        discounted separately. A single number is the flow of year 1, or,
        with ``horizon``, the same flow every year for ``horizon`` years.
    rate : float, default 0.035
        Yearly real discount rate (3.5 % is a common Swedish default). Must be
        greater than -1.
    timing : {"end", "start"}, default "end"
        ``"end"``: year ``i + 1``'s flow is discounted by ``(1 + rate)**-(i + 1)``
        (flows at the end of each year); ``"start"``: by ``(1 + rate)**-i``
        (the first year's flow is not discounted).
    horizon : int, optional
        Number of years to count. With an array, only the first ``horizon``
        years are used (the array must cover them); with a single number, the
        flow is repeated for ``horizon`` years. Default: every year given.

    Returns
    -------
    float or ndarray
        One present value, or one per draw (shape ``(n_draws,)``) for 2-D flows.

    Raises
    ------
    ArgumentError
        Empty or non-finite flows, ``rate <= -1``, an unknown ``timing``, or a
        ``horizon`` longer than the flows given.

    Examples
    --------
    >>> from impacteval.economics import present_value
    >>> round(present_value([1_000_000] * 5, rate=0.035), 2)
    4515052.38
    >>> round(present_value(1_000_000, rate=0.035, horizon=5, timing="start"), 2)
    4673079.21
    """
    func = "present_value"
    r = _rate(rate, func=func)
    _check_timing(timing, func=func)
    a = _array(flows, "flows", func=func)
    if horizon is not None:
        if isinstance(horizon, (bool, np.bool_)) or not isinstance(horizon, (int, np.integer)):
            raise ArgumentError(
                f"The 'horizon' argument of present_value() must be a whole number of years. "
                f"Got {horizon!r}."
            )
        if horizon < 1:
            raise ArgumentError(
                f"The 'horizon' argument of present_value() must be at least 1 year. "
                f"Got {horizon}."
            )
    if a.ndim == 0:
        years = 1 if horizon is None else int(horizon)
        return float(float(a) * _discount_factors(years, r, timing).sum())
    n_years = a.shape[-1]
    if horizon is not None:
        if horizon > n_years:
            raise ArgumentError(
                f"horizon={horizon} years but 'flows' has only {n_years} year(s); give a flow "
                "for every year of the horizon (zeros where nothing happens)."
            )
        a = a[..., : int(horizon)]
        n_years = int(horizon)
    d = _discount_factors(n_years, r, timing)
    pv = a @ d
    return float(pv) if a.ndim == 1 else np.asarray(pv, dtype=float)


# ------------------------------------------------------- effect distribution
@dataclass(frozen=True, slots=True)
class _EffectDistribution:
    """The sampling distribution of an effect: bootstrap draws or loc + scale·T(df)."""

    center: float
    draws: np.ndarray | None
    scale: float
    df: float | None
    source: str
    notes: tuple[str, ...] = ()

    def quantile(self, q: np.ndarray | float) -> np.ndarray:
        q = np.asarray(q, dtype=float)
        if self.draws is not None:
            return np.quantile(self.draws, q)
        if self.scale == 0:
            return np.full(q.shape, self.center)
        dist = stats.t(self.df) if self.df is not None else stats.norm()
        return self.center + self.scale * dist.ppf(q)

    def prob_above(self, x: float) -> float:
        """P(effect > x)."""
        if self.draws is not None:
            return float(np.mean(self.draws > x))
        if self.scale == 0:
            return float(self.center > x)
        dist = stats.t(self.df) if self.df is not None else stats.norm()
        return float(dist.sf((x - self.center) / self.scale))

    def prob_below(self, x: float) -> float:
        """P(effect < x)."""
        if self.draws is not None:
            return float(np.mean(self.draws < x))
        if self.scale == 0:
            return float(self.center < x)
        dist = stats.t(self.df) if self.df is not None else stats.norm()
        return float(dist.cdf((x - self.center) / self.scale))

    def sample(self, n: int, seed: int | np.random.Generator | None) -> np.ndarray:
        rng = np.random.default_rng(seed)
        if self.scale == 0:
            return np.full(n, self.center)
        z = rng.standard_t(self.df, n) if self.df is not None else rng.standard_normal(n)
        return self.center + self.scale * z


def _draws_are_null(est: Estimate) -> bool:
    inf = est.inference
    return inf.get("method") == "permutation" or inf.get("draws_kind") == "permutation"


def _effect_distribution(effect: Any, *, func: str) -> _EffectDistribution:
    """Read an Estimate (or plain draws / a number) as a distribution of the effect."""
    if isinstance(effect, Estimate):
        center = effect.estimate
        if not math.isfinite(center):
            raise ArgumentError(
                f"The estimate passed to {func}() has a missing point estimate "
                f"({center}); there is no effect to value."
            )
        notes: list[str] = []
        if effect.draws is not None and _draws_are_null(effect):
            notes.append(
                "The estimate's draws come from a permutation test (they describe 'no "
                "effect'), so they were not used; the interval uses the estimate's "
                "standard error instead."
            )
        elif effect.draws is not None:
            d = np.asarray(effect.draws, dtype=float)
            if d.ndim != 1 or d.size < 2:
                raise ArgumentError(
                    f"The estimate's draws must be a 1-D array of at least 2 bootstrap draws "
                    f"for {func}(); got shape {d.shape}."
                )
            bad = int(np.count_nonzero(~np.isfinite(d)))
            if bad:
                raise ArgumentError(
                    f"{bad} of {d.size} of the estimate's bootstrap draws are missing or "
                    f"infinite; {func}() needs finite draws."
                )
            return _EffectDistribution(
                center=center, draws=d, scale=float(np.std(d, ddof=1)), df=None,
                source=f"bootstrap draws (n={d.size})", notes=tuple(notes),
            )
        se = effect.std_error
        if not math.isfinite(se) or se < 0:
            raise ArgumentError(
                f"The estimate passed to {func}() has neither bootstrap draws nor a finite "
                f"standard error (std_error={se}); its uncertainty cannot be carried over."
            )
        df = effect.df
        if df is not None and not (math.isfinite(df) and df > 0):
            df = None
        source = f"t distribution (df={df:.4g})" if df is not None else "normal distribution"
        return _EffectDistribution(
            center=center, draws=None, scale=se, df=df, source=source, notes=tuple(notes)
        )
    a = _array(effect, "effect", func=func, max_ndim=1)
    if a.ndim == 0 or a.size == 1:
        v = float(a.reshape(-1)[0])
        return _EffectDistribution(
            center=v, draws=None, scale=0.0, df=None, source="a single value (no uncertainty)",
            notes=("The effect was given as one number, so no uncertainty is carried.",),
        )
    return _EffectDistribution(
        center=float(np.mean(a)), draws=a, scale=float(np.std(a, ddof=1)), df=None,
        source=f"effect draws (n={a.size})",
    )


def _interval(dist: _EffectDistribution, conf_level: float) -> tuple[float, float]:
    alpha = 1 - conf_level
    lo, hi = dist.quantile(np.array([alpha / 2, 1 - alpha / 2]))
    return float(lo), float(hi)


# --------------------------------------------------------- cost-effectiveness
@dataclass(frozen=True, slots=True, kw_only=True)
class CostEffectiveness:
    """Effect per krona and kronor per unit of effect, with intervals.

    Attributes
    ----------
    effect, effect_low, effect_high : float
        The effect (per participant, in the outcome's units) and its interval.
    cost_per_participant : float
        The cost the ratios refer to.
    effect_per_krona, effect_per_krona_low, effect_per_krona_high : float
        Effect bought per krona, with its interval (always bounded).
    cost_per_unit, cost_per_unit_low, cost_per_unit_high : float
        Kronor per unit of effect. When the effect's interval includes zero
        one side is infinite (``bounded`` is False) — no amount of money is
        sure to buy a unit of effect.
    bounded : bool
        Whether the kronor-per-unit interval is finite on both sides.
    prob_effect_positive : float
        P(effect > 0) under the effect's distribution.
    source : str
        Where the uncertainty came from (bootstrap draws or the analytic
        normal/t distribution).
    """

    outcome: str | None
    effect: float
    effect_low: float
    effect_high: float
    conf_level: float
    cost_per_participant: float
    n_participants: int | None
    effect_per_krona: float
    effect_per_krona_low: float
    effect_per_krona_high: float
    cost_per_unit: float
    cost_per_unit_low: float
    cost_per_unit_high: float
    bounded: bool
    prob_effect_positive: float
    source: str
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (infinite bounds become None)."""
        return to_jsonable({f: getattr(self, f) for f in self.__dataclass_fields__})

    def summary(self) -> str:
        """A short plain-text table."""
        lv = _pct(self.conf_level)
        lines = [
            f"Cost-effectiveness of {self.outcome or 'the effect'}",
            "=" * 60,
            f"Cost per participant:     {_money(self.cost_per_participant)}",
            f"Effect per participant:   {_num(self.effect)}  [{lv}: {_num(self.effect_low)}, "
            f"{_num(self.effect_high)}]",
            f"Effect per krona:         {_num(self.effect_per_krona)}  "
            f"[{_num(self.effect_per_krona_low)}, {_num(self.effect_per_krona_high)}]",
            f"Effect per 1 MSEK:        {_num(1e6 * self.effect_per_krona)}  "
            f"[{_num(1e6 * self.effect_per_krona_low)}, "
            f"{_num(1e6 * self.effect_per_krona_high)}]",
            f"Kronor per unit of effect: {_money(self.cost_per_unit)}  "
            f"[{_money(self.cost_per_unit_low)}, {_money(self.cost_per_unit_high)}]",
            f"P(effect > 0):            {self.prob_effect_positive:.3f}",
            f"Uncertainty from:         {self.source}",
        ]
        return "\n".join(lines + _notes_lines(self.notes))

    def __str__(self) -> str:
        return self.summary()


def cost_effectiveness(
    estimate: Estimate,
    cost: float,
    *,
    per: Literal["participant", "total"] = "participant",
    n_participants: int | None = None,
    conf_level: float | None = None,
) -> CostEffectiveness:
    """Effect per krona and kronor per unit of effect, with the effect's uncertainty.

    Parameters
    ----------
    estimate : Estimate
        The effect per participant (e.g. an ATT). Its bootstrap draws are used
        when present (percentile interval); otherwise ``estimate ± t·std_error``
        with ``df`` degrees of freedom (normal when ``df`` is None).
    cost : float
        Positive cost in kronor, per participant or in total (see ``per``).
    per : {"participant", "total"}, default "participant"
        Whether ``cost`` is per participant or for the whole project; a total
        is divided by ``n_participants``.
    n_participants : int, optional
        Number of participants the total cost covers. Default:
        ``estimate.n_treated``.
    conf_level : float, optional
        Interval level; default the estimate's own ``conf_level``.

    Returns
    -------
    CostEffectiveness

    Notes
    -----
    Kronor per unit of effect, ``c / effect``, is a decreasing function of the
    effect on each side of zero, so its interval is ``[c/high, c/low]`` when
    the effect's interval ``[low, high]`` excludes zero. When it includes
    zero, the set of ratios compatible with the data is unbounded: the side
    facing "no effect" is reported as infinite (``bounded=False``) and a note
    says so, rather than printing a meaningless finite interval. Signs are
    kept: for an outcome where a decrease is good (welfare payments), a
    negative ratio means kronor per unit *reduction*.

    Examples
    --------
    >>> from impacteval import Estimate
    >>> from impacteval.economics import cost_effectiveness
    >>> e = Estimate(estimate=0.20, std_error=0.05, conf_low=0.1, conf_high=0.3, df=58,
    ...              n_treated=30, design="did", estimand="ATT", outcome="in_work")
    >>> ce = cost_effectiveness(e, 4_000_000, per="total")
    >>> round(ce.cost_per_unit)  # kronor per extra person in work
    666667
    """
    func = "cost_effectiveness"
    if not isinstance(estimate, Estimate):
        raise ArgumentError(
            f"The 'estimate' argument of cost_effectiveness() must be an impacteval Estimate. "
            f"Got {type(estimate).__name__}."
        )
    c = _positive(cost, "cost", func=func)
    if per not in ("participant", "total"):
        raise ArgumentError(
            f"The 'per' argument of cost_effectiveness() must be 'participant' or 'total'. "
            f"Got {per!r}."
        )
    level = estimate.conf_level if conf_level is None else _conf_level(conf_level, func=func)
    n: int | None = None
    if per == "participant" and n_participants is not None:
        raise ArgumentError(
            "n_participants is only used to spread a total cost; pass per='total' with it, or "
            "leave it out when 'cost' is already per participant."
        )
    if per == "total":
        n = estimate.n_treated if n_participants is None else n_participants
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ArgumentError(
                f"n_participants must be a whole number of at least 1 to spread a total cost. "
                f"Got {n!r}."
            )
        c = c / int(n)
    dist = _effect_distribution(estimate, func=func)
    lo, hi = _interval(dist, level)
    e = estimate.estimate
    notes = list(dist.notes)
    bounded = True
    if e == 0:
        ratio = float("nan")
        notes.append("The effect is exactly zero, so the cost per unit of effect is undefined.")
    else:
        ratio = c / e
    if lo > 0 or hi < 0:
        r_lo, r_hi = c / hi, c / lo
    else:
        bounded = False
        if e > 0:
            r_lo, r_hi = (c / hi if hi > 0 else float("nan")), float("inf")
        elif e < 0:
            r_lo, r_hi = float("-inf"), (c / lo if lo < 0 else float("nan"))
        else:
            r_lo, r_hi = float("-inf"), float("inf")
        notes.append(
            f"The effect's {_pct(level)} interval [{_num(lo)}, {_num(hi)}] includes zero, so "
            "the cost per unit of effect has no finite bound on one side: the project may "
            "have no effect (or the opposite one), and then no amount of money buys a unit "
            "of effect. Only the bound on the other side is informative."
        )
    if estimate.scale == "relative":
        notes.append(
            "The effect is on the relative scale (percent of the mean), so the ratios are "
            "per percent, not per unit of the outcome."
        )
    return CostEffectiveness(
        outcome=estimate.outcome,
        effect=e,
        effect_low=lo,
        effect_high=hi,
        conf_level=level,
        cost_per_participant=c,
        n_participants=None if n is None else int(n),
        effect_per_krona=e / c,
        effect_per_krona_low=lo / c,
        effect_per_krona_high=hi / c,
        cost_per_unit=ratio,
        cost_per_unit_low=r_lo,
        cost_per_unit_high=r_hi,
        bounded=bounded,
        prob_effect_positive=dist.prob_above(0.0),
        source=dist.source,
        notes=tuple(notes),
    )


# ------------------------------------------------------------------- QALYs
@dataclass(frozen=True, slots=True, kw_only=True)
class QalyValue:
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

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable({f: getattr(self, f) for f in self.__dataclass_fields__})

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


# --------------------------------------------------------------- repayment
class RepaymentRule:
    """Base class of the repayment (*återföring*) rules.

    A rule turns savings into a repayment for each draw; :func:`repayment`
    summarises who carries the downside.
    """

    __slots__ = ()

    #: whether the rule needs yearly savings (draws × years)
    needs_years: bool = False

    def repay(self, total: np.ndarray, yearly: np.ndarray | None, grant: float) -> np.ndarray:
        """Repayment per draw from total savings (and yearly savings, when needed)."""
        raise NotImplementedError

    def describe(self) -> str:
        """One line for a board member."""
        raise NotImplementedError



def _notes_lines(notes: tuple[str, ...]) -> list[str]:
    """The numbered "Notes:" block that ends every summary()."""
    if not notes:
        return []
    return ["Notes:"] + [f"  [{i}] {n}" for i, n in enumerate(notes, 1)]

@dataclass(frozen=True, slots=True)
class Unconditional(RepaymentRule):
    """A loan: the whole grant is repaid whatever the project saves."""

    needs_years = False

    def repay(self, total: np.ndarray, yearly: np.ndarray | None, grant: float) -> np.ndarray:
        return np.full(total.shape, grant)

    def describe(self) -> str:
        return "Unconditional: the grant is repaid in full, whatever the project saves (a loan)"


@dataclass(frozen=True, slots=True)
class Conditional(RepaymentRule):
    """The measured savings are repaid, up to the grant (nothing if there are none)."""

    needs_years = False

    def repay(self, total: np.ndarray, yearly: np.ndarray | None, grant: float) -> np.ndarray:
        return np.clip(total, 0.0, grant)

    def describe(self) -> str:
        return "Conditional: the measured savings are repaid, up to the grant"


@dataclass(frozen=True, slots=True)
class Capped(RepaymentRule):
    """A deductible: ``share`` of the savings arising in the first ``window``
    years is repaid, capped at the grant.

    Parameters
    ----------
    window : int, default 5
        Years (counted from the first column of yearly savings) whose savings
        count towards repayment.
    share : float, default 1.0
        Share of those savings repaid, in (0, 1].
    """

    window: int = 5
    share: float = 1.0
    needs_years = True

    def __post_init__(self) -> None:
        w = self.window
        if isinstance(w, (bool, np.bool_)) or not isinstance(w, (int, np.integer)) or w < 1:
            raise ArgumentError(
                f"The 'window' of Capped() must be a whole number of years, at least 1. "
                f"Got {w!r}."
            )
        s = self.share
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, (int, float, np.number)) or not (
            0 < float(s) <= 1
        ):
            raise ArgumentError(
                f"The 'share' of Capped() must be a number in (0, 1], e.g. 0.5 for half of the "
                f"savings. Got {s!r}."
            )

    def repay(self, total: np.ndarray, yearly: np.ndarray | None, grant: float) -> np.ndarray:
        if yearly is None:
            raise ArgumentError("Capped() needs yearly savings per draw (draws × years).")
        in_window = yearly[:, : self.window].sum(axis=1)
        return np.clip(self.share * in_window, 0.0, grant)

    def describe(self) -> str:
        share = "all" if self.share == 1 else f"{100 * self.share:g} %"
        return (
            f"Capped: {share} of the savings within {self.window} year(s) is repaid, "
            "up to the grant (a deductible)"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class RepaymentResult:
    """Who carries the downside under a repayment rule.

    Attributes
    ----------
    expected_savings : float
        Mean total savings over the draws (all years given).
    expected_repayment : float
        Mean repayment to the fund.
    p_full_repayment : float
        Share of draws in which the whole grant is repaid.
    expected_loss_fund : float
        Mean of ``grant − repayment``: what the fund expects not to get back.
    expected_loss_unit : float
        Mean of ``max(repayment − savings, 0)``: what the unit expects to pay
        back beyond what the project saved it.
    expected_net_unit : float
        Mean of ``savings − repayment``: the unit's expected net gain.
    repayments : ndarray
        Repayment per draw (read-only).
    """

    rule: RepaymentRule
    grant: float
    n_draws: int
    n_years: int | None
    expected_savings: float
    expected_repayment: float
    p_full_repayment: float
    expected_loss_fund: float
    expected_loss_unit: float
    expected_net_unit: float
    repayments: np.ndarray = field(repr=False, compare=False)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "repayments", _readonly(self.repayments))
        object.__setattr__(self, "notes", tuple(self.notes))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (the per-draw repayments are summarised, not listed)."""
        out = {f: getattr(self, f) for f in self.__dataclass_fields__ if f != "repayments"}
        out["rule"] = self.rule.describe()
        out["rule_name"] = type(self.rule).__name__
        return to_jsonable(out)

    def tidy(self) -> pd.DataFrame:
        """One row with the rule's name and the expected values."""
        d = self.to_dict()
        cols = ["rule_name", "grant", "expected_savings", "expected_repayment",
                "p_full_repayment", "expected_loss_fund", "expected_loss_unit",
                "expected_net_unit"]
        row = {c: d[c] for c in cols}
        row["rule_name"] = repr(self.rule)
        return pd.DataFrame([row]).rename(columns={"rule_name": "rule"})

    def summary(self) -> str:
        lines = [
            self.rule.describe(),
            "=" * 72,
            f"Grant:                        {_money(self.grant)}",
            f"Expected savings:             {_money(self.expected_savings)}",
            f"Expected repayment:           {_money(self.expected_repayment)}",
            f"P(grant repaid in full):      {self.p_full_repayment:.3f}",
            f"Expected loss, fund:          {_money(self.expected_loss_fund)}",
            f"Expected loss, unit:          {_money(self.expected_loss_unit)}",
            f"Expected net gain, unit:      {_money(self.expected_net_unit)}",
            f"Draws: {self.n_draws}" + (f", years: {self.n_years}" if self.n_years else ""),
        ]
        return "\n".join(lines + _notes_lines(self.notes))

    def __str__(self) -> str:
        return self.summary()


def _savings(savings: Any, rule: RepaymentRule, *, func: str) -> tuple[np.ndarray, np.ndarray | None]:
    a = _array(savings, "savings", func=func)
    if a.ndim == 2:
        if a.shape[0] == 0 or a.shape[1] == 0:  # pragma: no cover - _array rejects size 0
            raise ArgumentError("'savings' is empty.")
        return a.sum(axis=1), a
    if rule.needs_years:
        raise ArgumentError(
            f"{type(rule).__name__}() repays only the savings within its window, so 'savings' "
            f"must be yearly savings per draw: a 2-D array of draws × years. Got shape "
            f"{a.shape}. For one path without uncertainty use [[year1, year2, ...]]; if all "
            "savings arise in year 1, use savings[:, None]."
        )
    return a.reshape(-1), None


def repayment(savings: ArrayLike, grant: float, rule: RepaymentRule) -> RepaymentResult:
    """Repayment of a grant under a rule, and who carries the downside.

    Parameters
    ----------
    savings : float, 1-D or 2-D array_like
        The unit's own savings from the project, in kronor: one value, one
        total per draw (1-D), or yearly savings per draw (2-D, draws × years;
        totals are row sums). :class:`Capped` needs the yearly form. Draws can
        come from a bootstrap, or describe scenarios with equal probability.
    grant : float
        The grant (positive kronor).
    rule : Unconditional, Conditional or Capped

    Returns
    -------
    RepaymentResult
        ``expected_repayment``, ``p_full_repayment``, ``expected_loss_fund``
        (mean of grant − repayment) and ``expected_loss_unit`` (mean of
        max(repayment − savings, 0)), plus the per-draw repayments.

    Examples
    --------
    A unit gives up 4 MSEK for a project with a 50 % chance of saving 16 MSEK:

    >>> from impacteval.economics import repayment, Unconditional, Conditional
    >>> s = [0.0, 16e6]
    >>> r = repayment(s, 4e6, Unconditional())
    >>> r.expected_repayment, r.expected_loss_unit, r.expected_loss_fund
    (4000000.0, 2000000.0, 0.0)
    >>> r = repayment(s, 4e6, Conditional())
    >>> r.expected_repayment, r.expected_loss_unit, r.expected_loss_fund
    (2000000.0, 0.0, 2000000.0)
    """
    func = "repayment"
    if not isinstance(rule, RepaymentRule):
        raise ArgumentError(
            f"The 'rule' argument of repayment() must be Unconditional(), Conditional() or "
            f"Capped(window=..., share=...). Got {rule!r}."
        )
    g = _positive(grant, "grant", func=func)
    total, yearly = _savings(savings, rule, func=func)
    rep = np.asarray(rule.repay(total, yearly, g), dtype=float)
    notes = []
    if yearly is not None and isinstance(rule, Capped) and yearly.shape[1] < rule.window:
        notes.append(
            f"Savings are given for {yearly.shape[1]} year(s), fewer than the {rule.window}-year "
            "window: later years count as zero."
        )
    if np.any(total < 0):
        notes.append(
            f"In {int(np.sum(total < 0))} of {total.size} draws the project cost the unit money "
            "(negative savings); that cost counts in the unit's loss."
        )
    full = rep >= g * (1 - 1e-12)
    return RepaymentResult(
        rule=rule,
        grant=g,
        n_draws=int(total.size),
        n_years=None if yearly is None else int(yearly.shape[1]),
        expected_savings=float(np.mean(total)),
        expected_repayment=float(np.mean(rep)),
        p_full_repayment=float(np.mean(full)),
        expected_loss_fund=float(np.mean(g - rep)),
        expected_loss_unit=float(np.mean(np.maximum(rep - total, 0.0))),
        expected_net_unit=float(np.mean(total - rep)),
        repayments=rep,
        notes=tuple(notes),
    )


def compare_repayment(
    savings: ArrayLike, grant: float, rules: Sequence[RepaymentRule] | None = None
) -> pd.DataFrame:
    """:func:`repayment` under several rules, one row per rule.

    Parameters
    ----------
    savings, grant
        As for :func:`repayment`.
    rules : sequence of RepaymentRule, optional
        Default: ``Unconditional()``, ``Conditional()`` and ``Capped()`` (the
        last only when yearly savings are given).

    Returns
    -------
    DataFrame
        Columns ``rule, grant, expected_savings, expected_repayment,
        p_full_repayment, expected_loss_fund, expected_loss_unit,
        expected_net_unit``.

    Examples
    --------
    >>> from impacteval.economics import compare_repayment
    >>> compare_repayment([0.0, 16e6], 4e6)["expected_loss_fund"].tolist()
    [0.0, 2000000.0]
    """
    if rules is None:
        ndim = np.ndim(savings) if not isinstance(savings, (str, bytes)) else 0
        rules = [Unconditional(), Conditional()] + ([Capped()] if ndim == 2 else [])
    return pd.concat([repayment(savings, grant, r).tidy() for r in rules], ignore_index=True)


# ------------------------------------------------------------- benefit–cost
@dataclass(frozen=True, slots=True, kw_only=True)
class BenefitCost:
    """Net present value and benefit–cost ratio with their distribution.

    Attributes
    ----------
    npv, npv_low, npv_high : float
        Net present value (benefits − cost) at the point estimate, and its
        interval.
    bcr, bcr_low, bcr_high : float
        Benefit–cost ratio (present value of benefits / present value of
        cost) and its interval.
    pv_benefits, pv_cost : float
        Present values at the point estimate (the cost's mean when cost draws
        are given).
    p_pays_back : float
        P(NPV > 0): the probability that the project pays back.
    npv_draws : ndarray or None
        NPV per draw (read-only) when the effect came as draws.
    """

    npv: float
    npv_low: float
    npv_high: float
    bcr: float
    bcr_low: float
    bcr_high: float
    pv_benefits: float
    pv_cost: float
    p_pays_back: float
    conf_level: float
    rate: float
    horizon: int
    value_per_unit: float
    n_participants: int
    source: str
    npv_draws: np.ndarray | None = field(default=None, repr=False, compare=False)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.npv_draws is not None:
            object.__setattr__(self, "npv_draws", _readonly(self.npv_draws))
        object.__setattr__(self, "notes", tuple(self.notes))

    def to_dict(self) -> dict[str, Any]:
        out = {f: getattr(self, f) for f in self.__dataclass_fields__ if f != "npv_draws"}
        out["n_draws"] = None if self.npv_draws is None else int(self.npv_draws.size)
        return to_jsonable(out)

    def summary(self) -> str:
        lv = _pct(self.conf_level)
        lines = [
            f"Benefit–cost over {self.horizon} year(s) at {100 * self.rate:g} % discount rate",
            "=" * 72,
            f"PV of benefits:        {_money(self.pv_benefits)}",
            f"PV of cost:            {_money(self.pv_cost)}",
            f"Net present value:     {_money(self.npv)}  [{lv}: {_money(self.npv_low)}, "
            f"{_money(self.npv_high)}]",
            f"Benefit–cost ratio:    {_num(self.bcr, 3)}  [{_num(self.bcr_low, 3)}, "
            f"{_num(self.bcr_high, 3)}]",
            f"P(pays back, NPV > 0): {self.p_pays_back:.3f}",
            f"Uncertainty from:      {self.source}",
        ]
        return "\n".join(lines + _notes_lines(self.notes))

    def __str__(self) -> str:
        return self.summary()


def benefit_cost(
    effect: Estimate | ArrayLike,
    *,
    value_per_unit: float,
    cost: float | ArrayLike,
    n_participants: int | None = None,
    horizon: int = 1,
    profile: ArrayLike | None = None,
    rate: float = 0.035,
    timing: Literal["end", "start"] = "end",
    conf_level: float = 0.95,
    seed: int | np.random.Generator | None = None,
) -> BenefitCost:
    """Net present value, benefit–cost ratio and P(pays back) from an effect.

    The yearly benefit is ``effect × value_per_unit × n_participants ×
    profile[year]`` for ``horizon`` years, discounted with
    :func:`present_value`; the cost is paid up front (not discounted).
    NPV = PV(benefits) − cost and BCR = PV(benefits) / cost.

    Parameters
    ----------
    effect : Estimate or 1-D array_like
        The effect per participant per year. An :class:`Estimate`'s bootstrap
        draws are used when present; otherwise its normal/t distribution
        (exact quantiles, no simulation). A 1-D array is taken as draws of
        the effect.
    value_per_unit : float
        Kronor saved per participant per year by one unit of effect. Use a
        negative value when a *decrease* in the outcome saves money (e.g.
        ``-12`` for a monthly welfare payment effect in kronor).
    cost : float or 1-D array_like
        Up-front cost in kronor (positive), or draws of it. Cost draws are
        paired with the effect's draws and must have the same length; with an
        analytic effect, effect draws of that length are simulated (``seed``).
    n_participants : int, optional
        Participants the benefit accrues to. Default ``effect.n_treated``;
        required when ``effect`` is not an Estimate.
    horizon : int, default 1
        Years the effect lasts.
    profile : 1-D array_like, optional
        Share of the effect present in each year (length ``horizon``), e.g.
        ``[1, 0.8, 0.6]`` for a fading effect. Default: all ones.
    rate, timing
        Discounting, as in :func:`present_value`.
    conf_level : float, default 0.95
        Level of the NPV and BCR intervals.
    seed : int or Generator, optional
        Only used to simulate effect draws when ``cost`` is given as draws and
        the effect has none.

    Returns
    -------
    BenefitCost

    Examples
    --------
    >>> import numpy as np
    >>> from impacteval import Estimate
    >>> from impacteval.economics import benefit_cost
    >>> e = Estimate(estimate=-1500.0, std_error=500.0, conf_low=-2500.0, conf_high=-500.0,
    ...              n_treated=30, design="did", estimand="ATT", outcome="welfare")
    >>> bc = benefit_cost(e, value_per_unit=-12, cost=1_000_000, horizon=3, rate=0.035)
    >>> round(bc.npv)
    512884
    >>> round(bc.p_pays_back, 3)
    0.845
    """
    func = "benefit_cost"
    v = _real(value_per_unit, "value_per_unit", func=func)
    if v == 0:
        raise ArgumentError(
            "The 'value_per_unit' argument of benefit_cost() is 0: the effect would be worth "
            "nothing. Give kronor saved per participant per year by one unit of effect."
        )
    r = _rate(rate, func=func)
    _check_timing(timing, func=func)
    level = _conf_level(conf_level, func=func)
    if isinstance(horizon, (bool, np.bool_)) or not isinstance(horizon, (int, np.integer)) or (
        horizon < 1
    ):
        raise ArgumentError(
            f"The 'horizon' argument of benefit_cost() must be a whole number of years, at "
            f"least 1. Got {horizon!r}."
        )
    if profile is None:
        prof = np.ones(int(horizon))
    else:
        prof = _array(profile, "profile", func=func, max_ndim=1).reshape(-1)
        if prof.size != horizon:
            raise ArgumentError(
                f"'profile' has {prof.size} value(s) but horizon={horizon}; give one share per "
                "year."
            )
    if n_participants is None:
        if not isinstance(effect, Estimate):
            raise ArgumentError(
                "benefit_cost() needs n_participants when the effect is not an Estimate "
                "(an Estimate supplies n_treated)."
            )
        n = effect.n_treated
    else:
        n = n_participants
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ArgumentError(f"n_participants must be a whole number of at least 1. Got {n!r}.")
    n = int(n)

    dist = _effect_distribution(effect, func=func)
    notes = list(dist.notes)
    ca = _array(cost, "cost", func=func, max_ndim=1)
    if np.any(ca <= 0):
        raise ArgumentError(
            f"The 'cost' argument of benefit_cost() must be positive kronor; {int(np.sum(ca <= 0))} "
            f"of {ca.size} value(s) are zero or negative."
        )
    # present value of one unit of effect for the whole group
    a = v * n * float(present_value(prof, rate=r, timing=timing))
    alpha = 1 - level
    qs = np.array([alpha / 2, 1 - alpha / 2])
    center = dist.center
    source = dist.source

    if ca.ndim == 1 and ca.size > 1:
        if dist.draws is not None and dist.draws.size != ca.size:
            raise ArgumentError(
                f"'cost' has {ca.size} draws but the effect has {dist.draws.size}; cost draws "
                "are paired with effect draws one to one, so give the same number."
            )
        if dist.draws is None:
            eff = dist.sample(ca.size, seed)
            notes.append(
                f"The effect has no draws; {ca.size} draws were simulated from its {dist.source} "
                f"to pair with the cost draws (seed={seed!r})."
            )
            source = f"simulated from the {dist.source}, with cost draws"
        else:
            eff = dist.draws
        costs = ca
        pv_cost = float(np.mean(costs))
    else:
        eff = dist.draws
        costs = float(ca.reshape(-1)[0])
        pv_cost = costs

    pv_b = a * center
    npv = pv_b - pv_cost
    bcr = pv_b / pv_cost
    if eff is not None:
        npv_d = a * eff - costs
        bcr_d = a * eff / costs
        npv_lo, npv_hi = (float(x) for x in np.quantile(npv_d, qs))
        bcr_lo, bcr_hi = (float(x) for x in np.quantile(bcr_d, qs))
        p = float(np.mean(npv_d > 0))
    else:
        # NPV and BCR are linear in the effect: exact quantiles of a t/normal
        npv_d = None
        eq = dist.quantile(qs)
        ends = np.sort(a * eq)
        npv_lo, npv_hi = float(ends[0] - costs), float(ends[1] - costs)
        bcr_lo, bcr_hi = float(ends[0] / costs), float(ends[1] / costs)
        threshold = costs / a
        p = dist.prob_above(threshold) if a > 0 else dist.prob_below(threshold)
    if dist.draws is not None and isinstance(effect, Estimate):
        shift = float(np.mean(dist.draws)) - center
        if dist.scale > 0 and abs(shift) > 0.25 * dist.scale:
            notes.append(
                f"The mean of the bootstrap draws differs from the estimate by "
                f"{abs(shift) / dist.scale:.2f} standard errors (bias or skew); the interval "
                "and P(pays back) follow the draws."
            )
    return BenefitCost(
        npv=float(npv),
        npv_low=npv_lo,
        npv_high=npv_hi,
        bcr=float(bcr),
        bcr_low=bcr_lo,
        bcr_high=bcr_hi,
        pv_benefits=float(pv_b),
        pv_cost=pv_cost,
        p_pays_back=p,
        conf_level=level,
        rate=r,
        horizon=int(horizon),
        value_per_unit=v,
        n_participants=n,
        source=source,
        npv_draws=npv_d,
        notes=tuple(notes),
    )


def probability_pays_back(effect: Estimate | ArrayLike | BenefitCost, **kwargs: Any) -> float:
    """P(NPV > 0): the probability that the project pays back.

    Parameters
    ----------
    effect : Estimate, 1-D array_like or BenefitCost
        As for :func:`benefit_cost` (the effect's real bootstrap draws are
        used when the Estimate has them). A :class:`BenefitCost` gives its
        own ``p_pays_back``.
    **kwargs
        The keywords of :func:`benefit_cost` (``value_per_unit``, ``cost``,
        ``horizon``, ``rate``, ...).

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from impacteval import Estimate
    >>> from impacteval.economics import probability_pays_back
    >>> draws = np.random.default_rng(1).normal(100.0, 50.0, 20_000)
    >>> e = Estimate(estimate=100.0, std_error=50.0, conf_low=2.0, conf_high=198.0,
    ...              n_treated=1, design="randomized", estimand="ATE", outcome="y", draws=draws)
    >>> round(probability_pays_back(e, value_per_unit=1.0, cost=50.0, rate=0.0), 2)
    0.84
    """
    if isinstance(effect, BenefitCost):
        if kwargs:
            raise ArgumentError(
                "probability_pays_back() takes no keywords when given a BenefitCost result."
            )
        return effect.p_pays_back
    return benefit_cost(effect, **kwargs).p_pays_back


# ------------------------------------------------------------------ pooling
def pool(
    estimates: Sequence[Estimate] | EstimateCollection,
    method: Literal["fixed", "random"] = "fixed",
    *,
    conf_level: float = 0.95,
) -> Estimate:
    """Pool repeated cohorts or sites by inverse-variance weighting.

    Parameters
    ----------
    estimates : sequence of Estimate or EstimateCollection
        At least two estimates of the same quantity on the same scale, each
        with a finite, positive ``std_error``.
    method : {"fixed", "random"}, default "fixed"
        ``"fixed"``: inverse-variance fixed effect (one common effect).
        ``"random"``: DerSimonian–Laird random effects (the effect varies
        between cohorts/sites with variance τ²).
    conf_level : float, default 0.95
        Level of the normal (z) interval.

    Returns
    -------
    Estimate
        ``design="pooled"``; ``diagnostics`` holds the heterogeneity
        statistics ``q``, ``q_df``, ``q_p_value``, ``i2`` (share of variation
        due to heterogeneity, 0–1), ``tau2`` and ``k``; ``tables["studies"]``
        lists each input with its weight.

    Notes
    -----
    With ``w_i = 1/se_i²``: the fixed-effect mean is ``Σ w_i y_i / Σ w_i`` with
    variance ``1/Σ w_i``; ``Q = Σ w_i (y_i − ȳ_FE)²`` on ``k − 1`` df;
    ``τ² = max(0, (Q − (k − 1)) / (Σ w_i − Σ w_i² / Σ w_i))`` (DerSimonian &
    Laird 1986); ``I² = max(0, (Q − (k − 1)) / Q)`` (Higgins & Thompson 2002);
    random-effects weights are ``1/(se_i² + τ²)``. The truncation at zero is
    the published definition; statsmodels' ``combine_effects`` does not
    truncate, so the two differ only when Q < k − 1.

    Examples
    --------
    >>> from impacteval import Estimate
    >>> from impacteval.economics import pool
    >>> es = [Estimate(estimate=y, std_error=s, conf_low=y - 2 * s, conf_high=y + 2 * s,
    ...                n_treated=30, design="did", estimand="ATT", outcome="welfare")
    ...       for y, s in [(-1200.0, 400.0), (-800.0, 500.0), (-1500.0, 450.0)]]
    >>> p = pool(es, "fixed")
    >>> round(p.estimate, 1), round(p.std_error, 1)
    (-1192.2, 256.6)
    """
    func = "pool"
    if method not in POOL_METHODS:
        raise ArgumentError(
            f"The 'method' argument of pool() must be 'fixed' or 'random'. Got {method!r}."
        )
    level = _conf_level(conf_level, func=func)
    if isinstance(estimates, Estimate) or not isinstance(estimates, (Sequence, EstimateCollection)):
        raise ArgumentError(
            "pool() needs a list of Estimates (or an EstimateCollection) to combine. Got "
            f"{type(estimates).__name__}."
        )
    items = list(estimates)
    if len(items) < 2:
        raise ArgumentError(
            f"pool() needs at least 2 estimates to combine; got {len(items)}."
        )
    for i, e in enumerate(items):
        if not isinstance(e, Estimate):
            raise ArgumentError(
                f"Item {i} given to pool() is a {type(e).__name__}, not an impacteval Estimate."
            )
    bad_se = [i for i, e in enumerate(items) if not (math.isfinite(e.std_error) and e.std_error > 0)]
    if bad_se:
        raise ArgumentError(
            f"pool() weights estimates by 1/std_error², but estimate(s) {bad_se} have no finite, "
            f"positive std_error ({[items[i].std_error for i in bad_se]}); compute standard "
            "errors first or leave those estimates out."
        )
    bad_y = [i for i, e in enumerate(items) if not math.isfinite(e.estimate)]
    if bad_y:
        raise ArgumentError(f"Estimate(s) {bad_y} given to pool() have a missing point estimate.")
    scales = sorted({e.scale for e in items})
    if len(scales) > 1:
        raise ArgumentError(
            f"pool() cannot combine estimates on different scales ({', '.join(scales)}); use "
            "the same scale= for every cohort or site."
        )
    notes: list[str] = []
    estimands = list(dict.fromkeys(e.estimand for e in items))
    outcomes = list(dict.fromkeys(e.outcome for e in items))
    if len(estimands) > 1:
        notes.append(f"The pooled estimates have different estimands ({', '.join(estimands)}).")
    if len(outcomes) > 1:
        notes.append(
            f"The pooled estimates have differently named outcomes ({', '.join(outcomes)}); "
            "pooling assumes they measure the same thing."
        )

    y = np.array([e.estimate for e in items], dtype=float)
    v = np.array([e.std_error for e in items], dtype=float) ** 2
    k = y.size
    w = 1.0 / v
    sw = w.sum()
    mean_fe = float(np.sum(w * y) / sw)
    q = float(np.sum(w * (y - mean_fe) ** 2))
    q_df = k - 1
    q_p = float(stats.chi2.sf(q, q_df))
    c = sw - np.sum(w**2) / sw
    tau2 = max(0.0, (q - q_df) / c) if c > 0 else 0.0
    i2 = max(0.0, (q - q_df) / q) if q > 0 else 0.0

    if method == "fixed":
        wt = w
        label = "inverse-variance fixed effect"
        if q_p < 0.10 and k > 2:
            notes.append(
                f"The effects differ more than chance explains (Q={q:.3g}, p={q_p:.3g}, "
                f"I²={100 * i2:.0f} %); consider method='random'."
            )
    else:
        wt = 1.0 / (v + tau2)
        label = "DerSimonian–Laird random effects"
        if k < 5:
            notes.append(
                f"τ² is estimated from only {k} estimates, so it is very uncertain; the "
                "random-effects interval may be too narrow."
            )
    est = float(np.sum(wt * y) / np.sum(wt))
    se = float(math.sqrt(1.0 / np.sum(wt)))
    z = float(stats.norm.isf((1 - level) / 2))
    stat = est / se
    p = float(2 * stats.norm.sf(abs(stat)))
    table = pd.DataFrame(
        {
            "outcome": [e.outcome for e in items],
            "comparison": [e.comparison for e in items],
            "design": [e.design for e in items],
            "estimate": y,
            "std_error": np.sqrt(v),
            "weight": wt / wt.sum(),
            "n_treated": [e.n_treated for e in items],
            "n_control": [e.n_control for e in items],
        }
    )
    return Estimate(
        estimate=est,
        std_error=se,
        conf_low=est - z * se,
        conf_high=est + z * se,
        conf_level=level,
        p_value=p,
        statistic=stat,
        df=None,
        n_treated=int(sum(e.n_treated for e in items)),
        n_control=int(sum(e.n_control for e in items)),
        design="pooled",
        estimand=estimands[0] if len(estimands) == 1 else "pooled effect",
        outcome=outcomes[0] if len(outcomes) == 1 else " / ".join(map(str, outcomes)),
        comparison=None,
        scale=scales[0],
        inference={"method": label, "pool_method": method, "distribution": "normal"},
        diagnostics={
            "k": k,
            "q": q,
            "q_df": q_df,
            "q_p_value": q_p,
            "i2": i2,
            "tau2": tau2,
        },
        notes=tuple(notes),
        tables={"studies": table},
    )
