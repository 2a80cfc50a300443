"""Matched "twin" comparisons: the ``matched`` and ``matched_did`` designs.

:func:`match` finds, for every participant, the comparison units ("twins") that
looked most alike before the project, and compares outcomes (or, with
``period``/``pre``/``post``, changes in outcomes) between the twins.

What is hand-written here and why
---------------------------------
scikit-learn and scipy find nearest neighbours but know nothing of matching
estimators; no Python library we depend on offers Abadie–Imbens standard
errors, matching with ties as in Stata's ``teffects nnmatch`` and R's
``Matching``, or coarsened exact matching. So this module writes, on top of
``scipy.spatial.cKDTree`` (neighbour search), ``scipy.optimize.
linear_sum_assignment`` (optimal pairs), scikit-learn's ``LogisticRegression``
(propensity score) and statsmodels' ``WLS`` (bias correction, CEM errors):

* the neighbour search with ties, exact-matching cells and calipers;
* the matching estimator of the ATT/ATC/ATE (Abadie & Imbens 2006) with the
  regression bias correction of Abadie & Imbens (2011);
* the Abadie–Imbens (2006) standard error, including the within-group matches
  it needs for the conditional variances.

Conventions (documented choices)
--------------------------------
Distance
    ``"mahalanobis"``: on the covariates (text covariates dummy-coded, first
    level dropped; with ``period`` also the pre-period outcomes), scaled by the
    *pooled within-group* covariance ``((n_T−1)S_T + (n_C−1)S_C)/(n_T+n_C−2)``
    of the units compared. Internally the covariates are whitened with the
    Cholesky factor of that matrix, so Mahalanobis distance is Euclidean
    distance and a KD-tree finds neighbours in O(n log n).
    ``"propensity"``: unpenalised logistic regression of participation on the
    same columns; matching on the *logit* of the score (the linear predictor),
    via a sorted array and ``searchsorted``.
Caliper
    For Mahalanobis matching in Mahalanobis-distance units (already SD units
    of the whitened covariates). For propensity matching in SDs of the logit
    score, the SD being the pooled ``sqrt((s_T² + s_C²)/2)`` (Austin 2011
    recommends 0.2). A match farther away than the caliper is not used; a unit
    with no match inside the caliper is left out, counted and listed by id,
    and the result covers only the matched units. With ``k > 1`` a unit may
    keep fewer than ``k`` matches (as in R's MatchIt).
Ties (matching with replacement)
    Every comparison unit whose distance equals the ``k``-th smallest distance
    (within a relative 1e-12) is used, each with equal weight ``1/#J(i)``, as
    in Stata's ``teffects nnmatch`` and R's ``Matching`` (``ties=TRUE``). The
    result therefore does not depend on the row order.
Without replacement (``replace=False``)
    Greedy: units of the target group are processed in the order of the rows
    of the data; each takes its ``k`` nearest still-unused comparison units;
    equal distances are broken by the lower row position (so no ties are
    shared). ``method="optimal"`` instead minimises the total distance of 1:1
    pairs (``linear_sum_assignment``) on a dense cost matrix, allowed while
    n_target·n_pool ≤ 25·10⁶ (about 200 MB); beyond it an ``ArgumentError``.
Exact matching
    ``exact=[...]`` columns split the data into cells first; matches (and the
    within-group matches of the variance estimator) are found inside a cell.
    In a cell with fewer than ``k`` comparison units all of them are used.
Coarsened exact matching (``method="cem"``)
    Each numeric covariate with more distinct values than bins is cut into
    equal-width bins over its pooled range, by default Sturges' rule
    ``ceil(log2(n) + 1)`` (``numpy.histogram_bin_edges(..., "sturges")``, as
    MatchIt's default); ``bins=`` sets an int, a numpy rule name, or a dict per
    column (int, rule, or cut points). Text covariates and ``exact`` columns
    are matched exactly. Cells with both groups are kept; within a cell the
    other group is reweighted to the target group's size. The estimate is the
    weighted difference in means; its SE is the HC2 sandwich of the weighted
    regression of the outcome on participation (statsmodels WLS), as MatchIt
    recommends — conservative, because it ignores the cells.
Matched DiD
    With ``period``, ``pre``, ``post`` (and ``unit``) the outcome is the change
    ``mean(post periods) − mean(pre periods)`` of each unit, and the pre-period
    outcomes are added to the matching columns: each pre period as its own
    column (``pre_outcomes="each"``, default — keeps the trajectory and a
    pre-programme dip) or their mean (``"mean"``). Covariates are read from
    each unit's row of the first ``pre`` period. Units without every pre and
    post period are left out (counted, with a ``DroppedRowsWarning``).
Bias correction (``bias_correction=True``)
    Abadie & Imbens (2011): for the group whose outcomes are imputed, the
    regression ``μ̂(x) = β₀ + x'β`` is fitted by weighted least squares on the
    units used as matches, weighted by how often they are used (``K_M(i)``),
    and every matched outcome is shifted by ``(x_i − x_j)'β``.
Standard error, matching with replacement (Abadie & Imbens 2006, Theorem 7)
    ``V̂ = N⁻² [ Σ_{i target} (τ̂_i − τ̂)² + Σ_u c_u σ̂²(X_u) ]`` with
    ``τ̂_i`` the unit's matched difference and ``c_u = K_u² + 2·K_u·1{u target}
    − Σ_l w_lu²``, where ``w_lu`` is the weight unit ``u`` gets in ``l``'s
    match set and ``K_u = Σ_l w_lu``. Without ties ``w_lu = 1/M`` and this is
    the published ``K(K−1)/M²`` (ATT) and ``K²/M² + (2M−1)K/M²`` (ATE); with
    ties it is the same derivation with the actual weights. The conditional
    variance is ``σ̂²(X_u) = J_u/(J_u+1)·(Y_u − Ȳ_{J(u)})²`` from the
    ``J = var_matches`` nearest units of u's own group (ties included, own
    exact cell, same metric). ``var_matches=2`` follows Stata's
    ``teffects nnmatch`` default ``vce(robust, nn(2))``; R's ``Matching``
    defaults to a homoskedastic variance (``Var.calc=0``) instead. The
    interval uses the normal distribution, as Stata does. With propensity
    matching the score is treated as known: the Abadie–Imbens (2016)
    adjustment for its estimation is not applied (noted in ``inference``).
    The naive bootstrap is invalid here (Abadie & Imbens 2008) and is refused.
Standard error, matching without replacement
    Paired-difference t interval on the matched differences (df = pairs − 1),
    or a bootstrap of matched sets through :func:`impacteval.inference.
    resample_interval` (``ci="percentile"|"basic"|"bca"|"studentized"``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import linalg
from scipy.optimize import linear_sum_assignment
from scipy.spatial import cKDTree
from scipy.spatial.distance import cdist

from ..diagnostics import balance_table, effective_sample_size, outside_range, overlap_report
from ..errors import (
    ArgumentError,
    AssumptionWarning,
    DataError,
    DroppedRowsWarning,
    InsufficientDataError,
    MethodError,
    bad_choice,
    bad_flag,
    bad_whole,
)
from ..notes import LangText, Note
from ..periods import chronological
from ..results import Estimate, EstimateCollection
from ..roles import ARM_COL, TREATED_COL, Study, prepare
from ..texts import Count
from ._common import check_common, collect, hedges_g, records_warnings, t_test

__all__ = ["match", "OPTIMAL_LIMIT", "TIE_RTOL"]

#: largest n_target × n_pool for ``method="optimal"`` (dense cost matrix, ~200 MB)
OPTIMAL_LIMIT = 25_000_000
#: relative tolerance under which two distances count as tied
TIE_RTOL = 1e-12
#: the package default above which reuse of one comparison unit is flagged (LADDER.md)
MAX_REUSE = 5

_BOOT = ("percentile", "basic", "bca", "studentized")


# ===================================================================== search
class _Searcher:
    """Nearest points of a fixed pool: KD-tree in ≥ 2 dimensions, sorted array in 1."""

    def __init__(self, pool: np.ndarray):
        pool = np.ascontiguousarray(pool, dtype=float)
        self.n = len(pool)
        self.one_d = pool.shape[1] == 1
        if self.one_d:
            self.order = np.argsort(pool[:, 0], kind="stable")
            self.sorted = pool[self.order, 0]
        else:
            self.tree = cKDTree(pool)

    def query(self, q: np.ndarray, kk: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``kk`` nearest pool points of each row of ``q``: (dist, index), ascending."""
        kk = min(kk, self.n)
        if not self.one_d:
            d, i = self.tree.query(q, k=np.arange(1, kk + 1), workers=-1)
            return np.asarray(d).reshape(len(q), kk), np.asarray(i).reshape(len(q), kk)
        # In 1-D the kk nearest points are a run of the sorted values around the
        # insertion point, so a window of kk on each side holds them.
        x = q[:, 0]
        pos = np.searchsorted(self.sorted, x)
        cand = pos[:, None] + np.arange(-kk, kk)[None, :]
        valid = (cand >= 0) & (cand < self.n)
        cc = np.clip(cand, 0, self.n - 1)
        d = np.abs(self.sorted[cc] - x[:, None])
        d[~valid] = np.inf
        sel = np.argsort(d, axis=1, kind="stable")[:, :kk]
        return np.take_along_axis(d, sel, axis=1), self.order[np.take_along_axis(cc, sel, axis=1)]


