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

import run_all  # noqa: E402  (benchmarks/ is on the path: this file's folder)

SIZES = [(100_000, 10), (1_000_000, 10)]
QUICK_SIZES = [(10_000, 10), (100_000, 10)]
METHODS = ("impacteval", "panelols", "pyfixest")


def make_data(n_units: int, n_periods: int, seed: int = 20240601, missing: float = 0.0):
    """Long panel with int64 ids, 0/1 group, int periods, float outcome; ``missing``:
    the share of unit-periods left out at random (an unbalanced panel)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units, dtype=np.int64), n_periods)
    period = np.tile(np.arange(n_periods, dtype=np.int64), n_units)
    treated = (rng.random(n_units) < 0.2).astype(np.int64)
    g = treated[unit]
    y = rng.normal(0, 2, n_units)[unit]
    y += 0.3 * period
    y += rng.normal(size=len(unit))
    y[(g == 1) & (period >= n_periods // 2)] += 1.0
    if missing > 0:
        keep = rng.random(len(unit)) >= missing
        unit, g, period, y = unit[keep], g[keep], period[keep], y[keep]
    return pd.DataFrame({"id": unit, "g": g, "period": period, "y": y}, copy=False)


def child_unbalanced(method: str, n_units: int, n_periods: int) -> dict:
    """As :func:`child` on a panel with 10 % of the unit-periods missing at random."""
    return child(method, n_units, n_periods, missing=0.10)


def child(method: str, n_units: int, n_periods: int, missing: float = 0.0) -> dict:
    """Run one measurement in this process; returns seconds and results."""
    df = make_data(n_units, n_periods, missing=missing)
    run_all.reset_peak()
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
        run_all.reset_peak()
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
        run_all.reset_peak()
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
