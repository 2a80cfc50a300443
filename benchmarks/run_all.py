"""One runner for every speed claim of impacteval (``make bench``).

Each workload is timed for impacteval and its nearest peer in the same run;
every measurement runs in its own subprocess, so the peak resident memory
(``ru_maxrss`` of that process) belongs to one method alone. BLAS/OpenMP
threads are pinned to 1 before numpy is imported (parent and children);
threadpoolctl's view of the loaded libraries is recorded with the results.

Workloads (full / ``--quick``):

* ``bootstrap`` — BCa interval, 9,999 resamples, difference in means, 30/366
  and 50,000/50,000 units (``--quick``: 30/366, 5,000/5,000).
  Ours: ``ie.difference(ci="bca")``; peer: ``scipy.stats.bootstrap(method="BCa",
  vectorized=True, batch=500)`` (``batch`` bounds scipy's n × n jackknife memory).
* ``matching`` — 1-NN Mahalanobis matching on 5 covariates, 30,000/300,000
  and 100,000/1,000,000 (``--quick``: 3,000/30,000). Ours: ``ie.match``
  (ATT with Abadie–Imbens SE and balance tables); peer: scikit-learn
  ``NearestNeighbors`` fit + kneighbors on whitened covariates (the neighbour
  search alone). Data from ``benchmarks/matching_speed.py`` when present.
* ``did`` — DiD with unit and period effects, 1M and 10M rows
  (``--quick``: 100k, 1M); see ``benchmarks/did_speed.py``.
* ``ladder`` — ``ie.evaluate`` on 1M rows (``--quick``: 100k); see
  ``benchmarks/ladder_speed.py``.

Output: one table on stdout, ``benchmarks/results/bench[_quick].csv``,
``bench[_quick].md`` (the README's performance section) and
``environment.json``. ``ratio`` is the peer's time over ours (> 1: we are
faster).

Usage::

    python benchmarks/run_all.py [--quick] [--only did,ladder] [--timeout 1200]
"""

from __future__ import annotations

import os

_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
for _k, _v in _THREADS.items():
    os.environ.setdefault(_k, _v)

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
ROOT = HERE.parent

def sibling(name: str):
    """The module ``benchmarks/<name>.py``, imported by its path: this folder is not put
    on ``sys.path``, where its ``coverage.py`` would pass for the coverage package that
    numba (under pyfixest) imports."""
    import importlib.util

    if name in sys.modules:
        return sys.modules[name]
    path = HERE / f"{name}.py"
    if not path.exists():
        raise ImportError(f"no benchmarks/{name}.py")
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


#: workload -> (sizes, quick sizes, [(our method, peer method, ...)])
WORKLOADS: dict[str, dict] = {
    "bootstrap": {"sizes": [[30, 366], [50_000, 50_000]], "quick": [[30, 366], [5_000, 5_000]],
                  "ours": "impacteval", "peers": ["scipy"], "unit": "n_treated/n_control"},
    "matching": {"sizes": [[30_000, 300_000], [100_000, 1_000_000]],
                 "quick": [[3_000, 30_000]], "ours": "impacteval", "peers": ["sklearn"],
                 "unit": "n_treated/n_control"},
    "did": {"sizes": [[100_000, 10], [1_000_000, 10]], "quick": [[10_000, 10], [100_000, 10]],
            "ours": "impacteval", "peers": ["panelols", "pyfixest"], "unit": "units × periods",
            # PanelOLS takes about 2 minutes at 10M rows: timed once there, not 3 times
            "peer_repeats": {"panelols": 1}},
    "did_unbalanced": {"sizes": [[1_000_000, 10]], "quick": [[100_000, 10]],
                       "ours": "impacteval", "peers": ["pyfixest"],
                       "unit": "units × periods, 10 % of unit-periods missing"},
    "categorical": {"sizes": [[1_276, 500], [1_000_000, 10_000]],
                    "quick": [[1_276, 500], [100_000, 1_000]], "ours": "impacteval",
                    "peers": ["pyfixest"], "unit": "rows × levels"},
    "ladder": {"sizes": [[100_000, 10]], "quick": [[10_000, 10]], "ours": "impacteval",
               "peers": ["panelols"], "unit": "units × periods"},
}


