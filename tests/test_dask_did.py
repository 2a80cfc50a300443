"""``ie.did`` on a Dask DataFrame / Parquet dataset equals the in-memory ``ie.did``.

The Dask path (:mod:`impacteval._dask`) reduces every partition to T × T sufficient
statistics and solves the same two-way fixed-effects algebra as the in-memory kernel;
the independent reference is the in-memory ``ie.did(..., method="panel")`` (itself
tested against linearmodels ``PanelOLS`` in ``tests/test_fast.py``) and, on the
dataset larger than a worker's memory, the kernel :class:`impacteval._fast.TwoWay`
on the same rows held in this process.

The cluster is a ``LocalCluster`` with 2 worker processes, one thread each, and a
memory limit per worker; the large Parquet dataset (one file per block of units) is
larger than that limit. Sums are formed in a different order (per partition), so
the numbers agree to rounding: ``rtol=1e-10``.
"""

from __future__ import annotations

import os
import re
import string

import numpy as np
import pandas as pd
import pytest

import impacteval as ie

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pytest.importorskip("pyarrow")
pytestmark = pytest.mark.timeout(240)

#: memory limit of each of the 2 workers; a worker that has imported impacteval,
#: dask, distributed and pyarrow holds about 240 MB before it reads any data, and about
#: 380 MB at its peak while it reduces a partition of 250,000 rows (the nanny restarts
#: it at 95 % of the limit)
WORKER_LIMIT = 512 * 2**20
KW = dict(outcome="y", unit="id", group="g", period="year")


