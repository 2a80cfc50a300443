"""Balance and overlap diagnostics for comparison-group designs.

These are the numbers the evaluation ladder checks for the ``matched`` and
``matched_did`` designs (LADDER.md section 3): standardised mean differences,
variance ratios and eCDF distances before and after matching, the overlap of
the groups' covariate (or propensity-score) ranges, and the effective number
of comparison units. Everything returns plain floats or tidy DataFrames; plots
live elsewhere.

Conventions (after R's cobalt, with one documented difference):

* **SMD** = (weighted mean of participants − weighted mean of comparison
  units) / s, where s is the *pre-matching pooled* standard deviation
  ``sqrt((s_T² + s_C²) / 2)`` of the unweighted groups (Austin 2009; Stuart
  2010). The same denominator is used before and after matching, so a change
  in the SMD is a change in the mean difference only. cobalt uses the treated
  SD for the ATT by default; we use the pooled SD for every estimand. Binary
  covariates get the same SMD (their SD is ``sqrt(p(1 − p))``·n/(n − 1)).
* **Variance ratio** = weighted variance of participants / weighted variance
  of comparison units; the weighted variance is
  ``Σw(x − x̄)² · Σw / ((Σw)² − Σw²)``, which equals the usual ``ddof=1``
  variance when all weights are 1 (cobalt's ``col_w_sd``). It is not reported
  for binary covariates (NaN), whose variance is fixed by the mean.
* **eCDF max difference** = max over x of |F̂_T(x) − F̂_C(x)| with weighted
  eCDFs (the Kolmogorov–Smirnov distance). Computed after one sort, O(n log n).
* **Effective sample size** (Kish 1965) = (Σw)² / Σw².

Hand-written because neither scipy nor statsmodels offers *weighted* versions
of these balance statistics (scipy's ``ks_2samp`` is unweighted).

Examples
--------
>>> import numpy as np, pandas as pd
>>> t = pd.DataFrame({"age": [30., 35, 40, 45]})
>>> c = pd.DataFrame({"age": [25., 30, 32, 50, 60]})
>>> tab = balance_table(t, c)
>>> round(float(tab.loc[0, "smd_before"]), 3)
-0.166
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ArgumentError, DataError
from .notes import Note

__all__ = [
    "weighted_mean",
    "weighted_var",
    "pooled_sd",
    "smd",
    "variance_ratio",
    "ecdf_max_diff",
    "effective_sample_size",
    "balance_table",
    "overlap_report",
    "outside_range",
    "BALANCE_COLUMNS",
    "PretrendSlope",
    "unit_slopes",
    "pretrend_slope",
]

BALANCE_COLUMNS = [
    "covariate",
    "type",
    "mean_treated_before",
    "mean_control_before",
    "smd_before",
    "var_ratio_before",
    "ecdf_max_before",
    "mean_treated_after",
    "mean_control_after",
    "smd_after",
    "var_ratio_after",
    "ecdf_max_after",
    "balanced",
]


def _arr(x: Sequence[float] | np.ndarray, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if a.ndim != 1:
        raise ArgumentError(Note("err_diag_1d", name=name, shape=str(a.shape)))
    if not np.isfinite(a).all():
        raise DataError(Note("err_diag_missing", name=name, n=int((~np.isfinite(a)).sum())))
    return a


def _weights(w: Sequence[float] | np.ndarray | None, n: int, name: str) -> np.ndarray:
    if w is None:
        return np.ones(n)
    a = _arr(w, name)
    if len(a) != n:
        raise ArgumentError(Note("err_diag_length", name=name, k=len(a), n=n))
    if (a < 0).any():
        raise DataError(Note("err_diag_negative", name=name, n=int((a < 0).sum())))
    return a


def weighted_mean(x: np.ndarray, w: np.ndarray | None = None) -> float:
    """Weighted mean ``Σwx / Σw`` (NaN when all weights are zero)."""
    x = np.asarray(x, dtype=float)
    w = np.ones(len(x)) if w is None else np.asarray(w, dtype=float)
    sw = w.sum()
    return float(np.dot(w, x) / sw) if sw > 0 else float("nan")


def weighted_var(x: np.ndarray, w: np.ndarray | None = None) -> float:
    """Weighted variance with the reliability-weight correction ``Σw/((Σw)² − Σw²)``.

    Equals ``np.var(x, ddof=1)`` when all weights are equal; NaN when fewer
    than two units carry weight.
    """
    x = np.asarray(x, dtype=float)
    w = np.ones(len(x)) if w is None else np.asarray(w, dtype=float)
    sw, sw2 = w.sum(), np.dot(w, w)
    den = sw**2 - sw2
    if sw <= 0 or den <= 1e-12 * sw**2:
        return float("nan")
    m = np.dot(w, x) / sw
    return float(np.dot(w, (x - m) ** 2) * sw / den)


def pooled_sd(x_treated: np.ndarray, x_control: np.ndarray) -> float:
    """Pre-matching pooled SD ``sqrt((s_T² + s_C²)/2)`` (unweighted, ddof=1)."""
    return float(np.sqrt((np.var(x_treated, ddof=1) + np.var(x_control, ddof=1)) / 2))


def smd(x_treated: Sequence[float], x_control: Sequence[float], *,
        weights_treated: Sequence[float] | None = None,
        weights_control: Sequence[float] | None = None,
        sd: float | None = None) -> float:
    """Standardised mean difference (weighted means over the pooled pre-matching SD).

    Parameters
    ----------
    x_treated, x_control : array-like
        Covariate values of all participants and all comparison units.
    weights_treated, weights_control : array-like, optional
        Matching weights (0 for units not in the matched sample).
    sd : float, optional
        Denominator; default :func:`pooled_sd` of the *unweighted* samples.

    Returns
    -------
    float
        NaN when the denominator is 0 (constant covariate).

    Examples
    --------
    >>> round(smd([1., 2, 3], [0., 1, 2]), 3)
    1.0
    """
    xt, xc = _arr(x_treated, "x_treated"), _arr(x_control, "x_control")
    wt = _weights(weights_treated, len(xt), "weights_treated")
    wc = _weights(weights_control, len(xc), "weights_control")
    s = pooled_sd(xt, xc) if sd is None else float(sd)
    if not s > 0:
        return float("nan")
    return (weighted_mean(xt, wt) - weighted_mean(xc, wc)) / s


def variance_ratio(x_treated: Sequence[float], x_control: Sequence[float], *,
                   weights_treated: Sequence[float] | None = None,
                   weights_control: Sequence[float] | None = None) -> float:
    """Ratio of weighted variances, participants over comparison units (Rubin 2001).

    Examples
    --------
    >>> round(variance_ratio([1., 3, 5], [1., 2, 3]), 3)
    4.0
    """
    xt, xc = _arr(x_treated, "x_treated"), _arr(x_control, "x_control")
    wt = _weights(weights_treated, len(xt), "weights_treated")
    wc = _weights(weights_control, len(xc), "weights_control")
    vt, vc = weighted_var(xt, wt), weighted_var(xc, wc)
    return vt / vc if vc > 0 else float("nan")


def _ecdf_max_sorted(v_sorted: np.ndarray, wt_sorted: np.ndarray, wc_sorted: np.ndarray) -> float:
    st, sc = wt_sorted.sum(), wc_sorted.sum()
    if st <= 0 or sc <= 0:
        return float("nan")
    cum = np.cumsum(wt_sorted / st - wc_sorted / sc)
    last_of_tie = np.r_[v_sorted[1:] != v_sorted[:-1], True]
    return float(np.max(np.abs(cum[last_of_tie])))


def ecdf_max_diff(x_treated: Sequence[float], x_control: Sequence[float], *,
                  weights_treated: Sequence[float] | None = None,
                  weights_control: Sequence[float] | None = None) -> float:
    """Largest distance between the groups' weighted empirical CDFs (KS distance).

    Examples
    --------
    >>> ecdf_max_diff([1., 2, 3, 4], [3., 4, 5, 6])
    0.5
    """
    xt, xc = _arr(x_treated, "x_treated"), _arr(x_control, "x_control")
    wt = _weights(weights_treated, len(xt), "weights_treated")
    wc = _weights(weights_control, len(xc), "weights_control")
    v = np.concatenate([xt, xc])
    order = np.argsort(v, kind="stable")
    a = np.concatenate([wt, np.zeros(len(xc))])[order]
    b = np.concatenate([np.zeros(len(xt)), wc])[order]
    return _ecdf_max_sorted(v[order], a, b)


def effective_sample_size(weights: Sequence[float]) -> float:
    """Kish's effective sample size ``(Σw)² / Σw²`` (0 when all weights are 0).

    Examples
    --------
    >>> effective_sample_size([1, 1, 2])
    2.6666666666666665
    """
    w = np.asarray(weights, dtype=float)
    s2 = float(np.dot(w, w))
    return float(w.sum() ** 2 / s2) if s2 > 0 else 0.0


def _numeric_frame(x: pd.DataFrame | np.ndarray, name: str, columns: Sequence[str] | None) -> pd.DataFrame:
    if isinstance(x, pd.DataFrame):
        frame = x
    else:
        a = np.asarray(x, dtype=float)
        a = a[:, None] if a.ndim == 1 else a
        cols = list(columns) if columns is not None else [f"x{j}" for j in range(a.shape[1])]
        frame = pd.DataFrame(a, columns=cols)
    for c in frame.columns:
        if not (pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c])):
            raise DataError(Note("err_diag_not_numeric", name=name, column=c))
    return frame


def balance_table(treated: pd.DataFrame | np.ndarray, control: pd.DataFrame | np.ndarray, *,
                  weights_treated: Sequence[float] | None = None,
                  weights_control: Sequence[float] | None = None,
                  threshold: float = 0.1,
                  columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Balance of every covariate before and after matching (or weighting).

    Parameters
    ----------
    treated, control : DataFrame or 2-D array
        Covariates of *all* participants and *all* comparison units (numeric;
        dummy-code text columns first). Same columns in both.
    weights_treated, weights_control : array-like, optional
        Matching weights for the "after" columns (0 = not in the matched
        sample). Without weights the "after" columns repeat "before".
    threshold : float
        ``balanced`` is ``|smd_after| < threshold`` (0.1: Austin 2009, WWC).
    columns : sequence of str, optional
        Column names when arrays are given.

    Returns
    -------
    DataFrame
        One row per covariate with the columns of :data:`BALANCE_COLUMNS`.
        ``type`` is ``"binary"`` (values only 0/1) or ``"continuous"``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"x": [1., 2, 3]})
    >>> c = pd.DataFrame({"x": [0., 1, 2, 9]})
    >>> balance_table(t, c, weights_control=[0, 1, 1, 0])["smd_after"].round(3).tolist()
    [0.168]
    """
    ft = _numeric_frame(treated, "treated", columns)
    fc = _numeric_frame(control, "control", columns)
    if list(ft.columns) != list(fc.columns):
        raise ArgumentError(Note("err_diag_same_columns"))
    nt, nc = len(ft), len(fc)
    if nt < 2 or nc < 2:
        raise DataError(Note("err_diag_balance_few", nt=nt, nc=nc))
    wt = _weights(weights_treated, nt, "weights_treated")
    wc = _weights(weights_control, nc, "weights_control")
    ones_t, ones_c = np.ones(nt), np.ones(nc)
    zeros_t, zeros_c = np.zeros(nt), np.zeros(nc)
    rows = []
    for col in ft.columns:
        xt = _arr(ft[col].to_numpy(dtype=float), f"treated column {col!r}")
        xc = _arr(fc[col].to_numpy(dtype=float), f"control column {col!r}")
        binary = bool(np.isin(xt, (0.0, 1.0)).all() and np.isin(xc, (0.0, 1.0)).all())
        s = pooled_sd(xt, xc)
        v = np.concatenate([xt, xc])
        order = np.argsort(v)  # order within ties is irrelevant: eCDFs are read at tie ends
        vs = v[order]
        row: dict[str, object] = {"covariate": str(col), "type": "binary" if binary else "continuous"}
        for tag, a, b in (("before", ones_t, ones_c), ("after", wt, wc)):
            mt, mc = weighted_mean(xt, a), weighted_mean(xc, b)
            vt, vc = weighted_var(xt, a), weighted_var(xc, b)
            row[f"mean_treated_{tag}"] = mt
            row[f"mean_control_{tag}"] = mc
            row[f"smd_{tag}"] = (mt - mc) / s if s > 0 else float("nan")
            row[f"var_ratio_{tag}"] = float("nan") if binary or not vc > 0 else vt / vc
            row[f"ecdf_max_{tag}"] = _ecdf_max_sorted(
                vs, np.concatenate([a, zeros_c])[order], np.concatenate([zeros_t, b])[order]
            )
        row["balanced"] = bool(abs(row["smd_after"]) < threshold) if np.isfinite(row["smd_after"]) else True
        rows.append(row)
    return pd.DataFrame(rows, columns=BALANCE_COLUMNS)


