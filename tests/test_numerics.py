"""Numerical robustness: outcomes around 10⁹ (large SEK sums) and near-constant
outcomes, against references computed exactly with :mod:`fractions` (every
float input is a rational number) and square roots in 50-digit
:mod:`decimal` arithmetic.

The danger is the textbook formula var = (Σy² − n·ȳ²)/(n − 1): at y ≈ 10⁹
with a spread of a few kronor, Σy² ≈ 10²⁰ and the difference loses every
significant digit in float64. The analytic paths use centred two-pass
formulas (``np.var``); the bootstrap plans, which must work on column sums,
centre the values first (see ``difference._centre`` and ``_common.mean_plan``).
"""

from __future__ import annotations

import math
from decimal import Decimal, getcontext
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval.estimators._common import mean_plan, var_from_sums
from impacteval.estimators.before_after import _rel_plan
from impacteval.estimators.difference import diff_plan

getcontext().prec = 50


# ----------------------------------------------------------------- exact references
def F(x) -> list[Fraction]:
    return [Fraction(float(v)) for v in np.asarray(x, dtype=float)]


def mean_exact(x) -> Fraction:
    x = F(x)
    return sum(x, Fraction(0)) / len(x)


def var_exact(x) -> Fraction:
    x = F(x)
    m = sum(x, Fraction(0)) / len(x)
    return sum(((v - m) ** 2 for v in x), Fraction(0)) / (len(x) - 1)


def sqrt_exact(q: Fraction) -> float:
    return float((Decimal(q.numerator) / Decimal(q.denominator)).sqrt())


def welch_se_exact(a, b) -> float:
    return sqrt_exact(var_exact(a) / len(a) + var_exact(b) / len(b))


def ratio_se_exact(y1, y0) -> float:
    """Delta-method SE of 100·(ȳ1/ȳ0 − 1): 100·sd(φ)/√n, φ = (y1 − r·y0)/ȳ0, exactly."""
    m1, m0 = mean_exact(y1), mean_exact(y0)
    r = m1 / m0
    phi = [(a - r * b) / m0 for a, b in zip(F(y1), F(y0), strict=True)]
    n = len(phi)
    mp = sum(phi, Fraction(0)) / n
    v = sum(((p - mp) ** 2 for p in phi), Fraction(0)) / (n - 1)
    return 100 * sqrt_exact(v / n)


LEVELS = [1e9, 3.7e9, 1e12]
# Tolerances. Estimates: 1e-6 of the standard error (the float64 inputs at 10¹² are
# on a grid of 1.2e-4, so nothing finer is meaningful). Standard errors: relative
# 1e-6 — the two-pass variance's error is about (rounding of the mean / spread)²:
# 1e-7 at 10¹² with a spread of 1 öre, 1e-14 at 10⁹ (measured).
SE_RTOL = 1e-6


def close_est(actual, exact, se):
    np.testing.assert_allclose(actual, exact, rtol=0, atol=1e-6 * se)
SPREADS = [1.0, 0.01]  # kronor; 0.01 = "near-constant" at öre precision


def sample(level, spread, n, seed):
    rng = np.random.default_rng(seed)
    # values on an öre grid, as real payment data are
    return level + np.round(rng.normal(0, spread, n) * 100) / 100


# ------------------------------------------------------------------------ estimators
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("spread", SPREADS)
def test_follow_up_and_benchmark_large_levels(level, spread):
    y = sample(level, spread * 50, 25, 1)
    df = pd.DataFrame({"y": y})
    se = sqrt_exact(var_exact(y) / len(y))
    r = ie.follow_up(df, outcome="y", ci="analytic")
    np.testing.assert_allclose(r.estimate, float(mean_exact(y)), rtol=1e-15, atol=0)
    np.testing.assert_allclose(r.std_error, se, rtol=SE_RTOL, atol=0)
    b = ie.benchmark(df, outcome="y", reference=level, ci="analytic")
    close_est(b.estimate, float(mean_exact(y) - Fraction(level)), se)
    np.testing.assert_allclose(b.std_error, se, rtol=SE_RTOL, atol=0)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("spread", SPREADS)
def test_before_after_large_levels(level, spread):
    n = 20
    y0 = sample(level, spread * 50, n, 2)
    y1 = y0 + np.round(np.random.default_rng(3).normal(-2 * spread, spread, n) * 100) / 100
    df = pd.DataFrame({"id": np.repeat(np.arange(n), 2), "t": np.tile([0, 1], n),
                       "y": np.column_stack([y0, y1]).ravel()})
    d = [a - b for a, b in zip(F(y1), F(y0), strict=True)]
    r = ie.before_after(df, outcome="y", unit="id", period="t", pre=0, post=1, ci="analytic")
    se = sqrt_exact(var_exact([float(v) for v in d]) / n)
    close_est(r.estimate, float(sum(d, Fraction(0)) / n), se)
    np.testing.assert_allclose(r.std_error, se, rtol=SE_RTOL, atol=0)
    rel = ie.before_after(df, outcome="y", unit="id", period="t", pre=0, post=1,
                          scale="relative", ci="analytic")
    m1, m0 = mean_exact(y1), mean_exact(y0)
    se_rel = ratio_se_exact(y1, y0)
    close_est(rel.estimate, float(100 * (m1 / m0 - 1)), se_rel)
    np.testing.assert_allclose(rel.std_error, se_rel, rtol=1e-6, atol=0)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("spread", SPREADS)
