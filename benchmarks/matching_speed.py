"""Speed and memory of ``impacteval`` matching against its nearest peers.

Compares, on the same data (5 normal covariates, participants shifted by 0.3 SD):

* ``ie.match`` — Mahalanobis 1-NN ATT with the Abadie–Imbens SE (which needs its
  own within-group matches) and the balance/overlap tables, everything included;
* a bare ``scipy.spatial.cKDTree`` 1-NN query (build the tree on the comparison
  units, query the participants) — the floor any exact matcher must pay;
* scikit-learn ``NearestNeighbors(n_neighbors=1)`` fit + kneighbors;
* the ``causalinference`` package's ``est_via_matching`` (which always
  estimates ATE, ATT and ATC with Abadie–Imbens SEs; compared with
  ``ie.match(estimand="ATE")``), at the sizes where it finishes in minutes.

Each measurement runs in its own subprocess so that the peak resident memory
(``resource.getrusage().ru_maxrss``) belongs to that method alone; we report
the peak and the increase over the process after the data were generated.

Usage::

    OPENBLAS_NUM_THREADS=1 python benchmarks/matching_speed.py          # all sizes
    OPENBLAS_NUM_THREADS=1 python benchmarks/matching_speed.py --quick  # small sizes

Sizes (participants / comparison units): 300/3,000, 3,000/30,000,
30,000/300,000 and 100,000/1,000,000 (``--quick``: the first two).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

SIZES = [(300, 3_000), (3_000, 30_000), (30_000, 300_000), (100_000, 1_000_000)]
#: causalinference is O(n_t·n_c) in Python; run it only up to this many comparison units
CAUSALINFERENCE_MAX_NC = 30_000
P = 5


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _data(nt: int, nc: int):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(20240601)
    x = rng.normal(size=(nt + nc, P))
    x[:nt] += 0.3
    g = np.r_[np.ones(nt, dtype=np.int64), np.zeros(nc, dtype=np.int64)]
    y = x @ np.linspace(1, 0.2, P) + 1.0 * g + rng.normal(size=nt + nc)
    df = pd.DataFrame(x, columns=[f"x{j}" for j in range(P)])
    df["g"] = g
    df["y"] = y
    return df


def _child(method: str, nt: int, nc: int) -> dict:
    import numpy as np

    df = _data(nt, nc)
    covs = [f"x{j}" for j in range(P)]
    base = _rss_mb()
    out: dict = {"method": method, "nt": nt, "nc": nc}
    if method == "impacteval":
        from impacteval.estimators.matching import match

        t0 = time.perf_counter()
        r = match(df, outcome="y", group="g", treated=1, covariates=covs)
        out["seconds"] = time.perf_counter() - t0
        out["estimate"], out["std_error"] = r.estimate, r.std_error
    elif method == "impacteval_ate":
        from impacteval.estimators.matching import match

        t0 = time.perf_counter()
        r = match(df, outcome="y", group="g", treated=1, covariates=covs, estimand="ATE")
        out["seconds"] = time.perf_counter() - t0
        out["estimate"], out["std_error"] = r.estimate, r.std_error
    elif method == "ckdtree":
        from scipy.spatial import cKDTree

        x = df[covs].to_numpy()
        t = df["g"].to_numpy() == 1
        t0 = time.perf_counter()
        tree = cKDTree(x[~t])
        d, i = tree.query(x[t], k=1, workers=-1)
        out["seconds"] = time.perf_counter() - t0
    elif method == "sklearn":
        from sklearn.neighbors import NearestNeighbors

        x = df[covs].to_numpy()
        t = df["g"].to_numpy() == 1
        t0 = time.perf_counter()
        nn = NearestNeighbors(n_neighbors=1, n_jobs=-1).fit(x[~t])
        d, i = nn.kneighbors(x[t])
        out["seconds"] = time.perf_counter() - t0
    elif method == "causalinference":
        from causalinference import CausalModel

        y, d_, x = df["y"].to_numpy(), df["g"].to_numpy(), df[covs].to_numpy()
        t0 = time.perf_counter()
        cm = CausalModel(y, d_, x)
        cm.est_via_matching(matches=1, bias_adj=False)
        out["seconds"] = time.perf_counter() - t0
        out["estimate"] = float(cm.estimates["matching"]["ate"])
        out["std_error"] = float(cm.estimates["matching"]["ate_se"])
    else:
        raise SystemExit(f"unknown method {method}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["peak_rss_mb"] = peak
    out["increase_mb"] = peak - base
    del np
    return out


def _run(method: str, nt: int, nc: int, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--child", method, str(nt), str(nc)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"method": method, "nt": nt, "nc": nc, "error": f"timeout > {timeout:.0f} s"}
    if p.returncode != 0:
        return {"method": method, "nt": nt, "nc": nc, "error": p.stderr.strip().splitlines()[-1:]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only the two small sizes")
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement (min is kept)")
    ap.add_argument("--child", nargs=3, metavar=("METHOD", "NT", "NC"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        m, nt, nc = args.child
        print(json.dumps(_child(m, int(nt), int(nc))))
        return

    import numpy as np
    import scipy
    import sklearn

    print("impacteval matching benchmark")
    print(f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
          f"scikit-learn {sklearn.__version__}, {os.cpu_count()} CPUs, {platform.machine()}")
    threads = {k: os.environ.get(k, "unset") for k in
               ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    print("threads:", ", ".join(f"{k}={v}" for k, v in threads.items()),
          "| cKDTree/sklearn queries use workers=-1/n_jobs=-1 (all CPUs) in both ie.match and "
          "the baselines")
    try:
        import causalinference  # noqa: F401

        have_ci = True
    except ImportError:
        have_ci = False
        print("causalinference: not installed (pip install causalinference) — skipped")
    sizes = SIZES[:2] if args.quick else SIZES
    header = f"{'n_treated':>10} {'n_control':>10} {'method':<16} {'seconds':>9} {'peak MB':>9} " \
             f"{'+MB':>8} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for nt, nc in sizes:
        methods = ["ckdtree", "sklearn", "impacteval"]
        if have_ci and nc <= CAUSALINFERENCE_MAX_NC:
            methods += ["impacteval_ate", "causalinference"]
        res = {}
        for m in methods:
            best = None
            for _ in range(max(1, args.repeat)):
                r = _run(m, nt, nc, timeout=1800)
                if "error" in r:
                    best = r
                    break
                if best is None or r["seconds"] < best["seconds"]:
                    best = r
            res[m] = best
        base = res["ckdtree"].get("seconds")
        for m in methods:
            r = res[m]
            if "error" in r:
                print(f"{nt:>10,} {nc:>10,} {m:<16} {'failed: ' + str(r['error'])}")
                continue
            ref = res["impacteval_ate"]["seconds"] if m == "causalinference" else base
            ratio = r["seconds"] / ref if ref else float("nan")
            tag = "×ie(ATE)" if m == "causalinference" else "×kdtree"
            print(f"{nt:>10,} {nc:>10,} {m:<16} {r['seconds']:>9.3f} {r['peak_rss_mb']:>9.0f} "
                  f"{r['increase_mb']:>8.0f} {ratio:>6.2f}{tag}")
        if "causalinference" in res and "error" not in res["causalinference"]:
            a, b = res["impacteval_ate"], res["causalinference"]
            print(f"{'':>22} ATE estimate/SE  impacteval {a['estimate']:.4f}/{a['std_error']:.4f}  "
                  f"causalinference {b['estimate']:.4f}/{b['std_error']:.4f} "
                  "(different metrics: pooled Mahalanobis vs inverse-variance diagonal)")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
