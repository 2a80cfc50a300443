"""Tests of impacteval.sensitivity against published figures and peer packages."""

from __future__ import annotations

import json
import math
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import impacteval as ie
from impacteval import sensitivity as s
from impacteval.errors import ArgumentError, ImpactEvalError
from impacteval.estimators.staggered import staggered_did

REF = Path(__file__).parent / "reference" / "sensitivity"

# Morton et al. (1982) lead exposure: 33 matched pairs of children (Rosenbaum 2002, ch. 4),
# as printed in the rbounds documentation.
LEAD_T = np.array([38, 23, 41, 18, 37, 36, 23, 62, 31, 34, 24, 14, 21, 17, 16, 20, 15, 10, 45,
                   39, 22, 35, 49, 48, 44, 35, 43, 39, 34, 13, 73, 25, 27], dtype=float)
LEAD_C = np.array([16, 18, 18, 24, 19, 11, 10, 15, 16, 18, 18, 13, 19, 10, 16, 16, 24, 13, 9,
                   14, 21, 19, 7, 18, 19, 12, 11, 22, 25, 16, 13, 11, 13], dtype=float)


def _ev(rr):
    return rr + math.sqrt(rr * (rr - 1))


# ------------------------------------------------------------------ E-value
def test_evalue_published_breastfeeding_example():
    # VanderWeele & Ding 2017: RR 3.9 (1.8, 8.7) -> E-values 7.26 and 3.00 (EValue tests)
    r = s.e_value(3.9, 1.8, 8.7)
    assert r.e_point == pytest.approx(7.26, abs=0.005)
    assert r.e_point == pytest.approx(_ev(3.9), rel=1e-12)
    assert r.e_ci == pytest.approx(_ev(1.8), rel=1e-12)
    assert r.e_ci == pytest.approx(3.0, abs=0.005)


def test_evalue_protective_and_sign_flip():
    # EValue tests: evalues.RR(0.80, 0.71, 0.91): point 1/0.8..., CI limit nearest 1 is 0.91
    r = s.e_value(0.80, 0.71, 0.91)
    assert r.e_point == pytest.approx(_ev(1 / 0.8), rel=1e-12)
    assert r.e_ci == pytest.approx(_ev(1 / 0.91), rel=1e-12)
    flip = s.e_value(1 / 3.9, 1 / 8.7, 1 / 1.8)
    assert flip.e_point == pytest.approx(s.e_value(3.9, 1.8, 8.7).e_point, rel=1e-12)
    assert flip.e_ci == pytest.approx(_ev(1.8), rel=1e-12)


def test_evalue_ci_includes_one_and_common_or():
    assert s.e_value(1.3, 0.9, 1.8).e_ci == 1.0
    # evalues.OR(5, rare=FALSE): RR ~ sqrt(OR)
    r = s.e_value(5.0, kind="or", rare=False)
    assert r.e_point == pytest.approx(_ev(math.sqrt(5)), rel=1e-12)
    assert s.e_value(5.0, kind="or", rare=True).e_point == pytest.approx(_ev(5.0), rel=1e-12)


def test_evalue_standardised_difference():
    # VanderWeele & Ding 2017: RR ~ exp(0.91 d), CI exp(0.91 d -/+ 1.78 se)
    r = s.e_value(0.5, 0.1, kind="smd")
    assert r.e_point == pytest.approx(_ev(math.exp(0.455)), rel=1e-12)
    assert r.e_ci == pytest.approx(_ev(math.exp(0.455 - 0.178)), rel=1e-12)
    neg = s.e_value(-0.5, 0.1, kind="smd")
    assert neg.e_point == pytest.approx(r.e_point, rel=1e-12)


def test_evalue_errors():
    with pytest.raises(ArgumentError):
        s.e_value(1.2, 1.3, 1.4)
    with pytest.raises(ArgumentError):
        s.e_value(-1.0)


# -------------------------------------------------------- robustness value
def test_darfur_published_figures():
    # Cinelli & Hazlett 2020, sec. 5: t = 4.18, df = 783 -> partial R2 2.2 %, RV 13.9 %,
    # RV(alpha = 0.05) 7.6 %
    r = s.robustness_value(t=4.18, dof=783, alpha=0.05)
    assert r.partial_r2 == pytest.approx(0.022, abs=0.0005)
    assert r.rv_q == pytest.approx(0.139, abs=0.0005)
    assert r.rv_q_alpha == pytest.approx(0.076, abs=0.0005)


def test_robustness_value_properties():
    a = s.robustness_value(t=4.18, dof=783)
    b = s.robustness_value(t=-4.18, dof=783)
    assert b.rv_q == pytest.approx(a.rv_q, rel=1e-12)
    # q = 0.5: half the effect needs a weaker confounder
    assert s.robustness_value(t=4.18, dof=783, q=0.5).rv_q < a.rv_q
    assert s.robustness_value(t=1.0, dof=783).rv_q_alpha == 0.0
    with pytest.raises(ImpactEvalError):
        s.robustness_value(t=2.0, dof=1)