def test_difference_and_did_large_levels(level, spread):
    yt = sample(level, spread * 30, 15, 4)
    yc = sample(level, spread * 30, 22, 5)
    df = pd.DataFrame({"g": [1] * 15 + [0] * 22, "y": np.concatenate([yt, yc])})
    r = ie.difference(df, outcome="y", group="g", ci="analytic")
    se = welch_se_exact(yt, yc)
    close_est(r.estimate, float(mean_exact(yt) - mean_exact(yc)), se)
    np.testing.assert_allclose(r.std_error, se, rtol=SE_RTOL, atol=0)
    # 2x2 DiD = Welch on unit changes
    y0 = np.concatenate([yt, yc])
    y1 = y0 + np.round(np.random.default_rng(6).normal(0, spread, 37) * 100) / 100
    long = pd.DataFrame({"id": np.repeat(np.arange(37), 2), "g": np.repeat(df.g, 2),
                         "t": np.tile([0, 1], 37), "y": np.column_stack([y0, y1]).ravel()})
    dd = ie.did(long, outcome="y", unit="id", group="g", period="t", pre=0, post=1,
                ci="analytic")
    ch = np.array([float(a - b) for a, b in zip(F(y1), F(y0), strict=True)])
    se = welch_se_exact(ch[:15], ch[15:])
    close_est(dd.estimate, float(mean_exact(ch[:15]) - mean_exact(ch[15:])), se)
    np.testing.assert_allclose(dd.std_error, se, rtol=SE_RTOL, atol=0)


# ------------------------------------------------------------------- bootstrap plans
@pytest.mark.parametrize("level", [0.0, 1e6] + LEVELS)
@pytest.mark.parametrize("spread", SPREADS)
def test_bootstrap_plan_standard_errors_are_exact(level, spread):
    yt = sample(level, spread, 30, 7)
    yc = sample(level, spread, 40, 8)
    se = welch_se_exact(yt, yc)
    np.testing.assert_allclose(diff_plan(yt, yc).se(), se, rtol=SE_RTOL, atol=0)
    close_est(diff_plan(yt, yc).value(), float(mean_exact(yt) - mean_exact(yc)), se)
    np.testing.assert_allclose(mean_plan(yt).se(), sqrt_exact(var_exact(yt) / 30), rtol=SE_RTOL,
                               atol=0)
    np.testing.assert_allclose(mean_plan(yt).value(), float(mean_exact(yt)), rtol=1e-15, atol=0)
    if level:
        y1 = 0.8 * yt + np.round(np.random.default_rng(9).normal(0, spread, 30) * 100) / 100
        np.testing.assert_allclose(_rel_plan(y1, yt).se(), ratio_se_exact(y1, yt), rtol=1e-6,
                                   atol=0)


def test_var_from_sums_equal_values_give_zero():
    x = np.full(5, 3.7e9) - 3.7e9 + 0.1  # centred values all equal
    v = var_from_sums(np.array([x.sum()]), np.array([(x**2).sum()]), np.array([5.0]))
    assert v[0] == 0.0


@pytest.mark.parametrize("ci", ["studentized", "symmetric", "bca", "percentile"])
@pytest.mark.parametrize("name", ["follow_up", "difference", "before_after"])
def test_bootstrap_intervals_shift_invariant_at_1e9(name, ci):
    """A bootstrap at 10⁹ SEK gives the same interval as at 0, shifted: the sums of
    squares behind the studentized SE lose nothing (they lost everything before
    the plans were centred: at 10⁹ ± 1 the studentized interval was 0.27 SE wide)."""
    rng = np.random.default_rng(10)
    n = 30
    y0 = np.round(rng.normal(0, 1, 2 * n) * 100) / 100
    y1 = y0 + np.round(rng.normal(0.3, 1, 2 * n) * 100) / 100
    g = np.array([1] * n + [0] * n)

    def fit(shift):
        if name == "follow_up":
            return ie.follow_up(pd.DataFrame({"y": y0[:n] + shift}), outcome="y", ci=ci, seed=4,
                                n_boot=999)
        if name == "difference":
            return ie.difference(pd.DataFrame({"g": g, "y": y0 + shift}), outcome="y", group="g",
                                 ci=ci, seed=4, n_boot=999)
        df = pd.DataFrame({"id": np.repeat(np.arange(n), 2), "t": np.tile([0, 1], n),
                           "y": np.column_stack([y0[:n] + shift, y1[:n] + shift]).ravel()})
        return ie.before_after(df, outcome="y", unit="id", period="t", pre=0, post=1, ci=ci,
                               seed=4, n_boot=999)

    a, b = fit(0.0), fit(1e9)
    lvl = 1e9 if name == "follow_up" else 0.0
    width = a.conf_high - a.conf_low
    assert width > 2 * a.std_error  # a real interval, not a collapsed one
    # draws at 10⁹ carry 10⁹·eps ≈ 1e-7 rounding. BCa counts the draws below the
    # estimate; resampled means on an öre grid tie with it exactly at 0 but not at
    # 10⁹ after rounding, which moves its bias correction slightly (1e-3 of the width)
    tol = 2e-3 if ci == "bca" else 1e-5
    np.testing.assert_allclose([b.conf_low - lvl, b.conf_high - lvl], [a.conf_low, a.conf_high],
                               rtol=0, atol=tol * width)


def test_near_constant_outcome_is_not_called_constant():
    """One öre of spread at 10⁹ is variation, not a constant column."""
    y = np.full(12, 2.5e9)
    y[3] += 0.01
    y[8] -= 0.01
    df = pd.DataFrame({"g": [1] * 6 + [0] * 6, "y": y})
    r = ie.difference(df, outcome="y", group="g", ci="analytic")
    np.testing.assert_allclose(r.std_error, welch_se_exact(y[:6], y[6:]), rtol=1e-6, atol=0)
    assert math.isfinite(r.conf_low) and r.conf_low < r.estimate < r.conf_high
