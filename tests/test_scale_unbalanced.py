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