def _panel(n_units: int, n_per: int, seed: int, drop: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    u = np.repeat(np.arange(n_units, dtype=np.int64), n_per)
    t = np.tile(np.arange(2010, 2010 + n_per, dtype=np.int64), n_units)
    g = (rng.random(n_units) < 0.3).astype(np.int64)[u]
    alpha = rng.normal(0, 2, n_units)[u]
    y = alpha + 0.2 * (t - 2010) + 0.1 * g * (t - 2010) * (t < 2010 + n_per // 2) \
        + 1.5 * g * (t >= 2010 + n_per // 2) + rng.normal(size=len(u))
    df = pd.DataFrame({"id": u, "g": g, "year": t, "y": y})
    if drop:
        df = df.drop(index=rng.choice(len(df), drop, replace=False)).reset_index(drop=True)
    return df


def _write_by_unit(df: pd.DataFrame, path, n_files: int) -> None:
    """A Parquet dataset partitioned by unit: each file holds a block of whole units."""
    path.mkdir()
    blocks = np.array_split(np.unique(df["id"].to_numpy()), n_files)
    ids = df["id"].to_numpy()
    for i, b in enumerate(blocks):
        rows = (ids >= b[0]) & (ids <= b[-1])
        df[rows].to_parquet(path / f"part-{i:04d}.parquet", index=False)


def local_cluster(limit: int):
    """A LocalCluster of 2 worker processes, one thread each, with a memory limit per
    worker and a client on it (a generator for module fixtures)."""
    import dask
    from distributed import Client, LocalCluster

    # the limit is enforced (a worker above 95% of it is restarted and the test fails);
    # pausing and spilling are off: the tasks hold no data to spill, and a paused worker
    # whose interpreter's own memory is above 80% of the limit would wait for ever
    with dask.config.set({"distributed.worker.memory.target": False,
                          "distributed.worker.memory.spill": False,
                          "distributed.worker.memory.pause": False,
                          "distributed.worker.memory.terminate": 0.95}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               memory_limit=limit, dashboard_address=None)
    with cluster, Client(cluster) as cl:
        yield cl
    assert cl.status == "closed"


@pytest.fixture(scope="module")
def client():
    yield from local_cluster(WORKER_LIMIT)


def _same(a, b, *, rtol=1e-10):
    for k in ("estimate", "std_error", "conf_low", "conf_high", "statistic", "df"):
        np.testing.assert_allclose(getattr(a, k), getattr(b, k), rtol=rtol, atol=0, err_msg=k)
    np.testing.assert_allclose(a.p_value, b.p_value, rtol=1e-8, atol=1e-300)
    assert (a.n_treated, a.n_control, a.comparison) == (b.n_treated, b.n_control, b.comparison)
    ta, tb = a.tables["event_time"], b.tables["event_time"]
    assert ta["period"].tolist() == tb["period"].tolist()
    for c in ("estimate", "std_error", "conf_low", "conf_high"):
        np.testing.assert_allclose(ta[c], tb[c], rtol=rtol, atol=1e-12, err_msg=c)
    for k in ("pretrend_test_stat", "pretrend_p_value", "pretrend_slope_diff",
              "pretrend_slope_se", "baseline_hedges_g"):
        np.testing.assert_allclose(a.diagnostics[k], b.diagnostics[k], rtol=1e-9, atol=1e-12,
                                   err_msg=k)
    for k in ("n_clusters", "n_periods_pre", "n_periods_post", "units_with_missing_periods"):
        assert a.diagnostics.get(k) == b.diagnostics.get(k), k


def test_parquet_by_unit_equals_in_memory(client, tmp_path):
    df = _panel(4000, 6, seed=1, drop=700)  # unbalanced: 700 unit-years missing
    _write_by_unit(df, tmp_path / "panel", 5)
    pre, post = [2010, 2011, 2012], [2013, 2014, 2015]
    mem = ie.did(df, **KW, pre=pre, post=post, method="panel")
    got = ie.did(str(tmp_path / "panel"), **KW, pre=pre, post=post)
    assert got.inference["engine"] == "dask"
    assert got.diagnostics["dask_shuffled_by_unit"] is False
    assert got.diagnostics["dask_partitions"] == 5
    assert got.diagnostics["units_with_missing_periods"] > 0
    _same(got, mem)
    # the caller's pandas frame is untouched and a Dask frame gives the same numbers
    again = ie.did(dd.read_parquet(str(tmp_path / "panel")), **KW, pre=pre, post=post)
    _same(again, mem, rtol=1e-13)


def test_units_split_over_partitions_are_shuffled(client):
    df = _panel(1500, 5, seed=2)
    pre, post = [2010, 2011], [2012, 2013, 2014]
    mem = ie.did(df, **KW, pre=pre, post=post, method="panel")
    # rows in random order: every unit is spread over the partitions
    ddf = dd.from_pandas(df.sample(frac=1.0, random_state=3), npartitions=4, sort=False)
    got = ie.did(ddf, **KW, pre=pre, post=post)
    assert got.diagnostics["dask_shuffled_by_unit"] is True
    _same(got, mem)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("IMPACTEVAL_SLOW"),
                    reason="opt-in (IMPACTEVAL_SLOW=1): 40 M rows, more than both workers' "
                           "memory together, against the kernel on the same rows in this "
                           "process (a few minutes); the suite runs 17 M rows "
                           "(test_larger_than_each_workers_memory_in_suite)")
def test_larger_than_worker_memory(client, tmp_path):
    # 4 M units × 10 years = 40 M rows of four 8-byte columns: 1.2 GB in memory, more
    # than the two workers' limits together (2 × 512 MB)
    n_units, n_per = 4_000_000, 10
    df = _panel(n_units, n_per, seed=4)
    nbytes = int(df.memory_usage(index=False).sum())
    assert nbytes > 2 * WORKER_LIMIT
    _write_by_unit(df, tmp_path / "big", 160)
    pre, post = list(range(2010, 2015)), list(range(2015, 2020))
    # in-memory reference: the linear-time kernel on the same rows in this process
    from impacteval import _fast
    from impacteval.estimators.did import _ssc_conversion

    ent = df["id"].to_numpy(np.intp)
    tim = (df["year"].to_numpy() - 2010).astype(np.intp)
    treat = df["g"].to_numpy(float)
    yv = df["y"].to_numpy(float)
    del df
    b_main = (np.arange(n_per) >= 5).astype(float)[:, None]
    fit = _fast.TwoWay(ent, tim).fit_unit_period(yv, treat, b_main)
    ref_est = float(fit.params[0])
    ref_se = float(fit.std_errors[0]) * _ssc_conversion(len(yv), n_units, n_per, 1, n_units,
                                                        True)
    del ent, tim, treat, yv, fit
    got = ie.did(str(tmp_path / "big"), **KW, pre=pre, post=post)
    np.testing.assert_allclose(got.estimate, ref_est, rtol=1e-10, atol=0)
    np.testing.assert_allclose(got.std_error, ref_se, rtol=1e-10, atol=0)
    assert got.diagnostics["dask_shuffled_by_unit"] is False
    assert got.n_treated + got.n_control == n_units
    # no worker was lost to the memory limit
    assert len(client.scheduler_info()["workers"]) == 2


#: the in-suite run larger than a worker's memory (``WORKER_LIMIT``): 1.7 M units ×
#: 10 years of four 8-byte columns = 519 MB in memory, in 68 files of 250,000 rows
SUITE_UNITS, SUITE_YEARS, SUITE_FILES = 1_700_000, 10, 68


def _write_blocks(path, n_units: int, n_per: int, n_files: int, seed: int):
    """A balanced panel written block by block (never whole in memory), and each unit's
    change ``dᵢ`` (mean after − mean before; the second half of the years is after) and
    participant flag, from which the DiD and its clustered SE have a closed form."""
    rng = np.random.default_rng(seed)
    path.mkdir()
    nbytes, ds, gs = 0, [], []
    half = n_per // 2
    for i, b in enumerate(np.array_split(np.arange(n_units, dtype=np.int64), n_files)):
        m = len(b)
        g = (rng.random(m) < 0.3).astype(np.int64)
        t = np.arange(2010, 2010 + n_per, dtype=np.int64)
        y = (rng.normal(0, 2, m)[:, None] + 0.2 * (t - 2010)[None, :]
             + 1.5 * g[:, None] * (t >= 2010 + half)[None, :] + rng.normal(size=(m, n_per)))
        df = pd.DataFrame({"id": np.repeat(b, n_per), "g": np.repeat(g, n_per),
                           "year": np.tile(t, m), "y": y.ravel()})
        nbytes += int(df.memory_usage(index=False).sum())
        df.to_parquet(path / f"part-{i:04d}.parquet", index=False)
        ds.append(y[:, half:].mean(axis=1) - y[:, :half].mean(axis=1))
        gs.append(g)
    return nbytes, np.concatenate(ds), np.concatenate(gs)


def _closed_form(d: np.ndarray, g: np.ndarray, n_per: int) -> tuple[float, float]:
    """Two-way fixed-effects DiD of a balanced panel with one after-dummy: the difference
    of the groups' mean changes, and its unit-clustered SE (the score of unit i is
    (aᵢ − ā)·c·(dᵢ − d̄ of its group)), with the small-sample factor G/(G−1)·(n−1)/(n−K),
    K = T + 1 (Stata ``xtreg, fe vce(cluster)``, ``reghdfe``, ``fixest``)."""
    t, c = d[g == 1], d[g == 0]
    est = float(t.mean() - c.mean())
    v = float(((t - t.mean()) ** 2).sum() / len(t) ** 2
              + ((c - c.mean()) ** 2).sum() / len(c) ** 2)
    n_units = len(d)
    n = n_units * n_per
    v *= n_units / (n_units - 1) * (n - 1) / (n - n_per - 1)
    return est, float(np.sqrt(v))


def test_closed_form_reference_equals_in_memory_did(tmp_path):
    """The reference of the larger-than-memory test, checked against ``ie.did`` on the
    same rows in memory (linearmodels-tested two-way fixed effects)."""
    _, d, g = _write_blocks(tmp_path / "small", 3000, SUITE_YEARS, 3, seed=11)
    df = pd.concat([pd.read_parquet(f) for f in sorted((tmp_path / "small").iterdir())])
    mem = ie.did(df, **KW, pre=list(range(2010, 2015)), post=list(range(2015, 2020)),
                 method="panel")
    est, se = _closed_form(d, g, SUITE_YEARS)
    np.testing.assert_allclose(mem.estimate, est, rtol=1e-10, atol=0)
    np.testing.assert_allclose(mem.std_error, se, rtol=1e-10, atol=0)


def test_larger_than_each_workers_memory_in_suite(client, tmp_path):
    """519 MB of data on 2 workers of 512 MB each: the result equals the closed form, no
    worker is lost or restarted, and each worker's peak resident memory (sampled every
    0.05 s) stays below its limit and below the size of the data."""
    import threading

    import psutil

    nbytes, d, g = _write_blocks(tmp_path / "big", SUITE_UNITS, SUITE_YEARS, SUITE_FILES,
                                 seed=12)
    assert nbytes > WORKER_LIMIT
    est, se = _closed_form(d, g, SUITE_YEARS)
    del d, g
    peaks: dict[int, int] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid in list(pids):
                try:
                    peaks[pid] = max(peaks.get(pid, 0), psutil.Process(pid).memory_info().rss)
                except psutil.Error:
                    pass
            stop.wait(0.05)

    cl = client
    before = set(cl.scheduler_info()["workers"])
    pids = set(cl.run(os.getpid).values())
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        got = ie.did(str(tmp_path / "big"), **KW, pre=list(range(2010, 2015)),
                     post=list(range(2015, 2020)))
    finally:
        stop.set()
        sampler.join()
    after = set(cl.scheduler_info()["workers"])
    pids_after = set(cl.run(os.getpid).values())
    np.testing.assert_allclose(got.estimate, est, rtol=1e-10, atol=0)
    np.testing.assert_allclose(got.std_error, se, rtol=1e-10, atol=0)
    assert got.n_treated + got.n_control == SUITE_UNITS
    assert got.diagnostics["dask_partitions"] == SUITE_FILES
    assert got.diagnostics["dask_shuffled_by_unit"] is False
    # no worker was lost or restarted by its nanny (a new process has a new pid/address)
    assert before == after and pids == pids_after and len(pids) == 2
    assert len(peaks) == 2
    for rss in peaks.values():
        assert rss < 0.95 * WORKER_LIMIT and rss < nbytes, (rss / 2**20, nbytes / 2**20)


@pytest.mark.parametrize("kw, word", [
    (dict(ci="wild"), "ci="), (dict(cluster="g"), "cluster="), (dict(scale="relative"),
                                                                  "method='panel'"),
    (dict(covariates=["y"]), "covariates="), (dict(start="year"), "start=")])
def test_refuses_what_needs_rows(kw, word):
    ddf = dd.from_pandas(_panel(60, 4, seed=5), npartitions=2)
    with pytest.raises(ie.errors.ImpactEvalError) as exc:
        ie.did(ddf, **KW, pre=[2010, 2011], post=[2012, 2013], **kw)
    assert word in str(exc.value) and "Dask" in str(exc.value)
    assert "Dask" in exc.value.render("sv") and str(exc.value) != exc.value.render("sv")


def test_two_periods_need_method_panel():
    ddf = dd.from_pandas(_panel(60, 2, seed=6), npartitions=2)
    with pytest.raises(ie.errors.MethodError, match="method='panel'"):
        ie.did(ddf, **KW, pre=2010, post=2011)
    df = _panel(60, 2, seed=6)
    got = ie.did(ddf, **KW, pre=2010, post=2011, method="panel")
    _one = ie.did(df, **KW, pre=2010, post=2011, method="panel")
    np.testing.assert_allclose(got.estimate, _one.estimate, rtol=1e-12, atol=0)
    np.testing.assert_allclose(got.std_error, _one.std_error, rtol=1e-10, atol=0)


def test_unit_changing_group_is_refused():
    df = _panel(60, 4, seed=7)
    df.loc[(df["id"] == 3) & (df["year"] == 2013), "g"] = 1 - df.loc[
        (df["id"] == 3) & (df["year"] == 2013), "g"]
    ddf = dd.from_pandas(df, npartitions=1)
    with pytest.raises(ie.errors.DataError, match="stay in one group"):
        ie.did(ddf, **KW, pre=[2010, 2011], post=[2012, 2013])


def test_error_templates_both_languages():
    from test_report_language import ENGLISH

    from impacteval import _dask

    def fields(t):
        return {f for _, f, _, _ in string.Formatter().parse(t) if f}

    assert set(_dask.EN) == set(_dask.SV)
    for code in _dask.EN:
        assert code.startswith("err_") and fields(_dask.EN[code]) == fields(_dask.SV[code])
        lit = "".join(x for x, *_ in string.Formatter().parse(_dask.SV[code]))
        lit = re.sub(r"--[\w-]+|\b\w+=|'[^']*'|Dask|Parquet|pip install|dask\[dataframe\]|"
                     r"pyarrow", " ", lit)
        assert not ENGLISH.findall(lit), (code, ENGLISH.findall(lit))
    for key in _dask._REMEDY:
        assert not ENGLISH.findall(re.sub(r"\b\w+=|'[^']*'", " ", _dask._REMEDY[key][1])), key


def test_missing_outcome_is_counted_and_left_out_as_in_memory():
    df = _panel(300, 4, seed=8)
    df.loc[[3, 50, 77], "y"] = np.nan
    kw = dict(**KW, pre=[2010, 2011], post=[2012, 2013], method="panel")
    with pytest.warns(ie.errors.DroppedRowsWarning, match="3 of 1200 rows"):
        got = ie.did(dd.from_pandas(df, npartitions=3), **kw)
    with pytest.warns(ie.errors.DroppedRowsWarning):
        mem = ie.did(df, **kw)
    assert got.diagnostics["dropped"] == mem.diagnostics["dropped"] == {"missing outcome": 3}
    assert got.notes == mem.notes
    np.testing.assert_allclose(got.estimate, mem.estimate, rtol=1e-12, atol=0)
    np.testing.assert_allclose(got.std_error, mem.std_error, rtol=1e-10, atol=0)


def test_a_missing_parquet_path_is_a_clear_error(tmp_path):
    """A path with no Parquet data behind it: an impacteval error naming the path (en/sv),
    from ``ie.did`` and from ``ie.evaluate`` alike (the ladder runs on Dask data, see
    ``tests/test_dask_ladder.py``)."""
    from impacteval.errors import DataError

    path = str(tmp_path / "data.parquet")
    for fn in (ie.did, ie.evaluate):
        with pytest.raises(DataError, match="no Parquet dataset") as info:
            fn(path, outcome="y", unit="id", group="g", period="t", pre=[0, 1], post=[2])
        assert "data.parquet" in str(info.value)
        assert "ingen Parquet-datamängd" in info.value.render("sv")
