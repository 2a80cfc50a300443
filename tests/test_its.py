"""Interrupted time series: segmented regression, AR(1)-REML and HAC errors, coverage.

Oracles: statsmodels formula OLS with HAC errors on a design built independently (patsy
month dummies), GLS with the dense AR(1) covariance matrix and a brute-force REML
criterion from that matrix, the comparative ITS refitted on a hand-made difference series,
and a small seeded coverage simulation (the long one is ``benchmarks/coverage_its.py``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from _bench import load  # benchmarks/ by path (not on sys.path)
from scipy import optimize

import impacteval as ie
from impacteval.errors import ArgumentError, DataError, InsufficientDataError

simulate, truth = load("coverage_its").simulate, load("coverage_its").truth

PRE, POST = list(range(1, 37)), list(range(37, 61))
MONTHS = [f"{2018 + k // 12}-{k % 12 + 1:02d}" for k in range(60)]
TPRE, TPOST = MONTHS[:36], MONTHS[36:]


@pytest.fixture(scope="module")
def teach():
    return ie.datasets.load_teaching("interrupted_time_series")


def formula_frame(df):
    d = df.copy()
    d["time"] = np.arange(len(d), dtype=float)
    d["calendar_month"] = d["month"].astype(str).str[5:].astype(int)
    d["post"] = (d["time"] >= 36).astype(float)
    d["since"] = d["post"] * (d["time"] - 36)
    return d


def test_hac_matches_statsmodels_formula(teach):
    r = ie.its(teach, outcome="care_cost_ksek", period="month", pre=TPRE, post=TPOST,
               errors="hac")
    d = formula_frame(teach)
    lags = math.floor(4 * (60 / 100) ** (2 / 9))
    fit = smf.ols("care_cost_ksek ~ time + post + since + C(calendar_month)", d).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True)
    c = pd.Series(0.0, index=fit.params.index)
    c["post"], c["since"] = 1.0, np.mean(np.arange(24))
    np.testing.assert_allclose(r.estimate, c @ fit.params, rtol=1e-10)
    np.testing.assert_allclose(r.std_error, math.sqrt(c @ fit.cov_params() @ c), rtol=1e-10)
    np.testing.assert_allclose(r.diagnostics["level_change"], fit.params["post"], rtol=1e-10)
    assert r.inference["method"].startswith("OLS with Newey–West HAC")


def dense_ar1(n, rho):
    idx = np.arange(n)
    return rho ** np.abs(idx[:, None] - idx[None, :]) / (1 - rho**2)


def test_ar1_reml_and_gls_match_dense_matrices(teach):
    r = ie.its(teach, outcome="care_cost_ksek", period="month", pre=TPRE, post=TPOST)
    assert r.diagnostics["seasonality"] == "month dummies"
    d = formula_frame(teach)
    x = np.asarray(pd.get_dummies(d["calendar_month"], drop_first=True, dtype=float))
    x = np.column_stack([np.ones(60), d["time"], d["post"], d["since"], x])
    y = d["care_cost_ksek"].to_numpy()
    n, k = x.shape

    def reml(rho):  # -2 x restricted log-likelihood with sigma² profiled out, dense algebra
        s = dense_ar1(n, rho)
        si = np.linalg.inv(s)
        xs = x.T @ si @ x
        b = np.linalg.solve(xs, x.T @ si @ y)
        e = y - x @ b
        s2 = e @ si @ e / (n - k)
        return (n - k) * np.log(s2) + np.linalg.slogdet(s)[1] + np.linalg.slogdet(xs)[1]

    rho = optimize.minimize_scalar(reml, bounds=(-0.98, 0.98), method="bounded",
                                   options={"xatol": 1e-8}).x
    np.testing.assert_allclose(r.diagnostics["ar1_rho"], rho, atol=1e-4)
    gls = sm.GLS(y, x, sigma=dense_ar1(n, r.diagnostics["ar1_rho"])).fit()
    c = np.zeros(k)
    c[2], c[3] = 1.0, np.mean(np.arange(24))
    np.testing.assert_allclose(r.estimate, c @ gls.params, rtol=1e-8)
    # statsmodels' GLS scale uses n - k; ours n - k - 1 (rho estimated as well)
    se = math.sqrt(c @ gls.cov_params() @ c * (n - k) / (n - k - 1))
    np.testing.assert_allclose(r.std_error, se, rtol=1e-8)
    assert r.df == n - k - 1
    assert r.conf_low < -83 < r.conf_high  # the synthetic truth of the teaching set


def test_coverage_small_seeded_simulation():
    """AR(1) rho = 0.5, 36 + 24 months with seasonality: the 95 % interval covers >= 90 %
    in the 1,000-replicate benchmark (0.924); 150 replicates here, bound 0.86 (MC SE 0.022)."""
    rng = np.random.default_rng(20261128)
    hits = 0
    reps = 150
    for _ in range(reps):
        df = simulate(rng, 36, 24)
        r = ie.its(df, outcome="y", period="month", pre=PRE, post=POST, season_length=12)
        hits += r.conf_low <= truth(24) <= r.conf_high
    assert hits / reps >= 0.86


def test_comparative_its_is_its_of_the_difference_series():
    rng = np.random.default_rng(3)
    a, b = simulate(rng, 30, 18), simulate(rng, 30, 18)
    both = pd.concat([a.assign(g="project"), b.assign(g="others", y=b["y"] - 2.0)])
    r = ie.its(both, outcome="y", period="month", group="g", treated="project",
               pre=list(range(1, 31)), post=list(range(31, 49)), season_length=12)
    diff = a.assign(y=a["y"].to_numpy() - (b["y"].to_numpy() - 2.0))
    r2 = ie.its(diff, outcome="y", period="month", pre=list(range(1, 31)),
                post=list(range(31, 49)), season_length=12)
    np.testing.assert_allclose([r.estimate, r.std_error], [r2.estimate, r2.std_error],
                               rtol=1e-10)
    assert r.diagnostics["comparative"] is True and r.n_control == 1


def test_unit_means_and_monthly_dates_give_month_dummies():
    rng = np.random.default_rng(4)
    s = simulate(rng, 30, 12)
    dates = pd.date_range("2019-01-01", periods=42, freq="MS")
    long = pd.concat([s.assign(id=i, y=s["y"] + rng.normal(0, 0.1, 42)) for i in range(3)])
    long["date"] = np.tile(dates, 3)
    r = ie.its(long, outcome="y", period="date", unit="id", pre=list(dates[:30]),
               post=list(dates[30:]))
    assert r.diagnostics["seasonality"] == "month dummies"
    assert r.diagnostics["n_units_treated"] == 3
    means = long.groupby("date")["y"].mean().reset_index()
    r2 = ie.its(means, outcome="y", period="date", pre=list(dates[:30]), post=list(dates[30:]))
    np.testing.assert_allclose(r.estimate, r2.estimate, rtol=1e-10)
    none = ie.its(s, outcome="y", period="month", pre=list(range(1, 31)),
                  post=list(range(31, 43)))
    assert none.diagnostics["seasonality"] == "none"


def test_bad_input(teach):
    with pytest.raises(DataError, match="one series has one row per period"):
        ie.its(pd.concat([teach, teach]), outcome="care_cost_ksek", period="month", pre=TPRE,
               post=TPOST)
    with pytest.raises(InsufficientDataError, match="at least 3 periods before"):
        ie.its(teach, outcome="care_cost_ksek", period="month", pre=MONTHS[:2],
               post=MONTHS[2:4])
    with pytest.raises(ArgumentError, match="before every post"):
        ie.its(teach, outcome="care_cost_ksek", period="month",
               pre=MONTHS[:3] + MONTHS[8:9], post=MONTHS[3:5])
    with pytest.raises(ArgumentError, match="errors="):
        ie.its(teach, outcome="care_cost_ksek", period="month", pre=TPRE, post=TPOST,
               errors="robust")
    with pytest.raises(ie.errors.MissingColumnError):
        ie.its(teach, outcome="cost", period="month", pre=TPRE, post=TPOST)


def test_plot_and_serialisation(teach):
    r = ie.its(teach, outcome="care_cost_ksek", period="month", pre=TPRE, post=TPOST)
    before = teach.copy()
    for lang in ("en", "sv"):
        r.plot(lang=lang)
    import matplotlib.pyplot as plt

    plt.close("all")
    pd.testing.assert_frame_equal(teach, before)
    d = r.to_dict()
    assert d["design"] == "interrupted_time_series" and d["diagnostics"]["ar1_rho"] is not None
    assert "REML" in r.summary()
