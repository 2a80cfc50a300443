"""Comparison-group designs measured after only: ``comparison``,
``adjusted_comparison`` and ``randomized``.

Welch difference in means (scipy); regression adjustment by OLS with HC2
errors (statsmodels; cluster-robust with t(G−1) when ``cluster`` is given);
binary outcomes get the Newcombe hybrid-score interval for the difference in
proportions and a score test (statsmodels ``confint_proportions_2indep`` /
``test_proportions_2indep``), with Fisher's exact p-value as a diagnostic.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.proportion import test_proportions_2indep as score_test_2indep

from ..errors import ArgumentError, AssumptionWarning, DataError, InsufficientDataError, MethodError
from ..inference import SumStatistic, permutation_test, wild_cluster_bootstrap
from ..results import Estimate, EstimateCollection
from ..roles import ARM_COL, TREATED_COL, Study, check_variation, prepare
from ._common import (
    apply_inference,
    check_common,
    collect,
    cox_index,
    hedges_g,
    records_warnings,
    satterthwaite,
    t_test,
    var_from_sums,
    welch,
)

__all__ = ["difference", "covariate_matrix", "diff_plan"]


def covariate_matrix(frame: pd.DataFrame, covariates: tuple[str, ...]) -> pd.DataFrame:
    """Numeric design columns for the covariates; text/categorical columns are
    dummy-coded (first level dropped). Constant columns are removed (the
    caller reports them, see :func:`constant_covariates`)."""
    parts = []
    for c in covariates:
        s = frame[c]
        if pd.api.types.is_numeric_dtype(s):
            parts.append(s.astype(float).rename(c))
        else:
            dummies = pd.get_dummies(s.astype(str), prefix=c, drop_first=True, dtype=float)
            parts.append(dummies)
    if not parts:
        return pd.DataFrame(index=frame.index)
    x = pd.concat(parts, axis=1)
    const = [c for c in x.columns if x[c].nunique() <= 1]
    return x.drop(columns=const)


def constant_covariates(frame: pd.DataFrame, covariates: tuple[str, ...]) -> list[str]:
    """Covariates with one value only in ``frame`` (they cannot adjust anything)."""
    return [c for c in covariates if frame[c].nunique(dropna=True) <= 1]


def _centre(y: np.ndarray) -> tuple[np.ndarray, float]:
    """``y`` minus its mean, and the mean.

    The bootstrap works on column sums; Σy² − n·ȳ² from raw values loses every
    significant digit when the level is large and the spread small (payments
    of 10⁹ SEK varying by a few kronor). Centring each group on its own mean
    first keeps the sums of squares exact to rounding; the mean is added back
    where a level is needed.
    """
    y = np.asarray(y, dtype=float)
    c = float(np.mean(y)) if len(y) else 0.0
    return y - c, c


def diff_plan(yt: np.ndarray, yc: np.ndarray) -> SumStatistic:
    """Difference in means with its Welch SE per replicate, from centred sums."""
    (yt, ct), (yc, cc) = _centre(yt), _centre(yc)
    data = [np.column_stack([yt, yt**2]), np.column_stack([yc, yc**2])]

    def fn(s, n):
        return (ct - cc) + (s[0][:, 0] / n[0] - s[1][:, 0] / n[1])

    def se_fn(s, n):
        v = 0.0
        for j in (0, 1):
            v = v + var_from_sums(s[j][:, 0], s[j][:, 1], n[j]) / n[j]
        return np.sqrt(v)

    return SumStatistic(data, fn, se_fn)


def _rel_plan(yt: np.ndarray, yc: np.ndarray) -> SumStatistic:
    (yt, ct), (yc, cc) = _centre(yt), _centre(yc)
    data = [np.column_stack([yt, yt**2]), np.column_stack([yc, yc**2])]

    def fn(s, n):
        return 100 * ((ct + s[0][:, 0] / n[0]) / (cc + s[1][:, 0] / n[1]) - 1)

    def se_fn(s, n):
        dt, dc = s[0][:, 0] / n[0], s[1][:, 0] / n[1]
        vt = var_from_sums(s[0][:, 0], s[0][:, 1], n[0]) / n[0]
        vc = var_from_sums(s[1][:, 0], s[1][:, 1], n[1]) / n[1]
        mt, mc = ct + dt, cc + dc
        r = mt / mc
        return 100 * np.sqrt(vt / mc**2 + r**2 * vc / mc**2)

    return SumStatistic(data, fn, se_fn)


@records_warnings
def difference(
    df: pd.DataFrame,
    *,
    outcome: str,
    group: str,
    treated: Any = None,
    control: Any = None,
    covariates: list[str] | None = None,
    unit: str | None = None,
    period: str | None = None,
    post: Any = None,
    cluster: str | None = None,
    weights: str | None = None,
    assignment: str = "unknown",
    scale: str = "absolute",
    conf_level: float = 0.95,
    ci: str = "auto",
    n_boot: int = 9999,
    seed: int | None = None,
) -> Estimate | EstimateCollection:
    """Difference between participants and a comparison group, after only.

    Without covariates: Welch difference in means (binary outcomes: Newcombe
    interval for the difference in proportions). With covariates: OLS
    regression adjustment with HC2 standard errors (CR1 cluster-robust with
    t(G−1) when ``cluster`` is given). The design is ``"randomized"`` when
    ``assignment="randomized"``, else ``"adjusted_comparison"`` with
    covariates and ``"comparison"`` without.

    Parameters
    ----------
    df : DataFrame
    outcome, group : str
    treated : value of ``group`` marking participants (default 1/True)
    control : value or list, optional
        Comparison group(s); several give one estimate each.
    covariates : list of str, optional
        Baseline (pre-treatment) covariates; text columns are dummy-coded.
    unit, period, post : optional
        For long data: the comparison uses the ``post`` period(s) only,
        averaged per unit.
    cluster, weights : str, optional
    assignment : str
        Declared assignment mechanism (see SPEC 3.1).
    scale : {"absolute", "relative"}
        ``"relative"``: 100·(mean_T / mean_C − 1), delta-method interval
        (not with covariates).
    conf_level, ci, n_boot, seed
        Inference. ``ci="permutation"`` gives a randomisation test with an
        interval by test inversion.

    Returns
    -------
    Estimate or EstimateCollection

    Examples
    --------
    >>> import pandas as pd, impacteval as ie
    >>> df = pd.DataFrame({"g": [1, 1, 1, 0, 0, 0, 0], "y": [5., 7, 6, 3, 4, 2, 3]})
    >>> r = ie.difference(df, outcome="y", group="g")
    >>> r.estimate
    3.0
    """
    check_common(conf_level, scale, ci)
    if period is not None and post is None:
        raise ArgumentError("with period=..., say which period(s) are after the start: post=...")
    study = prepare(df, outcome=outcome, group=group, treated=treated, control=control,
                    covariates=covariates, unit=unit, period=period, post=post, cluster=cluster,
                    weights=weights, assignment=assignment, need=("group",))
    results = []
    for label in study.comparison_labels:
        frame = _post_frame(study, study.arm(label))
        results.append(_one(study, frame, label, scale=scale, conf_level=conf_level, ci=ci,
                            n_boot=n_boot, seed=seed))
    return collect(results)


def _post_frame(study: Study, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: the post period(s) averaged when the data are long."""
    if study.period is None:
        if study.unit is not None and frame[study.unit].duplicated().any():
            raise DataError(
                f"unit column {study.unit!r} has several rows per unit; give period=... and "
                "post=... to say which rows are the after-measurement."
            )
        return frame
    sub = frame[frame[study.period].isin(list(study.post))]
    num = [study.outcome] + [c for c in study.covariates if pd.api.types.is_numeric_dtype(sub[c])]
    keep_first = [TREATED_COL, ARM_COL] + [c for c in (study.cluster, study.weights) if c] + [
        c for c in study.covariates if c not in num]
    agg = {c: "mean" for c in num}
    agg.update({c: "first" for c in keep_first})
    return sub.groupby(study.unit, sort=True).agg(agg).reset_index()