# ------------------------------------------------------------------ children
def reset_peak() -> None:
    """Start the peak-RSS count afresh (Linux ``clear_refs``): called by a child after
    it has made its data, so that ``peak_mb`` is the peak while the method runs (the
    data, being resident, are included; the temporaries of making them are not)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:  # not Linux, or not allowed: the peak then includes making the data
        pass


def _hwm_mb() -> float | None:
    """Peak resident set (VmHWM) since the last :func:`reset_peak`, in MB."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _bootstrap_data(nt: int, nc: int):
    import numpy as np

    rng = np.random.default_rng(20240603)
    return rng.lognormal(8.0, 0.9, nt), rng.lognormal(8.3, 0.9, nc)


def _bootstrap_child(method: str, nt: int, nc: int) -> dict:
    import numpy as np

    yt, yc = _bootstrap_data(nt, nc)
    out: dict = {}
    if method == "impacteval":
        import pandas as pd

        import impacteval as ie

        df = pd.DataFrame({"g": np.r_[np.ones(nt, int), np.zeros(nc, int)], "y": np.r_[yt, yc]})
        reset_peak()
        t0 = time.perf_counter()
        r = ie.difference(df, outcome="y", group="g", ci="bca", n_boot=9999, seed=1)
        out["seconds"] = time.perf_counter() - t0
        out["conf_low"], out["conf_high"] = r.conf_low, r.conf_high
    elif method == "scipy":
        from scipy import stats

        def diff(a, b, axis=-1):
            return a.mean(axis=axis) - b.mean(axis=axis)

        reset_peak()
        t0 = time.perf_counter()
        r = stats.bootstrap((yt, yc), diff, n_resamples=9999, method="BCa", vectorized=True,
                            batch=500, rng=np.random.default_rng(1))
        out["seconds"] = time.perf_counter() - t0
        out["conf_low"], out["conf_high"] = (float(r.confidence_interval.low),
                                             float(r.confidence_interval.high))
    else:
        raise SystemExit(f"unknown method {method}")
    return out


def _matching_data(nt: int, nc: int):
    try:
        matching_speed = sibling("matching_speed")

        return matching_speed._data(nt, nc), [f"x{j}" for j in range(matching_speed.P)]
    except (ImportError, AttributeError):
        import numpy as np
        import pandas as pd

        rng = np.random.default_rng(20240601)
        x = rng.normal(size=(nt + nc, 5))
        x[:nt] += 0.3
        g = np.r_[np.ones(nt, dtype=np.int64), np.zeros(nc, dtype=np.int64)]
        df = pd.DataFrame(x, columns=[f"x{j}" for j in range(5)])
        df["g"] = g
        df["y"] = x @ np.linspace(1, 0.2, 5) + g + rng.normal(size=nt + nc)
        return df, [f"x{j}" for j in range(5)]


def _matching_child(method: str, nt: int, nc: int) -> dict:
    import numpy as np

    df, covs = _matching_data(nt, nc)
    out: dict = {}
    if method == "impacteval":
        import impacteval as ie

        reset_peak()
        t0 = time.perf_counter()
        r = ie.match(df, outcome="y", group="g", treated=1, covariates=covs)
        out["seconds"] = time.perf_counter() - t0
        out["estimate"], out["std_error"] = r.estimate, r.std_error
    elif method == "sklearn":
        from sklearn.neighbors import NearestNeighbors

        x = df[covs].to_numpy()
        t = df["g"].to_numpy() == 1
        reset_peak()
        t0 = time.perf_counter()
        # Mahalanobis = Euclidean after whitening with the pooled covariance
        chol = np.linalg.cholesky(np.linalg.inv(np.cov(x, rowvar=False)))
        z = x @ chol
        nn = NearestNeighbors(n_neighbors=1).fit(z[~t])
        nn.kneighbors(z[t])
        out["seconds"] = time.perf_counter() - t0
    else:
        raise SystemExit(f"unknown method {method}")
    return out


