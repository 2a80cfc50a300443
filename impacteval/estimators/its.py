"""The ``interrupted_time_series`` design: one long series before and after a start.

Segmented regression (Wagner et al. 2002; Bernal, Cummins & Gasparrini 2017):
``y_t = b0 + b1 t + b2 D_t + b3 (t - t0) D_t [+ season] + e_t`` with ``D_t = 1``
after the start ``t0``. The effect in post period ``t`` is the distance to the
extrapolated pre-period line, ``b2 + b3 (t - t0)``; ``estimate`` is its average
over the post periods. Monthly data that cover at least two years get month
dummies (seasonality); another period length can be given.

Errors are autocorrelated in such series. Two ways are offered, both from
statsmodels: ``errors="ar1"`` (default) fits the regression by GLS with AR(1)
errors (Prais–Winsten transform, statsmodels OLS on the transformed data), the
AR coefficient by restricted maximum likelihood (REML, hand-written: ML and
residual autocorrelations are biased towards 0 in short series and make the
intervals too narrow), t(n - k - 1) intervals;
``errors="hac"`` is OLS with Newey–West (HAC) errors, lag
``floor(4 (T/100)^(2/9))`` (Newey & West 1994) unless ``hac_lags`` is given. The
coverage study in ``benchmarks/coverage_its.py`` shows how each holds its level
on monthly AR(1) series (rho = 0.5).

With ``group=``, the treated group's mean series is compared with the others'
mean series (comparative ITS): the segmented regression is fitted to the
difference of the two series, which removes shocks common to both.

Hand-written: the assembly of the series and the design matrix and the REML
criterion for the AR(1) coefficient; the regressions are statsmodels'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import (
    ArgumentError,
    DataError,
    InsufficientDataError,
    bad_choice,
    bad_whole,
)
from ..notes import Note
from ..periods import chronological
from ..results import Estimate
from ..roles import TREATED_COL, check_variation, prepare
from ._common import check_common, records_warnings

__all__ = ["its", "ITSEstimate"]

SERIES_COL = "__series__"


@dataclass(frozen=True, slots=True, kw_only=True)
class ITSEstimate(Estimate):
    """An :class:`~impacteval.results.Estimate` whose plot shows the series, the fitted
    pre-period line and its extrapolation (the counterfactual)."""

    def plot(self, ax=None, lang: str = "en"):  # type: ignore[override]
        """The observed series, the fitted segments and the extrapolated pre-period trend.

        Parameters
        ----------
        ax : matplotlib Axes, optional
        lang : {"en", "sv"}
        """
        import matplotlib.pyplot as plt

        if lang not in ("en", "sv"):
            raise ArgumentError(Note("err_lang", value=repr(lang)))
        t = _PLOT_TEXT[lang]
        if ax is None:
            fig, ax = plt.subplots(figsize=(7, 3.5))
        else:
            fig = ax.figure
        s = self.tables["series"]
        x = np.arange(len(s))
        post = s["post"].to_numpy()
        ax.plot(x, s["observed"], "o", color="black", ms=3, label=t["observed"])
        ax.plot(x, s["fitted"], color="tab:blue", lw=2, label=t["fitted"])
        ax.plot(x[post], s["counterfactual"].to_numpy()[post], color="tab:blue", ls="--", lw=1.5,
                label=t["counterfactual"])
        ax.axvline(x[post][0] - 0.5, color="0.4", ls=":", lw=1)
        labels = [str(v) for v in s["period"]]
        step = max(1, len(labels) // 10)
        ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right")
        ax.set_ylabel(self.outcome if not self.diagnostics.get("comparative") else
                      f"{self.outcome}: {t['difference']}")
        ax.set_xlabel(t["period"])
        ax.set_title(f"{t['title']}: {self.estimate:.3g} [{self.conf_low:.3g}, {self.conf_high:.3g}]")
        ax.legend(loc="best", fontsize=8)
        fig.tight_layout()
        return fig


_PLOT_TEXT = {
    "en": {"observed": "observed", "fitted": "segmented regression",
           "counterfactual": "pre-period trend extended", "period": "period",
           "difference": "treated − comparison", "title": "average effect after the start"},
    "sv": {"observed": "observerat", "fitted": "segmenterad regression",
           "counterfactual": "trenden före förlängd", "period": "period",
           "difference": "insatsgrupp − jämförelsegrupp",
           "title": "genomsnittlig effekt efter starten"},
}


_YM = r"^\d{4}-(0[1-9]|1[0-2])$"


def _year_month_text(values: pd.Series) -> bool:
    """Months written as text "YYYY-MM" (as in Kolada exports)."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return False
    return bool(len(values)) and bool(values.astype(str).str.match(_YM).all())


