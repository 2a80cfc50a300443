"""``ie.evaluate`` on a Dask DataFrame / Parquet dataset equals the in-memory ladder
restricted to the designs the Dask path computes.

The independent reference is the in-memory ladder (``ie.evaluate`` on the pandas frame,
its estimators tested against statsmodels, scipy and linearmodels elsewhere) with only
the designs :data:`impacteval.ladder._dask_ladder.DASK_DESIGNS` registered: the chosen
design, its numbers, the ratings, the minimum detectable effect, attrition and the
descriptives must agree to rounding (sums formed per partition: ``rtol=1e-10``). The
other designs must be shown as not computed, with the reason in English and Swedish.

Runs on a ``LocalCluster`` of 2 worker processes with a memory limit each.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval.ladder import registry
from impacteval.ladder._dask_ladder import DASK_DESIGNS

dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
pytest.importorskip("pyarrow")
pytestmark = pytest.mark.timeout(240)

PRE, POST = [2010, 2011, 2012], [2013, 2014, 2015]
KW = dict(outcome="y", unit="id", group="g", period="year", pre=PRE, post=POST)


def _panel(n_units: int, seed: int, drop: int = 0, groups=(0, 1), binary=False
           ) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_per = 6
    u = np.repeat(np.arange(n_units, dtype=np.int64), n_per)
    t = np.tile(np.arange(2010, 2010 + n_per, dtype=np.int64), n_units)
    gi = rng.integers(0, len(groups), n_units)[u]
    treat = (gi == len(groups) - 1).astype(float)
    alpha = rng.normal(0, 2, n_units)[u]
    y = alpha + 0.2 * (t - 2010) + 1.5 * treat * (t >= 2013) + rng.normal(size=len(u))
    if binary:
        y = (y > 0.5).astype(float)
    df = pd.DataFrame({"id": u, "g": np.asarray(groups, dtype=object)[gi]
                       if isinstance(groups[0], str) else np.asarray(groups)[gi],
                       "year": t, "y": y})
    if drop:
        df = df.drop(index=rng.choice(len(df), drop, replace=False)).reset_index(drop=True)
    return df


def _write_by_unit(df: pd.DataFrame, path, n_files: int) -> str:
    """The Parquet dataset of ``tests/test_dask_did.py`` (whole units per file); its path."""
    from test_dask_did import _write_by_unit as write

    write(df, path, n_files)
    return str(path)


@pytest.fixture(scope="module")
def client():
    from test_dask_did import local_cluster

    yield from local_cluster(600 * 2**20)


@contextmanager
def only_dask_designs():
    """The in-memory ladder with only the designs the Dask path computes."""
    saved = dict(registry._RUNGS)
    for name in list(saved):
        if name not in DASK_DESIGNS:
            registry._RUNGS.pop(name)
    try:
        yield
    finally:
        registry._RUNGS.clear()
        registry._RUNGS.update(saved)


def _close(a, b, what, rtol=1e-10):
    if isinstance(a, Mapping):
        assert set(a) == set(b), what
        for k in a:
            _close(a[k], b[k], f"{what}.{k}", rtol)
    elif isinstance(a, (float, np.floating)) and not isinstance(a, bool):
        if math.isnan(a):
            assert math.isnan(b), what
        else:
            np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-12, err_msg=what)
    else:
        assert a == b, what


def _same_estimate(a, b, what):
    for k in ("estimate", "std_error", "conf_low", "conf_high", "n_treated", "n_control"):
        _close(float(getattr(a, k)), float(getattr(b, k)), f"{what}.{k}")
    np.testing.assert_allclose(a.p_value, b.p_value, rtol=1e-8, atol=1e-300, err_msg=what)
    assert a.design == b.design and a.comparison == b.comparison


def _same_evaluation(got, mem):
    assert got.design == mem.design
    _same_estimate(got.estimate, mem.estimate, got.design)
    assert set(got.sensitivity) == set(mem.sensitivity)
    for d in mem.sensitivity:
        _same_estimate(got.sensitivity[d], mem.sensitivity[d], d)
    _close(dict(got.ratings), dict(mem.ratings), "ratings")
    _close(dict(got.mde), dict(mem.mde), "mde")
    _close(dict(got.attrition), dict(mem.attrition), "attrition")
    _close(got.context["descriptives"], mem.context["descriptives"], "descriptives")
    # the checks of the computed designs: the same values and outcomes
    cols = ["design", "code", "value", "passed", "must_pass"]
    a = got.steps[got.steps["design"].isin(DASK_DESIGNS)][cols].reset_index(drop=True)
    b = mem.steps[cols].reset_index(drop=True)
    assert a["code"].tolist() == b["code"].tolist()
    for x, y in zip(a["value"], b["value"], strict=True):
        _close(x, y, "check value", rtol=1e-9)
    assert a["passed"].tolist() == b["passed"].tolist()
    # the verdict: the same lines, plus one per design not computed
    extra = [v for v in got.verdict if "needs the rows in memory" in v]
    assert [v for v in got.verdict if v not in extra] == list(mem.verdict)
    shown = got.steps.drop_duplicates("design").set_index("design")
    for name in shown.index:
        if name not in DASK_DESIGNS:
            assert shown.loc[name, "verdict"] == "infeasible"
            assert "needs the rows in memory" in shown.loc[name, "reason"]


def test_parquet_ladder_equals_in_memory(client, tmp_path):
    df = _panel(3000, seed=1, drop=500)  # unbalanced: 500 unit-years missing
    path = _write_by_unit(df, tmp_path / "panel", 4)
    got = ie.evaluate(path, **KW)
    with only_dask_designs():
        mem = ie.evaluate(df, **KW)
    assert got.design == "did" and got.estimate.inference["engine"] == "dask"
    _same_evaluation(got, mem)
    # every design below the chosen one that the Dask path computes is in the bracket
    assert set(got.sensitivity) == {"comparison", "before_after", "follow_up"}
    assert "reference" in got.steps.set_index("design").loc["benchmark", "reason"]
    # a Dask DataFrame whose units are spread over the partitions: shuffled, same numbers
    ddf = dd.from_pandas(df.sample(frac=1.0, random_state=2), npartitions=3, sort=False)
    again = ie.evaluate(ddf, **KW)
    assert again.estimate.diagnostics["dask_shuffled_by_unit"] is True
    _same_evaluation(again, mem)


def test_several_comparison_groups_one_evaluation_each(client):
    df = _panel(1500, seed=3, groups=("b", "c", "a"))
    ddf = dd.from_pandas(df, npartitions=3)
    kw = dict(KW, treated="a", control=["b", "c"])
    got = ie.evaluate(ddf, **kw)
    with only_dask_designs():
        mem = ie.evaluate(df, **kw)
    assert [e.comparison for e in got] == [e.comparison for e in mem] == ["b", "c"]
    for g, m in zip(got, mem, strict=True):
        _same_evaluation(g, m)


def test_several_outcomes(client):
    df = _panel(600, seed=10)
    df["y2"] = 2 * df["y"] + np.random.default_rng(0).normal(size=len(df))
    kw = {**KW, "outcome": ["y", "y2"]}
    got = ie.evaluate(dd.from_pandas(df, npartitions=3), **kw)
    with only_dask_designs():
        mem = ie.evaluate(df, **kw)
    assert [e.outcome for e in got] == ["y", "y2"]
    for g, m in zip(got, mem, strict=True):
        _same_evaluation(g, m)


def test_missing_outcomes_and_bootstrap_intervals_as_in_memory(client):
    """Rows with a missing outcome are left out and counted; the post-only and
    before–after designs resample units exactly as in memory (the same unit means, the
    same seed); the DiD keeps the analytic interval and says so."""
    df = _panel(800, seed=4)
    df.loc[[5, 77, 300, 1201], "y"] = np.nan
    ddf = dd.from_pandas(df, npartitions=2)
    kw = dict(KW, ci="bca", n_boot=999, seed=7)
    with pytest.warns(ie.errors.DroppedRowsWarning, match="4 of 4800 rows"):
        got = ie.evaluate(ddf, **kw)
    with only_dask_designs(), pytest.warns(ie.errors.DroppedRowsWarning, match="4 of 4800"):
        mem = ie.evaluate(df, **kw)
    for d in ("comparison", "before_after", "follow_up"):
        assert got.sensitivity[d].inference["method"] == mem.sensitivity[d].inference["method"]
        assert got.sensitivity[d].inference["method"] == "bca"
        _same_estimate(got.sensitivity[d], mem.sensitivity[d], d)
        # the rows each design reads: after the start (comparison, follow-up) or before
        # and after (before-after), counted as in memory, with the same notes
        assert got.sensitivity[d].diagnostics["dropped"] == \
            mem.sensitivity[d].diagnostics["dropped"]
        assert got.sensitivity[d].notes == mem.sensitivity[d].notes
        post = int(df.loc[df["year"].isin(KW["post"]), "y"].isna().sum())
        assert got.sensitivity[d].diagnostics["dropped"]["missing outcome"] == \
            (4 if d == "before_after" else post)
    codes = [n.code for n in got.estimate.notes]
    assert "dask_analytic_ci" in codes and "option_unavailable_ci" in codes
    # the DiD's analytic numbers equal the in-memory DiD with the analytic interval
    with pytest.warns(ie.errors.DroppedRowsWarning):
        ref = ie.did(df, **KW, ci="analytic")
    e = got.estimate
    np.testing.assert_allclose(e.diagnostics.get("conventional_conf_low", e.conf_low),
                               ref.conf_low, rtol=1e-10)
    np.testing.assert_allclose(e.estimate, ref.estimate, rtol=1e-10)
    np.testing.assert_allclose(e.std_error, ref.std_error, rtol=1e-10)


@pytest.mark.parametrize("kw", [dict(pre=[2012], post=[2013]), dict(scale="relative"),
                                dict(control="b", reference={"mean": 0.5, "sd": 2.0})])
def test_two_periods_relative_scale_one_of_three_groups(client, kw):
    """Two periods or a relative scale: the in-memory DiD is the difference of unit
    changes, computed on the unit means with the interval asked for; one comparison
    group named among three, with a reference (the benchmark design, and the before-after
    design's distance from the reference)."""
    df = _panel(900, seed=9, groups=("b", "c", "a"))
    kw = {**KW, "treated": "a", **kw}
    got = ie.evaluate(dd.from_pandas(df, npartitions=3), **kw)
    with only_dask_designs():
        mem = ie.evaluate(df, **kw)
    assert got.design == "did"
    _same_evaluation(got, mem)
    codes = {n.code for n in got.estimate.notes}
    assert ("dask_analytic_ci" in codes) == ("control" in kw)
    assert ("benchmark" in got.sensitivity) == ("reference" in kw)


def test_binary_outcome_over_several_periods(client):
    """Unit means of a 0/1 outcome over several periods are not 0/1: the estimators that
    average units first would treat them as a continuous outcome, so on Dask data they
    are not computed; the DiD is, and equals the in-memory one."""
    df = _panel(1200, seed=5, binary=True)
    got = ie.evaluate(dd.from_pandas(df, npartitions=2), **KW)
    with only_dask_designs():
        mem = ie.evaluate(df, **KW)
    assert got.design == mem.design == "did"
    _same_estimate(got.estimate, mem.estimate, "did")
    _close(dict(got.ratings), dict(mem.ratings), "ratings")
    _close(dict(got.mde), dict(mem.mde), "mde")
    steps = got.steps.drop_duplicates("design").set_index("design")
    for d in ("comparison", "before_after", "follow_up"):
        assert steps.loc[d, "verdict"] == "infeasible"


def test_texts_in_both_languages(client):
    from test_report_language import ALLOWED, ENGLISH

    from impacteval.ladder import _dask_ladder

    df = _panel(400, seed=6)
    ev = ie.evaluate(dd.from_pandas(df, npartitions=2), **KW)
    sv = ev.reasons("sv")
    assert any("inte beräknad" in v for v in sv.values())
    for page in (ev.explain("sv"), ev.summary("sv")):
        assert "inte beräknad" in page
        assert not ENGLISH.findall(ALLOWED.sub(" ", page)), ENGLISH.findall(page)
    for lang_texts in (_dask_ladder.REASONS["sv"], _dask_ladder.NOTE_TEXTS["sv"]):
        for code, tmpl in lang_texts.items():
            lit = re.sub(r"\b\w+=|Dask|Parquet|\{\w+\}", " ", tmpl)
            assert not ENGLISH.findall(lit), (code, ENGLISH.findall(lit))
    assert set(_dask_ladder.NOTE_TEXTS["sv"]) == set(_dask_ladder.NOTE_TEXTS["en"])
    # the report and the JSON export work on an evaluation of Dask data
    assert json.loads(json.dumps(ev.to_dict()))["design"] == "did"
    assert "inte beräknad" in ev.to_html(lang="sv")
    note = next(n for n in ev.estimate.notes if n.code == "dask_analytic_ci")
    assert "analytiska" in note.render("sv")


@pytest.mark.parametrize("kw, err, word", [
    (dict(start="year"), ie.errors.ArgumentError, "start="),
    (dict(pre=None), ie.errors.ArgumentError, "pre="),
    (dict(cluster="g"), ie.errors.MethodError, "cluster="),
])
def test_refuses_what_needs_rows(kw, err, word):
    ddf = dd.from_pandas(_panel(60, seed=7), npartitions=2)
    with pytest.raises(err) as info:
        ie.evaluate(ddf, **{**KW, **kw})
    assert word in str(info.value) and str(info.value) != info.value.render("sv")
