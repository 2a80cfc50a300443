"""Participants who start in waves (issue #15): the ladder uses group-time effects with
not-yet-started comparisons, not a pooled two-way fixed-effects DiD."""

from __future__ import annotations

import warnings

import pytest

import impacteval as ie
from impacteval.datasets import load_teaching, teaching_roles, teaching_truth


def test_staggered_teaching_set_lands_on_group_time_effects():
    df = load_teaching("staggered")
    roles = teaching_roles("staggered")
    truth = teaching_truth("staggered")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(df, **roles)
    assert ev.design == "did"
    assert "influence-function" in ev.estimate.inference["method"]  # Callaway & Sant'Anna
    cs = ie.did(df, outcome="reading", unit="pupil_id", period="quarter",
                start="start_quarter", control="not_yet")
    assert ev.estimate.estimate == pytest.approx(cs.estimate, rel=1e-10)
    assert ev.estimate.conf_low <= truth <= ev.estimate.conf_high
    # the pooled two-way fixed-effects DiD misses the truth (Goodman-Bacon 2021)
    twfe = ie.did(df, outcome="reading", unit="pupil_id", group="group",
                  treated="participant", period="quarter", pre=roles["pre"],
                  post=roles["post"])
    assert not twfe.conf_low <= truth <= twfe.conf_high
