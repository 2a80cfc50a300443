"""Speed of our bootstrap intervals for a difference in means vs scipy and a bare numpy floor.

Times, in one run and on the same data (log-normal outcomes), B = 9,999:

* ours: ``impacteval.inference.resample_interval`` with ``ci="bca"`` and
  ``ci="percentile"`` on ``diff_plan`` (what ``ie.difference`` runs);
* scipy: ``scipy.stats.bootstrap(..., vectorized=True)`` with the same
  methods; at 50,000/50,000 with ``batch=500`` (its BCa jackknife builds an
  n × (n − 1) array per sample: with the default settings it runs out of
  memory);
* floor: the fastest plain numpy loop we could write that draws the same
  number of resamples and means: per group and per chunk of about 65,000
  cells, ``Generator.integers(0, n, (k, n), dtype=np.int32)`` (numpy's
  fastest bounded sampler), ``np.take(..., mode="clip")`` into a reused
  buffer (the default mode="raise" buffers a take into ``out``: 10 × slower)
  and a row sum,
  then the two percentile quantiles; no interval machinery, no SE, no
  jackknife. A second, naive floor (int64 indices, fancy indexing, batches of
  10⁶ cells) is timed for reference.

The implementations are interleaved (ours, scipy, floor, ours, scipy, ...)
and each is timed ``--repeat`` times (median, min and max reported); the
1-minute load average is recorded before and after each size, since the
machine is shared and a loaded machine slows everything.

Peak memory is the peak of numpy/Python allocations traced by ``tracemalloc``
during the call, measured in a separate, untimed run.

Usage::

    OPENBLAS_NUM_THREADS=1 python benchmarks/bootstrap_speed.py [--sizes 30/30 30/366]
        [--repeat 5] [--only bca20k|pct50k] [--no-memory]

Writes ``benchmarks/results/bootstrap_speed.csv``. ``--only`` runs one headline
case alone (one implementation, one size), for timing whole processes from outside.
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


def bare_numpy(yt: np.ndarray, yc: np.ndarray, seed: int = 1, chunk_cells: int = 1 << 16):
    """The floor: B resampled differences of means, chunked, plus the percentile interval."""
    rng = np.random.default_rng(seed)
    means = []
    for y in (yt, yc):
        n = len(y)
        k = max(1, chunk_cells // n)
        buf = np.empty((k, n))
        out = np.empty(B)
        for lo in range(0, B, k):
            hi = min(B, lo + k)
            idx = rng.integers(0, n, (hi - lo, n), dtype=np.int32)
            out[lo:hi] = np.take(y, idx, out=buf[:hi - lo], mode="clip").sum(axis=1)
        means.append(out / n)
    return np.quantile(means[0] - means[1], [0.025, 0.975])


def naive_numpy(yt: np.ndarray, yc: np.ndarray, seed: int = 1, batch_cells: int = 1_000_000):
    """A naive floor: int64 indices, fancy indexing, batches of 10⁶ cells."""
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


def load1() -> float:
    return os.getloadavg()[0]


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def data(nt: int, nc: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(nt * 7 + nc)
    return rng.lognormal(0, 1, nt), rng.lognormal(0.2, 1, nc)


ONLY = {"bca20k": (20_000, 20_000, "bca"), "pct50k": (50_000, 50_000, "percentile")}


def main(argv: list[str] | None = None) -> pd.DataFrame | None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="*", default=[f"{a}/{b}" for a, b in SIZES])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", choices=sorted(ONLY))
    ap.add_argument("--impl", choices=["ours", "scipy", "floor"], default="ours")
    ap.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "bootstrap_speed.csv")
    args = ap.parse_args(argv)
    if args.only:
        nt, nc, method = ONLY[args.only]
        yt, yc = data(nt, nc)
        if args.impl == "ours":
            ours(yt, yc, method)
        elif args.impl == "scipy":
            scipy_boot(yt, yc, "BCa" if method == "bca" else method, 500 if nt + nc > 20_000 else None)
        else:
            bare_numpy(yt, yc)
        return None
    threads = thread_settings()
    print(f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}; "
          f"B = {B}; threads: {threads}")
    rows = []
    for spec in args.sizes:
        nt, nc = (int(v) for v in spec.split("/"))
        yt, yc = data(nt, nc)
        big = nt + nc > 20_000
        batch = 500 if big else None
        cases = {
            ("ours", "bca"): partial(ours, yt, yc, "bca"),
            ("ours", "percentile"): partial(ours, yt, yc, "percentile"),
            ("scipy", "bca"): partial(scipy_boot, yt, yc, "BCa", batch),
            ("scipy", "percentile"): partial(scipy_boot, yt, yc, "percentile", batch),
            ("numpy floor", "percentile"): partial(bare_numpy, yt, yc),
            ("naive numpy", "percentile"): partial(naive_numpy, yt, yc),
        }
        if nt + nc > 50_000:  # scipy's BCa jackknife is quadratic: minutes per call at 100,000
            cases.pop(("scipy", "bca"))
        load_before = load1()
        for fn in cases.values():
            fn()  # warm-up (imports, caches) outside the timing
        secs: dict[tuple[str, str], list[float]] = {key: [] for key in cases}
        for _ in range(args.repeat):  # interleaved: a drift of the machine hits all alike
            for key, fn in cases.items():
                t0 = time.perf_counter()
                fn()
                secs[key].append(time.perf_counter() - t0)
        load_after = load1()
        med = {key: float(np.median(v)) for key, v in secs.items()}
        for (impl, method), fn in cases.items():
            v = secs[(impl, method)]
            mem = float("nan") if args.no_memory else peak_mb(fn)
            rows.append({"n_treated": nt, "n_control": nc, "impl": impl, "method": method,
                         "seconds_median": med[(impl, method)], "seconds_min": min(v),
                         "seconds_max": max(v), "repeats": len(v), "peak_mb": mem, "n_boot": B,
                         "scipy_batch": batch if impl == "scipy" else None,
                         "load1_before": load_before, "load1_after": load_after,
                         "ratio_vs_scipy": med[(impl, method)] / med[("scipy", method)]
                         if ("scipy", method) in med else float("nan"),
                         "ratio_vs_numpy_floor": med[(impl, method)]
                         / med[("numpy floor", "percentile")], **threads})
            print(f"{nt:>6}/{nc:<6} {impl:12s} {method:10s} median {med[(impl, method)]:8.3f} s "
                  f"[{min(v):.3f}–{max(v):.3f}]  peak {mem:8.1f} MB", flush=True)
        sc = med.get(("scipy", "bca"), float("nan"))
        print(f"{'':14s} load {load_before:.2f} -> {load_after:.2f}; scipy/ours: BCa "
              f"{sc / med[('ours', 'bca')]:.2f}, percentile "
              f"{med[('scipy', 'percentile')] / med[('ours', 'percentile')]:.2f}; ours/floor: "
              f"BCa {med[('ours', 'bca')] / med[('numpy floor', 'percentile')]:.2f}, percentile "
              f"{med[('ours', 'percentile')] / med[('numpy floor', 'percentile')]:.2f}", flush=True)
    df = pd.DataFrame(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(args.out, index=False)
    print(f"wrote {args.out}")
    return df


if __name__ == "__main__":
    main()
