"""The ``did`` design: difference-in-differences.

Two periods (one ``pre`` and one ``post`` value, ``method="changes"``): the
difference between groups in the mean per-unit change, with a Welch interval
(and any bootstrap of units, stratified by group). Several periods
(``method="panel"``, the default then): a two-way fixed-effects panel model
with unit and period effects, estimated by linearmodels ``PanelOLS`` with
errors clustered by unit (or by ``cluster``) and t(G−1) intervals; event-time
coefficients relative to the last pre period and the joint pre-trend
(placebo) Wald test come from a second ``PanelOLS`` fit.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from linearmodels.panel import PanelOLS
from scipy import stats

from ..errors import ArgumentError, InsufficientDataError, MethodError
from ..inference import SumStatistic, permutation_test, wild_cluster_bootstrap
from ..results import Estimate, EstimateCollection
from ..roles import TREATED_COL, Study, check_variation, prepare
from ._common import (
    apply_inference,
    check_common,
    collect,
    hedges_g,
    records_warnings,
    satterthwaite,
    t_test,
    welch,
)
from .before_after import unit_prepost
from .difference import diff_plan

__all__ = ["did"]


@records_warnings
def did(
    df: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    group: str,
    period: str,
    pre: Any,
    post: Any,
    treated: Any = None,
    control: Any = None,
    cluster: str | None = None,
    method: str = "auto",
    scale: str = "absolute",
    conf_level: float = 0.95,
    ci: str = "auto",
    n_boot: int = 9999,
    seed: int | None = None,
) -> Estimate | EstimateCollection:
    """Difference-in-differences: change in participants minus change in the
    comparison group (ATT under parallel trends).

    Parameters
    ----------
    df : DataFrame
        Long format, one row per unit and period.
    outcome, unit, group, period : str
    pre, post : value or list of values of ``period``
    treated, control : optional
        Labels of ``group`` (several controls give one estimate each).
    cluster : str, optional
        Cluster column (default: the unit).
    method : {"auto", "changes", "panel"}
        ``"changes"``: DiD of per-unit changes (pre and post values averaged
        per unit). ``"panel"``: two-way fixed-effects PanelOLS on all pre and
        post periods with event-time coefficients. ``"auto"``: ``"changes"``
        with one pre and one post period, ``"panel"`` otherwise. On a
        balanced panel both give the same point estimate.
    scale : {"absolute", "relative"}
        ``"relative"``: difference in percent changes of the group means
        (percentage points), from the per-unit pre/post means.
    conf_level, ci, n_boot, seed
        Inference. Panel models: ``ci="analytic"`` (cluster-robust, t(G−1))
        or a wild cluster bootstrap-t (any bootstrap name); two periods:
        Welch, bootstraps of units by group, or ``"permutation"`` of group
        labels.

    Returns
    -------
    Estimate or EstimateCollection
        ``design="did"``; ``tables["event_time"]`` with the event-time
        coefficients for panels; ``diagnostics`` with the pre-trend test.

    Examples
    --------
    >>> import pandas as pd, impacteval as ie
    >>> df = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6],
    ...                    "g": [1] * 6 + [0] * 6, "t": [0, 1] * 6,
    ...                    "y": [10., 5, 9, 5, 11, 6, 10, 9, 9, 8, 12, 10]})
    >>> r = ie.did(df, outcome="y", unit="id", group="g", period="t", pre=0, post=1)
    >>> round(r.estimate, 3)
    -3.333
    """
    check_common(conf_level, scale, ci)
    if method not in ("auto", "changes", "panel"):
        raise ArgumentError(f"method={method!r} must be 'auto', 'changes' or 'panel'.")
    if pre is None or post is None:
        raise ArgumentError("did needs pre=... and post=... (values of the period column).")
    study = prepare(df, outcome=outcome, unit=unit, group=group, treated=treated, control=control,
                    period=period, pre=pre, post=post, cluster=cluster,
                    need=("unit", "group", "period"))
    if method == "auto":
        method = "changes" if (len(study.pre) == 1 and len(study.post) == 1) or scale == "relative" else "panel"
    if method == "panel" and scale == "relative":
        raise MethodError("scale='relative' uses per-unit pre/post means: use method='changes'.")
    results = []
    for label in study.comparison_labels:
        frame = study.arm(label)
        if method == "changes":
            results.append(_changes(study, frame, label, scale, conf_level, ci, n_boot, seed))
        else:
            results.append(_panel(study, frame, label, conf_level, ci, n_boot, seed))
    return collect(results)


def _changes(study: Study, frame: pd.DataFrame, label: str, scale: str, conf_level: float,
             ci: str, n_boot: int, seed: Any) -> Estimate:
    wide, missing = unit_prepost(study, frame)
    t = wide["treated"].to_numpy() == 1
    y0, y1 = wide["pre"].to_numpy(float), wide["post"].to_numpy(float)
    d = y1 - y0
    nt, nc = int(t.sum()), int((~t).sum())
    if nt < 2 or nc < 2:
        raise InsufficientDataError(
            f"after removing units without both a pre and a post value, the groups have {nt} "
            f"participant(s) and {nc} comparison unit(s) in column {study.unit!r}; at least 2 each are needed."
        )
    check_variation(d, study.outcome, what="change in outcome")
    diag: dict[str, Any] = {
        "mean_pre_treated": float(y0[t].mean()), "mean_post_treated": float(y1[t].mean()),
        "mean_pre_control": float(y0[~t].mean()), "mean_post_control": float(y1[~t].mean()),
        "dropped": {**study.dropped, **missing},
    }
    diag.update(_baseline(y0[t], y0[~t], study.binary))
    notes = ["Assumes parallel trends: without the project, participants' outcome would have "
             "changed as much as the comparison group's."]
    if len(study.pre) == 1:
        notes.append("One pre-period: parallel trends cannot be tested.")
    perm = None
    if scale == "absolute":
        est, se, dfree = welch(d[t], d[~t])
        lo, hi, stat, p = t_test(est, se, dfree, conf_level)
        plan = diff_plan(d[t], d[~t])
        method = "Welch t on unit changes"
        estimand = "ATT (difference in mean changes)"
        perm = partial(permutation_test, d[t], d[~t], n_perm=n_boot, conf_level=conf_level, seed=seed)
        # WWC: the DiD over the pooled SD of the post-period outcome
        es = hedges_g(y1[t], y1[~t], conf_level, diff=est) if np.std(y1) > 0 else None
    else:
        comps = []
        est = 0.0
        for mask, sign in ((t, 1.0), (~t, -1.0)):
            if y0[mask].mean() == 0:
                raise InsufficientDataError(f"a group's mean pre-period {study.outcome!r} is 0; percent changes are undefined.")
            r = y1[mask].mean() / y0[mask].mean()
            phi = (y1[mask] - r * y0[mask]) / y0[mask].mean()
            comps.append((100**2 * np.var(phi, ddof=1) / mask.sum(), int(mask.sum())))
            est += sign * 100 * (r - 1)
        se = math.sqrt(sum(v for v, _ in comps))
        dfree = satterthwaite(comps)
        lo, hi, stat, p = t_test(est, se, dfree, conf_level)
        plan = _rel_did_plan(y0[t], y1[t], y0[~t], y1[~t])
        method = "Welch t, delta method"
        estimand = "difference in percent changes (percentage points)"
        es = None
        diag["percent_change_treated"] = 100 * (y1[t].mean() / y0[t].mean() - 1)
        diag["percent_change_control"] = 100 * (y1[~t].mean() / y0[~t].mean() - 1)
    nums, inf_info, draws = apply_inference(
        ci=ci, plan=plan, estimate=est, std_error=se, df=dfree, analytic=(lo, hi, stat, p),
        analytic_method=method, conf_level=conf_level, n_boot=n_boot, seed=seed, design="did",
        binary=study.binary, sizes=(nt, nc), permutation=perm)
    if inf_info.get("scheme") == "units":
        inf_info["scheme"] = "units resampled within each group (stratified)"
    return Estimate(
        estimate=est, std_error=se, conf_low=nums["conf_low"], conf_high=nums["conf_high"],
        conf_level=conf_level, p_value=nums["p_value"], statistic=nums["statistic"], df=dfree,
        n_treated=nt, n_control=nc, design="did", estimand=estimand, outcome=study.outcome,
        comparison=label, scale=scale, inference=inf_info, diagnostics=diag, notes=tuple(notes),
        effect_size=es, draws=draws,
    )


def _rel_did_plan(a0, a1, b0, b1) -> SumStatistic:
    data = [np.column_stack([a1, a0, a1**2, a0**2, a1 * a0]),
            np.column_stack([b1, b0, b1**2, b0**2, b1 * b0])]

    def fn(s, n):
        return 100 * (s[0][:, 0] / s[0][:, 1] - s[1][:, 0] / s[1][:, 1])

    def se_fn(s, n):
        v = 0.0
        for j in (0, 1):
            s1, s0, s11, s00, s10 = (s[j][:, k] for k in range(5))
            r = s1 / s0
            m0 = s0 / n[j]
            ss = s11 - 2 * r * s10 + r**2 * s00
            v = v + (100 / m0) ** 2 * np.maximum(ss / (n[j] - 1), 0) / n[j]
        return np.sqrt(v)

    return SumStatistic(data, fn, se_fn)


def _baseline(y0t: np.ndarray, y0c: np.ndarray, binary: bool) -> dict[str, float]:
    """Baseline equivalence (WWC): Hedges' g, or the Cox index for binary outcomes."""
    from ._common import cox_index

    if len(y0t) < 2 or len(y0c) < 2:
        return {}
    if binary:
        return {"baseline_cox_index": cox_index(y0t, y0c).value}
    if np.std(np.concatenate([y0t, y0c])) == 0:
        return {"baseline_hedges_g": 0.0}
    return {"baseline_hedges_g": hedges_g(y0t, y0c).value}


