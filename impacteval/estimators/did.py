"""The ``did`` design: difference-in-differences.

Two periods (one ``pre`` and one ``post`` value, ``method="changes"``): the
difference between groups in the mean per-unit change, with a Welch interval
(and any bootstrap of units, stratified by group). Several periods
(``method="panel"``, the default then): a two-way fixed-effects panel model
with unit and period effects, estimated by linearmodels ``PanelOLS`` with
errors clustered by unit (or by ``cluster``) and t(G−1) intervals; event-time
coefficients relative to the last pre period and the joint pre-trend
(placebo) Wald test come from a second ``PanelOLS`` fit.

Large panels: from :data:`FAST_PANEL_ROWS` rows on (``engine="auto"``), both
panel models are fitted by the linear-time kernel :func:`impacteval._fast.panel_ols`
(exact two-way within transformation on integer codes with ``np.bincount``,
no dummy matrix), which gives the same coefficients, clustered standard
errors and Wald test as ``PanelOLS`` with its default small-sample
adjustment (tested to 1e-8). Below that size linearmodels does the work, so
the reference implementation is the one users meet on municipal data.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any, Literal

import numpy as np
import pandas as pd
from linearmodels.panel import PanelOLS
from scipy import stats

from .. import _fast
from ..errors import ArgumentError, DataError, InsufficientDataError, MethodError, bad_choice
from ..inference import (
    SumStatistic,
    permutation_test,
    studentized_permutation_test,
    wild_cluster_bootstrap,
)
from ..notes import Note
from ..periods import chronological
from ..results import Estimate, EstimateCollection
from ..roles import TREATED_COL, Study, check_variation, prepare
from ._common import (
    LARGE_DATA,
    apply_inference,
    check_common,
    collect,
    flag_regime,
    hedges_g,
    records_warnings,
    rescales_outcome,
    satterthwaite,
    t_test,
    welch,
)
from .before_after import unit_prepost
from .difference import diff_plan

__all__ = ["did", "FAST_PANEL_ROWS"]

#: rows from which ``engine="auto"`` fits the panel models with the linear-time
#: kernel (:mod:`impacteval._fast`) instead of linearmodels ``PanelOLS``; both give
#: the same numbers, the kernel is faster and leaner from about this size on
FAST_PANEL_ROWS = 20_000


@records_warnings
@rescales_outcome
def did(
    df: pd.DataFrame,
    *,
    outcome: str,
    unit: str | None = None,
    group: str | None = None,
    period: str,
    pre: Any = None,
    post: Any = None,
    start: str | None = None,
    panel: bool | None = None,
    covariates: list[str] | None = None,
    treated: Any = None,
    control: Any = None,
    cluster: str | None = None,
    method: str = "auto",
    scale: str = "absolute",
    conf_level: float = 0.95,
    ci: str = "auto",
    n_boot: int = 9999,
    seed: int | None = None,
    engine: Literal["auto", "linearmodels", "fast"] = "auto",
) -> Estimate | EstimateCollection:
    """Difference-in-differences: change in participants minus change in the
    comparison group (ATT under parallel trends).

    Parameters
    ----------
    df : DataFrame, dask DataFrame or path
        Long format, one row per unit and period. A ``dask.dataframe.DataFrame`` or
        the path of a Parquet dataset (data larger than memory, best partitioned by
        unit) is analysed from per-partition sums (:mod:`impacteval._dask`): the
        panel model with analytic errors clustered by unit, the same numbers as
        in memory; what needs the rows themselves is refused.
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
        Inference. Panel models: ``ci="analytic"`` (cluster-robust, t(G−1)),
        a wild cluster bootstrap-t (any bootstrap name), or ``"permutation"``:
        placebo-in-space over sets of comparison units (Conley & Taber 2011), the
        choice for a few treated units; two periods:
        Welch, bootstraps of units by group, or ``"permutation"`` of group
        labels.
    start : str, optional
        Staggered entry: each unit's first treated period (missing = never
        starts). Gives Callaway & Sant'Anna (2021) group-time effects (see
        :mod:`impacteval.estimators.staggered`); ``group``/``pre``/``post`` are
        not used (``pre``/``post``, when given, select the periods analysed), and
        ``control`` is ``"never"`` (default) or ``"not_yet"``.
        Standard errors are analytic (influence functions, clustered by unit);
        ``n_boot`` (at most 999) multiplier-bootstrap draws give the uniform
        event-time band.
    covariates : list of str, optional
        With ``start=``: conditional parallel trends (``method`` "dr", "reg" or
        "ipw", Sant'Anna & Zhao 2020). Repeated cross-sections: added to the
        regression, and their composition between periods is reported.
    panel : bool, optional
        ``False`` (or no ``unit``): repeated cross-sections, the regression DiD
        of :mod:`impacteval.estimators.did_rcs`.
    engine : {"auto", "linearmodels", "fast"}
        Who fits the panel models (``method="panel"``): linearmodels
        ``PanelOLS``, or the linear-time kernel of :mod:`impacteval._fast`
        (same estimates, standard errors and tests; O(rows) time and memory).
        ``"auto"``: the kernel from :data:`FAST_PANEL_ROWS` (20,000) analysed
        rows on, linearmodels below. The choice is recorded in
        ``inference["engine"]``.

    Returns
    -------
    Estimate or EstimateCollection
        ``design="did"``; ``tables["event_time"]`` with the event-time
        coefficients for panels; ``diagnostics`` with the pre-trend test.
        With **one treated unit** (a municipality, a school): the two-way FE
        estimate with placebo-in-space inference over the comparison units
        (Conley & Taber 2011; :mod:`impacteval.estimators.placebo`), never a
        cluster-robust error from one cluster; ``ci`` must be ``"auto"`` or
        ``"permutation"``.

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
    for accepts, run in LARGE_DATA:  # a Dask DataFrame or a Parquet dataset: larger than memory
        if accepts(df):
            return run(df, outcome=outcome, unit=unit, group=group, period=period, pre=pre,
                       post=post, treated=treated, control=control, cluster=cluster,
                       method=method, scale=scale, conf_level=conf_level, ci=ci, start=start,
                       panel=panel, covariates=covariates, engine=engine)
    routed = _dispatch(df, outcome=outcome, unit=unit, group=group, period=period, pre=pre,
                       post=post, start=start, panel=panel, treated=treated, control=control,
                       cluster=cluster, conf_level=conf_level, n_boot=n_boot, seed=seed,
                       scale=scale, covariates=covariates, method=method)
    if routed is not None:
        return routed
    check_common(conf_level, scale, ci, seed=seed, n_boot=n_boot)
    if method not in ("auto", "changes", "panel"):
        raise bad_choice("method", method, ("auto", "changes", "panel"))
    if engine not in ("auto", "linearmodels", "fast"):
        raise bad_choice("engine", engine, ("auto", "linearmodels", "fast"))
    if pre is None or post is None:
        raise ArgumentError(Note("err_did_prepost"))
    try:
        study = prepare(df, outcome=outcome, unit=unit, group=group, treated=treated,
                        control=control, period=period, pre=pre, post=post, cluster=cluster,
                        need=("unit", "group", "period"), min_units=1)
    except DataError as exc:
        if "must stay in one group" in str(exc):
            from .staggered import check_switching

            check_switching(df, unit, period, group, exc.args[0] if exc.args else str(exc))
        raise
    if study.units_in(study.data, True) < 2:
        # one treated unit: two-way FE estimate with placebo-in-space inference
        from .placebo import one_treated_did
        return collect([one_treated_did(study, study.arm(label), label, conf_level, ci, seed,
                                        scale=scale)
                        for label in study.comparison_labels])
    from .placebo import require_comparison_units
    require_comparison_units(study)
    if method == "auto":
        method = "changes" if (len(study.pre) == 1 and len(study.post) == 1) or scale == "relative" else "panel"
    if method == "panel" and scale == "relative":
        raise MethodError(Note("err_did_relative_panel"))
    if method == "panel" and ci == "permutation" and study.cluster is None:
        # few treated units: placebo-in-space permutation (Conley & Taber 2011)
        from .placebo import few_treated_did
        return collect([few_treated_did(study, study.arm(label), label, conf_level, n_boot, seed)
                        for label in study.comparison_labels])
    results = []
    for label in study.comparison_labels:
        frame = study.arm(label)
        if method == "changes":
            results.append(_changes(study, frame, label, scale, conf_level, ci, n_boot, seed))
        else:
            results.append(_panel(study, frame, label, conf_level, ci, n_boot, seed, engine))
    return collect(results)


def _as_list(x: Any) -> list:
    if x is None:
        return []
    if isinstance(x, (list, tuple, range, np.ndarray, pd.Index, pd.Series)):
        return list(x)
    return [x]


def _dispatch(df: pd.DataFrame, *, outcome, unit, group, period, pre, post, start, panel,
              treated, control, cluster, conf_level, n_boot, seed, scale, covariates,
              method) -> Estimate | None:
    """Route ``start=`` (staggered entry) and repeated cross-sections to their modules;
    refuse a treatment that switches on and off. ``None``: the classic two-group DiD."""
    from . import staggered

    if start is not None:
        if unit is None or panel is False:
            raise MethodError(Note("err_did_start_panel"))
        if scale != "absolute":
            raise MethodError(Note("err_did_start_absolute"))
        if cluster is not None and cluster != unit:
            raise MethodError(Note("err_did_start_cluster"))
        if control is None:
            control = "never"
        if treated is not None:
            raise ArgumentError(Note("err_did_start_treated"))
        if method not in ("auto", "dr", "reg", "ipw"):
            raise ArgumentError(Note("err_did_start_method", value=repr(method)))
        return staggered.staggered_did(
            df, outcome=outcome, unit=unit, period=period, start=start, control=control,
            conf_level=conf_level, n_boot=min(int(n_boot), 999) if n_boot else 0, seed=seed,
            covariates=covariates, method="dr" if method == "auto" else method,
            periods=None if pre is None and post is None else _as_list(pre) + _as_list(post))
    if unit is None or panel is False:
        if group is None:
            raise ArgumentError(Note("err_did_group_rcs"))
        if pre is None or post is None:
            raise ArgumentError(Note("err_did_prepost"))
        from .did_rcs import did_rcs
        if scale != "absolute":
            raise MethodError(Note("err_did_rcs_absolute"))
        return did_rcs(df, outcome=outcome, group=group, period=period, pre=pre, post=post,
                       treated=treated, control=control, cluster=cluster,
                       covariates=covariates, conf_level=conf_level)
    if group is None:
        raise ArgumentError(Note("err_did_group"))
    if covariates:
        raise MethodError(Note("err_did_covariates"))
    return None


def _changes(study: Study, frame: pd.DataFrame, label: str, scale: str, conf_level: float,
             ci: str, n_boot: int, seed: Any) -> Estimate:
    wide, missing = unit_prepost(study, frame)
    t = wide["treated"].to_numpy() == 1
    y0, y1 = wide["pre"].to_numpy(float), wide["post"].to_numpy(float)
    d = y1 - y0
    nt, nc = int(t.sum()), int((~t).sum())
    if nt < 2 or nc < 2:
        raise InsufficientDataError(Note("err_did_few", nt=nt, nc=nc, unit=study.unit))
    check_variation(d, study.outcome, what="change in outcome")
    diag: dict[str, Any] = {
        "mean_pre_treated": float(y0[t].mean()), "mean_post_treated": float(y1[t].mean()),
        "mean_pre_control": float(y0[~t].mean()), "mean_post_control": float(y1[~t].mean()),
        "dropped": {**study.dropped, **missing},
    }
    diag.update(_baseline(y0[t], y0[~t], study.binary))
    notes = [Note("assume_parallel")]
    if len(study.pre) == 1:
        notes.append(Note("one_pre_period"))
    perm = None
    if study.cluster is not None and scale == "absolute":
        return _changes_clustered(study, frame, wide, d, t, label, diag, notes, conf_level, ci,
                                  n_boot, seed)
    if study.cluster is not None:
        raise MethodError(Note("err_did_relative_cluster"))
    if scale == "absolute":
        est, se, dfree = welch(d[t], d[~t])
        lo, hi, stat, p = t_test(est, se, dfree, conf_level)
        plan = diff_plan(d[t], d[~t])
        method = "Welch t on unit changes"
        estimand = "ATT (difference in mean changes)"
        perm = partial(permutation_test, d[t], d[~t], n_perm=n_boot, conf_level=conf_level, seed=seed)
        sperm = partial(studentized_permutation_test, d[t], d[~t], n_perm=n_boot,
                        conf_level=conf_level, seed=seed)
        # WWC: the DiD over the pooled SD of the post-period outcome
        es = hedges_g(y1[t], y1[~t], conf_level, diff=est) if np.std(y1) > 0 else None
    else:
        comps = []
        est = 0.0
        for mask, sign in ((t, 1.0), (~t, -1.0)):
            if y0[mask].mean() == 0:
                raise InsufficientDataError(Note("err_did_zero_mean", outcome=study.outcome))
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
        sperm = None
        diag["percent_change_treated"] = 100 * (y1[t].mean() / y0[t].mean() - 1)
        diag["percent_change_control"] = 100 * (y1[~t].mean() / y0[~t].mean() - 1)
    nums, inf_info, draws = apply_inference(
        ci=ci, plan=plan, estimate=est, std_error=se, df=dfree, analytic=(lo, hi, stat, p),
        analytic_method=method, conf_level=conf_level, n_boot=n_boot, seed=seed, design="did",
        binary=study.binary, sizes=(nt, nc), permutation=perm, studentized_permutation=sperm,
        groups=(d[t], d[~t]) if scale == "absolute" else None)
    if inf_info.get("scheme") == "units":
        inf_info["scheme"] = "units resampled within each group (stratified)"
    if not study.binary and scale == "absolute":
        flag_regime(diag, notes, "did", (d[t], d[~t]), nums, ci)
    return Estimate(
        estimate=est, std_error=se, conf_low=nums["conf_low"], conf_high=nums["conf_high"],
        conf_level=conf_level, p_value=nums["p_value"], statistic=nums["statistic"], df=dfree,
        n_treated=nt, n_control=nc, design="did", estimand=estimand, outcome=study.outcome,
        comparison=label, scale=scale, inference=inf_info, diagnostics=diag, notes=tuple(notes),
        effect_size=es, draws=draws,
    )


def _changes_clustered(study: Study, frame: pd.DataFrame, wide: pd.DataFrame, d: np.ndarray,
                       t: np.ndarray, label: str, diag: dict, notes: list, conf_level: float,
                       ci: str, n_boot: int, seed: Any) -> Estimate:
    """Two-period DiD with errors clustered by ``cluster``: OLS of the unit change on the
    group (statsmodels, CR1) with t(G−1) intervals; bootstraps are wild cluster."""
    import statsmodels.api as sm

    from ..inference import wild_cluster_bootstrap

    cl = frame.groupby(study.unit)[study.cluster].first().reindex(wide.index)
    groups = pd.factorize(cl)[0]
    n_cl = int(len(np.unique(groups)))
    if n_cl < 2:
        raise InsufficientDataError(Note("err_did_one_cluster", column=study.cluster))
    few = _few_clusters(groups, n_cl, np.arange(len(d)), t.astype(float), study.cluster,
                        study.unit)
    x = np.column_stack([np.ones(len(d)), t.astype(float)])
    fit = sm.OLS(d, x).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    est, se = float(fit.params[1]), float(fit.bse[1])
    dfree = float(n_cl - 1)
    lo, hi, stat, p = t_test(est, se, dfree, conf_level)
    info: dict[str, Any] = {"method": f"OLS on unit changes, cluster-robust (CR1) SE by "
                                      f"{study.cluster!r}, t({n_cl - 1})",
                            "n_boot": None, "seed": None, "conf_level": conf_level}
    draws = None
    diag["n_clusters"] = n_cl
    if few is not None:
        notes.append(few)
        diag["few_clusters"] = True
    elif n_cl < 30:
        notes.append(Note("few_clusters", n=n_cl))
    if ci in ("permutation", "studentized_permutation"):
        raise MethodError(Note("err_did_permutation_clusters"))
    if ci not in ("auto", "analytic") or (few is not None and ci == "auto"):
        x_tilde = t.astype(float) - t.mean()
        r = wild_cluster_bootstrap(x_tilde, np.asarray(fit.resid), groups, estimate=est,
                                   std_error=se, nuisance=np.ones((len(d), 1)), n_boot=n_boot,
                                   conf_level=conf_level, seed=seed)
        lo, hi, p, draws, info = r.conf_low, r.conf_high, r.p_value, r.draws, dict(r.info)
        if ci == "auto":
            info["chosen_by"] = "auto"
    y1 = wide["post"].to_numpy(float)
    es = hedges_g(y1[t], y1[~t], conf_level, diff=est) if np.std(y1) > 0 else None
    return Estimate(
        estimate=est, std_error=se, conf_low=lo, conf_high=hi, conf_level=conf_level,
        p_value=p, statistic=stat, df=dfree, n_treated=int(t.sum()), n_control=int((~t).sum()),
        design="did", estimand="ATT (difference in mean changes)", outcome=study.outcome,
        comparison=label, inference=info, diagnostics=diag, notes=tuple(notes), effect_size=es,
        draws=draws,
    )


def _rel_did_plan(a0, a1, b0, b1) -> SumStatistic:
    """Difference of the groups' percent changes with its delta-method SE per replicate.

    Each group's sums are of values centred on its full-sample means (as in
    ``before_after._rel_plan``): raw Σy² at 10⁹ SEK would cancel catastrophically.
    """
    centres = []
    data = []
    for y0, y1 in ((a0, a1), (b0, b1)):
        m1, m0 = float(np.mean(y1)), float(np.mean(y0))
        a, b = y1 - m1, y0 - m0
        centres.append((m1, m0))
        data.append(np.column_stack([a, b, a**2, b**2, a * b]))

    def parts(s, n, j):
        m1, m0 = centres[j]
        sa, sb, saa, sbb, sab = (s[j][:, k] for k in range(5))
        mean1, mean0 = m1 + sa / n[j], m0 + sb / n[j]
        r = mean1 / mean0
        k_ = m1 - r * m0
        ss = saa - 2 * r * sab + r**2 * sbb + 2 * k_ * (sa - r * sb) + n[j] * k_**2
        var = (100 / mean0) ** 2 * np.maximum(ss / (n[j] - 1), 0) / n[j]
        return 100 * (r - 1), var

    def fn(s, n):
        return parts(s, n, 0)[0] - parts(s, n, 1)[0]

    def se_fn(s, n):
        return np.sqrt(parts(s, n, 0)[1] + parts(s, n, 1)[1])

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
           n_boot: int, seed: Any, engine: str) -> Estimate:
    y, u, p = study.outcome, study.unit, study.period
    periods = list(study.pre) + list(study.post)
    order = chronological(periods)
    last_pre = chronological(study.pre)[-1]
    ref = order.index(last_pre)
    tim = pd.Index(order).get_indexer(frame[p]).astype(np.intp)
    if (tim < 0).any():  # prepare() keeps only the pre and post rows; never taken
        keep = tim >= 0
        frame, tim = frame[keep], tim[keep]
    yv = frame[y].to_numpy(float)
    check_variation(yv, y)
    ent, n_units = _fast.codes(frame[u])
    n_per = len(order)
    post_codes = [order.index(v) for v in study.post]
    treat = frame[TREATED_COL].to_numpy(float)
    post = np.isin(tim, post_codes)
    unit_treat = np.zeros(n_units)
    unit_treat[ent] = treat
    nt = int(np.count_nonzero(unit_treat == 1))
    nc = n_units - nt
    clus_col = study.cluster or u
    if study.cluster is None:
        clus, n_cl = ent, n_units
    else:
        clus, n_cl = _fast.codes(frame[study.cluster])
    if n_cl < 2:
        raise InsufficientDataError(Note("err_did_one_cluster", column=clus_col))
    dfree = float(n_cl - 1)
    if engine == "auto":
        engine = "fast" if len(frame) >= FAST_PANEL_ROWS else "linearmodels"
    diag: dict[str, Any] = {"n_clusters": n_cl, "n_periods_pre": len(study.pre),
                            "n_periods_post": len(study.post), "dropped": dict(study.dropped)}
    notes = [Note("assume_parallel")]
    ent_counts = np.bincount(ent, minlength=n_units)
    if (ent_counts < n_per).any():
        diag["units_with_missing_periods"] = int(np.count_nonzero(ent_counts < n_per))
    # baseline equivalence on per-unit pre means
    pre_rows = ~post
    pre_cnt = np.bincount(ent[pre_rows], minlength=n_units)
    pre_sum = np.bincount(ent[pre_rows], weights=yv[pre_rows], minlength=n_units)
    has_pre = pre_cnt > 0
    pre_mean = pre_sum[has_pre] / pre_cnt[has_pre]
    diag.update(_baseline(pre_mean[unit_treat[has_pre] == 1], pre_mean[unit_treat[has_pre] == 0],
                          study.binary))
    # regressors participant × period function: the post indicator (ATT) and, with
    # more than two periods, one dummy per period except the last pre period (event time)
    ev_codes = [c for c in range(n_per) if c != ref]
    b_main = np.isin(np.arange(n_per), post_codes).astype(float)[:, None]
    b_ev = np.eye(n_per)[:, ev_codes] if n_per > 2 else None
    names = ["__d__"] + [f"__ev_{c}__" for c in ev_codes]
    _check_within_variation(yv, ent, n_units, y, u)
    few = (_few_clusters(clus, n_cl, ent, unit_treat, clus_col, u)
           if study.cluster is not None else None)
    if engine == "fast":
        fits = _fit_fast(yv, treat, b_main, b_ev, ent, tim,
                         None if study.cluster is None else clus, names)
        method = (f"two-way FE (exact within transformation, as PanelOLS), clustered SE by "
                  f"{clus_col!r}, t({n_cl - 1})")
    else:
        fits = _fit_linearmodels(frame[u].to_numpy(), tim, yv, treat, b_main, b_ev, clus, names)
        method = f"PanelOLS two-way FE, clustered SE by {clus_col!r}, t({n_cl - 1})"
    # small-sample factor: unit effects nested in the clusters are not counted
    nested = _units_nested(clus, ent, n_units)
    conv1 = _ssc_conversion(len(yv), n_units, n_per, 1, n_cl, nested)
    est, se = fits["estimate"], fits["std_error"] * conv1
    diag["small_sample_factor"] = ("G/(G-1)·(n-1)/(n-K), unit effects nested in the clusters "
                                   "not counted in K" if nested else
                                   "G/(G-1)·(n-1)/(n-K), all effects counted in K")
    lo, hi, stat, pval = t_test(est, se, dfree, conf_level)
    tables: dict[str, pd.DataFrame] = {}
    if b_ev is not None:
        q = stats.t(dfree).ppf(1 - (1 - conf_level) / 2)
        rows = []
        conv_ev = _ssc_conversion(len(yv), n_units, n_per, len(ev_codes), n_cl, nested)
        for j, c in enumerate(ev_codes):
            v = order[c]
            b, sb = float(fits["ev_params"][j]), float(fits["ev_se"][j]) * conv_ev
            rows.append({"period": v, "relative_to": last_pre, "pre": v in study.pre,
                         "estimate": b, "std_error": sb, "conf_low": b - q * sb,
                         "conf_high": b + q * sb})
        tables["event_time"] = pd.DataFrame(rows)
        pre_idx = [j for j, c in enumerate(ev_codes) if order[c] in study.pre]
        if pre_idx:
            k = len(pre_idx)
            try:
                f_stat = fits["wald_fn"](pre_idx) / k / conv_ev**2
            except (np.linalg.LinAlgError, ValueError):
                f_stat = float("nan")
            record_pretrend_f(diag, notes, f_stat, k, dfree)
        else:
            notes.append(Note("one_pre_period"))
        if len(study.pre) >= 2:
            tw = fits.get("twoway")
            if tw is not None and tw.dense:  # from the N × T cell sums the fit made
                diag.update(_pretrend_slope_cells(
                    tw, [order.index(v) for v in study.pre], unit_treat,
                    float(np.std(yv[pre_rows], ddof=1))))
            else:
                diag.update(_pretrend_slope(yv[pre_rows], ent[pre_rows], tim[pre_rows],
                                            treat[pre_rows]))
    else:
        notes.append(Note("one_pre_period"))
    draws = None
    info = {"method": method, "engine": engine, "n_boot": None, "seed": None,
            "conf_level": conf_level}
    if ci in ("permutation", "studentized_permutation"):
        raise MethodError(Note("err_did_ci_panel", ci=repr(ci)))
    if few is not None:
        notes.append(few)
        diag["few_clusters"] = True
    if ci not in ("auto", "analytic") or (few is not None and ci == "auto"):
        # wild cluster bootstrap-t: D residualised on unit and period effects (exact),
        # the model's residuals, and the unit-demeaned period dummies as nuisance
        wf = fits.get("fast_fit") or _fast.TwoWay(ent, tim).fit_unit_period(yv, treat, b_main)
        nuis = _demeaned_time_dummies(ent, tim, n_units, n_per)
        r = wild_cluster_bootstrap(wf.x_col(0), wf.resid, clus, estimate=est,
                                   std_error=se, nuisance=nuis, n_boot=n_boot,
                                   conf_level=conf_level, seed=seed)
        lo, hi, pval, draws, info = r.conf_low, r.conf_high, r.p_value, r.draws, dict(r.info)
        info["engine"] = engine
        if ci == "auto":
            info["chosen_by"] = "auto"
    return Estimate(
        estimate=est, std_error=se, conf_low=lo, conf_high=hi, conf_level=conf_level,
        p_value=pval, statistic=stat, df=dfree, n_treated=nt, n_control=nc, design="did",
        estimand="ATT (two-way fixed effects)", outcome=y, comparison=label, inference=info,
        diagnostics=diag, notes=tuple(notes), tables=tables, draws=draws,
        _sensitivity=_readonly({"event_time_vcov": None if fits.get("ev_cov") is None
                                else np.asarray(fits["ev_cov"]) * conv_ev ** 2}),
    )


