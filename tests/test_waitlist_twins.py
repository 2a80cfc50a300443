"""Matched DiD with not-yet-started twins (issue #15 point 3): with ``start=`` and a
comparison pool large enough for twins, the ladder finds each participant's twins among
all comparison units (never- and not-yet-started) on the earlier outcome and background,
and estimates the not-yet-started DiD (Callaway & Sant'Anna 2021) on the participants and
their twins: a twin who starts later is a comparison up to its start, never after."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_report_language import _problems

import impacteval as ie
from impacteval.estimators.staggered import staggered_did

TRUTH = -500.0
PRE, POST = [1, 2, 3, 4], [5, 6, 7, 8]


def _world(seed: int, n_t: int = 40, n_c: int = 240, late: int = 60,
           het: float = 0.5) -> pd.DataFrame:
    """Participants differ in a measured background that also drives the trend: the
    unmatched DiD is biased, twins on the earlier outcome and background are not."""
    rng = np.random.default_rng(seed)
    n = n_t + n_c
    t = np.r_[np.ones(n_t), np.zeros(n_c)].astype(bool)
    motiv = rng.normal(0, 1, n) + 0.8 * t
    age = 30 + 5 * motiv + rng.normal(0, 3, n)
    start = np.full(n, np.nan)
    start[t] = 5
    start[np.flatnonzero(~t)[:late]] = rng.integers(6, 10, late)  # some after the window
    fe = 5000 + 800 * motiv + rng.normal(0, 400, n)
    rows = []
    for p in range(1, 9):
        on = np.isfinite(start) & (p >= start)
        y = fe + 30 * p * (1 + het * motiv) + rng.normal(0, 300, n) + TRUTH * on
        rows.append(pd.DataFrame({"id": np.arange(n), "month": p, "y": y, "age": age,
                                  "group": np.where(t, "participant", "waitlist"),
                                  "start": start}))
    return pd.concat(rows, ignore_index=True)


def _evaluate(df: pd.DataFrame, **kw):
    return ie.evaluate(df, outcome="y", unit="id", period="month", group="group",
                       treated="participant", control="waitlist", pre=PRE, post=POST,
                       start="start", covariates=["age"], seed=1, **kw)


@pytest.fixture(scope="module")
def world():
    df = _world(1)
    return df, _evaluate(df)


def test_the_ladder_chooses_matched_did_with_not_yet_started_twins(world):
    df, ev = world
    assert ev.design == "matched_did"
    est = ev.estimate
    assert est.diagnostics["twins_not_yet"] is True
    w = est.diagnostics["waitlist"]
    # counted among the twins: how many of them started during the window
    assert int(w["n_comparison"]) == int(est.diagnostics["n_controls_used"])
    assert 0 < int(w["started_in_window"]) < int(w["n_comparison"])
    assert est.conf_low <= TRUTH <= est.conf_high
    assert "balance" in est.tables and "group_time" in est.tables
    # the not-yet-started twins, not a rejection for contamination
    codes = set(ev.steps.loc[ev.steps.design == "matched_did", "code"])
    assert "waitlist_started" in codes and "contamination" not in codes


def test_no_row_of_a_twin_after_its_start_is_used(world):
    df, ev = world
    bumped = df.copy()
    after = np.isfinite(bumped["start"]) & (bumped["month"] >= bumped["start"]) & \
        (bumped["group"] == "waitlist")
    assert after.sum() > 0
    bumped.loc[after, "y"] += 1e5
    ev2 = _evaluate(bumped)
    assert ev2.design == "matched_did"
    # the estimate itself is untouched; only the triangulation with the unmatched DiD
    # could move the interval, and it does not use post-start rows either
    np.testing.assert_allclose(ev2.estimate.estimate, ev.estimate.estimate, rtol=1e-10)
    np.testing.assert_allclose([ev2.estimate.conf_low, ev2.estimate.conf_high],
                               [ev.estimate.conf_low, ev.estimate.conf_high], rtol=1e-10)


def test_equals_the_not_yet_started_did_on_participants_and_their_twins(world):
    df, ev = world
    # the twins by hand: 1:k nearest neighbours without replacement on the earlier outcome
    # and age (ie.match on one row per unit, as the ladder does)
    pre = df[df.month.isin(PRE)].groupby("id")["y"].mean().rename("__pre__")
    post = df[df.month.isin(POST)].groupby("id")["y"].mean().rename("__post__")
    wide = df.groupby("id")[["group", "age"]].first().join(pre).join(post).reset_index()
    est0 = ev.estimate
    d = est0.diagnostics
    m = ie.match(wide, outcome="__post__", group="group", treated="participant",
                 control="waitlist", covariates=["__pre__", "age"], unit="id", replace=False,
                 k=d["k"], distance=d["distance"], caliper=d["caliper"])
    w = m._sensitivity["unit_weights"]
    keep = w.index[w.to_numpy() > 0]
    sub = df[df.id.isin(keep)].assign(only=lambda x: x.group == "waitlist")
    hand = staggered_did(sub, outcome="y", unit="id", period="month", start="start",
                         control="not_yet", only_compare="only", n_boot=0)
    gt = est0.tables["group_time"]
    np.testing.assert_allclose(gt["estimate"].to_numpy(),
                               hand.tables["group_time"]["estimate"].to_numpy(), rtol=1e-10)
    n_twins = int((wide.set_index("id").loc[keep, "group"] == "waitlist").sum())
    assert int(d["n_matched"]) <= n_twins <= int(d["n_matched"]) * d["k"]


def test_the_unmatched_did_is_further_from_the_truth_over_worlds():
    errs_m, errs_d, covered = [], [], 0
    for seed in range(6):
        ev = _evaluate(_world(10 + seed, het=2.0))
        assert ev.design == "matched_did"
        did = ev.sensitivity["did"]
        errs_m.append(ev.estimate.estimate - TRUTH)
        errs_d.append(did.estimate - TRUTH)
        covered += ev.estimate.conf_low <= TRUTH <= ev.estimate.conf_high
    assert abs(np.mean(errs_m)) < abs(np.mean(errs_d))
    assert covered >= 5


def test_a_pool_too_small_for_twins_leaves_the_did():
    df = _world(2, n_t=40, n_c=60, late=20)
    ev = _evaluate(df)
    assert ev.design == "did"
    md = ev.steps[ev.steps.design == "matched_did"]
    assert (md.verdict == "rejected").all() and md.estimate.isna().all()
    assert "pool_small" in set(md.code)


def test_explained_in_swedish(world):
    df, ev = world
    text = ev.explain("sv")
    assert "tvilling" in text.lower() or "tvillingar" in text.lower()
    assert "fram till sin egen start" in text
    assert _problems(text, {"y", "age", "id", "month", "participant", "waitlist"}) == []