def _panel(study: Study, frame: pd.DataFrame, label: str, conf_level: float, ci: str,
           n_boot: int, seed: Any) -> Estimate:
    y, u, p = study.outcome, study.unit, study.period
    periods = list(study.pre) + list(study.post)
    sub = frame[frame[p].isin(periods)].copy()
    order = sorted(periods)
    code = {v: i for i, v in enumerate(order)}
    sub["__t__"] = sub[p].map(code).astype(int)
    sub["__post__"] = sub[p].isin(list(study.post)).astype(float)
    sub["__d__"] = sub[TREATED_COL].astype(float) * sub["__post__"]
    check_variation(sub[y].to_numpy(float), y)
    nt = int(sub.loc[sub[TREATED_COL] == 1, u].nunique())
    nc = int(sub.loc[sub[TREATED_COL] == 0, u].nunique())
    clus_col = study.cluster or u
    panel = sub.set_index([u, "__t__"])
    clus_vals = panel.index.get_level_values(0) if clus_col == u else panel[clus_col]
    clusters = pd.DataFrame({"c": pd.factorize(clus_vals)[0]}, index=panel.index)
    n_cl = int(clusters["c"].nunique())
    mod = PanelOLS(panel[y], panel[["__d__"]], entity_effects=True, time_effects=True)
    fit = mod.fit(cov_type="clustered", clusters=clusters)
    est = float(fit.params["__d__"])
    se = float(fit.std_errors["__d__"])
    dfree = float(n_cl - 1)
    lo, hi, stat, pval = t_test(est, se, dfree, conf_level)
    diag: dict[str, Any] = {"n_clusters": n_cl, "n_periods_pre": len(study.pre),
                            "n_periods_post": len(study.post), "dropped": dict(study.dropped)}
    notes = ["Assumes parallel trends: without the project, participants' outcome would have "
             "changed as much as the comparison group's."]
    counts = sub.groupby(u)["__t__"].nunique()
    if (counts < len(periods)).any():
        diag["units_with_missing_periods"] = int((counts < len(periods)).sum())
    # baseline equivalence on per-unit pre means
    pre_means = sub[sub["__post__"] == 0].groupby(u).agg(y=(y, "mean"), t=(TREATED_COL, "first"))
    diag.update(_baseline(pre_means.loc[pre_means.t == 1, "y"].to_numpy(float),
                          pre_means.loc[pre_means.t == 0, "y"].to_numpy(float), study.binary))
    # event-time model
    ref = code[max(study.pre)]
    tables: dict[str, pd.DataFrame] = {}
    if len(periods) > 2:
        ev_cols = []
        for v in order:
            if code[v] == ref:
                continue
            c = f"__ev_{code[v]}__"
            panel[c] = (panel[TREATED_COL].to_numpy(float) * (panel.index.get_level_values(1) == code[v]))
            ev_cols.append((v, c))
        efit = PanelOLS(panel[y], panel[[c for _, c in ev_cols]], entity_effects=True,
                        time_effects=True).fit(cov_type="clustered", clusters=clusters)
        q = stats.t(dfree).ppf(1 - (1 - conf_level) / 2)
        rows = []
        for v, c in ev_cols:
            b, s = float(efit.params[c]), float(efit.std_errors[c])
            rows.append({"period": v, "relative_to": max(study.pre), "pre": v in study.pre,
                         "estimate": b, "std_error": s, "conf_low": b - q * s, "conf_high": b + q * s})
        tables["event_time"] = pd.DataFrame(rows)
        pre_cols = [c for v, c in ev_cols if v in study.pre]
        if pre_cols:
            wt = efit.wald_test(formula=" = ".join(pre_cols) + " = 0" if len(pre_cols) == 1 else
                                ", ".join(f"{c} = 0" for c in pre_cols))
            k = len(pre_cols)
            f_stat = float(wt.stat) / k
            diag["pretrend_test_stat"] = f_stat
            diag["pretrend_p_value"] = float(stats.f.sf(f_stat, k, dfree))
            diag["pretrend_test"] = f"joint F test of {k} pre-period coefficient(s), clustered"
        if len(study.pre) >= 2:
            diag.update(_pretrend_slope(sub, study))
    else:
        notes.append("One pre-period: parallel trends cannot be tested.")
    draws = None
    info = {"method": f"PanelOLS two-way FE, clustered SE by {clus_col!r}, t({n_cl - 1})",
            "n_boot": None, "seed": None, "conf_level": conf_level}
    if ci == "permutation":
        raise MethodError("ci='permutation' for a multi-period DiD: use method='changes' "
                          "(label permutation of unit changes) or ci='analytic'/'wild'.")
    if ci not in ("auto", "analytic"):
        # wild cluster bootstrap-t: partial out entity and period effects
        xt = _two_way_demean(panel["__d__"], sub)
        resid = np.asarray(fit.resids)
        nuis = _demeaned_time_dummies(panel)
        r = wild_cluster_bootstrap(xt, resid, clusters["c"].to_numpy(), estimate=est,
                                   std_error=se, nuisance=nuis, n_boot=n_boot,
                                   conf_level=conf_level, seed=seed)
        lo, hi, pval, draws, info = r.conf_low, r.conf_high, r.p_value, r.draws, dict(r.info)
    return Estimate(
        estimate=est, std_error=se, conf_low=lo, conf_high=hi, conf_level=conf_level,
        p_value=pval, statistic=stat, df=dfree, n_treated=nt, n_control=nc, design="did",
        estimand="ATT (two-way fixed effects)", outcome=y, comparison=label, inference=info,
        diagnostics=diag, notes=tuple(notes), tables=tables, draws=draws,
    )


