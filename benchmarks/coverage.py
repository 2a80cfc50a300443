"""Monte Carlo coverage study of the 95 % intervals: the evidence behind ``ci="auto"``.

Designs × group sizes × outcome distributions × interval methods; every cell
is ``--reps`` replications (2,000 for the published table) with ``--boot``
bootstrap resamples each (1,999 for the published table). All bootstrap
intervals of one replication come from the *same* resamples (drawn once by
``impacteval.inference.bootstrap_draws``), exactly as the estimators draw
them, on plain arrays (no DataFrames).

Data-generating process (the truth is known in closed form):

* Every outcome is a transformation of a standard normal z (a Gaussian
  copula), so the marginal distributions are exact and pre/post measures of
  one unit are correlated (corr(z_pre, z_post) = 0.5).
* Outcomes: ``normal`` (z + location), ``lognormal`` (scale · e^z, σ = 1),
  ``zero_inflated`` (scale · 0 with probability 0.8, otherwise scale · a
  log-normal σ = 1; a cost such as residential-care placements), ``binary``
  (1 with probability p, base p = 0.3).
* States: ``base`` (comparison group, and everyone before), ``trend`` (the
  comparison group after, DiD only) and ``treated`` (participants after).
  Normal: location 0 / 0.2 / 0.7. Log-normal and zero-inflated: scale
  1 / 0.8 / 0.5 (costs fall by 20 % without and by 50 % with the project).
  Binary: p = 0.3 / 0.3 / 0.45.
* Truth: ``difference`` μ(treated) − μ(base), the difference of population
  means; ``before_after`` μ(treated) − μ(base), the mean within-person change;
  ``did`` the ATT, (μ(treated) − μ(base)) − (μ(trend) − μ(base)).

Methods: ``analytic`` (difference: Welch t, binary Newcombe hybrid score;
before–after: paired t; DiD: Welch t on unit changes — the estimators' own),
``percentile``, ``basic``, ``bca``, ``studentized`` (equal-tailed bootstrap-t),
``symmetric`` (symmetric bootstrap-t, Hall 1988), ``hall`` (Hall's 1992
skewness-removing transformation of the t statistic, the monotone form of
Johnson's 1978 modified t; skewness from the O(n) jackknife), ``vs_basic``
(basic bootstrap on a variance-stabilised scale, Tibshirani 1988, with the
variance function log se*² = a + b θ* fitted to the replicates), and
``permutation`` (test inversion; only in the normal cells, where the
treatment is a pure shift so the inverted test is valid), and ``auto``
(whatever :func:`impacteval.inference.choose_auto` picks for the cell).

Usage::

    OPENBLAS_NUM_THREADS=1 python benchmarks/coverage.py            # published table
    OPENBLAS_NUM_THREADS=1 python benchmarks/coverage.py --quick    # seconds, machinery only
    python benchmarks/coverage.py --reps 1000 --boot 999 --seed 1 --out /tmp/sel

Writes ``coverage.csv`` and ``coverage.md`` into ``--out``
(default ``benchmarks/results``); ``--update-docs`` also replaces the
coverage section of ``docs/inference.md``.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import joblib  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402
from statsmodels.stats.proportion import confint_proportions_2indep  # noqa: E402

from impacteval.estimators._common import mean_plan, welch  # noqa: E402
from impacteval.estimators.difference import diff_plan  # noqa: E402
from impacteval.inference import (  # noqa: E402
    BOOT_METHODS,
    auto_rule,
    bootstrap_draws,
    bootstrap_intervals,
    choose_auto,
    permutation_test,
    zero_spread_share,
)

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = ("difference", "before_after", "did")
OUTCOMES = ("normal", "lognormal", "zero_inflated", "binary")
TWO_GROUP_SIZES = ((10, 10), (20, 20), (30, 30), (30, 366), (100, 100))
#: before–after uses the participants only: 30/30 and 30/366 are the same cell
ONE_GROUP_SIZES = ((10, 0), (20, 0), (30, 0), (100, 0))
METHODS = ("analytic",) + BOOT_METHODS + ("hall", "vs_basic", "permutation",
                                           "studentized_permutation", "auto")
RHO = 0.5
ZERO_SHARE = 0.8
PARAMS = {  # outcome -> state -> location / scale / probability
    "normal": {"base": 0.0, "trend": 0.2, "treated": 0.7},
    "lognormal": {"base": 1.0, "trend": 0.8, "treated": 0.5},
    "zero_inflated": {"base": 1.0, "trend": 0.8, "treated": 0.5},
    "binary": {"base": 0.3, "trend": 0.3, "treated": 0.45},
}
Z975 = stats.norm.ppf(0.975)


@dataclass(frozen=True)
class Cell:
    design: str
    outcome: str
    n_treated: int
    n_control: int

    @property
    def binary(self) -> bool:
        return self.outcome == "binary"


def cells(designs=DESIGNS, outcomes=OUTCOMES, sizes=None) -> list[Cell]:
    out = []
    for d in designs:
        for o in outcomes:
            for nt, nc in sizes or (ONE_GROUP_SIZES if d == "before_after" else TWO_GROUP_SIZES):
                out.append(Cell(d, o, nt, 0 if d == "before_after" else nc))
    return out


# ----------------------------------------------------------- data and truth
def population_mean(outcome: str, state: str) -> float:
    """Exact mean of the outcome in a state (what the intervals must cover)."""
    v = PARAMS[outcome][state]
    if outcome == "normal":
        return v
    if outcome == "lognormal":
        return v * math.exp(0.5)
    if outcome == "zero_inflated":
        return v * (1 - ZERO_SHARE) * math.exp(0.5)
    return v


def truth(cell: Cell) -> float:
    if cell.design == "did":
        return population_mean(cell.outcome, "treated") - population_mean(cell.outcome, "trend")
    return population_mean(cell.outcome, "treated") - population_mean(cell.outcome, "base")


def transform(z: np.ndarray, outcome: str, state: str) -> np.ndarray:
    """Outcome from a standard normal z (inverse-CDF of the marginal)."""
    v = PARAMS[outcome][state]
    if outcome == "normal":
        return z + v
    if outcome == "lognormal":
        return v * np.exp(z)
    u = stats.norm.cdf(z)
    if outcome == "zero_inflated":
        tail = np.clip((u - ZERO_SHARE) / (1 - ZERO_SHARE), 1e-300, 1.0)
        return np.where(u < ZERO_SHARE, 0.0, v * np.exp(stats.norm.ppf(tail)))
    return (u > 1 - v).astype(float)


def pair(rng: np.random.Generator, n: int, outcome: str, pre: str, post: str):
    """n units measured before and after, corr(z_pre, z_post) = RHO."""
    z0 = rng.standard_normal(n)
    z1 = RHO * z0 + math.sqrt(1 - RHO**2) * rng.standard_normal(n)
    return transform(z0, outcome, pre), transform(z1, outcome, post)


def simulate(cell: Cell, rng: np.random.Generator):
    """Analysis arrays of one replication: (yt, yc) or (d, None)."""
    o = cell.outcome
    if cell.design == "difference":
        return (transform(rng.standard_normal(cell.n_treated), o, "treated"),
                transform(rng.standard_normal(cell.n_control), o, "base"))
    if cell.design == "before_after":
        y0, y1 = pair(rng, cell.n_treated, o, "base", "treated")
        return y1 - y0, None
    t0, t1 = pair(rng, cell.n_treated, o, "base", "treated")
    c0, c1 = pair(rng, cell.n_control, o, "base", "trend")
    return t1 - t0, c1 - c0


# ---------------------------------------------------------------- intervals
def analytic(cell: Cell, a: np.ndarray, b: np.ndarray | None) -> tuple[float, float, float, float]:
    """(estimate, se, low, high) by the estimators' own analytic method.

    The formulas of ``before_after`` (paired t), ``did`` (Welch t on unit
    changes) and ``difference`` (Welch t; binary: Newcombe, statsmodels),
    with ``stats.t.ppf`` called directly: a frozen scipy distribution per
    replication costs more than the bootstrap of a 20/20 cell.
    """
    if b is None:  # paired t
        n = len(a)
        est, se, dfree = float(a.mean()), float(np.std(a, ddof=1) / math.sqrt(n)), n - 1
    else:
        est, se, dfree = welch(a, b)
        if cell.design == "difference" and cell.binary:
            k1, k0 = int(a.sum()), int(b.sum())
            lo, hi = confint_proportions_2indep(k1, len(a), k0, len(b), method="newcomb",
                                                compare="diff", alpha=0.05)
            return est, se, float(lo), float(hi)
    if not (se > 0 and np.isfinite(dfree)):
        return est, se, float("nan"), float("nan")
    q = float(stats.t.ppf(0.975, dfree))
    return est, se, est - q * se, est + q * se


def acceleration(jack: list[np.ndarray]) -> float:
    """BCa acceleration from leave-one-out values (Efron 1987), per stratum summed."""
    nums = dens = 0.0
    for th in jack:
        n = len(th)
        u = (n - 1) * (th.mean() - th)
        nums += np.sum(u**3) / n**3
        dens += np.sum(u**2) / n**2
    return float(nums / (6 * dens**1.5)) if dens > 0 else 0.0


def hall_interval(est: float, se: float, skew: float) -> tuple[float, float]:
    """Hall (1992): g(T) = T + aT² + a²T³/3 + b, a = λ/3, b = λ/6, λ the
    skewness of the estimator; g(T) ≈ N(0, 1) to O(1/n), monotone, inverted
    in closed form."""
    a, b = skew / 3, skew / 6

    def g_inv(x: float) -> float:
        if abs(a) < 1e-12:
            return x - b
        return (np.cbrt(1 + 3 * a * (x - b)) - 1) / a

    return est - se * g_inv(Z975), est - se * g_inv(-Z975)


def vs_basic_interval(est: float, theta: np.ndarray, se_star: np.ndarray) -> tuple[float, float]:
    """Basic bootstrap on the scale h with h' = v^(-1/2), v(θ) = exp(α + βθ) fitted
    to (θ*, se*²): h(θ) = −(2/β)·exp(−(α + βθ)/2)."""
    ok = np.isfinite(theta) & np.isfinite(se_star) & (se_star > 0)
    th, lv = theta[ok], np.log(se_star[ok] ** 2)
    if len(th) < 10 or np.ptp(th) == 0:
        return float("nan"), float("nan")
    beta, alpha = np.polyfit(th, lv, 1)
    if abs(beta) < 1e-10:
        q1, q2 = np.quantile(th - est, [0.025, 0.975])
        return est - q2, est - q1

    def h(x):
        return -(2 / beta) * np.exp(-(alpha + beta * x) / 2)

    def h_inv(u: float) -> float:
        arg = -beta * u / 2
        if arg <= 0:  # beyond the range the variance model can map back
            return -math.inf if (u < h(est)) else math.inf
        return float((-2 * math.log(arg) - alpha) / beta)

    hs, h0 = h(th), h(est)
    q1, q2 = np.quantile(hs - h0, [0.025, 0.975])
    return h_inv(h0 - q2), h_inv(h0 - q1)


def one_replication(cell: Cell, seed: int, rep: int, n_boot: int) -> dict[str, tuple[float, float]]:
    ss = np.random.SeedSequence(seed, spawn_key=(cell_key(cell), rep))
    boot_ss, perm_ss = ss.spawn(2)
    a, b = simulate(cell, np.random.default_rng(ss))
    out: dict[str, tuple[float, float]] = {}
    est, se, lo, hi = analytic(cell, a, b)
    out["analytic"] = (lo, hi)
    plan = mean_plan(a) if b is None else diff_plan(a, b)
    nan = (float("nan"), float("nan"))
    try:
        theta, se_star, _ = bootstrap_draws(plan, n_boot, boot_ss, studentize=True)
        ok = np.isfinite(theta)
        if ok.sum() < 0.9 * n_boot or not se > 0:
            raise ValueError("degenerate sample")
        jack = plan.jackknife()
        out.update(bootstrap_intervals(theta, se_star, estimate=est, std_error=se,
                                       methods=BOOT_METHODS, jackknife=jack))
        # λ = κ₃/σ³ of the estimator = 6 × the BCa acceleration (jackknife, O(n))
        out["hall"] = hall_interval(est, se, 6 * acceleration(jack))
        out["vs_basic"] = vs_basic_interval(est, theta, se_star)
    except (ValueError, ArithmeticError):
        for m in BOOT_METHODS + ("hall", "vs_basic"):
            out[m] = nan
    if cell.outcome == "normal":
        r = permutation_test(a, b, n_perm=n_boot, seed=perm_ss)
        out["permutation"] = (r.conf_low, r.conf_high)
    if b is not None:  # two groups: the studentized permutation interval in every cell
        from impacteval.inference import studentized_permutation_test

        r = studentized_permutation_test(a, b, n_perm=n_boot, seed=perm_ss)
        out["studentized_permutation"] = (r.conf_low, r.conf_high)
    groups = (a,) if b is None else (a, b)
    chosen = choose_auto(cell.design, cell.binary, (cell.n_treated, cell.n_control),
                         data=groups)
    out["auto"], used, withheld, flag = auto_as_estimators(cell.design, cell.binary, groups,
                                                           out, chosen)
    out["withheld"], out["flag"], out["used"] = withheld, flag, used  # type: ignore[assignment]
    return out


def auto_as_estimators(design: str, binary: bool, groups: tuple[np.ndarray, ...],
                       out: dict, chosen: str, fallback: str = "analytic"):
    """The interval ``ci="auto"`` gives in the estimators, from the intervals in ``out``.

    As the estimators do: an unbounded choice falls back to ``fallback`` (the
    analytic interval); with data too thin for an interval (``thin_data``: fewer
    than 3 non-zero values in a group of a mostly-zero outcome) no interval is
    given (withheld). Returns (interval, method used, withheld?, flag code or "").
    """
    from impacteval.estimators._common import coverage_regime

    nan = (float("nan"), float("nan"))
    reg = None if binary else coverage_regime(design, groups)
    flag = reg["code"] if reg else ""
    if flag == "thin_data":
        return nan, chosen, True, flag
    lo, hi = out.get(chosen, nan)
    if not (np.isfinite(lo) and np.isfinite(hi)) and fallback in out:
        chosen = fallback
        lo, hi = out[fallback]
    return (lo, hi), chosen, False, flag


def cell_key(cell: Cell) -> int:
    return (DESIGNS.index(cell.design) * 100 + OUTCOMES.index(cell.outcome)) * 100_000 \
        + cell.n_treated * 1000 + cell.n_control


def _chunk(cell: Cell, seed: int, reps: range, n_boot: int) -> list[dict]:
    tru = truth(cell)
    rows = []
    for rep in reps:
        res = one_replication(cell, seed, rep, n_boot)
        withheld, flag, used = res.pop("withheld"), res.pop("flag"), res.pop("used")
        for method, (lo, hi) in res.items():
            ok = bool(np.isfinite(lo) and np.isfinite(hi))
            nanint = bool(np.isnan(lo) or np.isnan(hi))
            wh = method == "auto" and withheld
            rows.append({"cell": cell, "method": method, "covered": (not nanint) and lo <= tru <= hi,
                         "miss_low": (not nanint) and tru < lo,
                         "miss_high": (not nanint) and tru > hi,
                         "width": hi - lo if ok else (math.inf if not nanint else math.nan),
                         "failed": nanint and not wh, "withheld": wh, "flag": flag,
                         "auto_method": used if method == "auto" else ""})
    return rows


def run_study(cell_list: list[Cell], *, reps: int, n_boot: int, seed: int, n_jobs: int = 2,
              chunk: int = 50, verbose: int = 0) -> pd.DataFrame:
    """Run the Monte Carlo; one row per cell × method."""
    tasks = []
    for c in sorted(cell_list, key=lambda c: -(c.n_treated + c.n_control)):
        for lo in range(0, reps, chunk):
            tasks.append((c, range(lo, min(lo + chunk, reps))))
    parts = joblib.Parallel(n_jobs=n_jobs, verbose=verbose)(
        joblib.delayed(_chunk)(c, seed, r, n_boot) for c, r in tasks)
    raw = pd.DataFrame([row for part in parts for row in part])
    out = []
    for (cell, method), g_all in raw.groupby(["cell", "method"], sort=False):
        g = g_all[~g_all["withheld"]]  # coverage of the intervals given
        w = g["width"].to_numpy(float)
        fin = w[np.isfinite(w)]
        cov = float(g["covered"].mean())
        out.append({"design": cell.design, "outcome": cell.outcome, "n_treated": cell.n_treated,
                    "n_control": cell.n_control, "method": method,
                    "auto_choice": "/".join(
                        g_all["auto_method"][g_all["auto_method"] != ""].value_counts().index),
                    "n_withheld": int(g_all["withheld"].sum()),
                    "share_flagged": float((g_all["flag"] != "").mean()),
                    "coverage": cov, "mc_se": math.sqrt(cov * (1 - cov) / len(g)),
                    "miss_low": float(g["miss_low"].mean()),
                    "miss_high": float(g["miss_high"].mean()),
                    "mean_width": float(fin.mean()) if len(fin) else math.nan,
                    "median_width": float(np.median(w[~np.isnan(w)])) if (~np.isnan(w)).any()
                    else math.nan,
                    "n_infinite": int(np.isinf(w).sum()), "n_failed": int(g["failed"].sum()),
                    "n_reps": len(g), "n_boot": n_boot, "truth": truth(cell), "seed": seed})
    res = pd.DataFrame(out)
    order = {m: i for i, m in enumerate(METHODS)}
    res["_d"] = res["design"].map({d: i for i, d in enumerate(DESIGNS)})
    res["_o"] = res["outcome"].map({o: i for i, o in enumerate(OUTCOMES)})
    res["_m"] = res["method"].map(order)
    res = res.sort_values(["_d", "_o", "n_treated", "n_control", "_m"])
    return res.drop(columns=["_d", "_o", "_m"]).reset_index(drop=True)


# ------------------------------------------------------------------ output
def size_label(nt: int, nc: int) -> str:
    return f"{nt}" if nc == 0 else f"{nt}/{nc}"


def markdown(res: pd.DataFrame, header: str) -> str:
    """One table per design × outcome: coverage % (mean width) by size and method."""
    lines = [header, ""]
    methods = [m for m in METHODS if m in set(res["method"])]
    for d in DESIGNS:
        for o in OUTCOMES:
            sub = res[(res.design == d) & (res.outcome == o)]
            if sub.empty:
                continue
            ms = [m for m in methods if m in set(sub["method"])]
            lines += [f"**{d} — {o}** (truth {sub['truth'].iloc[0]:+.4g}; coverage % and mean width)",
                      "", "| n | " + " | ".join(ms) + " |",
                      "|---|" + "---:|" * len(ms)]
            for (nt, nc), g in sub.groupby(["n_treated", "n_control"], sort=False):
                cellvals = []
                for m in ms:
                    r = g[g.method == m]
                    if r.empty:
                        cellvals.append("–")
                        continue
                    r = r.iloc[0]
                    extra = f" [{r.auto_choice}]" if m == "auto" else ""
                    if m == "auto" and r.n_withheld:
                        extra += f" withheld {r.n_withheld}"
                    cellvals.append(f"{100 * r.coverage:.1f} ({r.mean_width:.3g}){extra}")
                lines.append(f"| {size_label(nt, nc)} | " + " | ".join(cellvals) + " |")
            lines.append("")
    return "\n".join(lines)


def update_docs(md: str, path: Path) -> None:
    start, end = "<!-- coverage:start -->", "<!-- coverage:end -->"
    text = path.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"{path} has no {start} … {end} section to replace.")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(head + start + "\n" + md + "\n" + end + tail, encoding="utf-8")


# ======================================================= the cost study (issue: skewed costs)
#: distributions of a cost X (the comparison group's; participants get s·X)
COST_DISTS = ("zi_lognormal", "lognormal", "zi_pareto")
#: (participants' scale, comparison scale): no effect, costs halved, participants
#: twice as dispersed (and twice as costly)
COST_SCENARIOS = {"null": (1.0, 1.0), "halve": (0.5, 1.0), "dispersed": (2.0, 1.0)}
COST_SIZES = ((10, 10), (20, 20), (30, 30), (30, 90), (30, 210), (30, 366), (20, 400))
PAIRED_SIZES = (10, 20, 30)
LEVEL_SIZES = (12, 20, 30)
PARETO_SHAPE = 3.0
COST_METHODS = ("analytic", "bca", "studentized", "symmetric", "sperm", "analytic_log",
                "symmetric_log", "auto")


@dataclass(frozen=True)
class CostCell:
    kind: str  # "difference", "paired" or "level"
    dist: str
    scenario: str
    n_treated: int
    n_control: int


def cost_cells(subset: bool = False) -> list[CostCell]:
    """All cost cells, or (``subset``) the reduced set run under time pressure."""
    if subset:
        out = [CostCell("difference", d, s, nt, nc) for d in ("zi_lognormal", "zi_pareto")
               for s in COST_SCENARIOS for nt, nc in ((10, 10), (20, 20), (30, 90), (30, 366),
                                                      (20, 400))]
        out += [CostCell("paired", "zi_lognormal", s, n, 0) for s in ("null", "halve")
                for n in (10, 30)]
        out += [CostCell("level", d, "null", n, 0) for d in ("zi_lognormal", "lognormal")
                for n in (12, 30)]
        return out
    out = [CostCell("difference", d, s, nt, nc) for d in COST_DISTS for s in COST_SCENARIOS
           for nt, nc in COST_SIZES]
    out += [CostCell("paired", d, s, n, 0) for d in COST_DISTS for s in ("null", "halve")
            for n in PAIRED_SIZES]
    out += [CostCell("level", d, "null", n, 0) for d in COST_DISTS for n in LEVEL_SIZES]
    return out


def cost_mean(dist: str) -> float:
    """E[X] of a cost distribution."""
    if dist == "lognormal":
        return math.exp(0.5)
    if dist == "zi_lognormal":
        return 0.2 * math.exp(0.5)
    return 0.15 * PARETO_SHAPE / (PARETO_SHAPE - 1)  # 85 % zeros, Pareto(α=3, x_m=1)


def cost_from_z(z: np.ndarray, dist: str) -> np.ndarray:
    """X from a standard normal score z (Gaussian copula, inverse CDF)."""
    if dist == "lognormal":
        return np.exp(z)
    u = stats.norm.cdf(z)
    if dist == "zi_lognormal":
        tail = np.clip((u - 0.8) / 0.2, 1e-300, 1.0)
        return np.where(u < 0.8, 0.0, np.exp(stats.norm.ppf(tail)))
    tail = np.clip((u - 0.85) / 0.15, 0.0, 1 - 1e-16)
    return np.where(u < 0.85, 0.0, (1 - tail) ** (-1 / PARETO_SHAPE))


def cost_truth(cell: CostCell) -> float:
    st, sc = COST_SCENARIOS[cell.scenario]
    if cell.kind == "level":
        return cost_mean(cell.dist)
    return (st - sc) * cost_mean(cell.dist)


def cost_simulate(cell: CostCell, rng: np.random.Generator):
    st, sc = COST_SCENARIOS[cell.scenario]
    if cell.kind == "difference":
        return (st * cost_from_z(rng.standard_normal(cell.n_treated), cell.dist),
                sc * cost_from_z(rng.standard_normal(cell.n_control), cell.dist))
    if cell.kind == "level":
        return cost_from_z(rng.standard_normal(cell.n_treated), cell.dist), None
    z0 = rng.standard_normal(cell.n_treated)
    z1 = RHO * z0 + math.sqrt(1 - RHO**2) * rng.standard_normal(cell.n_treated)
    return st * cost_from_z(z1, cell.dist) - sc * cost_from_z(z0, cell.dist), None


def _cost_replication(cell: CostCell, seed: int, rep: int, n_boot: int) -> dict:
    from impacteval.estimators._common import log_mean_plan
    from impacteval.inference import studentized_permutation_test

    key = (COST_DISTS.index(cell.dist) * 10 + list(COST_SCENARIOS).index(cell.scenario)) * 1_000_000 \
        + ("difference", "paired", "level").index(cell.kind) * 100_000 \
        + cell.n_treated * 1000 + cell.n_control
    ss = np.random.SeedSequence(seed, spawn_key=(key, rep))
    boot_ss, perm_ss, log_ss = ss.spawn(3)
    a, b = cost_simulate(cell, np.random.default_rng(ss))
    nan = (float("nan"), float("nan"))
    out: dict[str, tuple[float, float]] = {m: nan for m in COST_METHODS}
    if b is None:
        n = len(a)
        est, se, dfree = float(a.mean()), float(np.std(a, ddof=1) / math.sqrt(n)), n - 1
    else:
        est, se, dfree = welch(a, b)
    if not (se > 0 and np.isfinite(se)):
        # no spread at all: every method fails (counted as failed); auto withholds the
        # interval when the data are thin, as the estimators do
        groups = (a,) if b is None else (a, b)
        _, used, withheld, flag = auto_as_estimators(COST_DESIGN[cell.kind], False, groups,
                                                     out, cost_auto(cell, 1.0))
        out.update(zero_spread=1.0, withheld=withheld, flag=flag, used=used)  # type: ignore
        return out
    q = float(stats.t.ppf(0.975, dfree))
    out["analytic"] = (est - q * se, est + q * se)
    plan = mean_plan(a) if b is None else diff_plan(a, b)
    theta, se_star, _ = bootstrap_draws(plan, n_boot, boot_ss, studentize=True)
    if np.isfinite(theta).sum() >= 0.9 * n_boot:
        out.update(bootstrap_intervals(theta, se_star, estimate=est, std_error=se,
                                       methods=("bca", "studentized", "symmetric"),
                                       jackknife=plan.jackknife()))
    if b is not None:
        r = studentized_permutation_test(a, b, n_perm=n_boot, seed=perm_ss)
        out["sperm"] = (r.conf_low, r.conf_high)
    if cell.kind == "level" and est > 0:
        ql = float(stats.t.ppf(0.975, dfree))
        lest, lse = math.log(est), se / est
        out["analytic_log"] = (math.exp(lest - ql * lse), math.exp(lest + ql * lse))
        lp = log_mean_plan(a)
        th, sst, _ = bootstrap_draws(lp, n_boot, log_ss, studentize=True)
        if np.isfinite(th).sum() >= 0.9 * n_boot:
            lo, hi = bootstrap_intervals(th, sst, estimate=math.log(est), std_error=se / est,
                                         methods=("symmetric",))["symmetric"]
            out["symmetric_log"] = (float(np.exp(lo)), float(np.exp(hi)))
    groups = (a,) if b is None else (a, b)
    zs = max(zero_spread_share(g) for g in groups)
    design = COST_DESIGN[cell.kind]
    out["auto"], used, withheld, flag = auto_as_estimators(
        design, False, groups, out, cost_auto(cell, zs),
        fallback="analytic_log" if cell.kind == "level" else "analytic")
    out.update(zero_spread=zs, withheld=withheld, flag=flag, used=used)  # type: ignore[arg-type]
    return out


#: the estimator each kind of cost cell stands for
COST_DESIGN = {"difference": "difference", "paired": "before_after", "level": "follow_up"}


def cost_auto(cell: CostCell, zero_spread: float) -> str:
    """The column ``ci="auto"`` picks for a replication (re-evaluated on re-rendering)."""
    design = {"difference": "difference", "paired": "before_after", "level": "follow_up"}[cell.kind]
    chosen = auto_rule(design, False, (cell.n_treated, cell.n_control), zero_spread=zero_spread,
                       n_groups=1 if cell.kind != "difference" else 2)
    if chosen == "studentized_permutation":
        chosen = "sperm"
    if cell.kind == "level":  # follow_up's rule for a non-negative outcome: the log scale
        chosen = {"symmetric": "symmetric_log", "analytic": "analytic_log"}.get(chosen, chosen)
    return chosen


def _cost_chunk(cell: CostCell, seed: int, reps: range, n_boot: int) -> list[dict]:
    tru = cost_truth(cell)
    rows = []
    for rep in reps:
        res = _cost_replication(cell, seed, rep, n_boot)
        zs = res.pop("zero_spread", 1.0)
        withheld, flag = res.pop("withheld", False), res.pop("flag", "")
        chosen = res.pop("used", cost_auto(cell, zs))
        for method, (lo, hi) in res.items():
            nanint = bool(np.isnan(lo) or np.isnan(hi))
            ok = not nanint and bool(np.isfinite(lo) and np.isfinite(hi))
            wh = method == "auto" and bool(withheld)
            rows.append({"cell": cell, "method": method,
                         "covered": (not nanint) and lo <= tru <= hi,
                         "miss_low": (not nanint) and tru < lo, "miss_high": (not nanint) and tru > hi,
                         "width": hi - lo if ok else (math.inf if not nanint else math.nan),
                         "below_zero": (not nanint) and lo < 0,
                         "failed": nanint and not wh, "withheld": wh, "flag": flag,
                         "auto_method": chosen if method == "auto" else "",
                         "lo": lo, "hi": hi, "zero_spread": zs, "rep": rep})
    return rows


def run_cost_study(*, reps: int, n_boot: int, seed: int, n_jobs: int = 1, chunk: int = 100,
                   verbose: int = 0, cell_list: list[CostCell] | None = None) -> pd.DataFrame:
    cl = cell_list or cost_cells()
    tasks = [(c, range(lo, min(lo + chunk, reps))) for c in cl for lo in range(0, reps, chunk)]
    parts = joblib.Parallel(n_jobs=n_jobs, verbose=verbose)(
        joblib.delayed(_cost_chunk)(c, seed, r, n_boot) for c, r in tasks)
    raw = pd.DataFrame([row for part in parts for row in part])
    return summarise_costs(raw, n_boot, seed)


def rederive_auto(raw: pd.DataFrame) -> pd.DataFrame:
    """Recompute the ``auto`` rows of a raw cost run under the current ``auto_rule``
    (the thin-data withholding and the flags are properties of the sample, kept)."""
    auto_rows = raw[raw.method == "auto"].set_index(["cell", "rep"])
    raw = raw[raw.method != "auto"].copy()
    keyed = raw.set_index(["cell", "rep", "method"])
    autos = []
    for (cell, rep), g in raw.groupby(["cell", "rep"], sort=False):
        chosen = cost_auto(cell, float(g["zero_spread"].iloc[0]))
        fallback = "analytic_log" if cell.kind == "level" else "analytic"
        row = keyed.loc[(cell, rep, chosen)].to_dict() if (cell, rep, chosen) in keyed.index \
            else None
        if row is not None and not row["width"] < 1e250 and not np.isnan(row["width"]) \
                and (cell, rep, fallback) in keyed.index:
            # the estimators' auto falls back to the analytic interval when unbounded
            chosen = fallback
            row = keyed.loc[(cell, rep, chosen)].to_dict()
        if row is None:
            continue
        old = auto_rows.loc[(cell, rep)] if (cell, rep) in auto_rows.index else None
        row.update({"cell": cell, "rep": rep, "method": "auto", "auto_method": chosen})
        if old is not None and bool(old["withheld"]):
            row.update(withheld=True, failed=False, covered=False, width=math.nan)
        autos.append(row)
    return pd.concat([raw, pd.DataFrame(autos)], ignore_index=True)


def summarise_costs(raw: pd.DataFrame, n_boot: int, seed: int) -> pd.DataFrame:
    out = []
    for (cell, method), g_all in raw.groupby(["cell", "method"], sort=False):
        g = g_all[~g_all["withheld"]]  # coverage of the intervals given
        w = g["width"].to_numpy(float)
        fin = w[np.isfinite(w)]
        cov = float(g["covered"].mean()) if len(g) else math.nan
        chosen = g["auto_method"][g["auto_method"] != ""].value_counts()
        out.append({"kind": cell.kind, "dist": cell.dist, "scenario": cell.scenario,
                    "n_treated": cell.n_treated, "n_control": cell.n_control, "method": method,
                    "auto_choice": "/".join(chosen.index) if method == "auto" else "",
                    "coverage": cov,
                    "mc_se": math.sqrt(cov * (1 - cov) / len(g)) if len(g) else math.nan,
                    "miss_low": float(g["miss_low"].mean()) if len(g) else math.nan,
                    "miss_high": float(g["miss_high"].mean()) if len(g) else math.nan,
                    "mean_width": float(fin.mean()) if len(fin) else math.nan,
                    "n_infinite": int(np.isinf(w).sum()), "n_failed": int(g["failed"].sum()),
                    "n_withheld": int(g_all["withheld"].sum()),
                    "share_flagged": float((g_all["flag"] != "").mean()),
                    "flags": "/".join(g_all["flag"][g_all["flag"] != ""].value_counts().index),
                    "share_below_zero": float(g["below_zero"].mean()),
                    "n_reps": len(g), "n_boot": n_boot, "truth": cost_truth(cell), "seed": seed})
    return pd.DataFrame(out)


def flag_summary(raw: pd.DataFrame) -> pd.DataFrame:
    """Coverage of the default (``auto``) interval in the samples each flag fires on.

    One row per kind of cell and flag: the samples it fired on, the pooled
    coverage, and the coverage per scenario (no effect / costs halved /
    participants more dispersed, pooled over sizes and distributions; only
    scenarios with at least 50 such samples). ``low`` and ``high`` are the lowest
    and highest of these: the range a flag quotes ("intervals like this one
    covered 88 % to 98 % in the package's study, depending on the true
    effect"). For ``thin_data`` (no interval given) the figures are those of
    the interval ``auto`` would otherwise have chosen.
    """
    keyed = raw.set_index(["cell", "rep", "method"])
    auto = raw[(raw.method == "auto") & ~raw["failed"]].copy()
    # thin data: the interval the rule would have given, had it not been withheld
    wh = auto["withheld"].to_numpy(bool)
    if wh.any():
        idx = list(zip(auto.loc[wh, "cell"], auto.loc[wh, "rep"], auto.loc[wh, "auto_method"],
                       strict=True))
        found = keyed.reindex(idx)
        auto.loc[wh, "covered"] = found["covered"].fillna(False).to_numpy(bool)
        auto.loc[wh, "failed"] = found["failed"].fillna(True).to_numpy(bool)
        auto = auto[~auto["failed"]]
    auto["code"] = auto["flag"].replace("", "(no flag)")
    auto["kind"] = [c.kind for c in auto["cell"]]
    auto["scenario"] = [c.scenario for c in auto["cell"]]
    # the package quotes the paired regime's figures separately for n ≤ 12
    small_pairs = (auto["code"] == "paired_zero_inflated") & np.array(
        [c.kind == "paired" and c.n_treated <= 12 for c in auto["cell"]], dtype=bool)
    auto.loc[small_pairs, "code"] = "paired_zero_inflated (n ≤ 12)"
    rows = []
    for (kind, code), g in auto.groupby(["kind", "code"], sort=True):
        row = {"kind": kind, "code": code, "samples": len(g),
               "cells": int(g["cell"].nunique()), "coverage": float(g["covered"].mean())}
        by = g.groupby("scenario")["covered"].agg(["mean", "size"])
        for scen in COST_SCENARIOS:
            ok = scen in by.index and by.loc[scen, "size"] >= 50
            row[f"cov_{scen}"] = float(by.loc[scen, "mean"]) if ok else math.nan
            row[f"n_{scen}"] = int(by.loc[scen, "size"]) if scen in by.index else 0
        vals = [row[f"cov_{s}"] for s in COST_SCENARIOS if not math.isnan(row[f"cov_{s}"])]
        row["range_over"] = "scenarios"
        if len(vals) == 1:  # one scenario (levels): the range over the cells instead
            per_cell = g.groupby("cell", sort=False)["covered"].agg(["mean", "size"])
            vals = list(per_cell.loc[per_cell["size"] >= 50, "mean"]) or vals
            row["range_over"] = "cells"
        row["low"] = min(vals) if vals else math.nan
        row["high"] = max(vals) if vals else math.nan
        rows.append(row)
    return pd.DataFrame(rows)


def flag_markdown(flags: pd.DataFrame) -> str:
    scen = " | ".join(f"{s}" for s in COST_SCENARIOS)
    lines = ["**The honesty flags** (`Estimate.diagnostics[\"coverage_regime\"]`): coverage % "
             "of the default interval in the samples each flag fired on, pooled and per true "
             "scenario (n = samples; scenarios with fewer than 50 samples left out); "
             "`thin_data`: the interval `auto` would have chosen, had it not been withheld. The "
             "range quoted is over the scenarios, or over the cells (≥ 50 samples) where there "
             "is one scenario (levels).", "",
             f"| kind | flag | samples | cells | pooled | {scen} | range quoted |",
             "|---|---|---:|---:|---:|" + "---:|" * len(COST_SCENARIOS) + "---|"]

    def pct(v):
        return "–" if math.isnan(v) else f"{100 * v:.1f}"

    for r in flags.to_dict("records"):
        per = " | ".join(f"{pct(r[f'cov_{s}'])} (n = {r[f'n_{s}']})" for s in COST_SCENARIOS)
        rng = "–" if math.isnan(r["low"]) else f"{100 * r['low']:.0f}–{100 * r['high']:.0f} %"
        lines.append(f"| {r['kind']} | {r['code']} | {r['samples']} | {r['cells']} | "
                     f"{pct(r['coverage'])} | {per} | {rng} |")
    return "\n".join(lines) + "\n"


def cost_markdown(res: pd.DataFrame, header: str) -> str:
    lines = [header, ""]
    for kind in ("difference", "paired", "level"):
        for dist in COST_DISTS:
            for scen in COST_SCENARIOS:
                sub = res[(res.kind == kind) & (res.dist == dist) & (res.scenario == scen)]
                if sub.empty:
                    continue
                ms = [m for m in COST_METHODS if m in set(sub["method"])
                      and sub[sub.method == m]["n_failed"].lt(sub[sub.method == m]["n_reps"]).any()]
                lines += [f"**cost {kind} — {dist} — {scen}** (truth {sub['truth'].iloc[0]:+.4g}; "
                          "coverage % (mean width); `inf` = infinite intervals, `fail` = undefined)",
                          "", "| n | " + " | ".join(ms) + " |", "|---|" + "---:|" * len(ms)]
                for (nt, nc), g in sub.groupby(["n_treated", "n_control"], sort=True):
                    vals = []
                    for m in ms:
                        r = g[g.method == m]
                        if r.empty:
                            vals.append("–")
                            continue
                        r = r.iloc[0]
                        extra = ""
                        if r.n_infinite:
                            extra += f" inf {r.n_infinite}"
                        if r.n_failed:
                            extra += f" fail {r.n_failed}"
                        if m == "auto":
                            extra += f" [{r.auto_choice}]"
                            if r.n_withheld:
                                extra += f" withheld {r.n_withheld}"
                            if r.share_flagged:
                                extra += f" flagged {100 * r.share_flagged:.0f}%"
                        vals.append(f"{100 * r.coverage:.1f} ({r.mean_width:.3g}){extra}")
                    lines.append(f"| {size_label(nt, nc)} | " + " | ".join(vals) + " |")
                lines.append("")
    return "\n".join(lines)


def main_costs(args) -> pd.DataFrame:
    t0 = time.perf_counter()
    raw_path = args.out / "coverage_costs_raw.pkl"
    # widths ≥ 1e250 came from quantiles interpolated towards an infinite t* (counted as
    # infinite since the fix in inference._pct)
    if args.rerender:  # re-derive the auto column from a saved run under the current rule
        raw = pd.read_pickle(raw_path)
        big = raw["width"] >= 1e250
        raw.loc[big, "width"] = math.inf
        raw = rederive_auto(raw)
        res = summarise_costs(raw, args.boot, args.seed)
        elapsed = float(raw.attrs.get("elapsed", float("nan")))
    else:
        cl = cost_cells(subset=args.subset)
        tasks = [(c, range(lo, min(lo + 100, args.reps))) for c in cl
                 for lo in range(0, args.reps, 100)]
        parts = joblib.Parallel(n_jobs=args.jobs)(
            joblib.delayed(_cost_chunk)(c, args.seed, r, args.boot) for c, r in tasks)
        raw = pd.DataFrame([row for part in parts for row in part])
        elapsed = time.perf_counter() - t0
        raw.attrs["elapsed"] = elapsed
        args.out.mkdir(parents=True, exist_ok=True)
        raw.to_pickle(raw_path)  # not committed: the per-replication intervals
        res = summarise_costs(raw, args.boot, args.seed)
    mc = 100 * math.sqrt(0.95 * 0.05 / args.reps)
    header = (f"## Cost study (skewed and zero-inflated costs)\n\nCommand: `nice python "
              f"benchmarks/coverage.py --study costs{' --subset' if args.subset else ''} --reps {args.reps} --boot {args.boot} "
              f"--seed {args.seed} --jobs {args.jobs}`; {elapsed / 60:.1f} min, "
              f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, Python "
              f"{platform.python_version()}, numpy {np.__version__}. {args.reps} replications per "
              f"cell, B = {args.boot} resamples / permutations; Monte Carlo SE of a coverage near "
              f"95 %: ±{mc:.1f} points. `sperm` = studentized permutation interval; "
              "`symmetric_log` = symmetric bootstrap-t of log(mean), transformed back (levels only).")
    args.out.mkdir(parents=True, exist_ok=True)
    res.to_csv(args.out / "coverage_costs.csv", index=False)
    flags = flag_summary(raw)
    flags.to_csv(args.out / "coverage_flags.csv", index=False)
    md = cost_markdown(res, header) + "\n" + flag_markdown(flags)
    path = args.out / "coverage.md"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = "<!-- costs:start -->", "<!-- costs:end -->"
    if start in old:
        head, rest = old.split(start, 1)
        tail = rest.split(end, 1)[1] if end in rest else ""
        old = head.rstrip() + "\n\n"
    else:
        tail = ""
        old = old.rstrip() + "\n\n"
    path.write_text(old + start + "\n" + md + "\n" + end + tail + "\n", encoding="utf-8")
    print(md)
    return res


def main(argv: list[str] | None = None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=2000)
    ap.add_argument("--boot", type=int, default=1999)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="8 replications, 99 resamples")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    ap.add_argument("--update-docs", action="store_true")
    ap.add_argument("--subset", action="store_true",
                    help="costs study: the reduced cell set (38 cells)")
    ap.add_argument("--rerender", action="store_true",
                    help="costs study: rebuild the tables from the saved raw run")
    ap.add_argument("--study", choices=("design", "costs"), default="design",
                    help="'design': the design × outcome table; 'costs': the skewed-cost cells")
    args = ap.parse_args(argv)
    if args.study == "costs":
        if args.quick:
            args.reps, args.boot = 8, 99
        return main_costs(args)
    reps, n_boot = (8, 99) if args.quick else (args.reps, args.boot)
    t0 = time.perf_counter()
    res = run_study(cells(), reps=reps, n_boot=n_boot, seed=args.seed, n_jobs=args.jobs,
                    verbose=0 if args.quick else 5)
    elapsed = time.perf_counter() - t0
    header = (f"Coverage of nominal 95 % intervals: {reps} replications per cell, B = {n_boot} "
              f"bootstrap resamples (permutation: {n_boot} draws or exact), seed {args.seed}; "
              f"{elapsed / 60:.1f} min with {args.jobs} joblib workers on {os.cpu_count()} cores, "
              f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, "
              f"Python {platform.python_version()}, numpy {np.__version__}. "
              "Monte Carlo SE of a coverage near 95 %: "
              f"{100 * math.sqrt(0.95 * 0.05 / reps):.1f} points. "
              "`[…]` after the auto column names the method auto chose.")
    args.out.mkdir(parents=True, exist_ok=True)
    res.to_csv(args.out / "coverage.csv", index=False)
    md = markdown(res, header)
    path = args.out / "coverage.md"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    keep = old[old.index("<!-- costs:start -->"):] if "<!-- costs:start -->" in old else ""
    path.write_text(md + "\n" + ("\n" + keep if keep else ""), encoding="utf-8")
    if args.update_docs:
        update_docs(md, ROOT / "docs" / "inference.md")
    print(md)
    print(f"\nwrote {args.out / 'coverage.csv'} and coverage.md in {elapsed:.1f} s", file=sys.stderr)
    return res


if __name__ == "__main__":
    main()
