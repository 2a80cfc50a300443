"""Power and minimum detectable effects for planned designs.

``method="bloom"`` (default) is Bloom's (1995) t-multiplier formula used by
evidence standards (EEF, LADDER.md section 4):

    MDES = (t_{1−α/2, df} + t_{power, df}) · √((1 − R²) / (P(1 − P) N))

``method="exact"`` solves the noncentral-t power equation with statsmodels'
``TTestIndPower`` / ``TTestPower``. Binary outcomes: the minimum detectable
difference from a base rate through Cohen's arcsine effect size h, as
statsmodels' ``NormalIndPower`` with ``proportion_effectsize`` does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from scipy import stats

from ._protocol import check_lang
from .errors import ArgumentError, bad_choice
from .notes import Note

__all__ = ["power", "PowerResult", "mdes_bloom"]


@dataclass(frozen=True)
class PowerResult:
    """Minimum detectable effect (SD units and outcome units) or power."""

    design: str
    n_treated: int
    n_control: int
    mdes: float
    power: float
    alpha: float
    r2: float
    effect: float | None = None
    mde: float | None = None
    mde_units: str = "SD"
    base_rate: float | None = None
    method: str = "bloom"
    details: dict[str, Any] = field(default_factory=dict)

    def summary(self, lang: str = "en") -> str:
        """Three lines: the design and sizes, the test, the minimum detectable effect."""
        sv = check_lang(lang) == "sv"
        lines = [f"impacteval {'styrka' if sv else 'power'}: {self.design}, {self.n_treated} "
                 f"{'mot' if sv else 'vs'} {self.n_control}",
                 f"  alpha {self.alpha}, {'styrka' if sv else 'power'} {self.power:.3f}, "
                 f"R² {self.r2}"]
        lines.append(f"  {'minsta påvisbara effekt' if sv else 'minimum detectable effect'}: "
                     f"{self.mdes:.3f} SD")
        if self.mde is not None:
            lines.append(f"  {'i utfallets enhet' if sv else 'in outcome units'}: "
                         f"{self.mde:.4g} {self.mde_units}")
        out = "\n".join(lines)
        if sv:
            import re

            out = re.sub(r"(?<=\d)\.(?=\d)", ",", out)
        return out

    def tidy(self) -> pd.DataFrame:
        """One row with the scalar fields."""
        return pd.DataFrame([{k: v for k, v in self.to_dict().items()
                              if not isinstance(v, (dict, list))}])

    def _repr_html_(self) -> str:
        import html

        return "<pre>" + html.escape(self.summary()) + "</pre>"

    def to_dict(self, *, include_ids: bool = False) -> dict[str, Any]:
        from .results import to_jsonable

        return to_jsonable(self.__dict__)

    def __str__(self) -> str:
        return self.summary()


def mdes_bloom(n_treated: int, n_control: int, *, r2: float = 0.0, alpha: float = 0.05,
               power: float = 0.80, n_covariates: int = 0, paired: bool = False) -> float:
    """Bloom's MDES in SD units (two-sided α).

    ``paired=True`` (before–after): one group of ``n_treated`` changes, SD of
    the change taken as the outcome SD times √(2(1 − r)) with r² = ``r2``.

    Examples
    --------
    >>> round(float(mdes_bloom(30, 30)), 2), round(float(mdes_bloom(30, 366)), 2)
    (0.74, 0.53)
    """
    if paired:
        n = n_treated
        df = n - 1 - n_covariates
        if df < 1:
            return float("inf")
        mult = stats.t.ppf(1 - alpha / 2, df) + stats.t.ppf(power, df)
        r = math.sqrt(max(r2, 0.0))
        return mult * math.sqrt(2 * (1 - r) / n)
    n = n_treated + n_control
    df = n - 2 - n_covariates
    if df < 1 or n_treated < 1 or n_control < 1:
        return float("inf")
    p = n_treated / n
    mult = stats.t.ppf(1 - alpha / 2, df) + stats.t.ppf(power, df)
    return mult * math.sqrt((1 - r2) / (p * (1 - p) * n))


def _arcsine_mde(h: float, base: float) -> float:
    """The increase from ``base`` that has Cohen's h equal to ``h``."""
    phi = 2 * math.asin(math.sqrt(base)) + h
    if phi >= math.pi:
        return 1 - base
    return math.sin(phi / 2) ** 2 - base


