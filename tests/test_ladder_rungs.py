"""Every rung on its own, with a stub context: feasibility, estimate and checks.

The context is built from small data and facts chosen by the test (the DiD
diagnostics and attrition the core would compute), so each rung's rules are seen
without the rest of the ladder.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval.errors import ImpactEvalWarning
from impacteval.ladder import Infeasible
from impacteval.ladder import registry as reg
from impacteval.ladder.context import Context
from impacteval.roles import prepare


def _panel(n_t=30, n_c=90, seed=7, n_pre=3):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_t + n_c):
        tr = i < n_t
        a = rng.normal(10, 2)
        x = a + rng.normal(0, 1)
        for t in range(n_pre + 1):
            y = a + 0.2 * t + (1.0 if tr and t == n_pre else 0.0) + rng.normal(0, 1)
            rows.append((i, "p" if tr else "c", t, y, x))
    return pd.DataFrame(rows, columns=["id", "grp", "t", "y", "x"])


ROLES = dict(unit="id", group="grp", treated="p", control=None, period="t", pre=[0, 1, 2],
             post=[3], covariates=["x"], cluster=None)


def stub(df=None, roles=None, *, assignment="unknown", reference=None, did_diag=None,
         attrition=None, cluster_cap=None, **th):
    df = _panel() if df is None else df
    roles = dict(ROLES if roles is None else roles)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        study = prepare(df, outcome="y", assignment=assignment,
                        **{k: v for k, v in roles.items()})
    label = study.comparison_labels[0] if roles.get("group") else None
    return Context(df=df, outcome="y", roles=roles, study=study, assignment=assignment,
                   start=None, reference=reference, th=ie.Thresholds(**th), conf_level=0.95,
                   ci="auto", n_boot=999, seed=1, scale="absolute", label=label,
                   attrition=attrition or {}, did_diag=did_diag or {}, descriptives={},
                   cluster_cap=cluster_cap)


def _run(rung, ctx):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        est = rung.estimate(ctx)
        return est, rung.checks(ctx, est), rung.threats(ctx, est)


NO_GROUP = dict(ROLES, group=None, treated=None, covariates=None)


@pytest.mark.parametrize("name", ["randomized", "natural_experiment", "matched_did", "did",
                                  "matched", "adjusted_comparison", "comparison"])
def test_two_group_rungs_need_a_comparison_group_and_more_than_one_cluster(name):
    rung = reg.get(name)
    why = rung.feasible(stub(roles=NO_GROUP, assignment="randomized"))
    assert isinstance(why, Infeasible) and why.code == "no_group"
    why = rung.feasible(stub(assignment="randomized", cluster_cap="one cluster"))
    assert isinstance(why, Infeasible) and why.code == "one_cluster"


@pytest.mark.parametrize(("name", "assignment", "code"), [
    ("randomized", "lottery_waitlist", "no_random_assignment"),
    ("natural_experiment", "randomized", "no_natural_rule"),
    ("natural_experiment", "rule_cutoff", "no_rd"),
])
def test_declared_assignment_gates(name, assignment, code):
    why = reg.get(name).feasible(stub(assignment=assignment))
    assert isinstance(why, Infeasible) and why.code == code
    assert why.reason  # an English reason for the steps table


@pytest.mark.parametrize("name", ["matched_did", "did", "matched"])
def test_panel_rungs_need_before_and_after(name):
    roles = dict(ROLES, period=None, pre=None, post=None, unit=None)
    df = _panel()
    df = df[df.t == 3].drop(columns="t")
    why = reg.get(name).feasible(stub(df, roles))
    assert isinstance(why, Infeasible) and why.code == "no_pre"


def test_benchmark_and_before_after_gates():
    assert reg.get("benchmark").feasible(stub()).code == "no_reference"
    assert reg.get("benchmark").feasible(stub(reference=10.0)) is None
    roles = dict(NO_GROUP, pre=None, post=None, period=None)
    df = _panel()[lambda d: d.t == 3]
    assert reg.get("before_after").feasible(stub(df, roles)).code == "no_pre"
    assert reg.get("adjusted_comparison").feasible(
        stub(roles=dict(ROLES, covariates=None))).code == "no_covariates"
    assert reg.get("follow_up").feasible(stub()) is None


FIRST_TEN = ["randomized", "natural_experiment", "matched_did", "did", "matched",
             "adjusted_comparison", "comparison", "benchmark", "before_after", "follow_up"]


@pytest.mark.parametrize("name", list(reg.DESIGNS))
def test_every_registered_rung_answers_feasible_without_raising_and_speaks_both(name):
    rung = reg.get(name)
    for ctx in (stub(), stub(roles=NO_GROUP), stub(assignment="randomized", reference=10.0)):
        why = rung.feasible(ctx)
        assert why is None or (isinstance(why, Infeasible) and why.code)
    for lang in ("en", "sv"):
        assert ie.texts.design_name(name, lang) != name
        assert ie.texts.T[lang]["rules"][name]


@pytest.mark.parametrize("name", FIRST_TEN)
def test_every_rung_estimates_with_its_own_design_name(name):
    rung = reg.get(name)
    assignment = {"randomized": "randomized", "natural_experiment": "lottery_waitlist"}.get(
        name, "unknown")
    ctx = stub(assignment=assignment, reference=10.0)
    assert rung.feasible(ctx) is None
    est, checks, threats = _run(rung, ctx)
    assert isinstance(est, ie.Estimate) and est.design == name
    assert np.isfinite(est.estimate)
    for c in checks:
        assert c.design == name and c.code, c
        assert c.source, c
        if c.threshold_field:
            assert c.source == ie.Thresholds().source(c.threshold_field)
    for code, params in threats:
        assert isinstance(code, str) and isinstance(params, dict)


def test_did_pretrend_checks_follow_the_stubbed_diagnostics():
    from impacteval.diagnostics import PretrendSlope

    rung = reg.get("did")

    def dd(slope):
        res = PretrendSlope(slope=slope, std_error=0.02, df=100.0, sd=1.0, n_treated=30,
                            n_control=90)
        return {"pretrend": res, "lever": 1.0, "placebo_p": 0.5, "slope_mde_sd": 0.2}

    for slope, passed in ((0.05, True), (0.30, False)):
        _, checks, threats = _run(rung, stub(did_diag=dd(slope)))
        by = {c.code: c for c in checks}
        assert by["pretrend_large"].passed is passed
        assert not by["placebo"].must_pass and not by["pretrend_mde"].must_pass
        # |t| >= 2.5 either way: shown at 95 %, so the capping threat (the verdict leads
        # with the honest interval, or says it could not be computed)
        assert {c for c, _ in threats} & {"pretrend_honest", "pretrend_shown"}
    _, checks, threats = _run(rung, stub(did_diag={}))
    assert [c.code for c in checks][:1] == ["pretrend_untestable"] and not threats


def test_did_threats_and_padlocks():
    rung = reg.get("did")
    ctx = stub(did_diag={"baseline_g": 0.4, "dip": 0.5, "composition_change_pp": 20.0})
    _, checks, threats = _run(rung, ctx)
    assert {c for c, _ in threats} == {"level_difference", "dip", "composition"}
    assert rung.design_padlocks(ctx) == 4
    one = stub(roles=dict(ROLES, pre=[2]))
    assert rung.design_padlocks(one) == 3


def test_randomized_attrition_and_cluster_checks():
    rung = reg.get("randomized")
    df = _panel()
    df["school"] = df["id"] % 6
    ctx = stub(df, dict(ROLES, cluster="school"), assignment="randomized",
               attrition={"overall": 0.30, "differential": 0.10})
    _, checks, threats = _run(rung, ctx)
    by = {c.code: c for c in checks}
    assert not by["attrition"].passed  # 10 pp at 30 % overall is beyond the WWC boundary
    assert by["clusters"].passed and by["clusters"].value == 6
    assert ("few_clusters", {"n": 6}) not in threats  # 6 treated clusters > 5
    low = stub(df, dict(ROLES, cluster="school"), assignment="randomized",
               attrition={"overall": 0.05, "differential": 0.01})
    assert {c.code: c for c in _run(rung, low)[1]}["attrition"].passed


def test_twins_reject_a_small_pool_before_estimating():
    rung = reg.get("matched")
    ctx = stub(_panel(n_t=30, n_c=40))
    est, checks, _ = _run(rung, ctx)
    assert est is None
    assert checks[0].code == "pool_small" and not checks[0].passed


def test_before_after_and_benchmark_sms_levels():
    roles = dict(NO_GROUP, pre=[0, 1, 2], post=[3])
    assert reg.get("before_after").sms_level(stub(roles=roles)) == 1
    assert reg.get("before_after").sms_level(stub(roles=roles, its_min_points=1)) == 2
    assert reg.get("benchmark").sms_level(stub(reference=ie.Reference(mean=10, sd=2))) == 2
    assert reg.get("benchmark").sms_level(stub(reference=10.0)) == 1