#: below this many clusters the panel DiD's ``ci="auto"`` uses the wild cluster
#: bootstrap (Webb weights below 12 clusters) instead of the CR1 t interval
FEW_CLUSTERS = 12
#: fewer clusters with participants (or with comparison units) than this: no valid
#: clustered interval exists and the estimator refuses
MIN_CLUSTERS_PER_GROUP = 2


def record_pretrend_f(diag: dict, notes: list, f_stat: float, k: int, dfree: float) -> None:
    """The joint F test of the ``k`` pre-period event-time coefficients into ``diag`` (or a
    note that it cannot be computed); shared by the in-memory and the Dask paths."""
    if np.isfinite(f_stat):
        diag["pretrend_test_stat"] = f_stat
        diag["pretrend_p_value"] = float(stats.f.sf(f_stat, k, dfree))
        diag["pretrend_test"] = f"joint F test of {k} pre-period coefficient(s), clustered"
    else:
        diag["pretrend_test"] = "not computable (singular covariance of the pre-period coefficients)"
        notes.append(Note("pretrend_singular"))


def _units_nested(clus: np.ndarray, ent: np.ndarray, n_units: int) -> bool:
    """Whether every unit lies in one cluster (unit effects nested in the clusters)."""
    first = np.full(n_units, -1, dtype=np.intp)
    first[ent[::-1]] = clus[::-1]
    return bool((first[ent] == clus).all())


