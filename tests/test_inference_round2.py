"""Issue #14 (honest intervals for skewed costs) and the inference items of #19."""

from __future__ import annotations

import time
import warnings
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

import impacteval as ie
from impacteval.errors import ArgumentError, InsufficientDataError
from impacteval.inference import MAX_RESAMPLES, studentized_permutation_test

FAILURE_TIMES = [3, 5, 7, 18, 43, 85, 91, 98, 100, 130, 230, 487]


def _zi(rng, n, share=0.8):
    return np.where(rng.random(n) < share, 0.0, rng.lognormal(size=n))


# ------------------------------------------------------------- studentized permutation
def test_studentized_permutation_p_value_equals_brute_force_welch():
    """Exact enumeration: the p-value is the share of assignments whose Welch t (scipy)
    is as extreme, one-sided each way, doubled."""
    yt = np.array([3.1, 5.0, 7.2, 4.4, 9.9])
    yc = np.array([1.0, 2.5, 2.0, 3.3, 0.4, 6.1])
    r = studentized_permutation_test(yt, yc, seed=1)
    assert r.info["exact"]
    pooled = np.r_[yt, yc]
    t_obs = stats.ttest_ind(yt, yc, equal_var=False).statistic
    ts = []
    for s in combinations(range(11), 5):
        m = np.zeros(11, bool)
        m[list(s)] = True
        ts.append(stats.ttest_ind(pooled[m], pooled[~m], equal_var=False).statistic)
    ts = np.array(ts)
    p_ref = min(1.0, 2 * min(np.mean(ts >= t_obs - 1e-9), np.mean(ts <= t_obs + 1e-9)))
    assert r.p_value == pytest.approx(p_ref, rel=1e-12)
    # the interval bound: at δ = bound the shifted test is on the edge of rejection
    lo = r.conf_low
    t_lo = stats.ttest_ind(yt - lo, yc, equal_var=False).statistic
    ts_lo = []
    pooled_lo = np.r_[yt - lo, yc]
    for s in combinations(range(11), 5):
        m = np.zeros(11, bool)
        m[list(s)] = True
        ts_lo.append(stats.ttest_ind(pooled_lo[m], pooled_lo[~m], equal_var=False).statistic)
    share = np.mean(np.array(ts_lo) >= t_lo - 1e-6)
    assert share == pytest.approx(0.025, abs=2 / len(ts_lo))


def test_studentized_permutation_is_fast_and_finite_at_30_366():
    rng = np.random.default_rng(4)
    yt, yc = _zi(rng, 30), _zi(rng, 366)
    studentized_permutation_test(yt, yc, seed=1)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        r = studentized_permutation_test(yt, yc, seed=1)
        times.append(time.perf_counter() - t0)
    assert np.isfinite(r.conf_low) and np.isfinite(r.conf_high)
    assert r.conf_low < r.conf_high
    assert min(times) < 0.5  # ≈ 50 ms on an idle core; generous on a shared CI machine


def test_difference_auto_uses_studentized_permutation_when_unbalanced():
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"g": [1] * 30 + [0] * 366, "y": np.r_[_zi(rng, 30), _zi(rng, 366)]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = ie.difference(df, outcome="y", group="g", seed=2, n_boot=999)
    assert r.inference["method"] == "studentized permutation"
    assert r.inference["chosen_by"] == "auto"
    assert np.isfinite(r.conf_low) and np.isfinite(r.conf_high)


# ------------------------------------------------------------------ finite, in range
def test_auto_intervals_are_finite_for_zero_inflated_costs_at_20_20():
    rng = np.random.default_rng(6)
    for rep in range(5):
        df = pd.DataFrame({"g": [1] * 20 + [0] * 20,
                           "y": np.r_[_zi(rng, 20), _zi(rng, 20)]})
        df.loc[0, "y"] = 5.0
        df.loc[20, "y"] = 3.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = ie.difference(df, outcome="y", group="g", seed=rep, n_boot=999)
        nonzero = min(np.count_nonzero(df.y[df.g == 1]), np.count_nonzero(df.y[df.g == 0]))
        if nonzero < 3:  # too thin for any honest interval: withheld, never infinite
            assert r.diagnostics["interval_withheld"] == "thin_data"
            assert np.isnan(r.conf_low) and np.isnan(r.conf_high)
        else:
            assert np.isfinite(r.conf_low) and np.isfinite(r.conf_high), r.inference


