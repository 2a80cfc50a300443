"""Data too thin for an honest interval (issue #14 point 3): fewer than 3 non-zero values in
a group. With the default ``ci="auto"`` the interval and p-value are withheld (NaN) and a
note says why; an interval asked for by name is still given; the ladder's text and the
report print the estimate without an interval, and precision is rated 0."""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval.report import evaluation_html


def _thin(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    yt = np.zeros(20)
    yt[:2] = [5000.0, 12000.0]  # 2 of 20 participants with a cost
    yc = np.where(rng.random(200) < 0.3, rng.lognormal(8, 1, 200), 0.0)
    return pd.DataFrame({"g": [1] * 20 + [0] * 200, "y": np.r_[yt, yc]})


def test_difference_withholds_the_default_interval():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = ie.difference(_thin(), outcome="y", group="g", seed=1)
    assert math.isnan(r.conf_low) and math.isnan(r.conf_high) and math.isnan(r.p_value)
    assert r.diagnostics["interval_withheld"] == "thin_data"
    assert any("too thin" in n for n in r.notes)
    df = _thin()
    assert r.estimate == pytest.approx(df.y[df.g == 1].mean() - df.y[df.g == 0].mean(),
                                       rel=1e-12)


def test_an_interval_asked_for_by_name_is_given_with_the_note():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = ie.difference(_thin(), outcome="y", group="g", ci="analytic")
    assert math.isfinite(r.conf_low) and math.isfinite(r.conf_high)
    assert r.diagnostics["coverage_regime"]["code"] == "thin_data"
    assert "interval_withheld" not in r.diagnostics


def test_follow_up_of_two_nonzero_values_has_no_interval():
    y = np.zeros(15)
    y[[2, 9]] = [300.0, 4100.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = ie.follow_up(pd.DataFrame({"y": y}), outcome="y")
    assert math.isnan(r.conf_low) and r.diagnostics["interval_withheld"] == "thin_data"
    assert r.estimate == pytest.approx(4400.0 / 15, rel=1e-12)


@pytest.mark.parametrize("lang,phrase", [("en", "No interval is given"),
                                         ("sv", "Inget konfidensintervall anges")])
def test_the_ladder_says_no_interval_and_rates_precision_zero(lang, phrase):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(_thin(), outcome="y", group="g", treated=1, seed=1)
    assert ev.design == "comparison"
    assert ev.ratings["precision"] == 0
    text = ev.explain(lang)
    assert phrase in text
    assert not re.search(r"\bnan\b", text.lower())
    page = evaluation_html(ev, lang=lang)
    assert ">nan<" not in page.lower() and "[nan" not in page.lower()


def test_relative_difference_of_a_cost_stays_above_minus_100_percent():
    """A ratio of non-negative means: the interval is made for log(ratio) and transformed
    back (Welch–Satterthwaite df on the log scale), so it never leaves (−100 %, ∞)."""
    from scipy import stats

    rng = np.random.default_rng(0)
    yt = np.where(rng.random(12) < 0.6, rng.lognormal(6, 1.5, 12), 0.0)
    yc = np.where(rng.random(30) < 0.5, rng.lognormal(8, 1.5, 30), 0.0)
    df = pd.DataFrame({"g": [1] * 12 + [0] * 30, "y": np.r_[yt, yc]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = ie.difference(df, outcome="y", group="g", scale="relative", seed=1, n_boot=999)
    assert -100 < r.conf_low < r.estimate < r.conf_high
    # by hand: the delta method on log(mt/mc)
    mt, mc = yt.mean(), yc.mean()
    a, b = yt.var(ddof=1) / 12 / mt**2, yc.var(ddof=1) / 30 / mc**2
    dfree = (a + b) ** 2 / (a**2 / 11 + b**2 / 29)
    q = stats.t.ppf(0.975, dfree)
    lo, hi = (100 * np.expm1(np.log(mt / mc) + s * q * np.sqrt(a + b)) for s in (-1, 1))
    assert r.conf_low == pytest.approx(lo, rel=1e-10)
    assert r.conf_high == pytest.approx(hi, rel=1e-10)
    assert r.estimate == pytest.approx(100 * (mt / mc - 1), rel=1e-12)