def outside_range(treated: np.ndarray, control: np.ndarray) -> np.ndarray:
    """Boolean mask of participants outside the comparison group's range on any column."""
    t = np.asarray(treated, dtype=float)
    c = np.asarray(control, dtype=float)
    t = t[:, None] if t.ndim == 1 else t
    c = c[:, None] if c.ndim == 1 else c
    return ((t < c.min(axis=0)) | (t > c.max(axis=0))).any(axis=1)


def overlap_report(treated: pd.DataFrame | np.ndarray, control: pd.DataFrame | np.ndarray, *,
                   columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Ranges of each score/covariate by group and the participants outside them.

    Parameters
    ----------
    treated, control : DataFrame or 2-D array
        One column per score (e.g. the propensity logit) or covariate.
    columns : sequence of str, optional
        Column names when arrays are given.

    Returns
    -------
    DataFrame
        Per column: ``min_treated, max_treated, min_control, max_control``,
        ``n_treated_below`` / ``n_treated_above`` (participants below the
        smallest / above the largest comparison value), ``n_treated_outside``,
        ``share_treated_outside`` and ``n_control_outside`` (comparison units
        outside the participants' range, which matching simply does not use).

    Examples
    --------
    >>> overlap_report([[1.], [5.]], [[2.], [3.], [4.]], columns=["score"])["n_treated_outside"].tolist()
    [2]
    """
    ft = _numeric_frame(treated, "treated", columns)
    fc = _numeric_frame(control, "control", columns)
    if list(ft.columns) != list(fc.columns):
        raise ArgumentError(Note("err_diag_same_columns"))
    if len(ft) == 0 or len(fc) == 0:
        raise DataError(Note("err_diag_overlap_few"))
    rows = []
    for col in ft.columns:
        xt = ft[col].to_numpy(dtype=float)
        xc = fc[col].to_numpy(dtype=float)
        lo_c, hi_c = float(xc.min()), float(xc.max())
        lo_t, hi_t = float(xt.min()), float(xt.max())
        below, above = int((xt < lo_c).sum()), int((xt > hi_c).sum())
        rows.append({
            "column": str(col),
            "min_treated": lo_t, "max_treated": hi_t,
            "min_control": lo_c, "max_control": hi_c,
            "n_treated_below": below, "n_treated_above": above,
            "n_treated_outside": below + above,
            "share_treated_outside": (below + above) / len(xt),
            "n_control_outside": int(((xc < lo_t) | (xc > hi_t)).sum()),
        })
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ pre-trends
@dataclass(frozen=True, slots=True, kw_only=True)
class PretrendSlope:
    """The difference in pre-period trends between participants and comparison units.

    The one definition used by ``did``, ``match`` and the ladder: each unit's OLS
    slope of the outcome on the rank of the pre-period (0, 1, 2, ...), averaged per
    group (weighted by matching weights when given); ``slope`` = participants' mean
    slope − comparison units' mean slope, in outcome units per period, with a Welch
    standard error from the spread of the unit slopes (weighted: Σw²·var / (Σw)²).
    ``slope_sd`` divides by the standard deviation of the pre-period outcome rows.
    """

    slope: float
    std_error: float
    df: float
    sd: float
    n_treated: int
    n_control: int

    @property
    def slope_sd(self) -> float:
        return self.slope / self.sd if self.sd > 0 else 0.0

    @property
    def t(self) -> float:
        if self.std_error > 0:
            return self.slope / self.std_error
        return 0.0 if self.slope == 0 else math.copysign(math.inf, self.slope)

    def conf_int(self, level: float = 0.90) -> tuple[float, float]:
        from scipy import stats

        q = float(stats.t.ppf(0.5 + level / 2, max(self.df, 1.0)))
        return self.slope - q * self.std_error, self.slope + q * self.std_error


def unit_slopes(y: np.ndarray, unit: np.ndarray, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-unit OLS slopes of ``y`` on ``rank`` (long arrays, NaN rows ignored).

    Returns ``(unit_ids, slopes)``; units with fewer than two distinct ranks get NaN.
    Linear in rows (group sums, no per-unit loop).
    """
    y = np.asarray(y, dtype=float)
    rank = np.asarray(rank, dtype=float)
    ok = np.isfinite(y) & np.isfinite(rank)
    codes, uniq = pd.factorize(np.asarray(unit)[ok], sort=False)
    y, rank = y[ok], rank[ok]
    m = len(uniq)
    cnt = np.bincount(codes, minlength=m).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tbar = np.bincount(codes, weights=rank, minlength=m) / cnt
        ybar = np.bincount(codes, weights=y, minlength=m) / cnt
        tc = rank - tbar[codes]
        num = np.bincount(codes, weights=tc * (y - ybar[codes]), minlength=m)
        den = np.bincount(codes, weights=tc * tc, minlength=m)
        slopes = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return np.asarray(uniq), slopes


def pretrend_slope(slopes_treated: np.ndarray, slopes_control: np.ndarray, sd: float, *,
                   weights_treated: np.ndarray | None = None,
                   weights_control: np.ndarray | None = None) -> PretrendSlope | None:
    """:class:`PretrendSlope` from the unit slopes of the two groups.

    ``None`` when a group has fewer than two units with a slope.

    Examples
    --------
    >>> r = pretrend_slope(np.array([1.0, 2, 3]), np.array([0.0, 1, 0, 1]), sd=10.0)
    >>> round(r.slope, 3), round(r.slope_sd, 3)
    (1.5, 0.15)
    """
    def part(s, w):
        s = np.asarray(s, dtype=float)
        w = np.ones_like(s) if w is None else np.asarray(w, dtype=float)
        ok = np.isfinite(s) & (w > 0)
        s, w = s[ok], w[ok]
        if len(s) < 2:
            return None
        m = float(np.average(s, weights=w))
        var = float(np.sum(w * (s - m) ** 2) / np.sum(w)) * len(s) / (len(s) - 1)
        se2 = var * float(np.sum(w**2)) / float(np.sum(w)) ** 2
        n_eff = float(np.sum(w)) ** 2 / float(np.sum(w**2))
        return m, se2, n_eff, len(s)

    a, b = part(slopes_treated, weights_treated), part(slopes_control, weights_control)
    if a is None or b is None:
        return None
    se = math.sqrt(a[1] + b[1])
    # Welch–Satterthwaite degrees of freedom
    den = (a[1] ** 2 / max(a[2] - 1, 1) if a[1] else 0.0) + \
        (b[1] ** 2 / max(b[2] - 1, 1) if b[1] else 0.0)
    df = (a[1] + b[1]) ** 2 / den if den > 0 else float(a[3] + b[3] - 2)
    return PretrendSlope(slope=a[0] - b[0], std_error=se, df=float(df), sd=float(sd),
                         n_treated=a[3], n_control=b[3])
