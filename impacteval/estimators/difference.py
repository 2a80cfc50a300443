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
from ..inference import (
    SumStatistic,
    permutation_test,
    studentized_permutation_test,
    wild_cluster_bootstrap,
)
from ..notes import LangText, Note
from ..results import Estimate, EstimateCollection
from ..roles import ARM_COL, TREATED_COL, Study, check_variation, prepare
from ..texts import Count
from ._common import (
    apply_inference,
    check_common,
    collect,
    cox_index,
    flag_regime,
    hedges_g,
    records_warnings,
    rescales_outcome,
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
    const = [c for c in x.columns if _at_most_one_value(x[c])]
    return x.drop(columns=const)


def constant_covariates(frame: pd.DataFrame, covariates: tuple[str, ...]) -> list[str]:
    """Covariates with one value only in ``frame`` (they cannot adjust anything)."""
    return [c for c in covariates if _at_most_one_value(frame[c])]


def _at_most_one_value(s: pd.Series) -> bool:
    """Whether ``s`` has at most one distinct non-missing value (``nunique() <= 1``),
    by a min/max or one comparison pass instead of hashing every value (register size)."""
    v = s.dropna() if s.hasnans else s
    if not len(v):
        return True
    if pd.api.types.is_numeric_dtype(v) and not pd.api.types.is_bool_dtype(v):
        a = v.to_numpy()
        return bool(a.min() == a.max())
    return bool((v == v.iloc[0]).all())


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
@rescales_outcome
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
    check_common(conf_level, scale, ci, seed=seed, n_boot=n_boot)
    if period is not None and post is None:
        raise ArgumentError(Note("err_diff_post"))
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
            raise DataError(Note("err_diff_several_rows", column=study.unit))
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
        if not pd.api.types.is_numeric_dtype(s):
            continue
        x = s.to_numpy(float)
        fin = x[np.isfinite(x)] if np.isnan(x).any() else x
        if not len(fin) or fin.min() == fin.max():  # at most one value (no hash of n floats)
            continue
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
        notes.append(Note("no_baseline_cov" if study.covariates else "no_baseline"))
    if study.weights is not None or study.cluster is not None or study.covariates:
        if scale == "relative":
            raise MethodError(Note("err_diff_relative"))
        return _regression(study, frame, label, design, diag, notes, conf_level=conf_level,
                           ci=ci, n_boot=n_boot, seed=seed)
    plan = None
    perm = None
    sperm = None
    if scale == "absolute":
        sperm = partial(studentized_permutation_test, yt, yc, n_perm=n_boot,
                        conf_level=conf_level, seed=seed)
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
            raise InsufficientDataError(Note("err_diff_zero_mean", outcome=study.outcome))
        r = mt / mc
        vt, vc = np.var(yt, ddof=1) / nt, np.var(yc, ddof=1) / nc
        c = float(yc[0])
        est = 100 * float(np.mean(yt - c) - np.mean(yc - c)) / mc  # = 100·(r − 1), no cancellation
        se = 100 * math.sqrt(vt / mc**2 + r**2 * vc / mc**2)
        dfree = satterthwaite([(vt / mc**2, nt), (r**2 * vc / mc**2, nc)])
        lo, hi, stat, p = t_test(est, se, dfree, conf_level)
        analytic = (lo, hi, stat, p)
        method = "Welch t, delta method"
        if mt > 0 and bool((yt >= 0).all() and (yc >= 0).all()):
            # a ratio of non-negative means cannot fall below −100 %: the interval is made
            # for log(mt/mc) (delta method, Welch–Satterthwaite df; Hirschberg & Lye 2010)
            # and transformed back, so it stays in (−100 %, ∞)
            sl = math.sqrt(vt / mt**2 + vc / mc**2)
            dl = satterthwaite([(vt / mt**2, nt), (vc / mc**2, nc)])
            llo, lhi, lstat, lp = t_test(math.log(r), sl, dl, conf_level)
            analytic = (100 * math.expm1(llo), 100 * math.expm1(lhi), lstat, lp)
            method = "Welch t on the log ratio of means, delta method"
            diag["log_ratio_df"] = dl
        es = hedges_g(yt, yc, conf_level)
        plan = _rel_plan(yt, yc)
    nums, inf_info, draws = apply_inference(
        ci=ci, plan=plan, estimate=est, std_error=se, df=dfree, analytic=analytic,
        analytic_method=method, conf_level=conf_level, n_boot=n_boot, seed=seed, design=design,
        binary=study.binary, sizes=(nt, nc), permutation=perm,
        studentized_permutation=sperm, groups=(yt, yc))
    if inf_info.get("scheme") == "units":
        inf_info["scheme"] = "units resampled within each group (stratified)"
    if not study.binary:
        flag_regime(diag, notes, design, (yt, yc), nums, ci)
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
        warnings.warn(Note("constant_covariates", columns=", ".join(map(repr, const))),
                      AssumptionWarning, stacklevel=4)
        diag["constant_covariates_removed"] = const
    no_overlap = _disjoint_covariates(frame, study.covariates, t == 1)
    if no_overlap:
        warnings.warn(Note("no_overlap", columns=", ".join(map(repr, no_overlap))),
                      AssumptionWarning, stacklevel=4)
        diag["covariates_without_overlap"] = no_overlap
    if study.weights is not None:
        w_all = frame[study.weights].to_numpy(float)
        for mask, who_lt, key in (
                (t == 1, LangText(en="participants", sv="deltagare"), "treated"),
                (t == 0, LangText(en=f"comparison group {label!r}",
                                  sv=f"jämförelsegruppen {label!r}"), "control")):
            wg = w_all[mask]
            n_pos = int(np.count_nonzero(wg > 0))
            if n_pos < 2:
                raise InsufficientDataError(Note("err_diff_weights", column=study.weights,
                                                 n=n_pos, total=int(mask.sum()), who=who_lt))
            # Kish's effective sample size (Σw)²/Σw²
            diag[f"effective_n_{key}"] = float(wg.sum() ** 2 / np.sum(wg**2))
        zero = w_all <= 0
        if zero.any():
            diag["zero_weight_units_left_out"] = int(zero.sum())
            warnings.warn(Note("weights_zero_left_out", n=Count(int(zero.sum())),
                               column=study.weights), AssumptionWarning, stacklevel=4)
            frame = frame[~zero]
            y = frame[study.outcome].to_numpy(float)
            t = frame[TREATED_COL].to_numpy(float)
        if min(diag["effective_n_treated"], diag["effective_n_control"]) < 5:
            notes.append(Note("weights_concentrated", ess_t=diag["effective_n_treated"],
                              ess_c=diag["effective_n_control"]))
    # singletons (a category with one unit) have leverage 1: their residual is 0 and
    # HC2 divides by 1 − h = 0. They are dropped, as reghdfe and fixest do.
    frame, n_single = _drop_singletons(frame, study.covariates)
    if n_single:
        diag["singletons_dropped"] = n_single
        warnings.warn(Note("singletons", n=Count(n_single), columns=", ".join(
            repr(c) for c in _categorical(frame, study.covariates))),
            AssumptionWarning, stacklevel=4)
        y = frame[study.outcome].to_numpy(float)
        t = frame[TREATED_COL].to_numpy(float)
    absorb = None
    if study.cluster is None:
        n_levels = {c: frame[c].nunique() for c in _categorical(frame, study.covariates)}
        cats = [c for c, k in n_levels.items() if k > ABSORB_LEVELS]
        if cats:
            absorb = max(cats, key=lambda c: n_levels[c])
    dense_covs = tuple(c for c in study.covariates if c != absorb)
    xcov = covariate_matrix(frame, dense_covs)
    x = pd.concat([pd.Series(1.0, index=frame.index, name="const"),
                   pd.Series(t, index=frame.index, name="treated"), xcov], axis=1)
    xm = x.to_numpy(float)
    if xm.shape[1] > 2:
        # centred covariates: the same fit and the same treatment coefficient (there is an
        # intercept), without losing digits to an offset (x + 10⁸ with SD 10)
        xm[:, 2:] -= xm[:, 2:].mean(axis=0)
    codes_fe = None
    n_fe = 0
    if absorb is not None:
        codes_fe, uniq = pd.factorize(frame[absorb].astype(str))
        n_fe = len(uniq)
        diag["absorbed_fixed_effects"] = {"covariate": absorb, "levels": n_fe}
    # rank on centred columns (a covariate x + 10⁸ with SD 10 is not collinear)
    xr = xm[:, 1:] - xm[:, 1:].mean(axis=0) if codes_fe is None else \
        _within(xm[:, 1:], codes_fe, n_fe, None)
    scale_cols = np.where(np.std(xr, axis=0) > 0, np.std(xr, axis=0), 1.0)
    rank = np.linalg.matrix_rank(xr / scale_cols)
    if rank < xr.shape[1] or np.any(np.std(xr, axis=0) == 0):
        raise DataError(Note("err_diff_collinear", columns=", ".join(
            map(repr, list(xcov.columns) + ([absorb] if absorb else [])))))
    if len(y) - xm.shape[1] - max(n_fe - 1, 0) < 2:
        raise InsufficientDataError(Note("err_diff_terms", n=len(y),
                                         k=xm.shape[1] + max(n_fe - 1, 0)))
    w = frame[study.weights].to_numpy(float) if study.weights else None
    if study.cluster is not None:
        model = sm.WLS(y, xm, weights=w) if w is not None else sm.OLS(y, xm)
        groups = pd.factorize(frame[study.cluster])[0]
        n_cl = len(np.unique(groups))
        if n_cl < 2:
            raise InsufficientDataError(Note("err_did_one_cluster", column=study.cluster))
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
        dfree = float(n_cl - 1)
        method = f"OLS, cluster-robust (CR1) SE, t({n_cl - 1})"
        diag["n_clusters"] = n_cl
        if n_cl < 30:
            notes.append(Note("few_clusters_auto", n=n_cl))
        est = float(fit.params[1])
        se = float(fit.bse[1])
        resid = np.asarray(fit.resid)
        r2 = float(fit.rsquared)
    else:
        est, se, dfree, resid, r2, hc = _ols_hc2(y, xm, w, codes_fe, n_fe)
        method = ("OLS" if w is None else "WLS") + (", HC2 SE" if hc == "HC2" else
                                                    ", HC1 SE (HC2 undefined: leverage 1)")
        if absorb is not None:
            method += f", {n_fe} levels of {absorb!r} absorbed as fixed effects"
        if hc != "HC2":
            notes.append(Note("leverage_one"))
    lo, hi, stat, p = t_test(est, se, dfree, conf_level)
    diag["r_squared"] = r2
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
            r = wild_cluster_bootstrap(x_tilde, resid, frame[study.cluster].to_numpy(),
                                       estimate=est, std_error=se, nuisance=nuis, n_boot=n_boot,
                                       conf_level=conf_level, seed=seed)
            lo, hi, p, draws, info = r.conf_low, r.conf_high, r.p_value, r.draws, dict(r.info)
        elif ci in ("permutation", "studentized_permutation"):
            raise MethodError(Note("err_diff_ci_covariates", ci=repr(ci)))
        else:
            raise MethodError(Note("err_diff_ci_wild", ci=repr(ci)))
    return Estimate(
        estimate=est, std_error=se, conf_low=lo, conf_high=hi, conf_level=conf_level,
        p_value=p, statistic=stat, df=dfree, n_treated=nt, n_control=nc, design=design,
        estimand="ITT" if design == "randomized" else "regression-adjusted difference (ATT-type)",
        outcome=study.outcome, comparison=label, inference=info, diagnostics=diag,
        notes=tuple(notes), effect_size=es, draws=draws,
    )


#: a text covariate with more levels than this is absorbed as fixed effects (within
#: transformation) instead of expanded into dummy columns
ABSORB_LEVELS = 20


def _categorical(frame: pd.DataFrame, covariates: tuple[str, ...]) -> list[str]:
    return [c for c in covariates if not pd.api.types.is_numeric_dtype(frame[c])]


def _drop_singletons(frame: pd.DataFrame, covariates: tuple[str, ...]) -> tuple[pd.DataFrame, int]:
    """Drop units alone in a category of any text covariate, repeatedly (as reghdfe)."""
    cats = _categorical(frame, covariates)
    if not cats:
        return frame, 0
    keep = np.ones(len(frame), dtype=bool)
    while True:
        before = keep.sum()
        for c in cats:
            codes, _ = pd.factorize(frame[c].astype(str))
            cnt = np.bincount(codes[keep], minlength=codes.max() + 1)
            keep &= cnt[codes] > 1
        if keep.sum() == before:
            break
    n_drop = int((~keep).sum())
    return (frame[keep] if n_drop else frame), n_drop


def _within(v: np.ndarray, codes: np.ndarray, m: int, w: np.ndarray | None) -> np.ndarray:
    """``v`` minus its (weighted) mean within each level of ``codes`` (columns of 2-D v)."""
    v2 = v if v.ndim == 2 else v[:, None]
    ww = np.ones(len(codes)) if w is None else w
    den = np.bincount(codes, weights=ww, minlength=m)
    out = np.empty_like(v2, dtype=float)
    for j in range(v2.shape[1]):
        mean = np.bincount(codes, weights=ww * v2[:, j], minlength=m) / den
        out[:, j] = v2[:, j] - mean[codes]
    return out if v.ndim == 2 else out[:, 0]


def _ols_hc2(y: np.ndarray, xm: np.ndarray, w: np.ndarray | None, codes: np.ndarray | None,
             m: int) -> tuple[float, float, float, np.ndarray, float, str]:
    """(W)LS coefficient of column 1 of ``xm`` with its HC2 SE, in O(n·k²).

    With ``codes`` the levels of a categorical are absorbed by the within
    transformation (Frisch–Waugh–Lovell); the leverage of a row is then that of
    the within regression plus w_i/Σ_{j in its level} w_j (the fixed effects'
    projection), so HC2 equals the dense-dummy regression's HC2 (MacKinnon &
    White 1985). The leverages are row sums, never an n × n hat matrix (which
    statsmodels' HC2 forms). Rows of leverage 1 make HC2 undefined: HC1 then.
    """
    n = len(y)
    sw = np.ones(n) if w is None else np.sqrt(w)
    if codes is not None:
        xw = _within(xm[:, 1:], codes, m, w)  # the constant is absorbed
        yw = _within(y, codes, m, w)
        fe_lev = (np.ones(n) if w is None else w) / np.bincount(
            codes, weights=np.ones(n) if w is None else w, minlength=m)[codes]
        j = 0
    else:
        xw, yw, fe_lev, j = xm, y, np.zeros(n), 1
    xs, ys = xw * sw[:, None], yw * sw
    xtx = xs.T @ xs
    bread = np.linalg.inv(xtx)
    beta = bread @ (xs.T @ ys)
    e = ys - xs @ beta
    h = np.einsum("ij,ij->i", xs @ bread, xs) + fe_lev
    k = xs.shape[1] + (m if codes is not None else 0)
    df_resid = n - k
    if np.any(h > 1 - 1e-10):
        omega = e**2 * n / df_resid
        kind = "HC1"
    else:
        omega = e**2 / (1 - h)
        kind = "HC2"
    meat = (xs * omega[:, None]).T @ xs
    cov = bread @ meat @ bread
    resid = (e / sw) if w is not None else e
    yy = y * sw
    ybar = np.sum(yy * sw) / np.sum(sw**2)
    sst = float(np.sum((yy - ybar * sw) ** 2))
    r2 = 1 - float(e @ e) / sst if sst > 0 else float("nan")
    return float(beta[j]), float(math.sqrt(cov[j, j])), float(df_resid), resid, r2, kind
