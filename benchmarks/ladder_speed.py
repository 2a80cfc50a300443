"""Speed and memory of the evaluation ladder (``ie.evaluate``) end to end.

Data: ``n_units`` units × ``n_periods`` periods (balanced; 1,000,000 rows by
default), a fifth participants, the second half of the periods post, two
baseline covariates, parallel trends and an effect of 1.0. ``ie.evaluate``
tries every design the data can feed (matched_did, did, matched,
adjusted_comparison, comparison, before_after, follow_up), runs their
diagnostics and picks one; analytic intervals (``ci="analytic"``) so that
the time is the ladder's, not the bootstrap's (bootstrap speed is its own
workload).

There is no peer that climbs a ladder; as a yardstick the table gives one
linearmodels ``PanelOLS`` two-way FE fit on the same data (the ATT model of
the ``did`` rung alone).

Usage::

    python benchmarks/ladder_speed.py           # 1M rows
    python benchmarks/ladder_speed.py --quick   # 100k rows
"""

from __future__ import annotations

import os

for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_k, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

SIZES = [(100_000, 10)]
QUICK_SIZES = [(10_000, 10)]
METHODS = ("impacteval", "panelols")


def make_data(n_units: int, n_periods: int, n_cov: int = 2, seed: int = 20240602):
    """Balanced panel; ``n_cov`` baseline covariates (x1 continuous, x2 binary,
    x3.. continuous noise), ``g`` = 1 participants, 0 and 2 two comparison
    groups (the ladder pools every non-participant as comparison)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units, dtype=np.int64), n_periods)
    period = np.tile(np.arange(n_periods, dtype=np.int64), n_units)
    x1 = rng.normal(size=n_units)
    x2 = rng.integers(0, 2, n_units).astype(float)
    treated = (rng.random(n_units) < 1 / (1 + np.exp(1.4 - 0.3 * x1))).astype(np.int64)
    g = treated[unit]
    post = period >= n_periods // 2
    y = (rng.normal(0, 2, n_units)[unit] + 0.8 * x1[unit] + 0.3 * period + 1.0 * g * post
         + rng.normal(size=len(unit)))
    cols = {"id": unit, "g": g, "period": period, "y": y, "x1": x1[unit], "x2": x2[unit]}
    if n_cov > 2:
        # two comparison groups: half the non-participants are coded 2
        comp2 = (treated == 0) & (rng.random(n_units) < 0.5)
        cols["g"] = np.where(comp2, 2, treated)[unit]
        for j in range(3, n_cov + 1):
            cols[f"x{j}"] = rng.normal(size=n_units)[unit]
    return pd.DataFrame(cols)


def child(method: str, n_units: int, n_periods: int, n_cov: int = 2) -> dict:
    df = make_data(n_units, n_periods, n_cov)
    covs = [f"x{j}" for j in range(1, n_cov + 1)]
    half = n_periods // 2
    out: dict = {}
    if method == "impacteval":
        import impacteval as ie

        t0 = time.perf_counter()
        ev = ie.evaluate(df, outcome="y", unit="id", group="g", treated=1, period="period",
                         pre=list(range(half)), post=list(range(half, n_periods)),
                         covariates=covs, ci="analytic")
        out["seconds"] = time.perf_counter() - t0
        out["design"] = ev.design
        out["estimate"], out["std_error"] = ev.estimate.estimate, ev.estimate.std_error
    elif method == "panelols":
        from linearmodels.panel import PanelOLS

        df["D"] = ((df["g"] == 1) & (df["period"] >= half)).astype(float)
        t0 = time.perf_counter()
        p = df.set_index(["id", "period"])
        fit = PanelOLS(p["y"], p[["D"]], entity_effects=True, time_effects=True).fit(
            cov_type="clustered", cluster_entity=True)
        out["seconds"] = time.perf_counter() - t0
        out["estimate"], out["std_error"] = float(fit.params["D"]), float(fit.std_errors["D"])
    else:
        raise SystemExit(f"unknown method {method}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run_all

    for n_units, n_per in (QUICK_SIZES if args.quick else SIZES):
        for m in METHODS:
            run_all.print_row(run_all.measure("ladder", m, [n_units, n_per]))


if __name__ == "__main__":
    main()
