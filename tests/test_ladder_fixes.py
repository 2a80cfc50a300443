"""Bugs found in the ladder's seams, each with the test that failed before its fix."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval.errors import ImpactEvalWarning


def _rct_long(n=40, seed=11, lost=0):
    rng = np.random.default_rng(seed)
    g = np.array(["t"] * n + ["c"] * n)
    base = rng.normal(50, 10, 2 * n)
    y1 = 0.8 * base + 10 + 4 * (g == "t") + rng.normal(0, 5, 2 * n)
    rows = []
    for i in range(2 * n):
        rows.append((i, g[i], "pre", base[i], rng.normal()))
        rows.append((i, g[i], "post", np.nan if i < lost else y1[i], np.nan))
    return pd.DataFrame(rows, columns=["id", "grp", "period", "y", "x"])


ROLES = dict(outcome="y", unit="id", group="grp", treated="t", period="period", pre="pre",
             post="post")


def _quiet_eval(df, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        return ie.evaluate(df, **kw)


def test_randomized_relative_scale_is_relative():
    df = _rct_long()
    ev = _quiet_eval(df, **ROLES, assignment="randomized", scale="relative", seed=5,
                     n_boot=999)
    assert ev.design == "randomized"
    assert ev.estimate.scale == "relative"
    ref = ie.difference(df, outcome="y", unit="id", group="grp", treated="t", period="period",
                        post="post", scale="relative", seed=5, n_boot=999)
    assert ev.estimate.estimate == pytest.approx(ref.estimate, rel=1e-12)
    assert ev.estimate.conf_low == pytest.approx(ref.conf_low, rel=1e-12)


def _small_pool(seed=4, n_t=30, n_c=40):
    """After-only data with a covariate and offices: the pool is too small to match."""
    rng = np.random.default_rng(seed)
    n = n_t + n_c
    g = np.array(["t"] * n_t + ["c"] * n_c)
    x = rng.normal(0, 1, n)
    office = rng.integers(0, 8, n)
    y = 2 * x + 1.0 * (g == "t") + rng.normal(0, 1, n)
    return pd.DataFrame({"grp": g, "x": x, "office": office, "y": y})


def test_adjusted_comparison_regression_gets_ci_n_boot_and_seed():
    df = _small_pool()
    ev = _quiet_eval(df, outcome="y", group="grp", treated="t", covariates=["x"],
                     cluster="office", ci="wild", n_boot=199, seed=3)
    est = ev.estimate if ev.design == "adjusted_comparison" else \
        ev.sensitivity["adjusted_comparison"]
    ref = ie.difference(df, outcome="y", group="grp", treated="t", covariates=["x"],
                        cluster="office", ci="wild", n_boot=199, seed=3)
    assert est.inference.get("seed") == 3
    assert est.conf_low == pytest.approx(ref.conf_low, rel=1e-12)
    assert est.conf_high == pytest.approx(ref.conf_high, rel=1e-12)


def test_matching_says_when_it_cannot_give_the_interval_asked_for():
    df = ie.datasets.load_teaching("matched_did")
    kw = dict(outcome="earnings_ksek", unit="person_id", group="group", treated="participant",
              period="period", pre="pre", post="post", covariates=["age"])
    auto = _quiet_eval(df, **kw)
    boot = _quiet_eval(df, **kw, ci="percentile", n_boot=199, seed=2)
    assert boot.design == auto.design == "matched_did"
    assert boot.estimate.conf_low == pytest.approx(auto.estimate.conf_low, rel=1e-12)
    assert any("ci='percentile' is not available" in n for n in boot.estimate.notes)


@pytest.mark.parametrize("with_baseline", [True, False])
def test_natural_experiment_estimate_is_labelled_natural_experiment(with_baseline):
    df = _rct_long(seed=12)
    kw = dict(ROLES) if with_baseline else dict(ROLES, pre=None, post=None, unit=None,
                                                 period=None)
    if not with_baseline:
        df = df[df.period == "post"].drop(columns="period")
    ev = _quiet_eval(df, **kw, assignment="lottery_waitlist")
    assert ev.design == "natural_experiment"
    assert ev.estimate.design == "natural_experiment"
    assert ev.estimate.tidy()["design"].iloc[0] == "natural_experiment"
