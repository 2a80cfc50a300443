"""Every threshold of the evaluation ladder, with its value, source and kind.

One :class:`Thresholds` object holds them all so that a user — or a fund's
guidelines — can change any of them: ``Thresholds(smd_max=0.20)``. Each field
is documented in :data:`THRESHOLD_INFO` with its published source and its
kind: ``"standard"`` (a published evidence standard), ``"convention"`` (a
widely used rule of thumb with a citation) or ``"package default"`` (our
choice where no standard gives a number).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from .errors import ArgumentError
from .notes import Note

__all__ = ["Thresholds", "THRESHOLD_INFO", "wwc_attrition_boundary"]

#: name -> (source, kind, description)
THRESHOLD_INFO: dict[str, tuple[str, str, str]] = {
    "baseline_g_ok": ("WWC Handbook 4.1/5.0", "standard",
                      "baseline |g| at or below this: groups equivalent"),
    "baseline_g_adjust": ("WWC Handbook 4.1/5.0", "standard",
                          "baseline |g| up to this: equivalent with statistical adjustment"),
    "smd_good": ("Austin 2009; Stuart 2010", "convention", "|SMD| below this after matching: good"),
    "smd_max": ("Stuart 2010; WWC", "standard", "|SMD| above this after matching: fails"),
    "variance_ratio_low": ("Rubin 2001", "convention", "variance ratio lower bound"),
    "variance_ratio_high": ("Rubin 2001", "convention", "variance ratio upper bound"),
    "ps_smd_max": ("Rubin 2001", "convention",
                   "standardised difference of the linear propensity score: pass below"),
    "ps_smd_warn": ("Rubin 2001", "convention", "linear propensity score SMD: warn up to"),
    "caliper_sd": ("Austin 2011", "convention", "caliper in SD of the logit propensity score"),
    "matched_share_pass": ("package default", "package default",
                           "share of participants matched for a clean pass"),
    "matched_share_min": ("package default", "package default",
                          "share matched below which matching fails"),
    "pool_ratio": ("package default", "package default",
                   "comparison pool must be at least this many times the participants"),
    "events_per_parameter": ("Peduzzi et al. 1996", "convention",
                             "participants per propensity-model parameter"),
    "pretrend_slope_sd": ("package default", "package default",
                          "standardised pre-period slope difference (SD per period)"),
    "pretrend_alpha": ("package default (Roth 2022 on power)", "package default",
                       "pre-trend: the slope difference's two-sided interval at 1 - alpha "
                       "decides whether a trend is shown (gate and caps)"),
    "pretrend_visible_z": ("package default (calibrated in benchmarks/worlds.py; Rambachan & "
                           "Roth 2023)", "package default",
                           "pre-trend this many standard errors from zero: the interval "
                           "becomes the trend bracket"),
    "pretrend_visible_cap": ("package default (calibrated in benchmarks/worlds.py)",
                             "package default",
                             "highest security of a DiD-family verdict with a pre-trend shown "
                             "at the pretrend_shown_alpha level"),
    "pretrend_shown_alpha": ("package default (calibrated in benchmarks/worlds.py; Rambachan "
                             "& Roth 2023)", "package default",
                             "pre-trend shown at this two-sided level: a DiD-family verdict "
                             "leads with the honest (relative magnitudes, M-bar = 1) interval "
                             "and its security is capped; shown only at pretrend_alpha, the "
                             "trend is an ordinary threat"),
    "dip_cap": ("package default (calibrated in benchmarks/worlds.py; Ashenfelter 1978)",
                "package default",
                "highest security of a comparison design when participants' last pre-period "
                "departs from their earlier ones (a dip): which months count as 'before' then "
                "decides the result"),
    "pretrend_ignored_cap": ("package default (calibrated in benchmarks/worlds.py)",
                             "package default",
                             "highest security of a design that ignores a shown pre-trend"),
    "dip_sd": ("package default (Ashenfelter 1978)", "package default",
               "pre-programme dip: last pre period deviates by more than this many SD"),
    "rtm_sd": ("package default", "package default",
               "regression to the mean: baseline more than this many SD from the reference"),
    "benchmark_need_sd": ("package default", "package default",
                          "benchmark: baseline differs from the reference by more than this (SD)"),
    "composition_pp": ("package default", "package default",
                       "composition change between pre and post (percentage points)"),
    "its_min_points": ("Cochrane EPOC", "standard",
                       "interrupted time series: points needed before and after"),
    "its_min_pre": ("package default (Cochrane EPOC: at least 3)", "package default",
                    "interrupted time series rung: periods needed before the start"),
    "sc_outside_share": ("package default (Abadie 2021: the treated unit inside the "
                         "donors' convex hull)", "package default",
                         "synthetic control: largest share of pre periods outside the "
                         "donors' range"),
    "sc_min_pre_r2": ("package default (Abadie, Diamond & Hainmueller 2010: a close pre-period "
                      "fit)", "package default",
                      "synthetic control: pre-period R² below this is flagged"),
    "attrition_boundary": ("WWC Handbook 4.1, Table II.1", "standard",
                           "which WWC attrition boundary: 'cautious' or 'optimistic'"),
    "reuse_max": ("package default", "package default",
                  "a comparison unit reused more than this many times: warn"),
    "ess_share": ("package default", "package default",
                  "effective sample size below this share of nominal: warn"),
    "crossover_share": ("package default", "package default", "crossover above this share: warn"),
    "min_clusters_per_arm": ("WWC Handbook 4.1", "standard",
                             "clusters needed per arm when clusters were assigned"),
    "few_clusters": ("Cameron & Miller 2015", "convention",
                     "fewer clusters than this: wild cluster bootstrap / CR2"),
    "few_treated_clusters": ("MacKinnon & Webb 2017", "convention",
                             "at most this many treated clusters: no reliable cluster method"),
    "cutoff_min_units": ("package default", "package default",
                         "cutoff design: units needed on each side within the bandwidth"),
    "mdes_bands": ("EEF padlocks 2019", "standard",
                   "MDES (SD) bands for precision padlocks 5,4,3,2,1"),
    "attrition_bands": ("EEF padlocks 2019", "standard",
                        "overall attrition bands for attrition padlocks 5,4,3,2,1"),
    "max_threat_drop": ("EEF padlocks 2019", "standard",
                        "the security rating is lowered at most this many steps for threats"),
    "alpha": ("convention", "convention", "two-sided significance level for MDES"),
    "power": ("convention", "convention", "power for MDES"),
}


@dataclass(frozen=True, kw_only=True)
class Thresholds:
    """The ladder's thresholds (defaults from the evidence standards cited per field).

    Examples
    --------
    >>> t = Thresholds(smd_max=0.2)
    >>> t.smd_max, t.source("smd_max")
    (0.2, 'Stuart 2010; WWC')
    """

    baseline_g_ok: float = 0.05
    baseline_g_adjust: float = 0.25
    smd_good: float = 0.10
    smd_max: float = 0.25
    variance_ratio_low: float = 0.5
    variance_ratio_high: float = 2.0
    ps_smd_max: float = 0.25
    ps_smd_warn: float = 0.5
    caliper_sd: float = 0.2
    matched_share_pass: float = 0.90
    matched_share_min: float = 0.75
    pool_ratio: float = 2.0
    events_per_parameter: float = 10.0
    pretrend_slope_sd: float = 0.10
    pretrend_alpha: float = 0.10
    pretrend_visible_z: float = 1.0
    pretrend_visible_cap: int = 2
    pretrend_shown_alpha: float = 0.05
    pretrend_ignored_cap: int = 1
    dip_cap: int = 1
    dip_sd: float = 0.25
    rtm_sd: float = 0.5
    benchmark_need_sd: float = 0.25
    composition_pp: float = 10.0
    its_min_points: int = 3
    its_min_pre: int = 8
    sc_outside_share: float = 0.2
    sc_min_pre_r2: float = 0.5
    attrition_boundary: str = "cautious"
    reuse_max: int = 5
    ess_share: float = 0.5
    crossover_share: float = 0.10
    min_clusters_per_arm: int = 2
    few_clusters: int = 30
    few_treated_clusters: int = 5
    cutoff_min_units: int = 50
    mdes_bands: tuple[float, ...] = (0.2, 0.3, 0.4, 0.5, 0.6)
    attrition_bands: tuple[float, ...] = (0.10, 0.20, 0.30, 0.40, 0.50)
    max_threat_drop: int = 2
    alpha: float = 0.05
    power: float = 0.80

    def __post_init__(self) -> None:
        if self.attrition_boundary not in ("cautious", "optimistic"):
            raise ArgumentError(Note("err_thresholds_boundary"))
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v < 0:
                raise ArgumentError(Note("err_thresholds_negative", name=f.name, value=repr(v)))

    def source(self, name: str) -> str:
        """The published source (or 'package default') of a threshold."""
        return THRESHOLD_INFO[name][0]

    def kind(self, name: str) -> str:
        return THRESHOLD_INFO[name][1]

    def with_(self, **changes: Any) -> Thresholds:
        """A copy with some thresholds changed."""
        return replace(self, **changes)

    def table(self) -> pd.DataFrame:
        """Every threshold with value, source, kind and meaning."""
        rows = []
        for name, value in asdict(self).items():
            src, kind, desc = THRESHOLD_INFO[name]
            rows.append({"name": name, "value": value, "source": src, "kind": kind,
                         "meaning": desc})
        return pd.DataFrame(rows)


# WWC attrition boundary (Handbook 4.1, Table II.1): the
# largest differential attrition (percentage points) acceptable at each overall attrition
# rate 0, 5, ..., 65 %. Intermediate overall rates are interpolated linearly (the handbook's
# table has 1-point steps; check them against the handbook before relying on intermediate
# values, so the result notes say the boundary was interpolated).
_WWC_OVERALL = np.arange(0, 70, 5, dtype=float)
_WWC_CAUTIOUS = np.array([5.7, 6.1, 6.3, 5.9, 5.4, 4.8, 4.1, 3.3, 2.6, 1.8, 1.0, 0.3,
                          np.nan, np.nan])
_WWC_OPTIMISTIC = np.array([10.0, 10.5, 10.9, 10.7, 10.0, 9.2, 8.2, 7.2, 6.0, 4.9, 3.7, 2.6,
                            1.4, 0.3])


def wwc_attrition_boundary(overall_pct: float, boundary: str = "cautious") -> float:
    """Largest acceptable differential attrition (pp) at an overall attrition (%).

    Returns ``nan`` where no differential attrition is acceptable (beyond the
    table: high attrition).

    Examples
    --------
    >>> wwc_attrition_boundary(10)
    6.3
    """
    table = _WWC_CAUTIOUS if boundary == "cautious" else _WWC_OPTIMISTIC
    ok = ~np.isnan(table)
    xs, ys = _WWC_OVERALL[ok], table[ok]
    if overall_pct > xs[-1]:
        return float("nan")
    return float(np.interp(overall_pct, xs, ys))