def _disjoint_covariates(frame: pd.DataFrame, covariates: tuple[str, ...],
                         is_t: np.ndarray) -> list[str]:
    """Numeric covariates whose participant and comparison ranges do not meet."""
    out = []
    for c in covariates:
        s = frame[c]
        if not pd.api.types.is_numeric_dtype(s) or s.nunique() <= 1:
            continue
        x = s.to_numpy(float)
        a, b = x[is_t], x[~is_t]
        if len(a) and len(b) and (a.min() > b.max() or a.max() < b.min()):
            out.append(c)
    return out


def _design_name(study: Study) -> str:
    if study.assignment == "randomized":
        return "randomized"
    return "adjusted_comparison" if study.covariates else "comparison"


def _one(study: Study, frame: pd.DataFrame, label: str, *, scale: str, conf_level: float,
         ci: str, n_boot: int, seed: Any) -> Estimate:
    y = frame[study.outcome].to_numpy(float)
    t = frame[TREATED_COL].to_numpy() == 1
    yt, yc = y[t], y[~t]
    nt, nc = len(yt), len(yc)
    check_variation(y, study.outcome)
    design = _design_name(study)
    diag: dict[str, Any] = {"mean_treated": float(yt.mean()), "mean_control": float(yc.mean()),
                            "dropped": dict(study.dropped)}
    notes: list[str] = []
    if design != "randomized":
        notes.append("No baseline outcome: equivalence of the groups before the project cannot "
                     "be shown; the estimate assumes the groups would otherwise have been equal"
                     + (" given the covariates." if study.covariates else "."))
    if study.weights is not None or study.cluster is not None or study.covariates:
        if scale == "relative":
            raise MethodError("scale='relative' is available without covariates, weights and "
                              "clusters; use scale='absolute' here.")
        return _regression(study, frame, label, design, diag, notes, conf_level=conf_level,
                           ci=ci, n_boot=n_boot, seed=seed)
    plan = None
    perm = None
    if study.binary and scale == "absolute":
        k1, k0 = int(yt.sum()), int(yc.sum())
        est = k1 / nt - k0 / nc
        lo, hi = confint_proportions_2indep(k1, nt, k0, nc, method="newcomb", compare="diff",
                                            alpha=1 - conf_level)
        tp = score_test_2indep(k1, nt, k0, nc, method="score", compare="diff")
        se = math.sqrt((k1 / nt) * (1 - k1 / nt) / nt + (k0 / nc) * (1 - k0 / nc) / nc)
        analytic = (float(lo), float(hi), float(tp.statistic), float(tp.pvalue))
        method = "Newcombe hybrid score interval; score test"
        dfree = None
        diag["fisher_exact_p_value"] = float(stats.fisher_exact([[k1, nt - k1], [k0, nc - k0]])[1])
        es = cox_index(yt, yc, conf_level)
        plan = diff_plan(yt, yc)
        perm = partial(permutation_test, yt, yc, n_perm=n_boot, conf_level=conf_level, seed=seed)
    elif scale == "absolute":
        est, se, dfree = welch(yt, yc)
        lo, hi, stat, p = t_test(est, se, dfree, conf_level)
        analytic = (lo, hi, stat, p)
        method = "Welch t"
        es = hedges_g(yt, yc, conf_level)
        plan = diff_plan(yt, yc)
        perm = partial(permutation_test, yt, yc, n_perm=n_boot, conf_level=conf_level, seed=seed)
    else:
        mt, mc = yt.mean(), yc.mean()
        if mc == 0:
            raise InsufficientDataError(f"the comparison group's mean {study.outcome!r} is 0; a percent difference is undefined.")
        r = mt / mc
        vt, vc = np.var(yt, ddof=1) / nt, np.var(yc, ddof=1) / nc
        c = float(yc[0])
        est = 100 * float(np.mean(yt - c) - np.mean(yc - c)) / mc  # = 100·(r − 1), no cancellation
        se = 100 * math.sqrt(vt / mc**2 + r**2 * vc / mc**2)
        dfree = satterthwaite([(vt / mc**2, nt), (r**2 * vc / mc**2, nc)])
        lo, hi, stat, p = t_test(est, se, dfree, conf_level)
        analytic = (lo, hi, stat, p)
        method = "Welch t, delta method"
        es = hedges_g(yt, yc, conf_level)
        plan = _rel_plan(yt, yc)
    nums, inf_info, draws = apply_inference(
        ci=ci, plan=plan, estimate=est, std_error=se, df=dfree, analytic=analytic,
        analytic_method=method, conf_level=conf_level, n_boot=n_boot, seed=seed, design=design,
        binary=study.binary, sizes=(nt, nc), permutation=perm)
    if inf_info.get("scheme") == "units":
        inf_info["scheme"] = "units resampled within each group (stratified)"
    return Estimate(
        estimate=est, std_error=se, conf_low=nums["conf_low"], conf_high=nums["conf_high"],
        conf_level=conf_level, p_value=nums["p_value"], statistic=nums["statistic"], df=dfree,
        n_treated=nt, n_control=nc, design=design,
        estimand="ITT" if design == "randomized" else "difference in means (ATT-type)",
        outcome=study.outcome, comparison=label, scale=scale, inference=inf_info,
        diagnostics=diag, notes=tuple(notes), effect_size=es, draws=draws,
    )


