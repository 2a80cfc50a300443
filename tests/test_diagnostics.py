"""Tests of impacteval.diagnostics against scipy/numpy and hand computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from impacteval import diagnostics as dg
from impacteval.errors import ArgumentError, DataError


@pytest.fixture
def groups():
    rng = np.random.default_rng(0)
    return rng.normal(0.3, 1.2, 40), rng.normal(0.0, 1.0, 70)


def test_smd_unweighted_by_hand(groups):
    xt, xc = groups
    sd = math.sqrt((np.var(xt, ddof=1) + np.var(xc, ddof=1)) / 2)
    assert_allclose(dg.smd(xt, xc), (xt.mean() - xc.mean()) / sd, rtol=1e-13, atol=0)


def test_weighted_statistics_equal_replicated_rows(groups):
    # integer weights = repeating rows, which unweighted numpy/scipy handle independently
    xt, xc = groups
    rng = np.random.default_rng(1)
    wc = rng.integers(0, 4, len(xc)).astype(float)
    rep = np.repeat(xc, wc.astype(int))
    sd = dg.pooled_sd(xt, xc)  # pre-weighting denominator
    assert_allclose(dg.smd(xt, xc, weights_control=wc), (xt.mean() - rep.mean()) / sd,
                    rtol=1e-12, atol=0)
    assert_allclose(dg.weighted_mean(xc, wc), rep.mean(), rtol=1e-12, atol=0)
    assert_allclose(dg.variance_ratio(xt, xc, weights_control=np.ones(len(xc))),
                    np.var(xt, ddof=1) / np.var(xc, ddof=1), rtol=1e-12, atol=0)
    assert_allclose(dg.ecdf_max_diff(xt, xc, weights_control=wc),
                    stats.ks_2samp(xt, rep).statistic, rtol=1e-12, atol=1e-15)


def test_weighted_var_reliability_formula():
    x = np.array([1.0, 2.0, 4.0, 7.0])
    w = np.array([0.5, 1.0, 2.0, 0.5])
    m = np.sum(w * x) / w.sum()
    want = np.sum(w * (x - m) ** 2) * w.sum() / (w.sum() ** 2 - np.sum(w**2))
    assert_allclose(dg.weighted_var(x, w), want, rtol=1e-13, atol=0)
    assert_allclose(dg.weighted_var(x), np.var(x, ddof=1), rtol=1e-13, atol=0)
    assert math.isnan(dg.weighted_var(x, [0, 0, 1, 0]))


def test_ecdf_matches_ks_with_ties():
    xt = np.array([1, 1, 2, 3, 3, 3, 5.0])
    xc = np.array([0, 1, 2, 2, 3, 4, 4, 6.0])
    assert_allclose(dg.ecdf_max_diff(xt, xc), stats.ks_2samp(xt, xc).statistic, rtol=1e-14, atol=0)


def test_effective_sample_size():
    assert_allclose(dg.effective_sample_size([1, 1, 1, 1]), 4.0, rtol=1e-15, atol=0)
    assert_allclose(dg.effective_sample_size([3, 1]), 16 / 10, rtol=1e-15, atol=0)
    assert dg.effective_sample_size([0, 0]) == 0.0


def test_balance_table_columns_and_values(groups):
    xt, xc = groups
    rng = np.random.default_rng(2)
    bt = (rng.random(len(xt)) < 0.5).astype(float)
    bc = (rng.random(len(xc)) < 0.3).astype(float)
    t = pd.DataFrame({"x": xt, "b": bt})
    c = pd.DataFrame({"x": xc, "b": bc})
    w = rng.integers(0, 3, len(xc)).astype(float)
    tab = dg.balance_table(t, c, weights_control=w).set_index("covariate")
    assert list(tab.reset_index().columns) == dg.BALANCE_COLUMNS
    assert tab.loc["b", "type"] == "binary" and tab.loc["x", "type"] == "continuous"
    assert math.isnan(tab.loc["b", "var_ratio_before"])
    sdb = math.sqrt((np.var(bt, ddof=1) + np.var(bc, ddof=1)) / 2)
    assert_allclose(tab.loc["b", "smd_after"],
                    (bt.mean() - np.sum(w * bc) / w.sum()) / sdb, rtol=1e-12, atol=0)
    # reliability-weight variance (cobalt's col_w_sd), not the frequency-weight one
    m = np.sum(w * xc) / w.sum()
    vc = np.sum(w * (xc - m) ** 2) * w.sum() / (w.sum() ** 2 - np.sum(w**2))
    assert_allclose(tab.loc["x", "var_ratio_after"], np.var(xt, ddof=1) / vc, rtol=1e-12, atol=0)
    assert_allclose(tab.loc["x", "ecdf_max_before"], stats.ks_2samp(xt, xc).statistic,
                    rtol=1e-12, atol=0)
    assert_allclose(tab.loc["x", "mean_control_before"], xc.mean(), rtol=1e-13, atol=0)
    assert tab.loc["x", "balanced"] == (abs(tab.loc["x", "smd_after"]) < 0.1)


def test_overlap_report_counts():
    t = pd.DataFrame({"s": [-3.0, 0.0, 1.0, 9.0]})
    c = pd.DataFrame({"s": [-1.0, 0.5, 2.0, 3.0, 20.0]})
    rep = dg.overlap_report(t, c).iloc[0]
    assert rep["n_treated_below"] == 1 and rep["n_treated_above"] == 0
    assert rep["n_treated_outside"] == 1 and rep["share_treated_outside"] == 0.25
    assert rep["n_control_outside"] == 1  # 20 > 9
    assert dg.outside_range(t.to_numpy(), c.to_numpy()).tolist() == [True, False, False, False]


def test_bad_input_is_named():
    with pytest.raises(ArgumentError, match="weights_control has 2 values"):
        dg.smd([1.0, 2.0], [1.0, 2.0, 3.0], weights_control=[1, 1])
    with pytest.raises(DataError, match="negative"):
        dg.smd([1.0, 2.0], [1.0, 2.0], weights_treated=[1, -1])
    with pytest.raises(DataError, match="missing"):
        dg.smd([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(DataError, match="not numeric"):
        dg.balance_table(pd.DataFrame({"a": ["x", "y"]}), pd.DataFrame({"a": ["x", "y"]}))
    with pytest.raises(ArgumentError, match="same columns"):
        dg.balance_table(pd.DataFrame({"a": [1.0, 2]}), pd.DataFrame({"b": [1.0, 2]}))
