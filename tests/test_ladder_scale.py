"""The ladder at register scale: several comparison groups evaluated one at a time on
their own rows, unit checks made once per frame, and the progress line."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import impacteval as ie
from impacteval import cli
from impacteval.errors import DuplicateRowsError
from impacteval.ladder.registry import ordered
from impacteval.roles import checked_frames, prepare

ROOT = Path(__file__).resolve().parents[1]
SV_CSV = ROOT / "datasets" / "teaching_did_excel_sv.csv"


def panel(n_units: int = 240, n_periods: int = 6, seed: int = 7) -> pd.DataFrame:
    """Participants (1) and two comparison groups (0, 2), two baseline covariates."""
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units), n_periods)
    period = np.tile(np.arange(n_periods), n_units)
    g = rng.choice([0, 1, 2], size=n_units, p=[0.4, 0.3, 0.3])
    x1 = rng.normal(size=n_units)
    x2 = rng.integers(0, 2, n_units).astype(float)
    post = period >= n_periods // 2
    y = (rng.normal(0, 1, n_units)[unit] + 0.5 * x1[unit] + 0.2 * period
         + 1.0 * (g[unit] == 1) * post + 0.3 * (g[unit] == 2) + rng.normal(size=len(unit)))
    return pd.DataFrame({"id": unit, "g": g[unit], "period": period, "y": y,
                         "x1": x1[unit], "x2": x2[unit]})


ROLES = dict(outcome="y", unit="id", group="g", treated=1, period="period",
             pre=[0, 1, 2], post=[3, 4, 5], covariates=["x1", "x2"], ci="analytic")


def _same(a, b) -> None:
    assert a.design == b.design
    assert_allclose(a.estimate.estimate, b.estimate.estimate, rtol=1e-12, atol=0)
    assert_allclose(a.estimate.std_error, b.estimate.std_error, rtol=1e-12, atol=0)
    assert list(a.steps["design"]) == list(b.steps["design"])
    assert a.sensitivity.keys() == b.sensitivity.keys()
    for k in a.sensitivity:
        assert_allclose(a.sensitivity[k].estimate, b.sensitivity[k].estimate, rtol=1e-12,
                        atol=0)
    assert a.attrition == b.attrition
    assert a.context["descriptives"] == b.context["descriptives"]


def test_each_comparison_group_equals_its_own_evaluation():
    """Evaluated together (each on its own rows) or alone (the other group's rows never
    read), a comparison group gets the same verdict and numbers."""
    df = panel()
    both = ie.evaluate(df, control=[0, 2], **ROLES)
    assert [e.comparison for e in both] == ["0", "2"]
    for ev in both:
        alone = ie.evaluate(df, control=int(ev.comparison), **ROLES)
        _same(ev, alone)


def test_baseline_covariates_read_from_every_group():
    """A covariate that changes within a unit of the *other* comparison group is still no
    baseline covariate in this group's evaluation (read from the whole data, as before)."""
    df = panel()
    uid = int(df.loc[df["g"] == 2, "id"].iloc[0])
    df.loc[(df["id"] == uid) & (df["period"] == 5), "x2"] += 1.0
    both = ie.evaluate(df, control=[0, 2], **ROLES)
    ref = ie.evaluate(df, control=0, **ROLES)  # this call's rows hold unit uid too
    _same(both[0], ref)


def test_the_callers_frame_is_unchanged():
    df = panel()
    before = df.copy()
    ie.evaluate(df, control=[0, 2], **ROLES)
    pd.testing.assert_frame_equal(df, before)


def test_unit_checks_once_per_frame_still_catch_a_duplicate():
    """Inside ``checked_frames`` a frame's duplicate check is skipped only after it passed
    on all its rows: a call that left a group out does not vouch for that group."""
    df = panel()
    dup = df[(df["g"] == 2)].head(1)
    bad = pd.concat([df, dup], ignore_index=True)
    kw = dict(outcome="y", unit="id", group="g", treated=1, period="period",
              pre=[0, 1, 2], post=[3, 4, 5])
    with checked_frames():
        prepare(bad, control=0, **kw)  # group 2's rows left out before the check
        with pytest.raises(DuplicateRowsError):
            prepare(bad, control=2, **kw)
        with pytest.raises(DuplicateRowsError):
            prepare(bad, **kw)
    # and a clean frame checked once gives the same study the second time
    with checked_frames():
        s1 = prepare(df, **kw)
        s2 = prepare(df, **kw)
    pd.testing.assert_frame_equal(s1.data, s2.data)


