"""The ladder's designs share one pass over the rows (issue #21: "every design computes
its sufficient statistics once and shares them").

:mod:`impacteval.ladder.summary` reduces a panel to one row per unit (counts and sums
before and after the start, pre-period slopes) and sums per group and period. The
post-only and before–after designs run on the unit means, the DiD diagnostics and the
DiD design share one event-time fit. These tests hold the shared path to the
estimators run on the rows (the independent reference: the public estimators as a user
calls them): the same estimates, intervals (bootstrap included, same seed), notes and
counts of what was left out.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import impacteval as ie
from impacteval.errors import ImpactEvalWarning

PRE, POST = [0, 1, 2], [3, 4, 5]


def _panel(seed: int = 3, n: int = 150, missing: bool = True) -> pd.DataFrame:
    """Three groups (P participants, A and B comparison), six periods, shuffled unit ids
    and row order, missing outcomes, rows missing at random, one comparison unit with
    no row after the start and one participant whose outcomes after it are all missing."""
    rng = np.random.default_rng(seed)
    ids = rng.permutation(n) * 7 + 11
    lab = np.where(rng.random(n) < 0.35, "P", np.where(rng.random(n) < 0.5, "A", "B"))
    u = np.repeat(np.arange(n), 6)
    p = np.tile(np.arange(6), n)
    y = np.exp(rng.normal(1, 0.6, n))[u] + 0.3 * p + 1.5 * (lab[u] == "P") * (p >= 3) \
        + rng.gamma(1.0, 1.0, n * 6)
    df = pd.DataFrame({"id": ids[u], "g": lab[u], "t": p, "y": y})
    if missing:
        df.loc[rng.random(len(df)) < 0.06, "y"] = np.nan
        df = df[rng.random(len(df)) > 0.1]
        a_unit = ids[np.flatnonzero(lab == "A")[0]]
        df = df[~((df["id"] == a_unit) & (df["t"] >= 3))]
        p_unit = ids[np.flatnonzero(lab == "P")[0]]
        df.loc[(df["id"] == p_unit) & (df["t"] >= 3), "y"] = np.nan
    return df.sample(frac=1, random_state=seed).reset_index(drop=True)


ROLES = dict(outcome="y", unit="id", group="g", treated="P", period="t", pre=PRE, post=POST)


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        return fn(*args, **kwargs)


def _same(a: ie.Estimate, b: ie.Estimate) -> None:
    for k in ("estimate", "std_error", "conf_low", "conf_high", "p_value"):
        assert_allclose(getattr(a, k), getattr(b, k), rtol=1e-10, atol=1e-12, err_msg=k)
    assert (a.n_treated, a.n_control) == (b.n_treated, b.n_control)
    assert set(a.inference) == set(b.inference)
    for k, v in b.inference.items():  # the BCa acceleration differs in the last digit
        assert a.inference[k] == (pytest.approx(v, rel=1e-10) if isinstance(v, float) else v)
    assert a.notes == b.notes
    assert dict(a.diagnostics["dropped"]) == dict(b.diagnostics["dropped"])


@pytest.mark.parametrize("ci", ["analytic", "bca"])
def test_designs_on_unit_means_equal_the_estimators_on_the_rows(ci):
    """Each comparison group of three, evaluated one by one: the comparison, follow-up,
    benchmark and before–after designs of the ladder against the public estimators on
    the caller's rows (missing outcomes, a unit with no row after the start, shuffled
    ids and rows)."""
    df = _panel()
    ref = ie.Reference(mean=4.0, sd=2.0, source="test")
    kw = dict(ci=ci, n_boot=499, seed=11)
    evs = _quiet(ie.evaluate, df, **ROLES, control=["A", "B"], reference=ref, **kw)
    for ev, ctrl in zip(evs, ["A", "B"], strict=True):
        rows = df[df["g"].isin(["P", ctrl])]  # the rows the ladder's context holds
        post = dict(unit="id", period="t", post=POST, group="g", treated="P")
        want = {
            "comparison": _quiet(ie.difference, rows, outcome="y", control=ctrl, **post, **kw),
            "follow_up": _quiet(ie.follow_up, rows, outcome="y", **post, **kw),
            "benchmark": _quiet(ie.benchmark, rows, outcome="y", reference=ref, **post, **kw),
            "before_after": _quiet(ie.before_after, rows, outcome="y", unit="id", period="t",
                                   pre=PRE, post=POST, group="g", treated="P", **kw),
        }
        for design, est in want.items():
            got = ev.sensitivity.get(design) if ev.design != design else ev.estimate
            _same(got, est)
        # the counts are the rows each design reads: after the start, or before and after
        miss = rows["y"].isna()
        assert want["comparison"].diagnostics["dropped"]["missing outcome"] == \
            int((miss & rows["t"].isin(POST)).sum())
        assert want["before_after"].diagnostics["dropped"]["missing outcome"] == int(miss.sum())


def test_did_of_unit_changes_equals_the_rows():
    """Two periods (and a relative scale over six): the DiD of unit changes from the unit
    means equals ``ie.did`` on the rows."""
    df = _panel(5)
    two = df[df["t"].isin([2, 3])]
    ev = _quiet(ie.evaluate, two, **{**ROLES, "pre": [2], "post": [3]}, control="A", ci="bca",
                n_boot=499, seed=2)
    rows = two[two["g"].isin(["P", "A"])]
    ref = _quiet(ie.did, rows, outcome="y", unit="id", group="g", treated="P", control="A",
                 period="t", pre=[2], post=[3], ci="bca", n_boot=499, seed=2)
    got = ev.estimate if ev.design == "did" else ev.sensitivity["did"]
    for k in ("estimate", "std_error", "conf_low", "conf_high"):
        assert_allclose(getattr(got, k), getattr(ref, k), rtol=1e-10, err_msg=k)
    ev = _quiet(ie.evaluate, df, **ROLES, control="A", scale="relative", ci="analytic")
    ref = _quiet(ie.did, df[df["g"].isin(["P", "A"])], outcome="y", unit="id", group="g",
                 treated="P", control="A", period="t", pre=PRE, post=POST, scale="relative",
                 ci="analytic")
    got = ev.estimate if ev.design == "did" else ev.sensitivity["did"]
    assert_allclose([got.estimate, got.conf_low, got.conf_high],
                    [ref.estimate, ref.conf_low, ref.conf_high], rtol=1e-10)


def test_one_event_time_fit_per_comparison_group(monkeypatch):
    """The DiD diagnostics' joint placebo test and the DiD design read one event-time
    fit: ``ie.did`` runs once per comparison group on the rows (was twice), and the
    post-only and before–after estimators see one row per unit and period marker, not
    the rows."""
    import impacteval.estimators as estimators
    import impacteval.ladder.rungs.before_after as ba_rung
    import impacteval.ladder.rungs.comparison as cmp_rung
    import impacteval.ladder.rungs.did as did_rung

    df = _panel(7, missing=False)
    calls: list[tuple[str, int]] = []

    def counting(name, fn):
        """``fn`` that records the rows it is given, also when the ladder calls the
        estimator without its note recording (``__wrapped__``)."""
        def wrap(f):
            def run(data, *a, **k):
                calls.append((name, len(data)))
                return f(data, *a, **k)
            run.__wrapped__, run.__name__ = f, fn.__name__  # the estimator's signature
            return run

        out = wrap(fn)
        out.__wrapped__ = wrap(getattr(fn, "__wrapped__", fn))
        return out

    monkeypatch.setattr(estimators, "did", counting("did", estimators.did))
    monkeypatch.setattr(did_rung, "did", counting("did", did_rung.did))
    ev = _quiet(ie.evaluate, df, **ROLES, control=["A", "B"], ci="analytic")
    assert [e.design for e in ev] == ["did", "did"]
    on_rows = [n for name, n in calls if name == "did" and n > 2 * df["id"].nunique()]
    assert len(on_rows) == 2, calls  # one fit per comparison group
    # the DiD design's estimate is that fit, its placebo test the ladder's check
    for e in ev:
        st = e.steps
        shown = st.loc[(st["design"] == "did") & (st["code"] == "placebo"), "value"]
        assert float(shown.iloc[0]) == round(e.estimate.diagnostics["pretrend_p_value"], 3)
    # post-only and before-after estimators: two rows per unit at most
    for mod, name in ((cmp_rung, "difference"), (ba_rung, "before_after")):
        fn = getattr(estimators, name)
        wrapped = counting(name, fn)
        monkeypatch.setattr(mod, name, wrapped)
    calls.clear()
    _quiet(ie.evaluate, df, **ROLES, control=["A", "B"], ci="analytic")
    seen = [n for name, n in calls if name in ("difference", "before_after")]
    assert seen and max(seen) <= 2 * df["id"].nunique(), calls


def test_the_placebo_test_uses_the_evaluations_cluster():
    """With ``cluster=`` the ladder's joint placebo test is the DiD's own (clustered as
    the DiD is), no longer a second fit clustered by unit."""
    df = _panel(9, n=200, missing=False)
    df["k"] = df["id"] % 23
    ev = _quiet(ie.evaluate, df, **ROLES, control="A", cluster="k", ci="analytic")
    ref = _quiet(ie.did, df[df["g"].isin(["P", "A"])], outcome="y", unit="id", group="g",
                 treated="P", control="A", period="t", pre=PRE, post=POST, cluster="k",
                 method="panel", ci="analytic")
    assert ev.design == "did"
    assert ev.estimate.diagnostics["pretrend_p_value"] == pytest.approx(
        ref.diagnostics["pretrend_p_value"], rel=1e-10)
    assert ev.estimate.estimate == pytest.approx(ref.estimate, rel=1e-12)


def _covariate_panel(seed: int, n: int, share: float) -> pd.DataFrame:
    """A complete panel (every unit in every period) with two baseline covariates; a
    ``share`` of the units participate, more so with a higher x1."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.integers(0, 2, n).astype(float)
    t = rng.random(n) < share * 2 / (1 + np.exp(-0.8 * x1))
    lab = np.where(t, "P", "A")
    u = np.repeat(np.arange(n), 6)
    p = np.tile(np.arange(6), n)
    y = (rng.normal(0, 1.5, n) + 0.7 * x1 + 0.4 * x2)[u] + 0.2 * p \
        + 1.0 * t[u] * (p >= 3) + rng.normal(size=n * 6)
    df = pd.DataFrame({"id": (np.arange(n) * 13 + 5)[u], "g": lab[u], "t": p, "y": y,
                       "x1": x1[u], "x2": x2[u]})
    return df.sample(frac=1, random_state=seed).reset_index(drop=True)


