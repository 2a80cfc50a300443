"""Growth exponent of our time (and the peers') per workload: n doubled four times (five sizes).

For each workload, impacteval's time is measured at n, 2n, 4n, 8n and 16n
(each point in its own subprocess, via ``run_all.measure``), and the slope of
log(time) on log(n) is reported: about 1 for a linear path, about 2 for a
quadratic one. The claim is a slope of at most 1.2 for every workload.

Sizes (full / ``--quick``):

* bootstrap (BCa, 9,999 resamples): 1,000 → 16,000 units per group (250 → 4,000);
* matching: 2,000/20,000 → 32,000/320,000 (500/5,000 → 8,000/80,000);
* did (10 periods): 12,500 → 200,000 units = 125k → 2M rows (2,500 → 40,000 units);
* did_unbalanced: as did, 10 % of the unit-periods missing;
* categorical (adjusted comparison, text covariate absorbed): 62,500 rows × 625 levels →
  1M rows × 10,000 levels (12,500 × 125 → 200,000 × 2,000);
* ladder (10 periods): 6,250 → 100,000 units = 62.5k → 1M rows (2,500 → 40,000 units).

The peers of ``run_all.WORKLOADS`` run at the same sizes (``--no-peers``: ours only);
a peer that runs out of memory or time is not tried at larger sizes, and the table says
where it stopped.

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
    "did_unbalanced": ([12_500, 10], [2_500, 10], (0,)),
    "categorical": ([62_500, 625], [12_500, 125], (0, 1)),
    "ladder": ([6_250, 10], [2_500, 10], (0,)),
}


def slope(ns: list[float], ts: list[float]) -> float:
    """Least-squares slope of log(t) on log(n)."""
    x = [math.log(n) for n in ns]
    y = [math.log(t) for t in ts]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    return sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sum(
        (a - mx) ** 2 for a in x)


def n_of(wl: str, size: list[int], idx: tuple[int, ...]) -> int:
    """Rows (panels: units × periods; categorical: rows) or units (bootstrap, matching)."""
    if wl in ("did", "did_unbalanced", "ladder"):
        return size[0] * size[1]
    if wl == "categorical":
        return size[0]
    return sum(size[j] for j in idx)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--doublings", type=int, default=4)
    ap.add_argument("--no-peers", action="store_true", help="time impacteval only")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per measurement")
    ap.add_argument("--repeat", type=int, default=1,
                    help="measurements per point (the median is used; min and max recorded)")
    args = ap.parse_args()
    only = [w for w in args.only.split(",") if w] or list(BASES)
    rows, summary = [], []
    for wl in only:
        full, quick, idx = BASES[wl]
        base = quick if args.quick else full
        methods = ["impacteval"] + ([] if args.no_peers else run_all.WORKLOADS[wl]["peers"])
        series: dict[str, tuple[list, list]] = {m: ([], []) for m in methods}
        stopped: dict[str, str] = {}
        for k in range(args.doublings + 1):
            size = [v * 2**k if j in idx else v for j, v in enumerate(base)]
            n = n_of(wl, size, idx)
            for m in methods:  # ours and the peers at the same size, one after the other
                if m in stopped:
                    continue
                reps = []
                for _ in range(args.repeat):  # each repeat in its own subprocess
                    r = run_all.measure(wl, m, size, timeout=args.timeout)
                    run_all.print_row(r)
                    if "error" in r:
                        break
                    reps.append(r)
                if "error" in r:
                    stopped[m] = f"{r['error']} at n = {n:,}"
                    continue
                secs = sorted(x["seconds"] for x in reps)
                med = secs[len(secs) // 2] if len(secs) % 2 else 0.5 * (
                    secs[len(secs) // 2 - 1] + secs[len(secs) // 2])
                series[m][0].append(n)
                series[m][1].append(med)
                rows.append({"workload": wl, "method": m, "size": r["size"], "n": n,
                             "seconds": med, "min_s": secs[0], "max_s": secs[-1],
                             "repeats": len(secs), "peak_mb": max(x["peak_mb"] for x in reps),
                             "load": max(max(x.get("load_before", 0), x.get("load_after", 0))
                                         for x in reps)})
        for m in methods:
            ns, ts = series[m]
            b = slope(ns, ts) if len(ns) >= 3 else None
            summary.append({"workload": wl, "method": m, "n_from": ns[0] if ns else None,
                            "n_to": ns[-1] if ns else None, "points": len(ns), "exponent": b,
                            "seconds_at_largest": ts[-1] if ts else None,
                            "stopped": stopped.get(m, "")})
            if b is not None:
                print(f"{wl} {m}: growth exponent {b:.2f} over n = {ns[0]:,} … {ns[-1]:,}",
                      flush=True)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    tag = "_quick" if args.quick else ""
    if set(only) != set(BASES):
        tag += "_" + "_".join(only)
    with open(out / f"scaling{tag}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["workload", "method", "size", "n", "seconds",
                                          "min_s", "max_s", "repeats", "peak_mb", "load"])
        w.writeheader()
        w.writerows(rows)
    md = markdown(summary, rows)
    (out / f"scaling{tag}.md").write_text(md)
    print()
    print(md)


def markdown(summary: list[dict], rows: list[dict]) -> str:
    lines = ["| workload | method | n (rows or units) | points | growth exponent | ≤ 1.2 "
             "| s at largest n | stopped |",
             "|---|---|---|---:|---:|---|---:|---|"]
    for s in summary:
        rng = (f"{s['n_from']:,} → {s['n_to']:,}" if s["n_from"] is not None else "—")
        exp = f"{s['exponent']:.2f}" if s["exponent"] is not None else "—"
        ok = ("—" if s["exponent"] is None or s["method"] != "impacteval"
              else ("yes" if s["exponent"] <= 1.2 else "NO"))
        at = f"{s['seconds_at_largest']:.3g}" if s["seconds_at_largest"] is not None else "—"
        lines.append(f"| {s['workload']} | {s['method']} | {rng} | {s['points']} | {exp} | "
                     f"{ok} | {at} | {s['stopped'] or '—'} |")
    loads = [r["load"] for r in rows if r.get("load")]
    lines += ["", "Growth exponent: least-squares slope of log(time) on log(n) with n doubled "
              "at every step (1 = linear); the ≤ 1.2 claim is impacteval's. Peers run at the "
              "same sizes in the same run, each point in its own subprocess; 'stopped' says "
              "where a peer ran out of memory or time (then no larger size is tried). "
              + (f"1-minute load average during the run: {min(loads):.2f}–{max(loads):.2f} "
                 f"on {run_all.os.cpu_count()} CPUs." if loads else "")]
    if any(r.get("repeats", 1) > 1 for r in rows):
        lines += ["", "Seconds per point, median [min–max] of the repeats (each in its own "
                  "subprocess):", ""]
        for s in summary:
            pts = [r for r in rows if r["workload"] == s["workload"]
                   and r["method"] == s["method"]]
            lines.append(f"* {s['workload']} / {s['method']}: " + "; ".join(
                f"{r['n']:,}: {r['seconds']:.3g} [{r['min_s']:.3g}–{r['max_s']:.3g}]"
                for r in pts))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
