"""Pooling repeated cohorts or sites: inverse-variance fixed effect and DerSimonian–Laird
random effects, with Q, I² and τ².

The formulas are a dozen lines and are written here rather than delegated to
``statsmodels.stats.meta_analysis.combine_effects``: that function is marked experimental,
and its DerSimonian–Laird τ² and its I² are not truncated at zero (they turn negative when
Q < k − 1), whereas the DerSimonian–Laird estimator and Higgins' I² are defined with
truncation. The tests check :func:`pool` against ``combine_effects`` to 1e-8 wherever the
two definitions agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ArgumentError, bad_choice
from ..notes import Note
from ..results import Estimate, EstimateCollection
from ._common import _conf_level

POOL_METHODS = ("fixed", "random")

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
        raise bad_choice("method", method, ("fixed", "random"))
    level = _conf_level(conf_level, func=func)
    if isinstance(estimates, Estimate) or not isinstance(estimates, (Sequence, EstimateCollection)):
        raise ArgumentError(Note("err_econ_pool_list", type=type(estimates).__name__))
    items = list(estimates)
    if len(items) < 2:
        raise ArgumentError(Note("err_econ_pool_two", n=len(items)))
    for i, e in enumerate(items):
        if not isinstance(e, Estimate):
            raise ArgumentError(Note("err_econ_pool_item", i=i, type=type(e).__name__))
    bad_se = [i for i, e in enumerate(items) if not (math.isfinite(e.std_error) and e.std_error > 0)]
    if bad_se:
        raise ArgumentError(Note("err_econ_pool_se", which=str(bad_se),
                                 values=str([items[i].std_error for i in bad_se])))
    bad_y = [i for i, e in enumerate(items) if not math.isfinite(e.estimate)]
    if bad_y:
        raise ArgumentError(Note("err_econ_pool_missing", which=str(bad_y)))
    scales = sorted({e.scale for e in items})
    if len(scales) > 1:
        raise ArgumentError(Note("err_econ_pool_scales", scales=", ".join(scales)))
    notes: list[str] = []
    estimands = list(dict.fromkeys(e.estimand for e in items))
    outcomes = list(dict.fromkeys(e.outcome for e in items))
    if len(estimands) > 1:
        notes.append(Note("pool_estimands", names=", ".join(estimands)))
    if len(outcomes) > 1:
        notes.append(Note("pool_outcomes", names=", ".join(outcomes)))

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
            notes.append(Note("pool_heterogeneity", q=q, p=q_p, i2=100 * i2))
    else:
        wt = 1.0 / (v + tau2)
        label = "DerSimonian–Laird random effects"
        if k < 5:
            notes.append(Note("pool_tau_few", k=k))
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
