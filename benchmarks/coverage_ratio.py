"""Coverage of the interval for a relative difference (ratio of means − 1) of a
non-negative, zero-inflated cost: the delta-method Welch interval on the percent scale
against the same interval made for log(ratio) and transformed back (the default for
non-negative outcomes since issue #14; Hirschberg & Lye 2010).

Costs: a share ``p`` non-zero, log-normal amounts; participants' costs are the comparison
group's times ``mult`` (truth 100·(mult − 1) %). Samples with fewer than 3 non-zero values
in a group are skipped (the package gives no interval there). Prints a Markdown table.

    python benchmarks/coverage_ratio.py [--reps 2000]
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from scipy import stats

CELLS = [(30, 366, 0.5, 0.3), (30, 90, 0.5, 0.3), (20, 20, 0.5, 0.3), (12, 30, 0.5, 0.3),
         (60, 60, 0.3, 0.3), (30, 366, 0.5, 0.15), (100, 400, 0.8, 0.2)]


def _sw(a: float, na: int, b: float, nb: int) -> float:
    return (a + b) ** 2 / (a**2 / (na - 1) + b**2 / (nb - 1))


def cell(nt: int, nc: int, mult: float, p: float, reps: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    truth = 100 * (mult - 1)
    hit_d = hit_l = below = k = 0
    for _ in range(reps):
        yt = mult * np.where(rng.random(nt) < p, rng.lognormal(8, 1, nt), 0)
        yc = np.where(rng.random(nc) < p, rng.lognormal(8, 1, nc), 0)
        if np.count_nonzero(yt) < 3 or np.count_nonzero(yc) < 3:
            continue
        k += 1
        mt, mc = yt.mean(), yc.mean()
        vt, vc = yt.var(ddof=1) / nt, yc.var(ddof=1) / nc
        r = mt / mc
        a, b = vt / mc**2, r**2 * vc / mc**2
        q = stats.t.ppf(0.975, _sw(a, nt, b, nc))
        est, se = 100 * (r - 1), 100 * math.sqrt(a + b)
        hit_d += est - q * se <= truth <= est + q * se
        below += est - q * se < -100
        la, lb = vt / mt**2, vc / mc**2
        ql = stats.t.ppf(0.975, _sw(la, nt, lb, nc))
        sl = math.sqrt(la + lb)
        hit_l += 100 * math.expm1(math.log(r) - ql * sl) <= truth <= 100 * math.expm1(
            math.log(r) + ql * sl)
    return {"n": k, "delta": hit_d / k, "log": hit_l / k, "below": below / k}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=2000)
    a = ap.parse_args()
    print("| participants / comparison | cost × | non-zero share | samples | delta-method "
          "coverage | below −100 % | log-ratio coverage (default) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for nt, nc, mult, p in CELLS:
        c = cell(nt, nc, mult, p, a.reps)
        print(f"| {nt} / {nc} | {mult} | {p:.0%} | {c['n']} | {c['delta']:.1%} | "
              f"{c['below']:.1%} | {c['log']:.1%} |")


if __name__ == "__main__":
    main()