def test_darfur_live_against_pysensemakr():
    sm = pytest.importorskip("sensemakr")
    smf = pytest.importorskip("statsmodels.formula.api")
    darfur = sm.load_darfur()
    form = ("peacefactor ~ directlyharmed + age + farmer_dar + herder_dar + pastvoted + "
            "hhsize_darfur + female + C(village)")
    fit = smf.ols(form, data=darfur).fit()
    t, dof = float(fit.tvalues["directlyharmed"]), float(fit.df_resid)
    # pysensemakr 0.0.8's model-based bounds fail with pandas 2; use its closed-form API
    ours_rv = s.robustness_value(t=t, dof=dof, alpha=0.05)
    assert ours_rv.rv_q == pytest.approx(float(sm.robustness_value(t_statistic=t, dof=dof,
                                                                   q=1, alpha=1.0).iloc[0]),
                                         rel=1e-6)
    assert ours_rv.rv_q_alpha == pytest.approx(
        float(sm.robustness_value(t_statistic=t, dof=dof, alpha=0.05).iloc[0]), rel=1e-6)
    assert ours_rv.partial_r2 == pytest.approx(0.022, abs=0.0005)
    # benchmark: partial R2 of female with treatment and outcome
    fd = smf.ols(form.replace("peacefactor ~ directlyharmed +", "directlyharmed ~"),
                 data=darfur).fit()
    t_d = float(fd.tvalues["female"])
    r2dxj = t_d**2 / (t_d**2 + fd.df_resid)
    t_y = float(fit.tvalues["female"])
    r2yxj = t_y**2 / (t_y**2 + fit.df_resid)
    ours = s.robustness_value(t=t, dof=dof, benchmark_covariates={"female": (r2dxj, r2yxj)},
                              kd=(1, 2, 3))
    est, se = float(fit.params["directlyharmed"]), float(fit.bse["directlyharmed"])
    b = sm.ovb_partial_r2_bound(r2dxj_x=r2dxj, r2yxj_dx=r2yxj, kd=[1, 2, 3])
    assert ours.table["r2dz_x"].to_numpy() == pytest.approx(b["r2dz_x"].to_numpy(), rel=1e-6)
    assert ours.table["r2yz_dx"].to_numpy() == pytest.approx(b["r2yz_dx"].to_numpy(), rel=1e-6)
    adj = sm.adjusted_estimate(b["r2dz_x"].to_numpy(), b["r2yz_dx"].to_numpy(), estimate=est,
                               se=se, dof=dof)
    # adjusted estimate on the t scale (no Estimate given), times the SE
    assert (ours.table["adjusted_estimate"].to_numpy() * se) == pytest.approx(
        np.asarray(adj, dtype=float), rel=1e-6)
    # Cinelli & Hazlett 2020, Table 2: 1x female bounds R2_DZ 0.9 %, R2_YZ 12.5 %; 3x: 2.7 %, 37.5 %
    assert ours.table["r2dz_x"].iloc[0] == pytest.approx(0.009, abs=0.0005)
    assert ours.table["r2yz_dx"].iloc[0] == pytest.approx(0.125, abs=0.0005)
    assert est > 0


# ---------------------------------------------------------------- Rosenbaum
def test_rosenbaum_gamma_one_is_wilcoxon():
    d = LEAD_T - LEAD_C
    r = s.rosenbaum(d, gammas=[1.0])
    w = stats.wilcoxon(d, zero_method="wilcox", correction=False, alternative="greater",
                       method="approx")
    assert r.table["p_upper"].iloc[0] == pytest.approx(w.pvalue, rel=1e-9)
    # the Hodges-Lehmann estimate at Gamma = 1: median of the Walsh averages
    i, j = np.triu_indices(len(d))
    hl = np.median((d[i] + d[j]) / 2)
    assert r.table["hl_low"].iloc[0] == pytest.approx(hl, abs=1e-6)


def _exact_upper(d, gamma):
    """Exact bounding distribution (Rosenbaum 2002, sec. 4.3.2): convolution of r_i * Bern(p+).

    Returns the exact tail P(T >= t), and the normal-approximation tail computed from the
    exact distribution's own mean and variance."""
    d = d[d != 0]
    r = stats.rankdata(np.abs(d))
    r2 = np.round(2 * r).astype(int)  # average ranks are multiples of 1/2
    p = gamma / (1 + gamma)
    dist = np.zeros(r2.sum() + 1)
    dist[0] = 1.0
    for v in r2:
        new = dist * (1 - p)
        new[v:] += dist[:-v] * p
        dist = new
    t = int(round(2 * r[d > 0].sum()))
    support = np.arange(len(dist)) / 2
    mean = float(support @ dist)
    sd = math.sqrt(float(((support - mean) ** 2) @ dist))
    return dist[t:].sum(), stats.norm.sf((t / 2 - mean) / sd)


