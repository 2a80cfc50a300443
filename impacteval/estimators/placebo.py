"""Placebo-in-space inference for designs with one treated unit.

With one treated unit (a municipality, a school, one office's caseload) a
cluster-robust standard error would rest on one cluster and means nothing.
The comparison units themselves give the reference distribution instead: each
comparison unit in turn is analysed as if it had been treated, with the other
comparison units as its comparison, and the real estimate is ranked among
these placebo estimates (Conley & Taber 2011; Abadie, Diamond & Hainmueller
2010; Ferman & Pinto 2019 on what the ranking assumes). The p-value is the
rank ``(1 + #{|placebo| >= |estimate|}) / (J + 1)`` and the interval inverts
that test under a constant effect: every effect ``a`` whose shifted estimate
``estimate - a`` would not be rejected. With ``J`` placebos no two-sided
level finer than ``1/(J + 1)`` exists, so with fewer than ``2/(1 - conf_level) - 1``
comparison units the interval is unbounded (reported as ``-inf``/``inf``).

Written by hand: no scipy/statsmodels routine ranks placebo units, and the
balanced unit-by-period matrix it needs is a pandas pivot.

This module also holds the one-treated-unit path of :func:`impacteval.did`:
the two-way fixed-effects estimate (on a balanced panel the 2×2 difference of
period-averaged means, the same number linearmodels ``PanelOLS`` gives) with
placebo-in-space inference.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DroppedRowsWarning, InsufficientDataError, MethodError
from ..notes import LangText, Level, Note
from ..periods import chronological
from ..results import Estimate
from ..roles import TREATED_COL, Study, check_variation
from ..texts import Count

__all__ = ["balanced_matrix", "rank_p_value", "placebo_interval", "one_treated_did",
           "min_placebos"]


def min_placebos(conf_level: float) -> int:
    """Smallest number of placebo units for which a bounded two-sided interval exists."""
    return int(math.ceil(1.0 / (1.0 - conf_level) - 1.0 - 1e-9))


def balanced_matrix(study: Study, frame: pd.DataFrame, *, what: str) -> tuple[pd.DataFrame, str, dict[str, int]]:
    """Units × periods matrix of the outcome over the pre and post periods.

    Comparison units without a value in every analysed period are left out,
    counted and warned about; the treated unit must be complete. Returns the
    matrix (rows: units, columns: periods in time order), the treated unit's
    label and the counts of units left out.
    """
    y, u, p = study.outcome, study.unit, study.period
    order = chronological(list(study.pre) + list(study.post))
    wide = frame.pivot(index=u, columns=p, values=y).reindex(columns=order)
    treated_units = frame.loc[frame[TREATED_COL] == 1, u].unique()
    if len(treated_units) != 1:
        raise InsufficientDataError(Note("err_pl_one_treated", what=what, column=u,
                                         n=len(treated_units)))
    tu = treated_units[0]
    if wide.loc[tu].isna().any():
        gaps = [c for c, v in wide.loc[tu].items() if pd.isna(v)]
        raise InsufficientDataError(Note("err_pl_treated_gap", outcome=y,
                                         periods=str(list(gaps[:6])), column=p))
    incomplete = wide.isna().any(axis=1)
    dropped: dict[str, int] = {}
    if incomplete.any():
        n = int(incomplete.sum())
        dropped["comparison units without a value in every period analysed"] = n
        warnings.warn(Note("incomplete_comparison", n=Count(n), unit=u, outcome=y, what=what),
                      DroppedRowsWarning, stacklevel=4)
        wide = wide[~incomplete]
    return wide.astype(float), tu, dropped


def rank_p_value(stat: float, placebo: np.ndarray) -> float:
    """Share of the J + 1 units (the treated one included) at least as extreme."""
    placebo = np.asarray(placebo, float)
    tol = 1e-12 * max(1.0, abs(stat))
    return float((1 + np.count_nonzero(placebo >= stat - tol)) / (len(placebo) + 1))


def placebo_interval(estimate: float, placebo: np.ndarray, conf_level: float) -> tuple[float, float]:
    """Invert the two-sided rank test of ``|estimate - a|`` among ``|placebo|``.

    ``a`` is kept while ``(1 + #{|e_j| >= |estimate - a|}) / (J + 1) > 1 - conf_level``.
    """
    alpha = 1.0 - conf_level
    e = np.sort(np.abs(np.asarray(placebo, float)))[::-1]
    j = len(e)
    m = math.floor(alpha * (j + 1) - 1 + 1e-12) + 1  # need #{|e| >= d} >= m
    if m <= 0:
        return -math.inf, math.inf
    c = float(e[m - 1])
    return estimate - c, estimate + c


def did_from_matrix(wide: np.ndarray, is_post: np.ndarray, treated_row: int,
                    rows: np.ndarray | None = None) -> float:
    """2×2 DiD of period-averaged means: unit ``treated_row`` against the mean of ``rows``."""
    change = wide[:, is_post].mean(axis=1) - wide[:, ~is_post].mean(axis=1)
    others = rows if rows is not None else np.setdiff1d(np.arange(len(wide)), [treated_row])
    return float(change[treated_row] - change[others].mean())


def one_treated_did(study: Study, frame: pd.DataFrame, label: str, conf_level: float, ci: str,
                    seed: Any = None, scale: str = "absolute") -> Estimate:
    """DiD with one treated unit: two-way FE estimate, placebo-in-space inference."""
    if scale != "absolute":
        raise MethodError(Note("err_pl_relative"))
    if ci not in ("auto", "permutation"):
        raise MethodError(Note("err_pl_ci", ci=repr(ci)))
    if study.cluster is not None:
        raise MethodError(Note("err_pl_cluster", value=repr(study.cluster)))
    wide, tu, dropped = balanced_matrix(study, frame, what="difference-in-differences")
    values = wide.to_numpy()
    check_variation(values.ravel(), study.outcome)
    is_post = np.isin(wide.columns.to_numpy(), np.asarray(study.post, dtype=object))
    t_row = int(np.flatnonzero(wide.index.to_numpy() == tu)[0])
    controls = np.setdiff1d(np.arange(len(wide)), [t_row])
    j = len(controls)
    if j < 2:
        raise InsufficientDataError(Note("err_pl_comparisons", column=study.group, j=j))
    est = did_from_matrix(values, is_post, t_row, controls)
    # placebo j: comparison unit j as 'treated', the other comparison units as its comparison
    placebo = np.array([did_from_matrix(values, is_post, c, np.setdiff1d(controls, [c]))
                        for c in controls])
    p = rank_p_value(abs(est), np.abs(placebo))
    lo, hi = placebo_interval(est, placebo, conf_level)
    se = float(np.std(placebo, ddof=1))
    rank = int(1 + np.count_nonzero(np.abs(placebo) > abs(est)))
    pre_gap = values[t_row, ~is_post] - values[controls][:, ~is_post].mean(axis=0)
    diag: dict[str, Any] = {
        "n_periods_pre": int((~is_post).sum()), "n_periods_post": int(is_post.sum()),
        "n_placebos": j, "placebo_rank": rank,
        "pre_gap_sd": float(np.std(pre_gap, ddof=1)) if len(pre_gap) > 1 else float("nan"),
        "dropped": {**study.dropped, **dropped},
    }
    if len(pre_gap) >= 2:
        tt = np.arange(len(pre_gap), dtype=float)
        sd = float(np.std(values[:, ~is_post], ddof=1))
        slope = float(np.polyfit(tt, pre_gap, 1)[0])
        diag["pretrend_slope_diff_sd"] = slope / sd if sd > 0 else 0.0
    notes = [Note("assume_parallel_one"), Note("placebo_one", j=j)]
    if not math.isfinite(lo):
        notes.append(Note("placebo_unbounded", j=j, level=Level(conf_level), j1=j + 1,
                          need=min_placebos(conf_level)))
    if int((~is_post).sum()) == 1:
        notes.append(Note("one_pre_period"))
    order = list(wide.columns)
    gaps = pd.DataFrame(
        {"period": order,
         "treated": values[t_row],
         "comparison_mean": values[controls].mean(axis=0),
         "post": is_post},
    )
    tables = {"placebos": pd.DataFrame({"placebo": np.arange(1, j + 1), "estimate": placebo}),
              "series": gaps}
    info = {"method": f"placebo-in-space permutation over {j} comparison units (two-way FE "
                      "estimate; p = rank of |estimate|; interval by test inversion)",
            "n_boot": j, "seed": seed, "conf_level": conf_level, "n_placebos": j}
    return Estimate(
        estimate=est, std_error=se, conf_low=lo, conf_high=hi, conf_level=Level(conf_level),
        p_value=p, statistic=None, df=None, n_treated=1, n_control=j, design="did",
        estimand="ATT of the treated unit (two-way fixed effects)", outcome=study.outcome,
        comparison=label, inference=info, diagnostics=diag, notes=tuple(notes), tables=tables,
        # the placebo distribution of the effect (estimate minus each placebo estimate), so
        # that later steps carry the uncertainty on as with bootstrap draws
        draws=est - placebo,
    )


def require_comparison_units(study: Study, minimum: int = 2) -> None:
    """The comparison-group size check of :func:`impacteval.roles.prepare`, for callers that
    prepared with ``min_units=1`` to allow one treated unit."""
    d = study.data
    labels = study.controls if study.control_mode == "each" else (None,)
    for c in labels:
        mask = (d[study.group] == c) if c is not None else (d[TREATED_COL] == 0)
        n = int(d.loc[mask, study.unit].nunique()) if study.unit is not None else int(mask.sum())
        if n < minimum:
            lab = c if c is not None else (study.controls[0] if len(study.controls) == 1
                                           else None)
            code = ("err_roles_few_pooled" if lab is None else
                    "err_roles_few_control" if c is not None else "err_roles_few_label")
            raise InsufficientDataError(Note(code, column=study.group, label=lab, n=n,
                                             need=minimum))


#: largest number of placebo draws enumerated exactly; above it ``n_boot`` draws are sampled
MAX_EXACT_DRAWS = 20_000


def few_treated_did(study: Study, frame: pd.DataFrame, label: str, conf_level: float,
                    n_boot: int = 9999, seed: Any = None) -> Estimate:
    """DiD with a few treated units and placebo-in-space inference (Conley & Taber 2011).

    The estimate is the two-way FE one on the balanced panel (the mean change of the
    treated units minus the mean change of the comparison units). The placebo
    distribution draws ``k`` comparison units (``k`` = number of treated units) as
    pseudo-treated against the remaining comparison units: every such set when there
    are at most :data:`MAX_EXACT_DRAWS`, else ``n_boot`` random sets (seeded).
    """
    from itertools import combinations
    from math import comb

    y, u, p = study.outcome, study.unit, study.period
    order = chronological(list(study.pre) + list(study.post))
    wide = frame.pivot(index=u, columns=p, values=y).reindex(columns=order)
    treated_units = set(frame.loc[frame[TREATED_COL] == 1, u].unique())
    is_t = wide.index.isin(list(treated_units))
    incomplete = wide.isna().any(axis=1).to_numpy()
    if (incomplete & is_t).any():
        raise InsufficientDataError(Note("err_pl_treated_incomplete",
                                         n=int((incomplete & is_t).sum()), column=u, outcome=y))
    dropped: dict[str, int] = {}
    if incomplete.any():
        n = int(incomplete.sum())
        dropped["comparison units without a value in every period analysed"] = n
        warnings.warn(Note("incomplete_comparison_placebo", n=Count(n), unit=u, outcome=y),
                      DroppedRowsWarning, stacklevel=4)
    keep = ~incomplete
    values = wide.to_numpy(float)[keep]
    is_t = is_t[keep]
    check_variation(values.ravel(), y)
    is_post = np.isin(wide.columns.to_numpy(), np.asarray(study.post, dtype=object))
    change = values[:, is_post].mean(axis=1) - values[:, ~is_post].mean(axis=1)
    ct, cc = change[is_t], change[~is_t]
    k, j = len(ct), len(cc)
    if j <= k:
        raise InsufficientDataError(Note("err_pl_few_comparisons", j=j, k=k))
    est = float(ct.mean() - cc.mean())
    total = float(cc.sum())
    n_sets = comb(j, k)
    if n_sets <= MAX_EXACT_DRAWS:
        sets = np.array(list(combinations(range(j), k)), dtype=np.intp)
        how = LangText(en=f"all {n_sets} sets of {k} comparison units",
                       sv=f"alla {n_sets} uppsättningar av {k} jämförelseenheter")
    else:
        rng = np.random.default_rng(seed)
        sets = np.array([rng.choice(j, k, replace=False) for _ in range(n_boot)], dtype=np.intp)
        how = LangText(en=f"{n_boot} random sets of {k} comparison units (seed {seed})",
                       sv=f"{n_boot} slumpade uppsättningar av {k} jämförelseenheter (frö {seed})")
    s = cc[sets].sum(axis=1)
    placebo = s / k - (total - s) / (j - k)
    pval = rank_p_value(abs(est), np.abs(placebo))
    lo, hi = placebo_interval(est, placebo, conf_level)
    diag: dict[str, Any] = {
        "n_periods_pre": int((~is_post).sum()), "n_periods_post": int(is_post.sum()),
        "n_placebos": int(len(placebo)),
        "placebo_rank": int(1 + np.count_nonzero(np.abs(placebo) > abs(est))),
        "dropped": {**study.dropped, **dropped},
    }
    notes = [Note("assume_parallel_few"), Note("placebo_few", k=k, how=how)]
    if not math.isfinite(lo):
        notes.append(Note("placebo_sets_few", j=len(placebo), level=Level(conf_level)))
    info = {"method": f"placebo-in-space permutation over {how} (two-way FE estimate; p = rank "
                      "of |estimate|; interval by test inversion)",
            "n_boot": int(len(placebo)), "seed": seed, "conf_level": conf_level,
            "n_placebos": int(len(placebo))}
    return Estimate(
        estimate=est, std_error=float(np.std(placebo, ddof=1)), conf_low=lo, conf_high=hi,
        conf_level=Level(conf_level), p_value=pval, statistic=None, df=None, n_treated=k,
        n_control=j, design="did", estimand="ATT (two-way fixed effects)", outcome=y,
        comparison=label, inference=info, diagnostics=diag, notes=tuple(notes),
        draws=est - placebo,
    )