def _ssc_conversion(n: int, n_units: int, n_per: int, k: int, n_cl: int, nested: bool) -> float:
    """Factor turning linearmodels' clustered SE into the Stata/reghdfe/fixest convention.

    linearmodels ``PanelOLS`` (and :mod:`impacteval._fast`, which reproduces it)
    scales the clustered covariance by n/(n − N − T + 1 − k), counting the N unit
    effects even when they are nested in the clusters. Stata's ``xtreg, fe
    vce(cluster)``, ``reghdfe`` (Correia 2016) and ``fixest`` (Bergé 2018,
    ``fixef.K = "nested"``) do not count fixed effects nested in the clusters:
    G/(G − 1)·(n − 1)/(n − K) with K = k + T (the regressors, T − 1 period
    effects and the constant), or K = k + N + T − 1 when the units are not nested
    in the clusters. On a two-period panel this makes the SE the first-difference
    regression's cluster-robust SE up to (n − 1)/(n − K) (O(1/n)), where counting
    the nested unit effects inflates it by about √2.
    """
    old = n / (n - (n_units + n_per - 1) - k)
    big_k = k + n_per + (0 if nested else n_units - 1)
    new = n_cl / (n_cl - 1) * (n - 1) / (n - big_k)
    return math.sqrt(new / old)