@pytest.mark.parametrize("gamma", [1.0, 2.0, 3.0, 4.0])
def test_rosenbaum_normal_approximation_vs_exact_bound(gamma):
    d = LEAD_T - LEAD_C
    p = s.rosenbaum(d, gammas=[gamma], hodges_lehmann=False).table["p_upper"].iloc[0]
    exact, normal = _exact_upper(d, gamma)
    assert p == pytest.approx(normal, rel=1e-9)  # moments of the exact bounding distribution
    assert exact <= p  # the normal approximation is conservative here (right-skewed tail)


def test_rosenbaum_monotone_and_critical_gamma():
    d = LEAD_T - LEAD_C
    r = s.rosenbaum(d, gammas=np.arange(1, 6.01, 0.25))
    p = r.table["p_upper"].to_numpy()
    assert np.all(np.diff(p) > 0)
    width = (r.table["hl_high"] - r.table["hl_low"]).to_numpy()
    assert np.all(np.diff(width) >= 0)
    at = s.rosenbaum(d, gammas=[r.critical_gamma], hodges_lehmann=False)
    assert at.table["p_upper"].iloc[0] == pytest.approx(0.05, abs=1e-8)
    assert 4 < r.critical_gamma < 5  # the lead pairs are famously insensitive


def test_rosenbaum_sign_flip_and_scale():
    d = LEAD_T - LEAD_C
    a = s.rosenbaum(d, gammas=[1, 2, 3])
    b = s.rosenbaum(-d, gammas=[1, 2, 3])
    c = s.rosenbaum(10 * d, gammas=[1, 2, 3])
    assert b.direction == "less"
    assert b.critical_gamma == pytest.approx(a.critical_gamma, rel=1e-9)
    assert b.table["hl_low"].to_numpy() == pytest.approx(-a.table["hl_high"].to_numpy(), abs=1e-6)
    assert c.table["p_upper"].to_numpy() == pytest.approx(a.table["p_upper"].to_numpy(), rel=1e-12)
    assert c.table["hl_low"].to_numpy() == pytest.approx(10 * a.table["hl_low"].to_numpy(),
                                                         abs=1e-5)


def test_rosenbaum_errors():
    with pytest.raises(ImpactEvalError):
        s.rosenbaum([0.0, 0.0, 1.0])
    with pytest.raises(ArgumentError):
        s.rosenbaum([1.0, 2.0, np.nan])
    with pytest.raises(ArgumentError):
        s.rosenbaum([1.0, 2.0, 3.0], gammas=[0.5])


# ---------------------------------------------------------- Rambachan-Roth
@pytest.fixture(scope="module")
def hd_ref():
    return json.loads((REF / "honestdid_reference.json").read_text())


def test_honest_did_smoothness_against_r_package(hd_ref):
    r = hd_ref["smoothness"]
    h = s.honest_did(betahat=r["betahat"], sigma=r["sigma"], num_pre=r["num_pre"],
                     method="smoothness", m=r["M"], target=r["target"])
    lo, hi = h.table["conf_low"].to_numpy(), h.table["conf_high"].to_numpy()
    rlb, rub = np.array(r["lb"]), np.array(r["ub"])
    # valid and never narrower than R's optimal FLCI (printed to 3 significant digits)
    assert np.all(lo <= rlb + 5e-5) and np.all(hi >= rub - 5e-4)
    # from M = 0.03 on the optimal affine estimator is the linear extrapolation: equal sets
    big = np.array(r["M"]) >= 0.03
    assert lo[big] == pytest.approx(rlb[big], rel=5e-3)
    assert hi[big] == pytest.approx(rub[big], rel=5e-3)
    # README: breakdown M about 0.03 (ours: between 0.02 and 0.03)
    assert 0.02 < h.breakdown < 0.03


def test_honest_did_relative_magnitudes_contains_r_package(hd_ref):
    r = hd_ref["relative_magnitudes"]
    npre = int(sum(c < 0 for c in r["cohorts"]))
    res = r["results"]
    h = s.honest_did(betahat=r["betahat"], sigma=r["sigma"], num_pre=npre, mbar=res["Mbar"],
                     target=0)
    lo, hi = h.table["conf_low"].to_numpy(), h.table["conf_high"].to_numpy()
    assert np.all(lo <= np.array(res["lb"])) and np.all(hi >= np.array(res["ub"]))
    # conservative, but not absurdly so (Bonferroni projection vs C-LF)
    ratio = (hi - lo) / (np.array(res["ub"]) - np.array(res["lb"]))
    assert np.all(ratio < 1.6)


