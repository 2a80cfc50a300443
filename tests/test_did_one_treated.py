"""DiD with one treated unit: two-way FE estimate with placebo-in-space inference.

Oracles: linearmodels ``PanelOLS`` (the estimate, and every placebo estimate refitted
independently), the published California Proposition 99 DiD (Arkhangelsky et al. 2021,
Table 1), and the exact null distribution of a rank p-value.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from linearmodels.panel import PanelOLS

import impacteval as ie
from impacteval.errors import InsufficientDataError, MethodError

REF = Path(__file__).parent / "reference" / "synthetic"


def _need_public_data(name: str) -> None:
    """Published data sets are not shipped with the repository (their licences and
    origin are the original authors'): put the file in ``tests/reference/<topic>/`` to
    run the reproduction (see the README there); otherwise the test is skipped."""
    if not (REF / name).exists():
        pytest.skip(f"{name} (public data, not shipped) is not in {REF}")


def panel(seed: int, n_control: int = 19, n_t: int = 8, n_pre: int = 5, effect: float = 3.0):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_control + 1):
        a = rng.normal(0, 3)
        for t in range(n_t):
            y = 20 + a + 0.4 * t + rng.normal(0, 1) + (effect if i == 0 and t >= n_pre else 0)
            rows.append((f"u{i:02d}", int(i == 0), t, y))
    return pd.DataFrame(rows, columns=["id", "g", "t", "y"])


def twfe(df: pd.DataFrame, treated_id: str, n_pre: int) -> float:
    d = df.set_index(["id", "t"])
    d["D"] = ((d.index.get_level_values(0) == treated_id)
              & (d.index.get_level_values(1) >= n_pre)).astype(float)
    return float(PanelOLS(d["y"], d[["D"]], entity_effects=True, time_effects=True).fit()
                 .params["D"])


def run(df, n_pre=5, n_t=8, **kw):
    return ie.did(df, outcome="y", unit="id", group="g", period="t", pre=list(range(n_pre)),
                  post=list(range(n_pre, n_t)), **kw)


def test_estimate_and_every_placebo_match_panelols():
    df = panel(1)
    r = run(df)
    assert r.n_treated == 1 and r.n_control == 19 and r.design == "did"
    np.testing.assert_allclose(r.estimate, twfe(df, "u00", 5), rtol=1e-10)
    # placebo j: unit j treated, the real treated unit left out
    controls = df[df.g == 0]
    placebo = np.array([twfe(controls, u, 5) for u in sorted(controls.id.unique())])
    np.testing.assert_allclose(np.sort(r.estimate - r.draws), np.sort(placebo), rtol=1e-9,
                               atol=1e-10)
    p = (1 + np.sum(np.abs(placebo) >= abs(r.estimate))) / (len(placebo) + 1)
    np.testing.assert_allclose(r.p_value, p, rtol=1e-12)
    assert "placebo-in-space" in r.inference["method"]
    assert "cluster" not in r.inference["method"].lower()


def test_interval_inverts_the_placebo_test():
    df = panel(2, effect=0.0)
    r = run(df)
    placebo = r.estimate - r.draws
    # an effect a is in the interval iff the rank test of estimate - a is not rejected
    for a in np.linspace(r.conf_low - 2, r.conf_high + 2, 41):
        p = (1 + np.sum(np.abs(placebo) >= abs(r.estimate - a) - 1e-12)) / (len(placebo) + 1)
        inside = r.conf_low <= a <= r.conf_high
        assert inside == (p > 0.05), (a, p)


def test_rank_p_value_has_its_exact_null_size():
    # exchangeable units, no effect: P(p <= 1/20) = 1/20 exactly with 19 comparison units
    rej = [run(panel(100 + s, effect=0.0)).p_value <= 0.05 + 1e-12 for s in range(400)]
    assert 0.025 <= np.mean(rej) <= 0.08


def test_few_comparison_units_give_an_unbounded_interval_with_a_note():
    r = run(panel(3, n_control=9))
    assert math.isinf(r.conf_low) and math.isinf(r.conf_high)
    assert any("no two-sided 95 % placebo interval" in n for n in r.notes)
    assert r.p_value >= 1 / 10


def test_refuses_cluster_robust_and_bootstrap_inference():
    df = panel(4)
    with pytest.raises(MethodError, match="placebo-in-space"):
        run(df, ci="analytic")
    with pytest.raises(MethodError, match="placebo-in-space"):
        run(df, ci="wild")


def test_one_comparison_unit_is_an_error():
    df = panel(5, n_control=1)
    with pytest.raises(InsufficientDataError, match="at least 2"):
        run(df)


def test_input_not_modified_and_incomplete_donor_counted():
    df = panel(6)
    df = df.drop(index=df[(df.id == "u03") & (df.t == 2)].index)
    before = df.copy()
    with pytest.warns(ie.errors.DroppedRowsWarning):
        r = run(df)
    pd.testing.assert_frame_equal(df, before)
    assert r.n_control == 18
    assert r.diagnostics["dropped"]["comparison units without a value in every period analysed"] == 1


def test_two_treated_units_still_use_the_panel_path():
    df = panel(7)
    df.loc[df.id == "u01", "g"] = 1
    r = run(df)
    assert r.n_treated == 2 and "PanelOLS" in r.inference["method"]


def test_published_prop99_did():
    """Arkhangelsky et al. (2021), Table 1: DID estimate -27.3 for California's Proposition 99."""
    pub = json.loads((REF / "reference.json").read_text())["published"]
    _need_public_data("california_prop99.csv")
    df = pd.read_csv(REF / "california_prop99.csv", sep=";")
    df["ca"] = (df["State"] == "California").astype(int)
    r = ie.did(df, outcome="PacksPerCapita", unit="State", group="ca", period="Year",
               pre=list(range(1970, 1989)), post=list(range(1989, 2001)))
    assert r.n_control == 38
    np.testing.assert_allclose(r.estimate, pub["prop99_did"], atol=0.05)
    # 38 placebo states: the smallest possible p-value is 1/39
    assert r.p_value >= 1 / 39 and r.diagnostics["n_placebos"] == 38


def test_teaching_set_did_one_unit():
    df = ie.datasets.load_teaching("synthetic_control")
    r = ie.did(df, outcome="care_cost_ksek", unit="municipality", group="project", treated=1,
               period="month", pre=list(range(1, 25)), post=list(range(25, 37)))
    assert r.design == "did" and r.n_treated == 1 and r.n_control == 19
    assert r.p_value == pytest.approx(0.05, abs=1e-12)


def few(seed, k=3, n_control=20, effect=2.0):
    df = panel(seed, n_control=n_control + k - 1, effect=effect)
    df.loc[df["id"].isin([f"u{i:02d}" for i in range(k)]), "g"] = 1
    treated = df["id"].isin([f"u{i:02d}" for i in range(k)]) & (df["t"] >= 5)
    df.loc[treated, "y"] += effect
    return df


def test_few_treated_units_placebo_sets_match_panelols():
    df = few(11, k=3, n_control=12)
    r = run(df, ci="permutation")
    assert r.n_treated == 3 and r.n_control == 12
    d = df.set_index(["id", "t"])
    d["D"] = ((d["g"] == 1) & (d.index.get_level_values(1) >= 5)).astype(float)
    ref = PanelOLS(d["y"], d[["D"]], entity_effects=True, time_effects=True).fit().params["D"]
    np.testing.assert_allclose(r.estimate, ref, rtol=1e-10)
    # every set of 3 of the 12 comparison units as pseudo-treated, refitted by PanelOLS
    from itertools import combinations
    controls = df[df["g"] == 0]
    ids = sorted(controls["id"].unique())
    sets = list(combinations(ids, 3))
    assert r.diagnostics["n_placebos"] == len(sets) == 220
    check = []
    for s in sets[::20]:
        c = controls.set_index(["id", "t"])
        c["D"] = (c.index.get_level_values(0).isin(s) & (c.index.get_level_values(1) >= 5)
                  ).astype(float)
        check.append(PanelOLS(c["y"], c[["D"]], entity_effects=True, time_effects=True)
                     .fit().params["D"])
    placebo = r.estimate - r.draws
    np.testing.assert_allclose(placebo[::20], check, rtol=1e-9, atol=1e-10)
    assert "Conley & Taber" in " ".join(r.notes)


def test_few_treated_units_null_size():
    rej = [run(few(300 + s, k=2, n_control=15, effect=0.0), ci="permutation").p_value <= 0.05
           for s in range(300)]
    assert 0.02 <= np.mean(rej) <= 0.085
