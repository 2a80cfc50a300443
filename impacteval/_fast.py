"""Linear-time kernels for large data: group sums, exact two-way within
transformation, and the two-way fixed-effects regression with clustered errors.

Why hand-written: linearmodels ``PanelOLS`` is the reference implementation of
the panel model (and ``ie.did`` uses it for the data sizes of a municipal
evaluation), but on register data it converts the input to its own
``PanelData`` layout, keeps several dense copies and, for unbalanced panels,
iterates; pyfixest needs formula parsing and its own data handling. What a
difference-in-differences with unit and period effects needs is much less:
integer codes of unit and period, ``np.bincount`` sums, and a T × T system.

Everything here costs O(n·k) time and memory for n rows and k regressors
(plus O(N + T³) for N units and T periods); no n × n matrix and no dense
dummy matrix is ever built.

The within transformation (:func:`twoway_within`) is exact for balanced and
unbalanced panels, without iteration (no alternating projections): by
Frisch–Waugh–Lovell, the annihilator of [unit dummies, period dummies] is
``M = M_E − P_W`` with ``M_E`` the unit demeaning and ``W = M_E·T`` the
unit-demeaned period dummies. ``W'W = diag(n_t) − C' diag(1/n_i) C`` (``C`` the
sparse unit × period incidence matrix) and ``W'M_E v = Σ_t`` of the
unit-demeaned ``v``, so the period effects solve a T × T system and
``M v = M_E v − M_E(γ[t])``. For a balanced panel this reduces to the familiar
``v − v̄_i − v̄_t + v̄``.

:func:`panel_ols` reproduces linearmodels' ``PanelOLS(..., entity_effects=True,
time_effects=True).fit(cov_type="clustered", clusters=...)`` with its defaults
(``debiased=True``, ``auto_df=True``; with two effects the effects are always
counted): ``V = n/(n − d − k) · (X̃'X̃)⁻¹ (Σ_g s_g s_g') (X̃'X̃)⁻¹`` with
``d = N + T − 1`` absorbed effects and ``s_g`` the sum of ``x̃·e`` over cluster
``g`` (no G/(G−1) factor: ``group_debias=False``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = [
    "codes",
    "group_sums",
    "group_means",
    "demean",
    "twoway_within",
    "TwoWay",
    "PanelFit",
    "panel_ols",
    "ABSORBED_TOL",
]

#: a regressor is absorbed by the effects when less than this share of its
#: norm is left after the within transformation (linearmodels uses 1e-5 too)
ABSORBED_TOL = 1e-5


def codes(values: np.ndarray | pd.Series | pd.Index, *, sort: bool = True) -> tuple[np.ndarray, int]:
    """Integer codes 0..m−1 of ``values`` (sorted order of the levels) and m.

    A thin wrapper of :func:`pandas.factorize` (hash based, O(n)).
    """
    c, uniq = pd.factorize(values, sort=sort)
    return c.astype(np.intp, copy=False), len(uniq)


def group_sums(x: np.ndarray, code: np.ndarray, m: int) -> np.ndarray:
    """Sums of ``x`` (1-D, or 2-D column by column) over the groups ``code``."""
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        return np.bincount(code, weights=x, minlength=m)
    out = np.empty((m, x.shape[1]))
    for j in range(x.shape[1]):
        out[:, j] = np.bincount(code, weights=x[:, j], minlength=m)
    return out


def group_means(x: np.ndarray, code: np.ndarray, m: int,
                counts: np.ndarray | None = None) -> np.ndarray:
    """Means of ``x`` over the groups ``code`` (NaN for an empty group)."""
    cnt = np.bincount(code, minlength=m) if counts is None else counts
    s = group_sums(x, code, m)
    with np.errstate(invalid="ignore", divide="ignore"):
        return s / (cnt if s.ndim == 1 else cnt[:, None])


def demean(x: np.ndarray, code: np.ndarray, m: int,
           counts: np.ndarray | None = None) -> np.ndarray:
    """``x`` minus its group mean (one-way within transformation)."""
    x = np.asarray(x, dtype=float)
    return x - group_means(x, code, m, counts)[code]


@dataclass(frozen=True)
class PanelFit:
    """Result of :func:`panel_ols` (plain arrays; the estimator wraps them)."""

    params: np.ndarray
    cov: np.ndarray
    _resid: np.ndarray | None
    x_within: np.ndarray | None
    nobs: int
    n_entity: int
    n_time: int
    n_clusters: int
    df_resid: int
    scale: float
    cluster_codes: np.ndarray
    _xcol: Callable[[int], np.ndarray] | None = field(default=None, repr=False)
    _resid_fn: Callable[[], np.ndarray] | None = field(default=None, repr=False)

    @property
    def resid(self) -> np.ndarray:
        """Residuals (n,); computed on first use when the fit was made from cell sums."""
        if self._resid is None:
            assert self._resid_fn is not None
            object.__setattr__(self, "_resid", self._resid_fn())
        return self._resid

    def x_col(self, j: int) -> np.ndarray:
        """Column ``j`` of the within-transformed regressors (n,)."""
        if self.x_within is not None:
            return self.x_within[:, j]
        assert self._xcol is not None
        return self._xcol(j)

    @property
    def std_errors(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))

    def wald(self, idx: list[int] | np.ndarray) -> float:
        """Wald statistic β_R' V_R⁻¹ β_R for H0: the coefficients ``idx`` are 0."""
        idx = np.asarray(idx, dtype=np.intp)
        b = self.params[idx]
        v = self.cov[np.ix_(idx, idx)]
        return float(b @ np.linalg.solve(v, b))