def power(
    *,
    n_treated: int,
    n_control: int = 0,
    design: str = "difference",
    r2: float = 0.0,
    alpha: float = 0.05,
    power: float | None = 0.80,
    effect: float | None = None,
    sd: float | None = None,
    base_rate: float | None = None,
    n_covariates: int = 0,
    method: str = "bloom",
) -> PowerResult:
    """Minimum detectable effect for a planned design, or the power for an effect.

    Parameters
    ----------
    n_treated, n_control : int
        Planned participants and comparison units (``n_control`` is ignored for
        ``design="before_after"``).
    design : {"difference", "did", "before_after", "matched", "randomized"}
        Two-group designs use the two-sample formula; ``"did"`` and matched
        designs use it with ``r2`` from the pre-period outcome.
    r2 : float
        Share of outcome variance explained by pre-period outcomes/covariates
        (for ``"before_after"``: the squared pre–post correlation).
    alpha, power : float
        Two-sided level and target power; give ``power=None`` and ``effect``
        (SD units, or outcome units with ``sd``) to get the power instead.
    sd : float, optional
        Outcome SD, to express the MDES in outcome units.
    base_rate : float, optional
        Binary outcome: the comparison group's expected proportion; the MDE is
        then given in percentage points (arcsine / Cohen's h).
    method : {"bloom", "exact"}

    Returns
    -------
    PowerResult

    Examples
    --------
    >>> import impacteval as ie
    >>> r = ie.power(n_treated=30, n_control=366, base_rate=0.3)
    >>> round(r.mde * 100)
    26
    """
    if design not in ("difference", "did", "before_after", "matched", "matched_did",
                      "randomized", "comparison", "adjusted_comparison"):
        raise ArgumentError(Note("err_power_design", value=repr(design)))
    if not 0 < alpha < 1:
        raise ArgumentError(Note("err_power_alpha"))
    if not 0 <= r2 < 1:
        raise ArgumentError(Note("err_power_r2"))
    if method not in ("bloom", "exact"):
        raise bad_choice("method", method, ("bloom", "exact"))
    paired = design == "before_after"
    if n_treated < 2 or (not paired and n_control < 2):
        raise ArgumentError(Note("err_power_units"))
    if base_rate is not None and not 0 < base_rate < 1:
        raise ArgumentError(Note("err_power_base_rate"))
    from statsmodels.stats.power import NormalIndPower, TTestIndPower, TTestPower

    def mdes_for(pw: float) -> float:
        if base_rate is not None:
            if paired:
                raise ArgumentError(Note("err_power_binary_paired"))
            return NormalIndPower().solve_power(nobs1=n_treated, ratio=n_control / n_treated,
                                                alpha=alpha, power=pw) * math.sqrt(1 - r2)
        if method == "bloom":
            return mdes_bloom(n_treated, n_control, r2=r2, alpha=alpha, power=pw,
                              n_covariates=n_covariates, paired=paired)
        if paired:
            es = TTestPower().solve_power(nobs=n_treated, alpha=alpha, power=pw)
            return es * math.sqrt(2 * (1 - math.sqrt(r2)))
        es = TTestIndPower().solve_power(nobs1=n_treated, ratio=n_control / n_treated,
                                         alpha=alpha, power=pw)
        return es * math.sqrt(1 - r2)

    if power is None:
        if effect is None:
            raise ArgumentError(Note("err_power_what"))
        es = effect / sd if sd else effect
        if base_rate is not None:
            from statsmodels.stats.proportion import proportion_effectsize

            h = proportion_effectsize(base_rate + effect, base_rate) / math.sqrt(1 - r2)
            pw = NormalIndPower().power(effect_size=h, nobs1=n_treated,
                                        ratio=n_control / n_treated, alpha=alpha)
        elif method == "exact":
            es_adj = abs(es) / math.sqrt(1 - r2) if not paired else abs(es) / math.sqrt(
                2 * (1 - math.sqrt(r2)))
            pw = (TTestPower().power(es_adj, n_treated, alpha) if paired else
                  TTestIndPower().power(es_adj, n_treated, alpha, ratio=n_control / n_treated))
        else:
            # invert Bloom's formula: t_power = |es| / scale − t_{1−α/2}
            unit = mdes_bloom(n_treated, n_control, r2=r2, alpha=alpha, power=0.5,
                              n_covariates=n_covariates, paired=paired)
            df = (n_treated - 1 if paired else n_treated + n_control - 2) - n_covariates
            tcrit = stats.t.ppf(1 - alpha / 2, df)
            scale = unit / tcrit
            pw = float(stats.t.cdf(abs(es) / scale - tcrit, df))
        m = mdes_for(0.8)
        return PowerResult(design=design, n_treated=n_treated, n_control=n_control, mdes=m,
                           power=float(pw), alpha=alpha, r2=r2, effect=effect,
                           base_rate=base_rate, method=method)
    m = mdes_for(power)
    mde = None
    units = "SD"
    if base_rate is not None:
        mde = _arcsine_mde(m, base_rate)
        units = "proportion (difference)"
    elif sd is not None:
        mde = m * sd
        units = "outcome units"
    return PowerResult(design=design, n_treated=n_treated, n_control=n_control, mdes=float(m),
                       power=power, alpha=alpha, r2=r2, mde=mde, mde_units=units,
                       base_rate=base_rate, method=method)