def _is_monthly(values: pd.Series) -> bool:
    if _year_month_text(values):
        return True
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.freqstr.startswith("M")
    if pd.api.types.is_datetime64_any_dtype(values):
        d = np.diff(np.sort(values.unique())).astype("timedelta64[D]").astype(float)
        return bool(len(d) and 27 <= np.median(d) <= 32)
    return False


def _month_of(values: pd.Series) -> np.ndarray:
    if _year_month_text(values):
        return values.astype(str).str.slice(5, 7).astype(int).to_numpy()
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.month.to_numpy()
    return pd.DatetimeIndex(values).month.to_numpy()


def design_matrix(n_pre: int, n_post: int, season: np.ndarray | None) -> tuple[np.ndarray, list[str]]:
    """Columns: constant, time, level change, slope change, season dummies (first dropped)."""
    n = n_pre + n_post
    tt = np.arange(n, dtype=float)
    d = (tt >= n_pre).astype(float)
    cols = [np.ones(n), tt, d, (tt - n_pre) * d]
    names = ["const", "time", "level_change", "slope_change"]
    if season is not None:
        levels = np.unique(season)
        for lev in levels[1:]:
            cols.append((season == lev).astype(float))
            names.append(f"season_{lev}")
    return np.column_stack(cols), names


def _prais_winsten(a: np.ndarray, rho: float) -> np.ndarray:
    """Rows transformed so that AR(1) errors become independent (Prais–Winsten)."""
    out = np.empty_like(a, dtype=float)
    out[0] = math.sqrt(1 - rho**2) * a[0]
    out[1:] = a[1:] - rho * a[:-1]
    return out


def _ar1_reml(y: np.ndarray, x: np.ndarray) -> float:
    """AR(1) coefficient of the regression errors by restricted maximum likelihood.

    REML (Patterson & Thompson 1971) accounts for the regression coefficients
    estimated alongside; plain ML and residual autocorrelations are biased
    towards zero in short series, which makes intervals too narrow.
    """
    from scipy.optimize import minimize_scalar

    n, k = x.shape

    def negll(rho: float) -> float:
        xs, ys = _prais_winsten(x, rho), _prais_winsten(y[:, None], rho)[:, 0]
        beta, *_ = np.linalg.lstsq(xs, ys, rcond=None)
        r = ys - xs @ beta
        s2 = float(r @ r) / (n - k)
        _, logdet = np.linalg.slogdet(xs.T @ xs)
        return 0.5 * ((n - k) * math.log(max(s2, 1e-300)) - math.log(1 - rho**2) + logdet)

    res = minimize_scalar(negll, bounds=(-0.98, 0.98), method="bounded",
                          options={"xatol": 1e-6})
    return float(res.x)


def fit_segmented(y: np.ndarray, x: np.ndarray, contrast: np.ndarray, errors: str,
                  hac_lags: int | None = None) -> dict[str, Any]:
    """Fit the segmented regression; return the contrast's estimate, SE, df and details."""
    import statsmodels.api as sm

    n, k = x.shape
    ols = sm.OLS(y, x).fit()
    if errors == "hac":
        lags = hac_lags if hac_lags is not None else int(math.floor(4 * (n / 100) ** (2 / 9)))
        fit = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True},
                               use_t=True)
        est = float(contrast @ fit.params)
        se = float(np.sqrt(contrast @ fit.cov_params() @ contrast))
        return {"estimate": est, "std_error": se, "df": float(fit.df_resid), "params": fit.params,
                "fitted": fit.fittedvalues, "ar_rho": None, "hac_lags": lags,
                "resid": ols.resid, "method": f"OLS with Newey–West HAC errors ({lags} lags), "
                                              f"t({int(fit.df_resid)})"}
    rho = _ar1_reml(y, x)
    xs, ys = _prais_winsten(x, rho), _prais_winsten(y[:, None], rho)[:, 0]
    gls = sm.OLS(ys, xs).fit()
    params = np.asarray(gls.params)
    # the GLS covariance with sigma² on n - k - 1 df (one more parameter, rho, estimated)
    dfree = float(n - k - 1)
    s2 = float(gls.resid @ gls.resid) / dfree
    cov = s2 * np.linalg.inv(xs.T @ xs)
    est = float(contrast @ params)
    se = float(np.sqrt(contrast @ cov @ contrast))
    fitted = x @ params
    method = (f"GLS with AR(1) errors, rho = {rho:.2f} by restricted maximum likelihood "
              f"(REML), t({int(dfree)})")
    return {"estimate": est, "std_error": se, "df": dfree, "params": np.asarray(params),
            "fitted": np.asarray(fitted), "ar_rho": rho, "hac_lags": None,
            "resid": ols.resid,
            "method": method}