@dataclass
class _Sets:
    """Match sets in CSR form: target unit r uses pool units idx[ptr[r]:ptr[r+1]]."""

    ptr: np.ndarray
    idx: np.ndarray
    dist: np.ndarray

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.ptr)

    @property
    def row(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.ptr) - 1), self.sizes)

    @property
    def wts(self) -> np.ndarray:
        sz = self.sizes
        return np.repeat(np.divide(1.0, sz, out=np.zeros(len(sz)), where=sz > 0), sz)


def _csr(lists_idx: list[np.ndarray], lists_dist: list[np.ndarray]) -> _Sets:
    sizes = np.array([len(a) for a in lists_idx], dtype=np.int64)
    ptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    idx = np.concatenate(lists_idx).astype(np.int64) if lists_idx else np.zeros(0, np.int64)
    dist = np.concatenate(lists_dist) if lists_dist else np.zeros(0)
    return _Sets(ptr, idx, dist)


def _nearest_with_ties(s: _Searcher, q: np.ndarray, k: int, self_idx: np.ndarray | None = None,
                       caliper: float = math.inf) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pool points within the k-th smallest distance (ties kept), optionally
    excluding each query's own index. Returns entry arrays (row, idx, dist)."""
    m = len(q)
    excl = self_idx is not None
    avail = s.n - (1 if excl else 0)
    k = min(k, avail)
    if m == 0 or k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    # one neighbour beyond the k-th shows whether it is tied; re-query the rare rows that are
    kk = min(s.n, k + 1 + int(excl))
    rows_out, idx_out, dist_out = [], [], []
    pending = np.arange(m)
    while pending.size:
        d, i = s.query(q[pending], kk)
        if excl:
            d = np.where(i == self_idx[pending][:, None], np.inf, d)
            o = np.argsort(d, axis=1, kind="stable")
            d, i = np.take_along_axis(d, o, axis=1), np.take_along_axis(i, o, axis=1)
        thr = d[:, k - 1] * (1 + TIE_RTOL)
        # a row is complete when a returned neighbour lies beyond the tie threshold
        last = d[:, kk - 1 - int(excl)]
        done = (kk >= s.n) | (last > thr)
        keep = (d <= thr[:, None]) & (d <= caliper) & np.isfinite(d) & done[:, None]
        r, c = np.nonzero(keep)
        rows_out.append(pending[r])
        idx_out.append(i[r, c])
        dist_out.append(d[r, c])
        pending = pending[~done]
        kk = min(s.n, 2 * kk)
    row = np.concatenate(rows_out)
    o = np.lexsort((np.concatenate(idx_out), row))
    return row[o], np.concatenate(idx_out)[o], np.concatenate(dist_out)[o]


