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
    bootstrap_draws,
    bootstrap_intervals,
    choose_auto,
    permutation_test,
)

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = ("difference", "before_after", "did")
OUTCOMES = ("normal", "lognormal", "zero_inflated", "binary")
TWO_GROUP_SIZES = ((10, 10), (20, 20), (30, 30), (30, 366), (100, 100))
#: before–after uses the participants only: 30/30 and 30/366 are the same cell
ONE_GROUP_SIZES = ((10, 0), (20, 0), (30, 0), (100, 0))
METHODS = ("analytic",) + BOOT_METHODS + ("hall", "vs_basic", "permutation", "auto")
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
    chosen = choose_auto(cell.design, cell.binary, (cell.n_treated, cell.n_control))
    out["auto"] = out.get(chosen, nan)
    return out


def cell_key(cell: Cell) -> int:
    return (DESIGNS.index(cell.design) * 100 + OUTCOMES.index(cell.outcome)) * 100_000 \
        + cell.n_treated * 1000 + cell.n_control


def _chunk(cell: Cell, seed: int, reps: range, n_boot: int) -> list[dict]:
    tru = truth(cell)
    rows = []
    for rep in reps:
        for method, (lo, hi) in one_replication(cell, seed, rep, n_boot).items():
            ok = bool(np.isfinite(lo) and np.isfinite(hi))
            nanint = bool(np.isnan(lo) or np.isnan(hi))
            rows.append({"cell": cell, "method": method, "covered": (not nanint) and lo <= tru <= hi,
                         "miss_low": (not nanint) and tru < lo,
                         "miss_high": (not nanint) and tru > hi,
                         "width": hi - lo if ok else (math.inf if not nanint else math.nan),
                         "failed": nanint})
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
    for (cell, method), g in raw.groupby(["cell", "method"], sort=False):
        w = g["width"].to_numpy(float)
        fin = w[np.isfinite(w)]
        cov = float(g["covered"].mean())
        out.append({"design": cell.design, "outcome": cell.outcome, "n_treated": cell.n_treated,
                    "n_control": cell.n_control, "method": method,
                    "auto_choice": choose_auto(cell.design, cell.binary,
                                               (cell.n_treated, cell.n_control)),
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


def main(argv: list[str] | None = None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=2000)
    ap.add_argument("--boot", type=int, default=1999)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="8 replications, 99 resamples")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    ap.add_argument("--update-docs", action="store_true")
    args = ap.parse_args(argv)
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
    (args.out / "coverage.md").write_text(md + "\n", encoding="utf-8")
    if args.update_docs:
        update_docs(md, ROOT / "docs" / "inference.md")
    print(md)
    print(f"\nwrote {args.out / 'coverage.csv'} and coverage.md in {elapsed:.1f} s", file=sys.stderr)
    return res


if __name__ == "__main__":
    main()