#: the unit × period incidence matrix is kept dense while it has at most this
#: many cells per row of data (plus a constant), sparse beyond
_DENSE_CELLS_PER_ROW = 4


class TwoWay:
    """Unit and period codes of a panel and the small systems of its two-way
    within transformation; build once, reuse for several variables and models.

    Parameters
    ----------
    entity, time : ndarray of int (n,)
        Codes 0..N−1 and 0..T−1 (see :func:`codes`); the panel may be unbalanced.

    Notes
    -----
    ``C`` is the N × T incidence matrix (rows of each unit in each period),
    dense while N·T is at most a few times n, sparse otherwise. ``A = W'W =
    diag(n_t) − C' diag(1/n_i) C`` with ``W`` the unit-demeaned period dummies
    (never built); ``A⁺`` is a reflexive generalised inverse (T × T) that fixes the
    first period's effect at zero.
    """

    def __init__(self, entity: np.ndarray, time: np.ndarray) -> None:
        self.entity = np.asarray(entity, dtype=np.intp)
        self.time = np.asarray(time, dtype=np.intp)
        self.nobs = len(self.entity)
        self.n_entity = int(self.entity.max()) + 1
        self.n_time = int(self.time.max()) + 1
        self.ent_counts = np.bincount(self.entity, minlength=self.n_entity).astype(float)
        self.time_counts = np.bincount(self.time, minlength=self.n_time).astype(float)
        self.inv_counts = 1.0 / np.maximum(self.ent_counts, 1.0)
        cells = self.n_entity * self.n_time
        self.dense = cells <= _DENSE_CELLS_PER_ROW * self.nobs + 1_000_000
        # a complete panel with its rows in unit-then-period order (the usual layout of a
        # register extract): the cell of row r is r, so cell sums are a reshape and every
        # N × T count is 1 (the sums below then need no pass over C)
        self.ordered = False
        if self.dense and self.nobs == cells:
            cell = self.entity * self.n_time
            cell += self.time
            self.ordered = bool(np.array_equal(cell, np.arange(self.nobs)))
            del cell
        self.balanced = self.ordered
        self.C = (np.ones((self.n_entity, self.n_time)) if self.ordered
                  else self.cell_sums(None))
        if self.dense and not self.ordered:
            self.balanced = bool(self.nobs == cells and (self.C == 1).all())
        self.A = self.wtw(None)
        # A has the null vector 1 (the period dummies sum to the unit effects); the
        # generalised inverse that fixes the first period's effect at 0 avoids
        # inverting that numerically-zero eigenvalue. It is reflexive (G A G = G).
        self.A_pinv = np.zeros_like(self.A)
        if self.n_time > 1:
            self.A_pinv[1:, 1:] = np.linalg.pinv(self.A[1:, 1:], rcond=1e-12, hermitian=True)

    @property
    def n_effects(self) -> int:
        """Absorbed effects N + T − 1 (units and periods present in the data)."""
        return int(np.count_nonzero(self.ent_counts)) + int(np.count_nonzero(self.time_counts)) - 1

    def cell_sums(self, w: np.ndarray | None):
        """N × T sums of ``w`` (row counts when None) per unit and period."""
        if self.ordered:
            if w is None:
                return np.ones((self.n_entity, self.n_time))
            v = np.asarray(w, dtype=float).reshape(self.n_entity, self.n_time)
            return v.copy() if v.base is None else v
        if self.dense:
            # the cell index is made per call (not kept: n integers less at the peak)
            cell = self.entity * self.n_time
            cell += self.time
            m = np.bincount(cell, weights=w, minlength=self.n_entity * self.n_time)
            del cell
            return m.astype(float, copy=False).reshape(self.n_entity, self.n_time)
        data = np.ones(self.nobs) if w is None else np.asarray(w, dtype=float)
        return sparse.csr_matrix((data, (self.entity, self.time)),
                                 shape=(self.n_entity, self.n_time))

    def wtw(self, a: np.ndarray | None) -> np.ndarray:
        """``W' diag(a) W`` for a unit-level vector ``a`` (N,), or ``W'W`` when None."""
        w_unit = self.inv_counts if a is None else a * self.inv_counts
        if self.balanced:  # C = 1 1': C' diag(w) C = Σw · 1 1', diag = Σ_i a_i
            ones = np.ones((self.n_time, self.n_time))
            diag = self.time_counts if a is None else np.full(self.n_time, float(np.sum(a)))
            return np.diag(np.asarray(diag, dtype=float)) - float(np.sum(w_unit)) * ones
        if self.dense:
            cw = self.C * w_unit[:, None]
            ctc = cw.T @ self.C
            diag = self.time_counts if a is None else a @ self.C
        else:
            ctc = (self.C.T @ sparse.diags(w_unit) @ self.C).toarray()
            diag = self.time_counts if a is None else np.asarray(self.C.T @ a).ravel()
        return np.diag(np.asarray(diag, dtype=float)) - ctc

    def _ct(self, v: np.ndarray) -> np.ndarray:
        """``C' v`` (T,): sums over each period's rows of a unit-level vector ``v`` (N,)."""
        if self.balanced:
            return np.full(self.n_time, float(np.sum(v)))
        return np.asarray(self.C.T @ v, dtype=float).ravel()

    def unit_mean_of_period_values(self, v: np.ndarray) -> np.ndarray:
        """(N, k) or (N,): mean over each unit's rows of ``v[t]`` for ``v`` (T, k) or (T,)."""
        v = np.asarray(v, dtype=float)
        if self.balanced:  # every unit has every period once: the mean of v over periods
            m = v.mean(axis=0)
            return (np.full(self.n_entity, float(m)) if v.ndim == 1
                    else np.tile(m, (self.n_entity, 1)))
        cv = self.C @ v
        return cv * (self.inv_counts if cv.ndim == 1 else self.inv_counts[:, None])

    def within(self, v: np.ndarray) -> np.ndarray:
        """Residual of ``v`` (n,) or (n, k) on unit and period dummies (exact)."""
        v = np.asarray(v, dtype=float)
        if v.ndim == 2:
            return np.column_stack([self.within(v[:, j]) for j in range(v.shape[1])])
        vt = v - (np.bincount(self.entity, weights=v, minlength=self.n_entity)
                  * self.inv_counts)[self.entity]
        if self.n_time < 2:
            return vt
        gamma = self.A_pinv @ np.bincount(self.time, weights=vt, minlength=self.n_time)
        vt -= gamma[self.time]
        vt += self.unit_mean_of_period_values(gamma)[self.entity]
        return vt

    def fit_unit_period(self, y: np.ndarray, a: np.ndarray, B: np.ndarray,
                        clusters: np.ndarray | None = None, *,
                        names: list[str] | None = None) -> PanelFit:
        """Two-way FE regression of ``y`` on regressors ``x_j = a_i · B[t, j]``.

        The regressors of a difference-in-differences are of this form: ``a``
        the participant indicator (constant within unit) and ``B`` a period
        function (post indicator; one period for event-time dummies). Then
        everything the regression needs comes from T × T and N × T tables and
        a handful of O(n) passes, without forming the n × k regressor matrix:
        with ``A₁ = W'D_aW``, ``A₂ = W'D_a²W`` and ``Γ = A⁺A₁B``,
        ``X̃'X̃ = B'(A₂ − A₁A⁺A₁)B``, ``X̃'y = B'h_a − Γ'h`` (``h``, ``h_a``
        period sums of the unit-demeaned ``y`` and ``a·y``), and a row of
        ``X̃`` is ``a·B[t] − Γ[t]`` minus its unit mean.

        Parameters
        ----------
        y : ndarray (n,)
        a : ndarray (n,)
            Unit-level multiplier (must be constant within each unit).
        B : ndarray (T, k)
            Period functions.
        clusters : ndarray (n,), optional
            Cluster labels (default: the unit).
        names : list of str, optional

        Returns
        -------
        PanelFit
            As :func:`panel_ols`; ``x_within`` is None (see :meth:`x_within`).
        """
        y = np.asarray(y, dtype=float)
        B = np.asarray(B, dtype=float).reshape(self.n_time, -1)
        k = B.shape[1]
        names = names or [f"x{j}" for j in range(k)]
        a = np.asarray(a, dtype=float)
        a_unit = np.zeros(self.n_entity)
        a_unit[self.entity] = a
        a1 = self.wtw(a_unit)
        a2 = a1 if np.isin(a_unit, (0.0, 1.0)).all() else self.wtw(a_unit**2)
        gam = self.A_pinv @ a1 @ B
        xtx = B.T @ (a2 - a1 @ self.A_pinv @ a1) @ B
        xtx = (xtx + xtx.T) / 2
        # absorbed regressors: compare with the norm before the transformation
        # (Σ_rows a² B[t]² from the N × T counts, a being constant within unit)
        a2_time = self._ct(a_unit**2)
        orig = np.einsum("tj,tj,t->j", B, B, a2_time)
        left = np.diag(xtx)
        bad = [names[j] for j in range(k)
               if orig[j] <= 0 or np.sqrt(max(left[j], 0.0) / orig[j]) < ABSORBED_TOL]
        if bad:
            raise ValueError(f"absorbed by the unit and period effects: {', '.join(bad)}")
        # everything below needs y only through its N × T cell sums (one pass over the
        # rows, shared by every model fitted to the same y): the unit means, the period
        # sums of the unit-demeaned y and a·y, and the cell sums of the residuals
        y_cells = self._y_cells(y)
        ymean = _row_sums(y_cells) * self.inv_counts
        h = _col_sums(y_cells) - self._ct(ymean)
        ha = (np.asarray(y_cells.T @ a_unit).ravel()
              - self._ct(a_unit * ymean))
        params = np.linalg.solve(xtx, B.T @ ha - gam.T @ h)
        # residual: ỹ − W(A⁺h − Γβ) − a·W(Bβ), with W v = v[t] − unit mean of v[t]
        c = self.A_pinv @ h - gam @ params
        b = B @ params
        u = self.unit_mean_of_period_values(c) + a_unit * self.unit_mean_of_period_values(b)

        def resid_rows() -> np.ndarray:
            r = y - (ymean - u)[self.entity]
            r -= c[self.time]
            r -= a * b[self.time]
            return r

        n = self.nobs
        if clusters is None:
            cl, n_cl, nested = self.entity, self.n_entity, True
        else:
            cl, n_cl = codes(np.asarray(clusters))
            cl_unit = np.zeros(self.n_entity, dtype=np.intp)
            cl_unit[self.entity] = cl
            nested = bool((cl_unit[self.entity] == cl).all())
        if n_cl < 2:
            raise ValueError("clustered errors need at least 2 clusters")
        resid = None
        if nested:
            # units nested in clusters: the unit-mean part of x̃ meets Σ_t e = 0, so
            # unit scores are Σ_t e_it (a_i B[t] − Γ[t]) from the N × T sums of e:
            # e summed over a cell is the cell's y sum minus its count × fitted value
            e_cells = self._resid_cells(y_cells, ymean - u, c, a_unit, b)
            unit_scores = np.asarray(e_cells @ gam)
            np.negative(unit_scores, out=unit_scores)
            eb = np.asarray(e_cells @ B)
            del e_cells
            eb *= a_unit[:, None]
            unit_scores += eb
            del eb
            if clusters is None:
                scores = unit_scores
            else:
                scores = group_sums(unit_scores, cl_unit, n_cl)
        else:
            resid = resid_rows()
            scores = np.empty((n_cl, k))
            for j in range(k):
                scores[:, j] = np.bincount(cl, weights=self._x_col(a, a_unit, B, gam, j) * resid,
                                           minlength=n_cl)
        df_resid = n - self.n_effects - k
        if df_resid <= 0:
            raise ValueError(f"no residual degrees of freedom: {n} rows for {self.n_effects} "
                             f"effects and {k} regressor(s)")
        scale = n / df_resid
        bread = np.linalg.inv(xtx)
        cov = scale * bread @ (scores.T @ scores) @ bread
        return PanelFit(params=params, cov=(cov + cov.T) / 2, _resid=resid, x_within=None,
                        nobs=n, n_entity=self.n_entity, n_time=self.n_time, n_clusters=n_cl,
                        df_resid=df_resid, scale=scale, cluster_codes=cl,
                        _xcol=lambda j: self._x_col(a, a_unit, B, gam, j),
                        _resid_fn=resid_rows)

    def _y_cells(self, y: np.ndarray):
        """N × T cell sums of ``y``, kept for the last ``y`` seen (several models, one pass)."""
        cached = getattr(self, "_ycache", None)
        if cached is not None and cached[0] is y:
            return cached[1]
        cells = self.cell_sums(y)
        self._ycache = (y, cells)
        return cells

    def cached_y_cells(self) -> np.ndarray:
        """The N × T cell sums of the last ``y`` fitted (dense incidence only)."""
        cached = getattr(self, "_ycache", None)
        if cached is None or not self.dense:
            raise ValueError("no dense cell sums of y: fit a model first")
        return cached[1]

    def _resid_cells(self, y_cells, unit_part: np.ndarray, c: np.ndarray, a_unit: np.ndarray,
                     b: np.ndarray):
        """N × T cell sums of the residual ``y − unit_part[i] − c[t] − a_i·b[t]``."""
        if self.dense:
            # in place, one N × T array: y − C·(unit part + c[t] + a_i·b[t])
            fitted = np.add.outer(unit_part, c)
            fitted += np.multiply.outer(a_unit, b)
            if not self.balanced:
                fitted *= self.C
            np.subtract(y_cells, fitted, out=fitted)
            return fitted
        cm, ym = self.C.tocsr(), y_cells.tocsr()
        cm.sort_indices()
        ym.sort_indices()
        rows = np.repeat(np.arange(self.n_entity), np.diff(cm.indptr))
        fitted = unit_part[rows] + c[cm.indices] + a_unit[rows] * b[cm.indices]
        if np.array_equal(cm.indptr, ym.indptr) and np.array_equal(cm.indices, ym.indices):
            ysum = ym.data
        else:  # never taken for cell sums of the same rows; kept for safety
            ysum = np.asarray(ym[rows, cm.indices]).ravel()
        return sparse.csr_matrix((ysum - cm.data * fitted, cm.indices, cm.indptr),
                                 shape=cm.shape)

    def _x_col(self, a, a_unit, B, gam, j) -> np.ndarray:
        """Column ``j`` of the within-transformed regressors of :meth:`fit_unit_period`."""
        v = self.unit_mean_of_period_values(B[:, j]) * a_unit \
            - self.unit_mean_of_period_values(gam[:, j])
        return a * B[self.time, j] - gam[self.time, j] - v[self.entity]


