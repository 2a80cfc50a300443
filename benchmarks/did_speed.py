"""Speed and memory of ``ie.did`` with unit and period effects against its peers.

Data: ``n_units`` units × ``n_periods`` periods (balanced), a fifth of the
units participants, the second half of the periods post, unit effects, a
common trend and an effect of 1.0. Compared, each in its own subprocess:

* ``impacteval`` — ``ie.did(df, ..., pre=[...], post=[...])`` end to end:
  validation, the ATT model *and* the event-time model with its pre-trend
  test, errors clustered by unit (from 20,000 rows on the linear-time kernel
  of ``impacteval._fast`` does the fitting);
* ``panelols`` — linearmodels ``PanelOLS(y, D, entity_effects=True,
  time_effects=True).fit(cov_type="clustered", cluster_entity=True)``, the ATT
  model only, including the ``set_index`` it needs;
* ``pyfixest`` — ``pf.feols("y ~ D | id + period", vcov={"CRV1": "id"})``, the
  ATT model only (if pyfixest is installed); one small warm-up fit first, so
  that numba's compilation is not counted.

Usage::

    python benchmarks/did_speed.py            # 1M and 10M rows
    python benchmarks/did_speed.py --quick    # 100k and 1M rows
"""

from __future__ import annotations

import os

for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_k, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

SIZES = [(100_000, 10), (1_000_000, 10)]
QUICK_SIZES = [(10_000, 10), (100_000, 10)]
METHODS = ("impacteval", "panelols", "pyfixest")


def make_data(n_units: int, n_periods: int, seed: int = 20240601):
    """Balanced long panel with int64 ids, 0/1 group, int periods, float outcome."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units, dtype=np.int64), n_periods)
    period = np.tile(np.arange(n_periods, dtype=np.int64), n_units)
    treated = (rng.random(n_units) < 0.2).astype(np.int64)
    g = treated[unit]
    post = period >= n_periods // 2
    y = (rng.normal(0, 2, n_units)[unit] + 0.3 * period + 1.0 * g * post
         + rng.normal(size=len(unit)))
    return pd.DataFrame({"id": unit, "g": g, "period": period, "y": y})


def child(method: str, n_units: int, n_periods: int) -> dict:
    """Run one measurement in this process; returns seconds and results."""
    df = make_data(n_units, n_periods)
    half = n_periods // 2
    out: dict = {}
    if method == "impacteval":
        import impacteval as ie

        t0 = time.perf_counter()
        r = ie.did(df, outcome="y", unit="id", group="g", treated=1, period="period",
                   pre=list(range(half)), post=list(range(half, n_periods)))
        out["seconds"] = time.perf_counter() - t0
        out["estimate"], out["std_error"] = r.estimate, r.std_error
        out["engine"] = r.inference.get("engine")
    elif method == "panelols":
        from linearmodels.panel import PanelOLS

        df["D"] = (df["g"] * (df["period"] >= half)).astype(float)
        t0 = time.perf_counter()
        p = df.set_index(["id", "period"])
        fit = PanelOLS(p["y"], p[["D"]], entity_effects=True, time_effects=True).fit(
            cov_type="clustered", cluster_entity=True)
        out["seconds"] = time.perf_counter() - t0
        out["estimate"], out["std_error"] = float(fit.params["D"]), float(fit.std_errors["D"])
    elif method == "pyfixest":
        import pyfixest as pf

        df["D"] = (df["g"] * (df["period"] >= half)).astype(float)
        pf.feols("y ~ D | id + period", data=df.iloc[:2000], vcov={"CRV1": "id"})  # JIT warm-up
        t0 = time.perf_counter()
        fit = pf.feols("y ~ D | id + period", data=df, vcov={"CRV1": "id"})
        est = float(fit.coef()["D"])
        se = float(fit.se()["D"])
        out["seconds"] = time.perf_counter() - t0
        out["estimate"], out["std_error"] = est, se
    else:
        raise SystemExit(f"unknown method {method}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run_all

    sizes = QUICK_SIZES if args.quick else SIZES
    rows = []
    for n_units, n_per in sizes:
        for m in METHODS:
            rows.append(run_all.measure("did", m, [n_units, n_per]))
            run_all.print_row(rows[-1])


if __name__ == "__main__":
    main()