def _spy(monkeypatch, name: str) -> list:
    """Record whether the ladder's ``summary.<name>`` gave its unit table (not None)."""
    from impacteval.ladder import summary

    seen: list = []
    fn = getattr(summary, name)

    def run(ctx):
        out = fn(ctx)
        seen.append(out is not None)
        return out

    monkeypatch.setattr(summary, name, run)
    return seen


def test_matched_did_on_unit_means_equals_match_on_the_rows(monkeypatch):
    """The matched DiD from each unit's means (``match_unit_changes``, what the ladder
    runs when every unit has every period) against ``ie.match`` on the rows: a unit
    table built here with pandas, and the ladder's own matched DiD (its estimate, SE,
    balance table and matched pre-trend check; the interval is then widened by the
    ladder's triangulation)."""
    from impacteval.estimators.matching import match_unit_changes

    df = _covariate_panel(4, 600, 0.2)
    base = dict(outcome="y", group="g", treated="P", covariates=["x1", "x2"], unit="id")
    for distance, k, bc in (("mahalanobis", 1, False), ("propensity", 2, True)):
        ref = _quiet(ie.match, df, **base, period="t", pre=PRE, post=POST,
                     pre_outcomes="mean", distance=distance, k=k, bias_correction=bc,
                     ci="analytic")
        wide = df.pivot(index="id", columns="t", values="y")
        units = df.groupby("id")[["g", "x1", "x2"]].first().assign(
            change=wide[POST].mean(axis=1) - wide[PRE].mean(axis=1),
            **{"y[pre mean]": wide[PRE].mean(axis=1)},
            slope=[np.polyfit(np.arange(3.0), r, 1)[0] for r in wide[PRE].to_numpy()],
        ).reset_index()
        got = _quiet(match_unit_changes, units, **{**base, "outcome": "change"},
                     control=None, pre_mean="y[pre mean]", slope="slope",
                     pre_sd=float(np.std(wide[PRE].to_numpy(), ddof=1)), distance=distance,
                     k=k, bias_correction=bc, ci="analytic")
        _same(got, ref)
        pd.testing.assert_frame_equal(got.tables["balance"], ref.tables["balance"],
                                      rtol=1e-10)
        for key in ("pretrend_slope_diff_sd_matched", "share_matched", "max_control_reuse"):
            assert got.diagnostics[key] == pytest.approx(ref.diagnostics[key], rel=1e-10)
        assert got.design == "matched_did"
    # the ladder's matched DiD: the same model as match() on the rows with its choices
    seen = _spy(monkeypatch, "twin_changes")
    ev = _quiet(ie.evaluate, df, **ROLES, covariates=["x1", "x2"], ci="analytic")
    assert seen == [True]  # from the unit summary
    got = ev.estimate if ev.design == "matched_did" else ev.sensitivity["matched_did"]
    d = got.diagnostics
    ref = _quiet(ie.match, df, **base, period="t", pre=PRE, post=POST, pre_outcomes="mean",
                 distance=d["distance"], k=d["k"], caliper=d["caliper"],
                 bias_correction=bool(got.inference.get("bias_correction")), ci="analytic")
    assert_allclose([got.estimate, got.std_error], [ref.estimate, ref.std_error], rtol=1e-10)
    pd.testing.assert_frame_equal(got.tables["balance"], ref.tables["balance"], rtol=1e-10)
    assert d["pretrend_slope_diff_sd_matched"] == pytest.approx(
        ref.diagnostics["pretrend_slope_diff_sd_matched"], rel=1e-10)