def test_follow_up_mean_of_failure_times_stays_positive():
    df = pd.DataFrame({"hours": FAILURE_TIMES})
    r = ie.follow_up(df, outcome="hours", ci="auto", seed=1)
    assert r.conf_low > 0
    assert r.conf_low < r.estimate < r.conf_high
    # the t interval on the log scale (delta method), by hand
    m, se = np.mean(FAILURE_TIMES), np.std(FAILURE_TIMES, ddof=1) / np.sqrt(12)
    q = stats.t.ppf(0.975, 11)
    np.testing.assert_allclose([r.conf_low, r.conf_high],
                               [m * np.exp(-q * se / m), m * np.exp(q * se / m)], rtol=1e-12)
    # larger n: the symmetric bootstrap-t of log(mean), still positive
    r3 = ie.follow_up(pd.DataFrame({"hours": FAILURE_TIMES * 3}), outcome="hours", seed=1,
                      n_boot=999)
    assert r3.conf_low > 0 and "log(mean)" in r3.inference["method"]


# ------------------------------------------------------------------- honesty flag
def test_honesty_flag_for_thin_and_skewed_costs():
    rng = np.random.default_rng(7)
    yt = np.r_[np.zeros(18), 4.0, 9.0]
    yc = _zi(rng, 200)
    df = pd.DataFrame({"g": [1] * 20 + [0] * 200, "y": np.r_[yt, yc]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = ie.difference(df, outcome="y", group="g", seed=1, n_boot=999)
    reg = r.diagnostics["coverage_regime"]
    assert reg["code"] == "thin_data"
    assert any("too thin" in n for n in r.notes)
    assert "underlaget" in reg["text_sv"]
    # participants twice as dispersed
    yt2 = 2 * _zi(rng, 30, share=0.5)
    df2 = pd.DataFrame({"g": [1] * 30 + [0] * 200, "y": np.r_[yt2, yc]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r2 = ie.difference(df2, outcome="y", group="g", seed=1, n_boot=999)
    assert r2.diagnostics["coverage_regime"]["code"] == "participants_more_dispersed"
    assert any("covered the true value in 79 % to 97 %" in n for n in r2.notes)
    # normal data: no flag
    df3 = pd.DataFrame({"g": [1] * 30 + [0] * 30, "y": rng.normal(size=60)})
    r3 = ie.difference(df3, outcome="y", group="g", seed=1, n_boot=999)
    assert "coverage_regime" not in r3.diagnostics


# ------------------------------------------------------------------------ panel SE
@pytest.mark.parametrize("engine", ["linearmodels", "fast"])
def test_two_period_panel_se_is_the_first_difference_cluster_se(engine):
    rng = np.random.default_rng(0)
    n_u = 40
    ids = np.repeat(np.arange(n_u), 2)
    t = np.tile([0, 1], n_u)
    g = (ids < 15).astype(int)
    y = rng.normal(size=2 * n_u) + ids * 0.1 + g * t + 0.3 * t
    df = pd.DataFrame({"id": ids, "t": t, "g": g, "y": y})
    r = ie.did(df, outcome="y", unit="id", group="g", period="t", pre=0, post=1,
               method="panel", ci="analytic", engine=engine)
    w = df.pivot(index="id", columns="t", values="y")
    d = (w[1] - w[0]).to_numpy()
    x = sm.add_constant((np.arange(n_u) < 15).astype(float))
    cr0 = sm.OLS(d, x).fit(cov_type="cluster",
                           cov_kwds={"groups": np.arange(n_u), "use_correction": False})
    cr1 = sm.OLS(d, x).fit(cov_type="cluster", cov_kwds={"groups": np.arange(n_u)})
    n, k_big, g_n = 2 * n_u, 3, n_u  # K = 1 regressor + T = 2 (period effect, constant)
    assert r.estimate == pytest.approx(cr1.params[1], rel=1e-10)
    expected = cr0.bse[1] * np.sqrt(g_n / (g_n - 1) * (n - 1) / (n - k_big))
    assert r.std_error == pytest.approx(expected, rel=1e-10)
    # and within O(1/n) of statsmodels' own CR1 (linearmodels' count was ≈ √2 × larger)
    assert r.std_error == pytest.approx(cr1.bse[1], rel=2 / n_u)


# ------------------------------------------------------------- leverage / absorbing
def _many_levels(rng, n=200, levels=30):
    lev = rng.integers(0, levels, n).astype(str)
    g = rng.integers(0, 2, n)
    x = rng.normal(size=n)
    y = 1 + 0.5 * g + x + rng.normal(size=n) + (lev.astype(int) % 5) * 0.3
    return pd.DataFrame({"y": y, "g": g, "x": x, "v": lev})


def test_absorbed_categorical_equals_statsmodels_dense_hc2():
    df = _many_levels(np.random.default_rng(1))
    r = ie.difference(df, outcome="y", group="g", covariates=["x", "v"])
    d = pd.get_dummies(df.v, prefix="v", drop_first=True, dtype=float)
    x = np.column_stack([np.ones(len(df)), df.g, df.x, d.to_numpy()])
    f = sm.OLS(df.y.to_numpy(), x).fit(cov_type="HC2")
    assert r.diagnostics["absorbed_fixed_effects"]["levels"] == 30
    assert r.estimate == pytest.approx(f.params[1], rel=1e-10)
    assert r.std_error == pytest.approx(f.bse[1], rel=1e-10)
    assert r.df == pytest.approx(f.df_resid, rel=1e-12)


def test_singletons_are_dropped_and_reported_and_many_levels_are_fast():
    rng = np.random.default_rng(2)
    n = 1300
    lev = np.r_[np.repeat(np.arange(400), 3)[:1200], np.arange(400, 500)].astype(str)
    df = pd.DataFrame({"y": rng.normal(size=n), "g": rng.integers(0, 2, n), "v": lev,
                       "x": rng.normal(size=n)})
    t0 = time.perf_counter()
    with pytest.warns(ie.errors.ImpactEvalWarning, match="alone in their category"):
        r = ie.difference(df, outcome="y", group="g", covariates=["x", "v"])
    assert time.perf_counter() - t0 < 5  # ≈ 0.03 s on an idle core
    assert r.diagnostics["singletons_dropped"] == 100
    assert np.isfinite(r.std_error)
    keep = df[~df.v.isin([str(i) for i in range(400, 500)])]
    d = pd.get_dummies(keep.v, drop_first=True, dtype=float)
    x = np.column_stack([np.ones(len(keep)), keep.g, keep.x, d.to_numpy()])
    f = sm.OLS(keep.y.to_numpy(), x).fit(cov_type="HC2")
    assert r.std_error == pytest.approx(f.bse[1], rel=1e-8)


# ------------------------------------------------------------------- issue #19 items
def _panel(n=40, periods=4, seed=3):
    rng = np.random.default_rng(seed)
    ids = np.repeat(np.arange(n), periods)
    t = np.tile(np.arange(periods), n)
    g = (ids < 15).astype(int)
    y = rng.normal(size=n * periods) + ids * 0.1 + g * (t >= 2)
    return pd.DataFrame({"id": ids, "t": t, "g": g, "y": y, "by_group": g, "cl3": ids % 3,
                         "cl8": ids % 8})


@pytest.mark.parametrize("engine", ["linearmodels", "fast"])
def test_19_1_few_clusters_refused_or_wild_never_zero_width(engine):
    df = _panel()
    for cl in ("by_group", "cl3"):
        with pytest.raises(InsufficientDataError, match="clusters"):
            ie.did(df, outcome="y", unit="id", group="g", period="t", pre=[0, 1], post=[2, 3],
                   cluster=cl, engine=engine)
    r = ie.did(df, outcome="y", unit="id", group="g", period="t", pre=[0, 1], post=[2, 3],
               cluster="cl8", seed=1, n_boot=999, engine=engine)
    assert r.inference["method"] == "wild cluster bootstrap-t"
    assert r.inference["weights"] == "webb"
    assert r.conf_high - r.conf_low > 0.1
    assert any("Only 8 clusters" in n for n in r.notes)


def test_19_3_weights_zero_for_all_but_one_participant():
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"g": [1] * 8 + [0] * 20, "y": rng.normal(size=28),
                       "x": rng.normal(size=28), "w": [1.0] + [0.0] * 7 + [1.0] * 20})
    with pytest.raises(InsufficientDataError, match="only 1 of the 8 participants"):
        ie.difference(df, outcome="y", group="g", covariates=["x"], weights="w")
    df.loc[1, "w"] = 1.0
    with pytest.warns(ie.errors.ImpactEvalWarning, match="weight 0"):
        r = ie.difference(df, outcome="y", group="g", covariates=["x"], weights="w")
    assert r.n_treated == 2
    assert r.diagnostics["effective_n_treated"] == pytest.approx(2.0, rel=1e-12)


@pytest.mark.parametrize("ci", ["percentile", "basic", "bca", "studentized", "symmetric",
                                "permutation"])
def test_19_6_two_units_per_group_interval_and_p_value_agree(ci):
    df = pd.DataFrame({"g": [1, 1, 0, 0], "y": [5.0, 7, 1, 2]})
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        r = ie.difference(df, outcome="y", group="g", ci=ci, seed=1, n_boot=999)
    excludes_zero = r.conf_low > 0 or r.conf_high < 0
    assert excludes_zero == (r.p_value < 0.05)
    assert any("smallest group" in n for n in r.notes)
    if not (np.isfinite(r.conf_low) and np.isfinite(r.conf_high)):
        assert any("interval is" in n for n in r.notes)


def test_19_8_results_do_not_depend_on_how_ids_sort():
    rng = np.random.default_rng(8)
    n = 30
    df = pd.DataFrame({"id": np.repeat(np.arange(n), 2), "t": np.tile([0, 1], n),
                       "g": np.repeat((np.arange(n) < 12).astype(int), 2),
                       "y": rng.lognormal(size=2 * n)})
    renamed = df.assign(id=df["id"].map({i: f"p{(n - i) * 7919 % 1000:03d}" for i in range(n)}))
    reordered = renamed.iloc[rng.permutation(len(df))]
    kw = dict(outcome="y", unit="id", period="t", pre=0, post=1, seed=5, n_boot=999)
    for fn, extra in ((ie.before_after, {}), (ie.did, {"group": "g"})):
        for ci in ("auto", "bca", "percentile", "studentized_permutation" if extra else "bca"):
            a = fn(df, ci=ci, **kw, **extra)
            b = fn(reordered, ci=ci, **kw, **extra)
            # the same resamples; only the last bit of a sum may differ with the row order
            np.testing.assert_allclose([a.conf_low, a.conf_high, a.p_value],
                                       [b.conf_low, b.conf_high, b.p_value], rtol=1e-12, atol=0)
    post = df[df.t == 1]
    a = ie.follow_up(post, outcome="y", seed=5, n_boot=999)
    b = ie.follow_up(post.iloc[::-1], outcome="y", seed=5, n_boot=999)
    np.testing.assert_allclose([a.conf_low, a.conf_high], [b.conf_low, b.conf_high],
                               rtol=1e-12, atol=0)


def test_19_9_outcome_constant_within_units_is_a_clear_error():
    df = _panel()
    df["employed"] = (df["id"] % 2).astype(float)
    with pytest.raises(InsufficientDataError, match="never changes within any unit"):
        ie.did(df, outcome="employed", unit="id", group="g", period="t", pre=[0, 1],
               post=[2, 3])


@pytest.mark.parametrize("seed", ["42", 3.5, -1, True])
def test_19_12_bad_seeds_are_argument_errors(seed):
    df = pd.DataFrame({"g": [1] * 12 + [0] * 12, "y": np.arange(24.0) % 7})
    with pytest.raises(ArgumentError, match="seed="):
        ie.difference(df, outcome="y", group="g", seed=seed)
    with pytest.raises(ArgumentError, match="seed="):
        ie.follow_up(df, outcome="y", seed=seed)


def test_19_17_huge_n_boot_names_the_limit():
    df = pd.DataFrame({"g": [1] * 12 + [0] * 12, "y": np.arange(24.0) % 7})
    with pytest.raises(ArgumentError, match=f"{MAX_RESAMPLES:,}.*MAX_RESAMPLES"):
        ie.difference(df, outcome="y", group="g", n_boot=10**12)


@pytest.mark.parametrize("factor", [1e-300, 1e200])
def test_19_16_extreme_outcome_scales_are_rescaled_internally(factor):
    rng = np.random.default_rng(0)
    n = 20
    ids = np.repeat(np.arange(n), 3)
    t = np.tile([0, 1, 2], n)
    g = (ids < 8).astype(int)
    y = rng.normal(size=3 * n) + g * (t == 2) + 5
    base = pd.DataFrame({"id": ids, "t": t, "g": g, "y": y})
    scaled = base.assign(y=y * factor)
    kw = dict(outcome="y", unit="id", group="g", period="t", pre=[0, 1], post=2, seed=1)
    ref = ie.did(base, **kw)
    with pytest.warns(ie.errors.ImpactEvalWarning, match="rescaled"):
        r = ie.did(scaled, **kw)
    np.testing.assert_allclose([r.estimate, r.std_error, r.conf_low, r.conf_high],
                               np.array([ref.estimate, ref.std_error, ref.conf_low,
                                         ref.conf_high]) * factor, rtol=1e-9)
    post = scaled[scaled.t == 2]
    r2 = ie.difference(post, outcome="y", group="g", seed=1, n_boot=999)
    assert np.isfinite(r2.conf_low) and np.isfinite(r2.conf_high) and r2.std_error > 0
    assert scaled["y"].to_numpy() is not None and np.array_equal(scaled["y"], y * factor)


def test_honesty_flag_for_a_skewed_level_and_skewed_paired_changes():
    from impacteval.estimators._common import COVERAGE_REGIMES, coverage_regime

    rng = np.random.default_rng(11)
    y = rng.lognormal(0, 1, 30)
    r = ie.follow_up(pd.DataFrame({"y": y}), outcome="y", seed=1, n_boot=999)
    reg = r.diagnostics["coverage_regime"]
    low, high = COVERAGE_REGIMES["skewed_level"][:2]
    assert reg["code"] == "skewed_level"
    assert (reg["coverage_low"], reg["coverage_high"]) == (low, high)
    assert any(f"{round(100 * low)} % to {round(100 * high)} %" in str(n) for n in r.notes)
    assert "medelvärdet" in reg["text_sv"] and "mean" not in reg["text_sv"]
    # a normal level is not flagged
    r2 = ie.follow_up(pd.DataFrame({"y": rng.normal(5, 1, 30)}), outcome="y")
    assert "coverage_regime" not in r2.diagnostics
    # paired changes with moderate skew (1 < |skewness| < 2) are flagged since this study
    d = rng.gamma(1.5, 1.0, 40) - 1.5
    from impacteval.estimators._common import _skewness

    assert 1 < _skewness(d) < 2.5
    assert coverage_regime("before_after", (d,))["code"] == "paired_zero_inflated"
    assert coverage_regime("before_after", (rng.normal(size=40),)) is None


def test_ladder_quotes_the_level_flag_in_both_languages():
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"kostnad": rng.lognormal(9, 1, 40)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(df, outcome="kostnad")
    assert ev.design == "follow_up" and ev.ratings["coverage_flag"]["code"] == "skewed_level"
    from impacteval.estimators._common import COVERAGE_REGIMES

    lo, hi = (round(100 * v) for v in COVERAGE_REGIMES["skewed_level"][:2])
    assert any(f"covered the true mean in {lo} to {hi} %" in v for v in ev.lines("en"))
    assert any(f"det sanna medelvärdet i {lo} till {hi} %" in v for v in ev.lines("sv"))