@pytest.mark.parametrize("method", ["relative_magnitudes", "smoothness"])
def test_honest_did_monotone_sign_flip_scale(method):
    rng = np.random.default_rng(3)
    a = rng.normal(size=(8, 8))
    sig = a @ a.T / 50 + 0.01 * np.eye(8)
    b = np.r_[rng.normal(0, 0.05, 4), [0.8, 0.9, 1.0, 1.1]]
    kw = {"mbar": (0, 0.5, 1, 2)} if method == "relative_magnitudes" else {"m": (0, .1, .2, .4)}
    h = s.honest_did(betahat=b, sigma=sig, num_pre=4, method=method, **kw)
    w = (h.table["conf_high"] - h.table["conf_low"]).to_numpy()
    assert np.all(np.diff(w) > 0)
    f = s.honest_did(betahat=-b, sigma=sig, num_pre=4, method=method, **kw)
    assert f.table["conf_low"].to_numpy() == pytest.approx(-h.table["conf_high"].to_numpy(),
                                                           rel=1e-10)
    assert f.breakdown == pytest.approx(h.breakdown, rel=1e-8)
    kw10 = kw if method == "relative_magnitudes" else {"m": tuple(10 * v for v in kw["m"])}
    g = s.honest_did(betahat=10 * b, sigma=100 * sig, num_pre=4, method=method, **kw10)
    assert g.table["conf_low"].to_numpy() == pytest.approx(10 * h.table["conf_low"].to_numpy(),
                                                           rel=1e-8)


def test_honest_did_reasons_and_speed():
    r = s.honest_did(betahat=[0.1, 0.2], sigma=np.eye(2), num_pre=0)
    assert not r.ok and r.reason == "too_few_pre" and r.table is None
    assert "pre" in r.sentence("en") and "före" in r.sentence("sv")
    assert s.honest_did(betahat=[0.1, 0.2], sigma=np.eye(2), num_pre=2).reason == "no_post"
    with pytest.raises(ArgumentError):
        s.honest_did(betahat=[0.1, 0.2], sigma=np.eye(3), num_pre=1)
    rng = np.random.default_rng(0)
    a = rng.normal(size=(24, 24))
    sig, b = a @ a.T / 100, rng.normal(size=24)
    t0 = time.perf_counter()
    s.honest_did(betahat=b, sigma=sig, num_pre=12)
    s.honest_did(betahat=b, sigma=sig, num_pre=12, method="smoothness")
    assert time.perf_counter() - t0 < 1.0


def _panel(n=60, seed=1, trend=0.0):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        tr = i < n // 2
        a = rng.normal()
        for t in range(-4, 4):
            y = a + 0.2 * t + (trend * t if tr else 0) + (1.0 if tr and t >= 0 else 0)
            rows.append({"id": i, "g": "p" if tr else "c", "t": t, "y": y + rng.normal(0, .5)})
    return pd.DataFrame(rows)


def test_honest_did_from_did_estimate_uses_kept_covariance():
    df = _panel()
    est = ie.did(df, outcome="y", unit="id", group="g", treated="p", control="c", period="t",
                 pre=[-4, -3, -2, -1], post=[0, 1, 2, 3])
    v = est._sensitivity["event_time_vcov"]
    assert v.shape == (7, 7) and not v.flags.writeable
    ev = est.tables["event_time"]
    assert np.sqrt(np.diag(v)) == pytest.approx(ev["std_error"].to_numpy(), rel=1e-10)
    h = s.honest_did(est)
    manual = s.honest_did(betahat=ev["estimate"].to_numpy(), sigma=v, num_pre=3)
    assert h.table["conf_low"].to_numpy() == pytest.approx(manual.table["conf_low"].to_numpy(),
                                                           rel=1e-12)
    assert h.ok and h.breakdown > 0
    assert "_sensitivity" not in json.dumps(est.to_dict())
    two = ie.did(df[df.t.isin([-1, 0])], outcome="y", unit="id", group="g", treated="p",
                 control="c", period="t", pre=[-1], post=[0])
    assert s.honest_did(two).reason == "no_event_time"


# ---------------------------------------------------- matched pairs, leave-out
@pytest.fixture(scope="module")
def matched():
    rng = np.random.default_rng(7)
    n = 120
    x = rng.normal(size=n)
    g = np.where(np.arange(n) < 40, "p", "c")
    y = x + (g == "p") * 1.0 + rng.normal(0, 1, n)
    df = pd.DataFrame({"id": np.arange(n), "g": g, "x": x, "y": y})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ie.match(df, outcome="y", group="g", treated="p", control="c", covariates=["x"],
                        method="optimal", ci="analytic")