def test_matched_did_with_incomplete_units_matches_on_the_rows(monkeypatch):
    """A unit without every period: the ladder matches on the rows, leaving the
    incomplete units out and saying so, as ``ie.match`` does."""
    df = _covariate_panel(6, 500, 0.2)
    df = df[~((df["id"] == df["id"].iloc[0]) & (df["t"] == 1))]
    seen = _spy(monkeypatch, "twin_changes")
    ev = _quiet(ie.evaluate, df, **ROLES, covariates=["x1", "x2"], ci="analytic")
    assert seen == [False]  # on the rows
    got = ev.estimate if ev.design == "matched_did" else ev.sensitivity["matched_did"]
    d = got.diagnostics
    ref = _quiet(ie.match, df, outcome="y", group="g", treated="P", covariates=["x1", "x2"],
                 unit="id", period="t", pre=PRE, post=POST, pre_outcomes="mean",
                 distance=d["distance"], k=d["k"], caliper=d["caliper"],
                 bias_correction=bool(got.inference.get("bias_correction")), ci="analytic")
    assert_allclose([got.estimate, got.std_error], [ref.estimate, ref.std_error], rtol=1e-10)
    assert "matched_did_left_out" in {n.code for n in got.notes}


def test_adjusted_comparison_regression_on_unit_means_equals_the_rows(monkeypatch):
    """A small comparison pool: the adjusted comparison is a regression on each unit's
    mean after the start with its baseline covariates, run on the unit summary's means;
    it equals ``ie.difference`` on the rows (estimate, HC2 interval, notes), also with
    clusters and the wild cluster bootstrap."""
    df = _covariate_panel(8, 240, 0.45)
    df["k"] = df["id"] % 17
    rows = dict(outcome="y", group="g", treated="P", unit="id", period="t", post=POST,
                covariates=["x1", "x2"], assignment="unknown")
    seen = _spy(monkeypatch, "unit_post_table")
    for extra in ({}, {"cluster": "k", "ci": "auto", "n_boot": 499, "seed": 4}):
        seen.clear()
        ev = _quiet(ie.evaluate, df, **ROLES, covariates=["x1", "x2"],
                    **{"ci": "analytic", **extra})
        assert "adjusted_comparison" in set(ev.steps["design"])
        got = ev.estimate if ev.design == "adjusted_comparison" else \
            ev.sensitivity["adjusted_comparison"]
        assert got.diagnostics.get("n_matched") is None  # the regression, not twins
        assert seen and seen[0]  # the evaluation's (its placebo's follows)
        ref = _quiet(ie.difference, df, **rows, **{"ci": "analytic", **extra})
        _same(got, ref)