def _check_within_variation(yv: np.ndarray, ent: np.ndarray, n_units: int, y: str,
                            u: str) -> None:
    """Refuse a panel DiD when the outcome never changes within any unit."""
    lo = np.full(n_units, np.inf)
    hi = np.full(n_units, -np.inf)
    np.minimum.at(lo, ent, yv)
    np.maximum.at(hi, ent, yv)
    if not (hi > lo).any():
        raise InsufficientDataError(Note("err_did_no_change", outcome=y, unit=u))


def _few_clusters(clus: np.ndarray, n_cl: int, ent: np.ndarray, unit_treat: np.ndarray,
                  clus_col: str, u: str) -> str | None:
    """Refuse, or return a note, when the clusters are too few for the CR1 t interval.

    With the participants in fewer than 2 clusters (or the comparison units), the
    cluster-robust variance has no information on the participants' own
    variation: it can be ~0 (a zero-width interval). No clustered method is valid
    then (MacKinnon & Webb 2017), so the estimator refuses. Below
    :data:`FEW_CLUSTERS` clusters ``ci="auto"`` uses the wild cluster bootstrap-t
    with Webb's six-point weights.
    """
    tr_rows = unit_treat[ent] == 1
    n_cl_t = len(np.unique(clus[tr_rows]))
    n_cl_c = len(np.unique(clus[~tr_rows]))
    if min(n_cl_t, n_cl_c) < MIN_CLUSTERS_PER_GROUP or n_cl < 4:
        raise InsufficientDataError(Note("err_did_few_clusters", column=clus_col, n=n_cl,
                                         nt=n_cl_t, nc=n_cl_c, need=MIN_CLUSTERS_PER_GROUP))
    if n_cl < FEW_CLUSTERS:
        return Note("few_clusters_webb", n=n_cl, column=clus_col)
    return None


