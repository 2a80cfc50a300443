"""Repeated cross-sections in ie.evaluate (issue #15): different people each period, no
unit column. The ladder runs the DiD on the rows (ie.did without a unit), never falls back
silently to a post-only comparison, and checks the periods before the start with a
placebo DiD."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval import cli

YEARS = [2018, 2019, 2020, 2021]


def _rcs(seed: int, effect: float = -12.0, trend_gap: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 800
    yr = rng.choice(YEARS, n)
    near = rng.random(n) < 0.4
    y = (100 + 15 * near + 3 * (yr - 2018) + trend_gap * near * (yr - 2018)
         + effect * near * (yr >= 2020) + rng.normal(0, 10, n))
    return pd.DataFrame({"läge": np.where(near, "nära", "långt"), "år": yr, "pris": y})


ROLES = dict(outcome="pris", group="läge", treated="nära", period="år", pre=YEARS[:2],
             post=YEARS[2:])


def _evaluate(df):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ie.evaluate(df, **ROLES)


def test_the_ladder_runs_the_did_on_repeated_cross_sections():
    df = _rcs(5)
    ev = _evaluate(df)
    ref = ie.did(df, **ROLES)  # no unit: the repeated cross-section DiD (HC2)
    assert ev.design == "did" and ref.inference["panel"] is False
    for k in ("estimate", "std_error", "conf_low", "conf_high"):
        assert getattr(ev.estimate, k) == pytest.approx(getattr(ref, k), rel=1e-10)
    assert ev.estimate.conf_low <= -12 <= ev.estimate.conf_high
    verdicts = {t.design: (t.verdict, t.code) for t in ev._trace}
    assert verdicts["comparison"][0] == "sensitivity"  # never the headline
    for d in ("matched_did", "matched", "synthetic_control", "interrupted_time_series"):
        assert verdicts[d] == ("infeasible", "rcs_panel")
    assert any("placebo DiD on the periods before the start" in v for v in ev.verdict)


def test_a_trend_gap_before_the_start_is_a_threat():
    calm, drift = _evaluate(_rcs(6)), _evaluate(_rcs(6, trend_gap=8.0))
    assert "rcs_placebo" not in [c for c, _ in calm.context["threats"]]
    assert "rcs_placebo" in [c for c, _ in drift.context["threats"]]
    assert drift.ratings["security"] < calm.ratings["security"]
    sv = " ".join(drift.lines("sv"))
    assert "skillnaden mellan grupperna ändrades redan före starten" in sv


def test_the_cli_without_unit_runs_it(tmp_path, capsys):
    df = _rcs(7)
    p = tmp_path / "tvarsnitt.csv"
    df.to_csv(p, index=False, sep=";", decimal=",")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rc = cli.main(["evaluate", str(p), "--outcome", "pris", "--group", "läge", "--treated",
                       "nära", "--period", "år", "--pre", "2018:2019", "--post", "2020:2021",
                       "--json", "-"])
    assert rc == 0
    got = json.loads(capsys.readouterr().out)["evaluations"][0]
    assert got["design"] == "did"
    assert got["estimate"]["estimate"] == pytest.approx(ie.did(df, **ROLES).estimate, rel=1e-9)
