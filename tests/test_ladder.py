"""The evaluation ladder: design choice, demotion, ratings, plain language."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.power import NormalIndPower, TTestIndPower

import impacteval as ie
from impacteval.thresholds import wwc_attrition_boundary


def rct(n=60, effect=0.5, lost_t=0, lost_c=0, seed=1):
    """Randomised roster: baseline and follow-up; ``lost_*`` units miss the follow-up."""
    rng = np.random.default_rng(seed)
    g = np.array([1] * n + [0] * n)
    base = rng.normal(0, 1, 2 * n)
    y1 = 0.7 * base + effect * g + rng.normal(0, 0.7, 2 * n)
    rows = []
    for i in range(2 * n):
        rows.append((i, g[i], 0, base[i]))
        lost = (g[i] == 1 and i < lost_t) or (g[i] == 0 and i - n < lost_c)
        rows.append((i, g[i], 1, np.nan if lost else y1[i]))
    return pd.DataFrame(rows, columns=["id", "g", "t", "y"])


def panel(n_t=40, n_c=120, n_pre=4, n_post=2, effect=1.0, gap_trend=0.0, seed=2):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_t + n_c):
        tr = i < n_t
        a = rng.normal(10, 2)
        x = a + rng.normal(0, 1)
        for t in range(n_pre + n_post):
            post = t >= n_pre
            y = a + 0.3 * t + (gap_trend * t if tr else 0) + (effect if tr and post else 0) \
                + rng.normal(0, 1)
            rows.append((i, "p" if tr else "c", t, y, x))
    return pd.DataFrame(rows, columns=["id", "grp", "t", "y", "x"])


ROLES_P = dict(outcome="y", unit="id", group="grp", treated="p", period="t")


def test_declared_randomized_low_attrition_is_randomized():
    df = rct(lost_t=2, lost_c=2)
    ev = ie.evaluate(df, outcome="y", unit="id", group="g", period="t", pre=0, post=1,
                     assignment="randomized")
    assert ev.design == "randomized"
    assert ev.score == 7 and ev.sms_level == 5
    assert ev.ratings["design"] == 5
    row = ev.steps[(ev.steps.design == "randomized")
                   & ev.steps.diagnostic.str.startswith("differential attrition", na=False)]
    assert bool(row.passed.iloc[0])
    assert ev.attrition["overall"] == pytest.approx(4 / 120)


def test_high_differential_attrition_demotes_randomized():
    df = rct(lost_t=18, lost_c=2)
    ev = ie.evaluate(df, outcome="y", unit="id", group="g", period="t", pre=0, post=1,
                     assignment="randomized")
    assert ev.design != "randomized"
    rej = [v for v in ev.verdict if v.startswith("randomized rejected")][0]
    overall = 100 * 20 / 120
    diff = 100 * (18 - 2) / 60
    assert f"{overall:.1f} %" in rej and f"{diff:.1f}" in rej
    assert "WWC" in rej
    assert np.isnan(wwc_attrition_boundary(overall)) or diff > wwc_attrition_boundary(overall)
    assert ev.ratings["attrition"] == 4  # 16.7 % overall attrition -> EEF 4 padlocks


def test_parallel_trends_give_did_or_matched_did():
    df = panel()
    ev = ie.evaluate(df, **ROLES_P, pre=[0, 1, 2, 3], post=[4, 5])
    assert ev.design in ("did", "matched_did")
    did_rows = ev.steps[ev.steps.design == "did"]
    assert did_rows.passed[did_rows.must_pass.astype(bool)].all()
    assert ev.estimate.conf_low < 1.0 < ev.estimate.conf_high


def test_diverging_pretrend_rejects_did_with_numbers_in_reason():
    df = panel(gap_trend=0.5, effect=0.0, n_c=60)
    ev = ie.evaluate(df, **ROLES_P, pre=[0, 1, 2, 3], post=[4, 5])
    assert ev.design not in ("did", "matched_did")
    did_line = [v for v in ev.verdict if v.startswith("did rejected")][0]
    assert "slope difference" in did_line
    d = ev.steps[ev.steps.design == "did"]
    slope = d[d.diagnostic.str.startswith("pre-period slope", na=False)]
    placebo = d[d.diagnostic.str.startswith("joint pre-trend", na=False)]
    # the size of the pre-trend in the outcome's units, with its interval, beats the tolerance
    assert not bool(slope.passed.iloc[0]) and bool(slope.must_pass.iloc[0])
    assert float(slope.value.iloc[0]) > 0.4
    line = [v for v in ev.verdict if v.startswith("did rejected")][0]
    assert "interval" in line and "tolerance" in line
    # the joint placebo test is reported, no longer a gate (it rejected valid DiDs 1 in 3)
    assert float(placebo.value.iloc[0]) < 0.10 and not bool(placebo.must_pass.iloc[0])
    # a design that ignores the trend is capped: the verdict says the evidence is weak
    assert ev.ratings["security"] <= 1
    assert any("trends differed" in t for t in ev.ratings["threats"])


def test_participants_only_before_after():
    df = panel(n_c=0)
    df = df.drop(columns="grp")
    ev = ie.evaluate(df, outcome="y", unit="id", period="t", pre=[0, 1, 2, 3], post=[4, 5])
    assert ev.design == "before_after"
    text = ev.explain("en")
    assert "no comparison group" in text.lower()
    assert "ingen jämförelsegrupp" in ev.explain("sv")
    assert "significant" not in text.lower()


@pytest.fixture(scope="module")
def servicetrainee_eval():
    df = ie.datasets.load_servicetrainee()
    return ie.evaluate(
        df, outcome="welfare", unit="person_id", group="group", treated="participant",
        control=["waitlist", "register"], period="month", pre=list(range(-12, 0)),
        post=list(range(1, 13)),
        covariates=["age", "sex", "household_size", "n_children", "months_on_welfare",
                    "language_group"],
        assignment="capacity_waitlist", start="start_month")


def test_servicetrainee_one_verdict_per_comparison(servicetrainee_eval):
    ev = servicetrainee_eval
    assert isinstance(ev, ie.EvaluationCollection) and len(ev) == 2
    assert [e.comparison for e in ev] == ["waitlist", "register"]
    reg = ev["register"]
    assert reg.design in ("matched_did", "did")
    assert "before_after" in reg.sensitivity
    for e in ev:
        assert set(["design", "precision", "attrition", "security"]) <= set(e.ratings)
        assert 0 <= e.ratings["security"] <= 5
    # 7 waitlisters started during the post window: with start= they are a not-yet-started
    # comparison (each used until its start), so the waitlist verdict is a DiD
    wl = ev["waitlist"]
    assert wl.design == "did" and wl.estimate.diagnostics["waitlist"]["started_in_window"] == 7
    sv = reg.explain("sv")
    assert "före–efter" in sv and "jämfört med register" in sv
    assert "80,0 %" in sv and "45,0 %" in sv
    en = reg.explain("en")
    assert "significant" not in en.lower()
    table = ev.table()
    assert list(table.comparison) == ["waitlist", "register"]
    import json

    json.dumps(ev.to_dict())


def test_thresholds_flip_verdicts():
    df = panel(gap_trend=0.2, effect=1.0, n_c=60, seed=5)
    strict = ie.evaluate(df, **ROLES_P, pre=[0, 1, 2, 3], post=[4, 5],
                         thresholds=ie.Thresholds(pretrend_slope_sd=0.01))
    loose = ie.evaluate(df, **ROLES_P, pre=[0, 1, 2, 3], post=[4, 5],
                        thresholds=ie.Thresholds(pretrend_slope_sd=1.0))
    assert strict.design not in ("did", "matched_did")
    assert loose.design in ("did", "matched_did")
    # the visible pre-trend widens the loose verdict's interval to the trend bracket and
    # caps its security; a stricter visibility threshold keeps the conventional interval
    assert loose.ratings["security"] <= 2
    conv = loose.estimate.diagnostics["conventional_conf_low"]
    assert loose.estimate.conf_low < conv
    narrow = ie.evaluate(df, **ROLES_P, pre=[0, 1, 2, 3], post=[4, 5],
                         thresholds=ie.Thresholds(pretrend_slope_sd=1.0, pretrend_visible_z=50.0,
                                                  pretrend_shown_alpha=1e-9))
    assert narrow.estimate.conf_low == pytest.approx(conv, rel=1e-12)
    # attrition boundary: optimistic keeps the trial that the cautious boundary demotes
    df2 = rct(lost_t=12, lost_c=6, n=60, seed=3)
    kw = dict(outcome="y", unit="id", group="g", period="t", pre=0, post=1,
              assignment="randomized")
    assert ie.evaluate(df2, **kw).design != "randomized"
    assert ie.evaluate(df2, **kw, thresholds=ie.Thresholds(attrition_boundary="optimistic")
                       ).design == "randomized"


def test_thresholds_carry_sources():
    t = ie.Thresholds()
    tab = t.table()
    assert {"name", "value", "source", "kind"} <= set(tab.columns)
    assert t.source("smd_max").startswith("Stuart")
    assert t.kind("pretrend_slope_sd") == "package default"
    with pytest.raises(ie.errors.ArgumentError):
        ie.Thresholds(attrition_boundary="lenient")


def test_power_agrees_with_statsmodels():
    exact = ie.power(n_treated=30, n_control=366, method="exact")
    ref = TTestIndPower().solve_power(nobs1=30, ratio=366 / 30, alpha=0.05, power=0.8)
    assert exact.mdes == pytest.approx(ref, rel=1e-6)
    bloom = ie.power(n_treated=30, n_control=30)
    assert bloom.mdes == pytest.approx(0.74, abs=0.005)  # LADDER.md orientation values
    assert ie.power(n_treated=30, n_control=366).mdes == pytest.approx(0.53, abs=0.005)
    assert ie.power(n_treated=30, n_control=366, r2=0.5).mdes == pytest.approx(0.38, abs=0.005)
    assert bloom.mdes == pytest.approx(TTestIndPower().solve_power(
        nobs1=30, ratio=1, alpha=0.05, power=0.8), rel=0.01)
    b = ie.power(n_treated=30, n_control=366, base_rate=0.3)
    h = NormalIndPower().solve_power(nobs1=30, ratio=366 / 30, alpha=0.05, power=0.8)
    assert b.mdes == pytest.approx(h, rel=1e-8)
    assert round(100 * b.mde) == 26
    pw = ie.power(n_treated=30, n_control=30, power=None, effect=0.5, method="exact")
    assert pw.power == pytest.approx(TTestIndPower().power(0.5, 30, 0.05, ratio=1), rel=1e-8)


def test_plan_deviations_and_holm(tmp_path):
    df = rct(n=40)
    df["y2"] = df["y"] * 0.5 + 0.1
    plan = ie.Plan(primary_outcome="y", secondary_outcomes=["y2"], group="g", treated=1,
                   assignment="randomized", intended_design="did")
    p = tmp_path / "plan.toml"
    plan.to_toml(p)
    assert ie.Plan.from_toml(p) == plan
    assert ie.Plan.from_json(plan.to_json()) == plan
    res = ie.evaluate(df, outcome=["y", "y2"], unit="id", group="g", period="t", pre=0, post=1,
                      assignment="randomized", plan=plan)
    assert len(res) == 2
    assert any("design randomised trial used, planned difference-in-differences" in d
               for d in res[0].deviations)
    sv = [d.render("sv") for d in res[0].deviations if d.code == "dev_design"]
    assert sv == ["designen randomiserad studie användes, planerad var skillnad-i-skillnader"]
    ps = [e.estimate.p_value for e in res]
    from statsmodels.stats.multitest import multipletests

    holm = multipletests(ps, method="holm")[1]
    assert [e.ratings["holm_p_value"] for e in res] == pytest.approx(list(holm), rel=1e-12)
    assert res[0].ratings["role"] == "primary" and res[1].ratings["role"] == "secondary"


def test_one_cluster_per_condition_caps_the_ladder():
    df = panel(n_t=20, n_c=40)
    df["school"] = np.where(df.grp == "p", "A", np.where(df.id % 2 == 0, "B", "C"))
    ev = ie.evaluate(df, **ROLES_P, pre=[0, 1, 2, 3], post=[4, 5], cluster="school")
    assert ev.design in ("before_after", "benchmark")
    assert any("in one school" in v for v in ev.verdict)
    assert any("i en och samma school" in v for v in ev.lines("sv"))


def test_verdict_lines_are_rendered_in_swedish_from_codes(servicetrainee_eval):
    wl = servicetrainee_eval["waitlist"]
    en, sv = wl.lines("en"), wl.lines("sv")
    assert len(en) == len(sv) and en == wl.verdict
    line = next(v for v in sv if v.startswith("skillnad-i-skillnader vald:"))
    assert "jämförelseenheter som började under perioden (används fram till sin start) 7" in line
    assert not any(w in " ".join(sv) for w in (" rejected", " chosen", "needs ", "threat:"))
    assert "skillnad-i-skillnader" in wl.summary("sv") and "tillförlitlighet" in wl.summary("sv")


def test_binary_outcome_mde_is_in_percentage_points_from_cohens_h():
    rng = np.random.default_rng(4)
    n_t, n_c = 30, 366
    g = np.array(["p"] * n_t + ["c"] * n_c)
    y = (rng.random(n_t + n_c) < np.where(g == "p", 0.45, 0.30)).astype(float)
    ev = ie.evaluate(pd.DataFrame({"g": g, "y": y}), outcome="y", group="g", treated="p")
    assert ev.design == "comparison" and ev.mde["mde_units"] == "proportion"
    base = y[g == "c"].mean()
    # Bloom's MDES in SD units is Cohen's h here: the MDE is the step from the base rate
    # whose arcsine distance is that h
    h = 2 * np.arcsin(np.sqrt(base + ev.mde["mde"])) - 2 * np.arcsin(np.sqrt(base))
    assert h == pytest.approx(ev.mde["mdes"], rel=1e-9)
    assert 0.2 < ev.mde["mde"] < 0.35  # LADDER orientation: about 26 pp at 30 vs 366
    assert "procentenheter" in ev.explain("sv")


def test_attrition_without_a_unit_column():
    rng = np.random.default_rng(5)
    g = np.array(["p"] * 40 + ["c"] * 60)
    y = rng.normal(size=100)
    y[:8] = np.nan  # 8 participants without the outcome, none in the comparison group
    with pytest.warns(ie.errors.ImpactEvalWarning):
        ev = ie.evaluate(pd.DataFrame({"g": g, "y": y}), outcome="y", group="g", treated="p")
    assert ev.attrition["overall"] == pytest.approx(8 / 100)
    assert ev.attrition["treated"] == pytest.approx(8 / 40)
    assert ev.attrition["differential"] == pytest.approx(8 / 40)
    assert ev.ratings["attrition"] == 5  # 8 % overall (EEF: <= 10 % -> 5)