def _absorbed_error(detail: str) -> InsufficientDataError:
    return InsufficientDataError(
        "the participants' post-period indicator is fully explained by the unit and period "
        f"effects ({detail}): no unit in one group is observed both before and after. Check "
        "the pre=/post= periods of the participants and of the comparison group."
    )


def _fit_fast(yv: np.ndarray, treat: np.ndarray, b_main: np.ndarray, b_ev: np.ndarray | None,
              ent: np.ndarray, tim: np.ndarray, clus: np.ndarray | None,
              names: list[str]) -> dict[str, Any]:
    """Both models (ATT and event time) with the linear-time kernel of :mod:`impacteval._fast`."""
    tw = _fast.TwoWay(ent, tim)
    try:
        fit = tw.fit_unit_period(yv, treat, b_main, clus, names=names[:1])
        efit = None if b_ev is None else tw.fit_unit_period(yv, treat, b_ev, clus,
                                                            names=names[1:])
    except ValueError as exc:
        raise _absorbed_error(str(exc)) from None
    out: dict[str, Any] = {"estimate": float(fit.params[0]), "std_error": float(fit.std_errors[0]),
                           "fast_fit": fit, "twoway": tw}
    if efit is not None:
        out["ev_params"], out["ev_se"] = efit.params, efit.std_errors
        out["ev_cov"] = np.asarray(efit.cov, dtype=float)
        out["wald_fn"] = efit.wald
    return out


