"""The teaching path: every teaching set lands on its rung of the ladder.

Each set is built so that ``ie.evaluate(load_teaching(name), **teaching_roles(name))`` chooses
the rung in ``TEACHING_RUNGS`` with the default thresholds; the two sets that teach a failure
land on the weaker rung for the reason their data cards give. The true effects are known, so
the chosen estimate's interval is also checked against them.
"""

from __future__ import annotations

import warnings

import pytest

import impacteval as ie
from impacteval.datasets import TEACHING_NAMES, TEACHING_RUNGS, teaching_roles, teaching_truth
from impacteval.errors import ArgumentError, ImpactEvalWarning

RUNGS = ("follow_up", "before_after", "benchmark", "comparison", "adjusted_comparison", "did",
         "matched", "matched_did", "natural_experiment", "randomized")


def _evaluate(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        return ie.evaluate(ie.datasets.load_teaching(name), **teaching_roles(name))


@pytest.fixture(scope="module")
def evaluations():
    return {name: _evaluate(name) for name in TEACHING_RUNGS}


def test_every_rung_has_a_teaching_set_named_after_it():
    assert set(RUNGS) <= set(TEACHING_NAMES)
    for rung in RUNGS:
        assert TEACHING_RUNGS[rung] == rung
    assert set(TEACHING_RUNGS) == set(TEACHING_NAMES)


@pytest.mark.parametrize("name", sorted(TEACHING_RUNGS))
def test_each_teaching_set_lands_on_its_rung(evaluations, name):
    ev = evaluations[name]
    assert ev.design == TEACHING_RUNGS[name], "\n".join(ev.verdict)


@pytest.mark.parametrize("name", [n for n in sorted(TEACHING_RUNGS)
                                  if teaching_truth(n) is not None
                                  and n not in ("adjusted_comparison_no_overlap",
                                                "before_after")])
def test_the_chosen_interval_covers_the_truth(evaluations, name):
    e = evaluations[name].estimate
    truth = teaching_truth(name)
    assert e.conf_low <= truth <= e.conf_high, (name, e.estimate, e.conf_low, e.conf_high)


def test_before_after_misses_the_truth_as_its_card_says(evaluations):
    # regression to the mean and a practice effect: about 11 points against a truth of 2
    e = evaluations["before_after"].estimate
    assert e.conf_low > teaching_truth("before_after")


def test_adjustment_helps_on_adjusted_comparison(evaluations):
    ev = evaluations["adjusted_comparison"]
    truth = teaching_truth("adjusted_comparison")
    raw = ev.sensitivity["comparison"]
    assert abs(ev.estimate.estimate - truth) < abs(raw.estimate - truth)


def test_no_overlap_set_rejects_adjustment_and_says_why(evaluations):
    ev = evaluations["adjusted_comparison_no_overlap"]
    text = " ".join(ev.verdict)
    assert "adjusted_comparison rejected" in text and "months_unemployed" in text
    assert ev.ratings["security"] <= 1
    # the remaining plain comparison is confounded: its interval excludes the truth
    truth = teaching_truth("adjusted_comparison_no_overlap")
    assert not ev.estimate.conf_low <= truth <= ev.estimate.conf_high


def test_matched_set_rejects_did_on_the_pre_trend(evaluations):
    text = " ".join(evaluations["matched"].verdict)
    assert "did rejected: pre-period slope difference" in text
    assert "matched_did rejected: pre-period slope difference" in text


def test_cutoff_rule_is_declared_but_needs_regression_discontinuity(evaluations):
    text = " ".join(evaluations["natural_experiment_cutoff"].verdict)
    assert "natural_experiment rejected" in text and "regression discontinuity" in text


def test_lottery_is_not_called_randomised(evaluations):
    ev = evaluations["natural_experiment"]
    assert ("randomized", "no_random_assignment") in {(d, c) for d, c, _ in ev._rejections}
    assert "randomized rejected: a randomised trial needs random assignment" in ev.verdict[0]
    assert ev.sms_level == 4


def test_teaching_roles_returns_fresh_dicts():
    a = teaching_roles("matched")
    a["pre"].append(2099)
    a["outcome"] = "x"
    b = teaching_roles("matched")
    assert b["pre"] == [2021, 2022] and b["outcome"] == "welfare_ksek"


def test_unknown_teaching_name_is_an_argument_error():
    with pytest.raises(ArgumentError, match="'lottery' is not a teaching dataset"):
        teaching_roles("lottery")
    with pytest.raises(ArgumentError):
        teaching_truth("lottery")


def test_csv_paths_point_at_the_bundled_files():
    table = ie.datasets.list_datasets()
    for name, path in zip(table["name"], table["path"], strict=True):
        assert ie.datasets.csv_path(name if name != "servicetrainee_persons"
                                    else "servicetrainee").is_file()
        assert path.endswith(".csv")
    assert ie.datasets.csv_path("natural_experiment").name == "teaching_natural_experiment.csv"
    with pytest.raises(ArgumentError):
        ie.datasets.csv_path("nope")


# ------------------------------------------------------------ readable summaries
def _quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        return fn(*args, **kw)


def test_summary_never_cuts_a_label_and_shortens_long_seeds():
    df = ie.datasets.load_teaching("benchmark")
    e = _quiet(ie.benchmark, df, outcome="vocabulary",
               reference=ie.Reference(mean=100, sd=15, source="test norm"))
    text = e.summary()
    assert e.effect_size.name in text  # "standardized_difference", not "standardized_c"
    seed = str(e.inference["seed"])
    assert len(seed) > 12 and seed not in text
    assert seed[:8] in text and "full seed in to_dict()" in text
    assert str(e.to_dict()["inference"]["seed"]) == seed
    assert all(len(line) <= 78 for line in text.splitlines() if not line.startswith("  ["))


def test_summary_explains_when_the_two_intervals_disagree_about_zero():
    df = ie.datasets.load_skolfam()
    e = _quiet(ie.did, df, outcome="iq", unit="child_id", period="period", pre="pre",
               post="post", group="group", treated="skolfam")
    es = e.effect_size
    assert e.conf_low > 0 and es.conf_low < 0 < es.conf_high  # they disagree about zero
    text = " ".join(e.summary().split())
    assert "Why the two intervals differ: the effect's interval excludes 0" in text
    # no sentence when they agree
    agree = _quiet(ie.did, df, outcome="reading", unit="child_id", period="period", pre="pre",
                   post="post", group="group", treated="skolfam")
    lo_a, lo_b = agree.conf_low > 0, agree.effect_size.conf_low > 0
    assert ("Why the two intervals differ" in agree.summary()) == (lo_a != lo_b)


def test_python_m_impacteval_datasets_prints_every_csv_path():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "impacteval.datasets"], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert str(ie.datasets.data_dir()) in out
    for name in ie.datasets.SPECS:
        assert str(ie.datasets.csv_path(name)) in out