def test_rosenbaum_and_leave_out_from_match(matched):
    d = matched._sensitivity["pair_differences"]
    assert len(d) == matched.n_treated
    assert d.mean() == pytest.approx(matched.estimate, rel=1e-12)
    r = s.rosenbaum(matched)
    assert r.critical_gamma == pytest.approx(s.rosenbaum(d).critical_gamma, rel=1e-12)
    lo = s.leave_out(matched)
    top = np.argmax(d)
    assert lo.estimate_without == pytest.approx(np.delete(d, top).mean(), rel=1e-12)
    assert lo.largest_share == pytest.approx(d[top] / d.sum(), rel=1e-12)
    assert s.leave_out(matched, k=3).estimate_without < lo.estimate_without
    js = json.dumps(matched.to_dict())
    assert "pair_differences" not in js


def test_unsupported_estimates_raise_clear_errors():
    df = _panel()
    est = ie.difference(df[df.t == 0], outcome="y", group="g", treated="p", control="c")
    with pytest.raises(ArgumentError, match="per-unit contributions"):
        s.leave_out(est)
    with pytest.raises(ArgumentError, match="pair differences"):
        s.rosenbaum(est)


def test_estimate_adapters_and_texts(matched):
    e = s.e_value(matched)
    assert e.e_point > 1 and e.scale == "smd"
    rv = s.robustness_value(matched)
    assert rv.t == pytest.approx(matched.statistic, rel=1e-12)
    english = {"the", "and", "effect", "would", "times"}
    for res in (e, rv, s.rosenbaum(matched), s.leave_out(matched),
                s.honest_did(betahat=[0.0, 0.01, 0.5], sigma=0.01 * np.eye(3), num_pre=2)):
        sv = res.sentence("sv")
        assert not english & set(sv.lower().replace(",", " ").replace(".", " ").split()), sv
        assert res.summary("sv") and res.summary("en")
        json.dumps(res.to_dict())
        assert isinstance(res.tidy(), pd.DataFrame)


def test_ladder_rung_hooks_give_design_appropriate_analyses(matched):
    from impacteval.ladder.registry import get

    df = _panel()
    d = ie.did(df, outcome="y", unit="id", group="g", treated="p", control="c", period="t",
               pre=[-4, -3, -2, -1], post=[0, 1, 2, 3])
    out = get("did").sensitivity(None, d)
    assert set(out) == {"honest_did"} and out["honest_did"].ok
    out = get("matched").sensitivity(None, matched)
    assert isinstance(out["rosenbaum"], s.RosenbaumBounds)
    assert isinstance(out["e_value"], s.EValue)
    assert get("did").sensitivity(None, None) is None
    # an analysis that does not apply comes back as its message, never an exception
    est = ie.difference(df[df.t == 0], outcome="y", group="g", treated="p", control="c")
    out = get("matched_did").sensitivity(None, est)
    assert isinstance(out["rosenbaum"], str) and "pair differences" in out["rosenbaum"]


def test_report_shows_the_chosen_designs_sensitivity_sentences():
    df = ie.datasets.load_servicetrainee()
    roles = dict(outcome="welfare", unit="person_id", group="group", treated="participant",
                 control="register", period="month", pre=list(range(-12, 0)),
                 post=list(range(1, 13)),
                 covariates=["age", "sex", "household_size", "n_children", "months_on_welfare",
                             "language_group"], assignment="capacity_waitlist",
                 start="start_month")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(df, **roles)
        from impacteval.report import _robustness_html
        en, sv = _robustness_html(ev, "en"), _robustness_html(ev, "sv")
    found = get_hook(ev)
    sentences = [r for r in found.values() if hasattr(r, "sentence") and getattr(r, "ok", True)]
    if sentences:
        assert en and sv and "Hur säkert" in sv[0]
        assert sentences[0].sentence("sv") in sv[0]
    else:  # nothing applies to this estimate: the section is left out, never an error
        assert en == [] and sv == []


def get_hook(ev):
    from impacteval.ladder.registry import get

    return get(ev.design).sensitivity(None, ev.estimate) or {}


def test_honest_did_varying_base_event_study_gives_a_reason():
    est = ie.Estimate(estimate=1.0, std_error=0.5, conf_low=0.0, conf_high=2.0, n_treated=10,
                      design="did", estimand="ATT", outcome="y",
                      tables={"event_time": pd.DataFrame({
                          "event_time": [-2, -1, 0, 1], "estimate": [0.1, 0.0, 1.0, 1.2],
                          "std_error": [0.2] * 4, "pre": [True, True, False, False]})})
    r = s.honest_did(est)
    assert r.reason == "varying_base" and r.table is None
    assert "basperiod" in r.sentence("sv")


# ------------------------------------------- relative magnitudes: exact C-LF
@pytest.fixture(scope="module")
def clf_ref():
    return json.loads((REF / "honestdid_clf_reference.json").read_text())


def _clf_step(r, lv):
    s_post = np.asarray(r["sigma"])[r["num_pre"]:, r["num_pre"]:]
    return 40 * math.sqrt(lv @ s_post @ lv) / (r["grid_points"] - 1)


