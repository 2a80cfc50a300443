"""Tests of impacteval.economics.

References: present values and repayment rules by plain hand computation in
the test; pooling against statsmodels' combine_effects; intervals and
probabilities against scipy's t and normal distributions; bootstrap-based
probabilities against the known sampling distribution within Monte Carlo error.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects

import impacteval.economics as ie_econ
from impacteval.economics import (
    QALY_VALUES_SEK,
    BenefitCost,
    Capped,
    Conditional,
    Unconditional,
    benefit_cost,
    compare_repayment,
    cost_effectiveness,
    pool,
    present_value,
    probability_pays_back,
    qaly_value,
    repayment,
)
from impacteval.errors import ArgumentError
from impacteval.results import Estimate, EstimateCollection

ROOT = Path(__file__).resolve().parents[1]


def make_estimate(est=1.0, se=0.5, df=None, draws=None, n_treated=30, scale="absolute",
                  inference=None, outcome="y", estimand="ATT", comparison=None):
    return Estimate(
        estimate=est, std_error=se, conf_low=est - 2 * se, conf_high=est + 2 * se, df=df,
        n_treated=n_treated, n_control=40, design="did", estimand=estimand, outcome=outcome,
        scale=scale, draws=draws, inference=inference or {}, comparison=comparison,
    )


# ------------------------------------------------------------ present value
FLOWS = [100.0, 250.5, -30.0, 1000.0, 12.25]


@pytest.mark.parametrize("rate", [0.035, 0.0, 0.1, -0.02])
def test_present_value_end_matches_hand(rate):
    hand = 0.0
    for i, f in enumerate(FLOWS):
        hand += f / (1 + rate) ** (i + 1)
    assert_allclose(present_value(FLOWS, rate=rate, timing="end"), hand, rtol=1e-10, atol=0)


@pytest.mark.parametrize("rate", [0.035, 0.0, 0.1, -0.02])
def test_present_value_start_matches_hand(rate):
    hand = 0.0
    for i, f in enumerate(FLOWS):
        hand += f / (1 + rate) ** i
    assert_allclose(present_value(FLOWS, rate=rate, timing="start"), hand, rtol=1e-10, atol=0)


def test_present_value_default_is_end_at_3_5_percent():
    hand = sum(f * 1.035 ** -(i + 1) for i, f in enumerate(FLOWS))
    assert_allclose(present_value(FLOWS), hand, rtol=1e-10, atol=0)
    assert isinstance(present_value(FLOWS), float)


def test_present_value_per_draw_rows():
    rng = np.random.default_rng(3)
    flows = rng.normal(1e6, 3e5, size=(200, 6))
    before = flows.copy()
    pv = present_value(flows, rate=0.04, timing="end")
    assert pv.shape == (200,)
    for j in (0, 57, 199):
        hand = sum(flows[j, i] / 1.04 ** (i + 1) for i in range(6))
        assert_allclose(pv[j], hand, rtol=1e-10, atol=0)
    pv_s = present_value(flows, rate=0.04, timing="start")
    assert_allclose(pv_s, pv * 1.04, rtol=1e-10, atol=0)
    assert np.array_equal(flows, before)  # input untouched


def test_present_value_scalar_and_horizon():
    r = 0.035
    assert_allclose(present_value(1000.0, rate=r), 1000.0 / 1.035, rtol=1e-12, atol=0)
    assert_allclose(present_value(1000.0, rate=r, timing="start"), 1000.0, rtol=1e-12, atol=0)
    # a constant flow for h years: the annuity formula
    h = 7
    annuity = 1000.0 * (1 - (1 + r) ** -h) / r
    assert_allclose(present_value(1000.0, rate=r, horizon=h), annuity, rtol=1e-10, atol=0)
    assert_allclose(present_value(1000.0, rate=r, horizon=h, timing="start"),
                    annuity * (1 + r), rtol=1e-10, atol=0)
    # horizon truncates an array
    hand = sum(f / 1.035 ** (i + 1) for i, f in enumerate(FLOWS[:3]))
    assert_allclose(present_value(FLOWS, rate=r, horizon=3), hand, rtol=1e-10, atol=0)
    assert_allclose(present_value(FLOWS, rate=0.0), sum(FLOWS), rtol=1e-12, atol=0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"flows": FLOWS, "rate": -1.0}, "greater than -1"),
        ({"flows": FLOWS, "rate": -1.5}, "greater than -1"),
        ({"flows": FLOWS, "rate": float("nan")}, "finite"),
        ({"flows": FLOWS, "rate": "3.5%"}, "must be a number"),
        ({"flows": []}, "empty"),
        ({"flows": np.empty((3, 0))}, "empty"),
        ({"flows": [1.0, np.nan]}, "missing or infinite"),
        ({"flows": np.ones((2, 2, 2))}, "3 dimensions"),
        ({"flows": "1000"}, "must be numbers"),
        ({"flows": ["a", "b"]}, "numeric"),
        ({"flows": FLOWS, "timing": "middle"}, "'timing'"),
        ({"flows": FLOWS, "horizon": 0}, "at least 1"),
        ({"flows": FLOWS, "horizon": 2.5}, "whole number"),
        ({"flows": FLOWS, "horizon": 9}, "only 5 year"),
    ],
)
def test_present_value_bad_input(kwargs, match):
    with pytest.raises(ArgumentError, match=match):
        present_value(**kwargs)


# ------------------------------------------------------------------ pooling
Y_HET = np.array([-1.2, -0.3, -2.0, -0.9, 0.4, -1.6])
SE_HET = np.array([0.3, 0.4, 0.35, 0.5, 0.45, 0.3])


def _estimates(y, se, **kw):
    return [make_estimate(est=float(a), se=float(b), n_treated=20 + i, **kw)
            for i, (a, b) in enumerate(zip(y, se, strict=True))]


@pytest.mark.parametrize("conf_level", [0.95, 0.90])
def test_pool_matches_statsmodels_heterogeneous(conf_level):
    res = combine_effects(Y_HET, SE_HET**2, method_re="dl", alpha=1 - conf_level)
    assert res.q > len(Y_HET) - 1  # heterogeneous: truncation does not bite
    ci_fe, ci_re = res.conf_int(alpha=1 - conf_level, use_t=False)[:2]
    fe = pool(_estimates(Y_HET, SE_HET), "fixed", conf_level=conf_level)
    re = pool(_estimates(Y_HET, SE_HET), "random", conf_level=conf_level)
    assert_allclose(fe.estimate, res.mean_effect_fe, rtol=1e-8, atol=1e-12)
    assert_allclose(fe.std_error, res.sd_eff_w_fe, rtol=1e-8, atol=1e-12)
    assert_allclose([fe.conf_low, fe.conf_high], ci_fe, rtol=1e-8, atol=1e-12)
    assert_allclose(re.estimate, res.mean_effect_re, rtol=1e-8, atol=1e-12)
    assert_allclose(re.std_error, res.sd_eff_w_re, rtol=1e-8, atol=1e-12)
    assert_allclose([re.conf_low, re.conf_high], ci_re, rtol=1e-8, atol=1e-12)
    for p in (fe, re):
        assert_allclose(p.diagnostics["q"], res.q, rtol=1e-8, atol=1e-12)
        assert_allclose(p.diagnostics["tau2"], res.tau2, rtol=1e-8, atol=1e-12)
        assert_allclose(p.diagnostics["i2"], res.i2, rtol=1e-8, atol=1e-12)
        assert p.diagnostics["q_df"] == len(Y_HET) - 1
        assert_allclose(p.diagnostics["q_p_value"], stats.chi2.sf(res.q, len(Y_HET) - 1),
                        rtol=1e-10, atol=0)
        assert_allclose(p.p_value, 2 * stats.norm.sf(abs(p.estimate / p.std_error)),
                        rtol=1e-10, atol=0)
        assert p.design == "pooled"
        assert p.n_treated == sum(20 + i for i in range(len(Y_HET)))
        assert p.conf_level == conf_level
    # random effects widen the interval when tau2 > 0
    assert re.std_error > fe.std_error
    assert_allclose(re.tables["studies"]["weight"].sum(), 1.0, rtol=1e-12, atol=0)


@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt:RuntimeWarning")
def test_pool_homogeneous_truncates_tau2_at_zero():
    y = np.array([1.00, 1.05, 0.98, 1.02])
    se = np.array([0.2, 0.25, 0.3, 0.2])
    res = combine_effects(y, se**2, method_re="dl")
    # statsmodels does not truncate: its DL tau2 and I2 are negative here
    assert res.tau2 < 0 and res.i2 < 0
    fe = pool(_estimates(y, se), "fixed")
    re = pool(_estimates(y, se), "random")
    assert fe.diagnostics["tau2"] == 0.0 and fe.diagnostics["i2"] == 0.0
    assert_allclose(fe.estimate, res.mean_effect_fe, rtol=1e-8, atol=1e-12)
    assert_allclose(fe.std_error, res.sd_eff_w_fe, rtol=1e-8, atol=1e-12)
    # with tau2 = 0 the random-effects result is the fixed-effect one
    assert_allclose(re.estimate, fe.estimate, rtol=1e-12, atol=0)
    assert_allclose(re.std_error, fe.std_error, rtol=1e-12, atol=0)
    # and equals statsmodels' random effects recomputed with tau2 = 0
    w = 1 / se**2
    assert_allclose(re.estimate, np.sum(w * y) / np.sum(w), rtol=1e-12, atol=0)


def test_pool_accepts_collection_and_notes_differences():
    ests = _estimates(Y_HET[:3], SE_HET[:3])
    ests[1] = make_estimate(est=float(Y_HET[1]), se=float(SE_HET[1]), outcome="y2",
                            n_treated=21)
    p = pool(EstimateCollection(ests), "random")
    assert "y2" in p.outcome
    assert any("differently named outcomes" in n for n in p.notes)
    assert any("only 3 estimates" in n for n in p.notes)
    json.dumps(p.to_dict())
    assert "pooled" in p.summary()


@pytest.mark.parametrize(
    "case, match",
    [
        ("nan_se", "no finite, positive std_error"),
        ("zero_se", "no finite, positive std_error"),
        ("one", "at least 2"),
        ("empty", "at least 2"),
        ("mixed_scale", "different scales"),
        ("not_estimate", "not an impacteval Estimate"),
        ("bare", "list of Estimates"),
        ("method", "'fixed' or 'random'"),
        ("level", "conf_level"),
    ],
)
def test_pool_bad_input(case, match):
    ests = _estimates(Y_HET[:3], SE_HET[:3])
    kw = {}
    if case == "nan_se":
        ests[1] = make_estimate(est=1.0, se=float("nan"))
    elif case == "zero_se":
        ests[2] = make_estimate(est=1.0, se=0.0)
    elif case == "one":
        ests = ests[:1]
    elif case == "empty":
        ests = []
    elif case == "mixed_scale":
        ests[0] = make_estimate(est=-20.0, se=5.0, scale="relative")
    elif case == "not_estimate":
        ests[0] = 1.5
    elif case == "bare":
        ests = ests[0]
    elif case == "method":
        kw["method"] = "dl"
    elif case == "level":
        kw["conf_level"] = 95
    with pytest.raises(ArgumentError, match=match):
        pool(ests, **kw)


# ---------------------------------------------------------------- repayment
GRANT = 4e6
# the worked example: half the draws save nothing, half save 16 MSEK
SAVINGS = np.r_[np.zeros(500), np.full(500, 16e6)]


def test_worked_example_expected_saving():
    for rule in (Unconditional(), Conditional()):
        assert_allclose(repayment(SAVINGS, GRANT, rule).expected_savings, 8e6, rtol=1e-12, atol=0)


def test_worked_example_unconditional():
    r = repayment(SAVINGS, GRANT, Unconditional())
    assert_allclose(r.expected_repayment, 4e6, rtol=1e-12, atol=0)
    assert_allclose(r.expected_loss_unit, 2e6, rtol=1e-12, atol=0)
    assert_allclose(r.expected_loss_fund, 0.0, rtol=0, atol=1e-6)
    assert r.p_full_repayment == 1.0
    assert_allclose(r.expected_net_unit, 4e6, rtol=1e-12, atol=0)


def test_worked_example_conditional():
    r = repayment(SAVINGS, GRANT, Conditional())
    assert_allclose(r.expected_repayment, 2e6, rtol=1e-12, atol=0)
    assert_allclose(r.expected_loss_unit, 0.0, rtol=0, atol=1e-6)
    assert_allclose(r.expected_loss_fund, 2e6, rtol=1e-12, atol=0)
    assert r.p_full_repayment == 0.5


def test_worked_example_two_scenarios_give_the_same():
    # two equally likely scenarios are the same as 1000 draws
    r = repayment([0.0, 16e6], GRANT, Conditional())
    assert_allclose(r.expected_loss_fund, 2e6, rtol=1e-12, atol=0)


def test_capped_uses_the_window_and_share():
    # success: 2 MSEK a year for 8 years; failure: nothing
    yearly = np.vstack([np.zeros((500, 8)), np.full((500, 8), 2e6)])
    hand = {
        (5, 1.0): min(1.0 * 5 * 2e6, GRANT),
        (1, 1.0): min(1.0 * 1 * 2e6, GRANT),
        (2, 0.5): min(0.5 * 2 * 2e6, GRANT),
        (3, 0.25): min(0.25 * 3 * 2e6, GRANT),
    }
    for (w, s), rep_success in hand.items():
        r = repayment(yearly, GRANT, Capped(window=w, share=s))
        assert_allclose(r.expected_repayment, 0.5 * rep_success, rtol=1e-12, atol=0)
        assert_allclose(r.expected_loss_fund, GRANT - 0.5 * rep_success, rtol=1e-12, atol=0)
        assert_allclose(r.expected_loss_unit, 0.0, rtol=0, atol=1e-6)
        assert_allclose(r.expected_savings, 8e6, rtol=1e-12, atol=0)
        assert r.p_full_repayment == (0.5 if rep_success >= GRANT else 0.0)


def test_capped_matches_plain_loop_with_negative_years():
    rng = np.random.default_rng(11)
    yearly = rng.normal(5e5, 8e5, size=(300, 7))
    rule = Capped(window=4, share=0.6)
    r = repayment(yearly, GRANT, rule)
    reps, loss_unit = [], []
    for row in yearly:
        window_sum = 0.0
        for t in range(4):
            window_sum += row[t]
        rep = min(max(0.6 * window_sum, 0.0), GRANT)
        reps.append(rep)
        loss_unit.append(max(rep - sum(row), 0.0))
    assert_allclose(r.repayments, reps, rtol=1e-12, atol=1e-6)
    assert_allclose(r.expected_repayment, np.mean(reps), rtol=1e-12, atol=0)
    assert_allclose(r.expected_loss_unit, np.mean(loss_unit), rtol=1e-12, atol=1e-9)
    assert_allclose(r.expected_loss_fund, GRANT - np.mean(reps), rtol=1e-12, atol=0)
    assert any("negative savings" in n for n in r.notes)
    with pytest.raises(ValueError):
        r.repayments[0] = 1.0  # read-only


def test_capped_wide_window_equals_conditional():
    rng = np.random.default_rng(5)
    yearly = rng.normal(1e6, 1e6, size=(100, 5))
    cap = repayment(yearly, GRANT, Capped(window=5, share=1.0))
    cond = repayment(yearly, GRANT, Conditional())
    assert_allclose(cap.repayments, cond.repayments, rtol=1e-12, atol=0)
    short = repayment(yearly, GRANT, Capped(window=9))
    assert any("fewer than the 9-year window" in n for n in short.notes)


def test_compare_repayment_and_output():
    yearly = np.vstack([np.zeros((1, 8)), np.full((1, 8), 2e6)])
    tab = compare_repayment(yearly, GRANT)
    assert list(tab["rule"]) == ["Unconditional()", "Conditional()",
                                 "Capped(window=5, share=1.0)"]
    assert_allclose(tab["expected_loss_fund"], [0.0, 2e6, 2e6], rtol=1e-12, atol=1e-6)
    r = repayment(yearly, GRANT, Capped())
    text = r.summary()
    for part in ("Capped", "Expected loss, fund", "Expected loss, unit", "P(grant repaid"):
        assert part in text
    d = json.loads(json.dumps(r.to_dict()))
    assert d["rule_name"] == "Capped" and d["n_years"] == 8


@pytest.mark.parametrize(
    "args, match",
    [
        ((SAVINGS, -4e6, Conditional()), "'grant'.*positive"),
        ((SAVINGS, 0.0, Conditional()), "'grant'.*positive"),
        ((SAVINGS, float("nan"), Conditional()), "finite"),
        ((SAVINGS, GRANT, Capped()), "2-D array of draws × years"),
        ((5e6, GRANT, Capped()), "2-D array"),
        ((SAVINGS, GRANT, "conditional"), "must be Unconditional"),
        (([1.0, np.nan], GRANT, Conditional()), "missing or infinite"),
        (([], GRANT, Conditional()), "empty"),
    ],
)
def test_repayment_bad_input(args, match):
    with pytest.raises(ArgumentError, match=match):
        repayment(*args)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"window": 0}, "window"), ({"window": 2.5}, "window"), ({"share": 1.5}, "share"),
     ({"share": 0.0}, "share"), ({"share": "half"}, "share")],
)
def test_capped_bad_parameters(kwargs, match):
    with pytest.raises(ArgumentError, match=match):
        Capped(**kwargs)


# --------------------------------------------------------------------- QALY
def test_qaly_skolfam_range():
    q = qaly_value(0.16, QALY_VALUES_SEK)
    assert_allclose([q.low, q.high], [80_000.0, 208_000.0], rtol=1e-12, atol=0)
    assert_allclose(qaly_value(0.16, 500_000).values, [80_000.0], rtol=1e-12, atol=0)
    q3 = qaly_value(0.16, [1_300_000, 500_000, 1_000_000])
    assert_allclose(q3.values, [208_000.0, 80_000.0, 160_000.0], rtol=1e-12, atol=0)
    assert q3.low == min(q3.values) and q3.high == max(q3.values)
    assert "80 000 kr" in q.summary() and "208 000 kr" in q.summary()
    assert list(q3.tidy().columns) == ["value_per_qaly", "value"]


def test_qaly_from_estimate_carries_interval():
    e = Estimate(estimate=0.16, std_error=0.05, conf_low=0.06, conf_high=0.26, n_treated=30,
                 design="did", estimand="ATT", outcome="qaly")
    q = qaly_value(e, QALY_VALUES_SEK)
    assert_allclose(q.values_low, [0.06 * 5e5, 0.06 * 1.3e6], rtol=1e-12, atol=0)
    assert_allclose(q.values_high, [0.26 * 5e5, 0.26 * 1.3e6], rtol=1e-12, atol=0)
    json.dumps(q.to_dict())


@pytest.mark.parametrize(
    "args, match",
    [((0.16, -500_000), "positive"), ((0.16, [500_000, 0]), "positive"),
     ((0.16, []), "empty"), (("0.16", 500_000), "must be a number")],
)
def test_qaly_bad_input(args, match):
    with pytest.raises(ArgumentError, match=match):
        qaly_value(*args)


# ------------------------------------------------------- cost-effectiveness
def test_cost_effectiveness_analytic_t():
    e = make_estimate(est=0.20, se=0.05, df=40, n_treated=30)
    ce = cost_effectiveness(e, 4e6, per="total")
    c = 4e6 / 30
    q = stats.t.ppf(0.975, 40)
    lo, hi = 0.20 - q * 0.05, 0.20 + q * 0.05
    assert_allclose(ce.cost_per_participant, c, rtol=1e-12, atol=0)
    assert_allclose([ce.effect_low, ce.effect_high], [lo, hi], rtol=1e-10, atol=0)
    assert_allclose(ce.effect_per_krona, 0.20 / c, rtol=1e-12, atol=0)
    assert_allclose([ce.effect_per_krona_low, ce.effect_per_krona_high], [lo / c, hi / c],
                    rtol=1e-10, atol=0)
    assert_allclose(ce.cost_per_unit, c / 0.20, rtol=1e-12, atol=0)
    assert_allclose([ce.cost_per_unit_low, ce.cost_per_unit_high], [c / hi, c / lo],
                    rtol=1e-10, atol=0)
    assert ce.bounded
    assert_allclose(ce.prob_effect_positive, stats.t.sf(-0.20 / 0.05, 40), rtol=1e-10, atol=0)
    assert "t distribution" in ce.source
    # per participant gives the same with cost already divided
    ce2 = cost_effectiveness(e, c)
    assert_allclose(ce2.cost_per_unit, ce.cost_per_unit, rtol=1e-12, atol=0)


def test_cost_effectiveness_normal_and_conf_level():
    e = make_estimate(est=-500.0, se=100.0, df=None)
    ce = cost_effectiveness(e, 1e4, conf_level=0.90)
    z = stats.norm.ppf(0.95)
    lo, hi = -500 - z * 100, -500 + z * 100
    assert_allclose([ce.effect_low, ce.effect_high], [lo, hi], rtol=1e-10, atol=0)
    # negative effect (e.g. fewer welfare kronor): ratio negative, interval ordered
    assert_allclose([ce.cost_per_unit_low, ce.cost_per_unit_high], [1e4 / hi, 1e4 / lo],
                    rtol=1e-10, atol=0)
    assert ce.cost_per_unit_low < ce.cost_per_unit < ce.cost_per_unit_high < 0


def test_cost_effectiveness_uses_bootstrap_draws():
    draws = np.random.default_rng(2).normal(0.3, 0.05, 20_000)
    e = make_estimate(est=0.3, se=5.0, draws=draws)  # se deliberately wrong
    ce = cost_effectiveness(e, 1000.0)
    lo, hi = np.quantile(draws, [0.025, 0.975])
    assert_allclose([ce.effect_low, ce.effect_high], [lo, hi], rtol=1e-12, atol=0)
    ratio_draws = 1000.0 / draws  # all positive: the ratio's percentiles
    assert_allclose([ce.cost_per_unit_low, ce.cost_per_unit_high],
                    np.quantile(ratio_draws, [0.025, 0.975]), rtol=1e-3, atol=0)
    assert "bootstrap draws (n=20000)" in ce.source
    assert ce.prob_effect_positive == np.mean(draws > 0)
    shifted = cost_effectiveness(make_estimate(est=0.3, se=5.0, draws=draws - 0.3), 1000.0)
    assert_allclose(shifted.prob_effect_positive, np.mean(draws > 0.3), rtol=0, atol=1e-15)


def test_cost_effectiveness_interval_crossing_zero():
    e = make_estimate(est=0.1, se=0.1, df=30)
    ce = cost_effectiveness(e, 1000.0)
    hi = 0.1 + stats.t.ppf(0.975, 30) * 0.1
    assert not ce.bounded
    assert ce.cost_per_unit_high == math.inf
    assert_allclose(ce.cost_per_unit_low, 1000.0 / hi, rtol=1e-10, atol=0)
    assert any("includes zero" in n for n in ce.notes)
    assert "+inf" in ce.summary()
    assert ce.to_dict()["cost_per_unit_high"] is None
    json.dumps(ce.to_dict())
    neg = cost_effectiveness(make_estimate(est=-0.1, se=0.1, df=30), 1000.0)
    assert neg.cost_per_unit_low == -math.inf and not neg.bounded
    assert_allclose(neg.cost_per_unit_high, 1000.0 / (-0.1 - stats.t.ppf(0.975, 30) * 0.1),
                    rtol=1e-10, atol=0)


def test_cost_effectiveness_ignores_permutation_draws():
    null_draws = np.random.default_rng(0).normal(0.0, 0.05, 5000)
    e = make_estimate(est=0.3, se=0.05, df=50, draws=null_draws,
                      inference={"method": "permutation"})
    ce = cost_effectiveness(e, 100.0)
    assert "t distribution" in ce.source
    assert any("permutation" in n for n in ce.notes)
    assert_allclose(ce.effect_low, 0.3 - stats.t.ppf(0.975, 50) * 0.05, rtol=1e-10, atol=0)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((make_estimate(), 0.0), {}, "'cost'.*positive"),
        ((make_estimate(), -5.0), {}, "'cost'.*positive"),
        ((make_estimate(), 5.0), {"per": "year"}, "'participant' or 'total'"),
        ((1.0, 5.0), {}, "must be an impacteval Estimate"),
        ((make_estimate(se=float("nan")), 5.0), {}, "neither bootstrap draws nor"),
        ((make_estimate(), 5.0), {"per": "total", "n_participants": 0}, "at least 1"),
        ((make_estimate(), 5.0), {"n_participants": 30}, "only used to spread a total"),
        ((make_estimate(draws=[1.0, np.nan, 2.0]), 5.0), {}, "missing or infinite"),
    ],
)
def test_cost_effectiveness_bad_input(args, kwargs, match):
    with pytest.raises(ArgumentError, match=match):
        cost_effectiveness(*args, **kwargs)


# ---------------------------------------------------- benefit-cost and P(pays back)
def test_probability_pays_back_uses_real_draws():
    mu, sigma, n = 100.0, 50.0, 200_000
    draws = np.random.default_rng(12345).normal(mu, sigma, n)
    # std_error and df deliberately wrong: only the draws give the right answer
    e = make_estimate(est=mu, se=1000.0, df=3, draws=draws, n_treated=1)
    cost = 150.0
    p = probability_pays_back(e, value_per_unit=1.0, cost=cost, rate=0.0)
    truth = stats.norm.sf((cost - mu) / sigma)  # P(effect > cost)
    mc_se = math.sqrt(truth * (1 - truth) / n)
    assert abs(p - truth) < 4 * mc_se
    analytic = stats.t.sf((cost - mu) / 1000.0, 3)
    assert abs(p - analytic) > 0.1  # the analytic reading would be far off


def test_probability_pays_back_skewed_draws_within_mc_error():
    # a skewed (log-normal) sampling distribution, as with placement costs
    n = 100_000
    draws = np.random.default_rng(7).lognormal(mean=0.0, sigma=0.8, size=n)
    e = make_estimate(est=1.0, se=0.9, draws=draws, n_treated=1)
    p = probability_pays_back(e, value_per_unit=2.0, cost=3.0, rate=0.0)
    truth = stats.lognorm(s=0.8).sf(1.5)
    assert abs(p - truth) < 4 * math.sqrt(truth * (1 - truth) / n)


def test_probability_pays_back_analytic_is_exact():
    e = make_estimate(est=-1500.0, se=500.0, df=20, n_treated=30)
    a = -12 * 30 * sum(1.035 ** -t for t in (1, 2, 3))
    p = probability_pays_back(e, value_per_unit=-12, cost=1e6, horizon=3)
    # a < 0: pays back when effect < cost / a
    assert_allclose(p, stats.t.cdf((1e6 / a + 1500) / 500, 20), rtol=1e-10, atol=0)
    bc = benefit_cost(e, value_per_unit=-12, cost=1e6, horizon=3)
    assert probability_pays_back(bc) == bc.p_pays_back == p


def test_benefit_cost_matches_hand_computation():
    e = make_estimate(est=-1500.0, se=400.0, df=None, n_treated=30)
    prof = [1.0, 0.5, 0.25]
    bc = benefit_cost(e, value_per_unit=-12, cost=9e5, horizon=3, profile=prof,
                      rate=0.03, timing="start")
    pv_b = 0.0
    for t, s in enumerate(prof):
        pv_b += -1500.0 * -12 * 30 * s / 1.03**t
    assert_allclose(bc.pv_benefits, pv_b, rtol=1e-10, atol=0)
    assert_allclose(bc.npv, pv_b - 9e5, rtol=1e-10, atol=0)
    assert_allclose(bc.bcr, pv_b / 9e5, rtol=1e-10, atol=0)
    a = pv_b / -1500.0
    z = stats.norm.ppf(0.975)
    ends = sorted([a * (-1500 - z * 400), a * (-1500 + z * 400)])
    assert_allclose([bc.npv_low, bc.npv_high], [ends[0] - 9e5, ends[1] - 9e5], rtol=1e-10,
                    atol=0)
    assert_allclose([bc.bcr_low, bc.bcr_high], [ends[0] / 9e5, ends[1] / 9e5], rtol=1e-10,
                    atol=0)
    assert bc.npv_draws is None
    text = bc.summary()
    assert "Net present value" in text and "P(pays back" in text
    json.dumps(bc.to_dict())


def test_benefit_cost_draws_interval_and_cost_draws():
    rng = np.random.default_rng(4)
    eff = rng.normal(2.0, 1.0, 5000)
    costs = rng.uniform(50.0, 150.0, 5000)
    e = make_estimate(est=2.0, se=1.0, draws=eff, n_treated=10)
    bc = benefit_cost(e, value_per_unit=5.0, cost=costs, horizon=2, rate=0.0)
    npv_hand = eff * 5.0 * 10 * 2 - costs
    assert_allclose(bc.npv_draws, npv_hand, rtol=1e-12, atol=1e-9)
    assert_allclose([bc.npv_low, bc.npv_high], np.quantile(npv_hand, [0.025, 0.975]),
                    rtol=1e-12, atol=1e-9)
    assert_allclose(bc.p_pays_back, np.mean(npv_hand > 0), rtol=0, atol=1e-15)
    assert_allclose(bc.pv_cost, costs.mean(), rtol=1e-12, atol=0)
    # analytic effect + cost draws: simulated effect draws, reproducible by seed
    e2 = make_estimate(est=2.0, se=1.0, df=None, n_treated=10)
    b1 = benefit_cost(e2, value_per_unit=5.0, cost=costs, horizon=2, rate=0.0, seed=8)
    b2 = benefit_cost(e2, value_per_unit=5.0, cost=costs, horizon=2, rate=0.0, seed=8)
    assert b1.p_pays_back == b2.p_pays_back
    assert any("simulated" in n for n in b1.notes)
    truth = np.mean(stats.norm.sf((costs / 100.0 - 2.0) / 1.0))
    assert abs(b1.p_pays_back - truth) < 4 * math.sqrt(truth * (1 - truth) / 5000)


def test_benefit_cost_plain_draws_need_n_participants():
    draws = np.random.default_rng(1).normal(3.0, 1.0, 1000)
    bc = benefit_cost(draws, value_per_unit=10.0, cost=20.0, n_participants=1, rate=0.0)
    assert_allclose(bc.p_pays_back, np.mean(draws * 10 - 20 > 0), rtol=0, atol=1e-15)
    with pytest.raises(ArgumentError, match="needs n_participants"):
        benefit_cost(draws, value_per_unit=10.0, cost=20.0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"cost": -1.0}, "'cost'.*positive"),
        ({"cost": 0.0}, "'cost'.*positive"),
        ({"value_per_unit": 0.0}, "is 0"),
        ({"horizon": 0}, "at least 1"),
        ({"horizon": 3, "profile": [1.0, 0.5]}, "2 value"),
        ({"rate": -1.0}, "greater than -1"),
        ({"conf_level": 1.5}, "conf_level"),
        ({"cost": np.full(10, 5.0)}, "10 draws but the effect has 200"),
        ({"timing": "mid"}, "'timing'"),
    ],
)
def test_benefit_cost_bad_input(kwargs, match):
    draws = np.random.default_rng(0).normal(1.0, 0.2, 200)
    e = make_estimate(est=1.0, se=0.2, draws=draws)
    args = {"value_per_unit": 1.0, "cost": 10.0} | kwargs
    with pytest.raises(ArgumentError, match=match):
        benefit_cost(e, **args)


def test_results_are_immutable():
    bc = benefit_cost(make_estimate(), value_per_unit=1.0, cost=1.0)
    assert isinstance(bc, BenefitCost)
    with pytest.raises(AttributeError):
        bc.npv = 0.0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        Capped().window = 3  # type: ignore[misc]


# ------------------------------------------------------------------ vignette
def test_vignette_runs_and_prints_the_worked_example():
    env = dict(os.environ, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1")
    out = subprocess.run(
        [sys.executable, str(ROOT / "vignettes" / "repayment.py")],
        capture_output=True, text=True, timeout=120, env=env, cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    for part in ("Unconditional", "Conditional", "Capped", "80 000", "208 000"):
        assert part in out.stdout


# ------------------------------------------------- package layout and result protocol
def test_economics_is_a_package_with_one_module_per_concept():
    import importlib

    import impacteval as ie

    for mod, names in {
        "discounting": ["present_value"],
        "cost_benefit": ["cost_effectiveness", "benefit_cost", "probability_pays_back"],
        "qaly": ["qaly_value", "cost_per_qaly", "QALY_VALUES_SEK"],
        "repayment_rules": ["repayment", "compare_repayment", "Capped"],
        "pooling": ["pool"],
    }.items():
        m = importlib.import_module(f"impacteval.economics.{mod}")
        for name in names:
            assert getattr(ie.economics, name) is getattr(m, name)
    assert not (ROOT / "impacteval" / "economics.py").exists()


def _results():
    e = make_estimate(est=2.0, se=0.5, draws=np.random.default_rng(3).normal(2.0, 0.5, 500))
    return [
        cost_effectiveness(e, 1000.0),
        qaly_value(0.16, QALY_VALUES_SEK),
        repayment([0.0, 16e6], 4e6, Unconditional()),
        benefit_cost(e, outcome_direction="higher_is_better", value_per_unit=100.0, cost=500.0),
        ie_econ.cost_per_qaly(np.random.default_rng(4).normal(1e4, 5e3, 300), 0.1,
                              values_per_qaly=[0.0, 5e5]),
    ]


@pytest.mark.parametrize("k", range(5))
def test_every_economics_result_follows_one_protocol(k):
    import json

    r = _results()[k]
    assert isinstance(r, ie_econ.EconomicsResult)
    text = r.summary()
    assert isinstance(text, str) and text == str(r)
    assert r._repr_html_().startswith("<pre>")
    json.dumps(r.to_dict(), allow_nan=False)
    t = r.tidy()
    assert isinstance(t, pd.DataFrame) and len(t) >= 1
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(r, dataclasses.fields(r)[0].name, 0.0)


# ---------------------------------------------- issue 19: levels, keywords, horizons
def _follow_up_level():
    return Estimate(estimate=0.53, std_error=0.08, conf_low=0.37, conf_high=0.68, n_treated=36,
                    design="follow_up", estimand="mean level (not an effect)", outcome="work")


def test_a_follow_up_level_is_refused_as_an_effect():
    lvl = _follow_up_level()
    with pytest.raises(ArgumentError, match="follow-up level"):
        cost_effectiveness(lvl, 10_000.0)
    with pytest.raises(ArgumentError, match="follow-up level"):
        benefit_cost(lvl, outcome_direction="higher_is_better", cost=1e5)
    with pytest.raises(ArgumentError, match="follow-up level"):
        probability_pays_back(lvl, outcome_direction="higher_is_better", cost=1e5)


def test_a_before_after_effect_gets_a_note():
    e = Estimate(estimate=-1000.0, std_error=300.0, conf_low=-1600.0, conf_high=-400.0,
                 n_treated=30, design="before_after", estimand="mean change", outcome="welfare")
    bc = benefit_cost(e, outcome_direction="lower_is_better", cost=1e4)
    assert any("without a comparison group" in n for n in bc.notes)
    ce = cost_effectiveness(e, 1e4, outcome_direction="lower_is_better")
    assert any("without a comparison group" in n for n in ce.notes)


def test_probability_pays_back_without_keywords_says_what_to_pass():
    with pytest.raises(ArgumentError, match="cost=.*outcome_direction"):
        probability_pays_back(make_estimate())
    with pytest.raises(ArgumentError, match="outcome_direction"):
        probability_pays_back(make_estimate(), cost=100.0)


def test_present_value_refuses_an_absurd_horizon_quickly():
    import time

    t0 = time.perf_counter()
    with pytest.raises(ArgumentError, match=r"max_horizon=1000.*max_horizon=1000000000"):
        present_value(1.0, horizon=10**9)
    assert time.perf_counter() - t0 < 1.0
    hand = sum(1.035 ** -(i + 1) for i in range(2000))
    assert_allclose(present_value(1.0, horizon=2000, max_horizon=2000), hand, rtol=1e-12, atol=0)
    with pytest.raises(ArgumentError, match="max_horizon"):
        present_value(np.ones(1001))


# ------------------------------------------------------------- outcome direction
def test_outcome_direction_lower_is_better_equals_the_old_negative_value():
    e = make_estimate(est=-1500.0, se=500.0, df=40)
    old = benefit_cost(e, value_per_unit=-12, cost=1e6, horizon=3)
    new = benefit_cost(e, value_per_unit=12, outcome_direction="lower_is_better", cost=1e6,
                       horizon=3)
    assert_allclose([new.npv, new.npv_low, new.npv_high, new.p_pays_back],
                    [old.npv, old.npv_low, old.npv_high, old.p_pays_back], rtol=1e-12, atol=0)
    assert new.outcome_direction == "lower_is_better"
    # an outcome in kronor needs no value_per_unit
    kr = benefit_cost(make_estimate(est=-50_000.0, se=20_000.0), cost=1e6,
                      outcome_direction="lower_is_better", rate=0.0)
    assert_allclose(kr.pv_benefits, 50_000.0 * 30, rtol=1e-12, atol=0)


def test_outcome_direction_errors_are_clear():
    e = make_estimate()
    with pytest.raises(ArgumentError, match="cannot tell whether a rise"):
        benefit_cost(e, cost=1e3)
    with pytest.raises(ArgumentError, match="counted twice"):
        benefit_cost(e, cost=1e3, value_per_unit=-1, outcome_direction="lower_is_better")
    with pytest.raises(ArgumentError, match="'lower_is_better'"):
        benefit_cost(e, cost=1e3, outcome_direction="down")
    with pytest.raises(ArgumentError, match="'lower_is_better'"):
        cost_effectiveness(e, 1e3, outcome_direction="less")


def test_cost_effectiveness_per_unit_of_reduction():
    e = make_estimate(est=-2.0, se=0.5, df=30)
    plain = cost_effectiveness(e, 1000.0)
    red = cost_effectiveness(e, 1000.0, outcome_direction="lower_is_better")
    assert_allclose(red.cost_per_unit, -plain.cost_per_unit, rtol=1e-12, atol=0)
    assert_allclose([red.cost_per_unit_low, red.cost_per_unit_high],
                    [-plain.cost_per_unit_high, -plain.cost_per_unit_low], rtol=1e-12, atol=0)
    assert_allclose(red.prob_effect_positive, 1 - plain.prob_effect_positive, rtol=1e-12,
                    atol=0)


# ------------------------------------------------------------------ cost per QALY
def test_cost_per_qaly_matches_the_normal_distribution():
    mu, sd, q = 20_000.0, 15_000.0, 0.16
    c = stats.norm.ppf((np.arange(20_000) + 0.5) / 20_000, loc=mu, scale=sd)
    r = ie_econ.cost_per_qaly(c, q, values_per_qaly=[0.0, 100_000.0, 500_000.0])
    # P(λ q − c > 0) = Φ((λ q − μ) / σ)
    want = stats.norm.cdf((np.array([0.0, 100_000.0, 500_000.0]) * q - mu) / sd)
    assert_allclose(r.p_cost_effective, want, rtol=0, atol=2e-3)
    lo, hi = stats.norm.ppf([0.025, 0.975], loc=mu, scale=sd) / q
    assert_allclose([r.cost_per_qaly_low, r.cost_per_qaly_high], [lo, hi], rtol=1e-3, atol=0)
    assert_allclose(r.p_saves_money, stats.norm.cdf(-mu / sd), rtol=0, atol=2e-3)
    assert r.probability_below(500_000.0) == r.p_cost_effective[2]
    with pytest.raises(ArgumentError, match="not one of the values"):
        r.probability_below(123.0)


def test_cost_per_qaly_without_a_positive_gain_has_no_ratio_interval():
    rng = np.random.default_rng(5)
    r = ie_econ.cost_per_qaly(rng.normal(1e4, 1e3, 400), rng.normal(0.02, 0.05, 400))
    assert np.isnan(r.cost_per_qaly_low) and any("acceptability" in n for n in r.notes)
    with pytest.raises(ArgumentError, match="paired"):
        ie_econ.cost_per_qaly(np.ones(3), np.ones(4))
