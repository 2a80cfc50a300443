"""Linear-time paths (impacteval._fast) against linearmodels PanelOLS and brute
force, the automatic engine choice of ``ie.did``, and Parquet input."""

import importlib

import numpy as np
import pandas as pd
import pytest
from conftest import make_panel
from linearmodels.panel import PanelOLS

import impacteval as ie
from impacteval import _fast
from impacteval.errors import ArgumentError, InsufficientDataError
from impacteval.estimators.difference import diff_plan

# the module (the package namespace exports the function under the same name)
did_mod = importlib.import_module("impacteval.estimators.did")


def _unbalanced(n_units=150, n_per=6, drop=0.25, seed=1, n_treated=60):
    """Long arrays of an unbalanced panel with unit effects, a trend and an effect."""
    rng = np.random.default_rng(seed)
    e = np.repeat(np.arange(n_units), n_per)
    t = np.tile(np.arange(n_per), n_units)
    keep = rng.random(n_units * n_per) > drop
    e, t = e[keep], t[keep]
    tr = (e < n_treated).astype(float)
    y = (rng.normal(size=n_units)[e] + 0.3 * t + 1.2 * tr * (t >= n_per // 2)
         + rng.normal(size=len(e)))
    return e, t, tr, y


def _panelols(y, x, e, t, clusters=None):
    idx = pd.MultiIndex.from_arrays([e, t])
    x = np.asarray(x).reshape(len(y), -1)
    exog = pd.DataFrame(x, index=idx, columns=[f"x{j}" for j in range(x.shape[1])])
    mod = PanelOLS(pd.Series(y, index=idx), exog, entity_effects=True, time_effects=True)
    if clusters is None:
        return mod.fit(cov_type="clustered", cluster_entity=True)
    return mod.fit(cov_type="clustered", clusters=pd.DataFrame({"c": clusters}, index=idx))


# ------------------------------------------------------------------ kernels
@pytest.mark.parametrize("dense", [True, False])
def test_twoway_within_equals_least_squares_on_dummies(monkeypatch, dense):
    if not dense:
        monkeypatch.setattr(_fast, "_DENSE_CELLS_PER_ROW", -10**9)
    e, t, _, y = _unbalanced(n_units=40, n_per=5, seed=3)
    v = np.column_stack([y, y**2])
    dummies = np.column_stack([np.eye(40)[e], np.eye(5)[t]])
    brute = v - dummies @ np.linalg.lstsq(dummies, v, rcond=None)[0]
    tw = _fast.TwoWay(e, t)
    assert tw.dense is dense
    np.testing.assert_allclose(tw.within(v), brute, rtol=0, atol=1e-10)
    np.testing.assert_allclose(_fast.twoway_within(y, e, t), brute[:, 0], rtol=0, atol=1e-10)


def test_twoway_within_balanced_is_double_demeaning():
    rng = np.random.default_rng(0)
    e, t = np.repeat(np.arange(30), 4), np.tile(np.arange(4), 30)
    v = rng.normal(size=120)
    w = v.reshape(30, 4)
    hand = (w - w.mean(axis=1, keepdims=True) - w.mean(axis=0, keepdims=True) + w.mean()).ravel()
    np.testing.assert_allclose(_fast.twoway_within(v, e, t), hand, rtol=0, atol=1e-12)


@pytest.mark.parametrize("clustering", ["entity", "coarser", "crossed"])
def test_panel_ols_equals_linearmodels(clustering):
    e, t, tr, y = _unbalanced()
    x = np.column_stack([tr * (t >= 3), tr * (t == 0), np.sin(t + e)])
    rng = np.random.default_rng(9)
    clusters = {"entity": None, "coarser": e // 7, "crossed": rng.integers(0, 25, len(e))}[clustering]
    ref = _panelols(y, x, e, t, clusters)
    fit = _fast.panel_ols(y, x, e, t, clusters)
    np.testing.assert_allclose(fit.params, ref.params.to_numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(fit.std_errors, ref.std_errors.to_numpy(), rtol=1e-9, atol=0)
    np.testing.assert_allclose(fit.resid, ref.resids.to_numpy(), rtol=0, atol=1e-10)
    wt = ref.wald_test(formula="x1 = 0, x2 = 0")
    assert fit.wald([1, 2]) == pytest.approx(float(wt.stat), rel=1e-9)


@pytest.mark.parametrize("dense", [True, False])
@pytest.mark.parametrize("clustering", ["entity", "coarser", "crossed"])
def test_fit_unit_period_equals_linearmodels(monkeypatch, dense, clustering):
    if not dense:
        monkeypatch.setattr(_fast, "_DENSE_CELLS_PER_ROW", -10**9)
    e, t, tr, y = _unbalanced(seed=5)
    rng = np.random.default_rng(2)
    clusters = {"entity": None, "coarser": e // 4, "crossed": rng.integers(0, 30, len(e))}[clustering]
    b = np.eye(6)[:, [0, 1, 3, 4, 5]]  # event time relative to period 2
    ref = _panelols(y, tr[:, None] * b[t], e, t, clusters)
    tw = _fast.TwoWay(e, t)
    fit = tw.fit_unit_period(y, tr, b, clusters)
    np.testing.assert_allclose(fit.params, ref.params.to_numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(fit.std_errors, ref.std_errors.to_numpy(), rtol=1e-9, atol=0)
    np.testing.assert_allclose(fit.resid, ref.resids.to_numpy(), rtol=0, atol=1e-10)
    # the lazily built within-transformed regressor equals the general kernel's
    general = _fast.panel_ols(y, tr[:, None] * b[t], e, t, clusters)
    np.testing.assert_allclose(fit.x_col(2), general.x_within[:, 2], rtol=0, atol=1e-10)


def test_fit_unit_period_with_a_continuous_unit_multiplier():
    e, t, _, y = _unbalanced(seed=6)
    a = np.random.default_rng(1).normal(size=150)[e]
    b = np.c_[(np.arange(6) >= 3).astype(float), np.arange(6.0)]
    ref = _panelols(y, a[:, None] * b[t], e, t)
    fit = _fast.TwoWay(e, t).fit_unit_period(y, a, b)
    np.testing.assert_allclose(fit.params, ref.params.to_numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(fit.std_errors, ref.std_errors.to_numpy(), rtol=1e-9, atol=0)


def test_absorbed_regressor_is_reported():
    e, t = np.repeat(np.arange(20), 3), np.tile(np.arange(3), 20)
    y = np.random.default_rng(0).normal(size=60)
    with pytest.raises(ValueError, match="absorbed.*x0"):
        _fast.panel_ols(y, (t == 2).astype(float), e, t)
    with pytest.raises(ValueError, match="absorbed.*late"):
        _fast.TwoWay(e, t).fit_unit_period(y, np.ones(60), np.array([0.0, 0, 1]), names=["late"])


def test_difference_jackknife_from_sums_equals_leave_one_out():
    rng = np.random.default_rng(8)
    yt, yc = rng.lognormal(size=25), rng.lognormal(size=40)
    jack = diff_plan(yt, yc).jackknife()
    brute_t = [np.delete(yt, i).mean() - yc.mean() for i in range(len(yt))]
    brute_c = [yt.mean() - np.delete(yc, i).mean() for i in range(len(yc))]
    np.testing.assert_allclose(jack[0], brute_t, rtol=1e-12, atol=0)
    np.testing.assert_allclose(jack[1], brute_c, rtol=1e-12, atol=0)


# --------------------------------------------------------------- ie.did engines
def _did_pair(df, **kw):
    base = dict(outcome="y", unit="id", group="grp", treated="p", period="period")
    base.update(kw)
    return (ie.did(df, engine="fast", **base), ie.did(df, engine="linearmodels", **base))


def _assert_same(a, b, tol=1e-8):
    for name in ("estimate", "std_error", "conf_low", "conf_high", "statistic", "p_value"):
        assert getattr(a, name) == pytest.approx(getattr(b, name), rel=tol, abs=tol), name
    assert (a.n_treated, a.n_control, a.df) == (b.n_treated, b.n_control, b.df)
    assert a.diagnostics.keys() == b.diagnostics.keys()
    for k, v in a.diagnostics.items():
        if isinstance(v, float):
            assert v == pytest.approx(b.diagnostics[k], rel=tol, abs=tol), k
        else:
            assert v == b.diagnostics[k], k
    if "event_time" in b.tables:
        pd.testing.assert_frame_equal(a.tables["event_time"], b.tables["event_time"],
                                      check_exact=False, rtol=tol, atol=tol)
    assert a.notes == b.notes


def test_did_fast_engine_equals_panelols_balanced():
    df = make_panel(periods=(0, 1, 2, 3, 4, 5), post_from=3, seed=11)
    fast, lm = _did_pair(df, pre=[0, 1, 2], post=[3, 4, 5])
    _assert_same(fast, lm)
    assert fast.inference["engine"] == "fast" and lm.inference["engine"] == "linearmodels"
    assert "pretrend_p_value" in fast.diagnostics


def test_did_fast_engine_equals_panelols_unbalanced_with_cluster_column():
    df = make_panel(n_t=30, n_c=50, periods=(0, 1, 2, 3, 4), post_from=2, seed=12)
    rng = np.random.default_rng(12)
    df = df[rng.random(len(df)) > 0.2].reset_index(drop=True)
    df["office"] = df["id"].str[-1].astype(int) % 6
    fast, lm = _did_pair(df, pre=[0, 1], post=[2, 3, 4], cluster="office", seed=1)
    _assert_same(fast, lm)
    assert fast.diagnostics["units_with_missing_periods"] > 0
    assert fast.diagnostics["n_clusters"] == 6


def test_did_fast_engine_several_comparison_groups_and_one_pre_period():
    df = make_panel(n_t=20, n_c=40, periods=(0, 1, 2), post_from=1, seed=13)
    df["grp"] = np.where(df.grp == "p", "p", np.where(df.id < "u040", "wait", "reg"))
    fast, lm = _did_pair(df, control=["wait", "reg"], pre=0, post=[1, 2])
    for a, b in zip(fast, lm, strict=True):
        _assert_same(a, b)
    assert any("cannot be tested" in n for n in fast[0].notes)


def test_did_wild_bootstrap_same_draws_with_both_engines():
    df = make_panel(n_t=12, n_c=14, periods=(0, 1, 2, 3), seed=14)
    df["school"] = df["id"].str[-1].astype(int) % 9
    fast, lm = _did_pair(df, pre=[0, 1], post=[2, 3], cluster="school", ci="wild",
                         n_boot=999, seed=3)
    np.testing.assert_allclose(fast.draws, lm.draws, rtol=0, atol=1e-10)
    assert fast.conf_low == pytest.approx(lm.conf_low, abs=1e-10)
    assert fast.p_value == lm.p_value


def test_did_engine_auto_switches_at_threshold(monkeypatch):
    df = make_panel(seed=15)
    before = df.copy()
    kw = dict(outcome="y", unit="id", group="grp", treated="p", period="period",
              pre=[0, 1], post=[2, 3])
    small = ie.did(df, **kw)
    assert small.inference["engine"] == "linearmodels"
    monkeypatch.setattr(did_mod, "FAST_PANEL_ROWS", len(df))
    big = ie.did(df, **kw)
    assert big.inference["engine"] == "fast"
    _assert_same(big, small)
    pd.testing.assert_frame_equal(df, before)


def test_did_engine_errors():
    df = make_panel(seed=16)
    kw = dict(outcome="y", unit="id", group="grp", treated="p", period="period")
    with pytest.raises(ArgumentError, match="engine='numba'"):
        ie.did(df, engine="numba", pre=[0, 1], post=[2, 3], **kw)
    # participants observed only after the start: the effect is not identified
    late = df[~((df.grp == "p") & (df.period < 2))]
    for engine in ("fast", "linearmodels"):
        with pytest.raises(InsufficientDataError, match="unit and period effects"):
            ie.did(late, engine=engine, pre=[0, 1], post=[2, 3], method="panel", **kw)


# ------------------------------------------------------------------- parquet
def test_parquet_round_trip_then_did(tmp_path):
    df = make_panel(n_t=40, n_c=60, periods=(0, 1, 2, 3, 4), post_from=2, seed=17)
    path = tmp_path / "panel.parquet"
    df.to_parquet(path, index=False)
    back = ie.read_table(path)
    assert list(back.columns) == list(df.columns)
    np.testing.assert_array_equal(back["y"].to_numpy(), df["y"].to_numpy())
    kw = dict(outcome="y", unit="id", group="grp", treated="p", period="period",
              pre=[0, 1], post=[2, 3, 4])
    r_file = ie.did(back, engine="fast", **kw)
    r_mem = ie.did(df, engine="linearmodels", **kw)
    _assert_same(r_file, r_mem)
    hand = _panelols(df.y.to_numpy(), ((df.grp == "p") & (df.period >= 2)).to_numpy(float),
                     pd.factorize(df.id)[0], df.period.to_numpy())
    assert r_file.estimate == pytest.approx(float(hand.params.iloc[0]), abs=1e-10)
    # linearmodels counts the unit effects nested in the unit clusters; ie.did does not
    n, n_u, n_t = len(df), df.id.nunique(), df.period.nunique()
    conv = np.sqrt((n_u / (n_u - 1) * (n - 1) / (n - 1 - n_t)) / (n / (n - (n_u + n_t - 1) - 1)))
    assert r_file.std_error == pytest.approx(float(hand.std_errors.iloc[0]) * conv, rel=1e-9)