def test_honest_did_clf_equals_r_package_on_its_grid(clf_ref):
    # HonestDiD README (Medicaid, first post period): R's C-LF ends on the same grid. The
    # least-favourable critical value is simulated (R's draws cannot be reproduced), so an
    # end may move by one grid point.
    r, ref = clf_ref, clf_ref["first_post_grid"]
    h = s.honest_did(betahat=r["betahat"], sigma=r["sigma"], num_pre=r["num_pre"],
                     mbar=ref["Mbar"], target=0, inference="clf")
    step = _clf_step(r, np.array([1.0, 0.0]))
    lo, hi = h.table["conf_low"].to_numpy(), h.table["conf_high"].to_numpy()
    assert lo == pytest.approx(ref["lb"], abs=1.01 * step)
    assert hi == pytest.approx(ref["ub"], abs=1.01 * step)
    # most ends are the very same grid point
    same = np.isclose(lo, ref["lb"], rtol=0, atol=1e-6).sum() + np.isclose(
        hi, ref["ub"], rtol=0, atol=1e-6).sum()
    assert same >= 4
    # README: "the breakdown value for a significant effect is Mbar = 2"
    assert 1.5 < h.breakdown <= 2.0
    assert h.table["conf_low"].iloc[-1] < 0 < h.table["conf_low"].iloc[-2]


def test_honest_did_clf_matches_readme_tables(clf_ref):
    # the README's printed tables (first post period; average of the two) came from a run on a
    # slightly different grid: equal within 1.5 grid steps (about 0.0006)
    r = clf_ref
    for key, target, lv in (("first_post_readme", 0, np.array([1.0, 0.0])),
                            ("average", "average", np.array([0.5, 0.5]))):
        ref = r[key]
        h = s.honest_did(betahat=r["betahat"], sigma=r["sigma"], num_pre=r["num_pre"],
                         mbar=ref["Mbar"], target=target, inference="clf")
        step = _clf_step(r, lv)
        assert h.table["conf_low"].to_numpy() == pytest.approx(ref["lb"], abs=1.5 * step)
        assert h.table["conf_high"].to_numpy() == pytest.approx(ref["ub"], abs=1.5 * step)
        assert not h.notes["en"]  # exact test: no Bonferroni note, set inside the grid


def test_honest_did_clf_sun_abraham_example(hd_ref):
    # HonestDiD README, Sun-Abraham example (10 pre, 6 post periods, gridPoints = 100). Mbar 0.5
    # and 1 agree within a grid step; at 1.5 and 2 R's cached upper ends lie beyond its own
    # grid (+20 SE = 0.132), so those cached numbers cannot come from these inputs.
    r = hd_ref["relative_magnitudes"]
    npre = int(sum(c < 0 for c in r["cohorts"]))
    res = r["results"]
    h = s.honest_did(betahat=r["betahat"], sigma=r["sigma"], num_pre=npre, mbar=res["Mbar"][:2],
                     target=0, inference="clf", grid_points=100)
    step = 40 * math.sqrt(np.asarray(r["sigma"])[npre, npre]) / 99
    assert h.table["conf_low"].to_numpy() == pytest.approx(res["lb"][:2], abs=step)
    assert h.table["conf_high"].to_numpy() == pytest.approx(res["ub"][:2], abs=step)
    b = s.honest_did(betahat=r["betahat"], sigma=r["sigma"], num_pre=npre, mbar=res["Mbar"][:2],
                     target=0, inference="bonferroni")
    # the Bonferroni projection is wider than the exact set
    assert np.all(b.table["conf_low"].to_numpy() < h.table["conf_low"].to_numpy())
    assert np.all(b.table["conf_high"].to_numpy() > h.table["conf_high"].to_numpy())


def test_least_favourable_cv_pruning_is_exact():
    # the pruned simulation equals solving every draw's linear programme
    rng = np.random.default_rng(5)
    K, T = 4, 4
    a = rng.normal(size=(K + T, K + T))
    sig = a @ a.T / 50 + 0.01 * np.eye(K + T)
    A = s._rm_A(K, T, 1.0, -1, True)
    A = A[(A[:, K:] != 0).any(axis=1)]
    G = np.linalg.inv(s._basis_with_first(np.full(T, 1 / T)))
    X, SY = (A[:, K:] @ G)[:, 1:], A @ sig @ A.T
    cv = s._lf_cv(X, SY, 0.005, 1000, 0)
    xi = np.random.default_rng(0).standard_normal((1000, len(SY))) @ s._sqrt_psd(SY).T
    eta = np.array([s._eta_lp(x, X, np.sqrt(np.diag(SY)))[0] for x in xi])
    assert cv == pytest.approx(np.quantile(eta, 0.995), rel=1e-7)


