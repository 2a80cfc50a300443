"""Staggered entry: group-time effects ATT(g, t) (Callaway & Sant'Anna 2021).

Each unit has a *start* (its first treated period; missing = never starts).
Units that start in the same period form a cohort ``g``. For every cohort and
period ``t`` the group-time effect ATT(g, t) is a 2×2 difference-in-differences
between the cohort and a comparison group, from a base period ``b``
("varying" base, as R ``did`` and ``csdid``): ``b = g − 1`` for ``t ≥ g``
(effects) and ``b = t − 1`` for ``t < g`` (placebo, pre-trend cells). The
comparison group is the never-started units (``control="never"``) or the
never- and not-yet-started units, i.e. cohorts starting after ``t``
(``control="not_yet"``: a waitlist used up to each waitlister's start and
never after).

The effects are aggregated as in Callaway & Sant'Anna (2021), section 3:
``simple`` (post cells weighted by cohort size; the headline estimate),
``dynamic`` (by event time ``e = t − g``, in periods), ``group`` (by cohort) and
``calendar`` (by period). Standard errors are analytic, from the influence
functions, clustered by unit (the panel's unit is the cluster), including the
estimation of the cohort-size weights. Uniform (simultaneous) bands for the
event-time effects use the multiplier bootstrap (Rademacher weights, seeded).

Why by hand: no statsmodels/linearmodels routine does this; the peer packages
(``csdid``, R ``did``) loop over cells and keep an n × cells influence matrix.
Here every cell, aggregate and covariance comes from per-cohort sufficient
statistics (cohort size, mean vector and cross-product matrix of the outcome
over periods): an influence function of a cell or of any aggregate is
``a[cohort]·y_i + b[cohort]`` for unit ``i``, so its variance is
``Σ_c a_cᵀ C_c a_c + N_c (a_cᵀ m_c + b_c)²`` over cohorts. Cost is O(n T²) for the
statistics plus O(n T J B / chunk) for the bootstrap; nothing is n × n. The
numbers equal ``csdid`` 0.4.3 (analytic SEs, ``bstrap=False``) to 1e-10 on
``mpdta`` (tests/reference/staggered).

References: Callaway, B. & Sant'Anna, P. H. C. (2021). Difference-in-differences
with multiple time periods. *Journal of Econometrics* 225(2), 200–230.
de Chaisemartin, C. & D'Haultfœuille, X. (2020). Two-way fixed effects
estimators with heterogeneous treatment effects. *American Economic Review*
110(9), 2964–2996.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from .._plotting import plot_event_study  # noqa: F401  (re-exported)
from ..errors import (
    ArgumentError,
    DataError,
    ImpactEvalError,
    InsufficientDataError,
    MissingColumnError,
    bad_choice,
)
from ..notes import LangText, Note
from ..results import Estimate

__all__ = ["staggered_did", "plot_event_study", "check_switching", "start_summary"]

Control = Literal["never", "not_yet"]

def check_switching(df: pd.DataFrame, unit: str, period: str, group: str,
                    prefix: str = "") -> None:
    """Explain a ``group`` that varies within a unit, raising :class:`DataError`.

    Called when a unit is found in more than one group. If the group only switches
    on (once) the user is told to give ``start=``; if it switches off again the
    design needs the DID_M estimator of de Chaisemartin & D'Haultfœuille (2020),
    which this package does not implement, so a clear error is raised instead of
    a wrong answer. Returns silently when the pattern cannot be read.
    """
    try:
        sub = pd.DataFrame({"u": df[unit].to_numpy(), "t": df[period].to_numpy(),
                            "g": df[group].to_numpy()}).dropna()
        sub = sub.sort_values(["u", "t"], kind="mergesort")
    except (KeyError, ValueError, TypeError):
        return
    if sub.empty:
        return
    lead = prefix if isinstance(prefix, Note) else LangText(en=prefix, sv=prefix)
    nun = sub.groupby("u", sort=False)["g"].nunique()
    if not (nun > 1).any():
        return
    codes = pd.factorize(sub["g"], sort=True)[0]
    uu = sub["u"].to_numpy()
    changes = (np.diff(codes) != 0) & (uu[1:] == uu[:-1])
    per_unit = pd.Series(np.r_[0, changes.astype(int)]).groupby(uu).sum()
    if (per_unit > 1).any():
        k = int((per_unit > 1).sum())
        raise DataError(Note("err_stag_switching", lead=lead, column=group, k=k, unit=unit))
    raise DataError(Note("err_stag_changes_once", lead=lead, column=group,
                         k=int((nun > 1).sum()), unit=unit))


@dataclass(frozen=True)
class _Panel:
    periods: list
    y: np.ndarray            # n × T, units sorted by cohort code
    coh: np.ndarray          # cohort code per unit (0..T-1 first treated period index, T never)
    n_coh: np.ndarray        # units per cohort code (T + 1)
    mean: np.ndarray         # (T + 1) × T
    cross: np.ndarray        # (T + 1) × T × T centred cross products
    dropped: dict
    counts: dict
    x: np.ndarray | None = None  # n × T × q covariates (same unit order as y)


def _validate_start(df: pd.DataFrame, *, outcome: str, unit: str, period: str,
                    start: str) -> None:
    for role, col in (("outcome", outcome), ("unit", unit), ("period", period),
                      ("start", start)):
        if not isinstance(col, str) and not isinstance(col, int):
            raise ArgumentError(Note("err_stag_not_column", role=role, value=repr(col)))
        if col not in df.columns:
            raise MissingColumnError(Note("err_stag_no_column", column=col, role=role,
                                          columns=str(list(df.columns)[:12])))
    if not pd.api.types.is_numeric_dtype(df[outcome]):
        from ..errors import ColumnTypeError
        raise ColumnTypeError(Note("err_stag_outcome_numeric", column=outcome))
    per = df[period]
    if per.isna().any():
        raise ArgumentError(Note("err_stag_period_missing", column=period,
                                 n=int(per.isna().sum())))
    nun = df.dropna(subset=[start]).groupby(unit, sort=False)[start].nunique()
    if (nun > 1).any():
        raise ArgumentError(Note("err_stag_start_varies", column=start, unit=unit,
                                 n=int((nun > 1).sum())))
    try:
        np.sort(pd.unique(per))
        s = df[start].dropna()
        if len(s):
            np.searchsorted(np.sort(pd.unique(per)), s.to_numpy()[:1])
    except TypeError:
        raise ColumnTypeError(Note("err_stag_incomparable", period=period,  # noqa: B904
                                   start=start)) from None


def _panel(df: pd.DataFrame, outcome: str, unit: str, period: str, start: str,
           only_compare: str | None = None, covariates: tuple[str, ...] = ()) -> _Panel:
    cols = [unit, period, start, outcome] + ([only_compare] if only_compare else []) \
        + list(covariates)
    data = df[list(dict.fromkeys(cols))]
    dropped: dict[str, int] = {}
    miss_y = data[outcome].isna().to_numpy()
    if miss_y.any():
        dropped["rows_missing_outcome"] = int(miss_y.sum())
        data = data[~miss_y]
    if data.duplicated([unit, period]).any():
        from ..errors import DuplicateRowsError
        k = int(data.duplicated([unit, period]).sum())
        raise DuplicateRowsError(Note("err_stag_duplicates", k=k, unit=unit, period=period))
    periods = np.sort(pd.unique(data[period]))
    T = len(periods)
    if T < 2:
        raise InsufficientDataError(Note("err_stag_periods", column=period, n=T))
    ucode, uniq = pd.factorize(data[unit])
    n_all = len(uniq)
    tcode = np.searchsorted(periods, data[period].to_numpy())
    st = data.groupby(ucode, sort=True)[start].first()
    st_vals = st.reindex(np.arange(n_all)).to_numpy()
    never = pd.isna(st_vals)
    cidx = np.full(n_all, T, dtype=np.intp)
    if (~never).any():
        cidx[~never] = np.searchsorted(periods, st_vals[~never], side="left")
    counts = {"n_units": int(n_all)}
    after = (~never) & (cidx >= T)
    counts["n_start_after_last_period"] = int(after.sum())
    already = (~never) & (cidx == 0)
    comp_only = np.zeros(n_all, dtype=bool)
    if only_compare:
        oc = data.groupby(ucode, sort=True)[only_compare].first()
        comp_only = oc.reindex(np.arange(n_all)).fillna(False).to_numpy(bool)
        moved = comp_only & ~never & (cidx >= 1) & (cidx < T)
        counts["n_comparison_starting_in_window"] = int(moved.sum())
        cidx[moved] = T + 1 + cidx[moved]
        if (comp_only & already).any():
            dropped["comparison_units_started_before_first_period"] = int(
                (comp_only & already).sum())
    cnt = np.bincount(ucode, minlength=n_all)
    unbalanced = cnt < T
    keep_unit = ~already & ~unbalanced
    if covariates:
        miss_x = data[list(covariates)].isna().any(axis=1).to_numpy()
        bad = np.zeros(n_all, dtype=bool)
        bad[ucode[miss_x]] = True
        if (bad & keep_unit).any():
            dropped["units_missing_covariates"] = int((bad & keep_unit).sum())
        keep_unit &= ~bad
    if (already & ~comp_only).any():
        dropped["units_started_before_first_period"] = int((already & ~comp_only).sum())
    if (unbalanced & ~already).any():
        dropped["units_missing_periods"] = int((unbalanced & ~already).sum())
    new_id = np.full(n_all, -1, dtype=np.intp)
    order = np.flatnonzero(keep_unit)
    order = order[np.argsort(cidx[order], kind="stable")]
    new_id[order] = np.arange(len(order))
    n = len(order)
    y = np.empty((n, T))
    rk = new_id[ucode]
    ok = rk >= 0
    y[rk[ok], tcode[ok]] = data[outcome].to_numpy(float)[ok]
    x = None
    if covariates:
        x = np.empty((n, T, len(covariates)))
        for j, c in enumerate(covariates):
            x[rk[ok], tcode[ok], j] = data[c].to_numpy(float)[ok]
    coh = cidx[order]
    n_codes = 2 * T + 1 if only_compare else T + 1
    n_coh = np.bincount(coh, minlength=n_codes)
    bounds = np.r_[0, np.cumsum(n_coh)]
    mean = np.zeros((n_codes, T))
    cross = np.zeros((n_codes, T, T))
    for c in np.flatnonzero(n_coh):
        block = y[bounds[c]:bounds[c + 1]]
        m = block.mean(axis=0)
        z = block - m
        mean[c] = m
        cross[c] = z.T @ z
    counts["n_units_used"] = int(n)
    counts["n_never_started"] = int(n_coh[T])
    return _Panel(list(periods), y, coh, n_coh, mean, cross, dropped, counts, x)


@dataclass
class _Cells:
    g: np.ndarray      # cohort code
    t: np.ndarray      # period index
    b: np.ndarray      # base period index
    att: np.ndarray
    A: np.ndarray      # cells × (T+1) × T
    B: np.ndarray      # cells × (T+1)
    n_treat: np.ndarray
    n_ctrl: np.ndarray
    used_as_control: np.ndarray  # cohort codes ever in a comparison group
    psi: np.ndarray | None = None  # n × cells influence functions (covariate path)


def _cell_rows(p: _Panel, control: str, base: str = "varying") -> tuple[list, int, np.ndarray]:
    T = len(p.periods)
    n_codes = len(p.n_coh)
    rows = []
    skipped = 0
    used = np.zeros(n_codes, dtype=bool)
    for g in range(1, T):
        if p.n_coh[g] == 0:
            continue
        for t in range(0 if base == "universal" else 1, T):
            if base == "universal":  # every cell against g − 1 (R did: base_period="universal")
                if t == g - 1:
                    continue
                b = g - 1
            else:
                b = g - 1 if t >= g else t - 1
            hi = max(t, b)  # comparison units must not have started by t nor by b
            ctrl = np.zeros(n_codes, dtype=bool)
            ctrl[T] = True
            if control == "not_yet":
                ctrl[hi + 1:T] = True
                ctrl[g] = False
                if n_codes > T + 1:  # comparison-only units starting after t
                    ctrl[T + 1 + hi + 1:] = True
            ctrl &= p.n_coh > 0
            if not ctrl.any():
                skipped += 1
                continue
            rows.append((g, t, b, ctrl))
            used |= ctrl
    return rows, skipped, used


def _cells(p: _Panel, control: str, base: str = "varying") -> tuple[_Cells, int]:
    T = len(p.periods)
    n = int(p.n_coh.sum())
    n_codes = len(p.n_coh)
    rows, skipped, used = _cell_rows(p, control, base)
    k = len(rows)
    A = np.zeros((k, n_codes, T))
    B = np.zeros((k, n_codes))
    att = np.empty(k)
    nt = np.empty(k, dtype=np.int64)
    nc = np.empty(k, dtype=np.int64)
    for j, (g, t, b, ctrl) in enumerate(rows):
        d = p.mean[:, t] - p.mean[:, b]
        ng = p.n_coh[g]
        ncs = p.n_coh[ctrl]
        nk = ncs.sum()
        mu_g = d[g]
        mu_k = float((ncs * d[ctrl]).sum() / nk)
        att[j] = mu_g - mu_k
        A[j, g, t], A[j, g, b], B[j, g] = n / ng, -n / ng, -n * mu_g / ng
        A[j, ctrl, t], A[j, ctrl, b], B[j, ctrl] = -n / nk, n / nk, n * mu_k / nk
        nt[j], nc[j] = ng, nk
    arr = np.array([r[:3] for r in rows], dtype=np.intp).reshape(-1, 3)
    return _Cells(arr[:, 0], arr[:, 1], arr[:, 2], att, A, B, nt, nc, used), skipped


def _cells_x(p: _Panel, control: str, method: str,
             base: str = "varying") -> tuple[_Cells, int]:
    """Cells with covariates (base-period values): outcome regression, IPW or doubly
    robust 2×2 DiD of Sant'Anna & Zhao (2020) in each cell, influence functions kept
    per unit (n × cells)."""
    n, T = p.y.shape
    rows, skipped, used = _cell_rows(p, control, base)
    k = len(rows)
    psi = np.zeros((n, k))
    att = np.empty(k)
    nt = np.empty(k, dtype=np.int64)
    nc = np.empty(k, dtype=np.int64)
    fn = {"reg": _or_did, "ipw": _ipw_did, "dr": _dr_did}[method]
    for j, (g, t, b, ctrl) in enumerate(rows):
        idx = np.flatnonzero((p.coh == g) | ctrl[p.coh])
        d = (p.coh[idx] == g).astype(float)
        dy = p.y[idx, t] - p.y[idx, b]
        xm = np.column_stack([np.ones(len(idx)), p.x[idx, b, :]])
        att[j], inf = fn(dy, d, xm)
        psi[idx, j] = inf * (n / len(idx))
        nt[j], nc[j] = int(d.sum()), int(len(idx) - d.sum())
    arr = np.array([r[:3] for r in rows], dtype=np.intp).reshape(-1, 3)
    return _Cells(arr[:, 0], arr[:, 1], arr[:, 2], att, None, None, nt, nc, used, psi), skipped


def _ols_parts(dy: np.ndarray, d: np.ndarray, xm: np.ndarray):
    """Outcome regression among the comparison units and its asymptotic linear representation."""
    n = len(d)
    c = d == 0
    beta = np.linalg.lstsq(xm[c], dy[c], rcond=None)[0]
    out = xm @ beta
    gram = ((1 - d)[:, None] * xm).T @ xm / n
    if np.linalg.cond(gram) > 1 / np.finfo(float).eps:
        raise InsufficientDataError(Note("err_stag_collinear"))
    alr = (((1 - d) * (dy - out))[:, None] * xm) @ np.linalg.inv(gram)
    return out, alr


def _ps_parts(d: np.ndarray, xm: np.ndarray):
    """Logit propensity score (statsmodels GLM), capped and trimmed as DRDID does."""
    import statsmodels.api as sm

    fit = sm.GLM(d, xm, family=sm.families.Binomial()).fit()
    ps = np.minimum(np.asarray(fit.predict()), 1 - 1e-6)
    trim = np.ones(len(d))
    trim[d == 0] = (ps[d == 0] < 0.995).astype(float)
    info = xm.T @ ((ps * (1 - ps))[:, None] * xm)
    hess = np.linalg.inv(info) * len(d)
    alr = ((d - ps)[:, None] * xm) @ hess
    return ps, trim, alr


def _or_did(dy, d, xm):
    out, alr = _ols_parts(dy, d, xm)
    mw = d.mean()
    eta_t = (d * dy).mean() / mw
    eta_c = (d * out).mean() / mw
    inf_t = (d * dy - d * eta_t) / mw
    inf_c = (d * out - d * eta_c + alr @ (d[:, None] * xm).mean(axis=0)) / mw
    return float(eta_t - eta_c), inf_t - inf_c


def _ipw_did(dy, d, xm):
    ps, trim, alr_ps = _ps_parts(d, xm)
    w_t = trim * d
    w_c = trim * ps * (1 - d) / (1 - ps)
    eta_t = (w_t * dy).mean() / w_t.mean()
    eta_c = (w_c * dy).mean() / w_c.mean()
    inf_t = (w_t * dy - w_t * eta_t) / w_t.mean()
    m2 = ((w_c * (dy - eta_c))[:, None] * xm).mean(axis=0)
    inf_c = (w_c * dy - w_c * eta_c + alr_ps @ m2) / w_c.mean()
    return float(eta_t - eta_c), inf_t - inf_c


def _dr_did(dy, d, xm):
    ps, trim, alr_ps = _ps_parts(d, xm)
    out, alr_ols = _ols_parts(dy, d, xm)
    w_t = trim * d
    w_c = trim * ps * (1 - d) / (1 - ps)
    r = dy - out
    eta_t = (w_t * r).mean() / w_t.mean()
    eta_c = (w_c * r).mean() / w_c.mean()
    inf_t = (w_t * r - w_t * eta_t - alr_ols @ (w_t[:, None] * xm).mean(axis=0)) / w_t.mean()
    m2 = ((w_c * (r - eta_c))[:, None] * xm).mean(axis=0)
    m3 = (w_c[:, None] * xm).mean(axis=0)
    inf_c = (w_c * r - w_c * eta_c + alr_ps @ m2 - alr_ols @ m3) / w_c.mean()
    return float(eta_t - eta_c), inf_t - inf_c


def _cov_rows(p: _Panel, cells: _Cells, W: np.ndarray, WB: np.ndarray) -> np.ndarray:
    """Covariance of aggregates Σ_k W[j, k]·cell_k (+ weight influence WB[j, cohort])."""
    if cells.psi is None:
        A = np.einsum("jk,kct->jct", W, cells.A)
        return _cov(p, A, W @ cells.B + WB)
    psi = _psi_rows(p, cells, W, WB)
    return psi.T @ psi / float(psi.shape[0]) ** 2


def _psi_rows(p: _Panel, cells: _Cells, W: np.ndarray, WB: np.ndarray) -> np.ndarray:
    if cells.psi is None:
        return _psi(p, np.einsum("jk,kct->jct", W, cells.A), W @ cells.B + WB)
    return cells.psi @ W.T + WB[:, p.coh].T


def _cov(p: _Panel, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Covariance of estimators whose influence functions are ``A[k, c]·y + B[k, c]``."""
    n = float(p.n_coh.sum())
    quad = np.einsum("kct,ctu,lcu->kl", A, p.cross, A, optimize=True)
    lin = np.einsum("kct,ct->kc", A, p.mean) + B
    return (quad + (lin * p.n_coh) @ lin.T) / n**2


