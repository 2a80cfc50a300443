"""The ladder's one-treated-unit rungs: synthetic control, one-unit DiD and interrupted
time series, on the teaching sets and on edge cases."""

from __future__ import annotations

import numpy as np
import pytest

import impacteval as ie
from impacteval.ladder.registry import DESIGNS


@pytest.fixture(scope="module")
def sc_eval():
    df = ie.datasets.load_teaching("synthetic_control")
    return ie.evaluate(df, outcome="care_cost_ksek", unit="municipality", period="month",
                       group="project", treated=1, pre=list(range(1, 25)),
                       post=list(range(25, 37)))


@pytest.fixture(scope="module")
def its_eval():
    df = ie.datasets.load_teaching("interrupted_time_series")
    m = list(df["month"])
    return ie.evaluate(df, outcome="care_cost_ksek", unit="municipality", period="month",
                       pre=m[:36], post=m[36:])


def test_registry_scores():
    assert DESIGNS["synthetic_control"][:2] == (4, 3)
    assert DESIGNS["interrupted_time_series"][:2] == (2, 2)


def test_teaching_synthetic_control_lands_on_its_rung(sc_eval):
    ev = sc_eval
    assert ev.design == "synthetic_control" and ev.score == 4 and ev.sms_level == 3
    assert ev.estimate.conf_high < 0
    steps = ev.steps.set_index("design")
    # the one-unit DiD (placebo inference) is the equal-score bracket
    assert ev.bracket == "did"
    assert "placebo-in-space" in ev.sensitivity["did"].inference["method"]
    assert steps.loc["interrupted_time_series", "verdict"] == "infeasible"
    sv = ev.explain(lang="sv")
    assert "syntetisk kontroll" in sv and "matchning kräver flera deltagare" in sv
    assert "group column" not in sv and "treated" not in sv
    assert steps.loc["matched_did", "verdict"] == "infeasible"
    assert "synthetic control" in ev.explain(lang="en")


def test_teaching_its_lands_on_its_rung(its_eval):
    ev = its_eval
    assert ev.design == "interrupted_time_series" and ev.score == 2 and ev.sms_level == 2
    assert ev.estimate.conf_low < -83 < ev.estimate.conf_high
    assert ev.estimate.diagnostics["seasonality"] == "month dummies"
    assert "avbruten tidsserie" in ev.explain(lang="sv")


def test_its_needs_eight_pre_periods():
    df = ie.datasets.load_teaching("interrupted_time_series")
    m = list(df["month"])
    rng = np.random.default_rng(1)
    # a caseload of 5 units: with 6 pre periods ITS is infeasible and before-after is chosen
    many = []
    for i in range(5):
        d = df.iloc[30:].copy()
        d["unit"] = i
        d["care_cost_ksek"] = d["care_cost_ksek"] + rng.normal(0, 5, len(d))
        many.append(d)
    import pandas as pd
    caseload = pd.concat(many, ignore_index=True)
    ev = ie.evaluate(caseload, outcome="care_cost_ksek", unit="unit", period="month",
                     pre=m[30:36], post=m[36:])
    steps = ev.steps.set_index("design")
    assert steps.loc["interrupted_time_series", "verdict"] == "infeasible"
    assert ev.design == "before_after"
    # with the whole series the same caseload climbs to ITS (on the units' mean series)
    full = pd.concat([df.assign(unit=i, care_cost_ksek=df["care_cost_ksek"]
                                + rng.normal(0, 5, len(df))) for i in range(5)],
                     ignore_index=True)
    ev = ie.evaluate(full, outcome="care_cost_ksek", unit="unit", period="month",
                     pre=m[:36], post=m[36:])
    assert ev.design == "interrupted_time_series"
    assert "before_after" in ev.sensitivity


def test_few_donors_reject_synthetic_control_and_one_unit_did():
    df = ie.datasets.load_teaching("synthetic_control")
    keep = list(df["municipality"].cat.categories[:11])  # Norrvik + 10 donors
    small = df[df["municipality"].isin(keep)]
    with pytest.raises(ie.errors.InsufficientDataError):
        # every design needs >= 19 comparison units or >= 2 participants here
        ie.evaluate(small, outcome="care_cost_ksek", unit="municipality", period="month",
                    group="project", treated=1, pre=list(range(1, 25)),
                    post=list(range(25, 37)))


def test_two_treated_units_skip_synthetic_control():
    df = ie.datasets.load_teaching("synthetic_control").copy()
    df.loc[df["municipality"].isin(["Almby", "Dalby"]), "project"] = 1
    ev = ie.evaluate(df, outcome="care_cost_ksek", unit="municipality", period="month",
                     group="project", treated=1, pre=list(range(1, 25)),
                     post=list(range(25, 37)))
    steps = ev.steps.set_index("design")
    assert steps.loc["synthetic_control", "verdict"] == "infeasible"
    assert np.isfinite(ev.estimate.estimate)


def test_thresholds_move_the_new_rungs():
    df = ie.datasets.load_teaching("interrupted_time_series")
    m = list(df["month"])
    with pytest.raises(ie.errors.InsufficientDataError):  # nothing else fits one series
        ie.evaluate(df, outcome="care_cost_ksek", unit="municipality", period="month",
                    pre=m[:36], post=m[36:], thresholds=ie.Thresholds(its_min_pre=40))
    sc = ie.datasets.load_teaching("synthetic_control")
    ev = ie.evaluate(sc, outcome="care_cost_ksek", unit="municipality", period="month",
                     group="project", treated=1, pre=list(range(1, 25)),
                     post=list(range(25, 37)), thresholds=ie.Thresholds(sc_min_pre_r2=0.9))
    assert ev.design == "synthetic_control"
    assert ev.context["threats"] and ev.ratings["security"] <= 3