def test_honest_did_inference_option_and_auto():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(8, 8))
    sig = a @ a.T / 50 + 0.01 * np.eye(8)
    b = np.r_[rng.normal(0, 0.05, 4), [0.8, 0.9, 1.0, 1.1]]
    auto = s.honest_did(betahat=b, sigma=sig, num_pre=4, mbar=(0.5,))
    clf = s.honest_did(betahat=b, sigma=sig, num_pre=4, mbar=(0.5,), inference="clf")
    assert auto.table.equals(clf.table)  # 4 x 4 periods: auto is C-LF
    with pytest.raises(ArgumentError):
        s.honest_did(betahat=b, sigma=sig, num_pre=4, inference="exact")
    big = rng.normal(size=(20, 20))
    bon = s.honest_did(betahat=rng.normal(size=20), sigma=big @ big.T / 100, num_pre=10)
    assert any("Bonferroni" in n for n in bon.notes["en"])
    assert any("Bonferroni" in n for n in bon.notes["sv"])


# ------------------------------------------------- leave-out from any estimate
def _by_hand(df, unit, fit):
    """Leave each unit out by hand: the refitted estimates and jackknife shares."""
    est = fit(df).estimate
    units = sorted(df[unit].unique())
    n = len(units)
    loo = np.array([fit(df[df[unit] != u]).estimate for u in units])
    pseudo = n * est - (n - 1) * loo
    return units, loo, pseudo


@pytest.mark.parametrize("design", ["difference", "did", "before_after"])
def test_leave_out_refits_any_estimate(design):
    df = _panel(n=24, seed=4)
    # one extreme unit among the participants
    df.loc[(df.id == 3) & (df.t >= 0), "y"] += 15.0
    snapshot = df.copy()
    if design == "difference":
        data = df[df.t == 1]

        def fit(d):
            return ie.difference(d, outcome="y", group="g", treated="p", control="c")
    elif design == "did":
        data = df

        def fit(d):
            return ie.did(d, outcome="y", unit="id", group="g", treated="p", control="c",
                          period="t", pre=[-2, -1], post=[0, 1])
    else:
        data = df[df.g == "p"]

        def fit(d):
            return ie.before_after(d, outcome="y", unit="id", period="t", pre=[-2, -1],
                                   post=[0, 1])
    est = fit(data)
    lo = s.leave_out(est, data=data, unit="id", refit=fit)
    units, loo, pseudo = _by_hand(data, "id", fit)
    top = int(np.argmax(np.sign(est.estimate) * pseudo))
    assert units[top] == 3  # the extreme unit is found
    assert lo.estimate_without == pytest.approx(loo[top], rel=1e-10)
    assert lo.largest_share == pytest.approx(pseudo[top] / pseudo.sum(), rel=1e-10)
    assert lo.n == len(units)
    assert lo.table["estimate_without"].iloc[0] == pytest.approx(loo[top], rel=1e-10)
    # k = 2: the two largest shares left out together, refitted by hand
    two = np.argsort(-np.sign(est.estimate) * pseudo)[:2]
    lo2 = s.leave_out(est, k=2, data=data, unit="id", refit=fit)
    drop = [units[i] for i in two]
    assert lo2.estimate_without == pytest.approx(fit(data[~data.id.isin(drop)]).estimate,
                                                 rel=1e-10)
    pd.testing.assert_frame_equal(df, snapshot)  # the caller's data are untouched
    js = json.dumps(lo.to_dict())
    assert '"id"' not in js and "sentence" in js


def test_leave_out_mean_matches_contributions():
    # for a mean the jackknife share is the unit's own contribution over the total
    rng = np.random.default_rng(2)
    ch = rng.normal(1.0, 1.0, 15)
    data = pd.DataFrame({"id": np.repeat(np.arange(15), 2), "t": np.tile([0, 1], 15),
                         "y": np.c_[np.zeros(15), ch].ravel()})

    def fit(d):
        return ie.before_after(d, outcome="y", unit="id", period="t", pre=[0], post=[1])

    a = s.leave_out(fit(data), data=data, unit="id", refit=fit)
    b = s.leave_out(ch)
    assert a.largest_share == pytest.approx(b.largest_share, rel=1e-9)
    assert a.estimate_without == pytest.approx(b.estimate_without, rel=1e-9)


def test_leave_out_refit_errors():
    df = _panel(n=12)
    data = df[df.t == 1]

    def fit(d):
        return ie.difference(d, outcome="y", group="g", treated="p", control="c")

    est = fit(data)
    with pytest.raises(ArgumentError, match="no such column"):
        s.leave_out(est, data=data, unit="person", refit=fit)
    with pytest.raises(ArgumentError, match="max_units"):
        s.leave_out(est, data=data, unit="id", refit=fit, max_units=5)
    with pytest.raises(ArgumentError, match="not the estimate"):
        s.leave_out(est, data=data[data.id != 0], unit="id", refit=fit)


