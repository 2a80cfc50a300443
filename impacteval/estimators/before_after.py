"""The ``before_after`` design: the same participants before and after.

Paired mean change per unit (paired t, as scipy's ``ttest_rel``), Wilcoxon
signed-rank p-value (scipy) as a diagnostic. Several ``pre``/``post`` values
are averaged per unit first. Units with only one of the two periods are
counted and reported.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ArgumentError, AssumptionWarning, DroppedRowsWarning, InsufficientDataError
from ..inference import SumStatistic, permutation_test
from ..notes import Note
from ..periods import chronological
from ..results import EffectSize, Estimate
from ..roles import TREATED_COL, Study, prepare
from ..texts import Count
from ._common import (
    apply_inference,
    check_common,
    flag_regime,
    records_warnings,
    rescales_outcome,
    t_test,
    var_from_sums,
)

__all__ = ["before_after", "unit_prepost"]


def unit_prepost(study: Study, frame: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict[str, int]]:
    """Per-unit mean outcome over the pre and over the post periods.

    Returns a DataFrame indexed by unit with columns ``pre``, ``post`` and
    ``treated`` (only units with both), and counts of units left out.
    """
    import warnings

    d = study.data if frame is None else frame
    y, u, p = study.outcome, study.unit, study.period
    pre = d[d[p].isin(list(study.pre))].groupby(u, sort=True)[y].mean()
    post = d[d[p].isin(list(study.post))].groupby(u, sort=True)[y].mean()
    tr = d.groupby(u, sort=True)[TREATED_COL].first()
    wide = pd.DataFrame({"pre": pre, "post": post}).join(tr.rename("treated"), how="left")
    missing = {
        "units without a pre-period value": int(wide["pre"].isna().sum()),
        "units without a post-period value": int(wide["post"].isna().sum()),
    }
    missing = {k: v for k, v in missing.items() if v}
    if missing:
        parts = {"units without a pre-period value": "part_no_pre",
                 "units without a post-period value": "part_no_post"}
        warnings.warn(
            Note("before_after_left_out", detail=tuple(
                Note(parts[k], n=Count(v)) for k, v in missing.items())),
            DroppedRowsWarning,
            stacklevel=3,
        )
    return wide.dropna(subset=["pre", "post"]), missing


@records_warnings
@rescales_outcome
def before_after(
    df: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    period: str,
    pre: Any,
    post: Any,
    group: str | None = None,
    treated: Any = None,
    scale: str = "absolute",
    conf_level: float = 0.95,
    ci: str = "auto",
    n_boot: int = 9999,
    seed: int | None = None,
) -> Estimate:
    """Mean within-person change from ``pre`` to ``post`` (paired design).

    Assumes nothing else would have changed the outcome (no trend,
    maturation, regression to the mean, practice effects) — the weakest
    design that estimates a change.

    Parameters
    ----------
    df : DataFrame
        Long format, one row per unit and period.
    outcome, unit, period : str
        Column names.
    pre, post : value or list of values of ``period``
        Several values are averaged per unit.
    group, treated : optional
        When given, only the treated group is analysed.
    scale : {"absolute", "relative"}
        ``"relative"``: percent change of the group mean,
        100·(mean post / mean pre − 1), with a delta-method interval.
    conf_level, ci, n_boot, seed
        Inference settings. ``ci="permutation"`` gives a sign-flip test.

    Returns
    -------
    Estimate
        ``design="before_after"``, ``estimand="mean change"``.

    Examples
    --------
    >>> import pandas as pd, impacteval as ie
    >>> df = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3], "t": [0, 1] * 3,
    ...                    "y": [10., 4, 8, 5, 12, 6]})
    >>> r = ie.before_after(df, outcome="y", unit="id", period="t", pre=0, post=1)
    >>> r.estimate
    -5.0
    """
    check_common(conf_level, scale, ci, seed=seed, n_boot=n_boot)
    if pre is None or post is None:
        raise ArgumentError(Note("err_ba_prepost"))
    study = prepare(df, outcome=outcome, unit=unit, period=period, pre=pre, post=post,
                    group=group, treated=treated, need=("unit", "period"), min_units=2,
                    comparison=False)
    frame = study.data[study.data[TREATED_COL] == 1]
    wide, missing = unit_prepost(study, frame)
    n = len(wide)
    if n < 2:
        raise InsufficientDataError(Note("err_ba_few", n=n, unit=unit, outcome=outcome))
    y0 = wide["pre"].to_numpy(float)
    y1 = wide["post"].to_numpy(float)
    d = y1 - y0
    if np.ptp(d) == 0 and scale == "absolute":
        raise InsufficientDataError(Note("err_ba_constant", outcome=outcome, value=float(d[0])))
    diag: dict[str, Any] = {
        "n_pairs": n,
        "mean_pre": float(y0.mean()),
        "mean_post": float(y1.mean()),
        "dropped": {**study.dropped, **missing},
    }
    try:
        diag["wilcoxon_p_value"] = float(stats.wilcoxon(y1, y0).pvalue) if np.any(d != 0) else 1.0
    except ValueError:
        diag["wilcoxon_p_value"] = float("nan")
    notes = [Note("assume_before_after")]
    if study.binary:
        b = int(np.sum((y0 == 1) & (y1 == 0)))
        c = int(np.sum((y0 == 0) & (y1 == 1)))
        diag["mcnemar_exact_p_value"] = (float(stats.binomtest(min(b, c), b + c, 0.5).pvalue)
                                         if b + c > 0 else 1.0)
    if scale == "absolute":
        est = float(d.mean())
        se = float(np.std(d, ddof=1) / math.sqrt(n))
        dfree = n - 1
        lo, hi, stat, p = t_test(est, se, dfree, conf_level)
        # centred changes: the SE from sums of squares stays exact for large levels
        shift = est
        dc = d - shift
        data = np.column_stack([dc, dc**2])

        def fn(s, c):
            return shift + s[0][:, 0] / c[0]

        def se_fn(s, c):
            return np.sqrt(var_from_sums(s[0][:, 0], s[0][:, 1], c[0]) / c[0])

        plan = SumStatistic([data], fn, se_fn)
        estimand = "mean change"
        method = "paired t"
        perm = partial(permutation_test, d, None, n_perm=n_boot, conf_level=conf_level, seed=seed)
    else:
        if y0.mean() == 0:
            raise InsufficientDataError(Note("err_ba_zero_mean", outcome=outcome))
        r, phi = _ratio_phi(y1, y0)
        # 100·mean(change)/mean(pre) = 100·(r − 1), without the cancellation in r − 1
        est = 100 * float(np.mean(d)) / float(np.mean(y0))
        se = 100 * float(np.std(phi, ddof=1) / math.sqrt(n))
        dfree = n - 1
        lo, hi, stat, p = t_test(est, se, dfree, conf_level)
        plan = _rel_plan(y1, y0)
        estimand = "percent change of the mean"
        method = "paired t, delta method"
        perm = None
    sd_pre = float(np.std(y0, ddof=1))
    es = None
    if sd_pre > 0 and scale == "absolute":
        omega = 1 - 3 / (4 * (n - 1) - 1)
        g = omega * est / sd_pre
        z = stats.norm.ppf(1 - (1 - conf_level) / 2)
        r_pp = float(np.corrcoef(y0, y1)[0, 1]) if np.std(y1) > 0 else 0.0
        se_g = math.sqrt(2 * (1 - r_pp) / n + g**2 / (2 * n))
        es = EffectSize(name="standardized_change", value=g, conf_low=g - z * se_g,
                        conf_high=g + z * se_g, conf_level=conf_level)
    _warn_dip(study, frame)
    nums, inf_info, draws = apply_inference(
        ci=ci, plan=plan, estimate=est, std_error=se, df=dfree, analytic=(lo, hi, stat, p),
        analytic_method=method, conf_level=conf_level, n_boot=n_boot, seed=seed,
        design="before_after", binary=study.binary, sizes=(n, 0), permutation=perm,
        groups=(d,) if scale == "absolute" else None)
    if not study.binary and scale == "absolute":
        flag_regime(diag, notes, "before_after", (d,))
    if inf_info.get("scheme") == "units":
        inf_info["scheme"] = "pairs (units) resampled"
    return Estimate(
        estimate=est, std_error=se, conf_low=nums["conf_low"], conf_high=nums["conf_high"],
        conf_level=conf_level, p_value=nums["p_value"], statistic=nums["statistic"], df=dfree,
        n_treated=n, n_control=0, design="before_after", estimand=estimand, outcome=outcome,
        scale=scale, inference=inf_info, diagnostics=diag, notes=tuple(notes), effect_size=es,
        draws=draws,
    )


def _ratio_phi(num: np.ndarray, den: np.ndarray) -> tuple[float, np.ndarray]:
    """Ratio of means and its influence values, from centred values (no cancellation
    of large levels: num − r·den = (num − m_num) − r·(den − m_den) since m_num = r·m_den)."""
    mnum, mden = float(np.mean(num)), float(np.mean(den))
    r = mnum / mden
    return r, ((num - mnum) - r * (den - mden)) / mden


def _rel_plan(y1: np.ndarray, y0: np.ndarray) -> SumStatistic:
    """Percent change of the mean, 100·(ȳ1/ȳ0 − 1), with its delta-method SE per replicate.

    The sums are of values centred on the full-sample means ``m1``, ``m0``
    (a = y1 − m1, b = y0 − m0): raw Σy² at 10⁹ SEK would cancel catastrophically.
    With r = ȳ1*/ȳ0* of a replicate and K = m1 − r·m0 (small),
    Σ(y1 − r·y0)² = Σ(K + a − r·b)² expands into sums of a, b, a², b², ab.
    """
    m1, m0 = float(np.mean(y1)), float(np.mean(y0))
    a, b = y1 - m1, y0 - m0
    data = np.column_stack([a, b, a**2, b**2, a * b])

    def fn(s, c):
        return 100 * ((m1 + s[0][:, 0] / c[0]) / (m0 + s[0][:, 1] / c[0]) - 1)

    def se_fn(s, c):
        n = c[0]
        sa, sb, saa, sbb, sab = (s[0][:, j] for j in range(5))
        mean1, mean0 = m1 + sa / n, m0 + sb / n
        r = mean1 / mean0
        k = m1 - r * m0
        # Σ phi_i² · mean0², phi_i = (y1_i − r·y0_i)/mean0 (mean 0 by construction)
        ss = saa - 2 * r * sab + r**2 * sbb + 2 * k * (sa - r * sb) + n * k**2
        return 100 * np.sqrt(np.maximum(ss / (n - 1), 0) / n) / np.abs(mean0)

    return SumStatistic([data], fn, se_fn)


def _warn_dip(study: Study, frame: pd.DataFrame) -> None:
    """Warn about a pre-programme dip (last pre period > 0.25 SD below the earlier ones)."""
    import warnings

    if len(study.pre) < 3:
        return
    order = chronological(study.pre)
    y, p = study.outcome, study.period
    sub = frame[frame[p].isin(order)]
    sd = float(sub[y].std(ddof=1))
    if not sd > 0:
        return
    last = float(sub.loc[sub[p] == order[-1], y].mean())
    earlier = float(sub.loc[sub[p].isin(order[:-1]), y].mean())
    if abs(last - earlier) > 0.25 * sd:
        warnings.warn(
            Note("dip", outcome=y, sd=(last - earlier) / sd),
            AssumptionWarning,
            stacklevel=3,
        )