def _fit_linearmodels(units: np.ndarray, tim: np.ndarray, yv: np.ndarray, treat: np.ndarray,
                      b_main: np.ndarray, b_ev: np.ndarray | None, clus: np.ndarray,
                      names: list[str]) -> dict[str, Any]:
    """Both models with linearmodels ``PanelOLS`` (the reference implementation)."""
    from linearmodels.panel.utility import AbsorbingEffectError

    index = pd.MultiIndex.from_arrays([units, tim], names=["unit", "__t__"])
    cols = {names[0]: treat * b_main[tim, 0]}
    if b_ev is not None:
        cols.update({c: treat * b_ev[tim, j] for j, c in enumerate(names[1:])})
    panel = pd.DataFrame({"__y__": yv, **cols}, index=index)
    clusters = pd.DataFrame({"c": clus}, index=index)
    try:
        fit = PanelOLS(panel["__y__"], panel[[names[0]]], entity_effects=True,
                       time_effects=True).fit(cov_type="clustered", clusters=clusters)
    except AbsorbingEffectError as exc:
        raise _absorbed_error(str(exc).splitlines()[0]) from None
    out: dict[str, Any] = {"estimate": float(fit.params[names[0]]),
                           "std_error": float(fit.std_errors[names[0]])}
    if b_ev is not None:
        ev_names = names[1:]
        try:
            efit = PanelOLS(panel["__y__"], panel[ev_names], entity_effects=True,
                            time_effects=True).fit(cov_type="clustered", clusters=clusters)
        except AbsorbingEffectError as exc:
            raise _absorbed_error(str(exc).splitlines()[0]) from None
        out["ev_params"] = efit.params[ev_names].to_numpy(float)
        out["ev_se"] = efit.std_errors[ev_names].to_numpy(float)
        out["ev_cov"] = efit.cov.loc[ev_names, ev_names].to_numpy(float)

        def wald(idx: list[int]) -> float:
            cs = [ev_names[i] for i in idx]
            return float(efit.wald_test(formula=", ".join(f"{c} = 0" for c in cs)).stat)

        out["wald_fn"] = wald
    return out