def test_progress_line_in_swedish_and_english(monkeypatch):
    df = panel()
    quiet = ie.evaluate(df, control=[0, 2], **ROLES)
    n = 2 * len(ordered())
    for lang, head, name in (("sv", "utvärderar", "skillnad-i-skillnader"),
                             ("en", "evaluating", "difference-in-differences")):
        err = io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        evs = ie.evaluate(df, control=[0, 2], progress=lang, **ROLES)
        text = err.getvalue()
        assert f"impacteval: {head} 1/{n}: " in text
        assert f"impacteval: {head} {n}/{n}: " in text
        assert f"{name} (y, " in text
        assert ("jämförelsegrupp 2" if lang == "sv" else "comparison group 2") in text
        # the line is cleared at the end
        assert text.endswith("\r") and text.rsplit("\r", 2)[-2].strip() == ""
        for a, b in zip(evs, quiet, strict=True):
            _same(a, b)
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    ie.evaluate(df, control=[0, 2], **ROLES)  # progress=False by default
    assert err.getvalue() == ""


def test_progress_swedish_line_has_no_english_words(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    ie.evaluate(panel(), control=[0, 2], progress="sv", **ROLES)
    words = set(err.getvalue().replace("\r", " ").replace(":", " ").split())
    assert not words & {"evaluating", "comparison", "group", "difference", "matched"}


def test_cli_progress_flag(capsys):
    argv = ["evaluate", str(SV_CSV), "--outcome", "försörjningsstöd_tkr", "--unit", "hushåll",
            "--group", "grupp", "--treated", "projekt", "--period", "mätning", "--pre", "före",
            "--post", "efter", "--lang", "sv"]
    assert cli.main(argv) == 0
    assert "utvärderar" not in capsys.readouterr().err  # not a terminal, no --progress
    assert cli.main([*argv, "--progress"]) == 0
    err = capsys.readouterr().err
    assert f"impacteval: utvärderar {len(ordered())}/{len(ordered())}: " in err


def test_baseline_covariates_equal_the_nunique_rule():
    """Covariates constant within unit (missing values skipped), found by max > min for
    numbers, equal the plain ``groupby().nunique() > 1`` rule on every kind of column."""
    from types import SimpleNamespace

    from impacteval.ladder.context import baseline_covariates

    df = pd.DataFrame({
        "u": [1, 1, 2, 2, 3, 3],
        "a": [1.0, 1.0, 2.0, 2.0, np.nan, np.nan],      # constant, one unit all missing
        "b": [1.0, np.nan, 2.0, 3.0, 0.0, 0.0],         # changes in unit 2
        "c": ["x", "x", "y", "y", "z", "z"],            # text, constant
        "d": ["x", "y", "y", "y", "z", "z"],            # text, changes
        "e": [0.0, -0.0, 1.0, 1.0, 2.0, 2.0],           # -0.0 equals 0.0
        "f": pd.array([1, pd.NA, 2, 2, pd.NA, pd.NA], dtype="Int64"),
        "h": pd.array([1, 2, 2, 2, pd.NA, 5], dtype="Int64"),
        "g": [True, True, False, False, True, True],
    })
    covs = ["a", "b", "c", "d", "e", "f", "h", "g"]
    ctx = SimpleNamespace(df=df, _memo={}, roles={"covariates": covs, "unit": "u",
                                                  "period": "p"})
    expected = [c for c in covs if not df.groupby("u")[c].nunique(dropna=True).gt(1).any()]
    assert expected == ["a", "c", "e", "f", "g"]
    assert baseline_covariates(ctx) == expected
