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

The register-scale case (issue #21): 1,000,000 units × 24 months, five covariates and
two comparison groups evaluated one by one (``control=[0, 2]``); the size list is
``[n_units, n_periods, n_covariates, each]`` with ``each=1`` for one evaluation per
comparison group (0: both pooled).

Usage::

    python benchmarks/ladder_speed.py               # 100k × 10 (the table in bench.md)
    python benchmarks/ladder_speed.py --quick       # 10k × 10
    python benchmarks/ladder_speed.py --register    # 100k × 24 and 1M × 24, 5 covariates,
                                                    # two comparison groups; peak RSS
    python benchmarks/ladder_speed.py --register --repeat 3 --only-small
    python benchmarks/ladder_speed.py --register --repeat 2 --only-large
    python benchmarks/ladder_speed.py --memory-profile 1000000   # RSS by ladder step
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
#: the register-scale case: units, periods, covariates, one evaluation per comparison group
REGISTER_SIZES = [(100_000, 24, 5, 1), (1_000_000, 24, 5, 1)]
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


def child(method: str, n_units: int, n_periods: int, n_cov: int = 2, each: int = 0) -> dict:
    """One timed run of ``method`` in this (fresh) process. Both methods first run once on
    a small panel of the same shape (2,000 units), untimed: the lazy imports and first-call
    set-up are then paid by neither (as in ``categorical_speed.py``)."""
    df = make_data(n_units, n_periods, n_cov)
    small = make_data(2_000, n_periods, n_cov, seed=1)
    covs = [f"x{j}" for j in range(1, n_cov + 1)]
    half = n_periods // 2
    out: dict = {}
    if method == "impacteval":
        import impacteval as ie

        control = [0, 2] if each and n_cov > 2 else None
        ie.evaluate(small, outcome="y", unit="id", group="g", treated=1, period="period",
                    pre=list(range(half)), post=list(range(half, n_periods)),
                    covariates=covs, ci="analytic", control=control)  # warm-up
        t0 = time.perf_counter()
        ev = ie.evaluate(df, outcome="y", unit="id", group="g", treated=1, period="period",
                         pre=list(range(half)), post=list(range(half, n_periods)),
                         covariates=covs, ci="analytic", control=control)
        out["seconds"] = time.perf_counter() - t0
        evs = [ev] if hasattr(ev, "design") else list(ev)
        out["design"] = ",".join(e.design for e in evs)
        out["estimate"] = [e.estimate.estimate for e in evs]
        out["std_error"] = [e.estimate.std_error for e in evs]
        if len(evs) == 1:
            out["estimate"], out["std_error"] = out["estimate"][0], out["std_error"][0]
    elif method == "panelols":
        from linearmodels.panel import PanelOLS

        def fit(d):
            p = d.set_index(["id", "period"])
            return PanelOLS(p["y"], p[["D"]], entity_effects=True, time_effects=True).fit(
                cov_type="clustered", cluster_entity=True)

        for d in (small, df):
            d["D"] = ((d["g"] == 1) & (d["period"] >= half)).astype(float)
        fit(small)  # warm-up
        t0 = time.perf_counter()
        res = fit(df)
        out["seconds"] = time.perf_counter() - t0
        out["estimate"], out["std_error"] = float(res.params["D"]), float(res.std_errors["D"])
    else:
        raise SystemExit(f"unknown method {method}")
    return out


def memory_profile(n_units: int, n_periods: int, n_cov: int = 5, each: int = 1,
                   every: float = 0.1) -> None:
    """Where the peak memory of ``ie.evaluate`` comes from: a thread samples the resident
    memory (RSS) every ``every`` seconds and books each sample to the ladder step running
    then (the facts computed once per comparison group, then each design); printed are
    each step's highest RSS, the overall peak and the Python stack at the peak. psutil
    (bench extra). Run in its own process: RSS includes the data."""
    import threading
    import traceback

    import psutil

    df = make_data(n_units, n_periods, n_cov)
    covs = [f"x{j}" for j in range(1, n_cov + 1)]
    half = n_periods // 2
    proc = psutil.Process()
    main_id = threading.get_ident()
    label = ["data"]
    peaks: dict[str, int] = {}
    high: list = [0, "", []]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, lab = proc.memory_info().rss, label[0]
            peaks[lab] = max(peaks.get(lab, 0), rss)
            if rss > high[0]:
                stack = traceback.extract_stack(sys._current_frames().get(main_id))
                high[:] = [rss, lab, [f"{os.path.basename(f.filename)}:{f.lineno} {f.name}"
                                      for f in stack][-12:]]
            done.wait(every)

    import impacteval as ie
    from impacteval.ladder import core, summary

    # the steps booked: the core's, and the unit summary's (one pass over the rows) and
    # the facts read from it, once per comparison group
    steps = [(core, "_contexts"), (core, "_narrowed"), (summary, "_from_rows"),
             (summary, "facts"), (core, "_try_rung"), (core, "rate")]

    def booked(mod, name: str):
        fn = getattr(mod, name)

        def run(*a, **k):
            before = label[0]
            label[0] = "design " + a[0].name if name == "_try_rung" else \
                ("unit summary" if name == "_from_rows" else name.lstrip("_"))
            try:
                return fn(*a, **k)
            finally:
                label[0] = before
        return run

    saved = {(mod, name): getattr(mod, name) for mod, name in steps}
    for mod, name in steps:
        setattr(mod, name, booked(mod, name))
    data_mb = proc.memory_info().rss / 2**20
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    t0 = time.perf_counter()
    try:
        label[0] = "evaluate (other)"
        ie.evaluate(df, outcome="y", unit="id", group="g", treated=1, period="period",
                    pre=list(range(half)), post=list(range(half, n_periods)), covariates=covs,
                    ci="analytic", control=[0, 2] if each and n_cov > 2 else None)
    finally:
        seconds = time.perf_counter() - t0
        done.set()
        thread.join()
        for (mod, name), fn in saved.items():
            setattr(mod, name, fn)
    print(f"{n_units:,} x {n_periods}: {seconds:.1f} s; RSS with the data before evaluate "
          f"{data_mb:,.0f} MB, peak {high[0] / 2**20:,.0f} MB (in {high[1]})")
    for lab, rss in peaks.items():
        print(f"  {lab:<32} {rss / 2**20:9,.0f} MB")
    print("  stack at the peak:\n    " + "\n    ".join(high[2]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--register", action="store_true",
                    help="the register-scale case (24 months, 5 covariates, 2 comparison "
                         "groups), impacteval only")
    ap.add_argument("--only-small", action="store_true", help="--register at 100k only")
    ap.add_argument("--only-large", action="store_true", help="--register at 1M only")
    ap.add_argument("--repeat", type=int, default=1, help="repeats of each measurement")
    ap.add_argument("--memory-profile", metavar="N_UNITS", type=int,
                    help="the register case at N_UNITS x 24 in this process: RSS sampled "
                         "every 0.1 s and booked to the ladder step running (psutil)")
    args = ap.parse_args()
    if args.memory_profile:
        memory_profile(args.memory_profile, 24)
        return
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run_all

    if args.register:
        sizes = (REGISTER_SIZES[:1] if args.only_small else
                 REGISTER_SIZES[1:] if args.only_large else REGISTER_SIZES)
        for size in sizes:
            for _ in range(args.repeat):
                row = run_all.measure("ladder", "impacteval", list(size), timeout=3600)
                run_all.print_row(row)
                print(f"  design {row.get('design')}  estimate {row.get('estimate')}  "
                      f"wall {row.get('wall_s', float('nan')):.1f} s", flush=True)
        return
    for n_units, n_per in (QUICK_SIZES if args.quick else SIZES):
        for m in METHODS:
            run_all.print_row(run_all.measure("ladder", m, [n_units, n_per]))


if __name__ == "__main__":
    main()