def _pretrend_slope(sub: pd.DataFrame, study: Study) -> dict[str, float]:
    """Standardised difference in pre-period slopes (SD of outcome per period)."""
    pre = sub[sub["__post__"] == 0]
    y = study.outcome
    means = pre.groupby([TREATED_COL, "__t__"])[y].mean().unstack(0)
    if means.shape[1] < 2 or len(means) < 2:
        return {}
    tt = means.index.to_numpy(float)
    slope_t = np.polyfit(tt, means[1].to_numpy(float), 1)[0]
    slope_c = np.polyfit(tt, means[0].to_numpy(float), 1)[0]
    sd = float(pre[y].std(ddof=1))
    return {"pretrend_slope_diff_sd": float((slope_t - slope_c) / sd) if sd > 0 else 0.0}


def _entity_demean(x: np.ndarray, ent: np.ndarray) -> np.ndarray:
    sums = np.bincount(ent, weights=x)
    cnt = np.bincount(ent)
    return x - (sums / cnt)[ent]


def _two_way_demean(d: pd.Series, sub: pd.DataFrame) -> np.ndarray:
    """Residualise the treatment dummy on unit and period effects (alternating projections)."""
    ent = pd.factorize(d.index.get_level_values(0))[0]
    tim = pd.factorize(d.index.get_level_values(1))[0]
    x = d.to_numpy(float).copy()
    for _ in range(500):
        x_old = x
        x = _entity_demean(x, ent)
        x = _entity_demean(x, tim)
        if np.max(np.abs(x - x_old)) < 1e-13:
            break
    return x


def _demeaned_time_dummies(panel: pd.DataFrame) -> np.ndarray:
    ent = pd.factorize(panel.index.get_level_values(0))[0]
    tim = pd.factorize(panel.index.get_level_values(1))[0]
    k = tim.max() + 1
    cols = []
    for j in range(1, k):
        cols.append(_entity_demean((tim == j).astype(float), ent))
    return np.column_stack(cols) if cols else np.empty((len(tim), 0))