def _row_sums(m) -> np.ndarray:
    return np.asarray(m.sum(axis=1)).ravel()


def _col_sums(m) -> np.ndarray:
    return np.asarray(m.sum(axis=0)).ravel()


def twoway_within(v: np.ndarray, entity: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Exact residual of ``v`` on unit and period effects (two-way within transformation).

    Parameters
    ----------
    v : ndarray (n,) or (n, k)
        Variables to transform.
    entity, time : ndarray of int (n,)
        Codes 0..N−1 and 0..T−1 of the unit and the period of every row (see
        :func:`codes`); the panel may be unbalanced.

    Returns
    -------
    ndarray
        Same shape as ``v``: ``M v`` with ``M`` the annihilator of the unit
        and period dummies. For a balanced panel ``v − v̄_i − v̄_t + v̄``.

    Examples
    --------
    >>> import numpy as np
    >>> e = np.array([0, 0, 1, 1]); t = np.array([0, 1, 0, 1])
    >>> twoway_within(np.array([1., 2., 3., 6.]), e, t).round(2).tolist()
    [0.5, -0.5, -0.5, 0.5]
    """
    return TwoWay(entity, time).within(v)


def panel_ols(y: np.ndarray, x: np.ndarray, entity: np.ndarray, time: np.ndarray,
              clusters: np.ndarray | None = None, *, names: list[str] | None = None) -> PanelFit:
    """Two-way fixed-effects OLS (unit and period effects) with clustered errors.

    Same coefficients, residuals and clustered covariance as linearmodels
    ``PanelOLS(y, x, entity_effects=True, time_effects=True).fit(
    cov_type="clustered", clusters=clusters)`` (its defaults: ``debiased=True``,
    effects counted in the degrees of freedom), in O(n·k) time and memory.

    Parameters
    ----------
    y : ndarray (n,)
    x : ndarray (n, k)
        Regressors (no constant: it is absorbed by the effects).
    entity, time : ndarray of int (n,)
        Codes of unit and period (:func:`codes`).
    clusters : ndarray (n,), optional
        Cluster labels (default: the unit).
    names : list of str, optional
        Regressor names for error messages.

    Returns
    -------
    PanelFit

    Raises
    ------
    ValueError
        When a regressor is absorbed by the effects (less than
        :data:`ABSORBED_TOL` of its norm left) or there are fewer than two
        clusters or no residual degrees of freedom.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> e = np.repeat(np.arange(40), 2); t = np.tile([0, 1], 40)
    >>> d = ((e < 20) & (t == 1)).astype(float)
    >>> y = rng.normal(size=80) + 2.0 * d
    >>> fit = panel_ols(y, d[:, None], e, t)
    >>> round(float(fit.params[0]), 2)  # statsmodels OLS with both dummies agrees
    2.62
    """
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    n, k = x.shape
    names = names or [f"x{j}" for j in range(k)]
    tw = TwoWay(entity, time)
    yw = tw.within(y)
    xw = tw.within(x)
    orig = np.sqrt(np.einsum("ij,ij->j", x, x))
    left = np.sqrt(np.einsum("ij,ij->j", xw, xw))
    absorbed = [names[j] for j in range(k) if orig[j] == 0 or left[j] / orig[j] < ABSORBED_TOL]
    if absorbed:
        raise ValueError(f"absorbed by the unit and period effects: {', '.join(absorbed)}")
    xtx = xw.T @ xw
    params = np.linalg.solve(xtx, xw.T @ yw)
    resid = yw - xw @ params
    if clusters is None:
        cl, n_cl = tw.entity, tw.n_entity
    else:
        cl, n_cl = codes(np.asarray(clusters))
    if n_cl < 2:
        raise ValueError("clustered errors need at least 2 clusters")
    scores = group_sums(xw * resid[:, None], cl, n_cl)  # (G, k)
    meat = scores.T @ scores
    extra_df = tw.n_effects
    df_resid = n - extra_df - k
    if df_resid <= 0:
        raise ValueError(f"no residual degrees of freedom: {n} rows for {extra_df} effects "
                         f"and {k} regressor(s)")
    scale = n / df_resid
    bread = np.linalg.inv(xtx)
    cov = scale * bread @ meat @ bread
    cov = (cov + cov.T) / 2
    return PanelFit(params=params, cov=cov, _resid=resid, x_within=xw, nobs=n,
                    n_entity=tw.n_entity, n_time=tw.n_time, n_clusters=n_cl, df_resid=df_resid,
                    scale=scale, cluster_codes=cl)
