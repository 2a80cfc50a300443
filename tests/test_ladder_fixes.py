"""Bugs found in the ladder's seams, each with the test that failed before its fix."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval.errors import ImpactEvalWarning


def _rct_long(n=40, seed=11, lost=0):
    rng = np.random.default_rng(seed)
    g = np.array(["t"] * n + ["c"] * n)
    base = rng.normal(50, 10, 2 * n)
    y1 = 0.8 * base + 10 + 4 * (g == "t") + rng.normal(0, 5, 2 * n)
    rows = []
    for i in range(2 * n):
        rows.append((i, g[i], "pre", base[i], rng.normal()))
        rows.append((i, g[i], "post", np.nan if i < lost else y1[i], np.nan))
    return pd.DataFrame(rows, columns=["id", "grp", "period", "y", "x"])


ROLES = dict(outcome="y", unit="id", group="grp", treated="t", period="period", pre="pre",
             post="post")


def _quiet_eval(df, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        return ie.evaluate(df, **kw)


def test_randomized_relative_scale_is_relative():
    df = _rct_long()
    ev = _quiet_eval(df, **ROLES, assignment="randomized", scale="relative", seed=5,
                     n_boot=999)
    assert ev.design == "randomized"
    assert ev.estimate.scale == "relative"
    ref = ie.difference(df, outcome="y", unit="id", group="grp", treated="t", period="period",
                        post="post", scale="relative", seed=5, n_boot=999)
    assert ev.estimate.estimate == pytest.approx(ref.estimate, rel=1e-12)
    assert ev.estimate.conf_low == pytest.approx(ref.conf_low, rel=1e-12)


def _small_pool(seed=4, n_t=30, n_c=40):
    """After-only data with a covariate and offices: the pool is too small to match."""
    rng = np.random.default_rng(seed)
    n = n_t + n_c
    g = np.array(["t"] * n_t + ["c"] * n_c)
    x = rng.normal(0, 1, n)
    office = rng.integers(0, 8, n)
    y = 2 * x + 1.0 * (g == "t") + rng.normal(0, 1, n)
    return pd.DataFrame({"grp": g, "x": x, "office": office, "y": y})


def test_adjusted_comparison_regression_gets_ci_n_boot_and_seed():
    df = _small_pool()
    ev = _quiet_eval(df, outcome="y", group="grp", treated="t", covariates=["x"],
                     cluster="office", ci="wild", n_boot=199, seed=3)
    est = ev.estimate if ev.design == "adjusted_comparison" else \
        ev.sensitivity["adjusted_comparison"]
    ref = ie.difference(df, outcome="y", group="grp", treated="t", covariates=["x"],
                        cluster="office", ci="wild", n_boot=199, seed=3)
    assert est.inference.get("seed") == 3
    assert est.conf_low == pytest.approx(ref.conf_low, rel=1e-12)
    assert est.conf_high == pytest.approx(ref.conf_high, rel=1e-12)


def test_matching_says_when_it_cannot_give_the_interval_asked_for():
    df = ie.datasets.load_teaching("matched_did")
    kw = dict(outcome="earnings_ksek", unit="person_id", group="group", treated="participant",
              period="period", pre="pre", post="post", covariates=["age"])
    auto = _quiet_eval(df, **kw)
    boot = _quiet_eval(df, **kw, ci="percentile", n_boot=199, seed=2)
    assert boot.design == auto.design == "matched_did"
    # the matching interval itself (before the triangulation with the unmatched DiD, whose
    # own interval does follow ci=) is the analytic one either way
    def matched_low(ev):
        return ev.estimate.diagnostics.get("matched_conf_low", ev.estimate.conf_low)

    assert matched_low(boot) == pytest.approx(matched_low(auto), rel=1e-12)
    assert any("ci='percentile' is not available" in n for n in boot.estimate.notes)


@pytest.mark.parametrize("with_baseline", [True, False])
def test_natural_experiment_estimate_is_labelled_natural_experiment(with_baseline):
    df = _rct_long(seed=12)
    kw = dict(ROLES) if with_baseline else dict(ROLES, pre=None, post=None, unit=None,
                                                 period=None)
    if not with_baseline:
        df = df[df.period == "post"].drop(columns="period")
    ev = _quiet_eval(df, **kw, assignment="lottery_waitlist")
    assert ev.design == "natural_experiment"
    assert ev.estimate.design == "natural_experiment"
    assert ev.estimate.tidy()["design"].iloc[0] == "natural_experiment"


@pytest.mark.parametrize(("lang", "phrase"), [("en", "80 % interval"),
                                              ("sv", "80 % konfidensintervall")])
def test_the_interval_level_printed_is_the_one_used(lang, phrase):
    df = ie.datasets.load_teaching("did")
    ev = _quiet_eval(df, outcome="welfare_ksek", unit="household_id", group="group",
                     treated="participant", period="period", pre="pre", post="post",
                     conf_level=0.80)
    assert ev.estimate.conf_level == 0.80
    text = ev.explain(lang)
    assert phrase in text and "95 %" not in text
    html = ev.to_html(lang=lang)
    assert "95 %" not in html and "80 %" in html


@pytest.mark.parametrize("bad", [
    dict(n_boot=0), dict(n_boot=2.5), dict(n_boot=True), dict(seed="x"), dict(seed=-1),
    dict(reference=float("nan")), dict(reference=ie.Reference(mean=100, sd=-1)),
    dict(reference="high"), dict(assignment="lottery"), dict(start=3),
])
def test_argument_errors_come_before_the_ladder_runs(bad, monkeypatch):
    from impacteval.ladder import core

    def boom(ctx):  # the ladder must not be reached
        raise AssertionError("the ladder ran")

    monkeypatch.setattr(core, "_evaluate_one", boom)
    df = ie.datasets.load_teaching("did")
    with pytest.raises(ie.errors.ImpactEvalError):
        ie.evaluate(df, outcome="welfare_ksek", unit="household_id", group="group",
                    treated="participant", period="period", pre="pre", post="post", **bad)


def test_a_rung_that_crashes_is_could_not_be_estimated():
    from impacteval.ladder import Rung, registered

    class Crashing(Rung):
        name = "crashing"
        score = 9
        texts = {"en": {"name": "crashing design", "rule": "-"},
                 "sv": {"name": "kraschande design", "rule": "-"}}

        def estimate(self, ctx):
            raise ZeroDivisionError("division by zero in a rung")

    df = ie.datasets.load_teaching("comparison")
    with registered(Crashing()):
        ev = _quiet_eval(df, outcome="merit", group="group", treated="participant")
    assert ev.design == "comparison"
    row = ev.steps[ev.steps.design == "crashing"].iloc[0]
    assert row["verdict"] == "rejected" and not row["passed"]
    assert "could not be estimated" in row["reason"] and "ZeroDivisionError" in row["reason"]


@pytest.fixture(scope="module")
def matched_ev():
    df = ie.datasets.load_teaching("matched_did")
    return _quiet_eval(df, outcome="earnings_ksek", unit="person_id", group="group",
                       treated="participant", period="period", pre="pre", post="post",
                       covariates=["age"])


def test_results_are_immutable_all_the_way_down(matched_ev):
    ev = matched_ev
    m = ev.estimate
    before = float(m.tables["balance"]["smd_after"].abs().max())
    m.tables["balance"]["smd_after"] = 0
    assert float(m.tables["balance"]["smd_after"].abs().max()) == before
    with pytest.raises(TypeError):
        ev.ratings["security"] = 5
    with pytest.raises(TypeError):
        ev.attrition["overall"] = 0.0
    with pytest.raises(TypeError):
        ev.mde["mdes"] = 0.0
    with pytest.raises(TypeError):
        ev.sensitivity["did"] = None
    with pytest.raises(TypeError):
        m.diagnostics["dropped"]["x"] = 1
    ev.steps.loc[0, "verdict"] = "chosen"
    assert ev.steps.loc[0, "verdict"] != "chosen" or ev.steps.loc[0, "design"] == ev.design
    n = len(ev.steps)
    ev.steps.drop(index=ev.steps.index, inplace=True)
    assert len(ev.steps) == n


def test_unit_ids_never_in_to_dict_unless_asked():
    rng = np.random.default_rng(8)
    n_t, n_c = 20, 150
    g = np.array(["p"] * n_t + ["c"] * n_c)
    x = rng.normal(np.where(g == "p", 2.5, 0.0), 1.0)  # some participants have no twin
    df = pd.DataFrame({"person_id": [f"QZ{i:03d}X" for i in range(n_t + n_c)], "group": g,
                       "x": x, "y": x + rng.normal(size=n_t + n_c)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        m = ie.match(df, outcome="y", group="group", treated="p", covariates=["x"],
                     unit="person_id", caliper=0.05)
    assert m.diagnostics["n_unmatched"] > 0
    import json

    text = json.dumps(m.to_dict()) + m.summary() + m.tidy().to_csv()
    assert not [i for i in df["person_id"] if i in text]
    assert "unmatched_ids" not in m.to_dict()["diagnostics"]
    assert m.to_dict(include_ids=True)["diagnostics"]["unmatched_ids"]


def test_covariates_recorded_on_the_baseline_row_only():
    df = ie.datasets.load_teaching("matched_did")
    kw = dict(outcome="earnings_ksek", unit="person_id", group="group", treated="participant",
              period="period", pre="pre", post="post", covariates=["age", "education"])
    full = _quiet_eval(df, **kw)
    sparse = df.copy()
    sparse.loc[sparse["period"] == "post", ["age", "education"]] = np.nan
    before = sparse.copy(deep=True)
    ev = _quiet_eval(sparse, **kw)
    pd.testing.assert_frame_equal(sparse, before)  # the caller's data are not changed
    assert ev.design == full.design
    assert ev.estimate.estimate == pytest.approx(full.estimate.estimate, rel=1e-12)
    assert ev.mde["mdes"] == pytest.approx(full.mde["mdes"], rel=1e-12)
    assert list(ev.steps["verdict"]) == list(full.steps["verdict"])


def test_report_draws_the_propensity_model_matching_used(matched_ev):
    from impacteval.report import REPORT_TEXT

    df = ie.datasets.load_teaching("matched_did")
    caption = REPORT_TEXT["en"]["fig_overlap_ps"]
    # the ladder matched on Mahalanobis distance here (18 participants): no propensity figure
    assert all(x.diagnostics.get("caliper_units") == "Mahalanobis distance"
               for x in [matched_ev.estimate, matched_ev.sensitivity.get("matched")] if x)
    assert caption not in matched_ev.to_html(data=df)
    # 40 participants and one covariate: propensity-score matching, and its model is drawn
    from test_ladder_thresholds import PANEL_X, _panel

    data = _panel()
    ev = _quiet_eval(data, **PANEL_X)
    src = [x for x in [ev.estimate, *ev.sensitivity.values()]
           if x.diagnostics.get("caliper_units") == "SD of the logit propensity score"]
    assert src
    assert caption in ev.to_html(data=data)