@records_warnings
def its(
    df: pd.DataFrame,
    *,
    outcome: str,
    period: str,
    pre: Any,
    post: Any,
    unit: str | None = None,
    group: str | None = None,
    treated: Any = None,
    seasonality: Literal["auto", "none", "month"] = "auto",
    season_length: int | None = None,
    errors: Literal["ar1", "hac"] = "ar1",
    hac_lags: int | None = None,
    conf_level: float = 0.95,
) -> ITSEstimate:
    """Interrupted time series: segmented regression of one series before and after a start.

    Parameters
    ----------
    df : DataFrame
        One row per period (one series), or one row per unit and period with
        ``unit=`` (the units' mean per period is analysed).
    outcome, period : str
    pre, post : list of values of ``period``
        The periods before and after the start (at least 3 before, 1 after;
        8 or more before are advised). The periods are taken as equally spaced
        in time order.
    unit : str, optional
        Unit column when the data hold several units per period.
    group, treated : optional
        With a comparison group, the series of treated minus comparison means is
        analysed (comparative interrupted time series).
    seasonality : {"auto", "none", "month"}
        ``"auto"``: month dummies when ``period`` holds monthly dates or
        "YYYY-MM" text (or ``season_length`` is given) and the data cover at least two seasons,
        and a season plus two periods before the start.
    season_length : int, optional
        Periods per season for a numeric period column (12 for months).
    errors : {"ar1", "hac"}
        ``"ar1"``: GLS with AR(1) errors, the AR coefficient by REML;
        ``"hac"``: OLS with Newey–West errors.
    hac_lags : int, optional
        Lags for ``errors="hac"`` (default floor(4 (T/100)^(2/9))).
    conf_level : float

    Returns
    -------
    ITSEstimate
        ``design="interrupted_time_series"``; ``tables["series"]`` with observed,
        fitted and counterfactual values; ``tables["coefficients"]``; diagnostics
        with the level and slope change, AR order and residual autocorrelation.

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_teaching("interrupted_time_series")
    >>> months = list(df["month"])  # "2018-01" ... "2022-12"; the project starts in 2021-01
    >>> r = ie.its(df, outcome="care_cost_ksek", period="month", pre=months[:36],
    ...            post=months[36:])
    >>> r.diagnostics["seasonality"]
    'month dummies'
    """
    check_common(conf_level, "absolute", "auto")
    if errors not in ("ar1", "hac"):
        raise bad_choice("errors", errors, ("ar1", "hac"))
    if seasonality not in ("auto", "none", "month"):
        raise bad_choice("seasonality", seasonality, ("auto", "none", "month"))
    if season_length is not None and (not isinstance(season_length, (int, np.integer))
                                      or season_length < 2):
        raise bad_whole("season_length", season_length, 2)
    if pre is None or post is None:
        raise ArgumentError(Note("err_its_prepost"))
    if not isinstance(df, pd.DataFrame):
        raise ArgumentError(Note("err_ladder_not_frame", got=type(df).__name__))
    data = df
    unit_col = unit
    if unit is None:
        for _role, col in (("period", period), ("group", group)):
            if col is not None and col not in df.columns:
                break  # prepare() names the missing column
        else:
            keys = [period] + ([group] if group is not None else [])
            if period in df.columns and df.duplicated(keys).any():
                n = int(df.duplicated(keys, keep=False).sum())
                raise DataError(Note("err_its_duplicates_group" if group else "err_its_duplicates",
                                     n=n, column=period, group=group))
        unit_col = SERIES_COL
        while unit_col in df.columns:
            unit_col += "_"
        cols = [c for c in (outcome, period, group) if c is not None and c in df.columns]
        data = df.loc[:, list(dict.fromkeys(cols))].copy()
        data[unit_col] = (data[group].astype(str) if group is not None else "series")
    study = prepare(data, outcome=outcome, unit=unit_col, group=group, treated=treated,
                    period=period, pre=pre, post=post, need=("period",), min_units=1,
                    comparison=group is not None)
    d = study.data
    order = chronological(list(study.pre) + list(study.post))
    n_pre, n_post = len(study.pre), len(study.post)
    if order.index(chronological(study.pre)[-1]) > order.index(chronological(study.post)[0]):
        raise ArgumentError(Note("err_its_order", column=period))
    if n_pre < 3 or n_post < 1:
        raise InsufficientDataError(Note("err_its_too_short", n_pre=n_pre, n_post=n_post))

    def series(mask: np.ndarray) -> pd.Series:
        s = d[mask].groupby(period, observed=True)[outcome].mean()
        return s.reindex(order)

    treated_mask = d[TREATED_COL].to_numpy() == 1
    y_t = series(treated_mask)
    comparative = group is not None and (~treated_mask).any()
    if comparative:
        y_c = series(~treated_mask)
        y_s = y_t - y_c
    else:
        y_s = y_t
    missing = [p for p, v in y_s.items() if pd.isna(v)]
    if missing:
        raise InsufficientDataError(Note(
            "err_its_gap_group" if comparative else "err_its_gap", outcome=outcome,
            periods=str([_p for _p in missing[:6]]), column=period))
    y = y_s.to_numpy(float)
    check_variation(y, outcome)
    # seasonality
    per_vals = pd.Series(order)
    if not pd.api.types.is_datetime64_any_dtype(df[period]) and not isinstance(
            df[period].dtype, pd.PeriodDtype):
        per_vals = pd.Series(order)
    else:
        per_vals = pd.Series(pd.array(order, dtype=df[period].dtype))
    season = None
    season_note = "none"
    want = seasonality != "none"
    if want:
        if _is_monthly(per_vals):
            length, labels = 12, _month_of(per_vals)
        elif season_length is not None:
            length, labels = int(season_length), np.arange(len(order)) % int(season_length)
        else:
            length, labels = 0, None
        if seasonality == "month" and labels is None:
            raise ArgumentError(Note("err_its_month", column=period))
        if labels is not None and len(order) >= 2 * length and n_pre >= length + 2:
            season, season_note = labels, f"{length} seasonal dummies" if length != 12 else "month dummies"
        elif labels is not None and seasonality == "month":
            raise InsufficientDataError(Note("err_its_month_short", n=len(order), n_pre=n_pre))
    x, names = design_matrix(n_pre, n_post, season)
    if x.shape[1] + 2 > len(y) or np.linalg.matrix_rank(x) < x.shape[1]:
        raise InsufficientDataError(Note("err_its_terms", n=len(y), k=x.shape[1]))
    k_post = np.arange(n_post, dtype=float)
    contrast = np.zeros(x.shape[1])
    contrast[2], contrast[3] = 1.0, float(k_post.mean())
    fit = fit_segmented(y, x, contrast, errors, hac_lags)
    est, se, dfree = fit["estimate"], fit["std_error"], fit["df"]
    q = stats.t(dfree).ppf(1 - (1 - conf_level) / 2)
    lo, hi = est - q * se, est + q * se
    stat = est / se if se > 0 else float("nan")
    pval = float(2 * stats.t(dfree).sf(abs(stat))) if se > 0 else float("nan")
    params = np.asarray(fit["params"])
    cf = x.copy()
    cf[:, 2:4] = 0.0
    counterfactual = cf @ params
    resid = np.asarray(fit["resid"])
    r1 = float(np.corrcoef(resid[:-1], resid[1:])[0, 1]) if len(resid) > 2 else float("nan")
    from statsmodels.stats.stattools import durbin_watson

    diag: dict[str, Any] = {
        "n_periods_pre": n_pre, "n_periods_post": n_post,
        "level_change": float(params[2]), "slope_change": float(params[3]),
        "pre_slope": float(params[1]), "residual_autocorrelation_lag1": r1,
        "durbin_watson": float(durbin_watson(resid)),
        "ar1_rho": fit["ar_rho"], "hac_lags": fit["hac_lags"], "seasonality": season_note,
        "comparative": bool(comparative), "dropped": dict(study.dropped),
    }
    if unit is not None:
        diag["n_units_treated"] = int(d.loc[treated_mask, unit_col].nunique())
    notes = [Note("assume_its")]
    if comparative:
        notes.append(Note("its_comparative"))
    if n_pre < 8:
        notes.append(Note("its_short_pre", n_pre=n_pre))
    if season is None and seasonality == "auto" and (_is_monthly(per_vals) or season_length):
        notes.append(Note("its_no_season"))
    tables = {
        "series": pd.DataFrame({"period": order, "observed": y, "fitted": fit["fitted"],
                                "counterfactual": counterfactual,
                                "effect": np.where(np.arange(len(y)) >= n_pre, y - counterfactual,
                                                   np.nan),
                                "post": np.arange(len(y)) >= n_pre}),
        "coefficients": pd.DataFrame({"term": names, "estimate": params[:len(names)]}),
    }
    if comparative:
        tables["series"]["treated"] = y_t.to_numpy(float)
        tables["series"]["comparison"] = y_c.to_numpy(float)
    info = {"method": fit["method"], "errors": errors, "n_boot": None, "seed": None,
            "conf_level": conf_level}
    n_c = int(d.loc[~treated_mask, unit_col].nunique()) if comparative and unit is not None else (
        1 if comparative else 0)
    return ITSEstimate(
        estimate=est, std_error=se, conf_low=lo, conf_high=hi, conf_level=conf_level,
        p_value=pval, statistic=stat, df=dfree,
        n_treated=int(d.loc[treated_mask, unit_col].nunique()) if unit is not None else 1,
        n_control=n_c, design="interrupted_time_series",
        estimand="average post-period effect against the extrapolated pre-period trend",
        outcome=outcome, comparison="comparison series" if comparative else None,
        inference=info, diagnostics=diag, notes=tuple(notes), tables=tables,
    )