def _child(workload: str, method: str, size: list[int]) -> dict:
    if workload == "bootstrap":
        fn = _bootstrap_child
    elif workload == "matching":
        fn = _matching_child
    elif workload == "did":
        did_speed = sibling("did_speed")

        fn = did_speed.child
    elif workload == "did_unbalanced":
        did_speed = sibling("did_speed")

        fn = did_speed.child_unbalanced
    elif workload == "categorical":
        categorical_speed = sibling("categorical_speed")

        fn = categorical_speed.child
    elif workload == "ladder":
        ladder_speed = sibling("ladder_speed")

        fn = ladder_speed.child
    else:
        raise SystemExit(f"unknown workload {workload}")
    # the benchmarks folder leaves sys.path once its modules are imported:
    # benchmarks/coverage.py must not pass for the coverage package, which numba
    # (used by pyfixest) tries to import
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    out = fn(method, *size)
    out["peak_mb_with_datagen"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hwm = _hwm_mb()
    out["peak_mb"] = hwm if hwm is not None else out["peak_mb_with_datagen"]
    out["rss_end_mb"] = _rss_mb()
    return out


# -------------------------------------------------------------------- parent
def measure(workload: str, method: str, size: list[int], timeout: float = 1200) -> dict:
    """Run one measurement in a fresh subprocess; returns a result row."""
    row = {"workload": workload, "size": "/".join(f"{s:,}" for s in size), "method": method}
    env = dict(os.environ, **_THREADS)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    cmd = [sys.executable, str(HERE / "run_all.py"), "--child", workload, method,
           json.dumps(size)]
    row["load_before"] = round(os.getloadavg()[0], 2)
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                           check=False)
    except subprocess.TimeoutExpired:
        row["error"] = f"timeout > {timeout:.0f} s"
        return row
    row["wall_s"] = time.perf_counter() - t0
    row["load_after"] = round(os.getloadavg()[0], 2)
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["?"])[-1]
        row["error"] = ("out of memory (killed)" if p.returncode in (-9, 137) else last)[:120]
        return row
    row.update(json.loads(p.stdout.strip().splitlines()[-1]))
    return row


def print_row(r: dict) -> None:
    if "error" in r:
        print(f"{r['workload']:<10} {r['size']:>22} {r['method']:<11} failed: {r['error']}",
              flush=True)
        return
    print(f"{r['workload']:<10} {r['size']:>22} {r['method']:<11} {r['seconds']:>9.3f} s "
          f"{r['peak_mb']:>9.0f} MB  load {r.get('load_before', '?')}->"
          f"{r.get('load_after', '?')}", flush=True)


