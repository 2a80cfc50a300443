"""The linear-time DiD kernel on an unbalanced panel (10 % of unit-periods missing)
against pyfixest: the exact within transformation, the ATT and the event-time model with
clustered standard errors. Reference numbers: tests/reference/scale/ (made by
make_unbalanced_pyfixest.py with pyfixest's defaults, which count the same effects)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval import _fast

REF_DIR = Path(__file__).resolve().parent / "reference" / "scale"
REF = json.loads((REF_DIR / "unbalanced_pyfixest.json").read_text())


def _panel() -> pd.DataFrame:
    spec = importlib.util.spec_from_file_location("make_unbalanced_pyfixest",
                                                  REF_DIR / "make_unbalanced_pyfixest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.panel()


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    df = _panel()
    assert len(df) == REF["rows"]
    return df


@pytest.fixture(scope="module")
def fit(panel):
    return ie.did(panel, outcome="y", unit="id", group="g", treated=1, period="period",
                  pre=[0, 1, 2, 3], post=[4, 5, 6, 7])


def test_panel_is_unbalanced_and_uses_the_fast_kernel(panel, fit):
    per_unit = panel.groupby("id").size()
    assert (per_unit < 8).mean() > 0.3
    assert fit.inference["engine"] == "fast"
    assert fit.diagnostics["units_with_missing_periods"] == int((per_unit < 8).sum())


def test_att_and_clustered_se_equal_pyfixest(fit):
    np.testing.assert_allclose(fit.estimate, REF["att"]["estimate"], rtol=1e-10, atol=0)
    np.testing.assert_allclose(fit.std_error, REF["att"]["std_error"], rtol=1e-8, atol=0)


def test_event_time_model_equals_pyfixest(fit):
    tab = fit.tables["event_time"].set_index("period")
    for per, ref in REF["event_time"].items():
        row = tab.loc[int(per)]
        np.testing.assert_allclose(row["estimate"], ref["estimate"], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(row["std_error"], ref["std_error"], rtol=1e-8, atol=0)


def test_exact_within_equals_pyfixest_demeaning(panel):
    ent, _ = _fast.codes(panel["id"])
    tim, _ = _fast.codes(panel["period"])
    yw = _fast.twoway_within(panel["y"].to_numpy(float), ent, tim)
    np.testing.assert_allclose(yw[:20], REF["demeaned_y_first_20"], rtol=0, atol=1e-8)
    np.testing.assert_allclose(yw @ yw, REF["demeaned_y_sum_sq"], rtol=1e-10, atol=0)


def test_live_cross_check_with_pyfixest(panel, fit):
    pf = pytest.importorskip("pyfixest")
    df = panel.assign(D=(panel["g"] * (panel["period"] >= 4)).astype(float))
    att = pf.feols("y ~ D | id + period", data=df, vcov={"CRV1": "id"})
    np.testing.assert_allclose(fit.estimate, float(att.coef()["D"]), rtol=1e-10, atol=0)
    np.testing.assert_allclose(fit.std_error, float(att.se()["D"]), rtol=1e-8, atol=0)


@pytest.mark.parametrize("missing", [0.0, 0.2])
def test_pretrend_slope_from_cell_sums_equals_row_path(missing):
    """The fast path takes the pre-period slope test from the fit's N × T cell sums; it
    equals the row-by-row unit slopes (the shared definition of the diagnostics)."""
    import importlib

    did_mod = importlib.import_module("impacteval.estimators.did")
    rng = np.random.default_rng(5)
    n_units, n_per = 4_000, 8
    unit = np.repeat(np.arange(n_units), n_per)
    per = np.tile(np.arange(n_per), n_units)
    g = (rng.random(n_units) < 0.3).astype(int)[unit]
    y = (1e4 + rng.normal(0, 2, n_units)[unit] + 0.3 * per + 0.1 * g * per
         + rng.normal(size=n_units * n_per))
    keep = rng.random(n_units * n_per) >= missing
    df = pd.DataFrame({"id": unit, "g": g, "p": per, "y": y})[keep]
    r = ie.did(df, outcome="y", unit="id", group="g", treated=1, period="p",
               pre=[0, 1, 2, 3], post=[4, 5, 6, 7])
    assert r.inference["engine"] == "fast"
    pre = df[df["p"] < 4]
    ent, _ = _fast.codes(pre["id"])
    ref = did_mod._pretrend_slope(pre["y"].to_numpy(float), ent, pre["p"].to_numpy(),
                                  pre["g"].to_numpy(float))
    assert set(ref) == {"pretrend_slope_diff", "pretrend_slope_se", "pretrend_slope_diff_sd"}
    for k, v in ref.items():
        np.testing.assert_allclose(r.diagnostics[k], v, rtol=1e-9, atol=0)


@pytest.mark.parametrize("shuffle", [False, True])
def test_balanced_shortcuts_equal_general_path(monkeypatch, shuffle):
    """A complete panel uses the balanced shortcuts (C = 1 1'; for rows in unit-then-period
    order the cell sums are a reshape). They equal the textbook within transformation
    and the general sparse path, which takes no shortcut."""
    rng = np.random.default_rng(11)
    n_units, n_per = 300, 6
    e = np.repeat(np.arange(n_units), n_per)
    t = np.tile(np.arange(n_per), n_units)
    if shuffle:
        p = rng.permutation(len(e))
        e, t = e[p], t[p]
    a = (rng.random(n_units) < 0.3).astype(float)[e]
    y = rng.normal(size=len(e)) + a * (t >= 3) + 0.2 * t
    tw = _fast.TwoWay(e, t)
    assert tw.balanced and tw.ordered is (not shuffle)
    ybar_i = pd.Series(y).groupby(e).transform("mean").to_numpy()
    ybar_t = pd.Series(y).groupby(t).transform("mean").to_numpy()
    np.testing.assert_allclose(tw.within(y), y - ybar_i - ybar_t + y.mean(), rtol=0, atol=1e-12)
    B = np.eye(n_per)[:, [0, 1, 3, 4, 5]]
    clusters = e // 4
    fast = tw.fit_unit_period(y, a, B, clusters)
    monkeypatch.setattr(_fast, "_DENSE_CELLS_PER_ROW", -10**9)
    general = _fast.TwoWay(e, t)
    assert not general.dense and not general.balanced
    ref = general.fit_unit_period(y, a, B, clusters)
    np.testing.assert_allclose(fast.params, ref.params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast.cov, ref.cov, rtol=1e-8, atol=1e-15)
    np.testing.assert_allclose(fast.resid, ref.resid, rtol=0, atol=1e-10)


def test_constant_check_equals_nunique():
    """The linear constant-column check of the adjusted comparison (no hashing of n
    values) agrees with pandas ``nunique(dropna=True) <= 1``."""
    from impacteval.estimators.difference import _at_most_one_value

    cases = [pd.Series([1.0, np.nan, 1.0]), pd.Series([0.0, -0.0]), pd.Series([1, 2]),
             pd.Series(["a", "a", None]), pd.Series(["a", "b"]), pd.Series([True, True]),
             pd.Series([True, False]), pd.Series([np.nan, np.nan]),
             pd.Series(pd.Categorical(["x", "x"])), pd.Series(pd.Categorical(["x", "y"])),
             pd.Series(pd.to_datetime(["2020-01-01", "2020-01-01"])),
             pd.Series([np.inf, np.inf]), pd.Series([], dtype=float)]
    for s in cases:
        assert _at_most_one_value(s) is bool(s.nunique(dropna=True) <= 1), s
