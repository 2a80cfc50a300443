"""Growth exponent of our time per workload: n doubled four times (five sizes).

For each workload, impacteval's time is measured at n, 2n, 4n, 8n and 16n
(each point in its own subprocess, via ``run_all.measure``), and the slope of
log(time) on log(n) is reported: about 1 for a linear path, about 2 for a
quadratic one. The claim is a slope of at most 1.2 for every workload.

Sizes (full / ``--quick``):

* bootstrap (BCa, 9,999 resamples): 1,000 → 16,000 units per group (250 → 4,000);
* matching: 2,000/20,000 → 32,000/320,000 (500/5,000 → 8,000/80,000);
* did (10 periods): 12,500 → 200,000 units = 125k → 2M rows (2,500 → 40,000 units);
* ladder (10 periods): 6,250 → 100,000 units = 62.5k → 1M rows (2,500 → 40,000 units).

Usage::

    python benchmarks/scaling.py [--quick] [--only did,ladder]
"""

from __future__ import annotations

import os

for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_k, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run_all  # noqa: E402

#: workload -> (base size, quick base size, index of the size entries to double)
BASES = {
    "bootstrap": ([1_000, 1_000], [250, 250], (0, 1)),
    "matching": ([2_000, 20_000], [500, 5_000], (0, 1)),
    "did": ([12_500, 10], [2_500, 10], (0,)),
    "ladder": ([6_250, 10], [2_500, 10], (0,)),
}


def slope(ns: list[float], ts: list[float]) -> float:
    """Least-squares slope of log(t) on log(n)."""
    x = [math.log(n) for n in ns]
    y = [math.log(t) for t in ts]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    return sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sum(
        (a - mx) ** 2 for a in x)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--doublings", type=int, default=4)
    args = ap.parse_args()
    only = [w for w in args.only.split(",") if w] or list(BASES)
    rows, summary = [], []
    for wl in only:
        full, quick, idx = BASES[wl]
        base = quick if args.quick else full
        ns, ts = [], []
        for k in range(args.doublings + 1):
            size = [v * 2**k if j in idx else v for j, v in enumerate(base)]
            r = run_all.measure(wl, "impacteval", size, timeout=1800)
            run_all.print_row(r)
            if "error" in r:
                break
            # n: total units (bootstrap, matching) or rows (did, ladder)
            n = sum(size[j] for j in idx) * (size[1] if wl in ("did", "ladder") else 1)
            ns.append(n)
            ts.append(r["seconds"])
            rows.append({"workload": wl, "size": r["size"], "n": n, "seconds": r["seconds"],
                         "peak_mb": r["peak_mb"]})
        if len(ns) >= 3:
            b = slope(ns, ts)
            summary.append({"workload": wl, "n_from": ns[0], "n_to": ns[-1], "points": len(ns),
                            "exponent": b, "ok": b <= 1.2})
            print(f"{wl}: growth exponent {b:.2f} over n = {ns[0]:,} … {ns[-1]:,}", flush=True)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    tag = "_quick" if args.quick else ""
    if set(only) != set(BASES):
        tag += "_" + "_".join(only)
    with open(out / f"scaling{tag}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["workload", "size", "n", "seconds", "peak_mb"])
        w.writeheader()
        w.writerows(rows)
    lines = ["| workload | n (rows or units) | points | growth exponent | ≤ 1.2 |",
             "|---|---|---:|---:|---|"]
    for s in summary:
        lines.append(f"| {s['workload']} | {s['n_from']:,} → {s['n_to']:,} | {s['points']} | "
                     f"{s['exponent']:.2f} | {'yes' if s['ok'] else 'NO'} |")
    md = "\n".join(lines) + "\n"
    (out / f"scaling{tag}.md").write_text(md)
    print()
    print(md)


if __name__ == "__main__":
    main()
