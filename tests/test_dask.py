"""Bootstrap batches on a Dask cluster give bit-identical results to the local run.

The resampling engine draws replicates in fixed blocks, each from its own child
of ``SeedSequence(seed)``, and hands batches of blocks to joblib; under
``joblib.parallel_config(backend="dask")`` the batches run on the cluster.
The cluster here is in-process (``processes=False``: in-process transport, no
network), one worker with two threads, and it is closed at the end.
"""

import joblib
import numpy as np
import pandas as pd
import pytest

import impacteval as ie

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as cl:
        yield cl


def _data(seed=21):
    rng = np.random.default_rng(seed)
    yt, yc = rng.lognormal(8.0, 0.8, 300), rng.lognormal(8.3, 0.8, 3000)
    return pd.DataFrame({"g": [1] * 300 + [0] * 3000, "y": np.r_[yt, yc]})


def test_bca_on_dask_is_bit_identical_to_local(client):
    from distributed import get_task_stream

    df = _data()
    kw = dict(outcome="y", group="g", ci="bca", n_boot=1999, seed=20240601)
    local = ie.difference(df, **kw)
    with get_task_stream(client) as ts, joblib.parallel_config(backend="dask"):
        remote = ie.difference(df, **kw)
    assert len(ts.data) > 0, "no task ran on the Dask cluster"
    assert np.array_equal(local.draws, remote.draws)
    assert (remote.conf_low, remote.conf_high, remote.p_value) == (
        local.conf_low, local.conf_high, local.p_value)
    assert remote.inference == local.inference
    # the interval is a real BCa interval of the draws: it brackets the estimate
    assert local.conf_low < local.estimate < local.conf_high
    assert local.inference["method"] == "bca" and len(local.draws) == 1999


def test_dask_result_does_not_depend_on_batching(client):
    from impacteval.estimators.difference import diff_plan
    from impacteval.inference import bootstrap_draws

    df = _data(seed=22)
    y, g = df["y"].to_numpy(), df["g"].to_numpy() == 1
    plan = diff_plan(y[g], y[~g])
    a, _, _ = bootstrap_draws(plan, 999, seed=5)
    with joblib.parallel_config(backend="dask"):
        b, _, _ = bootstrap_draws(plan, 999, seed=5, batch_blocks=1)
        c, _, _ = bootstrap_draws(plan, 999, seed=5, n_jobs=2)
    assert np.array_equal(a, b) and np.array_equal(a, c)
    # and the draws are real resamples: their mean is near the estimate (sanity)
    assert abs(a.mean() - plan.value()) < 4 * a.std()