def _pretrend_slope(y: np.ndarray, ent: np.ndarray, tim: np.ndarray,
                    treat: np.ndarray) -> dict[str, float]:
    """The pre-period slope difference (:func:`impacteval.diagnostics.pretrend_slope`,
    the one definition shared with ``match`` and the ladder), from the pre-period rows."""
    from ..diagnostics import pretrend_slope, unit_slopes

    if len(y) < 2:
        return {}
    ids, slopes = unit_slopes(y, ent, tim)
    unit_t = np.zeros(int(ent.max()) + 1)
    unit_t[ent] = treat
    g = unit_t[ids.astype(np.intp)]
    res = pretrend_slope(slopes[g == 1], slopes[g == 0], float(np.std(y, ddof=1)))
    if res is None:
        return {}
    return {"pretrend_slope_diff": float(res.slope), "pretrend_slope_se": float(res.std_error),
            "pretrend_slope_diff_sd": float(res.slope_sd)}


def _pretrend_slope_cells(tw: _fast.TwoWay, pre_codes: list[int], unit_treat: np.ndarray,
                          sd: float) -> dict[str, float]:
    """As :func:`_pretrend_slope`, from the N × T cell sums of y and the cell counts that
    the linear-time fit has made already (no pass over the rows): a unit's slope is the
    OLS slope of its pre-period rows on the period's position, centred per unit."""
    from ..diagnostics import pretrend_slope

    pc = np.asarray(pre_codes, dtype=np.intp)
    cnt_cells = tw.C[:, pc]
    y_cells = tw.cached_y_cells()[:, pc]
    rank = pc.astype(float)
    cnt = cnt_cells.sum(axis=1)
    has = cnt > 0
    cnt_cells, y_cells, cnt = cnt_cells[has], y_cells[has], cnt[has]
    with np.errstate(invalid="ignore", divide="ignore"):
        tbar = (cnt_cells @ rank) / cnt
        ybar = y_cells.sum(axis=1) / cnt
        tc = rank[None, :] - tbar[:, None]
        y_cells -= ybar[:, None] * cnt_cells
        num = np.einsum("it,it->i", tc, y_cells)
        tc *= tc
        den = np.einsum("it,it->i", tc, cnt_cells)
        slopes = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    g = unit_treat[has]
    res = pretrend_slope(slopes[g == 1], slopes[g == 0], sd)
    if res is None:
        return {}
    return {"pretrend_slope_diff": float(res.slope), "pretrend_slope_se": float(res.std_error),
            "pretrend_slope_diff_sd": float(res.slope_sd)}


def _demeaned_time_dummies(ent: np.ndarray, tim: np.ndarray, n_units: int,
                           n_per: int) -> np.ndarray:
    """Unit-demeaned period dummies (periods 1..T−1), the wild bootstrap's nuisance."""
    counts = np.bincount(ent, minlength=n_units)
    out = np.empty((len(tim), max(n_per - 1, 0)))
    for j in range(1, n_per):
        out[:, j - 1] = _fast.demean((tim == j).astype(float), ent, n_units, counts)
    return out


def _readonly(arrays: dict[str, Any]) -> dict[str, np.ndarray]:
    """Read-only copies of the arrays kept for :mod:`impacteval.sensitivity` (None skipped)."""
    out = {}
    for k, v in arrays.items():
        if v is not None:
            a = np.array(v, dtype=float, copy=True)
            a.setflags(write=False)
            out[k] = a
    return out
