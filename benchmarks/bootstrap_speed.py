"""Speed of our bootstrap intervals for a difference in means vs scipy and a bare numpy floor.

Times, in one run and on the same data (log-normal outcomes), B = 9,999:

* ours: ``impacteval.inference.resample_interval`` with ``ci="bca"`` and
  ``ci="percentile"`` on ``diff_plan`` (what ``ie.difference`` runs; it also
  computes the Welch SE of every replicate for the bootstrap-t p-value);
* scipy: ``scipy.stats.bootstrap(..., vectorized=True)`` with the same
  methods; at 50,000/50,000 with ``batch=500`` (its BCa jackknife builds an
  n × (n − 1) array per sample: with the default settings it runs out of
  memory);
* floor: a bare vectorised numpy loop drawing B resamples of the two means
  in batches (no interval, no SE) — the least any bootstrap must do.

Peak memory is the peak of numpy/Python allocations traced by ``tracemalloc``
during the call, measured in a second, untimed run. Thread settings are
printed and stored with the timings.

Usage::

    OPENBLAS_NUM_THREADS=1 python benchmarks/bootstrap_speed.py [--sizes 30/30 30/366]

Writes ``benchmarks/results/bootstrap_speed.csv``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy  # noqa: E402
from scipy import stats  # noqa: E402

from impacteval.estimators.difference import diff_plan  # noqa: E402
from impacteval.inference import resample_interval  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
B = 9999
SIZES = ((30, 30), (30, 366), (5000, 5000), (50_000, 50_000))


def thread_settings() -> dict[str, str]:
    out = {k: os.environ.get(k, "unset") for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                                    "MKL_NUM_THREADS")}
    try:
        from threadpoolctl import threadpool_info

        out["threadpools"] = "; ".join(f"{i['internal_api']}={i['num_threads']}"
                                       for i in threadpool_info())
    except ImportError:  # pragma: no cover
        pass
    out["cpu_count"] = str(os.cpu_count())
    return out


def bare_numpy(yt: np.ndarray, yc: np.ndarray, seed: int = 1, batch_cells: int = 1_000_000):
    """The floor: B resampled differences of means, batched, plus the percentile interval."""
    rng = np.random.default_rng(seed)
    nt, nc = len(yt), len(yc)
    b = max(1, batch_cells // (nt + nc))
    out = np.empty(B)
    for lo in range(0, B, b):
        k = min(b, B - lo)
        out[lo:lo + k] = (yt[rng.integers(0, nt, (k, nt))].mean(axis=1)
                          - yc[rng.integers(0, nc, (k, nc))].mean(axis=1))
    return np.quantile(out, [0.025, 0.975])


def scipy_boot(yt, yc, method: str, batch: int | None):
    def stat(a, b, axis=-1):
        return a.mean(axis=axis) - b.mean(axis=axis)

    r = stats.bootstrap((yt, yc), stat, method=method, n_resamples=B, vectorized=True,
                        batch=batch, random_state=np.random.default_rng(1))
    return r.confidence_interval


def ours(yt, yc, method: str):
    r = resample_interval(diff_plan(yt, yc), ci=method, n_boot=B, seed=1)
    return r.conf_low, r.conf_high


def timed(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str] | None = None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="*", default=[f"{a}/{b}" for a, b in SIZES])
    ap.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "bootstrap_speed.csv")
    args = ap.parse_args(argv)
    threads = thread_settings()
    print(f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}; "
          f"B = {B}; threads: {threads}")
    rows = []
    for spec in args.sizes:
        nt, nc = (int(v) for v in spec.split("/"))
        rng = np.random.default_rng(nt * 7 + nc)
        yt, yc = rng.lognormal(0, 1, nt), rng.lognormal(0.2, 1, nc)
        big = nt + nc > 20_000
        repeat = 1 if big else 5
        batch = 500 if big else None
        cases = {
            ("ours", "bca"): partial(ours, yt, yc, "bca"),
            ("ours", "percentile"): partial(ours, yt, yc, "percentile"),
            ("scipy", "bca"): partial(scipy_boot, yt, yc, "BCa", batch),
            ("scipy", "percentile"): partial(scipy_boot, yt, yc, "percentile", batch),
            ("numpy floor", "percentile"): partial(bare_numpy, yt, yc),
        }
        times = {}
        for (impl, method), fn in cases.items():
            fn()  # warm-up (imports, caches) outside the timing
            secs = timed(fn, repeat)
            mem = float("nan") if args.no_memory else peak_mb(fn)
            times[(impl, method)] = secs
            rows.append({"n_treated": nt, "n_control": nc, "impl": impl, "method": method,
                         "seconds": secs, "peak_mb": mem, "n_boot": B,
                         "scipy_batch": batch if impl == "scipy" else None,
                         "repeats_best_of": repeat, **threads})
            print(f"{nt:>6}/{nc:<6} {impl:12s} {method:10s} {secs:8.3f} s   peak {mem:8.1f} MB",
                  flush=True)
        for r in rows:
            if (r["n_treated"], r["n_control"]) == (nt, nc):
                r["ratio_vs_scipy"] = r["seconds"] / times[("scipy", r["method"])] \
                    if ("scipy", r["method"]) in times else float("nan")
                r["ratio_vs_numpy_floor"] = r["seconds"] / times[("numpy floor", "percentile")]
        print(f"{'':14s} ours/scipy: BCa {times[('ours', 'bca')] / times[('scipy', 'bca')]:.2f}, "
              f"percentile {times[('ours', 'percentile')] / times[('scipy', 'percentile')]:.2f}; "
              f"ours/floor: BCa {times[('ours', 'bca')] / times[('numpy floor', 'percentile')]:.2f}, "
              f"percentile "
              f"{times[('ours', 'percentile')] / times[('numpy floor', 'percentile')]:.2f}",
              flush=True)
    df = pd.DataFrame(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(args.out, index=False)
    print(f"wrote {args.out}")
    return df


if __name__ == "__main__":
    main()
