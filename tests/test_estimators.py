"""Estimators against independent implementations (scipy, statsmodels,
linearmodels, hand computation)."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from conftest import make_panel
from linearmodels.panel import PanelOLS
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

import impacteval as ie


def test_did_two_period_equals_hand_computed_difference_of_mean_changes(panel):
    r = ie.did(panel, outcome="y", unit="id", group="grp", treated="p", period="period",
               pre=1, post=2, ci="analytic")
    w = panel.pivot(index="id", columns="period", values="y")
    g = panel.groupby("id")["grp"].first()
    ch = w[2] - w[1]
    hand = ch[g == "p"].mean() - ch[g == "c"].mean()
    assert r.estimate == pytest.approx(hand, abs=1e-10)
    # and the Welch SE of the changes
    t = stats.ttest_ind(ch[g == "p"], ch[g == "c"], equal_var=False)
    assert r.statistic == pytest.approx(t.statistic, rel=1e-10)
    assert r.p_value == pytest.approx(t.pvalue, rel=1e-10)
    assert (r.n_treated, r.n_control) == (25, 35)
    assert r.design == "did"


def test_did_panel_equals_linearmodels_panelols(panel):
    r = ie.did(panel, outcome="y", unit="id", group="grp", treated="p", period="period",
               pre=[0, 1], post=[2, 3])
    d = panel.copy()
    d["D"] = ((d.grp == "p") & (d.period >= 2)).astype(float)
    d = d.set_index(["id", "period"])
    fit = PanelOLS(d["y"], d[["D"]], entity_effects=True, time_effects=True).fit(
        cov_type="clustered", cluster_entity=True)
    assert r.estimate == pytest.approx(float(fit.params["D"]), abs=1e-6)
    # linearmodels counts the 60 unit effects nested in the unit clusters; ie.did does not
    # (Stata xtreg fe / reghdfe / fixest): G/(G-1)·(n-1)/(n-K), K = 1 + T
    n, n_u, n_t = len(d), 60, 4
    conv = np.sqrt((n_u / (n_u - 1) * (n - 1) / (n - 1 - n_t)) / (n / (n - (n_u + n_t - 1) - 1)))
    assert r.std_error == pytest.approx(float(fit.std_errors["D"]) * conv, rel=1e-8)
    # t(G-1) interval
    q = stats.t(59).ppf(0.975)
    assert r.conf_low == pytest.approx(r.estimate - q * r.std_error, rel=1e-10)
    # on a balanced panel the TWFE estimate equals the DiD of per-unit mean changes
    r2 = ie.did(panel, outcome="y", unit="id", group="grp", treated="p", period="period",
                pre=[0, 1], post=[2, 3], method="changes")
    assert r2.estimate == pytest.approx(r.estimate, abs=1e-10)


def test_did_event_time_and_pretrend():
    df = make_panel(periods=(0, 1, 2, 3, 4), post_from=3, seed=3)
    r = ie.did(df, outcome="y", unit="id", group="grp", treated="p", period="period",
               pre=[0, 1, 2], post=[3, 4])
    ev = r.tables["event_time"]
    assert list(ev["period"]) == [0, 1, 3, 4]
    # independent event-study fit
    d = df.copy()
    for k in (0, 1, 3, 4):
        d[f"e{k}"] = ((d.grp == "p") & (d.period == k)).astype(float)
    d = d.set_index(["id", "period"])
    fit = PanelOLS(d["y"], d[["e0", "e1", "e3", "e4"]], entity_effects=True,
                   time_effects=True).fit(cov_type="clustered", cluster_entity=True)
    np.testing.assert_allclose(ev["estimate"], fit.params.to_numpy(), atol=1e-8)
    # unit effects nested in the unit clusters are not counted (Stata/reghdfe/fixest)
    n, n_u, n_t, k = len(d), df.id.nunique(), 5, 4
    conv = np.sqrt((n_u / (n_u - 1) * (n - 1) / (n - k - n_t)) / (n / (n - (n_u + n_t - 1) - k)))
    np.testing.assert_allclose(ev["std_error"], fit.std_errors.to_numpy() * conv, rtol=1e-8)
    assert 0 <= r.diagnostics["pretrend_p_value"] <= 1
    assert "pretrend_slope_diff_sd" in r.diagnostics


def test_difference_welch_equals_scipy(panel):
    post = panel[panel.period == 3]
    r = ie.difference(post, outcome="y", group="grp", treated="p", ci="analytic")
    yt, yc = post.loc[post.grp == "p", "y"], post.loc[post.grp == "c", "y"]
    t = stats.ttest_ind(yt, yc, equal_var=False)
    assert r.estimate == pytest.approx(yt.mean() - yc.mean(), abs=1e-12)
    assert r.statistic == pytest.approx(t.statistic, rel=1e-10)
    assert r.p_value == pytest.approx(t.pvalue, rel=1e-10)
    ci = t.confidence_interval(0.95)
    assert (r.conf_low, r.conf_high) == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert r.design == "comparison"
    # Hedges' g by hand (WWC formula)
    n = len(yt) + len(yc)
    sp = math.sqrt(((len(yt) - 1) * yt.var() + (len(yc) - 1) * yc.var()) / (n - 2))
    g = (1 - 3 / (4 * n - 9)) * (yt.mean() - yc.mean()) / sp
    assert r.effect_size.value == pytest.approx(g, rel=1e-12)


def test_difference_with_covariates_equals_statsmodels_hc2(panel):
    post = panel[panel.period == 3]
    r = ie.difference(post, outcome="y", group="grp", treated="p", covariates=["x1", "x2"])
    X = sm.add_constant(np.column_stack([(post.grp == "p").astype(float), post.x1, post.x2]))
    fit = sm.OLS(post.y.to_numpy(), X).fit(cov_type="HC2", use_t=True)
    assert r.estimate == pytest.approx(fit.params[1], abs=1e-8)
    assert r.std_error == pytest.approx(fit.bse[1], abs=1e-8)
    lo, hi = fit.conf_int()[1]
    assert (r.conf_low, r.conf_high) == pytest.approx((lo, hi), abs=1e-8)
    assert r.p_value == pytest.approx(fit.pvalues[1], rel=1e-8)
    assert r.design == "adjusted_comparison"


def test_difference_long_data_uses_post_period(panel):
    r = ie.difference(panel, outcome="y", group="grp", treated="p", unit="id",
                      period="period", post=3)
    post = panel[panel.period == 3]
    assert r.estimate == pytest.approx(
        post.loc[post.grp == "p", "y"].mean() - post.loc[post.grp == "c", "y"].mean(), abs=1e-12)


def test_difference_cluster_equals_statsmodels(panel):
    post = panel[panel.period == 3].copy()
    post["school"] = np.arange(len(post)) % 8
    r = ie.difference(post, outcome="y", group="grp", treated="p", covariates=["x1"],
                      cluster="school")
    X = sm.add_constant(np.column_stack([(post.grp == "p").astype(float), post.x1]))
    fit = sm.OLS(post.y.to_numpy(), X).fit(cov_type="cluster",
                                           cov_kwds={"groups": post.school.to_numpy()}, use_t=True)
    assert r.std_error == pytest.approx(fit.bse[1], rel=1e-8)
    assert r.df == 7


def test_difference_binary_newcombe_and_cox():
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"g": [1] * 30 + [0] * 40,
                       "work": np.r_[rng.random(30) < 0.5, rng.random(40) < 0.3].astype(int)})
    r = ie.difference(df, outcome="work", group="g")
    k1, k0 = df.work[df.g == 1].sum(), df.work[df.g == 0].sum()
    lo, hi = confint_proportions_2indep(k1, 30, k0, 40, method="newcomb", compare="diff")
    assert (r.conf_low, r.conf_high) == pytest.approx((lo, hi), abs=1e-12)
    a, b, c, d = k1, 30 - k1, k0, 40 - k0
    assert r.effect_size.name == "cox_index"
    assert r.effect_size.value == pytest.approx(math.log(a * d / (b * c)) / 1.65, rel=1e-12)


def test_difference_relative_scale_delta_method():
    rng = np.random.default_rng(5)
    yt, yc = rng.lognormal(8, 0.5, 30), rng.lognormal(8.3, 0.5, 40)
    df = pd.DataFrame({"g": [1] * 30 + [0] * 40, "y": np.r_[yt, yc]})
    r = ie.difference(df, outcome="y", group="g", scale="relative")
    R = yt.mean() / yc.mean()
    assert r.estimate == pytest.approx(100 * (R - 1), rel=1e-12)
    se = 100 * math.sqrt(yt.var(ddof=1) / 30 / yc.mean() ** 2
                         + R**2 * yc.var(ddof=1) / 40 / yc.mean() ** 2)
    assert r.std_error == pytest.approx(se, rel=1e-12)


def test_several_controls_give_a_collection():
    df = make_panel(n_t=20, n_c=40, seed=2)
    df["grp"] = np.where(df.grp == "p", "p", np.where(df.id < "u040", "wait", "reg"))
    res = ie.difference(df, outcome="y", group="grp", treated="p", control=["wait", "reg"],
                        unit="id", period="period", post=3)
    assert isinstance(res, ie.EstimateCollection)
    assert res.comparisons == ["wait", "reg"]
    t = res.tidy()
    assert list(t["comparison"]) == ["wait", "reg"]
    assert "wait" in res.summary() and "reg" in res.summary()
    assert res["wait"].n_control == 20


def test_before_after_equals_scipy_paired_t(panel):
    r = ie.before_after(panel, outcome="y", unit="id", period="period", pre=1, post=2,
                        group="grp", treated="p", ci="analytic")
    w = panel[panel.grp == "p"].pivot(index="id", columns="period", values="y")
    t = stats.ttest_rel(w[2], w[1])
    assert r.estimate == pytest.approx((w[2] - w[1]).mean(), abs=1e-10)
    assert r.statistic == pytest.approx(t.statistic, abs=1e-10)
    assert r.p_value == pytest.approx(t.pvalue, abs=1e-10)
    ci = t.confidence_interval(0.95)
    assert (r.conf_low, r.conf_high) == pytest.approx((ci.low, ci.high), abs=1e-10)
    assert r.diagnostics["wilcoxon_p_value"] == pytest.approx(stats.wilcoxon(w[2], w[1]).pvalue)


def test_before_after_counts_units_missing_a_period(panel):
    df = panel[~((panel.id == "u001") & (panel.period == 2))]
    with pytest.warns(ie.errors.DroppedRowsWarning):
        r = ie.before_after(df, outcome="y", unit="id", period="period", pre=1, post=2,
                            group="grp", treated="p")
    assert r.n_treated == 24
    assert r.diagnostics["dropped"]["units without a post-period value"] == 1
    assert any("left out" in n for n in r.notes)


def test_before_after_relative_scale():
    rng = np.random.default_rng(6)
    pre = rng.lognormal(9, 0.4, 30)
    post = pre * rng.uniform(0.1, 0.4, 30)
    df = pd.DataFrame({"id": np.r_[np.arange(30), np.arange(30)], "t": [0] * 30 + [1] * 30,
                       "y": np.r_[pre, post]})
    r = ie.before_after(df, outcome="y", unit="id", period="t", pre=0, post=1, scale="relative")
    R = post.mean() / pre.mean()
    assert r.estimate == pytest.approx(100 * (R - 1), rel=1e-12)
    phi = (post - R * pre) / pre.mean()
    assert r.std_error == pytest.approx(100 * phi.std(ddof=1) / math.sqrt(30), rel=1e-12)


def test_follow_up_and_benchmark():
    rng = np.random.default_rng(7)
    y = rng.normal(95, 12, 25)
    df = pd.DataFrame({"iq": y})
    r = ie.benchmark(df, outcome="iq", reference=100, ci="analytic")
    t = stats.ttest_1samp(y, 100)
    assert r.estimate == pytest.approx(y.mean() - 100, abs=1e-12)
    assert r.p_value == pytest.approx(t.pvalue, rel=1e-12)
    b = pd.DataFrame({"work": [1] * 14 + [0] * 15})
    f = ie.follow_up(b, outcome="work", target=0.6)
    lo, hi = proportion_confint(14, 29, method="wilson")
    assert (f.conf_low, f.conf_high) == pytest.approx((lo, hi), abs=1e-12)
    assert f.p_value == pytest.approx(stats.binomtest(14, 29, 0.6).pvalue, rel=1e-12)
    rb = ie.benchmark(b, outcome="work", reference=0.3, binary_method="exact")
    lo, hi = proportion_confint(14, 29, method="beta")
    assert (rb.conf_low, rb.conf_high) == pytest.approx((lo - 0.3, hi - 0.3), abs=1e-12)


def test_estimate_is_immutable_and_serialisable(panel):
    import json

    r = ie.did(panel, outcome="y", unit="id", group="grp", treated="p", period="period",
               pre=1, post=2, ci="bca", n_boot=999, seed=1)
    with pytest.raises(AttributeError):
        r.estimate = 3.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        r.draws[0] = 1.0
    d = json.loads(json.dumps(r.to_dict()))
    assert d["design"] == "did" and d["inference"]["seed"] == 1
    assert set(["estimate", "std_error", "conf_low", "conf_high", "p_value", "n_treated",
                "n_control"]) <= set(r.tidy().columns)
    s = r.summary()
    for section in ("Outcome:", "Notes:", "estimate", "[0.025"):
        assert section in s


def test_did_two_period_with_clusters_equals_statsmodels(panel):
    df = panel.copy()
    df["school"] = df["id"].str[-1:].map(lambda c: int(c) % 6)
    r = ie.did(df, outcome="y", unit="id", group="grp", treated="p", period="period",
               pre=1, post=2, cluster="school")
    w = df.pivot(index="id", columns="period", values="y")
    g = df.groupby("id")["grp"].first()
    s = df.groupby("id")["school"].first()
    ch = (w[2] - w[1]).to_numpy()
    X = sm.add_constant((g == "p").astype(float).to_numpy())
    fit = sm.OLS(ch, X).fit(cov_type="cluster", cov_kwds={"groups": s.to_numpy()}, use_t=True)
    assert r.estimate == pytest.approx(fit.params[1], abs=1e-10)
    assert r.std_error == pytest.approx(fit.bse[1], rel=1e-10)
    assert r.df == 5
    assert "cluster" in r.inference["method"]
