"""Every threshold of the rulebook is read: changing it changes the verdict.

For each :class:`~impacteval.Thresholds` field, a small data set on which the
default value and a changed value give different evaluations: another design, a
check that passes or fails, a rating, a threat, a rejection reason. What is
compared leaves out the printed threshold itself, so a field that only appears in
a label does not count as read.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval.errors import ImpactEvalWarning


def _panel(n_t=40, n_c=120, n_pre=4, n_post=2, effect=1.0, lost=0, seed=2, trend=0.0):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_t + n_c):
        tr = i < n_t
        a = rng.normal(10, 2)
        x = a + rng.normal(0, 1)
        for t in range(n_pre + n_post):
            post = t >= n_pre
            y = a + 0.3 * t + (trend * t if tr else 0) + (effect if tr and post else 0) \
                + rng.normal(0, 1)
            if post and tr and i < lost:
                y = np.nan
            rows.append((i, "p" if tr else "c", t, y, x))
    return pd.DataFrame(rows, columns=["id", "grp", "t", "y", "x"])


def _rct(n=60, lost_t=0, lost_c=0, seed=1, starts=0):
    rng = np.random.default_rng(seed)
    g = np.array([1] * n + [0] * n)
    base = rng.normal(0, 1, 2 * n)
    y1 = 0.7 * base + 0.5 * g + rng.normal(0, 0.7, 2 * n)
    rows = []
    for i in range(2 * n):
        start = 1 if (g[i] == 0 and i - n < starts) else np.nan
        rows.append((i, g[i], 0, base[i], start, i % 4))
        lost = (g[i] == 1 and i < lost_t) or (g[i] == 0 and i - n < lost_c)
        rows.append((i, g[i], 1, np.nan if lost else y1[i], start, i % 4))
    return pd.DataFrame(rows, columns=["id", "g", "t", "y", "start", "school"])


def _trend_panel(slope=0.25):
    """Participants' outcome rose ``slope`` per period faster before the start (stops there)."""
    df = _panel()
    pre_t = (df["grp"] == "p") & (df["t"] < 4)
    df.loc[pre_t, "y"] += slope * (df.loc[pre_t, "t"] - 4)
    return df


def _its_series():
    return ie.datasets.load_teaching("interrupted_time_series")


def _sc_panel(outside=0):
    """The synthetic-control teaching set; with ``outside`` > 0 the treated municipality
    lies above every donor in its first ``outside`` months."""
    d = ie.datasets.load_teaching("synthetic_control").copy()
    if outside:
        top = d[d["project"] == 0].groupby("month")["care_cost_ksek"].max()
        m = (d["project"] == 1) & d["month"].isin(range(1, 1 + outside))
        d.loc[m, "care_cost_ksek"] = d.loc[m, "month"].map(top) + 50
    return d


_MONTHS = [f"{2018 + i // 12}-{i % 12 + 1:02d}" for i in range(60)]
ITS = dict(outcome="care_cost_ksek", unit="municipality", period="month", pre=_MONTHS[:36],
           post=_MONTHS[36:])
SC = dict(outcome="care_cost_ksek", unit="municipality", period="month", group="project",
          treated=1, pre=list(range(1, 25)), post=list(range(25, 37)))

PANEL = dict(outcome="y", unit="id", group="grp", treated="p", period="t",
             pre=[0, 1, 2, 3], post=[4, 5])
PANEL_X = dict(PANEL, covariates=["x"])
RCT = dict(outcome="y", unit="id", group="g", period="t", pre=0, post=1,
           assignment="randomized")


def _one_school_panel():
    df = _panel(n_t=20, n_c=40)
    df["school"] = np.where(df.grp == "p", "A", np.where(df.id % 2 == 0, "B", "C"))
    return df