def _wif(p: _Panel, cells: _Cells, keep: np.ndarray, w_att: np.ndarray) -> np.ndarray:
    """Per-cohort influence of estimating the cohort-size weights (R ``did::wif`` · att)."""
    n = float(p.n_coh.sum())
    pg = p.n_coh[cells.g[keep]] / n
    s = pg.sum()
    att = w_att
    ind = np.zeros((len(p.n_coh), keep.sum()))
    ind[cells.g[keep], np.arange(keep.sum())] = 1.0
    dev = ind - pg  # cohort × keepers
    return dev @ att / s - dev.sum(axis=1) * float(pg @ att) / s**2


def _agg(p: _Panel, cells: _Cells, keep: np.ndarray, weights: np.ndarray,
         with_wif: bool) -> tuple[float, np.ndarray, np.ndarray]:
    """An aggregate: its value, its weights over cells and its weight-estimation influence."""
    att = float(weights @ cells.att[keep])
    W = np.zeros(len(cells.att))
    W[keep] = weights
    WB = _wif(p, cells, keep, cells.att[keep]) if with_wif else np.zeros(len(p.n_coh))
    return att, W, WB


def _psi(p: _Panel, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Influence functions per unit (n × J) for aggregates with coefficients A (J × C × T)."""
    n, _T = p.y.shape
    out = np.empty((n, A.shape[0]))
    bounds = np.r_[0, np.cumsum(p.n_coh)]
    for c in np.flatnonzero(p.n_coh):
        sl = slice(bounds[c], bounds[c + 1])
        out[sl] = p.y[sl] @ A[:, c, :].T + B[:, c]
    return out


def _sup_t_crit(psi: np.ndarray, se: np.ndarray, n_boot: int, conf_level: float,
                seed: Any) -> float:
    """Critical value of the sup-t band by the multiplier bootstrap (Rademacher weights)."""
    n = psi.shape[0]
    rng = np.random.default_rng(seed)
    ok = se > 0
    if not ok.any():
        return float("nan")
    scaled = psi[:, ok] / (n * se[ok])
    draws = np.zeros((n_boot, scaled.shape[1]))
    chunk = max(1, min(n, 2_000_000 // max(n_boot, 1)))
    for lo in range(0, n, chunk):
        part = scaled[lo:lo + chunk]
        bits = np.unpackbits(rng.integers(0, 256, size=(part.shape[0] * n_boot + 7) // 8,
                                          dtype=np.uint8))[: part.shape[0] * n_boot]
        v = bits.reshape(part.shape[0], n_boot).astype(np.float64) * 2.0 - 1.0
        draws += v.T @ part
    tmax = np.abs(draws).max(axis=1)
    return float(np.quantile(tmax, conf_level))


def started_units(df: pd.DataFrame, *, unit: str | None, period: str | None, post: Any,
                  start: str) -> set:
    """Units whose start is on or before the last post period (treated in the window)."""
    if start not in df.columns:
        raise MissingColumnError(Note("err_stag_no_start", column=start))
    if unit is None or period is None or post is None or not len(list(post)):
        raise ArgumentError(Note("err_stag_match_roles"))
    st = df.groupby(unit, sort=False)[start].first()
    last = max(post)
    try:
        hit = (st.notna() & (st <= last)).fillna(False).astype(bool)
    except TypeError:
        raise ArgumentError(Note("err_stag_start_comparable", column=start,  # noqa: B904
                                 period=period)) from None
    return set(st.index[hit.to_numpy()])


def drop_started(frame: pd.DataFrame, unit: str, started: set) -> tuple[pd.DataFrame, int]:
    """Remove comparison units that start within the window; return the frame and their count."""
    from ..roles import TREATED_COL

    out = (frame[TREATED_COL].to_numpy() == 0) & frame[unit].isin(started).to_numpy()
    n = int(frame.loc[out, unit].nunique())
    return frame[~out], n


def note_started(est: Estimate, n: int) -> Estimate:
    """Record on an estimate how many comparison units left the pool because they started."""
    from dataclasses import replace

    diag = dict(est.diagnostics)
    diag["n_comparison_started_in_window"] = n
    notes = est.notes
    if n:
        notes = (*notes, f"{n} comparison unit(s) started during the outcome window and were "
                         "left out of the comparison pool (not yet started = not started by "
                         "the last post period).")
    return replace(est, diagnostics=diag, notes=notes)


def start_summary(df: pd.DataFrame, *, unit: str, start: str) -> pd.DataFrame:
    """How many units start in each period (one row per start value; never = missing)."""
    s = df.groupby(unit, sort=False)[start].first()
    out = s.value_counts(dropna=False).sort_index()
    return pd.DataFrame({"start": out.index, "n_units": out.to_numpy()})


def staggered_did(
    df: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    period: str,
    start: str,
    control: Control = "never",
    conf_level: float = 0.95,
    n_boot: int = 999,
    seed: int | None = None,
    only_compare: str | None = None,
    covariates: list[str] | None = None,
    method: Literal["dr", "reg", "ipw"] = "dr",
    periods: list | None = None,
) -> Estimate:
    """Group-time effects ATT(g, t) for staggered entry (Callaway & Sant'Anna 2021).

    Parameters
    ----------
    df : DataFrame
        Long panel, one row per unit and period.
    outcome, unit, period : str
        Columns.
    start : str
        Each unit's first treated period (a value of ``period`` or between two
        of them; missing = never starts). Units that start before the first
        observed period are dropped (counted); units starting after the last
        period count as never started within the window.
    control : {"never", "not_yet"}
        Comparison group: never-started units, or never- and not-yet-started
        units (each used up to its start and never after).
    conf_level : float
    n_boot : int
        Multiplier-bootstrap draws for the uniform event-time band (0: none).
    seed : int, optional
    only_compare : str, optional
        Boolean column (constant within unit): units marked true never form a
        cohort of their own; with ``control="not_yet"`` they are comparison units
        up to their start and never after (a waitlist), and never-started ones are
        comparison units throughout. The effects are then those of the other
        units only.
    covariates : list of str, optional
        Conditional parallel trends: each cell's 2×2 DiD adjusts for the
        covariates' values in its base period, by outcome regression
        (``method="reg"``), inverse probability weighting (``"ipw"``) or the
        doubly robust estimator (``"dr"``, default) of Sant'Anna & Zhao (2020).
        Influence functions are then kept per unit and cell (memory n × cells).
    method : {"dr", "reg", "ipw"}
    periods : list, optional
        Use only these values of ``period`` (e.g. ``pre`` + ``post``); the other
        rows are left out and counted in ``diagnostics["dropped"]``.

    Returns
    -------
    Estimate
        ``estimate`` is the simple aggregate (post cells weighted by cohort
        size). ``tables``: ``group_time``, ``event_time`` (with the uniform band),
        ``group``, ``calendar``; ``diagnostics``: the pre-trend Wald test of the
        placebo cells, cohort counts, ``aggregates`` (overall dynamic/group/calendar).

    Examples
    --------
    >>> import impacteval as ie
    >>> from impacteval.estimators.staggered import staggered_did
    >>> from impacteval.datasets.make import teaching_staggered
    >>> df = teaching_staggered(n_units=300, seed=1)
    >>> r = staggered_did(df, outcome="y", unit="unit", period="period", start="start",
    ...                   control="not_yet", seed=1)
    >>> sorted(r.tables)
    ['calendar', 'event_time', 'group', 'group_time']
    """
    if control not in ("never", "not_yet"):
        raise ArgumentError(Note("err_stag_control", value=repr(control)))
    if not 0 < conf_level < 1:
        raise ArgumentError(Note("err_conf_level", value=repr(conf_level)))
    _validate_start(df, outcome=outcome, unit=unit, period=period, start=start)
    if only_compare is not None and only_compare not in df.columns:
        raise MissingColumnError(Note("err_stag_no_only_compare", column=only_compare))
    covariates = tuple(covariates or ())
    for c in covariates:
        if c not in df.columns:
            raise MissingColumnError(Note("err_stag_no_covariate", column=c))
        if not pd.api.types.is_numeric_dtype(df[c]):
            from ..errors import ColumnTypeError
            raise ColumnTypeError(Note("err_stag_covariate_numeric", column=c))
    outside = 0
    if periods is not None:
        keep_rows = df[period].isin(list(periods))
        outside = int((~keep_rows).sum())
        if outside:
            df = df[keep_rows]
    p = _panel(df, outcome, unit, period, start, only_compare, covariates)
    if outside:
        p.dropped["rows_outside_periods"] = outside
    T = len(p.periods)
    n = int(p.n_coh.sum())
    treated_units = int(p.n_coh[1:T].sum())
    if treated_units == 0:
        raise InsufficientDataError(Note("err_stag_no_start_within", unit=unit, column=start))
    if control == "never" and p.n_coh[T] == 0:
        raise InsufficientDataError(Note("err_stag_no_never", unit=unit, column=start))
    if covariates:
        if method not in ("dr", "reg", "ipw"):
            raise bad_choice("method", method, ("dr", "reg", "ipw"))
        if not _cell_rows(p, control)[0]:
            raise InsufficientDataError(Note("err_stag_no_comparison"))
        cells, skipped = _cells_x(p, control, method)
    else:
        cells, skipped = _cells(p, control)
    if len(cells.att) == 0:
        raise InsufficientDataError(Note("err_stag_no_comparison"))
    k_cells = len(cells.att)
    cov = _cov_rows(p, cells, np.eye(k_cells), np.zeros((k_cells, len(p.n_coh))))
    se_cells = np.sqrt(np.maximum(np.diag(cov), 0))
    z = stats.norm.ppf(1 - (1 - conf_level) / 2)
    per = np.asarray(p.periods, dtype=object)
    post = cells.t >= cells.g
    e = cells.t - cells.g
    gt = pd.DataFrame({
        "cohort": per[cells.g], "period": per[cells.t], "base_period": per[cells.b],
        "event_time": e, "post": post, "estimate": cells.att, "std_error": se_cells,
        "conf_low": cells.att - z * se_cells, "conf_high": cells.att + z * se_cells,
        "n_cohort": cells.n_treat, "n_comparison": cells.n_ctrl,
    })
    pg = p.n_coh[cells.g] / n
    # simple
    keep = post.copy()
    if not keep.any():
        raise InsufficientDataError(Note("err_stag_no_after"))
    w = pg[keep] / pg[keep].sum()
    simple = _agg(p, cells, keep, w, True)
    # dynamic (event time)
    ev_rows = []
    for ev in np.unique(e):
        k = e == ev
        ev_rows.append((ev,) + _agg(p, cells, k, pg[k] / pg[k].sum(), True))
    ev_A = np.stack([r[2] for r in ev_rows])
    ev_B = np.stack([r[3] for r in ev_rows])
    ev_att = np.array([r[1] for r in ev_rows])
    ev_e = np.array([r[0] for r in ev_rows])
    pos = ev_e >= 0
    dyn = (float(ev_att[pos].mean()), ev_A[pos].mean(axis=0), ev_B[pos].mean(axis=0))
    # group (cohort)
    gl = np.unique(cells.g[post])
    g_rows = []
    for g in gl:
        k = post & (cells.g == g)
        g_rows.append(_agg(p, cells, k, np.full(k.sum(), 1.0 / k.sum()), False))
    g_att = np.array([r[0] for r in g_rows])
    g_A = np.stack([r[1] for r in g_rows])
    g_B = np.stack([r[2] for r in g_rows])
    pgg = p.n_coh[gl] / n
    wg = pgg / pgg.sum()
    sel_B = wg @ g_B + _wif_groups(p, gl, g_att)
    sel = (float(wg @ g_att), wg @ g_A, sel_B)
    # calendar
    tl = np.unique(cells.t[post])
    c_rows = []
    for t in tl:
        k = post & (cells.t == t)
        c_rows.append(_agg(p, cells, k, pg[k] / pg[k].sum(), True))
    c_att = np.array([r[0] for r in c_rows])
    c_A = np.stack([r[1] for r in c_rows])
    c_B = np.stack([r[2] for r in c_rows])
    cal = (float(c_att.mean()), c_A.mean(axis=0), c_B.mean(axis=0))
    # variances in one pass
    allA = np.concatenate([np.stack([simple[1], dyn[1], sel[1], cal[1]]), ev_A, g_A, c_A])
    allB = np.concatenate([np.stack([simple[2], dyn[2], sel[2], cal[2]]), ev_B, g_B, c_B])
    allse = np.sqrt(np.maximum(np.diag(_cov_rows(p, cells, allA, allB)), 0))
    se4 = allse[:4]
    ev_se = allse[4:4 + len(ev_att)]
    g_se = allse[4 + len(ev_att):4 + len(ev_att) + len(g_att)]
    c_se = allse[4 + len(ev_att) + len(g_att):]
    crit = float("nan")
    if n_boot and n_boot > 0:
        crit = _sup_t_crit(_psi_rows(p, cells, ev_A, ev_B), ev_se, int(n_boot), conf_level,
                           seed)
    n_cells_e = np.array([int((e == v).sum()) for v in ev_e])
    et = pd.DataFrame({"event_time": ev_e, "estimate": ev_att, "std_error": ev_se,
                       "conf_low": ev_att - z * ev_se, "conf_high": ev_att + z * ev_se,
                       "band_low": ev_att - crit * ev_se, "band_high": ev_att + crit * ev_se,
                       "n_cells": n_cells_e, "pre": ev_e < 0})
    gtab = pd.DataFrame({"cohort": per[gl], "estimate": g_att, "std_error": g_se,
                         "conf_low": g_att - z * g_se, "conf_high": g_att + z * g_se,
                         "n_units": p.n_coh[gl]})
    ctab = pd.DataFrame({"period": per[tl], "estimate": c_att, "std_error": c_se,
                         "conf_low": c_att - z * c_se, "conf_high": c_att + z * c_se})
    # pre-trend: joint Wald test of the placebo cells
    diag: dict[str, Any] = {"dropped": dict(p.dropped), **p.counts,
                            "n_cohorts": int((p.n_coh[1:T] > 0).sum()),
                            "n_cells_without_comparison": int(skipped),
                            "control": control, "base_period": "varying",
                            "uniform_band_critical_value": crit}
    pre_idx = np.flatnonzero(~post & (se_cells > 0))
    notes = [Note("assume_staggered")]
    if len(pre_idx):
        V = cov[np.ix_(pre_idx, pre_idx)]
        theta = cells.att[pre_idx]
        stat = float(theta @ np.linalg.pinv(V) @ theta)
        dfw = int(np.linalg.matrix_rank(V))
        diag["pretrend_test_stat"] = stat
        diag["pretrend_p_value"] = float(stats.chi2.sf(stat, dfw)) if dfw else float("nan")
        diag["pretrend_test"] = f"joint Wald chi2 test of {len(pre_idx)} pre-start cell(s)"
    else:
        notes.append(Note("no_pre_besides_base"))
    diag["aggregates"] = {
        name: {"estimate": v[0], "std_error": float(s)}
        for name, v, s in zip(("simple", "dynamic", "group", "calendar"),
                              (simple, dyn, sel, cal), se4, strict=True)}
    if control == "not_yet":
        notes.append(Note("not_yet_comparison"))
    if skipped:
        notes.append(Note("cells_not_estimated", n=skipped))
    est, se = simple[0], float(se4[0])
    stat_z = est / se if se > 0 else float("nan")
    pval = float(2 * stats.norm.sf(abs(stat_z))) if se > 0 else float("nan")
    universal = _universal_event_time(p, control, method if covariates else None, n_units=n)
    return Estimate(
        estimate=est, std_error=se, conf_low=est - z * se, conf_high=est + z * se,
        conf_level=conf_level, p_value=pval, statistic=stat_z, df=None,
        n_treated=treated_units, n_control=int(p.n_coh[cells.used_as_control].sum()),
        design="did", estimand="ATT (Callaway & Sant'Anna, simple aggregate of ATT(g,t))",
        outcome=outcome, comparison="never started" if control == "never" else "not yet started",
        inference={"method": "influence-function SE clustered by unit, normal; uniform "
                              "event-time band by multiplier bootstrap (Rademacher)",
                   "n_boot": int(n_boot), "seed": seed, "conf_level": conf_level,
                   "estimator": "callaway_santanna",
                   "covariates": list(covariates),
                   "covariate_method": method if covariates else None},
        diagnostics=diag, notes=tuple(notes),
        tables={"group_time": gt, "event_time": et, "group": gtab, "calendar": ctab},
        _sensitivity=universal,
    )


def _universal_event_time(p: _Panel, control: str, method: str | None,
                          n_units: int) -> dict[str, Any]:
    """Event study with one universal base period g − 1 (R did: base_period="universal"),
    for impacteval.sensitivity.honest_did: the event-time estimates (e = −1 left out, it is
    0 by construction) and their covariance, aggregated with the same cohort-size weights
    and weight influence as the varying-base event study."""
    try:
        cells, _ = (_cells_x(p, control, method, "universal") if method
                    else _cells(p, control, "universal"))
    except (ImpactEvalError, np.linalg.LinAlgError, ValueError):
        return {}
    if len(cells.att) == 0:
        return {}
    e = cells.t - cells.g
    pg = p.n_coh[cells.g] / n_units
    rows = [(ev,) + _agg(p, cells, e == ev, pg[e == ev] / pg[e == ev].sum(), True)
            for ev in np.unique(e)]
    A = np.stack([r[2] for r in rows])
    B = np.stack([r[3] for r in rows])
    V = _cov_rows(p, cells, A, B)
    V.setflags(write=False)
    ev = np.array([r[0] for r in rows])
    tab = pd.DataFrame({"event_time": ev, "estimate": np.array([r[1] for r in rows]),
                        "std_error": np.sqrt(np.maximum(np.diag(V), 0)), "pre": ev < 0})
    return {"event_time_universal": tab, "event_time_universal_vcov": V}


def _wif_groups(p: _Panel, gl: np.ndarray, g_att: np.ndarray) -> np.ndarray:
    n = float(p.n_coh.sum())
    pg = p.n_coh[gl] / n
    s = pg.sum()
    ind = np.zeros((len(p.n_coh), len(gl)))
    ind[gl, np.arange(len(gl))] = 1.0
    dev = ind - pg
    return dev @ g_att / s - dev.sum(axis=1) * float(pg @ g_att) / s**2