def _greedy(s: _Searcher, q: np.ndarray, k: int, caliper: float,
            taken: np.ndarray, pool_ids: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Greedy matching without replacement in row order; ties broken by lower pool index."""
    m = len(q)
    out_i: list[np.ndarray] = []
    out_d: list[np.ndarray] = []
    if m == 0:
        return out_i, out_d
    kk0 = min(s.n, k + 8)
    d_all, i_all = s.query(q, kk0)
    o = np.lexsort((pool_ids[i_all], d_all))
    d_all, i_all = np.take_along_axis(d_all, o, axis=1), np.take_along_axis(i_all, o, axis=1)
    for r in range(m):
        d, i, kk = d_all[r], i_all[r], kk0
        while True:
            ok = ~taken[pool_ids[i]] & (d <= caliper)
            pick = np.flatnonzero(ok)[:k]
            if len(pick) == k or kk >= s.n or d[-1] > caliper:
                break
            kk = min(s.n, kk * 4)
            d, i = s.query(q[r:r + 1], kk)
            oo = np.lexsort((pool_ids[i[0]], d[0]))
            d, i = d[0][oo], i[0][oo]
        taken[pool_ids[i[pick]]] = True
        out_i.append(i[pick])
        out_d.append(d[pick])
    return out_i, out_d


def _cells_split(cells_q: np.ndarray | None, cells_p: np.ndarray | None, nq: int, np_: int):
    if cells_q is None:
        yield np.arange(nq), np.arange(np_)
        return
    order_p = np.argsort(cells_p, kind="stable")
    sp = cells_p[order_p]
    order_q = np.argsort(cells_q, kind="stable")
    sq = cells_q[order_q]
    starts = np.flatnonzero(np.r_[True, sq[1:] != sq[:-1]])
    ends = np.r_[starts[1:], len(sq)]
    for a, b in zip(starts, ends, strict=True):
        c = sq[a]
        lo, hi = np.searchsorted(sp, c, "left"), np.searchsorted(sp, c, "right")
        yield order_q[a:b], order_p[lo:hi]


def _whole(cache: dict, key: str, z: np.ndarray) -> _Searcher:
    """The searcher over a whole group, built once and shared by matching and variance."""
    if key not in cache:
        cache[key] = _Searcher(z)
    return cache[key]


def _match_sets(zq: np.ndarray, zp: np.ndarray, cells_q, cells_p, *, k: int, caliper: float,
                method: str, replace: bool, cache: dict, key: str) -> _Sets:
    """Match sets of every query unit among the pool units."""
    nq, np_ = len(zq), len(zp)
    rows, idxs, dists = [], [], []
    if method == "optimal":
        total = sum(len(a) * len(b) for a, b in _cells_split(cells_q, cells_p, nq, np_))
        if total > OPTIMAL_LIMIT:
            raise ArgumentError(Note("err_match_optimal_size", nq=nq, np=np_, total=total,
                                     limit=OPTIMAL_LIMIT))
    taken = np.zeros(np_, dtype=bool)
    for qi, pi in _cells_split(cells_q, cells_p, nq, np_):
        if len(pi) == 0 or len(qi) == 0:
            continue
        if method == "optimal":
            cost0 = cdist(zq[qi], zp[pi])
            cost = cost0
            if np.isfinite(caliper) and (cost0 > caliper).any():
                # pairs beyond the caliper get a prohibitive cost, then are dropped
                cost = np.where(cost0 > caliper, cost0.max() * 10 + 1e6, cost0)
            r, c = linear_sum_assignment(cost)
            d = cost0[r, c]
            ok = d <= caliper
            rows.append(qi[r[ok]])
            idxs.append(pi[c[ok]])
            dists.append(d[ok])
            continue
        s = _whole(cache, key, zp) if cells_q is None else _Searcher(zp[pi])
        if replace:
            r, c, d = _nearest_with_ties(s, zq[qi], k, caliper=caliper)
            rows.append(qi[r])
            idxs.append(pi[c])
            dists.append(d)
        else:
            li, ld = _greedy(s, zq[qi], k, caliper, taken, pi)
            for j, (a, b) in enumerate(zip(li, ld, strict=True)):
                rows.append(np.full(len(a), qi[j]))
                idxs.append(pi[a])
                dists.append(b)
    if rows:
        row = np.concatenate(rows).astype(np.int64)
        idx = np.concatenate(idxs).astype(np.int64)
        dist = np.concatenate(dists)
    else:
        row, idx, dist = np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    o = np.lexsort((idx, row))
    row, idx, dist = row[o], idx[o], dist[o]
    ptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=nq))]).astype(np.int64)
    return _Sets(ptr, idx, dist)


def _own_group_sigma2(z: np.ndarray, y: np.ndarray, cells: np.ndarray | None, need: np.ndarray,
                      j: int, cache: dict, key: str) -> np.ndarray:
    """σ̂²(X_u) = J_u/(J_u+1)(Y_u − mean of its J nearest own-group units)², for units ``need``."""
    out = np.zeros(len(y))
    if not need.any():
        return out
    n = len(y)
    for qi, pi in _cells_split(None if cells is None else cells[need], cells, int(need.sum()), n):
        units = np.flatnonzero(need)[qi]
        if len(pi) < 2 or cells is None:  # no cells, or alone in its cell: the whole group
            s, pool = _whole(cache, key, z), np.arange(n)
        else:
            s, pool = _Searcher(z[pi]), pi
        pos = np.searchsorted(pool, units)
        r, c, _ = _nearest_with_ties(s, z[units], j, self_idx=pos)
        cnt = np.bincount(r, minlength=len(units))
        mean = np.bincount(r, y[pool[c]], minlength=len(units)) / np.maximum(cnt, 1)
        out[units] = cnt / (cnt + 1.0) * (y[units] - mean) ** 2
    return out


# ================================================================ estimation
@dataclass
class _Dir:
    """One matching direction: target group units matched to pool-group units."""

    target_is_treated: bool
    sets: _Sets
    matched: np.ndarray  # bool per target unit


def _impute(sets: _Sets, y_pool: np.ndarray, x_q: np.ndarray | None, x_pool: np.ndarray | None,
            beta: np.ndarray | None) -> np.ndarray:
    nq = len(sets.ptr) - 1
    w, row = sets.wts, sets.row
    yhat = np.bincount(row, w * y_pool[sets.idx], minlength=nq)
    if beta is not None:
        xbar = np.column_stack([np.bincount(row, w * x_pool[sets.idx, c], minlength=nq)
                                for c in range(x_pool.shape[1])])
        yhat = yhat + (x_q - xbar) @ beta
    return yhat


def _bias_beta(y: np.ndarray, x: np.ndarray, kw: np.ndarray) -> np.ndarray:
    """WLS slope of y on x over units used as matches, weighted by K_M (AI 2011)."""
    import statsmodels.api as sm

    used = kw > 0
    xd = np.column_stack([np.ones(int(used.sum())), x[used]])
    fit = sm.WLS(y[used], xd, weights=kw[used]).fit()
    return np.asarray(fit.params[1:])


# ==================================================================== helpers
def _check_args(k, caliper, replace, method, distance, estimand, ci, n_boot, bias_correction,
                bins, var_matches, pre_outcomes, exact) -> bool:
    if distance not in ("mahalanobis", "propensity"):
        raise bad_choice("distance", distance, ("mahalanobis", "propensity"))
    if method not in ("nearest", "optimal", "cem"):
        raise bad_choice("method", method, ("nearest", "optimal", "cem"))
    if estimand not in ("ATT", "ATC", "ATE"):
        raise bad_choice("estimand", estimand, ("ATT", "ATC", "ATE"))
    if pre_outcomes not in ("each", "mean"):
        raise bad_choice("pre_outcomes", pre_outcomes, ("each", "mean"))
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise bad_whole("k", k, 1)
    if isinstance(var_matches, bool) or not isinstance(var_matches, (int, np.integer)) or var_matches < 1:
        raise bad_whole("var_matches", var_matches, 1)
    if caliper is not None and (isinstance(caliper, bool) or not isinstance(caliper, (int, float))
                                or not caliper > 0 or not math.isfinite(caliper)):
        raise ArgumentError(Note("err_match_caliper", value=repr(caliper)))
    if not isinstance(bias_correction, bool):
        raise bad_flag("bias_correction", bias_correction)
    if replace is None:
        replace = method == "nearest"
    if not isinstance(replace, bool):
        raise bad_flag("replace", replace)
    if method == "optimal":
        if replace:
            raise ArgumentError(Note("err_match_optimal_replace"))
        if k != 1:
            raise ArgumentError(Note("err_match_optimal_k", k=k))
    if method == "cem":
        if caliper is not None:
            raise ArgumentError(Note("err_match_cem_caliper"))
        if bias_correction:
            raise ArgumentError(Note("err_match_cem_bias"))
    elif bins is not None:
        raise ArgumentError(Note("err_match_bins"))
    if not replace and estimand == "ATE" and method != "cem":
        raise ArgumentError(Note("err_match_ate_replace"))
    if ci == "permutation":
        raise MethodError(Note("err_match_permutation"))
    if method == "cem" and ci not in ("auto", "analytic"):
        raise MethodError(Note("err_match_cem_ci", ci=repr(ci)))
    if method != "cem" and replace and ci in _BOOT:
        raise MethodError(Note("err_match_bootstrap_replace", ci=repr(ci))
        )
    if ci in _BOOT and (isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer))
                        or n_boot < 99):
        raise bad_whole("n_boot", n_boot, 99)
    if exact is not None and not isinstance(exact, (str, Sequence)):
        raise ArgumentError(Note("err_match_exact"))
    return replace


def _as_list(x: Any) -> list:
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    return list(x)


def _near_singular(S: np.ndarray, n_units: int | None = None, tol: float = 1e-10) -> bool:
    """Whether a covariance matrix is (numerically) singular, whatever the columns' scales.

    A Cholesky attempt alone decides a rank-deficient matrix by rounding: the same units in
    another row order (or under other ids) may pass or fail. The check is on the correlation
    matrix's smallest eigenvalue relative to its largest (scale-free), so the verdict does not
    depend on rounding of order ~1e-16.
    """
    S = np.atleast_2d(np.asarray(S, dtype=float))
    p = S.shape[0]
    if n_units is not None and p > n_units - 2:
        return True
    d = np.diag(S)
    if not np.all(np.isfinite(S)) or np.any(d <= 0):
        return True
    s = 1.0 / np.sqrt(d)
    R = S * s[:, None] * s[None, :]
    ev = np.linalg.eigvalsh((R + R.T) / 2)
    return bool(ev[0] <= tol * max(ev[-1], 1.0))


def _design(frame: pd.DataFrame, covs: Sequence[str]) -> pd.DataFrame:
    """Numeric design: numeric covariates as float, text ones dummy-coded (first level dropped)."""
    parts = []
    for c in covs:
        s = frame[c]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            parts.append(s.astype(float).rename(c).to_frame())
        else:
            dm = pd.get_dummies(s.astype(str), prefix=c, prefix_sep="=", drop_first=True, dtype=float)
            parts.append(dm)
    if not parts:
        return pd.DataFrame(index=frame.index)
    return pd.concat(parts, axis=1)


def _cells(frame: pd.DataFrame, cols: Sequence[str]) -> np.ndarray | None:
    if not cols:
        return None
    return frame.groupby(list(cols), sort=True, dropna=False).ngroup().to_numpy()


def _unit_frame(study: Study, frame: pd.DataFrame, covs: list[str], extra: list[str],
                pre_outcomes: str) -> tuple[pd.DataFrame, list[str], str]:
    """One row per unit: outcome (or change), treated flag, covariates, pre outcomes.

    Returns the unit frame, the names of the pre-outcome columns, and the id column name.
    """
    y = study.outcome
    if study.period is None:
        idcol = study.unit if study.unit is not None else "__id__"
        extra_cols = {"__y__": frame[y]}
        if study.unit is None:
            extra_cols["__id__"] = frame.index.to_numpy()
        return frame.assign(**extra_cols), [], idcol
    u, p = study.unit, study.period
    pre, post = list(study.pre), list(study.post)
    rows = frame[frame[p].isin(pre + post)]
    # a period without any outcome (all missing) is still a column here: its units are
    # incomplete and counted, not a KeyError
    wide = rows.pivot(index=u, columns=p, values=y).reindex(columns=pre + post)
    complete = wide.notna().all(axis=1)
    n_bad = int((~complete).sum())
    all_units = frame[u].nunique()
    if n_bad:
        warnings.warn(
            Note("matched_did_left_out", n=Count(n_bad), total=Count(all_units),
                 pre=", ".join(map(str, pre)), post=", ".join(map(str, post))),
            DroppedRowsWarning, stacklevel=4,
        )
    wide = wide[complete]
    base = rows[rows[p] == pre[0]].set_index(u)
    base = base.loc[wide.index, list(dict.fromkeys(covs + extra + [TREATED_COL, ARM_COL]))]
    out = base.copy()
    out["__y__"] = (wide[post].mean(axis=1) - wide[pre].mean(axis=1)).to_numpy()
    if pre_outcomes == "each":
        names = [f"{y}[{v}]" for v in pre]
        for name, v in zip(names, pre, strict=True):
            out[name] = wide[v].to_numpy()
    else:
        names = [f"{y}[pre mean]"]
        out[names[0]] = wide[pre].mean(axis=1).to_numpy()
    if len(pre) >= 2:
        # per-unit slope over the pre periods (time = rank of the period), for the
        # matched-sample pre-trend check of the ladder (LADDER.md: matched_did item 6)
        from ..diagnostics import unit_slopes

        order = chronological(pre)
        vals = wide[order].to_numpy(dtype=float)
        n_u, n_p = vals.shape
        ids, sl = unit_slopes(vals.ravel(), np.repeat(np.arange(n_u), n_p),
                              np.tile(np.arange(n_p, dtype=float), n_u))
        slopes = np.full(n_u, np.nan)
        slopes[ids.astype(np.intp)] = sl
        out["__pre_slope__"] = slopes
        out["__pre_sd__"] = float(np.std(vals, ddof=1)) if vals.size > 1 else float("nan")
    out = out.reset_index()
    return out, names, u


def _coarsen(frame: pd.DataFrame, covs: list[str], exact: list[str], bins: Any) -> np.ndarray:
    n = len(frame)
    keys = []
    for c in covs:
        s = frame[c]
        if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
            keys.append(pd.factorize(s.astype(str), sort=True)[0])
            continue
        x = s.to_numpy(dtype=float)
        rule = bins.get(c, "sturges") if isinstance(bins, Mapping) else (
            "sturges" if bins is None else bins)
        if isinstance(rule, (str, int, np.integer)) and not isinstance(rule, bool):
            if isinstance(rule, (int, np.integer)) and rule < 1:
                raise ArgumentError(Note("err_match_bins_min", column=c, value=repr(rule)))
            try:
                edges = np.histogram_bin_edges(x, bins=rule)
            except ValueError as e:
                raise ArgumentError(Note("err_match_bins_rule", column=c, value=repr(rule),
                                         detail=str(e))) from None
            if len(np.unique(x)) <= len(edges) - 1:
                keys.append(pd.factorize(x, sort=True)[0])
                continue
            inner = edges[1:-1]
        else:
            inner = np.sort(np.asarray(rule, dtype=float))
        keys.append(np.searchsorted(inner, x, side="right"))
    for c in exact:
        keys.append(pd.factorize(frame[c].astype(str), sort=True)[0])
    if not keys:
        return np.zeros(n, dtype=np.int64)
    return pd.DataFrame(np.column_stack(keys)).groupby(list(range(len(keys)))).ngroup().to_numpy()


# ======================================================================= api
@records_warnings
def match(
    df: pd.DataFrame,
    *,
    outcome: str,
    group: str,
    treated: Any = None,
    control: Any = None,
    covariates: Sequence[str] | None = None,
    unit: str | None = None,
    period: str | None = None,
    pre: Any = None,
    post: Any = None,
    start: str | None = None,
    distance: Literal["mahalanobis", "propensity"] = "mahalanobis",
    k: int = 1,
    caliper: float | None = None,
    replace: bool | None = None,
    exact: Sequence[str] | str | None = None,
    method: Literal["nearest", "optimal", "cem"] = "nearest",
    estimand: Literal["ATT", "ATC", "ATE"] = "ATT",
    bias_correction: bool = False,
    ci: Literal["auto", "analytic", "percentile", "basic", "bca", "studentized"] = "auto",
    n_boot: int = 9999,
    conf_level: float = 0.95,
    seed: int | None = None,
    bins: int | str | Mapping[str, Any] | None = None,
    var_matches: int = 2,
    pre_outcomes: Literal["each", "mean"] = "each",
) -> Estimate | EstimateCollection:
    """Matched "twin" comparison (``matched``; with periods ``matched_did``).

    Parameters
    ----------
    df : DataFrame
        One row per unit, or (with ``period``) one row per unit and period.
    outcome, group, treated, control, unit, period, pre, post
        Roles (SPEC 3.1). ``control`` with several values gives one result per
        comparison group.
    start : str, optional
        Each unit's start (first treated period; missing = never). With
        periods, comparison units that start on or before the last post period
        are not "not yet started" over the outcome window: they leave the twin
        pool, counted in ``diagnostics["n_comparison_started_in_window"]``.
    covariates : list of str
        Pre-treatment columns to match on (text columns are dummy-coded).
    distance : {"mahalanobis", "propensity"}
        Mahalanobis distance with the pooled within-group covariance, or the
        logit of a logistic propensity score.
    k : int
        Matches per unit (all units tied at the k-th distance are used).
    caliper : float, optional
        Largest allowed distance, in Mahalanobis units or SDs of the logit
        score (0.2 is Austin's recommendation for the propensity score).
    replace : bool, optional
        Reuse comparison units (default True; False for ``method="optimal"``).
    exact : list of str, optional
        Columns that must match exactly (e.g. sex, language group).
    method : {"nearest", "optimal", "cem"}
        Nearest neighbours, optimal 1:1 pairs, or coarsened exact matching.
    estimand : {"ATT", "ATC", "ATE"}
        Effect on participants, on comparison units, or on everyone.
    bias_correction : bool
        Abadie–Imbens (2011) regression adjustment of the matched differences.
    ci : {"auto", "analytic", "percentile", "basic", "bca", "studentized"}
        ``"auto"``/``"analytic"``: Abadie–Imbens SE (with replacement), paired
        t (without), HC2 (CEM). Bootstrap choices only with ``replace=False``.
    n_boot, conf_level, seed
        Bootstrap resamples, interval level, seed (pair bootstrap only).
    bins : int, str or dict, optional
        CEM coarsening (default Sturges' rule per covariate).
    var_matches : int
        J, own-group neighbours for the Abadie–Imbens conditional variance
        (2 as in Stata's ``teffects nnmatch``).
    pre_outcomes : {"each", "mean"}
        Matched DiD: match on each pre-period outcome or on their mean.

    Returns
    -------
    Estimate or EstimateCollection
        ``tables["balance"]`` (see :func:`impacteval.diagnostics.balance_table`),
        ``tables["overlap"]``; ``diagnostics`` holds share matched, unmatched
        ids, max |SMD| after, max reuse of a comparison unit and the effective
        number of comparison units.

    Raises
    ------
    ArgumentError, MethodError, MissingColumnError, ColumnTypeError, LabelError,
    InsufficientDataError, DataError

    Notes
    -----
    See the module docstring for every convention (distance, ties, caliper,
    order of greedy matching, CEM bins, standard errors).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from impacteval.estimators.matching import match
    >>> rng = np.random.default_rng(4)
    >>> x = rng.normal(size=400)
    >>> d = (rng.random(400) < 1 / (1 + np.exp(1 - x))).astype(int)
    >>> df = pd.DataFrame({"g": d, "x": x, "y": 2 * x + 1.0 * d + rng.normal(size=400)})
    >>> res = match(df, outcome="y", group="g", treated=1, covariates=["x"])
    >>> res.design, res.estimand, round(res.estimate, 1)
    ('matched', 'ATT', 1.0)
    """
    check_common(conf_level, "absolute", ci)
    replace = _check_args(k, caliper, replace, method, distance, estimand, ci, n_boot,
                          bias_correction, bins, var_matches, pre_outcomes, exact)
    covs = [str(c) for c in _as_list(covariates)]
    exact_cols = [str(c) for c in _as_list(exact)]
    did = period is not None or pre is not None or post is not None
    if did and (period is None or pre is None or post is None or unit is None):
        raise ArgumentError(Note("err_match_did_roles"))
    if not covs and not did:
        raise ArgumentError(Note("err_match_no_covariates"))
    extra = [c for c in exact_cols if c not in covs]
    study = prepare(df, outcome=outcome, unit=unit, group=group, treated=treated,
                    control=control, period=period, pre=pre, post=post,
                    covariates=covs + extra, need=("group",), min_units=2)
    opts = dict(covs=covs, exact=exact_cols, extra=extra, distance=distance, k=int(k),
                caliper=caliper, replace=replace, method=method, estimand=estimand,
                bias_correction=bias_correction, ci=ci, n_boot=n_boot, conf_level=conf_level,
                seed=seed, bins=bins, var_matches=int(var_matches), pre_outcomes=pre_outcomes,
                did=did)
    started = None
    if start is not None:
        from .staggered import drop_started, note_started, started_units

        started = started_units(df, unit=unit, period=period, post=study.post, start=start)
    results = []
    for label in study.comparison_labels:
        frame = study.arm(label)
        if study.control_mode == "each":
            frame = frame[(frame[TREATED_COL] == 1) | (frame[ARM_COL] == label)]
        if started is not None:
            frame, n_out = drop_started(frame, unit, started)
            results.append(note_started(_one(study, frame, label, **opts), n_out))
            continue
        results.append(_one(study, frame, label, **opts))
    return collect(results)


@records_warnings
def match_unit_changes(
    units: pd.DataFrame,
    *,
    outcome: str,
    group: str,
    treated: Any,
    control: Any,
    covariates: Sequence[str] | None,
    unit: str,
    pre_mean: str,
    slope: str | None,
    pre_sd: float,
    distance: Literal["mahalanobis", "propensity"] = "mahalanobis",
    k: int = 1,
    caliper: float | None = None,
    bias_correction: bool = False,
    ci: Literal["auto", "analytic"] = "auto",
    n_boot: int = 9999,
    conf_level: float = 0.95,
    seed: int | None = None,
    var_matches: int = 2,
) -> Estimate:
    """The matched DiD of :func:`match` (``pre_outcomes="mean"``, nearest neighbours with
    replacement, ATT) from a table of one row per unit, for the evaluation ladder, which
    has each unit's means before and after the start from its one pass over the rows.

    The numbers are those of ``match(rows, period=..., pre=..., post=...,
    pre_outcomes="mean")`` when every unit has a row with an outcome in every pre and
    post period (the caller checks it; otherwise it matches on the rows).

    Parameters
    ----------
    units : DataFrame
        One row per unit: ``outcome`` (its mean after minus its mean before the start),
        ``pre_mean`` (its mean before), the group, the covariates and, with two or more
        pre-periods, ``slope`` (its OLS slope over the pre-periods, time = the periods'
        rank).
    pre_sd : float
        The SD (ddof 1) of the outcome over every pre-period row of these units, the
        scale of the matched pre-trend check.
    outcome, group, treated, control, covariates, unit, distance, k, caliper, \
bias_correction, ci, n_boot, conf_level, seed, var_matches
        As in :func:`match`; ``control`` names one comparison group (or pools them).

    Returns
    -------
    Estimate
        As :func:`match` (design ``"matched_did"``; its ``outcome`` is ``outcome``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from impacteval.estimators.matching import match_unit_changes
    >>> rng = np.random.default_rng(5)
    >>> pre = rng.normal(size=400)
    >>> g = (rng.random(400) < 1 / (1 + np.exp(1 - pre))).astype(int)
    >>> units = pd.DataFrame({"id": np.arange(400), "g": g, "y[pre mean]": pre,
    ...                       "change": 2.0 * g + 0.5 * rng.normal(size=400)})
    >>> e = match_unit_changes(units, outcome="change", group="g", treated=1, control=None,
    ...                        covariates=None, unit="id", pre_mean="y[pre mean]",
    ...                        slope=None, pre_sd=1.0, k=4)
    >>> e.design, round(e.estimate, 1)
    ('matched_did', 2.0)
    """
    check_common(conf_level, "absolute", ci)
    replace = _check_args(k, caliper, True, "nearest", distance, "ATT", ci, n_boot,
                          bias_correction, None, var_matches, "mean", None)
    covs = [str(c) for c in _as_list(covariates)] + [pre_mean]
    study = prepare(units, outcome=outcome, unit=unit, group=group, treated=treated,
                    control=control, covariates=covs, need=("group",), min_units=2)
    if len(study.comparison_labels) != 1:
        raise ArgumentError(Note("err_match_did_roles"))
    label = study.comparison_labels[0]
    frame = study.arm(label)
    if study.control_mode == "each":
        frame = frame[(frame[TREATED_COL] == 1) | (frame[ARM_COL] == label)]
    if slope is not None:  # the matched sample's pre-trend check (as _unit_frame adds it)
        frame = frame.assign(__pre_slope__=units.loc[frame.index, slope].to_numpy(float),
                             __pre_sd__=float(pre_sd))
    return _one(study, frame, label, covs=covs, exact=[], extra=[], distance=distance,
                k=int(k), caliper=caliper, replace=replace, method="nearest", estimand="ATT",
                bias_correction=bias_correction, ci=ci, n_boot=n_boot, conf_level=conf_level,
                seed=seed, bins=None, var_matches=int(var_matches), pre_outcomes="mean",
                did=True)


def _one(study: Study, frame: pd.DataFrame, label: str, *, covs, exact, extra, distance, k,
         caliper, replace, method, estimand, bias_correction, ci, n_boot, conf_level, seed,
         bins, var_matches, pre_outcomes, did) -> Estimate:
    units, pre_names, idcol = _unit_frame(study, frame, covs, extra, pre_outcomes)
    is_t = units[TREATED_COL].to_numpy() == 1
    nt_all, nc_all = int(is_t.sum()), int((~is_t).sum())
    if nt_all < 2 or nc_all < 2:
        raise InsufficientDataError(Note("err_match_too_few", label=str(label), nt=nt_all,
                                         nc=nc_all))
    design = pd.concat([_design(units, covs), units[pre_names]], axis=1)
    if design.shape[1] == 0:
        raise ArgumentError(Note("err_match_nothing"))
    X = design.to_numpy(dtype=float)
    y = units["__y__"].to_numpy(dtype=float)
    ids = units[idcol].to_numpy()
    if method != "cem":
        const = [c for j, c in enumerate(design.columns) if np.ptp(X[:, j]) == 0]
        if const:
            raise DataError(Note("err_match_constant", columns=str(const), label=str(label)))
    Xt, Xc, yt, yc = X[is_t], X[~is_t], y[is_t], y[~is_t]
    notes_inf: dict[str, Any] = {}
    diag: dict[str, Any] = {"method": method, "distance": distance if method != "cem" else None,
                            "k": k if method != "cem" else None, "replace": replace,
                            "caliper": caliper}
    score_t = score_c = None
    pair_diffs = None

    if method == "cem":
        cells = _coarsen(units, covs + pre_names, exact, bins)
        res = _cem(cells, is_t, y, estimand, conf_level)
        wt_all, wc_all, est, se, df_, lo, hi, stat, p, target_matched, n_target, inf = res
        notes_inf.update(inf)
        max_reuse = None
        n_ties = 0
    else:
        if distance == "mahalanobis":
            St = np.atleast_2d(np.cov(Xt, rowvar=False))
            Sc = np.atleast_2d(np.cov(Xc, rowvar=False))
            S = ((nt_all - 1) * St + (nc_all - 1) * Sc) / (nt_all + nc_all - 2)
            try:
                if _near_singular(S, nt_all + nc_all):
                    raise linalg.LinAlgError("near-singular pooled covariance")
                L = linalg.cholesky(S, lower=True)
            except linalg.LinAlgError:
                raise DataError(Note("err_match_collinear", columns=str(list(design.columns)),
                                     k=design.shape[1], n=nt_all + nc_all)) from None
            Z = linalg.solve_triangular(L, (X - X.mean(axis=0)).T, lower=True).T
            cal = math.inf if caliper is None else float(caliper)
            diag["caliper_units"] = "Mahalanobis distance"
        else:
            logit = _propensity_logit(X, is_t, nt_all)
            Z = logit[:, None]
            sd = math.sqrt((np.var(logit[is_t], ddof=1) + np.var(logit[~is_t], ddof=1)) / 2)
            cal = math.inf if caliper is None else float(caliper) * sd
            diag["caliper_units"] = "SD of the logit propensity score"
            diag["propensity_parameters"] = X.shape[1] + 1
            score_t, score_c = logit[is_t], logit[~is_t]
            notes_inf["propensity"] = ("standard error treats the estimated propensity score as "
                                       "known (no Abadie–Imbens 2016 adjustment)")
            if X.shape[1] + 1 > nt_all / 10:
                warnings.warn(Note("ps_too_many_parameters", k=X.shape[1] + 1,
                                   n=Count(nt_all)), AssumptionWarning, stacklevel=4)
        diag["caliper_distance"] = None if not math.isfinite(cal) else cal
        cells_all = _cells(units, exact) if exact else None
        Zt, Zc = Z[is_t], Z[~is_t]
        ct = None if cells_all is None else cells_all[is_t]
        cc = None if cells_all is None else cells_all[~is_t]
        dirs: list[_Dir] = []
        cache: dict = {}
        if estimand in ("ATT", "ATE"):
            sets = _match_sets(Zt, Zc, ct, cc, k=k, caliper=cal, method=method, replace=replace,
                               cache=cache, key="c")
            dirs.append(_Dir(True, sets, sets.sizes > 0))
        if estimand in ("ATC", "ATE"):
            sets = _match_sets(Zc, Zt, cc, ct, k=k, caliper=cal, method=method, replace=replace,
                               cache=cache, key="t")
            dirs.append(_Dir(False, sets, sets.sizes > 0))
        (wt_all, wc_all, est, se, df_, lo, hi, stat, p, target_matched, n_target, inf,
         max_reuse, n_ties, draws) = _nn_estimate(
            dirs, yt, yc, Xt, Xc, Zt, Zc, ct, cc, cache, k=k, replace=replace,
            bias_correction=bias_correction, var_matches=var_matches, ci=ci, n_boot=n_boot,
            conf_level=conf_level, seed=seed)
        pair_diffs = inf.pop("__pair_differences__", None)  # for impacteval.sensitivity
        notes_inf.update(inf)
        if not any(np.asarray(m).any() for _, m in target_matched):
            raise InsufficientDataError(Note(
                "err_match_none_in_caliper", caliper=repr(caliper), n=n_target,
                who=LangText(en="participant", sv="deltagare") if estimand != "ATC" else
                LangText(en="comparison unit", sv="jämförelseenhet")))

    # ---------------------------------------------------------------- diagnostics
    bal_t = design[is_t].reset_index(drop=True)
    bal_c = design[~is_t].reset_index(drop=True)
    if score_t is not None:
        bal_t = bal_t.assign(**{"propensity_logit": score_t})
        bal_c = bal_c.assign(**{"propensity_logit": score_c})
    bal_t = bal_t.loc[:, [c for c in bal_t.columns if np.ptp(bal_t[c].to_numpy()) > 0
                          or np.ptp(bal_c[c].to_numpy()) > 0]]
    bal_c = bal_c.loc[:, bal_t.columns]
    balance = balance_table(bal_t, bal_c, weights_treated=wt_all, weights_control=wc_all)
    if score_t is not None:
        overlap = overlap_report(score_t[:, None], score_c[:, None], columns=["propensity_logit"])
        outside = outside_range(score_t, score_c)
    else:
        overlap = overlap_report(design[is_t].reset_index(drop=True),
                                 design[~is_t].reset_index(drop=True))
        outside = outside_range(Xt, Xc)
    target_ids = np.concatenate([ids[is_t] if t else ids[~is_t] for t, _ in target_matched])
    tm = np.concatenate([m for _, m in target_matched])
    n_matched = int(tm.sum())
    unmatched_ids = [_plain(v) for v in target_ids[~tm]]
    smd_after = balance["smd_after"].abs()
    who_lt = {"ATT": LangText(en="participants", sv="deltagare"),
              "ATC": LangText(en="comparison units", sv="jämförelseenheter"),
              "ATE": LangText(en="units", sv="enheter")}[estimand]
    diag.update({
        "n_target": n_target,
        "n_matched": n_matched,
        "share_matched": n_matched / n_target,
        "n_unmatched": n_target - n_matched,
        "unmatched_ids": unmatched_ids,
        "n_treated_outside_support": int(outside.sum()),
        "outside_support_ids": [_plain(v) for v in ids[is_t][outside]],
        "max_abs_smd_before": float(balance["smd_before"].abs().max()),
        "max_abs_smd_after": float(smd_after.max()),
        "worst_covariate": str(balance.loc[smd_after.idxmax(), "covariate"]) if len(balance) else None,
        "max_control_reuse": max_reuse,
        "n_controls_used": int((wc_all > 0).sum()),
        "effective_n_controls": effective_sample_size(wc_all),
        "n_ties": n_ties,
        **_matched_pretrend(units, is_t, wt_all, wc_all),
        "dropped": dict(study.dropped),
    })
    nom = diag["n_controls_used"]
    diag["ess_ratio"] = diag["effective_n_controls"] / nom if nom else float("nan")
    if n_matched == 0:
        raise InsufficientDataError(Note("err_match_none", who=who_lt, label=str(label)))
    if n_matched < n_target:
        why = (LangText(en="no twin within the caliper or exact cell",
                        sv="ingen tvilling inom calipern eller den exakta cellen")
               if method != "cem" else
               LangText(en="no unit of the other group in their CEM cell",
                        sv="ingen enhet ur den andra gruppen i sin CEM-cell"))
        who_t = {"ATT": LangText(en="participants", sv="deltagarna"),
                 "ATC": LangText(en="comparison units", sv="jämförelseenheterna"),
                 "ATE": LangText(en="units", sv="enheterna")}[estimand]
        warnings.warn(
            Note("matched_subset", n=Count(n_matched), total=Count(n_target), who=who_t,
                 lost=Count(n_target - n_matched), why=why, estimand=estimand),
            AssumptionWarning, stacklevel=4,
        )
    if score_t is not None and diag["n_treated_outside_support"]:
        warnings.warn(
            Note("no_common_support", n=Count(diag["n_treated_outside_support"]),
                 total=Count(nt_all)),
            AssumptionWarning, stacklevel=4,
        )
    if max_reuse is not None and max_reuse > MAX_REUSE:
        warnings.warn(Note("twin_reuse", n=max_reuse, limit=MAX_REUSE),
                      AssumptionWarning, stacklevel=4)
    if nom and diag["ess_ratio"] < 0.5:
        warnings.warn(Note("low_ess", ess=diag["effective_n_controls"], n=Count(nom)),
                      AssumptionWarning, stacklevel=4)
    if np.isfinite(diag["max_abs_smd_after"]) and diag["max_abs_smd_after"] >= 0.1:
        warnings.warn(
            Note("imbalance_bias_correction" if not bias_correction and method != "cem"
                 else "imbalance_remaining", column=diag["worst_covariate"],
                 smd=diag["max_abs_smd_after"]),
            AssumptionWarning, stacklevel=4,
        )

    eff = None
    yt_used, yc_used = yt[wt_all > 0], yc[wc_all > 0]
    # Hedges' g of the matched difference (over the SD of the outcome or, in DiD, of changes)
    if (did or not study.binary) and len(yt_used) >= 2 and len(yc_used) >= 2:
        eff = hedges_g(yt_used, yc_used, conf_level=conf_level, diff=est)
    inference = {"conf_level": conf_level, **notes_inf}
    return Estimate(
        estimate=est, std_error=se, conf_low=lo, conf_high=hi, conf_level=conf_level,
        p_value=p, statistic=stat, df=df_,
        n_treated=int((wt_all > 0).sum()), n_control=int((wc_all > 0).sum()),
        design="matched_did" if did else "matched", estimand=estimand,
        outcome=study.outcome, comparison=label, inference=inference, diagnostics=diag,
        effect_size=eff, draws=draws if method != "cem" else None,
        tables={"balance": balance, "overlap": overlap},
        # matched units' weights by id: private, for designs that analyse the matched
        # sample further (never in to_dict or the report)
        _sensitivity={"unit_weights": pd.Series(np.r_[wt_all, wc_all],
                                                index=np.r_[ids[is_t], ids[~is_t]]),
                      **({} if pair_diffs is None else
                         {"pair_differences": np.array(pair_diffs, dtype=float)})},
    )


def _matched_pretrend(units: pd.DataFrame, is_t: np.ndarray, wt: np.ndarray,
                      wc: np.ndarray) -> dict[str, float]:
    """Weighted pre-period slope difference of the matched sample
    (:func:`impacteval.diagnostics.pretrend_slope`, the one shared definition)."""
    from ..diagnostics import pretrend_slope

    if "__pre_slope__" not in units or wt.sum() <= 0 or wc.sum() <= 0:
        return {}
    sl = units["__pre_slope__"].to_numpy(dtype=float)
    sd = float(units["__pre_sd__"].iloc[0])
    if not sd > 0:
        return {}
    res = pretrend_slope(sl[is_t], sl[~is_t], sd, weights_treated=wt, weights_control=wc)
    if res is None:
        return {}
    return {"pretrend_slope_diff_sd_matched": float(res.slope_sd),
            "pretrend_slope_diff_matched": float(res.slope),
            "pretrend_slope_se_matched": float(res.std_error)}


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _propensity_logit(X: np.ndarray, is_t: np.ndarray, nt: int) -> np.ndarray:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    mu, sd = X.mean(axis=0), X.std(axis=0)
    Xs = (X - mu) / np.where(sd > 0, sd, 1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model = LogisticRegression(C=np.inf, max_iter=1000, tol=1e-10).fit(Xs, is_t.astype(int))
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        warnings.warn(Note("ps_not_converged"), AssumptionWarning, stacklevel=5)
    return model.decision_function(Xs)


def _nn_estimate(dirs: list[_Dir], yt, yc, Xt, Xc, Zt, Zc, ct, cc, cache, *, k, replace, bias_correction,
                 var_matches, ci, n_boot, conf_level, seed):
    nt, nc = len(yt), len(yc)
    # K_u and Σ_l w_lu² for each unit as a match, and whether it is a matched target unit
    kw = {True: np.zeros(nt), False: np.zeros(nc)}
    kw2 = {True: np.zeros(nt), False: np.zeros(nc)}
    reuse = {True: np.zeros(nt, np.int64), False: np.zeros(nc, np.int64)}
    target = {True: np.zeros(nt, bool), False: np.zeros(nc, bool)}
    n_ties = 0
    for d in dirs:
        pool_is_t = not d.target_is_treated
        n_pool = nt if pool_is_t else nc
        w = d.sets.wts
        kw[pool_is_t] += np.bincount(d.sets.idx, w, minlength=n_pool)
        kw2[pool_is_t] += np.bincount(d.sets.idx, w * w, minlength=n_pool)
        reuse[pool_is_t] += np.bincount(d.sets.idx, minlength=n_pool)
        target[d.target_is_treated] |= d.matched
    # bias-correction slopes: per pool group, WLS over units used as matches weighted by K
    betas = {}
    if bias_correction:
        for d in dirs:
            pool_is_t = not d.target_is_treated
            betas[pool_is_t] = _bias_beta(yt if pool_is_t else yc, Xt if pool_is_t else Xc,
                                          kw[pool_is_t])
    diffs = []
    for d in dirs:
        if d.target_is_treated:
            yq, xq, yp, xp = yt, Xt, yc, Xc
        else:
            yq, xq, yp, xp = yc, Xc, yt, Xt
        yhat = _impute(d.sets, yp, xq, xp, betas.get(not d.target_is_treated))
        tau_i = (yq - yhat) if d.target_is_treated else (yhat - yq)
        diffs.append(tau_i[d.matched])
        n_ties += int((d.sets.sizes > k).sum())
    tau_i = np.concatenate(diffs)
    n = len(tau_i)
    est = float(tau_i.mean()) if n else float("nan")
    draws = None
    inf: dict[str, Any] = {"bias_correction": bias_correction, "__pair_differences__": tau_i}
    if replace:
        c_t = kw[True] ** 2 + 2 * kw[True] * target[True] - kw2[True]
        c_c = kw[False] ** 2 + 2 * kw[False] * target[False] - kw2[False]
        s2_t = _own_group_sigma2(Zt, yt, ct, c_t != 0, var_matches, cache, "t")
        s2_c = _own_group_sigma2(Zc, yc, cc, c_c != 0, var_matches, cache, "c")
        v = (np.sum((tau_i - est) ** 2) + np.dot(c_t, s2_t) + np.dot(c_c, s2_c)) / n**2
        se = math.sqrt(v) if v > 0 else float("nan")
        df_ = None
        lo, hi, stat, p = t_test(est, se, None, conf_level)
        inf.update({"method": "analytic", "std_error": "abadie-imbens-2006",
                    "var_matches": var_matches, "reference": "normal"})
    else:
        se = float(np.std(tau_i, ddof=1) / math.sqrt(n)) if n >= 2 else float("nan")
        df_ = float(n - 1) if n >= 2 else None
        lo, hi, stat, p = t_test(est, se, df_, conf_level)
        inf.update({"method": "analytic", "std_error": "paired-difference", "reference": "t"})
        if ci in _BOOT:
            from ..inference import SumStatistic, resample_interval

            def fn(sums, counts):
                return sums[0][:, 0] / counts[0]

            def se_fn(sums, counts):
                m = counts[0]
                var = (sums[0][:, 1] - sums[0][:, 0] ** 2 / m) / (m - 1)
                return np.sqrt(np.maximum(var, 0) / m)

            plan = SumStatistic(strata=[np.column_stack([tau_i, tau_i**2])], fn=fn, se_fn=se_fn)
            out = resample_interval(plan, estimate=est, std_error=se, df=df_, ci=ci,
                                    n_boot=n_boot, conf_level=conf_level, seed=seed,
                                    scheme="matched sets")
            lo, hi, p, draws = out.conf_low, out.conf_high, out.p_value, out.draws
            inf.update(out.info)
            inf["bootstrap_std_error"] = out.std_error
    # matching weights for the balance table
    wt_all = kw[True] + target[True]
    wc_all = kw[False] + target[False]
    target_matched = [(d.target_is_treated, d.matched) for d in dirs]
    n_target = sum(len(d.matched) for d in dirs)
    max_reuse = int(max(reuse[True].max(initial=0), reuse[False].max(initial=0)))
    return (wt_all, wc_all, est, se, df_, lo, hi, stat, p, target_matched, n_target, inf,
            max_reuse, n_ties, draws)


def _cem(cells: np.ndarray, is_t: np.ndarray, y: np.ndarray, estimand: str, conf_level: float):
    import statsmodels.api as sm

    n_cells = int(cells.max()) + 1
    nt_s = np.bincount(cells[is_t], minlength=n_cells).astype(float)
    nc_s = np.bincount(cells[~is_t], minlength=n_cells).astype(float)
    both = (nt_s > 0) & (nc_s > 0)
    keep = both[cells]
    w = np.zeros(len(y))
    ct, cc = cells[is_t], cells[~is_t]
    if estimand == "ATT":
        w[is_t] = 1.0
        w[~is_t] = np.divide(nt_s, nc_s, out=np.zeros(n_cells), where=nc_s > 0)[cc]
        target = [(True, both[ct])]
        n_target = int(is_t.sum())
    elif estimand == "ATC":
        w[~is_t] = 1.0
        w[is_t] = np.divide(nc_s, nt_s, out=np.zeros(n_cells), where=nt_s > 0)[ct]
        target = [(False, both[cc])]
        n_target = int((~is_t).sum())
    else:
        tot = nt_s + nc_s
        w[is_t] = np.divide(tot, nt_s, out=np.zeros(n_cells), where=nt_s > 0)[ct]
        w[~is_t] = np.divide(tot, nc_s, out=np.zeros(n_cells), where=nc_s > 0)[cc]
        target = [(True, both[ct]), (False, both[cc])]
        n_target = len(y)
    w = np.where(keep, w, 0.0)
    used = w > 0
    if used[is_t].sum() < 2 or used[~is_t].sum() < 2:
        raise InsufficientDataError(Note("err_match_cem_few"))
    xd = np.column_stack([np.ones(int(used.sum())), is_t[used].astype(float)])
    fit = sm.WLS(y[used], xd, weights=w[used]).fit(cov_type="HC2")
    est, se = float(fit.params[1]), float(fit.bse[1])
    df_ = float(used.sum() - 2)
    lo, hi, stat, p = t_test(est, se, df_, conf_level)
    inf = {"method": "analytic", "std_error": "wls-hc2", "reference": "t",
           "n_cells": int(both.sum())}
    return (w[is_t], w[~is_t], est, se, df_, lo, hi, stat, p, target, n_target, inf)
