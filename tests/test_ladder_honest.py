"""Honest DiD inside the ladder and the placebo of post-only matched designs.

* Every DiD-family estimate carries Rambachan & Roth's (2023) relative-magnitudes
  interval at M̄ = 1 and the breakdown M̄, equal to
  :func:`impacteval.sensitivity.honest_did` on the DiD's event study; when the
  pre-trend is shown (95 %) the verdict leads with it, says what it assumes in
  English and Swedish, and its security is capped.
* A post-only matched design gets a placebo: the same design run on the last
  pre-periods as if they were "after"; an effect there caps security.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _bench import load  # benchmarks/ by path (not on sys.path)

import impacteval as ie
from impacteval.sensitivity import honest_did

worlds = load("worlds")

ASSUMES = {"en": "the difference in trends after the start is at most as large as before",
           "sv": "skillnaden i trend efter starten är högst lika stor som före"}


def _world(name, seed):
    w = next(x for x in worlds.WORLDS if x.name == name)
    return w.make(np.random.default_rng(seed))


def _evaluate(df, roles, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ie.evaluate(df, **roles, n_boot=199, seed=1, **kw)


def _plain_did(df, roles):
    r = {k: v for k, v in roles.items() if k not in ("covariates", "assignment")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ie.did(df, **r, n_boot=199, seed=1)


def test_honest_interval_reported_beside_a_parallel_trend_did():
    df, roles = _world("parallel", 0)
    ev = _evaluate(df, roles)
    assert ev.design in ("did", "matched_did")
    hd = ev.estimate.diagnostics["honest_rm"]
    ref = honest_did(_plain_did(df, roles), mbar=(1.0,), method="relative_magnitudes")
    assert hd["conf_low"] == pytest.approx(ref.table["conf_low"].iloc[0], rel=1e-12)
    assert hd["conf_high"] == pytest.approx(ref.table["conf_high"].iloc[0], rel=1e-12)
    assert hd["breakdown"] == pytest.approx(ref.breakdown, rel=1e-12)
    assert hd["mbar"] == 1.0
    # no pre-trend shown: reported, not leading, no pre-trend cap
    assert hd["leads"] is False
    assert ev.estimate.conf_high - ev.estimate.conf_low < hd["conf_high"] - hd["conf_low"]
    assert not {"pretrend_honest", "pretrend_shown"} & {c for c, _ in ev.context["threats"]}
    steps = ev.steps[(ev.steps["design"] == ev.design) & (ev.steps["code"] == "honest_rm")]
    assert len(steps) == 1 and not steps["must_pass"].iloc[0]
    assert steps["value"].iloc[0] == pytest.approx(round(ref.breakdown, 3), abs=1e-12)
    for lang in ("en", "sv"):
        text = ev.explain(lang)
        assert "Rambachan & Roth 2023" in text


def test_shown_pretrend_leads_with_the_honest_interval_and_caps_security():
    df, roles = _world("diverging_120", 1)
    ev = _evaluate(df, roles)
    e = ev.estimate
    hd = e.diagnostics["honest_rm"]
    assert hd["leads"] is True
    # the headline interval includes both the honest and the conventional interval
    assert e.conf_low <= hd["conf_low"] and e.conf_high >= hd["conf_high"]
    assert e.conf_low <= e.diagnostics["conventional_conf_low"]
    assert e.conf_high >= e.diagnostics["conventional_conf_high"]
    assert e.conf_low <= worlds.EFFECT <= e.conf_high
    assert e.p_value >= hd["p_value"] >= 0.05  # the honest set includes zero
    assert "pretrend_honest" in {c for c, _ in ev.context["threats"]}
    assert ev.ratings["security"] <= ie.Thresholds().pretrend_visible_cap
    for lang in ("en", "sv"):
        assert ASSUMES[lang] in ev.explain(lang)
        assert ASSUMES[lang] in " ".join(ev.verdict_lines(lang)) if hasattr(
            ev, "verdict_lines") else True


def test_honest_p_value_is_where_the_set_reaches_zero():
    # the bisected p-value: the M̄ = 1 set at 1 - p just touches zero
    from impacteval.ladder.pretrend import _rm_p_value

    # an effect large enough that the M̄ = 1 set excludes zero at some level
    df, roles = worlds.panel(np.random.default_rng(3), effect=-9000.0)
    est = _plain_did(df, roles)
    p = _rm_p_value(est)
    assert 0 < p < 1
    t = honest_did(est, mbar=(1.0,), conf_level=1 - p).table.iloc[0]
    assert min(abs(t["conf_low"]), abs(t["conf_high"])) == pytest.approx(0, abs=1e-3 * abs(
        t["conf_high"] - t["conf_low"]))


def test_waitlist_did_reports_the_honest_interval_from_the_universal_base():
    """The Callaway & Sant'Anna waitlist DiD keeps a universal-base event study, so the
    relative-magnitudes interval is computed for it too (it used to say "varying base")."""
    import math

    df = ie.datasets.load_servicetrainee()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(df, outcome="welfare", unit="person_id", group="group",
                         treated="participant", control="waitlist", period="month",
                         pre=list(range(-12, 0)), post=list(range(1, 13)),
                         assignment="capacity_waitlist", start="start_month", n_boot=199)
    assert ev.design == "did"
    h = ev.estimate.diagnostics["honest_rm"]
    assert h["mbar"] == 1.0 and math.isfinite(h["conf_low"]) and math.isfinite(h["conf_high"])
    assert h["conf_low"] < ev.estimate.estimate < h["conf_high"]
    codes = set(ev.steps.loc[ev.steps["design"] == "did", "code"])
    assert "honest_rm" in codes and "honest_rm_varying_base" not in codes
    for lang in ("en", "sv"):
        assert "M̄ = 1" in ev.explain(lang)


def test_one_pre_period_did_says_too_few_pre_periods():
    df = ie.datasets.load_teaching("did")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(df, outcome="welfare_ksek", unit="household_id", group="group",
                         treated="participant", period="period", pre="pre", post="post")
    assert ev.estimate.diagnostics["honest_rm"] == {"reason": "too_few_pre"}
    assert "honest_rm_too_few_pre" in set(ev.steps.loc[ev.steps["design"] == ev.design, "code"])


def _matched_placebo_by_hand(df, roles, k):
    """The placebo of the matched design built from the public estimator: units matched
    on their mean over the first pre-periods, compared on the last k."""
    pre = sorted(roles["pre"])
    fpre, fpost = pre[:-k], pre[-k:]
    by = df.groupby("id")
    wide = by[["group", "x", "age"]].first()
    wide["__pre__"] = df[df["month"].isin(fpre)].groupby("id")["payments"].mean()
    wide["__post__"] = df[df["month"].isin(fpost)].groupby("id")["payments"].mean()
    return wide.reset_index()


def test_matched_placebo_on_the_last_pre_periods():
    df, roles = _world("diverging_120", 4)
    # a gate that rejects any shown trend sends the ladder down to matching on levels
    ev = _evaluate(df, roles, thresholds=ie.Thresholds(pretrend_slope_sd=0.0))
    assert ev.design == "matched"
    row = ev.steps[(ev.steps["design"] == "matched") & (ev.steps["code"] == "placebo_pre")]
    assert len(row) == 1 and not bool(row["passed"].iloc[0])
    threats = dict((c, dict(p)) for c, p in ev.context["threats"])
    pl = threats["placebo_pre"]
    assert pl["periods"] == 6
    # the groups' payments drift apart by 120 kr a month before the start: the last 6
    # pre-months lie about 6 x 120 kr from their twins' (matched on the earlier months)
    assert pl["value"] > 0 and pl["lo"] > 0
    assert pl["value"] == pytest.approx(720, abs=300)
    assert ev.ratings["security"] <= ie.Thresholds().pretrend_ignored_cap
    for lang in ("en", "sv"):
        assert ie.texts.fmt_num(pl["value"], lang) in ev.explain(lang)


def test_matched_placebo_equals_the_public_matching_estimator():
    df, roles = _world("diverging_120", 4)
    ev = _evaluate(df, roles, thresholds=ie.Thresholds(pretrend_slope_sd=0.0))
    pl = dict(dict(ev.context["threats"])["placebo_pre"])
    wide = _matched_placebo_by_hand(df, roles, pl["periods"])
    # the ladder's rule for 30 participants and 300 in the pool: 4 twins each
    # (Abadie et al. 2004), Mahalanobis distance (fewer than 10 participants per
    # propensity-model parameter), bias correction when an |SMD| after matching > 0.10

    def run(bc):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ie.match(wide, outcome="__post__", group="group", treated="participant",
                            covariates=["__pre__", "x", "age"], k=4, bias_correction=bc,
                            distance="mahalanobis", caliper=None)

    ref = run(False)
    bal = ref.tables["balance"]
    if (bal["smd_after"].abs() > 0.10).any():
        ref = run(True)
    assert pl["value"] == pytest.approx(ref.estimate, rel=1e-9)
    assert pl["lo"] == pytest.approx(ref.conf_low, rel=1e-9)
    assert pl["hi"] == pytest.approx(ref.conf_high, rel=1e-9)


def test_matched_placebo_passes_on_parallel_trends():
    df, roles = _world("parallel", 5)
    ev = _evaluate(df, roles)
    row = ev.steps[(ev.steps["design"] == "matched") & (ev.steps["code"] == "placebo_pre")]
    assert len(row) == 1 and bool(row["passed"].iloc[0])