# ------------------------------------- honest_did on Callaway & Sant'Anna (universal base)
def _staggered(starts=(3, 5), n_per=30, T=8, seed=11):
    rng = np.random.default_rng(seed)
    rows = []
    uid = 0
    for g in list(starts) + [None]:
        for _ in range(n_per):
            a, tr = rng.normal(), rng.normal(0, 0.1)
            for t in range(T):
                eff = 1.0 + 0.2 * (t - g) if g is not None and t >= g else 0.0
                rows.append({"id": uid, "t": t, "start": g, "y": a + tr * t + 0.3 * t + eff
                             + rng.normal(0, 0.5)})
            uid += 1
    return pd.DataFrame(rows)


def _universal_by_hand(df, T=8):
    m = df.pivot(index="id", columns="t", values="y")
    st = df.groupby("id")["start"].first()
    ctrl = m[st.isna()]
    out = {}
    cohorts = sorted(st.dropna().unique())
    for e in range(-T, T):
        num = den = 0.0
        for g in cohorts:
            g = int(g)
            t, b = g + e, g - 1
            if e == -1 or not 0 <= t < T:
                continue
            coh = m[st == g]
            att = (coh[t] - coh[b]).mean() - (ctrl[t] - ctrl[b]).mean()
            num += len(coh) * att
            den += len(coh)
        if den:
            out[e] = num / den
    return out


def test_callaway_santanna_universal_event_study_by_hand():
    df = _staggered()
    est = staggered_did(df, outcome="y", unit="id", period="t", start="start", n_boot=0)
    uni = est._sensitivity["event_time_universal"]
    hand = _universal_by_hand(df)
    assert sorted(hand) == uni["event_time"].tolist()
    assert uni["estimate"].to_numpy() == pytest.approx([hand[e] for e in uni["event_time"]],
                                                       rel=1e-10, abs=1e-12)
    # from the start on, universal and varying bases are the same cells
    ev = est.tables["event_time"].set_index("event_time")
    post = uni[uni.event_time >= 0].set_index("event_time")
    assert post["estimate"].to_numpy() == pytest.approx(
        ev.loc[post.index, "estimate"].to_numpy(), rel=1e-10)
    assert post["std_error"].to_numpy() == pytest.approx(
        ev.loc[post.index, "std_error"].to_numpy(), rel=1e-10)


def test_callaway_santanna_universal_covariance_single_cohort_by_hand():
    df = _staggered(starts=(5,))
    est = staggered_did(df, outcome="y", unit="id", period="t", start="start", n_boot=0)
    uni = est._sensitivity["event_time_universal"]
    V = est._sensitivity["event_time_universal_vcov"]
    m = df.pivot(index="id", columns="t", values="y")
    st = df.groupby("id")["start"].first()
    b = 4
    ts = [5 + e for e in uni["event_time"]]
    dg = np.column_stack([m[st == 5][t] - m[st == 5][b] for t in ts])
    dc = np.column_stack([m[st.isna()][t] - m[st.isna()][b] for t in ts])
    hand = np.cov(dg, rowvar=False, ddof=0) / len(dg) + np.cov(dc, rowvar=False, ddof=0) / len(dc)
    assert np.asarray(V) == pytest.approx(hand, rel=1e-9, abs=1e-14)
    # one cohort: the universal e = -2 coefficient is minus the varying e = -1 one
    ev = est.tables["event_time"].set_index("event_time")
    u = uni.set_index("event_time")
    assert u.loc[-2, "estimate"] == pytest.approx(-ev.loc[-1, "estimate"], rel=1e-10)
    assert u.loc[-2, "std_error"] == pytest.approx(ev.loc[-1, "std_error"], rel=1e-10)


def test_honest_did_runs_on_callaway_santanna():
    df = _staggered()
    est = staggered_did(df, outcome="y", unit="id", period="t", start="start", n_boot=0)
    h = s.honest_did(est, mbar=(0, 1))
    assert h.ok and h.table is not None
    uni = est._sensitivity["event_time_universal"]
    pre = uni["pre"].to_numpy()
    order = np.r_[np.flatnonzero(pre), np.flatnonzero(~pre)]
    V = np.asarray(est._sensitivity["event_time_universal_vcov"])[np.ix_(order, order)]
    ref = s.honest_did(betahat=uni["estimate"].to_numpy()[order], sigma=V,
                       num_pre=int(pre.sum()), mbar=(0, 1))
    pd.testing.assert_frame_equal(h.table, ref.table)
    # the target is the average post-start effect: the CS dynamic aggregate
    assert h.estimate == pytest.approx(est.diagnostics["aggregates"]["dynamic"]["estimate"],
                                       rel=1e-10)
    assert any("universal" in n for n in h.notes["en"])
    assert any("basperiod" in n for n in h.notes["sv"])
    js = json.dumps(est.to_dict())
    assert "event_time_universal" not in js
