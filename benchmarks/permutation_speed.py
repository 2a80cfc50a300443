"""Speed of the studentized permutation interval vs scipy's permutation test, inverted.

The interval (``impacteval.inference.studentized_permutation_test``, what
``ci="auto"`` uses for a difference in costs when the comparison group is much
larger) permutes the Welch t and inverts the test over a shift δ by bisection
with one fixed set of assignments. The nearest peer is
``scipy.stats.permutation_test`` (``permutation_type="independent"``,
vectorized Welch t): it gives the p-value at one δ, so the peer's interval is
the same equal-tailed inversion, one scipy call per bisection step, with the
same seed at every step (one fixed set of assignments, as ours). A single
scipy call (the p-value at δ = 0 only) is timed as well.

Data: 80 % zeros and 20 % log-normal amounts (a welfare cost), 30 participants
and 366 comparisons (the Servicetrainee register sizes), 9,999 permutations.
Implementations are interleaved (ours, scipy one test, scipy interval, ours, ...)
and each is timed ``--repeat`` times; the median, min and max are printed with
the 1-minute load average before and after and the thread settings.

Usage::

    OPENBLAS_NUM_THREADS=1 python benchmarks/permutation_speed.py [--repeat 9] [--sizes 30/366 20/400]

Writes ``benchmarks/results/permutation_speed.md``.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import time
from functools import partial
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy import stats  # noqa: E402

from impacteval.inference import studentized_permutation_test  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
N_PERM = 9999


def data(nt: int, nc: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)

    def cost(n):
        return np.where(rng.random(n) < 0.2, rng.lognormal(size=n), 0.0)

    return cost(nt), cost(nc)


def _welch_t(x, y, axis=-1):
    vx = np.var(x, axis=axis, ddof=1) / x.shape[axis]
    vy = np.var(y, axis=axis, ddof=1) / y.shape[axis]
    return (np.mean(x, axis=axis) - np.mean(y, axis=axis)) / np.sqrt(vx + vy)


def scipy_p(yt, yc, delta: float, alternative: str) -> float:
    r = stats.permutation_test((yt - delta, yc), _welch_t, permutation_type="independent",
                               vectorized=True, n_resamples=N_PERM, alternative=alternative,
                               random_state=np.random.default_rng(7))
    return float(r.pvalue)


def scipy_interval(yt, yc, level: float = 0.95, rtol: float = 1e-7) -> tuple[float, float]:
    """Invert scipy's one-sided permutation tests by bisection (same steps as ours)."""
    alpha = 1 - level
    est = yt.mean() - yc.mean()
    se = math.sqrt(np.var(yt, ddof=1) / len(yt) + np.var(yc, ddof=1) / len(yc))

    def root(f, start, step):
        a, fa = start, f(start)
        b = start + step
        while f(b) * fa > 0:  # expand until the sign changes
            step *= 2
            b = start + step
        lo, hi = (a, b) if a < b else (b, a)
        flo = f(lo)
        while hi - lo > rtol * se:
            mid = 0.5 * (lo + hi)
            fm = f(mid)
            if fm * flo > 0:
                lo, flo = mid, fm
            else:
                hi = mid
        return 0.5 * (lo + hi)

    lo = root(lambda d: scipy_p(yt, yc, d, "greater") - alpha / 2, est, -se)
    hi = root(lambda d: scipy_p(yt, yc, d, "less") - alpha / 2, est, se)
    return lo, hi


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main(argv: list[str] | None = None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="*", default=["30/366", "20/400", "30/30"])
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--peer-repeat", type=int, default=3,
                    help="repeats of the (slow) inverted scipy interval")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" /
                    "permutation_speed.md")
    args = ap.parse_args(argv)
    rows = []
    for size in args.sizes:
        nt, nc = (int(v) for v in size.split("/"))
        yt, yc = data(nt, nc)
        studentized_permutation_test(yt, yc, n_perm=N_PERM, seed=1)  # warm-up
        load0 = os.getloadavg()[0]
        ours, one, inv = [], [], []
        for i in range(args.repeat):  # interleaved
            ours += timed(partial(studentized_permutation_test, yt, yc, n_perm=N_PERM, seed=1),
                          1)
            one += timed(partial(scipy_p, yt, yc, 0.0, "two-sided"), 1)
            if i < args.peer_repeat:
                inv += timed(partial(scipy_interval, yt, yc), 1)
        load1 = os.getloadavg()[0]
        r = studentized_permutation_test(yt, yc, n_perm=N_PERM, seed=1)
        lo, hi = scipy_interval(yt, yc)
        rows.append((size, ours, one, inv, load0, load1, (r.conf_low, r.conf_high), (lo, hi)))

    def fmt(ts):
        ms = 1e3 * np.asarray(ts)
        return f"{np.median(ms):.1f} [{ms.min():.1f}–{ms.max():.1f}]"

    lines = [
        "# Studentized permutation interval: speed (issue #14 point 8)", "",
        f"`OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}`, "
        f"`OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}`, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}; "
        f"{N_PERM:,} permutations, zero-inflated log-normal costs; milliseconds, median "
        "[min–max]; interleaved. Command: `python benchmarks/permutation_speed.py "
        f"--repeat {args.repeat}`.", "",
        "| participants / comparison | ours: interval | scipy: one p-value | scipy: interval "
        "(inverted) | scipy interval / ours | load before → after | ours [lo, hi] | scipy "
        "[lo, hi] |",
        "|---|---:|---:|---:|---:|---|---|---|"]
    for size, ours, one, inv, l0, l1, ci_o, ci_s in rows:
        lines.append(f"| {size} | {fmt(ours)} | {fmt(one)} | {fmt(inv)} | "
                     f"{np.median(inv) / np.median(ours):.0f}× | {l0:.2f} → {l1:.2f} | "
                     f"[{ci_o[0]:.4f}, {ci_o[1]:.4f}] | [{ci_s[0]:.4f}, {ci_s[1]:.4f}] |")
    lines += ["", "The two intervals differ only by the random permutation sets (different "
              "generators)."]
    md = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(md, encoding="utf-8")
    print(md)
    return md


if __name__ == "__main__":
    main()
