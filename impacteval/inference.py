"""The resampling engine: design-aware bootstrap and permutation inference.

Why hand-written: scipy.stats.bootstrap resamples rows of each sample, but it
cannot keep clusters whole, it computes the BCa jackknife by an n × n
leave-one-out matrix (quadratic: at 50,000 per group it runs out of memory),
and it has no wild cluster bootstrap, no sign-flip or label permutation with
test inversion. arch's IIDBootstrap is row-based and loops in Python per
replicate. This module covers what they lack; it uses numpy for the draws and
scipy for the distributions.

The central object is :class:`SumStatistic`: a statistic that is a smooth
function of per-stratum column sums of unit-level (or cluster-level) rows.
Means, differences in means, paired changes, 2×2 difference-in-differences,
ratios of means (relative effects) and Welch standard errors are all of that
form, so a bootstrap replicate costs one gather-and-sum per stratum (no Python
loop per replicate), and the BCa jackknife is exact in O(n) from leave-one-out
sums (``total - row``), never an n × n matrix.

Reproducibility: replicates are drawn in fixed *blocks* (the block size
depends only on the data size); block ``j`` uses the ``j``-th child of
``numpy.random.SeedSequence(seed)``. Blocks are grouped into batches that run
through :mod:`joblib`, so the same seed gives the same draws with any number
of workers and any batch size, and ``with joblib.parallel_backend("dask"):``
moves the batches to a Dask cluster.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import joblib
import numpy as np
from scipy import special

from .errors import ArgumentError, MethodError, bad_choice
from .notes import LangText, Level, Note

__all__ = [
    "SumStatistic",
    "InferenceResult",
    "resample_interval",
    "permutation_test",
    "bootstrap_draws",
    "bootstrap_intervals",
    "choose_auto",
    "AUTO_TABLE",
    "wild_cluster_bootstrap",
    "BOOT_METHODS",
    "EXACT_PERMUTATION_LIMIT",
    "MAX_RESAMPLES",
    "studentized_permutation_test",
    "check_seed",
    "AUTO_RESAMPLE_MAX_UNITS",
]

BOOT_METHODS = ("percentile", "basic", "bca", "studentized", "symmetric")
#: exact enumeration of assignments up to this many; Monte Carlo beyond
EXACT_PERMUTATION_LIMIT = 100_000
#: the largest ``n_boot``/``n_perm`` accepted (raise it by assigning a larger number)
MAX_RESAMPLES = 10_000_000
_TARGET_BLOCK_CELLS = 1_000_000  # rows × replicates gathered per block


@dataclass(frozen=True)
class SumStatistic:
    """A statistic that is a function of per-stratum column sums.

    Parameters
    ----------
    strata : sequence of ndarray
        One 2-D array per stratum (group), rows = resampling units (persons,
        pairs, or clusters), columns = the quantities whose sums the statistic
        needs (e.g. ``y`` and ``y**2``).
    fn : callable
        ``fn(sums, counts) -> ndarray (B,)`` where ``sums[s]`` is the ``(B, p_s)``
        array of column sums of the resampled rows of stratum ``s`` and
        ``counts[s]`` the ``(B,)`` number of units in them.
    se_fn : callable, optional
        Same signature; the analytic standard error per replicate (needed for
        the studentized / symmetric bootstrap-t).
    sizes : sequence of ndarray, optional
        Units per row, when rows are clusters (default: one unit per row).

    Examples
    --------
    >>> import numpy as np
    >>> yt, yc = np.array([3., 5, 4]), np.array([1., 2, 2, 3])
    >>> diff = SumStatistic([yt[:, None], yc[:, None]],
    ...                     lambda s, n: s[0][:, 0] / n[0] - s[1][:, 0] / n[1])
    >>> float(diff.value())
    2.0
    """

    strata: Sequence[np.ndarray]
    fn: Callable[[list[np.ndarray], list[np.ndarray]], np.ndarray]
    se_fn: Callable[[list[np.ndarray], list[np.ndarray]], np.ndarray] | None = None
    sizes: Sequence[np.ndarray] | None = None
    _packed: list[np.ndarray] = field(init=False, repr=False, compare=False, default_factory=list)
    _value_packed: list[tuple[list[np.ndarray], list[int]]] = field(
        init=False, repr=False, compare=False, default_factory=list)
    _unit_rows: list[bool] = field(init=False, repr=False, compare=False, default_factory=list)
    _inverse: list[np.ndarray] = field(init=False, repr=False, compare=False, default_factory=list)

    def __post_init__(self) -> None:
        strata = [np.asarray(s, dtype=float) for s in self.strata]
        strata = [s[:, None] if s.ndim == 1 else s for s in strata]
        sizes = ([np.ones(len(s)) for s in strata] if self.sizes is None
                 else [np.asarray(z, dtype=float) for z in self.sizes])
        # canonical row order (sorted by the values): the resamples then depend on the
        # data only, never on the order of the rows or on how the unit ids sort
        inverse = []
        orient = _orientation(self.fn, strata, sizes)
        for j, (x, z) in enumerate(zip(strata, sizes, strict=True)):
            # key: squared deviation of the first column from its mean, then all columns
            # times the sign of the statistic: invariant to the rows' order and to a change
            # of scale of the outcome, and under a change of sign the rows keep their order
            # (values symmetric about the mean, e.g. any group of 2, tie on the first key;
            # sorting them by the raw values would swap them when the outcome is negated,
            # and the resamples would no longer be the mirror image of the unnegated ones)
            dev = (x[:, 0] - x[:, 0].mean()) ** 2 if len(x) else x[:, 0]
            keys = np.column_stack([dev, orient * x, z]).T[::-1]
            order = np.lexsort(keys) if len(x) > 1 else np.arange(len(x))
            strata[j], sizes[j] = np.ascontiguousarray(x[order]), z[order]
            inverse.append(np.argsort(order))
        object.__setattr__(self, "_inverse", inverse)
        object.__setattr__(self, "strata", strata)
        object.__setattr__(self, "sizes", sizes)
        object.__setattr__(self, "_packed", [_pack_columns(s) for s in strata])
        # the columns the statistic itself reads (a difference in means reads the sums of
        # y, not of y²): the percentile, basic and BCa draws gather only those
        used = _used_columns(self.fn, strata, sizes)
        object.__setattr__(self, "_value_packed",
                           [(_pack_columns(x[:, cols]), cols) for x, cols in zip(strata, used,
                                                                                  strict=True)])
        object.__setattr__(self, "_unit_rows", [bool(np.all(z == 1.0)) for z in self.sizes])

    @property
    def n_rows(self) -> list[int]:
        return [len(s) for s in self.strata]

    def totals(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        sums = [s.sum(axis=0)[None, :] for s in self.strata]
        counts = [np.array([z.sum()]) for z in self.sizes]
        return sums, counts

    def value(self) -> float:
        sums, counts = self.totals()
        return float(self.fn(sums, counts)[0])

    def se(self) -> float:
        if self.se_fn is None:
            return float("nan")
        sums, counts = self.totals()
        return float(self.se_fn(sums, counts)[0])

    def jackknife(self) -> list[np.ndarray]:
        """Leave-one-row-out values per stratum, O(n) from total − row sums."""
        sums, counts = self.totals()
        out = []
        for s, (x, z) in enumerate(zip(self.strata, self.sizes, strict=True)):
            loo_sums = [np.broadcast_to(t, (len(x), t.shape[1])) for t in sums]
            loo_counts = [np.broadcast_to(c, (len(x),)) for c in counts]
            loo_sums[s] = sums[s] - x
            loo_counts[s] = counts[s] - z
            # in the caller's row order (the strata are held sorted internally)
            out.append(np.asarray(self.fn(loo_sums, loo_counts), dtype=float)[self._inverse[s]])
        return out


def _orientation(fn: Callable, strata: list[np.ndarray], sizes: list[np.ndarray]) -> float:
    """−1 when the statistic on the full data is clearly negative, else +1.

    The statistics of the package change sign with the outcome, so multiplying
    the tie-breaking sort keys by this sign makes the canonical row order the
    same for ``y`` and ``−y``. "Clearly": beyond the rounding of the sums, so
    that the order of the rows cannot flip it.
    """
    try:
        sums = [s.sum(axis=0)[None, :] for s in strata]
        counts = [np.array([z.sum()]) for z in sizes]
        with np.errstate(all="ignore"):
            v = float(np.asarray(fn(sums, counts), dtype=float).ravel()[0])
        scale = max((float(np.abs(s[:, 0]).max()) for s in strata if len(s)), default=0.0)
    except Exception:  # a statistic undefined on the full data: keep the plain order
        return 1.0
    return -1.0 if math.isfinite(v) and v < -1e-9 * scale else 1.0


def _used_columns(fn: Callable, strata: list[np.ndarray], sizes: list[np.ndarray]) -> list[list[int]]:
    """Per stratum, the columns whose sums ``fn`` reads (all of them when unsure).

    Found once on the full-data totals: a column is unused when setting its sum
    to NaN, and to another finite number, leaves ``fn``'s value unchanged.
    """
    sums = [x.sum(axis=0)[None, :] for x in strata]
    counts = [np.array([z.sum()]) for z in sizes]

    def value(alt: list[np.ndarray]) -> float:
        with np.errstate(all="ignore"):
            return float(np.asarray(fn(alt, counts), dtype=float).ravel()[0])

    try:
        ref = value(sums)
    except Exception:  # noqa: BLE001 - a statistic undefined on the totals: gather everything
        return [list(range(x.shape[1])) for x in strata]
    if not math.isfinite(ref):
        return [list(range(x.shape[1])) for x in strata]
    used = []
    for s, x in enumerate(strata):
        cols = []
        for j in range(x.shape[1]):
            same = True
            for fill in (np.nan, 2.0 * float(sums[s][0, j]) + 1.0):
                alt = [t.copy() for t in sums]
                alt[s][0, j] = fill
                try:
                    v = value(alt)
                except Exception:  # noqa: BLE001 - it reads the column
                    v = math.nan
                same = same and v == ref
            if not same:
                cols.append(j)
        used.append(cols)
    return used


@dataclass(frozen=True)
class InferenceResult:
    """Interval, p-value, bootstrap SE and draws from a resampling run."""

    conf_low: float
    conf_high: float
    p_value: float
    std_error: float
    draws: np.ndarray | None
    info: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------- draws
def _block_size(n_total_rows: int) -> int:
    return int(max(1, min(1024, _TARGET_BLOCK_CELLS // max(n_total_rows, 1))))


def check_seed(seed: Any) -> None:
    """Raise :class:`ArgumentError` unless ``seed`` is None, a whole number ≥ 0 or a SeedSequence."""
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise ArgumentError(Note("err_inf_seed_type", value=repr(seed),
                                 type=type(seed).__name__))
    if seed < 0:
        raise ArgumentError(Note("err_inf_seed", value=repr(seed)))


def _check_n_boot(n_boot: Any, name: str = "n_boot") -> None:
    """Whole number between 99 and :data:`MAX_RESAMPLES` (a bound against runaway runs)."""
    if (isinstance(n_boot, (bool, np.bool_)) or not isinstance(n_boot, (int, np.integer))
            or n_boot < 99):
        raise ArgumentError(Note("err_inf_n_boot", name=name, value=repr(n_boot)))
    if n_boot > MAX_RESAMPLES:
        raise ArgumentError(Note("err_inf_n_boot_max", name=name, value=int(n_boot),
                                 limit=MAX_RESAMPLES))


def _resolve_seed(seed: int | np.random.SeedSequence | None) -> tuple[np.random.SeedSequence, Any]:
    if isinstance(seed, np.random.Generator):
        raise ArgumentError(Note("err_inf_seed_generator"))
    check_seed(seed)
    if isinstance(seed, np.random.SeedSequence):
        return seed, seed.entropy
    ss = np.random.SeedSequence(None if seed is None else int(seed))
    return ss, ss.entropy


def _pack_columns(x: np.ndarray) -> list[np.ndarray]:
    """Columns of a stratum as contiguous 1-D arrays, two columns per complex128.

    One gather of 16-byte complex values fetches two columns with one pass
    over the indices, which is what makes a replicate of a difference in
    means (columns y and y²) cost about one gather instead of two.
    """
    p = x.shape[1]
    packed = []
    for j in range(0, p - 1, 2):
        packed.append(np.ascontiguousarray(x[:, j] + 1j * x[:, j + 1]))
    if p % 2:
        packed.append(np.ascontiguousarray(x[:, p - 1]))
    return packed


#: replicates × rows gathered at a time inside a block: the indices and the gathered
#: values of one chunk (≤ 1.25 MB) stay in the L2 cache while they are summed
_CHUNK_CELLS = 1 << 16


def _gather_into(out: np.ndarray, packed: list[np.ndarray], cols: list[int], idx: np.ndarray,
                 bufs: dict) -> None:
    """Column sums of the rows ``idx`` (shape (k, m)) into ``out[:, cols]``."""
    k = idx.shape[0]
    j = 0
    for col in packed:
        buf = bufs.get(col.dtype)
        if buf is None or buf.shape[0] < k:
            buf = bufs[col.dtype] = np.empty(idx.shape, dtype=col.dtype)
        # mode="clip": the indices are in range by construction, and numpy buffers
        # a take into ``out`` under the default mode="raise" (about 10 × slower)
        s = np.take(col, idx, out=buf[:k], mode="clip").sum(axis=1)
        if np.iscomplexobj(s):
            out[:, cols[j]], out[:, cols[j + 1]] = s.real, s.imag
            j += 2
        else:
            out[:, cols[j]] = s
            j += 1


def _gather_sums(packed: list[np.ndarray], p: int, idx: np.ndarray) -> np.ndarray:
    """Column sums of the rows ``idx`` (shape (b, m)) → (b, p)."""
    out = np.empty((idx.shape[0], p))
    _gather_into(out, packed, list(range(p)), idx, {})
    return out


def _draw_block(plan: SumStatistic, child: np.random.SeedSequence, b: int, studentize: bool):
    """``b`` replicates: rows drawn with replacement within each stratum.

    The indices are drawn as int32 (the same numbers numpy draws as int64,
    with half the memory traffic) in stratum order, so a block's draws depend
    only on its seed and the data size. They are drawn and gathered in chunks
    of about :data:`_CHUNK_CELLS` (consecutive draws from one generator, so
    the numbers do not depend on the chunking), which keeps the indices and the
    gathered values cache-resident. Without ``studentize`` only the columns the
    statistic reads are gathered; the others' sums are NaN.
    """
    rng = np.random.default_rng(child)
    sums, counts = [], []
    for x, z, packed, value_packed, unit in zip(plan.strata, plan.sizes, plan._packed,
                                                plan._value_packed, plan._unit_rows, strict=True):
        m, p = x.shape
        cols_packed, cols = (packed, list(range(p))) if studentize else value_packed
        out = np.full((b, p), np.nan)
        cnt = np.full(b, float(m)) if unit else np.empty(b)
        step = max(1, _CHUNK_CELLS // max(m, 1))
        dtype = np.int32 if m < 2**31 else np.int64
        bufs: dict = {}
        for lo in range(0, b, step):
            hi = min(b, lo + step)
            idx = rng.integers(0, m, size=(hi - lo, m), dtype=dtype)
            _gather_into(out[lo:hi], cols_packed, cols, idx, bufs)
            if not unit:
                cnt[lo:hi] = np.take(z, idx, mode="clip").sum(axis=1)
        sums.append(out)
        counts.append(cnt)
    theta = np.asarray(plan.fn(sums, counts), dtype=float)
    se = np.asarray(plan.se_fn(sums, counts), dtype=float) if studentize else None
    return theta, se


def _runs_inline(n_jobs: int | None) -> bool:
    """True when joblib would run the batches sequentially in this process anyway."""
    if n_jobs not in (None, 1):
        return False
    backend, cfg_jobs = joblib.parallel.get_active_backend()
    return cfg_jobs in (None, 1) and type(backend).__name__ in ("LokyBackend",
                                                                 "SequentialBackend")


def _run_blocks(plan: SumStatistic, n_boot: int, ss: np.random.SeedSequence,
                studentize: bool, n_jobs: int | None, batch_blocks: int | None):
    b = _block_size(sum(plan.n_rows))
    n_blocks = math.ceil(n_boot / b)
    children = ss.spawn(n_blocks)
    sizes = [min(b, n_boot - j * b) for j in range(n_blocks)]
    per_batch = batch_blocks or max(1, math.ceil(n_blocks / (4 * (n_jobs or 1))))

    def batch(lo: int, hi: int):
        return [_draw_block(plan, children[j], sizes[j], studentize) for j in range(lo, hi)]

    ranges = [(lo, min(lo + per_batch, n_blocks)) for lo in range(0, n_blocks, per_batch)]
    # n_jobs=None runs inline unless the caller chose a backend (e.g. dask) with
    # joblib.parallel_config / parallel_backend; the draws are the same either way.
    if _runs_inline(n_jobs):  # skip joblib's per-call overhead (~1 ms) for small problems
        parts = [batch(lo, hi) for lo, hi in ranges]
    else:
        parts = joblib.Parallel(n_jobs=n_jobs)(joblib.delayed(batch)(lo, hi) for lo, hi in ranges)
    flat = [blk for part in parts for blk in part]
    theta = np.concatenate([t for t, _ in flat])
    se = np.concatenate([s for _, s in flat]) if studentize else None
    return theta, se


def bootstrap_draws(plan: SumStatistic, n_boot: int = 9999, seed: Any = None, *,
                    studentize: bool = False, n_jobs: int | None = None,
                    batch_blocks: int | None = None):
    """Bootstrap replicates of ``plan``: rows resampled within each stratum.

    Returns ``(theta, se, entropy)``; ``se`` is None unless ``studentize``.
    """
    _check_n_boot(n_boot)
    for s, x in enumerate(plan.strata):
        if len(x) < 2:
            raise ArgumentError(Note("err_inf_stratum", s=s, n=len(x)))
    ss, entropy = _resolve_seed(seed)
    theta, se = _run_blocks(plan, int(n_boot), ss, studentize, n_jobs, batch_blocks)
    return theta, se, entropy


# ----------------------------------------------------------------- intervals
def _pct(draws: np.ndarray, q: np.ndarray | float) -> np.ndarray:
    """Linear-interpolation quantiles that treat ±inf as ordinary (unbounded) values.

    numpy's interpolation gives nan next to an infinite order statistic (inf · 0);
    here such a quantile is ±inf.
    """
    x = np.asarray(draws, dtype=float)
    if not np.isinf(x).any():
        return np.quantile(x, q, method="linear")
    big = 1e300
    out = np.quantile(np.clip(x, -big, big), q, method="linear")
    # a quantile interpolated towards a clipped infinite neighbour is itself unbounded
    # (not a finite 10²⁹⁶-wide interval)
    return np.where(out >= big * 1e-50, np.inf, np.where(out <= -big * 1e-50, -np.inf, out))


def _bca_interval(draws: np.ndarray, est: float, jack: list[np.ndarray], alpha: float) -> tuple[float, float, dict]:
    """BCa interval (Efron 1987), acceleration from the jackknife as in scipy."""
    finite = draws[np.isfinite(draws)]
    # ties count half (as scipy); draws within 1e-6 SD of the estimate are ties: on a
    # discrete grid (amounts in öre) resampled means equal the estimate exactly, and at a
    # level of 10⁹ the same means differ from it only by rounding (~1e-7)
    tol = 1e-6 * float(np.std(finite)) if len(finite) > 1 else 0.0
    tie = np.abs(finite - est) <= tol
    prop = (np.sum((finite < est) & ~tie) + 0.5 * np.sum(tie)) / len(finite)
    z0 = special.ndtri(prop)
    nums, dens = 0.0, 0.0
    for th in jack:
        n = len(th)
        u = (n - 1) * (th.mean() - th)
        nums += np.sum(u**3) / n**3
        dens += np.sum(u**2) / n**2
    a = nums / (6 * dens**1.5) if dens > 0 else 0.0
    zq = special.ndtri(np.array([alpha / 2, 1 - alpha / 2]))
    adj = special.ndtr(z0 + (z0 + zq) / (1 - a * (z0 + zq)))
    lo, hi = _pct(finite, adj)
    return float(lo), float(hi), {"bias_z0": float(z0), "acceleration": float(a)}


def bootstrap_intervals(theta: np.ndarray, se_star: np.ndarray | None, *, estimate: float,
                        std_error: float, methods: Sequence[str], conf_level: float = 0.95,
                        jackknife: list[np.ndarray] | None = None,
                        info: dict[str, Any] | None = None) -> dict[str, tuple[float, float]]:
    """Several bootstrap intervals from one set of replicates.

    Parameters
    ----------
    theta : ndarray
        Bootstrap replicates θ* (non-finite ones are ignored).
    se_star : ndarray or None
        Replicate standard errors (needed by ``"studentized"``/``"symmetric"``).
    estimate, std_error : float
        θ̂ and its analytic standard error.
    methods : sequence of str
        Any of :data:`BOOT_METHODS`.
    jackknife : list of ndarray, optional
        Leave-one-out values per stratum (``SumStatistic.jackknife()``), for BCa.
    info : dict, optional
        Receives BCa's ``bias_z0`` and ``acceleration``.

    Returns
    -------
    dict
        ``method -> (conf_low, conf_high)``.

    Examples
    --------
    >>> th = np.random.default_rng(0).normal(1.0, 0.5, 999)
    >>> iv = bootstrap_intervals(th, None, estimate=1.0, std_error=0.5,
    ...                          methods=("percentile", "basic"))
    >>> sorted(iv)
    ['basic', 'percentile']
    """
    alpha = 1 - conf_level
    est = float(estimate)
    th = theta[np.isfinite(theta)]
    out: dict[str, tuple[float, float]] = {}
    t = None
    tails = None
    for ci in methods:
        if ci not in BOOT_METHODS:
            raise MethodError(Note("err_inf_not_boot", ci=repr(ci), methods=", ".join(BOOT_METHODS)))
        if ci in ("percentile", "basic") and tails is None:
            tails = _pct(th, [alpha / 2, 1 - alpha / 2])
        if ci == "percentile":
            lo, hi = tails
        elif ci == "basic":
            lo, hi = 2 * est - tails[1], 2 * est - tails[0]
        elif ci == "bca":
            if jackknife is None:
                raise MethodError(Note("err_inf_bca_jackknife"))
            lo, hi, extra = _bca_interval(th, est, jackknife, alpha)
            if info is not None:
                info.update(extra)
        else:
            if se_star is None:
                raise MethodError(Note("err_inf_needs_se", ci=repr(ci)))
            if t is None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    t = (theta - est) / se_star
                # keep ±inf (a resample with no spread has an unbounded t*): dropping them
                # would make the bootstrap-t interval too narrow in tiny groups
                t = t[~np.isnan(t)]
            if ci == "studentized":
                tlo, thi = _pct(t, [alpha / 2, 1 - alpha / 2])
                lo, hi = est - thi * std_error, est - tlo * std_error
            else:
                q = _pct(np.abs(t), 1 - alpha)
                lo, hi = est - q * std_error, est + q * std_error
        out[ci] = (float(lo), float(hi))
    return out


def resample_interval(plan: SumStatistic, *, estimate: float | None = None,
                      std_error: float | None = None, df: float | None = None,
                      ci: str = "bca", n_boot: int = 9999, conf_level: float = 0.95,
                      seed: Any = None, n_jobs: int | None = None,
                      batch_blocks: int | None = None, scheme: str = "units") -> InferenceResult:
    """Bootstrap interval for a :class:`SumStatistic`.

    Parameters
    ----------
    plan : SumStatistic
    estimate, std_error, df : float, optional
        The point estimate and its analytic SE/df (computed from ``plan`` when
        omitted; ``std_error`` is required for ``"studentized"``/``"symmetric"``).
    ci : {"percentile", "basic", "bca", "studentized", "symmetric"}
        ``"studentized"`` is the equal-tailed bootstrap-t, ``"symmetric"`` the
        symmetric bootstrap-t (quantile of ``|t*|``), which holds coverage best
        for skewed outcomes in small samples (see ``benchmarks/coverage.py``).
    n_boot, conf_level, seed
        Number of resamples, interval level, and seed (int; the entropy used is
        recorded in ``info["seed"]`` so a run without a seed can be repeated).
    n_jobs, batch_blocks
        Passed to joblib; the draws do not depend on them.

    Returns
    -------
    InferenceResult

    Notes
    -----
    percentile: quantiles of θ*. basic: 2θ̂ − quantiles of θ*. BCa: bias- and
    acceleration-corrected percentile (Efron 1987; acceleration from the
    leave-one-out jackknife, computed exactly in O(n)). studentized:
    θ̂ − q(t*)·se with t* = (θ* − θ̂)/se*. The p-value (H0: effect = 0) is
    built like the interval (see :func:`_matching_p_value`), so that 0 lies
    outside the interval exactly when p < 1 − conf_level, up to the
    resampling granularity.
    """
    if ci not in BOOT_METHODS:
        raise MethodError(Note("err_inf_not_boot", ci=repr(ci), methods=", ".join(BOOT_METHODS)))
    est = plan.value() if estimate is None else float(estimate)
    # the percentile, basic and BCa intervals and their p-values use θ* only
    studentize = ci in ("studentized", "symmetric")
    if ci in ("studentized", "symmetric") and plan.se_fn is None:
        raise MethodError(Note("err_inf_no_se_fn", ci=repr(ci)))
    se_hat = plan.se() if std_error is None else float(std_error)
    theta, se_star, entropy = bootstrap_draws(plan, n_boot, seed, studentize=studentize,
                                              n_jobs=n_jobs, batch_blocks=batch_blocks)
    info: dict[str, Any] = {"method": ci, "n_boot": int(n_boot), "seed": entropy, "scheme": scheme,
                            "conf_level": conf_level}
    ok = np.isfinite(theta)
    if (~ok).any():
        info["n_failed_resamples"] = int((~ok).sum())
    th = theta[ok]
    if len(th) < 0.9 * n_boot:
        raise MethodError(Note("err_inf_failed", bad=n_boot - len(th), n=n_boot))
    ivals = bootstrap_intervals(theta, se_star, estimate=est, std_error=se_hat, methods=(ci,),
                                conf_level=conf_level,
                                jackknife=plan.jackknife() if ci == "bca" else None, info=info)
    lo, hi = ivals[ci]
    p = _matching_p_value(ci, theta, se_star, est, se_hat,
                          plan.jackknife() if ci == "bca" else None, info)
    return InferenceResult(conf_low=float(lo), conf_high=float(hi), p_value=float(min(1.0, p)),
                           std_error=float(np.std(th, ddof=1)), draws=theta, info=info)


def _matching_p_value(ci: str, theta: np.ndarray, se_star: np.ndarray | None, est: float,
                      se_hat: float, jack: list[np.ndarray] | None, info: dict) -> float:
    """Two-sided p-value for H0: effect = 0 from the same construction as the interval,
    so that 0 lies outside the (1 − α) interval exactly when p < α (up to the
    resampling granularity): the interval and the p-value of one call never
    contradict each other.

    percentile: 2·min(F*(0), 1 − F*(0)); basic: the same for 2θ̂ − θ*; BCa: the
    level at which a BCa bound reaches 0 (Efron & Tibshirani 1993, ch. 15);
    studentized: the equal-tailed bootstrap-t p-value; symmetric: share of
    |t*| ≥ |θ̂/se|.
    """
    th = theta[np.isfinite(theta)]
    m = len(th)
    if ci in ("studentized", "symmetric") and se_star is not None and np.isfinite(se_hat) \
            and se_hat > 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (theta - est) / se_star
        t = t[~np.isnan(t)]
        t0 = est / se_hat
        if ci == "symmetric":
            return (np.sum(np.abs(t) >= abs(t0)) + 1) / (len(t) + 1)
        # equal-tailed: 0 is below the interval when t0 > q_{1−α/2}(t*)
        return 2 * min(np.sum(t >= t0) + 1, np.sum(t <= t0) + 1) / (len(t) + 1)
    if ci == "basic":
        ref = 2 * est - th
    else:
        ref = th
    below = (np.sum(ref < 0) + 0.5 * np.sum(ref == 0)) / m
    if ci == "bca" and jack is not None:
        z0 = float(info.get("bias_z0", 0.0))
        a = float(info.get("acceleration", 0.0))
        zq = special.ndtri(min(max(below, 0.5 / m), 1 - 0.5 / m))
        w = (zq - z0) / (1 + a * (zq - z0))
        one = float(special.ndtr(w - z0))
        return min(1.0, 2 * min(one, 1 - one))
    return min(1.0, 2 * (min(below, 1 - below) * m + 1) / (m + 1))


# --------------------------------------------------------------- permutation
def permutation_test(y_treated: np.ndarray, y_control: np.ndarray | None = None, *,
                     n_perm: int = 9999, conf_level: float = 0.95, seed: Any = None,
                     exact_limit: int = EXACT_PERMUTATION_LIMIT,
                     invert: bool = True) -> InferenceResult:
    """Permutation (randomisation) test for a difference in means, or sign-flip
    test for a mean of paired changes when ``y_control`` is None.

    The p-value is exact (all assignments enumerated) when their number is at
    most ``exact_limit`` (default 100,000), otherwise Monte Carlo with
    ``n_perm`` draws (p = (hits + 1)/(draws + 1)). The interval is found by
    test inversion: the shifts δ for which H0: effect = δ is not rejected at
    1 − conf_level (two-sided), using the same assignments for every δ.

    Examples
    --------
    >>> r = permutation_test(np.array([5., 6, 7]), np.array([1., 2, 3]), seed=1)
    >>> round(r.p_value, 3)
    0.1
    """
    # sorted: the assignments then depend on the values only, never on how the rows
    # (or the unit ids they were ordered by) happened to be arranged
    yt = np.sort(np.asarray(y_treated, dtype=float))
    paired = y_control is None
    yc = np.empty(0) if paired else np.sort(np.asarray(y_control, dtype=float))
    nt, nc = len(yt), len(yc)
    if not (exact_limit >= 2 ** nt if paired else exact_limit >= math.comb(nt + nc, nt)):
        _check_n_boot(n_perm, "n_perm")
    ss, entropy = _resolve_seed(seed)
    rng = np.random.default_rng(ss)
    if paired:
        n_assign = 2.0**nt if nt < 1000 else math.inf
        exact = n_assign <= exact_limit
        if exact:
            grid = np.array(np.meshgrid(*[[1.0, -1.0]] * nt, indexing="ij")).reshape(nt, -1).T
        else:
            grid = rng.choice([-1.0, 1.0], size=(n_perm, nt))
    else:
        n = nt + nc
        n_assign = math.comb(n, nt)
        exact = n_assign <= exact_limit
        if exact:
            grid = np.zeros((n_assign, n), dtype=bool)
            for r, comb in enumerate(combinations(range(n), nt)):
                grid[r, list(comb)] = True
        else:
            keys = rng.random((n_perm, n))
            order = np.argsort(keys, axis=1)
            grid = np.zeros((n_perm, n), dtype=bool)
            np.put_along_axis(grid, order[:, :nt], True, axis=1)

    # The statistic is linear in the hypothesised shift δ: for every assignment
    # perm(δ) = perm(0) − δ·slope, and obs(δ) = obs(0) − δ. Two matrix-vector
    # products serve the whole test inversion (O(draws) per δ afterwards).
    if paired:
        obs_zero = yt.mean()
        perm_zero = grid @ yt / nt
        slope = grid.sum(axis=1) / nt
    else:
        pooled0 = np.concatenate([yt, yc])
        obs_zero = yt.mean() - yc.mean()
        s_t = grid @ pooled0
        perm_zero = s_t / nt - (pooled0.sum() - s_t) / nc
        k_t = grid[:, :nt].sum(axis=1)  # original participants drawn into the treated slot
        slope = k_t / nt - (nt - k_t) / nc

    def stat_of(delta: float) -> tuple[float, np.ndarray]:
        if delta == 0:
            return obs_zero, perm_zero
        return obs_zero - delta, perm_zero - delta * slope

    def pval(delta: float) -> float:
        obs, perm = stat_of(delta)
        tol = 1e-9 * max(1.0, abs(obs))
        hits = np.sum(np.abs(perm) >= abs(obs) - tol)
        return hits / len(perm) if exact else (hits + 1) / (len(perm) + 1)

    obs0 = yt.mean() if paired else yt.mean() - yc.mean()
    p0 = pval(0.0)
    info = {"method": "permutation", "n_boot": None if exact else int(n_perm), "seed": entropy,
            "exact": bool(exact), "n_assignments": _as_float(n_assign),
            "scheme": "sign flips" if paired else "label permutation", "conf_level": conf_level}
    lo = hi = float("nan")
    if invert:
        alpha = 1 - conf_level
        spread = np.std(np.concatenate([yt, yc]), ddof=1) if (nt + nc) > 1 else 1.0
        step = max(spread, 1e-12)

        def f(delta: float) -> float:
            return pval(delta) - alpha

        lo = _invert(f, obs0, -step)
        hi = _invert(f, obs0, step)
        if min(pval(obs0), 1.0) < alpha:
            lo = hi = float("nan")
            info["infinite_reason"] = Note("reason_rejected")
        elif np.isnan(lo) or np.isnan(hi):
            info["infinite_reason"] = Note(
                "reason_few_assignments_shift", n=_sizes_text(nt, None if paired else nc),
                m=_as_float(n_assign), level=Level(conf_level))
            lo = -math.inf if np.isnan(lo) else lo
            hi = math.inf if np.isnan(hi) else hi
    _, perm0 = stat_of(0.0)
    return InferenceResult(conf_low=float(lo), conf_high=float(hi), p_value=float(p0),
                           std_error=float(np.std(perm0, ddof=1)), draws=None, info=info)


def _invert(f: Callable[[float], float], center: float, step: float,
            rtol: float = 1e-10) -> float:
    """Find the boundary where the p-value drops below alpha, moving from center."""
    a, b = center, center + step
    k = 0
    while f(b) >= 0 and k < 60:
        a, b = b, b + step * 2**k
        k += 1
    if f(b) >= 0:
        return float("nan")
    for _ in range(60):
        m = 0.5 * (a + b)
        if f(m) >= 0:
            a = m
        else:
            b = m
        if abs(b - a) <= rtol * (abs(step) if rtol > 1e-9 else max(abs(center), abs(step))):
            break
    return float(0.5 * (a + b))


# ------------------------------------------------- studentized permutation
def _slot_draws(rng: np.random.Generator, n: int, m: int, n_perm: int) -> np.ndarray:
    """``n_perm`` random subsets of size ``m`` of ``range(n)`` (rows: the subsets).

    A partial Fisher–Yates shuffle vectorised over the draws: ``m`` swap steps
    of ``n_perm`` values each, O(n_perm · n) memory for the index table only
    once (int32), no sort.
    """
    dt = np.int32 if n < 2**31 else np.int64
    perm = np.broadcast_to(np.arange(n, dtype=dt), (n_perm, n)).copy()
    rows = np.arange(n_perm)
    for i in range(m):
        j = rng.integers(i, n, size=n_perm)
        a = perm[:, i].copy()
        perm[:, i] = perm[rows, j]
        perm[rows, j] = a
    return perm[:, :m]


def studentized_permutation_test(y_treated: np.ndarray, y_control: np.ndarray, *,
                                 n_perm: int = 9999, conf_level: float = 0.95,
                                 seed: Any = None,
                                 exact_limit: int = EXACT_PERMUTATION_LIMIT) -> InferenceResult:
    """Studentized permutation test and interval for a difference in means.

    The statistic permuted is the Welch t, not the raw difference: the test is
    exact when both groups share one distribution and remains asymptotically
    valid for a difference in means when they do not (Janssen 1997; Chung &
    Romano 2013), which the raw-difference permutation test is not when the
    group sizes and variances differ. The interval is equal-tailed and found
    by inverting the two one-sided tests of H0: effect = δ over δ (bisection),
    with one fixed set of assignments for every δ.

    Parameters
    ----------
    y_treated, y_control : ndarray
        The two groups' outcomes (at least 2 each).
    n_perm : int
        Monte Carlo assignments when their number exceeds ``exact_limit``
        (otherwise all are enumerated).
    conf_level, seed
        Interval level and seed (int; ``info["seed"]`` records the entropy).

    Returns
    -------
    InferenceResult
        ``p_value`` is the two-sided equal-tailed p-value for H0: effect = 0,
        2 × the smaller one-sided p-value (capped at 1), so that 0 lies
        outside the interval exactly when p < 1 − conf_level (up to the
        bisection tolerance). ``info["infinite_reason"]`` explains an interval
        that the data cannot close (too few assignments).

    Notes
    -----
    For an assignment that puts the set S of the pooled values into the
    participants' slot, the shifted data (participants' values minus δ) give
    slot sums Σ_S z − δ·k and Σ_S z² − 2δ·Σ_{S∩T} y + δ²·k, where k is the
    number of participants in S. After one gather per assignment, the Welch t
    of every assignment at every δ is O(1): the whole inversion costs
    O(n_perm · n) once plus O(n_perm) per bisection step.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> r = studentized_permutation_test(rng.lognormal(size=30), rng.lognormal(size=90),
    ...                                  seed=1, n_perm=999)
    >>> r.conf_low < 0 < r.conf_high
    True
    """
    yt = np.sort(np.asarray(y_treated, dtype=float))
    yc = np.sort(np.asarray(y_control, dtype=float))
    nt, nc = len(yt), len(yc)
    if nt < 2 or nc < 2:
        raise MethodError(Note("err_inf_sperm_few", nt=nt, nc=nc))
    _check_n_boot(n_perm, "n_perm")
    ss, entropy = _resolve_seed(seed)
    rng = np.random.default_rng(ss)
    # centre on the comparison mean: sums of squares stay exact at large levels
    c = float(yc.mean())
    yt_c, yc_c = yt - c, yc - c
    # the smaller group's slot is drawn; the other slot is the complement
    small_is_t = nt <= nc
    m = nt if small_is_t else nc
    n = nt + nc
    pooled = np.concatenate([yt_c, yc_c])
    is_t = np.r_[np.ones(nt, bool), np.zeros(nc, bool)]
    n_assign = math.comb(n, m)
    exact = n_assign <= exact_limit
    if exact:
        slots = np.fromiter((i for comb in combinations(range(n), m) for i in comb),
                            dtype=np.int64, count=n_assign * m).reshape(n_assign, m)
    else:
        slots = _slot_draws(rng, n, m, int(n_perm))
    zs = np.take(pooled, slots)
    ts = np.take(is_t, slots)
    s1 = zs.sum(axis=1)
    s2 = (zs * zs).sum(axis=1)
    k = ts.sum(axis=1).astype(float)  # participants drawn into the slot
    a = np.where(ts, zs, 0.0).sum(axis=1)  # their values' sum
    tot1, tot2 = pooled.sum(), float(pooled @ pooled)
    tot_t1 = yt_c.sum()
    # slot "p" = participants' slot, "q" = comparison slot
    if small_is_t:
        kp, s1p, s2p, ap = k, s1, s2, a
    else:  # the drawn slot is the comparison slot
        kp, s1p, s2p, ap = nt - k, tot1 - s1, tot2 - s2, tot_t1 - a
    kq = nt - kp
    aq = tot_t1 - ap
    s1q_base, s2q_base = tot1 - s1p, tot2 - s2p

    inv_t, inv_c = 1.0 / nt, 1.0 / nc
    ct, cc = 1.0 / (nt * (nt - 1)), 1.0 / (nc * (nc - 1))
    obs1, obs2 = float(yt_c.sum()), float(yt_c @ yt_c)
    obq1, obq2 = float(yc_c.sum()), float(yc_c @ yc_c)

    def welch_t(sum1p, sum2p, sum1q, sum2q):
        # (mean_p − mean_q) / sqrt(var_p/nt + var_q/nc) from the slot sums
        vp = sum2p - sum1p * sum1p * inv_t
        vq = sum2q - sum1q * sum1q * inv_c
        se2 = np.maximum(vp, 0.0) * ct + np.maximum(vq, 0.0) * cc
        with np.errstate(divide="ignore", invalid="ignore"):
            return (sum1p * inv_t - sum1q * inv_c) / np.sqrt(se2)

    def stats_at(delta: float) -> tuple[float, np.ndarray]:
        # participants' values shifted by −δ (H0: effect = δ)
        dd = delta * delta
        tp = welch_t(s1p - delta * kp, s2p - 2 * delta * ap + dd * kp,
                     s1q_base - delta * kq, s2q_base - 2 * delta * aq + dd * kq)
        o1 = obs1 - delta * nt
        o2 = obs2 - 2 * delta * obs1 + dd * nt
        vo = max(o2 - o1 * o1 * inv_t, 0.0) * ct + max(obq2 - obq1 * obq1 * inv_c, 0.0) * cc
        diff = o1 * inv_t - obq1 * inv_c
        t_obs = diff / math.sqrt(vo) if vo > 0 else math.copysign(math.inf, diff) if diff else 0.0
        return t_obs, tp

    n_draws = len(s1)
    add = 0 if exact else 1

    def p_upper(delta: float) -> float:  # share of t* ≥ t_obs (small: effect > δ)
        t_obs, tp = stats_at(delta)
        tol = 1e-9 * max(1.0, abs(t_obs))
        return (np.count_nonzero(tp >= t_obs - tol) + add) / (n_draws + add)

    def p_lower(delta: float) -> float:
        t_obs, tp = stats_at(delta)
        tol = 1e-9 * max(1.0, abs(t_obs))
        return (np.count_nonzero(tp <= t_obs + tol) + add) / (n_draws + add)

    alpha = 1 - conf_level
    est = float(yt_c.mean() - yc_c.mean())
    se_obs = math.sqrt(np.var(yt, ddof=1) / nt + np.var(yc, ddof=1) / nc)
    p0 = float(min(1.0, 2 * min(p_upper(0.0), p_lower(0.0))))
    info: dict[str, Any] = {"method": "studentized permutation", "n_boot": None if exact else int(n_perm),
                            "seed": entropy, "exact": bool(exact), "n_assignments": _as_float(n_assign),
                            "scheme": "label permutation of the Welch t", "conf_level": conf_level}
    step = se_obs if se_obs > 0 else max(float(np.ptp(pooled)), 1e-12)
    # the p-value is a step function of δ: locating its jump to 10⁻⁷ SE is plenty
    lo = _invert(lambda d: p_upper(d) - alpha / 2, est, -step, rtol=1e-7)
    hi = _invert(lambda d: p_lower(d) - alpha / 2, est, step, rtol=1e-7)
    min_p = 1.0 / (n_draws + add) if not exact else 1.0 / n_draws
    if min_p > alpha / 2 or np.isnan(lo) or np.isnan(hi):
        info["infinite_reason"] = (
            Note("reason_few_assignments", n=_sizes_text(nt, nc), m=_as_float(n_assign),
                 level=Level(conf_level)) if min_p > alpha / 2 else Note("reason_one_side"))
        lo = -math.inf if np.isnan(lo) else lo
        hi = math.inf if np.isnan(hi) else hi
    return InferenceResult(conf_low=float(lo), conf_high=float(hi), p_value=p0,
                           std_error=se_obs, draws=None, info=info)


# -------------------------------------------------------- wild cluster bootstrap
WEBB_WEIGHTS = np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)])


def wild_cluster_bootstrap(x_tilde: np.ndarray, resid: np.ndarray, clusters: np.ndarray, *,
                           estimate: float, std_error: float,
                           nuisance: np.ndarray | None = None,
                           n_boot: int = 9999, conf_level: float = 0.95, seed: Any = None,
                           weights: str = "auto") -> InferenceResult:
    """Wild cluster bootstrap-t (unrestricted) for one regression coefficient.

    Parameters
    ----------
    x_tilde : ndarray (n,)
        The regressor of interest residualised on the nuisance regressors
        (Frisch–Waugh–Lovell).
    resid : ndarray (n,)
        Residuals of the full model.
    clusters : ndarray (n,)
        Cluster id of every row (entity fixed effects must be nested in the
        clusters, as with clustering by unit or by a coarser unit).
    estimate, std_error : float
        The coefficient and its analytic cluster-robust SE.
    nuisance : ndarray (n, k), optional
        The nuisance regressors other than those absorbed within clusters
        (e.g. intercept and covariates; entity-demeaned period dummies in a
        panel). Their projection of the perturbed residuals is removed
        exactly, so the replicate SE is the cluster-robust SE of the
        replicate regression.

    Notes
    -----
    Replicate ``b`` with cluster weights ``w_g`` has y* = Xβ̂ + e·w, so
    β̂* = β̂ + Σ_g w_g s_g / Σx̃² with s_g = Σ_{i∈g} x̃_i e_i; the replicate
    residual scores are w_g s_g − F_g K (Σ_h w_h C_h) − (x̃'x̃)_g (β̂* − β̂),
    with C_h = W_h'e_h, F_g = x̃_g'W_g and K = (W'W)⁻¹. Each replicate costs
    O(G·k): the bootstrap is O(n + B·G·k), no refit. The small-sample factor
    of the analytic SE is applied to every replicate. Weights: Rademacher, or
    Webb's six-point distribution below 12 clusters (MacKinnon & Webb 2017).
    The interval is the symmetric bootstrap-t interval.
    """
    x = np.asarray(x_tilde, dtype=float)
    e = np.asarray(resid, dtype=float)
    codes, g_idx = np.unique(np.asarray(clusters), return_inverse=True)
    n_g = len(codes)
    if n_g < 2:
        raise MethodError(Note("err_inf_wild_clusters"))
    _check_n_boot(n_boot)
    sxx = float(x @ x)
    scores = np.bincount(g_idx, weights=x * e, minlength=n_g)
    xx_g = np.bincount(g_idx, weights=x * x, minlength=n_g)
    if nuisance is not None and np.size(nuisance):
        w_mat = np.asarray(nuisance, dtype=float).reshape(len(x), -1)
        k = w_mat.shape[1]
        c_mat = np.zeros((n_g, k))
        f_mat = np.zeros((n_g, k))
        np.add.at(c_mat, g_idx, w_mat * e[:, None])
        np.add.at(f_mat, g_idx, w_mat * x[:, None])
        k_inv = np.linalg.pinv(w_mat.T @ w_mat)
    else:
        c_mat = f_mat = k_inv = None
    kind = weights if weights != "auto" else ("webb" if n_g < 12 else "rademacher")
    if kind not in ("webb", "rademacher"):
        raise bad_choice("weights", weights, ("auto", "rademacher", "webb"))
    ss, entropy = _resolve_seed(seed)
    base_se = math.sqrt(float(np.sum(scores**2))) / sxx
    factor = std_error / base_se if base_se > 0 else 1.0
    theta, se_star = _wild_replicates(scores, xx_g, sxx, c_mat, f_mat, k_inv, kind, n_boot, ss)
    theta = estimate + theta
    se_star = se_star * factor
    t = (theta - estimate) / se_star
    t = t[np.isfinite(t)]
    alpha = 1 - conf_level
    q = float(_pct(np.abs(t), 1 - alpha))
    lo_ci, hi_ci = estimate - q * std_error, estimate + q * std_error
    t0 = abs(estimate / std_error) if std_error > 0 else float("inf")
    p = (np.sum(np.abs(t) >= t0) + 1) / (len(t) + 1)
    info = {"method": "wild cluster bootstrap-t", "n_boot": int(n_boot), "seed": entropy,
            "weights": kind, "n_clusters": int(n_g), "conf_level": conf_level,
            "scheme": "clusters (wild)"}
    return InferenceResult(conf_low=float(lo_ci), conf_high=float(hi_ci), p_value=float(p),
                           std_error=float(np.std(theta, ddof=1)), draws=theta, info=info)


def _wild_replicates(scores, xx_g, sxx, c_mat, f_mat, k_inv, kind, n_boot, ss):
    """Shifts β̂* − β̂ and CR0 replicate SEs of the wild cluster bootstrap."""
    rng = np.random.default_rng(ss)
    n_g = len(scores)
    thetas, ses = [], []
    chunk = max(1, _TARGET_BLOCK_CELLS // max(n_g, 1))
    for lo in range(0, n_boot, chunk):
        b = min(chunk, n_boot - lo)
        if kind == "webb":
            w = WEBB_WEIGHTS[rng.integers(0, 6, size=(b, n_g))]
        else:
            w = rng.integers(0, 2, size=(b, n_g)) * 2.0 - 1.0
        sw = w * scores
        delta = sw.sum(axis=1) / sxx
        s_star = sw - np.outer(delta, xx_g)
        if c_mat is not None:
            s_star -= ((w @ c_mat) @ k_inv) @ f_mat.T
        thetas.append(delta)
        ses.append(np.sqrt(np.sum(s_star**2, axis=1)) / sxx)
    return np.concatenate(thetas), np.concatenate(ses)


def progress_enabled() -> bool:
    """Progress bars only in an interactive terminal."""
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


#: the interval ``ci="auto"`` picks, by design family, outcome type (binary?) and
#: group sizes, chosen from the coverage study in ``benchmarks/coverage.py``
#: (``benchmarks/results/coverage.md``; tables in docs/inference.md). Keys:
#: (design family, binary) -> list of rules ``(max smaller-group size, max ratio
#: larger/smaller group, method)``; the first rule that fits is used (a one-group
#: design has ratio 1). :func:`choose_auto` then replaces a bootstrap-t by the
#: studentized permutation interval when the data make resamples without spread
#: likely (see :func:`zero_spread_share`).
AUTO_TABLE: dict[tuple[str, bool], list[tuple[float, float, str]]] = {
    # two groups of a skewed or zero-inflated cost: the studentized permutation
    # interval when the comparison group is much larger (cost study, 3:1 to 20:1:
    # 92.6–97.6 % in all 24 cells with participants no more dispersed, where Welch
    # fell to 81 %) and in small groups (≤ 12); the symmetric bootstrap-t for
    # balanced groups (93.8–100 %: never below 93 %, the studentized permutation
    # interval fell to 84 % there)
    ("difference", False): [(12, math.inf, "studentized_permutation"),
                            (math.inf, 2.5, "symmetric"),
                            (math.inf, math.inf, "studentized_permutation")],
    # paired changes: the paired t at n ≤ 12 (the bootstrap-t there costs 1.5 × the
    # width for little coverage), the symmetric bootstrap-t above
    ("before_after", False): [(12, math.inf, "analytic"), (math.inf, math.inf, "symmetric")],
    # DiD of unit changes: with groups of similar size the skewness of the two
    # groups' changes cancels and the symmetric bootstrap-t over-covers (97–98 %);
    # Welch holds 95 % there. Unbalanced (30/366) it is the symmetric bootstrap-t.
    ("did", False): [(math.inf, 1.5, "analytic"), (math.inf, math.inf, "symmetric")],
    # a one-sample mean: the symmetric bootstrap-t (on the log scale for a
    # non-negative outcome, see follow_up), the t interval at n ≤ 12
    ("follow_up", False): [(12, math.inf, "analytic"), (math.inf, math.inf, "symmetric")],
    ("benchmark", False): [(12, math.inf, "analytic"), (math.inf, math.inf, "symmetric")],
    # binary outcomes: the estimators' own small-sample intervals (Newcombe for a
    # difference; paired t / Welch on changes; Wilson for a level) are as close
    # to 95 % as any bootstrap and need no resampling
    ("difference", True): [(math.inf, math.inf, "analytic")],
    ("before_after", True): [(math.inf, math.inf, "analytic")],
    ("did", True): [(math.inf, math.inf, "analytic")],
    ("follow_up", True): [(math.inf, math.inf, "analytic")],
    ("benchmark", True): [(math.inf, math.inf, "analytic")],
    # regression adjustment (HC2/CR): not covered by the study; the analytic interval
    ("regression", False): [(math.inf, math.inf, "analytic")],
    ("regression", True): [(math.inf, math.inf, "analytic")],
}

#: above this many resampling units in all, ``ci="auto"`` uses the analytic
#: interval: 9,999 resamples would take seconds, and the skewness the
#: bootstrap corrects for has faded at such sizes.
AUTO_RESAMPLE_MAX_UNITS = 20_000


#: smallest group for which ``ci="auto"`` may pick a bootstrap (the coverage study's
#: smallest cell is 10 per group)
AUTO_MIN_UNITS = 10

#: ``ci="auto"`` avoids the bootstrap-t when more than this share of resamples of a
#: group is expected to have no spread (an infinite t*)
ZERO_SPREAD_MAX = 0.005


def zero_spread_share(y: np.ndarray) -> float:
    """Expected share of bootstrap resamples of ``y`` whose values are all equal.

    ``Σ_v p_v^n`` over the distinct values v with shares p_v: a group of 20
    with 16 zeros has 0.8²⁰ ≈ 1.2 % resamples of zeros only (t* = ±∞).
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    if n == 0:
        return 1.0
    _, counts = np.unique(y, return_counts=True)
    return float(np.sum((counts / n) ** n))


def choose_auto(design: str, binary: bool, sizes: tuple[int, int],
                data: Sequence[np.ndarray] | None = None) -> str:
    """The default interval method for a design, outcome type and group sizes.

    Parameters
    ----------
    design : str
        Design name (``"comparison"``, ``"randomized"``, ``"did"``, ...) or
        design family (a key of :data:`AUTO_TABLE`).
    binary : bool
        Whether the outcome is 0/1.
    sizes : tuple of int
        Units in the participant and comparison groups (0 for one-group designs).
    data : sequence of ndarray, optional
        The analysed values per group; when given, a bootstrap-t is replaced
        where resamples without spread are likely (more than
        :data:`ZERO_SPREAD_MAX` of them) in a one-group design, by the analytic
        interval.

    Returns
    -------
    str
        ``"analytic"``, ``"studentized_permutation"`` or a bootstrap method of
        :data:`BOOT_METHODS`.

    Examples
    --------
    >>> choose_auto("comparison", False, (30, 30))
    'symmetric'
    >>> choose_auto("comparison", False, (30, 366))
    'studentized_permutation'
    >>> choose_auto("comparison", True, (30, 366))
    'analytic'
    """
    zs = None
    n_groups = len(sizes)
    if data is not None:
        groups = [g for g in data if len(g)]
        n_groups = len(groups)
        zs = max(zero_spread_share(g) for g in groups) if groups else None
    return auto_rule(design, binary, sizes, zero_spread=zs, n_groups=n_groups)


def auto_rule(design: str, binary: bool, sizes: tuple[int, ...], *,
              zero_spread: float | None = None, n_groups: int = 2) -> str:
    """:func:`choose_auto` from the largest expected share of resamples without spread."""
    fam = {"comparison": "difference", "adjusted_comparison": "regression",
           "randomized": "difference"}.get(design, design)
    rules = AUTO_TABLE.get((fam, bool(binary)))
    if not rules:
        return "analytic"
    positive = [s for s in sizes if s > 0]
    small = min(positive) if positive else 0
    ratio = max(positive) / small if positive else 1.0
    chosen = rules[-1][2]
    for max_small, max_ratio, method in rules:
        if small <= max_small and ratio <= max_ratio:
            chosen = method
            break
    if chosen in BOOT_METHODS and sum(positive) > AUTO_RESAMPLE_MAX_UNITS:
        return "analytic"
    if chosen == "studentized_permutation" and sum(positive) > AUTO_RESAMPLE_MAX_UNITS:
        return "analytic"
    if chosen in BOOT_METHODS and small < AUTO_MIN_UNITS:
        # below the smallest group size of the coverage study the bootstrap is untested
        # (and with 2-3 units a resample often has no spread): the t interval is safer
        return "analytic"
    if (chosen in ("studentized", "symmetric") and zero_spread is not None
            and zero_spread > ZERO_SPREAD_MAX and n_groups == 1):
        # one group (paired changes, a level): resamples without spread make t* infinite;
        # the t interval. Two balanced groups keep the symmetric bootstrap-t (the cost study:
        # 93–99 % at 20/20 where the studentized permutation interval fell to 84 %); an
        # unbounded result falls back to the analytic interval in the estimator.
        return "analytic"
    return chosen


def _sizes_text(nt: int, nc: int | None) -> LangText:
    """"30 and 366" (or "30") in every language, for a note."""
    if nc is None:
        return LangText(en=str(nt), sv=str(nt))
    return LangText(en=f"{nt} and {nc}", sv=f"{nt} och {nc}")


def _as_float(n: int | float) -> float:
    """A count of assignments as a float (``inf`` beyond the float range: math.comb of a
    few hundred units overflows a float)."""
    try:
        return float(n)
    except OverflowError:
        return math.inf