def environment() -> dict:
    import numpy as np
    import scipy
    import threadpoolctl

    info = {"python": platform.python_version(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "numpy": np.__version__, "scipy": scipy.__version__,
            "threads_env": {k: os.environ.get(k) for k in _THREADS},
            "threadpoolctl": [{k: d.get(k) for k in ("user_api", "internal_api", "version",
                                                     "num_threads")}
                              for d in threadpoolctl.threadpool_info()]}
    for mod in ("pandas", "linearmodels", "sklearn", "pyfixest", "impacteval"):
        try:
            info[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - only recording versions
            info[mod] = None
    try:
        with open("/proc/meminfo") as f:
            info["mem_total_gb"] = round(int(f.readline().split()[1]) / 2**20, 1)
    except OSError:
        pass
    return info


def _fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def _agg(rows: list[dict]) -> dict:
    """Median, min and max of the repeats of one method at one size."""
    import statistics

    ok = [r for r in rows if "error" not in r]
    if not ok:
        return {"ok": False, "note": rows[0].get("error", "not run") if rows else "not run"}
    secs = sorted(r["seconds"] for r in ok)
    loads = [r[k] for r in rows for k in ("load_before", "load_after") if k in r]
    return {"ok": True, "s": statistics.median(secs), "min": secs[0], "max": secs[-1],
            "n": len(ok), "peak_mb": max(r["peak_mb"] for r in ok),
            "load_max": max(loads) if loads else None,
            "note": "" if len(ok) == len(rows) else f"{len(rows) - len(ok)} repeat(s) failed"}


def summarise(rows: list[dict]) -> list[dict]:
    """One line per workload × size × peer: median time (min–max over the repeats),
    peak memory, the ratio of medians and the highest 1-min load average seen."""
    table = []
    keys = []
    for r in rows:
        k = (r["workload"], r["size"])
        if k not in keys:
            keys.append(k)
    for wl, size in keys:
        spec = WORKLOADS[wl]

        def pick(m, wl=wl, size=size):
            return [r for r in rows if (r["workload"], r["size"], r["method"]) == (wl, size, m)]

        o = _agg(pick(spec["ours"]))
        for peer in spec["peers"]:
            prs = pick(peer)
            if not prs:
                continue
            p = _agg(prs)
            loads = [x["load_max"] for x in (o, p) if x.get("load_max") is not None]
            table.append({
                "workload": wl, "size": size, "unit": spec["unit"],
                "repeats": o.get("n", 0),
                "ours_s": o.get("s"), "ours_min_s": o.get("min"), "ours_max_s": o.get("max"),
                "ours_peak_mb": o.get("peak_mb"), "ours_note": o["note"],
                "peer": peer,
                "peer_s": p.get("s"), "peer_min_s": p.get("min"), "peer_max_s": p.get("max"),
                "peer_peak_mb": p.get("peak_mb"), "peer_note": p["note"],
                "ratio": (p["s"] / o["s"]) if o["ok"] and p["ok"] else None,
                "load_max": max(loads) if loads else None,
            })
    return table


def _fmt_spread(t: dict, side: str) -> str:
    if t[f"{side}_s"] is None:
        return t[f"{side}_note"]
    txt = _fmt_s(t[f"{side}_s"])
    if t.get("repeats", 1) > 1 and t[f"{side}_min_s"] is not None:
        txt += f" ({_fmt_s(t[f'{side}_min_s'])}–{_fmt_s(t[f'{side}_max_s'])})"
    return txt


def markdown(table: list[dict], env: dict, merged: list[str] | None = None) -> str:
    """The table and its notes; ``merged``: the workloads of this run when its rows were
    merged into an earlier run's table (the notes then say which rows are whose)."""
    lines = [
        "| workload | size | impacteval s | peak MB | peer | peer s | peer peak MB | peer/ours "
        "| load |",
        "|---|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for t in table:
        ours = _fmt_spread(t, "ours")
        peer = _fmt_spread(t, "peer")
        om = f"{t['ours_peak_mb']:.0f}" if t["ours_peak_mb"] else "—"
        pm = f"{t['peer_peak_mb']:.0f}" if t["peer_peak_mb"] else "—"
        ratio = f"{t['ratio']:.1f}×" if t["ratio"] is not None else "—"
        load = f"{t['load_max']:.2f}" if t.get("load_max") is not None else "—"
        lines.append(f"| {t['workload']} | {t['size']} ({t['unit']}) | {ours} | {om} | "
                     f"{t['peer']} | {peer} | {pm} | {ratio} | {load} |")
    blas = ", ".join(f"{d['internal_api']} {d['version']} ({d['num_threads']} thread(s))"
                     for d in env["threadpoolctl"])
    where = "in one run" if not merged else (
        f"in more than one run (the {', '.join(merged)} rows last, "
        f"{time.strftime('%Y-%m-%d', time.gmtime())}; each row's ours and peer in the same "
        "run)")
    lines += ["", f"Measured {where} on {env['cpus']} CPUs ({env['machine']}, "
              f"{env.get('mem_total_gb', '?')} GB), Python {env['python']}, numpy "
              f"{env['numpy']}, pandas {env['pandas']}, linearmodels {env['linearmodels']}, "
              f"scikit-learn {env['sklearn']}, pyfixest {env['pyfixest']}; "
              f"OPENBLAS/OMP/MKL_NUM_THREADS=1 ({blas}). Peak memory is the peak resident "
              "set of the subprocess that ran the method while the method ran (counted "
              "afresh after the data were made; the data, resident, are included). Times are the median "
              "of the repeats (min–max in brackets); ours and the peers were run interleaved "
              "(ours, peer, ours, peer, …) so that a change of machine load hits both; "
              "'load' is the highest 1-minute load average read before or after any of "
              "the pair's runs (this machine has "
              f"{env['cpus']} CPUs: a load above that means the timings are inflated)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only")
    ap.add_argument("--only", default="", help="comma-separated workloads")
    ap.add_argument("--timeout", type=float, default=1200, help="seconds per measurement")
    ap.add_argument("--repeats", type=int, default=3,
                    help="repeats per method and size (median and spread reported)")
    ap.add_argument("--sizes", default="",
                    help="override the sizes as JSON, e.g. '[[1000000, 10]]'")
    ap.add_argument("--merge", action="store_true",
                    help="merge this run's rows into results/bench.csv (replacing the same "
                         "workload, size and peer), rewrite bench.md and the README table")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        wl, m, size = args.child
        print(json.dumps(_child(wl, m, json.loads(size))))
        return
    only = [w for w in args.only.split(",") if w] or list(WORKLOADS)
    env = environment()
    env["load_at_start"] = [round(x, 2) for x in os.getloadavg()]
    env["repeats"] = args.repeats
    print(f"impacteval benchmarks ({'quick' if args.quick else 'full'}); python {env['python']}, "
          f"{env['cpus']} CPUs; threads: "
          + ", ".join(f"{k}={v}" for k, v in env["threads_env"].items()), flush=True)
    rows = []
    for wl in only:
        spec = WORKLOADS[wl]
        sizes = json.loads(args.sizes) if args.sizes else spec["quick" if args.quick
                                                                   else "sizes"]
        for size in sizes:
            failed: set[str] = set()
            for _rep in range(max(args.repeats, 1)):
                # interleaved: ours, peer, ours, peer ... so that load drift hits both
                for m in [spec["ours"], *spec["peers"]]:
                    if m in failed:  # out of memory / timeout: do not retry the same size
                        continue
                    cap = spec.get("peer_repeats", {}).get(m)
                    if cap is not None and _rep >= cap and size == sizes[-1]:
                        continue
                    r = measure(wl, m, size, timeout=args.timeout)
                    print_row(r)
                    rows.append(r)
                    if "error" in r:
                        failed.add(m)
    table = summarise(rows)
    RESULTS.mkdir(exist_ok=True)
    tag = "_quick" if args.quick else ""
    if set(only) != set(WORKLOADS):
        tag += "_" + "_".join(only)
    if args.sizes:
        tag += "_custom"
    with open(RESULTS / f"bench{tag}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(table[0]) if table else ["workload"])
        w.writeheader()
        w.writerows(table)
    with open(RESULTS / f"bench{tag}_raw.json", "w") as f:
        json.dump(rows, f, indent=1, default=str)
    env["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    with open(RESULTS / "environment.json", "w") as f:
        json.dump(env, f, indent=1)
    md = markdown(table, env)
    (RESULTS / f"bench{tag}.md").write_text(md)
    print()
    print(md)
    if args.merge:
        merged = merge_into_bench(table)
        (RESULTS / "bench.md").write_text(markdown(merged, env, merged=only))
        sibling("readme_table").update_readme(merged, env)
        print(f"merged into {RESULTS / 'bench.csv'}, bench.md and README.md")


def merge_into_bench(table: list[dict]) -> list[dict]:
    """``results/bench.csv`` with this run's rows in place of the same workload, size and
    peer (new rows added), in the order of :data:`WORKLOADS`; returns the merged rows."""
    readme_table = sibling("readme_table")

    path = RESULTS / "bench.csv"
    old = readme_table.read_table(path) if path.exists() else []
    key = lambda r: (r["workload"], r["size"], r["peer"])  # noqa: E731
    new = {key(r): r for r in table}
    rows = [new.pop(key(r), r) for r in old] + list(new.values())
    order = {w: i for i, w in enumerate(WORKLOADS)}
    rows.sort(key=lambda r: order.get(r["workload"], len(order)))  # stable: sizes keep order
    fields = list(table[0]) if table else list(rows[0])
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return rows


if __name__ == "__main__":
    main()
