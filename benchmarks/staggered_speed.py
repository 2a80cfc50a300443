"""Speed and memory of staggered-entry group-time effects: impacteval vs csdid 0.4.3.

Panels of N units × 12 periods, 5 cohorts (periods 4, 6, 8, 10, 12) and never-started
units; not-yet-started comparison; group-time effects plus all four aggregations with
analytic SEs (csdid: ``bstrap=False``); impacteval also draws 999 multiplier-bootstrap
replicates for the uniform event-time band. Small sizes: median of 3 runs (each
library); the largest impacteval size: one run. Peak memory: resident-set high-water
mark of a fresh subprocess (``resource.getrusage``).

Run: ``OPENBLAS_NUM_THREADS=1 nice python benchmarks/staggered_speed.py [--big 1000000]``
Writes ``benchmarks/results/staggered_speed.md``.
"""

from __future__ import annotations

import os

# one BLAS/OpenMP thread, as every benchmark here (set before numpy is imported; the
# children inherit it)
for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_k, "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

HERE = Path(__file__).parent
T = 12
COHORTS = [4, 6, 8, 10, 12]


def make_panel(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    g = rng.choice(COHORTS + [0], size=n)
    a = rng.normal(size=n)
    t = np.tile(np.arange(1, T + 1, dtype=np.int64), n)
    u = np.repeat(np.arange(n, dtype=np.int64), T)
    gg = np.repeat(g, T)
    y = np.repeat(a, T) + 0.1 * t + np.where((gg > 0) & (t >= gg), 1.0, 0.0) \
        + rng.normal(size=n * T)
    return pd.DataFrame({"id": u, "t": t, "g": gg, "y": y})


def run_ours(n: int, n_boot: int) -> dict:
    import impacteval as ie

    df = make_panel(n)
    df["start"] = df["g"].where(df["g"] > 0)
    t0 = time.perf_counter()
    r = ie.did(df, outcome="y", unit="id", period="t", start="start", control="not_yet",
               n_boot=n_boot, seed=1)
    sec = time.perf_counter() - t0
    return {"seconds": sec, "att": r.estimate, "se": r.std_error}


def run_csdid(n: int) -> dict:
    import warnings

    from csdid.att_gt import ATTgt

    df = make_panel(n)
    t0 = time.perf_counter()
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        res = ATTgt(yname="y", tname="t", idname="id", gname="g", data=df,
                    control_group="notyettreated").fit(est_method="dr", bstrap=False)
        for typ in ("simple", "dynamic", "group", "calendar"):
            res.aggte(typec=typ, bstrap=False)
            if typ == "simple":
                att, se = float(res.atte["overall_att"]), float(res.atte["overall_se"])
    sec = time.perf_counter() - t0
    return {"seconds": sec, "att": att, "se": se}


def child(which: str, n: int, n_boot: int) -> dict:
    import resource

    out = run_ours(n, n_boot) if which == "ours" else run_csdid(n)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def measure(which: str, n: int, n_boot: int, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--child", which, "--n", str(n), "--n-boot", str(n_boot)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout > {timeout:.0f} s"}
    if p.returncode != 0:
        return {"error": (p.stderr.strip().splitlines() or ["failed"])[-1][:120]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", default=None)
    ap.add_argument("--n", type=int, default=0)
    ap.add_argument("--n-boot", type=int, default=999)
    ap.add_argument("--small", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    ap.add_argument("--csdid-max", type=int, default=100_000)
    ap.add_argument("--big", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--csdid-once", type=int, default=300_000,
                    help="one csdid run at this size (0: none)")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.n, args.n_boot)))
        return
    load = os.getloadavg()
    threads = {k: os.environ.get(k, "unset") for k in
               ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    rows = []
    for n in args.small:
        rec = {"n_units": n, "rows": n * T}
        for which in ("ours", "csdid"):
            if which == "csdid" and n > args.csdid_max:
                continue
            runs = [measure(which, n, args.n_boot, 1800) for _ in range(args.repeats)]
            ok = [r for r in runs if "error" not in r]
            if not ok:
                rec[which] = runs[0]
                continue
            secs = sorted(r["seconds"] for r in ok)
            rec[which] = {"median_s": float(np.median(secs)), "min_s": secs[0],
                          "max_s": secs[-1], "peak_mb": max(r["peak_mb"] for r in ok),
                          "att": ok[0]["att"], "se": ok[0]["se"]}
        if "median_s" in rec.get("csdid", {}) and "median_s" in rec.get("ours", {}):
            rec["ratio_csdid_over_ours"] = rec["csdid"]["median_s"] / rec["ours"]["median_s"]
            rec["att_abs_diff"] = abs(rec["csdid"]["att"] - rec["ours"]["att"])
        rows.append(rec)
        print(json.dumps(rec), flush=True)
    once = {}
    if args.csdid_once:
        n1 = args.csdid_once
        once = {"n": n1, "ours": measure("ours", n1, args.n_boot, 3600),
                "csdid": measure("csdid", n1, args.n_boot, 3600)}
        print(json.dumps(once), flush=True)
    big = measure("ours", args.big, args.n_boot, 3600)
    print(json.dumps({"big": args.big, **big}), flush=True)
    load_after = os.getloadavg()
    lines = ["# Staggered entry: impacteval vs csdid 0.4.3", "",
             f"{T} periods, cohorts {COHORTS} + never, control = not yet started, "
             "group-time effects + simple/dynamic/group/calendar aggregates with analytic SEs "
             f"(impacteval also {args.n_boot} multiplier-bootstrap draws for the uniform band). "
             "Wall time inside one fresh process per run (data creation excluded); "
             "peak = max RSS of that process.", "",
             f"Threads: {threads}; load average (1/5/15 min) before {load}, after {load_after}; "
             f"CPUs: {os.cpu_count()}.", "",
             "| units | rows | impacteval median s [min, max] | csdid median s [min, max] | "
             "csdid / impacteval | peak MB (ours / csdid) | |ATT diff| |",
             "|---:|---:|---|---|---:|---|---:|"]
    for rec in rows:
        o, c = rec.get("ours", {}), rec.get("csdid", {})

        def cell(x):
            if "median_s" in x:
                return f"{x['median_s']:.3f} [{x['min_s']:.3f}, {x['max_s']:.3f}]"
            return x.get("error", "not run")

        lines.append(f"| {rec['n_units']:,} | {rec['rows']:,} | {cell(o)} | {cell(c)} | "
                     f"{rec.get('ratio_csdid_over_ours', float('nan')):.1f} | "
                     f"{o.get('peak_mb', float('nan')):.0f} / {c.get('peak_mb', float('nan')):.0f} | "
                     f"{rec.get('att_abs_diff', float('nan')):.1e} |")
    if once:
        o1, c1 = once["ours"], once["csdid"]

        def one(x):
            return f"{x['seconds']:.2f} (one run)" if "seconds" in x else x.get("error", "")

        ratio = (c1["seconds"] / o1["seconds"]) if "seconds" in o1 and "seconds" in c1 else float("nan")
        diff = abs(c1["att"] - o1["att"]) if "seconds" in o1 and "seconds" in c1 else float("nan")
        lines.append(f"| {once['n']:,} | {once['n'] * T:,} | {one(o1)} | {one(c1)} | {ratio:.1f} | "
                     f"{o1.get('peak_mb', float('nan')):.0f} / {c1.get('peak_mb', float('nan')):.0f} | "
                     f"{diff:.1e} |")
    if "seconds" in big:
        lines.append(f"| {args.big:,} | {args.big * T:,} | {big['seconds']:.2f} (one run) | "
                     f"not run (csdid's peak memory grows ~13 MB per 1,000 units) | | "
                     f"{big['peak_mb']:.0f} / – | |")
    else:
        lines.append(f"| {args.big:,} | {args.big * T:,} | {big.get('error')} | | | | |")
    (HERE / "results" / "staggered_speed.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
