"""Staggered entry (Callaway & Sant'Anna 2021) against csdid 0.4.3 and a hand 2x2."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval.errors import ArgumentError, DataError, ImpactEvalError, InsufficientDataError
from impacteval.estimators.staggered import plot_event_study, staggered_did

REF = Path(__file__).parent / "reference" / "staggered"


def _need_public_data(name: str) -> None:
    """Published data sets are not shipped with the repository (their licences and
    origin are the original authors'): put the file in ``tests/reference/<topic>/`` to
    run the reproduction (see the README there); otherwise the test is skipped."""
    if not (REF / name).exists():
        pytest.skip(f"{name} (public data, not shipped) is not in {REF}")
sys.path.insert(0, str(REF))
from make_csdid_reference import synthetic_panel  # noqa: E402

CASES = {"never": "nevertreated", "not_yet": "notyettreated"}


@pytest.fixture(scope="module")
def ref():
    return json.loads((REF / "csdid_reference.json").read_text())


def _mpdta():
    _need_public_data("mpdta.csv")
    m = pd.read_csv(REF / "mpdta.csv")
    m["start"] = m["first.treat"].replace(0, np.nan)
    return m, ("lemp", "countyreal", "year")


def _syn():
    s = synthetic_panel()
    s["start"] = s["g"].replace(0, np.nan)
    return s, ("y", "id", "t")


@pytest.mark.parametrize("data", ["mpdta", "synthetic"])
@pytest.mark.parametrize("control", ["never", "not_yet"])
def test_matches_csdid(ref, data, control):
    df, (y, i, t) = _mpdta() if data == "mpdta" else _syn()
    r = ie.did(df, outcome=y, unit=i, period=t, start="start", control=control, seed=3)
    R = ref[f"{data}_{CASES[control]}"]
    gt = r.tables["group_time"]
    np.testing.assert_allclose(gt["cohort"].astype(float), R["group_time"]["group"], rtol=0, atol=0)
    np.testing.assert_allclose(gt["period"].astype(float), R["group_time"]["period"], rtol=0, atol=0)
    np.testing.assert_allclose(gt["estimate"], R["group_time"]["att"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(gt["std_error"], R["group_time"]["se"], rtol=0, atol=1e-10)
    assert r.estimate == pytest.approx(R["simple"]["overall_att"], rel=0, abs=1e-10)
    assert r.std_error == pytest.approx(R["simple"]["overall_se"], rel=0, abs=1e-10)
    ag = r.diagnostics["aggregates"]
    for typ in ("dynamic", "group", "calendar"):
        assert ag[typ]["estimate"] == pytest.approx(R[typ]["overall_att"], rel=0, abs=1e-10)
        assert ag[typ]["std_error"] == pytest.approx(R[typ]["overall_se"], rel=0, abs=1e-10)
    for tab, typ in (("event_time", "dynamic"), ("group", "group"), ("calendar", "calendar")):
        np.testing.assert_allclose(r.tables[tab]["estimate"], R[typ]["att_egt"], rtol=0, atol=1e-10)
        np.testing.assert_allclose(r.tables[tab]["std_error"], R[typ]["se_egt"], rtol=0, atol=1e-10)


def test_published_mpdta_simple_att(ref):
    # Callaway & Sant'Anna's R `did` vignette: simple ATT on mpdta is -0.0400
    df, (y, i, t) = _mpdta()
    r = ie.did(df, outcome=y, unit=i, period=t, start="start", n_boot=0)
    assert round(r.estimate, 4) == -0.0400


def test_live_csdid_cross_check():
    pytest.importorskip("csdid")
    from make_csdid_reference import run

    df = synthetic_panel(n=150, seed=11)
    R = run(df, "y", "t", "id", "g", "notyettreated")
    df["start"] = df["g"].replace(0, np.nan)
    r = ie.did(df, outcome="y", unit="id", period="t", start="start", control="not_yet",
               n_boot=0)
    np.testing.assert_allclose(r.tables["group_time"]["estimate"], R["group_time"]["att"],
                               rtol=0, atol=1e-10)
    np.testing.assert_allclose(r.tables["group_time"]["std_error"], R["group_time"]["se"],
                               rtol=0, atol=1e-10)
    assert r.estimate == pytest.approx(R["simple"]["overall_att"], rel=0, abs=1e-10)


def _tiny():
    # units 1-2 start in period 2, unit 3 in period 3, units 4-5 never; periods 1..3
    y = {1: [1, 4, 6], 2: [2, 3, 7], 3: [0, 1, 5], 4: [1, 2, 3], 5: [3, 3, 5]}
    st = {1: 2, 2: 2, 3: 3, 4: np.nan, 5: np.nan}
    rows = [{"u": u, "t": t + 1, "y": float(v), "s": st[u]} for u, ys in y.items()
            for t, v in enumerate(ys)]
    return pd.DataFrame(rows)


def test_hand_two_by_two():
    df = _tiny()
    r = ie.did(df, outcome="y", unit="u", period="t", start="s", control="never", n_boot=0)
    gt = r.tables["group_time"].set_index(["cohort", "period"])
    # cohort 2, period 2, base 1: treated change (3 + 1)/2 = 2, never change (1 + 0)/2 = 0.5
    assert gt.loc[(2, 2), "estimate"] == pytest.approx(1.5, abs=1e-12)
    # cohort 2, period 3, base 1: treated (5 + 5)/2 = 5, never (2 + 2)/2 = 2
    assert gt.loc[(2, 3), "estimate"] == pytest.approx(3.0, abs=1e-12)
    # cohort 3, period 2 (placebo, base 1): unit 3 change 1, never 0.5
    assert gt.loc[(3, 2), "estimate"] == pytest.approx(0.5, abs=1e-12)
    # cohort 3, period 3, base 2: unit 3 change 4, never (1 + 2)/2 = 1.5
    assert gt.loc[(3, 3), "estimate"] == pytest.approx(2.5, abs=1e-12)
    # SE of cell (2,2): population variances over group sizes: treated changes 3,1; never 1,0
    assert gt.loc[(2, 2), "std_error"] == pytest.approx(np.sqrt(1 / 2 + 0.25 / 2), abs=1e-12)
    # simple aggregate: post cells weighted by cohort size (2, 2, 1)
    assert r.estimate == pytest.approx((2 * 1.5 + 2 * 3.0 + 1 * 2.5) / 5, abs=1e-12)
    # not yet: cell (2,2) also compares with unit 3 (starts in 3): change 1
    r2 = ie.did(df, outcome="y", unit="u", period="t", start="s", control="not_yet", n_boot=0)
    g2 = r2.tables["group_time"].set_index(["cohort", "period"])
    assert g2.loc[(2, 2), "estimate"] == pytest.approx(2 - (1 + 0 + 1) / 3, abs=1e-12)
    # ... but never after its start: cell (2,3) uses the never-started units only
    assert g2.loc[(2, 3), "estimate"] == pytest.approx(3.0, abs=1e-12)


def test_uniform_band_wider_and_seeded():
    df, (y, i, t) = _syn()
    a = ie.did(df, outcome=y, unit=i, period=t, start="start", seed=5, n_boot=499)
    b = ie.did(df, outcome=y, unit=i, period=t, start="start", seed=5, n_boot=499)
    et = a.tables["event_time"]
    assert (et["band_high"] - et["band_low"] > et["conf_high"] - et["conf_low"]).all()
    pd.testing.assert_frame_equal(et, b.tables["event_time"])
    crit = a.diagnostics["uniform_band_critical_value"]
    assert 1.96 < crit < 3.5


def test_input_untouched_order_invariant():
    df, (y, i, t) = _syn()
    before = df.copy()
    r = ie.did(df, outcome=y, unit=i, period=t, start="start", n_boot=0)
    pd.testing.assert_frame_equal(df, before)
    shuffled = df.sample(frac=1, random_state=2)
    r2 = ie.did(shuffled, outcome=y, unit=i, period=t, start="start", n_boot=0)
    assert r2.estimate == pytest.approx(r.estimate, abs=1e-12)


def test_drops_are_counted():
    df = _tiny()
    extra = pd.DataFrame({"u": [9, 9, 9, 8, 8], "t": [1, 2, 3, 1, 2], "y": [1.0, 2, 3, 1, 2],
                          "s": [1, 1, 1, np.nan, np.nan]})
    r = ie.did(pd.concat([df, extra]), outcome="y", unit="u", period="t", start="s", n_boot=0)
    assert r.diagnostics["dropped"] == {"units_started_before_first_period": 1,
                                        "units_missing_periods": 1}


def test_errors():
    df = _tiny()
    with pytest.raises(ArgumentError, match="control"):
        ie.did(df, outcome="y", unit="u", period="t", start="s", control="later")
    bad = df.copy()
    bad.loc[0, "s"] = 3
    with pytest.raises(ArgumentError, match="start"):
        ie.did(bad, outcome="y", unit="u", period="t", start="s")
    allstart = df[df["s"].notna()]
    with pytest.raises(InsufficientDataError, match="not_yet"):
        ie.did(allstart, outcome="y", unit="u", period="t", start="s", control="never")
    with pytest.raises(ImpactEvalError, match="not in the data"):
        ie.did(df, outcome="y", unit="u", period="t", start="nope")


def test_switching_treatment_refused_naming_did_m():
    df = _tiny()
    df["d"] = 0
    df.loc[(df["u"] == 1) & (df["t"] == 2), "d"] = 1  # on in 2, off again in 3
    with pytest.raises(DataError, match="DID_M"):
        ie.did(df, outcome="y", unit="u", group="d", period="t", pre=1, post=[2, 3])
    df["d2"] = ((df["s"].notna()) & (df["t"] >= df["s"])).astype(int)  # absorbing
    with pytest.raises(DataError, match="must stay in one group.*start="):
        ie.did(df, outcome="y", unit="u", group="d2", period="t", pre=1, post=[2, 3])


def test_two_group_did_unchanged():
    df = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6],
                       "g": [1] * 6 + [0] * 6, "t": [0, 1] * 6,
                       "y": [10., 5, 9, 5, 11, 6, 10, 9, 9, 8, 12, 10]})
    r = ie.did(df, outcome="y", unit="id", group="g", period="t", pre=0, post=1)
    assert r.estimate == pytest.approx(-10 / 3, abs=1e-12)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_plot(lang):
    import matplotlib

    matplotlib.use("Agg")
    df, (y, i, t) = _syn()
    r = ie.did(df, outcome=y, unit=i, period=t, start="start", seed=1, n_boot=199)
    fig = plot_event_study(r, lang=lang)
    ax = fig.axes[0]
    assert ("händelsetid" in ax.get_xlabel()) == (lang == "sv")
    assert r.plot() is not None
    import matplotlib.pyplot as plt

    plt.close("all")


def test_to_dict_has_no_unit_ids():
    df = _tiny()
    df["u"] = df["u"].map(lambda v: f"person-{v}")
    r = ie.did(df, outcome="y", unit="u", period="t", start="s", n_boot=0)
    assert "person-" not in json.dumps(r.to_dict())


def test_direct_call_docstring_dataset():
    from impacteval.datasets.make import teaching_staggered

    df = teaching_staggered(n_units=2000, seed=3)
    r = staggered_did(df, outcome="y", unit="unit", period="period", start="start",
                      control="not_yet", n_boot=0)
    et = r.tables["event_time"].set_index("event_time")
    # the truth is 1 + 0.5 e for e >= 0 and 0 before
    for e in range(0, 4):
        assert et.loc[e, "estimate"] == pytest.approx(1 + 0.5 * e, abs=4 * et.loc[e, "std_error"])


def test_only_compare_waitlist_by_hand():
    # unit 3 (starts in 3) is a waitlister: a comparison in period 2, never after,
    # and no cohort of its own
    df = _tiny()
    df["wl"] = df["u"] == 3
    r = ie.did(df.assign(s=df["s"].where(df["u"] != 3)), outcome="y", unit="u", period="t",
               start="s", control="not_yet", n_boot=0)
    from impacteval.estimators.staggered import staggered_did as sd

    w = sd(df, outcome="y", unit="u", period="t", start="s", control="not_yet",
           only_compare="wl", n_boot=0)
    gt = w.tables["group_time"].set_index(["cohort", "period"])
    assert list(w.tables["group"]["cohort"]) == [2]
    assert gt.loc[(2, 2), "estimate"] == pytest.approx(2 - (1 + 0 + 1) / 3, abs=1e-12)
    assert gt.loc[(2, 3), "estimate"] == pytest.approx(3.0, abs=1e-12)
    assert w.estimate == pytest.approx((gt.loc[(2, 2), "estimate"] + 3.0) / 2, abs=1e-12)
    assert w.diagnostics["n_comparison_starting_in_window"] == 1
    # treating the waitlister as never started differs (it would be used after its start)
    assert r.tables["group_time"].set_index(["cohort", "period"]).loc[(2, 3), "estimate"] != \
        pytest.approx(3.0, abs=1e-6)


@pytest.fixture(scope="module")
def servicetrainee_waitlist():
    df = ie.datasets.load_servicetrainee()
    ev = ie.evaluate(
        df, outcome="welfare", unit="person_id", group="group", treated="participant",
        control=["waitlist", "register"], period="month", pre=range(-12, 0),
        post=range(1, 13), covariates=["age", "sex", "household_size", "n_children",
                                       "months_on_welfare", "language_group"],
        assignment="capacity_waitlist", start="start_month", seed=1, n_boot=199)
    return df, ev["waitlist"]


def test_servicetrainee_waitlist_is_did_with_not_yet_started(servicetrainee_waitlist):
    df, ev = servicetrainee_waitlist
    assert ev.design == "did"
    assert ev.ratings["design"] >= 4
    w = ev.estimate.diagnostics["waitlist"]
    wl = df[df.group == "waitlist"].groupby("person_id")["start_month"].first()
    assert w["n_comparison"] == len(wl) == 30
    assert w["started_in_window"] == int((wl <= 12).sum()) == 7
    assert list(w["start_periods"]) == sorted(int(v) for v in wl[wl <= 12])
    # the same number straight from the estimator: participants start in month 1 (their
    # start_month 0 lies between -1 and 1); waitlisters compare until their start
    d = df[df.group.isin(["participant", "waitlist"])].copy()
    d["s"] = np.where(d.group == "participant", 0.0, d["start_month"].astype(float))
    d["wl"] = d.group == "waitlist"
    direct = staggered_did(d, outcome="welfare", unit="person_id", period="month", start="s",
                           control="not_yet", only_compare="wl", n_boot=0)
    assert ev.estimate.estimate == pytest.approx(direct.estimate, rel=1e-12)
    assert ev.estimate.std_error == pytest.approx(direct.std_error, rel=1e-12)
    en, sv = ev.explain("en"), ev.explain("sv")
    assert "7 of the 30 people in the comparison group started" in en
    assert "7 av de 30 personerna i jämförelsegruppen började" in sv
    assert "never after" in en and "aldrig efter" in sv
    steps = ev.steps.set_index("design")
    assert "did" in steps.index


@pytest.mark.parametrize("method", ["reg", "ipw", "dr"])
def test_covariates_match_csdid(ref, method):
    df, (y, i, t) = _mpdta()
    r = ie.did(df, outcome=y, unit=i, period=t, start="start", covariates=["lpop"],
               method=method, seed=1, n_boot=99)
    R = ref[f"mpdta_nevertreated_lpop_{method}"]
    gt = r.tables["group_time"]
    np.testing.assert_allclose(gt["estimate"], R["group_time"]["att"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(gt["std_error"], R["group_time"]["se"], rtol=0, atol=1e-10)
    assert r.estimate == pytest.approx(R["simple"]["overall_att"], rel=0, abs=1e-10)
    assert r.std_error == pytest.approx(R["simple"]["overall_se"], rel=0, abs=1e-10)
    for typ in ("dynamic", "group", "calendar"):
        a = r.diagnostics["aggregates"][typ]
        assert a["estimate"] == pytest.approx(R[typ]["overall_att"], rel=0, abs=1e-10)
        assert a["std_error"] == pytest.approx(R[typ]["overall_se"], rel=0, abs=1e-10)
    np.testing.assert_allclose(r.tables["event_time"]["std_error"], R["dynamic"]["se_egt"],
                               rtol=0, atol=1e-10)
    assert r.inference["covariate_method"] == method
    assert list(r.inference["covariates"]) == ["lpop"]


def test_covariate_path_differs_and_refuses_collinear():
    # a covariate that shapes the trend changes the cells; collinear covariates are refused
    df, (y, i, t) = _syn()
    df["one"] = 1.0
    df["x2"] = df["x"]
    a = ie.did(df, outcome=y, unit=i, period=t, start="start", control="not_yet", n_boot=0)
    b = staggered_did(df, outcome=y, unit=i, period=t, start="start", control="not_yet",
                      covariates=["x"], method="reg", n_boot=0)
    assert b.estimate != pytest.approx(a.estimate, abs=1e-6)
    with pytest.raises(ImpactEvalError, match="collinear"):
        staggered_did(df, outcome=y, unit=i, period=t, start="start", covariates=["x", "x2"],
                      method="reg", n_boot=0)


@pytest.mark.filterwarnings("ignore::impacteval.errors.AssumptionWarning")
def test_match_start_excludes_started_comparisons():
    df = ie.datasets.load_servicetrainee()
    d = df[df.group.isin(["participant", "waitlist"])]
    kw = dict(outcome="welfare", unit="person_id", group="group", treated="participant",
              period="month", pre=list(range(-12, 0)), post=list(range(1, 13)),
              covariates=["age", "months_on_welfare"])
    with_start = ie.match(d, start="start_month", **kw)
    wl = d[d.group == "waitlist"].groupby("person_id")["start_month"].first()
    started = set(wl.index[(wl <= 12).fillna(False).to_numpy(bool)])
    assert with_start.diagnostics["n_comparison_started_in_window"] == len(started) == 7
    by_hand = ie.match(d[~d.person_id.isin(started)], **kw)
    assert with_start.estimate == pytest.approx(by_hand.estimate, rel=1e-12)
    assert with_start.n_control == by_hand.n_control
    with pytest.raises(ArgumentError, match="start"):
        ie.match(d, outcome="welfare", group="group", treated="participant",
                 covariates=["age"], start="start_month")


def test_pre_post_select_periods_and_are_counted():
    df, (y, i, t) = _syn()
    a = ie.did(df, outcome=y, unit=i, period=t, start="start", pre=[1, 2, 3], post=[4, 5],
               n_boot=0)
    b = ie.did(df[df[t] <= 5], outcome=y, unit=i, period=t, start="start", n_boot=0)
    assert a.estimate == pytest.approx(b.estimate, abs=1e-12)
    assert a.diagnostics["dropped"]["rows_outside_periods"] == int((df[t] > 5).sum())
