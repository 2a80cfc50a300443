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
