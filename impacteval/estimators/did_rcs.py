"""Difference-in-differences on repeated cross-sections (different people each period).

The regression DiD ``y = a + b·group + c·post + d·group×post (+ covariates)``
fitted by statsmodels OLS; ``d`` is the effect. Standard errors: HC2
(default), classical OLS (``vcov="classical"``, what textbooks print) or
cluster-robust CR1 by ``cluster``. Composition change between periods is checked
on the covariates: the standardised difference of each covariate's mean between
pre and post within each group is reported in ``diagnostics["composition"]``.

Nothing here is by hand beyond assembling the design matrix: statsmodels does the
fit and the covariance.

Reference: Wooldridge, J. M. (2020). *Introductory Econometrics: A Modern
Approach*, 7th ed., section 13.2 (Example 13.3, Kiel & McClain 1995).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ArgumentError, InsufficientDataError, bad_choice
from ..notes import Note
from ..results import Estimate
from ..roles import TREATED_COL, prepare

__all__ = ["did_rcs"]

Vcov = Literal["HC2", "classical", "cluster"]
_ROW = "__rcs_row__"


def did_rcs(
    df: pd.DataFrame,
    *,
    outcome: str,
    group: str,
    period: str,
    pre: Any,
    post: Any,
    treated: Any = None,
    control: Any = None,
    covariates: list[str] | None = None,
    cluster: str | None = None,
    vcov: Vcov | None = None,
    conf_level: float = 0.95,
) -> Estimate:
    """Regression DiD for repeated cross-sections.

    Parameters
    ----------
    df : DataFrame
        One row per person (or sale, pupil...) and period; no unit id needed.
    outcome, group, period : str
    pre, post : value or list of values of ``period``
    treated, control : optional labels of ``group`` (one control label).
    covariates : list of str, optional
    cluster : str, optional
        Cluster column; implies ``vcov="cluster"``.
    vcov : {"HC2", "classical", "cluster"}, optional
        Default HC2 (``"cluster"`` when ``cluster`` is given).
    conf_level : float

    Returns
    -------
    Estimate
        ``design="did"``, ``tables["coefficients"]`` with the whole regression.

    Examples
    --------
    >>> import pandas as pd, impacteval as ie
    >>> df = pd.DataFrame({"g": [1, 1, 1, 1, 0, 0, 0, 0] * 2,
    ...                    "t": [0] * 8 + [1] * 8,
    ...                    "y": [1., 2, 3, 2, 1, 2, 1, 2, 5, 6, 5, 6, 2, 3, 2, 3]})
    >>> r = ie.did(df, outcome="y", group="g", period="t", pre=0, post=1)
    >>> round(r.estimate, 3)
    2.5
    """
    import statsmodels.api as sm

    if vcov is None:
        vcov = "cluster" if cluster is not None else "HC2"
    if vcov not in ("HC2", "classical", "cluster"):
        raise bad_choice("vcov", vcov, ("HC2", "classical", "cluster"))
    if vcov == "cluster" and cluster is None:
        raise ArgumentError(Note("err_rcs_cluster"))
    if control is not None and isinstance(control, (list, tuple)) and len(control) > 1:
        raise ArgumentError(Note("err_rcs_one_control"))
    if not isinstance(df, pd.DataFrame):
        raise ArgumentError(Note("err_ladder_not_frame", got=type(df).__name__))
    # every row is its own unit (a person seen once); prepare() then validates the roles
    rows = df.assign(**{_ROW: np.arange(len(df))})
    study = prepare(rows, outcome=outcome, unit=_ROW, group=group, treated=treated, control=control,
                    period=period, pre=pre, post=post, covariates=covariates,
                    cluster=cluster, need=("group", "period"))
    d = study.data
    post_vals = set(study.post)
    is_post = d[period].isin(post_vals).to_numpy(float)
    g = d[TREATED_COL].to_numpy(float)
    y = d[outcome].to_numpy(float)
    covs = list(study.covariates)
    cells = {(a, b): int(((g == a) & (is_post == b)).sum()) for a in (0, 1) for b in (0, 1)}
    if min(cells.values()) < 2:
        raise InsufficientDataError(Note("err_rcs_cells", cells=str(cells), column=group))
    X = np.column_stack([np.ones(len(y)), g, is_post, g * is_post]
                        + [d[c].to_numpy(float) for c in covs])
    names = ["const", "group", "post", "group_x_post"] + covs
    fit_kw: dict[str, Any]
    if vcov == "cluster":
        groups = pd.factorize(d[study.cluster])[0]
        n_cl = int(groups.max()) + 1
        if n_cl < 2:
            raise InsufficientDataError(Note("err_rcs_one_cluster", column=cluster))
        fit_kw = {"cov_type": "cluster", "cov_kwds": {"groups": groups}, "use_t": True}
    elif vcov == "HC2":
        fit_kw = {"cov_type": "HC2"}
    else:
        fit_kw = {"cov_type": "nonrobust"}
    fit = sm.OLS(y, X).fit(**fit_kw)
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise InsufficientDataError(Note("err_rcs_collinear"))
    est, se = float(fit.params[3]), float(fit.bse[3])
    if vcov == "cluster":
        dfree: float | None = float(n_cl - 1)
        q = stats.t(dfree).ppf(1 - (1 - conf_level) / 2)
    elif vcov == "classical":
        dfree = float(fit.df_resid)
        q = stats.t(dfree).ppf(1 - (1 - conf_level) / 2)
    else:
        dfree = float(fit.df_resid)
        q = stats.t(dfree).ppf(1 - (1 - conf_level) / 2)
    stat = est / se if se > 0 else float("nan")
    p = float(2 * stats.t(dfree).sf(abs(stat))) if se > 0 else float("nan")
    coef = pd.DataFrame({"term": names, "estimate": np.asarray(fit.params),
                         "std_error": np.asarray(fit.bse)})
    diag: dict[str, Any] = {"dropped": dict(study.dropped), "rows_by_group_period": {
        f"{'treated' if a else 'control'}_{'post' if b else 'pre'}": v
        for (a, b), v in cells.items()},
        "r_squared": float(fit.rsquared)}
    comp = _composition(d, covs, g, is_post)
    notes = [Note("assume_rcs")]
    if comp:
        diag["composition"] = comp
        worst = max(abs(v) for grp in comp.values() for v in grp.values())
        diag["composition_max_abs_smd"] = worst
        if worst > 0.25:
            notes.append(Note("composition_changed", smd=worst))
    else:
        notes.append(Note("composition_unchecked"))
    method = {"HC2": "OLS, HC2 robust SE", "classical": "OLS, classical SE",
              "cluster": f"OLS, cluster-robust (CR1) SE by {cluster!r}, t({dfree:.0f})"}[vcov]
    return Estimate(
        estimate=est, std_error=se, conf_low=est - q * se, conf_high=est + q * se,
        conf_level=conf_level, p_value=p, statistic=stat, df=dfree,
        n_treated=int(cells[(1, 0)] + cells[(1, 1)]), n_control=int(cells[(0, 0)] + cells[(0, 1)]),
        design="did", estimand="ATT (regression DiD, repeated cross-sections)", outcome=outcome,
        comparison=study.comparison_labels[0] if study.comparison_labels else None,
        inference={"method": method, "vcov": vcov, "n_boot": None, "seed": None,
                   "conf_level": conf_level, "panel": False},
        diagnostics=diag, notes=tuple(notes), tables={"coefficients": coef},
    )


def _composition(d: pd.DataFrame, covs: list[str], g: np.ndarray,
                 is_post: np.ndarray) -> dict[str, dict[str, float]]:
    """Standardised difference of covariate means, post minus pre, within each group."""
    out: dict[str, dict[str, float]] = {}
    for name, mask in (("treated", g == 1), ("control", g == 0)):
        res = {}
        for c in covs:
            x = d[c].to_numpy(float)
            a, b = x[mask & (is_post == 1)], x[mask & (is_post == 0)]
            sd = np.sqrt((np.var(a, ddof=1) + np.var(b, ddof=1)) / 2) if len(a) > 1 and len(b) > 1 else 0.0
            res[c] = float((a.mean() - b.mean()) / sd) if sd > 0 else 0.0
        if res:
            out[name] = res
    return out