#: field -> (data maker, roles, base thresholds, changed value)
SCENARIOS = {
    "baseline_g_ok": (_panel, PANEL, {}, 0.0),
    "baseline_g_adjust": (_rct, dict(RCT, assignment="lottery_waitlist"), {}, 0.0),
    "smd_good": (_panel, PANEL_X, {}, 0.0),
    "smd_max": (_panel, PANEL_X, {}, 0.0),
    "variance_ratio_low": (_panel, PANEL_X, {}, 0.999),
    "variance_ratio_high": (_panel, PANEL_X, {}, 1.001),
    "ps_smd_max": (_panel, PANEL_X, {}, 0.0),
    "ps_smd_warn": (_panel, PANEL_X, {}, 0.0),
    "caliper_sd": (_panel, PANEL_X, {}, 0.001),
    "matched_share_pass": (_panel, PANEL_X, {}, 1.01),
    "matched_share_min": (_panel, PANEL_X, {}, 1.01),
    "pool_ratio": (_panel, PANEL_X, {}, 100.0),
    "events_per_parameter": (_panel, PANEL_X, {}, 1000.0),
    "pretrend_slope_sd": (_panel, PANEL, {}, 0.0),
    "pretrend_alpha": (_panel, PANEL, {}, 0.9999),
    "pretrend_visible_z": (_trend_panel, PANEL, {"pretrend_shown_alpha": 1e-9}, 50.0),
    "its_min_pre": (_its_series, ITS, {}, 37),
    "sc_min_pre_r2": (_sc_panel, SC, {}, 0.9),
    "sc_outside_share": (lambda: _sc_panel(outside=3), SC, {}, 0.05),
    "pretrend_visible_cap": (_trend_panel, PANEL, {}, 0),
    "pretrend_shown_alpha": (_trend_panel, PANEL, {}, 1e-9),
    "pretrend_ignored_cap": (_trend_panel, PANEL, {"pretrend_slope_sd": 0.0}, 5),
    "dip_sd": (_panel, PANEL, {"pool_ratio": 100.0}, 0.0),
    "dip_cap": (_panel, PANEL, {"pool_ratio": 100.0, "dip_sd": 0.0}, 5),
    "rtm_sd": (_one_school_panel, dict(PANEL, cluster="school"), {}, 0.0),
    "benchmark_need_sd": (lambda: ie.datasets.load_teaching("benchmark"),
                          dict(outcome="vocabulary",
                               reference=ie.Reference(mean=100, sd=15)), {}, 10.0),
    "composition_pp": (lambda: _panel(lost=10), PANEL, {"pool_ratio": 100.0}, 0.0),
    "its_min_points": (_one_school_panel, dict(PANEL, cluster="school"), {}, 2),
    "attrition_boundary": (lambda: _rct(lost_t=12, lost_c=6, seed=3), RCT, {}, "optimistic"),
    "reuse_max": (_panel, PANEL_X, {}, 0),
    "ess_share": (_panel, PANEL_X, {}, 1.0),
    "crossover_share": (lambda: _rct(starts=3), dict(RCT, start="start"), {}, 0.0),
    "min_clusters_per_arm": (_rct, dict(RCT, cluster="school"), {}, 5),
    "few_clusters": (_rct, dict(RCT, cluster="school"), {}, 1),
    "few_treated_clusters": (_rct, dict(RCT, cluster="school"), {}, 1),
    "cutoff_min_units": (_rct, dict(RCT, assignment="rule_cutoff"), {}, 80),
    "mdes_bands": (_rct, RCT, {}, (10.0, 10.0, 10.0, 10.0, 10.0)),
    "attrition_bands": (lambda: _rct(lost_t=5, lost_c=5), RCT, {},
                        (0.01, 0.02, 0.03, 0.04, 0.05)),
    "max_threat_drop": (lambda: ie.datasets.load_teaching("benchmark"),
                        dict(outcome="vocabulary", reference=ie.Reference(mean=100, sd=15)),
                        {}, 0),
    "alpha": (_rct, RCT, {}, 0.9),
    "power": (_rct, RCT, {}, 0.05),
}


def _fingerprint(ev):
    if isinstance(ev, Exception):
        return (type(ev).__name__, str(ev))
    steps = ev.steps[["design", "diagnostic", "passed", "must_pass", "verdict"]]
    e = ev.estimate
    return (ev.design, ev.sms_level, round(e.conf_low, 9), round(e.conf_high, 9),
            tuple((k, ev.ratings[k]) for k in ("design", "precision", "attrition", "security")),
            tuple(c for c, _ in ev.context["threats"]),
            (round(ev.estimate.conf_low, 9), round(ev.estimate.conf_high, 9)),
            tuple(map(tuple, steps.astype(str).to_numpy())),
            tuple((d, c, tuple(sorted((k, str(v)) for k, v in p.items())))
                  for d, c, p in ev._rejections))


def _evaluate(data, roles, th):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        try:
            return ie.evaluate(data, **roles, thresholds=th, n_boot=999)
        except ie.errors.ImpactEvalError as exc:  # e.g. no rung left for one series
            return exc


def test_every_threshold_has_a_scenario():
    assert set(SCENARIOS) == {f.name for f in dataclasses.fields(ie.Thresholds)}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_changing_a_threshold_changes_the_result(name):
    make, roles, base, changed = SCENARIOS[name]
    data = make()
    th0 = ie.Thresholds(**base)
    assert getattr(th0, name) != changed
    before = _fingerprint(_evaluate(data, roles, th0))
    after = _fingerprint(_evaluate(data, roles, th0.with_(**{name: changed})))
    assert before != after, name