def _regression(study: Study, frame: pd.DataFrame, label: str, design: str, diag: dict,
                notes: list[str], *, conf_level: float, ci: str, n_boot: int, seed: Any) -> Estimate:
    import warnings

    y = frame[study.outcome].to_numpy(float)
    t = frame[TREATED_COL].to_numpy(float)
    const = constant_covariates(frame, study.covariates)
    if const:
        warnings.warn(
            f"covariate(s) {', '.join(map(repr, const))} have one value only among the units "
            "compared and were left out of the adjustment.",
            AssumptionWarning, stacklevel=4)
        diag["constant_covariates_removed"] = const
    no_overlap = _disjoint_covariates(frame, study.covariates, t == 1)
    if no_overlap:
        warnings.warn(
            f"no overlap: participants and comparison units share no values of "
            f"{', '.join(map(repr, no_overlap))}; the adjusted difference is an extrapolation "
            "of the regression line, not a comparison of similar people. Use match() to see "
            "who can be compared.",
            AssumptionWarning, stacklevel=4)
        diag["covariates_without_overlap"] = no_overlap
    if study.weights is not None:
        w_all = frame[study.weights].to_numpy(float)
        for mask, who in ((t == 1, "participants"), (t == 0, f"comparison group {label!r}")):
            if not (w_all[mask] > 0).any():
                raise InsufficientDataError(
                    f"weights column {study.weights!r}: every weight of the {who} is zero.")
    xcov = covariate_matrix(frame, study.covariates)
    x = pd.concat([pd.Series(1.0, index=frame.index, name="const"),
                   pd.Series(t, index=frame.index, name="treated"), xcov], axis=1)
    xm = x.to_numpy(float)
    rank = np.linalg.matrix_rank(xm)
    if rank < xm.shape[1]:
        raise DataError(
            "the covariates are perfectly collinear with each other or with the group "
            f"({', '.join(map(repr, xcov.columns))}); remove redundant columns."
        )
    if len(y) - xm.shape[1] < 2:
        raise InsufficientDataError(
            f"{len(y)} units for {xm.shape[1]} regression terms; use fewer covariates."
        )
    w = frame[study.weights].to_numpy(float) if study.weights else None
    model = sm.WLS(y, xm, weights=w) if w is not None else sm.OLS(y, xm)
    if study.cluster is not None:
        groups = pd.factorize(frame[study.cluster])[0]
        n_cl = len(np.unique(groups))
        if n_cl < 2:
            raise InsufficientDataError(f"cluster column {study.cluster!r} has one cluster; clustered errors need at least 2.")
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
        dfree = float(n_cl - 1)
        method = f"OLS, cluster-robust (CR1) SE, t({n_cl - 1})"
        diag["n_clusters"] = n_cl
        if n_cl < 30:
            notes.append(f"Only {n_cl} clusters: cluster-robust errors can be too small; "
                         "the wild cluster bootstrap (ci='auto' or 'wild') is safer.")
    else:
        fit = model.fit(cov_type="HC2", use_t=True)
        dfree = float(fit.df_resid)
        method = "OLS, HC2 SE" if w is None else "WLS, HC2 SE"
    est = float(fit.params[1])
    se = float(fit.bse[1])
    lo, hi, stat, p = t_test(est, se, dfree, conf_level)
    diag["r_squared"] = float(fit.rsquared)
    diag["covariate_terms"] = list(xcov.columns)
    yt, yc = y[t == 1], y[t == 0]
    es = (cox_index(yt, yc, conf_level) if study.binary
          else hedges_g(yt, yc, conf_level, diff=est))
    nt, nc = int((t == 1).sum()), int((t == 0).sum())
    draws = None
    info = {"method": method, "n_boot": None, "seed": None, "conf_level": conf_level}
    if ci not in ("auto", "analytic"):
        if ci in ("wild", "bca", "percentile", "basic", "studentized", "symmetric") and study.cluster:
            nuis = np.delete(xm, 1, axis=1)
            coef, *_ = np.linalg.lstsq(nuis, xm[:, 1], rcond=None)
            x_tilde = xm[:, 1] - nuis @ coef
            r = wild_cluster_bootstrap(x_tilde, np.asarray(fit.resid), frame[study.cluster].to_numpy(),
                                       estimate=est, std_error=se, nuisance=nuis, n_boot=n_boot,
                                       conf_level=conf_level, seed=seed)
            lo, hi, p, draws, info = r.conf_low, r.conf_high, r.p_value, r.draws, dict(r.info)
        elif ci == "permutation":
            raise MethodError("ci='permutation' is not available with covariates; use ci='analytic' "
                              "or a bootstrap.")
        else:
            raise MethodError(
                f"ci={ci!r} with covariates is available through the wild cluster bootstrap, which "
                "needs cluster=...; without clusters use ci='analytic' (HC2)."
            )
    return Estimate(
        estimate=est, std_error=se, conf_low=lo, conf_high=hi, conf_level=conf_level,
        p_value=p, statistic=stat, df=dfree, n_treated=nt, n_control=nc, design=design,
        estimand="ITT" if design == "randomized" else "regression-adjusted difference (ATT-type)",
        outcome=study.outcome, comparison=label, inference=info, diagnostics=diag,
        notes=tuple(notes), effect_size=es, draws=draws,
    )
