"""``ie.did`` on a Parquet dataset larger than the memory of the Dask workers.

A panel of ``--units`` units × ``--periods`` years (four 8-byte columns) is written
as a Parquet dataset partitioned by unit (one file per block of units) and analysed
by ``ie.did(path, ...)`` on a ``LocalCluster`` of 2 worker processes (one thread
each) with ``--worker-mb`` MB each, so that the data are larger than the workers'
memory together. The resident memory of every worker and of this process is sampled
(psutil, every 0.1 s); the time is the wall time of ``ie.did`` (two reads of the data
plus one small read for the group labels and missing counts).

With ``--ladder`` it also times ``ie.evaluate(path, ...)`` on the same data (the DiD,
comparison, before–after and follow-up designs computed from Dask sums and unit means;
``tests/test_dask_ladder.py``), with the peak memory of the workers and of this process.

Usage::

    nice python benchmarks/dask_did.py [--units 3000000] [--periods 10] [--worker-mb 450]
                                       [--ladder]

Writes ``benchmarks/results/dask_did.md`` (appends one run) with the load average.
"""

from __future__ import annotations

import os

for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_k, "1")

import argparse  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

HERE = Path(__file__).resolve().parent


def write_panel(path: Path, n_units: int, n_per: int, n_files: int, seed: int = 1) -> int:
    """Write the panel block by block (never whole in memory); returns its size in bytes."""
    rng = np.random.default_rng(seed)
    path.mkdir(parents=True)
    nbytes = 0
    for i, b in enumerate(np.array_split(np.arange(n_units), n_files)):
        m = len(b)
        u = np.repeat(b.astype(np.int64), n_per)
        t = np.tile(np.arange(2010, 2010 + n_per, dtype=np.int64), m)
        g = (rng.random(m) < 0.3).astype(np.int64)
        alpha = rng.normal(0, 2, m)
        y = np.repeat(alpha, n_per) + 0.2 * (t - 2010) \
            + 1.5 * np.repeat(g, n_per) * (t >= 2010 + n_per // 2) + rng.normal(size=m * n_per)
        df = pd.DataFrame({"id": u, "g": np.repeat(g, n_per), "year": t, "y": y})
        nbytes += int(df.memory_usage(index=False).sum())
        df.to_parquet(path / f"part-{i:05d}.parquet", index=False)
    return nbytes


class Sampler(threading.Thread):
    """Peak RSS of this process and of each of its descendants (the workers)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        import psutil

        self.me = psutil.Process()
        self.peak_self = 0
        self.peak_child: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stop.is_set():
            try:
                self.peak_self = max(self.peak_self, self.me.memory_info().rss)
                for c in self.me.children(recursive=True):
                    try:
                        rss = c.memory_info().rss
                    except psutil.Error:
                        continue
                    self.peak_child[c.pid] = max(self.peak_child.get(c.pid, 0), rss)
            except psutil.Error:
                pass
            time.sleep(0.1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=3_000_000)
    ap.add_argument("--periods", type=int, default=10)
    ap.add_argument("--worker-mb", type=int, default=450)
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--ladder", action="store_true",
                    help="also time ie.evaluate on the same data")
    a = ap.parse_args()

    import dask
    from distributed import Client, LocalCluster

    import impacteval as ie

    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "panel"
        t0 = time.perf_counter()
        nbytes = write_panel(path, a.units, a.periods, a.files)
        t_write = time.perf_counter() - t0
        disk = sum(f.stat().st_size for f in path.iterdir())
        with dask.config.set({"distributed.worker.memory.target": False,
                              "distributed.worker.memory.spill": False,
                              "distributed.worker.memory.pause": False,
                              "distributed.worker.memory.terminate": 0.95}):
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   memory_limit=a.worker_mb * 2**20, dashboard_address=None)
        client = Client(cluster)
        sampler = Sampler()
        sampler.start()
        times, res = [], None
        try:
            half = a.periods // 2
            for _ in range(a.repeats):
                t0 = time.perf_counter()
                res = ie.did(str(path), outcome="y", unit="id", group="g", period="year",
                             pre=list(range(2010, 2010 + half)),
                             post=list(range(2010 + half, 2010 + a.periods)))
                times.append(time.perf_counter() - t0)
            if a.ladder:
                peak_did = (dict(sampler.peak_child), sampler.peak_self)
                sampler.peak_child.clear()
                sampler.peak_self = 0
                t0 = time.perf_counter()
                ev = ie.evaluate(str(path), outcome="y", unit="id", group="g", period="year",
                                 pre=list(range(2010, 2010 + half)),
                                 post=list(range(2010 + half, 2010 + a.periods)))
                t_ladder = time.perf_counter() - t0
            n_workers = len(client.scheduler_info()["workers"])
        finally:
            sampler.stop.set()
            sampler.join()
            client.close()
            cluster.close()
    load1 = os.getloadavg()
    ladder_line = None
    if a.ladder:
        lpeaks = sorted(sampler.peak_child.values(), reverse=True)
        ladder_line = (
            f"ie.evaluate on the same data: {t_ladder:.1f} s, chosen {ev.design} "
            f"{ev.estimate.estimate:.6f} [{ev.estimate.conf_low:.6f}, "
            f"{ev.estimate.conf_high:.6f}], peak RSS workers "
            f"{', '.join(f'{p / 2**20:.0f}' for p in lpeaks[:2])} MB, driver "
            f"{sampler.peak_self / 2**20:.0f} MB")
        sampler.peak_child, sampler.peak_self = peak_did
    peaks = sorted(sampler.peak_child.values(), reverse=True)
    rows = a.units * a.periods
    line = (f"| {rows:,} | {a.units:,} × {a.periods} | {nbytes / 2**20:,.0f} MB "
            f"({disk / 2**20:,.0f} MB on disk, {a.files} files) | 2 × {a.worker_mb} MB | "
            f"{np.median(times):.1f} s (runs: {', '.join(f'{t:.1f}' for t in times)}) | "
            f"{', '.join(f'{p / 2**20:.0f}' for p in peaks[:2])} MB | "
            f"{sampler.peak_self / 2**20:.0f} MB | {n_workers} | "
            f"{res.estimate:.6f} ± {res.std_error:.6f} | "
            f"{load0[0]:.1f} → {load1[0]:.1f} | {ladder_line or ''} |")
    print(line)
    print(f"writing the dataset: {t_write:.1f} s")
    if ladder_line:
        print(ladder_line)
    out = HERE / "results" / "dask_did.md"
    if not out.exists():
        out.write_text(
            "# ie.did on a Parquet dataset larger than the Dask workers' memory\n\n"
            "`benchmarks/dask_did.py`: LocalCluster, 2 worker processes × 1 thread, memory "
            "limit per worker as given (pausing and spilling off, restart at 95%); "
            "OPENBLAS/OMP threads 1; the machine is shared (2 cores), the load average "
            "(1 min) before → after is in the last column. Peak RSS sampled every 0.1 s "
            "(psutil); the largest two child processes are the workers.\n\n"
            "| rows | units × years | data in memory | workers | time of ie.did | "
            "peak RSS workers | peak RSS driver | workers alive | ATT ± SE | load | note |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|\n")
    with out.open("a") as f:
        f.write(line + "\n")



if __name__ == "__main__":
    main()
