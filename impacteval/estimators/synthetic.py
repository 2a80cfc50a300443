"""The ``synthetic_control`` design: one treated unit against a weighted mix of donors.

Abadie, Diamond & Hainmueller (2010) and Abadie & Gardeazabal (2003): the
synthetic unit is the convex combination of comparison units ("donors") whose
pre-period outcomes (or predictors) come closest to the treated unit's; the
gap after the start estimates the effect on the treated unit.

The weights solve the convex quadratic programme
``min_w ||x1 - X0 w||²  s.t. w >= 0, sum(w) = 1``. It is solved exactly, not
by a general optimiser that may stop early: with ``A = X0 - x1 1ᵀ`` the
problem is the minimum-norm point of the convex hull of A's columns, and the
non-negative least-squares problem ``min_{u>=0} ||A u||² + (1 - 1ᵀu)²`` (scipy's
Lawson–Hanson active-set ``nnls``, exact at its optimum) gives it as
``w = u / 1ᵀu`` — for any ``s = 1ᵀu`` the objective is ``s²||A w||² + (1 - s)²``,
minimised over the simplex by the same ``w``; on the support it finds, one affine
least-squares solve polishes ``w`` to rounding. The tests check the optimum
against scipy's ``trust-constr`` and SLSQP and against pysyncon.

With ``covariates``, the predictors (each averaged over its periods and divided by
its standard deviation across units, as in R's Synth and pysyncon) are matched
with a diagonal weight matrix V chosen, as in Abadie et al. (2010), to minimise
the pre-period outcome error; that outer problem is not convex, so it is solved
by Nelder–Mead from two starts (equal weights and a regression-based start)
and the better optimum is kept.

Inference is placebo-in-space (:mod:`impacteval.estimators.placebo`): each donor
in turn is treated as if it had been treated, the post/pre RMSPE ratio of the
real unit is ranked among the placebos' (the p-value), and the interval for
the average post-period gap inverts the placebo rank test of that gap.
``method="sdid"`` gives the synthetic difference-in-differences of Arkhangelsky,
Athey, Hirshberg, Imbens & Wager (2021): unit and time weights (each an exact
simplex QP with an intercept and a ridge term), then a weighted DiD; on
California's Proposition 99 it gives their published -15.6.

Hand-written: the weights' reformulation, the V search, the SDID weights and the
placebo loop; scipy does the optimisation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize

from ..errors import ArgumentError, InsufficientDataError, MissingColumnError, bad_choice
from ..notes import Level, Note
from ..results import Estimate, to_jsonable
from ..roles import match_label, numeric_column, prepare
from ._common import check_common, records_warnings
from .placebo import balanced_matrix, min_placebos, placebo_interval, rank_p_value

__all__ = ["synthetic", "simplex_weights", "SyntheticEstimate"]

#: weights below this are reported as zero (donors "not used")
WEIGHT_TOL = 1e-6


def simplex_weights(x1: np.ndarray, x0: np.ndarray, v: np.ndarray | None = None) -> np.ndarray:
    """Exact minimiser of ``(x1 - x0 w)ᵀ diag(v) (x1 - x0 w)`` over the simplex.

    Parameters
    ----------
    x1 : array (k,)
        The treated unit's values.
    x0 : array (k, J)
        The donors' values, one column per donor.
    v : array (k,), optional
        Non-negative row weights (default: all 1).

    Returns
    -------
    ndarray (J,)
        Non-negative weights summing to 1.
    """
    x1 = np.asarray(x1, float)
    x0 = np.asarray(x0, float)
    a = x0 - x1[:, None]
    if v is not None:
        a = a * np.sqrt(np.asarray(v, float))[:, None]
    j = a.shape[1]
    if j == 1:
        return np.ones(1)
    scale = float(np.sqrt(np.mean(a**2)) * np.sqrt(a.shape[0])) or 1.0
    e = np.vstack([a / scale, np.ones((1, j))])
    f = np.zeros(a.shape[0] + 1)
    f[-1] = 1.0
    u, _ = optimize.nnls(e, f, maxiter=50 * j)
    s = u.sum()
    if s <= 0:  # cannot happen (u = 0 has objective 1, a small s > 0 less); be safe
        return np.full(j, 1.0 / j)
    w = u / s
    w[w < 0] = 0.0
    w /= w.sum()
    # polish: on the support found, the optimum is an affine least-squares problem (exact to
    # rounding); keep it when it stays on the simplex and lowers the loss
    on = np.flatnonzero(w > 0)
    if len(on) > 1:
        b = a[:, on]
        z, *_ = np.linalg.lstsq(b[:, 1:] - b[:, :1], -b[:, 0], rcond=None)
        cand = np.zeros(j)
        cand[on] = np.r_[1.0 - z.sum(), z]
        if cand.min() >= 0 and np.sum((a @ cand) ** 2) <= np.sum((a @ w) ** 2):
            w = cand / cand.sum()
    return w


def _standardise(z: np.ndarray) -> np.ndarray:
    """Divide each predictor (row) by its SD across all units (ddof=1, as Synth)."""
    sd = z.std(axis=1, ddof=1)
    sd[~(sd > 0)] = 1.0
    return z / sd[:, None]


def _fit_v(z1: np.ndarray, z0: np.ndarray, y1: np.ndarray, y0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Diagonal V (on the simplex) minimising the pre-period outcome MSE of w(V)."""
    k = len(z1)

    def weights(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        v = np.abs(x) / max(np.sum(np.abs(x)), 1e-300)
        return v, simplex_weights(z1, z0, v)

    def loss(x: np.ndarray) -> float:
        _, w = weights(x)
        r = y1 - y0 @ w
        return float(r @ r / len(r))

    starts = [np.full(k, 1.0 / k)]
    # regression-based start (pysyncon's "ols"): squared coefficients of outcomes on predictors
    xz = np.column_stack([np.ones(z0.shape[1] + 1), np.hstack([z0, z1[:, None]]).T])
    yz = np.hstack([y0, y1[:, None]])
    beta, *_ = np.linalg.lstsq(xz, yz.T, rcond=None)
    b2 = np.sum(beta[1:] ** 2, axis=1)
    if np.all(np.isfinite(b2)) and b2.sum() > 0:
        starts.append(b2 / b2.sum())
    best = None
    for s in starts:
        r = optimize.minimize(loss, s, method="Nelder-Mead",
                              options={"maxiter": 400 * k, "xatol": 1e-8, "fatol": 1e-12})
        if best is None or r.fun < best.fun:
            best = r
    return weights(best.x)


@dataclass(frozen=True, slots=True, kw_only=True)
class SyntheticEstimate(Estimate):
    """An :class:`~impacteval.results.Estimate` of a one-treated-unit design with a plot of
    the treated and synthetic series and the placebo gaps."""

    def plot(self, ax=None, lang: str = "en"):  # type: ignore[override]
        """Treated and synthetic series (top) and the gaps with the placebos' (bottom).

        Parameters
        ----------
        ax : sequence of two Axes, optional
        lang : {"en", "sv"}

        Returns
        -------
        matplotlib Figure
        """
        import matplotlib.pyplot as plt

        if lang not in ("en", "sv"):
            raise ArgumentError(Note("err_lang", value=repr(lang)))
        t = _PLOT_TEXT[lang]
        if ax is None:
            fig, axes = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
        else:
            axes = list(ax)
            fig = axes[0].figure
        s = self.tables["series"]
        x = np.arange(len(s))
        start = int(np.flatnonzero(s["post"].to_numpy())[0]) - 0.5
        axes[0].plot(x, s["treated"], color="black", lw=2, label=t["treated"])
        axes[0].plot(x, s["synthetic"], color="tab:blue", ls="--", lw=2,
                     label=t["synthetic"] if self.design == "synthetic_control" else t["comparison"])
        axes[0].axvline(start, color="0.4", ls=":", lw=1)
        axes[0].set_ylabel(self.outcome)
        axes[0].legend(loc="best", fontsize=8)
        pg = self.tables.get("placebo_gaps")
        if pg is not None and len(pg):
            for _, g in pg.groupby("placebo", sort=False):
                axes[1].plot(x, g["gap"].to_numpy(), color="0.75", lw=0.8)
            axes[1].plot([], [], color="0.75", lw=0.8, label=t["placebos"])
        axes[1].plot(x, s["gap"], color="black", lw=2, label=t["gap"])
        axes[1].axhline(0, color="0.3", lw=0.8)
        axes[1].axvline(start, color="0.4", ls=":", lw=1)
        axes[1].set_ylabel(t["gap_axis"])
        axes[1].legend(loc="best", fontsize=8)
        labels = [str(v) for v in s["period"]]
        step = max(1, len(labels) // 10)
        axes[1].set_xticks(x[::step], labels[::step], rotation=45, ha="right")
        axes[1].set_xlabel(t["period"])
        axes[0].set_title(f"{t['title']}: {self.estimate:.3g} "
                          f"[{self.conf_low:.3g}, {self.conf_high:.3g}], p = {self.p_value:.2g}")
        fig.tight_layout()
        return fig

    def to_dict(self) -> dict[str, Any]:  # type: ignore[override]
        """As :meth:`Estimate.to_dict`, without unit labels (donors are numbered)."""
        out = Estimate.to_dict(self)
        out["tables"] = {k: to_jsonable(v.drop(columns=["unit"], errors="ignore"))
                         for k, v in self.tables.items()}
        return out


_PLOT_TEXT = {
    "en": {"treated": "treated unit", "synthetic": "synthetic control",
           "comparison": "comparison mean", "placebos": "placebo units", "gap": "treated unit",
           "gap_axis": "gap (treated − synthetic)", "period": "period",
           "title": "average gap after the start"},
    "sv": {"treated": "insatsenheten", "synthetic": "syntetisk kontroll",
           "comparison": "jämförelsemedelvärde", "placebos": "placeboenheter",
           "gap": "insatsenheten", "gap_axis": "skillnad (faktisk − syntetisk)",
           "period": "period", "title": "genomsnittlig skillnad efter starten"},
}


def sdid_weights(y: np.ndarray, is_post: np.ndarray, treat: int,
                 pool: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, float]:
    """Synthetic difference-in-differences (Arkhangelsky et al. 2021) for one treated unit.

    ``y`` is periods × units. Unit weights ω (simplex, with an intercept, ridge
    ``T0 ζ²``, ζ = (T_post)^(1/4) σ, σ the SD of the controls' first differences
    before the start) match the treated unit's pre-period path; time weights λ
    (simplex, intercept, ridge ``N0 (1e-6 σ)²``) match the controls' post-period
    mean. Both are the exact optima (:func:`simplex_weights` on the ridge-augmented,
    centred problem; the reference implementation stops a Frank–Wolfe search early
    and sparsifies). Returns ``(tau, omega, lam, zeta)``.
    """
    pre, post = ~is_post, is_post
    y0pre, y0post = y[pre][:, pool], y[post][:, pool]
    t0, n0 = int(pre.sum()), len(pool)
    sigma = float(np.std(np.diff(y0pre, axis=0), ddof=1)) if t0 > 1 else 0.0
    zeta = float(post.sum()) ** 0.25 * sigma
    # unit weights: rows = pre periods, intercept -> centre each unit's series over time
    a = y0pre - y0pre.mean(axis=0)
    b = y[pre, treat] - y[pre, treat].mean()
    ridge = math.sqrt(t0) * zeta
    omega = simplex_weights(np.r_[b, np.zeros(n0)], np.vstack([a, ridge * np.eye(n0)]))
    # time weights: rows = control units, intercept -> centre each period over units
    at = y0pre.T - y0pre.T.mean(axis=0)
    bt = y0post.mean(axis=0) - y0post.mean()
    ridge_t = math.sqrt(n0) * 1e-6 * sigma
    lam = simplex_weights(np.r_[bt, np.zeros(t0)], np.vstack([at, ridge_t * np.eye(t0)]))
    tr = y[post, treat].mean() - y[pre, treat] @ lam
    co = y0post.mean(axis=0) - lam @ y0pre
    return float(tr - co @ omega), omega, lam, zeta


def _sdid_estimate(y, is_post, t_row, donors, units, periods, outcome, conf_level, placebo,
                   seed, diag_base) -> SyntheticEstimate:
    tau, omega, lam, zeta = sdid_weights(y, is_post, t_row, donors)
    pre = ~is_post
    # the synthetic series: donors weighted by omega, shifted by the lambda-weighted
    # pre-period level difference (the intercept of the design)
    synth0 = y[:, donors] @ omega
    shift = float(lam @ (y[pre, t_row] - synth0[pre]))
    synth = synth0 + shift
    gap = y[:, t_row] - synth
    j = len(donors)
    diag = dict(diag_base)
    diag.update({"pre_rmspe": float(np.sqrt(np.mean(gap[pre] ** 2))),
                 "n_donors_weighted": int(np.count_nonzero(omega > WEIGHT_TOL)),
                 "zeta_omega": zeta, "n_periods_weighted": int(np.count_nonzero(lam > WEIGHT_TOL))})
    tables = {
        "weights": pd.DataFrame({"unit": units[donors], "weight": np.where(
            omega > WEIGHT_TOL, omega, 0.0)}).sort_values("weight", ascending=False,
                                                          kind="stable").reset_index(drop=True),
        "time_weights": pd.DataFrame({"period": list(periods[pre]), "weight": np.where(
            lam > WEIGHT_TOL, lam, 0.0)}),
        "series": pd.DataFrame({"period": list(periods), "treated": y[:, t_row],
                                "synthetic": synth, "gap": gap, "post": is_post}),
    }
    notes = [Note("assume_sdid")]
    lo = hi = p = se = float("nan")
    draws = None
    info: dict[str, Any] = {"method": "synthetic DiD, no placebo inference", "n_boot": None,
                            "seed": seed, "conf_level": conf_level}
    if placebo:
        taus, pgaps = [], []
        for k, c in enumerate(donors):
            pool = np.setdiff1d(donors, [c])
            tk, ok, lk, _ = sdid_weights(y, is_post, c, pool)
            taus.append(tk)
            s0 = y[:, pool] @ ok
            g = y[:, c] - s0 - float(lk @ (y[pre, c] - s0[pre]))
            pgaps.append(pd.DataFrame({"placebo": k + 1, "unit": units[c],
                                       "period": list(periods), "gap": g}))
        taus_a = np.array(taus)
        p = rank_p_value(abs(tau), np.abs(taus_a))
        lo, hi = placebo_interval(tau, taus_a, conf_level)
        se = float(np.std(taus_a, ddof=1))
        draws = tau - taus_a
        diag["placebo_rank"] = int(1 + np.count_nonzero(np.abs(taus_a) > abs(tau)))
        diag["n_placebos"] = j
        tables["placebo_gaps"] = pd.concat(pgaps, ignore_index=True)
        tables["placebos"] = pd.DataFrame({"placebo": np.arange(1, j + 1),
                                           "unit": units[donors], "estimate": taus_a})
        info = {"method": f"synthetic DiD, placebo-in-space over {j} donors: p = rank of "
                          "|estimate|; interval by inverting the placebo test",
                "n_boot": j, "seed": seed, "conf_level": conf_level, "n_placebos": j}
        if not math.isfinite(lo):
            notes.append(Note("donors_unbounded", j=j, level=Level(conf_level),
                              need=min_placebos(conf_level)))
    return SyntheticEstimate(
        estimate=tau, std_error=se, conf_low=lo, conf_high=hi, conf_level=Level(conf_level),
        p_value=p, statistic=None, df=None, n_treated=1, n_control=j,
        design="synthetic_control", estimand="average post-period effect on the treated unit "
        "(synthetic DiD)", outcome=outcome, comparison="synthetic DiD", inference=info,
        diagnostics=diag, notes=tuple(notes), tables=tables, draws=draws)


def _covariate_matrix(df: pd.DataFrame, unit: str, period: str, units: Sequence,
                      covariates: Mapping[str, Any], pre: tuple) -> tuple[np.ndarray, list[str]]:
    """Predictors × units: each covariate averaged over its periods (missing values skipped)."""
    rows, names = [], []
    pvals = df[period]
    for col, periods in covariates.items():
        if col not in df.columns:
            raise MissingColumnError(Note("err_stag_no_covariate", column=col))
        vals = numeric_column(df, col, "covariate")
        per = pre if periods is None else tuple(match_label(pvals, p, f"periods of covariate {col}",
                                                            period) for p in periods)
        keep = pvals.isin(list(per)).to_numpy()
        means = vals[keep].groupby(df.loc[keep, unit]).mean().reindex(units)
        if means.isna().any():
            n = int(means.isna().sum())
            raise InsufficientDataError(Note("err_sc_covariate_gap", column=col,
                                             periods=str(list(per)[:6]), n=n))
        rows.append(means.to_numpy(float))
        names.append(f"{col}" if periods is None else f"{col} ({_span(per)})")
    return np.vstack(rows), names


def _span(per: tuple) -> str:
    return str(per[0]) if len(per) == 1 else f"{per[0]}–{per[-1]}"


@records_warnings
def synthetic(
    df: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    period: str,
    group: str,
    pre: Any,
    post: Any,
    treated: Any = None,
    covariates: Sequence[str] | Mapping[str, Sequence | None] | None = None,
    method: Literal["sc", "sdid"] = "sc",
    conf_level: float = 0.95,
    placebo: bool = True,
    leave_one_out: bool = True,
    seed: int | None = None,
) -> SyntheticEstimate:
    """Synthetic control (Abadie, Diamond & Hainmueller 2010) for one treated unit.

    Parameters
    ----------
    df : DataFrame
        Long format, one row per unit and period (e.g. municipality × month).
    outcome, unit, period, group : str
        Columns. ``group`` marks the treated unit with ``treated``; every other
        unit is a donor.
    pre, post : list of values of ``period``
        The periods the weights are fitted on, and the periods after the start.
    treated : optional
        The value of ``group`` for the treated unit (default 1/True).
    covariates : list of str or dict, optional
        Predictors to match instead of the pre-period outcomes. A list averages
        each column over the ``pre`` periods; a dict ``{column: periods}`` gives
        each its own periods (``None`` = the pre periods); the outcome column
        may appear with chosen periods. The predictor weights V are chosen to
        minimise the pre-period outcome error.
    method : {"sc", "sdid"}
        ``"sc"``: the synthetic control of Abadie et al. (2010). ``"sdid"``: the
        synthetic difference-in-differences of Arkhangelsky et al. (2021) (unit and
        time weights with an intercept and a ridge penalty, then a weighted DiD;
        no covariates); its placebo p-value ranks ``|estimate|``.
    conf_level : float
    placebo : bool
        Run the placebo-in-space inference (one synthetic control per donor).
    leave_one_out : bool
        Refit without each donor that has weight, for ``tables["leave_one_out"]``.
    seed : int, optional
        Recorded only: the method uses no random numbers.

    Returns
    -------
    SyntheticEstimate
        ``design="synthetic_control"``; ``estimate`` = average post-period gap;
        ``p_value`` = rank of the post/pre RMSPE ratio among the placebos;
        ``tables``: ``weights``, ``series`` (treated, synthetic, gap per period),
        ``placebo_gaps``, ``leave_one_out``, and ``predictors`` with covariates;
        ``diagnostics["pre_rmspe"]`` and the placebo rank.

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_teaching("synthetic_control")
    >>> r = ie.synthetic(df, outcome="care_cost_ksek", unit="municipality", period="month",
    ...                  group="project", treated=1, pre=list(range(1, 25)),
    ...                  post=list(range(25, 37)))
    >>> bool(abs(r.tables["weights"]["weight"].sum() - 1) < 1e-9)
    True
    """
    check_common(conf_level, "absolute", "auto")
    if pre is None or post is None:
        raise ArgumentError(Note("err_sc_prepost"))
    study = prepare(df, outcome=outcome, unit=unit, group=group, treated=treated,
                    period=period, pre=pre, post=post, need=("unit", "group", "period"),
                    min_units=1)
    wide, tu, dropped = balanced_matrix(study, study.data, what="synthetic control")
    units = wide.index.to_numpy()
    t_row = int(np.flatnonzero(units == tu)[0])
    donors = np.setdiff1d(np.arange(len(units)), [t_row])
    j = len(donors)
    if j < 2:
        raise InsufficientDataError(Note("err_sc_donors", column=group, j=j))
    y = wide.to_numpy().T  # periods × units
    is_post = np.isin(wide.columns.to_numpy(), np.asarray(study.post, dtype=object))
    if (~is_post).sum() < 2:
        raise InsufficientDataError(Note("err_sc_pre", n=int((~is_post).sum())))
    if method not in ("sc", "sdid"):
        raise bad_choice("method", method, ("sc", "sdid"))
    if method == "sdid":
        if covariates is not None:
            raise ArgumentError(Note("err_sc_sdid_covariates"))
        base = {"n_donors": j, "n_periods_pre": int((~is_post).sum()),
                "n_periods_post": int(is_post.sum()),
                "dropped": {**study.dropped, **dropped}}
        return _sdid_estimate(y, is_post, t_row, donors, units, wide.columns.to_numpy(),
                              outcome, conf_level, placebo, seed, base)
    cov_map: dict[str, Any] | None = None
    z_all = None
    pred_names: list[str] = []
    if covariates is not None:
        if isinstance(covariates, Mapping):
            cov_map = {str(k): v for k, v in covariates.items()}
        elif isinstance(covariates, str):
            cov_map = {covariates: None}
        else:
            cov_map = {str(c): None for c in covariates}
        if not cov_map:
            raise ArgumentError(Note("err_sc_covariates_empty"))
        z_raw, pred_names = _covariate_matrix(df, unit, period, units, cov_map, study.pre)
        z_all = _standardise(z_raw)

    def fit(treat: int, pool: np.ndarray, v: np.ndarray | None = None):
        y1, y0 = y[~is_post, treat], y[~is_post][:, pool]
        if z_all is None:
            return simplex_weights(y1, y0), None
        z1, z0 = z_all[:, treat], z_all[:, pool]
        if v is not None:
            return simplex_weights(z1, z0, v), v
        v_opt, w = _fit_v(z1, z0, y1, y0)
        return w, v_opt

    w, v = fit(t_row, donors)
    synth = y[:, donors] @ w
    gap = y[:, t_row] - synth
    est = float(gap[is_post].mean())
    pre_rmspe = float(np.sqrt(np.mean(gap[~is_post] ** 2)))
    post_rmspe = float(np.sqrt(np.mean(gap[is_post] ** 2)))
    ratio = post_rmspe / pre_rmspe if pre_rmspe > 0 else math.inf
    y1pre = y[~is_post, t_row]
    ss = float(np.sum((y1pre - y1pre.mean()) ** 2))
    diag: dict[str, Any] = {
        "pre_rmspe": pre_rmspe, "post_rmspe": post_rmspe, "rmspe_ratio": ratio,
        "pre_fit_r2": 1 - float(np.sum(gap[~is_post] ** 2)) / ss if ss > 0 else float("nan"),
        "pre_rmspe_relative": pre_rmspe / abs(float(y1pre.mean())) if y1pre.mean() else float("nan"),
        "n_donors": j, "n_donors_weighted": int(np.count_nonzero(w > WEIGHT_TOL)),
        "n_periods_pre": int((~is_post).sum()), "n_periods_post": int(is_post.sum()),
        "share_pre_outside_donor_range": float(np.mean(
            (y1pre > y[~is_post][:, donors].max(axis=1)) | (y1pre < y[~is_post][:, donors].min(axis=1)))),
        "dropped": {**study.dropped, **dropped},
    }
    tables: dict[str, pd.DataFrame] = {
        "weights": pd.DataFrame({"unit": units[donors], "weight": np.where(w > WEIGHT_TOL, w, 0.0)})
        .sort_values("weight", ascending=False, kind="stable").reset_index(drop=True),
        "series": pd.DataFrame({"period": list(wide.columns), "treated": y[:, t_row],
                                "synthetic": synth, "gap": gap, "post": is_post}),
    }
    if z_all is not None:
        tables["predictors"] = pd.DataFrame({
            "predictor": pred_names, "v": v, "treated": z_raw[:, t_row],
            "synthetic": z_raw[:, donors] @ w, "donor_mean": z_raw[:, donors].mean(axis=1)})
    notes = [Note("assume_synthetic")]
    if diag["share_pre_outside_donor_range"] > 0.2:
        notes.append(Note("outside_donor_range", share=diag["share_pre_outside_donor_range"]))
    p = float("nan")
    lo = hi = float("nan")
    se = float("nan")
    draws = None
    info: dict[str, Any] = {"method": "synthetic control, no placebo inference",
                            "n_boot": None, "seed": seed, "conf_level": conf_level}
    if placebo:
        ratios, mean_gaps, pre_r, pgaps = [], [], [], []
        for k, c in enumerate(donors):
            pool = np.setdiff1d(donors, [c])
            wk, _ = fit(c, pool, v)
            gk = y[:, c] - y[:, pool] @ wk
            pr = float(np.sqrt(np.mean(gk[~is_post] ** 2)))
            po = float(np.sqrt(np.mean(gk[is_post] ** 2)))
            ratios.append(po / pr if pr > 0 else math.inf)
            mean_gaps.append(float(gk[is_post].mean()))
            pre_r.append(pr)
            pgaps.append(pd.DataFrame({"placebo": k + 1, "unit": units[c],
                                       "period": list(wide.columns), "gap": gk}))
        ratios_a, mean_gaps_a = np.array(ratios), np.array(mean_gaps)
        p = rank_p_value(ratio, ratios_a)
        lo, hi = placebo_interval(est, mean_gaps_a, conf_level)
        se = float(np.std(mean_gaps_a, ddof=1))
        draws = est - mean_gaps_a
        diag["placebo_rank"] = int(1 + np.count_nonzero(ratios_a > ratio))
        diag["n_placebos"] = j
        diag["p_value_mean_gap"] = rank_p_value(abs(est), np.abs(mean_gaps_a))
        # Abadie et al. (2010): placebos fitting more than 5 times worse before the start
        good = np.array(pre_r) <= 5 * pre_rmspe
        diag["p_value_ratio_good_fit_placebos"] = rank_p_value(ratio, ratios_a[good])
        tables["placebo_gaps"] = pd.concat(pgaps, ignore_index=True)
        tables["placebos"] = pd.DataFrame({"placebo": np.arange(1, j + 1), "unit": units[donors],
                                           "pre_rmspe": pre_r, "rmspe_ratio": ratios_a,
                                           "mean_post_gap": mean_gaps_a})
        info = {"method": f"placebo-in-space over {j} donors: p = rank of the post/pre RMSPE "
                          "ratio; interval by inverting the placebo test of the average gap"
                          + ("; predictor weights V fixed at the treated unit's" if v is not None else ""),
                "n_boot": j, "seed": seed, "conf_level": conf_level, "n_placebos": j}
        notes.append(Note("donors_placebo", j=j, j1=j + 1))
        if not math.isfinite(lo):
            notes.append(Note("donors_unbounded", j=j, level=Level(conf_level),
                              need=min_placebos(conf_level)))
    if leave_one_out:
        rows = []
        for c in donors[w > WEIGHT_TOL]:
            pool = np.setdiff1d(donors, [c])
            wk, _ = fit(t_row, pool, v)
            gk = y[:, t_row] - y[:, pool] @ wk
            rows.append({"unit": units[c], "weight": float(w[donors == c][0]),
                         "estimate": float(gk[is_post].mean()),
                         "pre_rmspe": float(np.sqrt(np.mean(gk[~is_post] ** 2)))})
        tables["leave_one_out"] = pd.DataFrame(rows)
        if rows:
            ests = [r["estimate"] for r in rows]
            diag["leave_one_out_min"] = float(min(ests))
            diag["leave_one_out_max"] = float(max(ests))
    return SyntheticEstimate(
        estimate=est, std_error=se, conf_low=lo, conf_high=hi, conf_level=Level(conf_level),
        p_value=p, statistic=ratio, df=None, n_treated=1, n_control=j,
        design="synthetic_control", estimand="average post-period effect on the treated unit",
        outcome=outcome, comparison="synthetic control", inference=info, diagnostics=diag,
        notes=tuple(notes), tables=tables, draws=draws,
    )