def test_placebo_windows_come_from_the_one_pass(monkeypatch):
    """The pre-period placebo (the last pre-period as if it were "after") reads each
    unit's sums over its two windows from the evaluation's one pass over the rows: the
    rows are read once per outcome, with two comparison groups and the placebos of the
    adjusted comparison in both, and the placebo equals the design run on the rows of
    those periods."""
    from impacteval.ladder import summary

    df = _covariate_panel(8, 240, 0.45)
    df["g"] = np.where((df["g"] == "A") & (df["id"] % 2 == 0), "B", df["g"])
    passes: list[int] = []
    fn = summary._from_rows

    def counting(ctx):
        passes.append(len(ctx.df))
        return fn(ctx)

    monkeypatch.setattr(summary, "_from_rows", counting)
    evs = _quiet(ie.evaluate, df, **ROLES, covariates=["x1", "x2"], control=["A", "B"],
                 ci="analytic")
    assert passes == [len(df)]  # the whole data, once
    for ev, ctrl in zip(evs, ["A", "B"], strict=True):
        st = ev.steps
        shown = st.loc[(st["design"] == "adjusted_comparison") & (st["code"] == "placebo_pre"),
                       "value"]
        rows = df[df["g"].isin(["P", ctrl]) & (df["t"] == 2)]
        ref = _quiet(ie.difference, rows, outcome="y", group="g", treated="P",
                     covariates=["x1", "x2"], assignment="unknown", ci="analytic")
        assert float(shown.iloc[0]) == pytest.approx(ref.estimate, rel=1e-3)
