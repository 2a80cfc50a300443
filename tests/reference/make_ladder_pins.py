"""Record the ladder's verdicts on every teaching set and the Servicetrainee data.

The pins hold, for each case, the chosen design, its estimate and interval, the
ratings, the sensitivity estimates and the ``(design, verdict)`` pairs of the steps
table. ``tests/test_ladder_pins.py`` compares a fresh run with them (rtol 1e-9), so
a refactor of the ladder that changes a number or a verdict fails loudly. Re-run
this script only when a change of verdict is intended, and say why in the commit:

    python tests/reference/make_ladder_pins.py
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pandas as pd

import impacteval as ie
from impacteval.errors import ImpactEvalWarning

OUT = Path(__file__).with_name("ladder_pins.json")


def cases() -> dict[str, tuple[pd.DataFrame, dict]]:
    """Every teaching set with the roles a user would give (as in the ladder vignette),
    a few variants that reach the rungs the sets alone do not, and Servicetrainee."""
    load = ie.datasets.load_teaching
    norm = ie.Reference(mean=100, sd=15, source="test norm")
    did_roles = dict(outcome="welfare_ksek", unit="household_id", group="group",
                     treated="participant", period="period", pre="pre", post="post")
    st_roles = dict(outcome="welfare", unit="person_id", group="group", treated="participant",
                    control=["waitlist", "register"], period="month",
                    pre=list(range(-12, 0)), post=list(range(1, 13)),
                    covariates=["age", "sex", "household_size", "n_children",
                                "months_on_welfare", "language_group"],
                    assignment="capacity_waitlist", start="start_month")
    rct = load("randomized")
    rct_long = rct.melt(id_vars=["pupil_id", "school", "group"],
                        value_vars=["baseline_score", "score"], var_name="period",
                        value_name="reading")
    rct_long["period"] = rct_long["period"].map({"baseline_score": "pre", "score": "post"})
    long_roles = dict(outcome="reading", unit="pupil_id", group="group", treated="treatment",
                      period="period", pre="pre", post="post")
    return {
        "follow_up": (load("follow_up"), dict(outcome="in_work_or_studies")),
        "before_after": (load("before_after"), dict(outcome="reading", unit="pupil_id",
                                                    period="period", pre="pre", post="post")),
        "benchmark": (load("benchmark"), dict(outcome="vocabulary", reference=norm)),
        "comparison": (load("comparison"), dict(outcome="merit", group="group",
                                                treated="participant")),
        "adjusted_comparison": (load("adjusted_comparison"), dict(
            outcome="earnings", group="group", treated="participant",
            covariates=["education", "years_in_sweden", "months_unemployed", "age"])),
        "did": (load("did"), did_roles),
        "did_excel_sv": (ie.read_table(_excel_path()), dict(
            outcome="försörjningsstöd_tkr", unit="hushåll", group="grupp", treated="projekt",
            period="mätning", pre="före", post="efter")),
        "matched": (load("matched"), ie.datasets.teaching_roles("matched")),
        "matched_did": (load("matched_did"), dict(outcome="earnings_ksek", unit="person_id",
                                                  group="group", treated="participant",
                                                  period="period", pre="pre", post="post",
                                                  covariates=["age"])),
        "randomized": (load("randomized"), dict(outcome="score", group="group",
                                                treated="treatment", assignment="randomized")),
        "randomized_ancova": (load("randomized"), dict(
            outcome="score", group="group", treated="treatment", assignment="randomized",
            covariates=["baseline_score"])),
        "randomized_clustered": (load("randomized"), dict(
            outcome="score", group="group", treated="treatment", assignment="randomized",
            cluster="school")),
        "natural_experiment_rejected": (load("did"), {**did_roles,
                                                      "assignment": "lottery_waitlist"}),
        "natural_experiment": (rct_long, {**long_roles, "assignment": "lottery_waitlist"}),
        "randomized_long": (rct_long, {**long_roles, "assignment": "randomized"}),
        "randomized_long_relative": (rct_long, {**long_roles, "assignment": "randomized",
                                                "scale": "relative"}),
        "did_relative": (load("did"), {**did_roles, "scale": "relative"}),
        "servicetrainee": (ie.datasets.load_servicetrainee(), st_roles),
        **{f"teaching_{name}": (load(name), ie.datasets.teaching_roles(name))
           for name in ("natural_experiment", "natural_experiment_cutoff",
                        "adjusted_comparison_no_overlap")},
    }


def _excel_path():
    from importlib.resources import files

    return files("impacteval.datasets.data") / "teaching_did_excel_sv.csv"


def _num(x):
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def record(ev) -> dict:
    e = ev.estimate
    steps = ev.steps.groupby("design", sort=False)["verdict"].first()
    return {
        "comparison": ev.comparison,
        "design": ev.design,
        "estimate_design": e.design,
        "estimate": _num(e.estimate),
        "conf_low": _num(e.conf_low),
        "conf_high": _num(e.conf_high),
        "conf_level": _num(e.conf_level),
        "scale": e.scale,
        "ratings": {k: ev.ratings[k] for k in ("design", "precision", "attrition", "security")},
        "n_threats": len(ev.ratings["threats"]),
        "mdes": _num(ev.mde.get("mdes")),
        "sensitivity": {k: [_num(v.estimate), _num(v.conf_low), _num(v.conf_high)]
                        for k, v in ev.sensitivity.items()},
        "steps": [[d, v] for d, v in steps.items()],
    }


def run_case(data: pd.DataFrame, roles: dict) -> list[dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        res = ie.evaluate(data, **roles)
    evs = list(res) if isinstance(res, ie.EvaluationCollection) else [res]
    return [record(ev) for ev in evs]


def main() -> None:
    pins = {name: run_case(data, roles) for name, (data, roles) in cases().items()}
    OUT.write_text(json.dumps(pins, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(pins)} cases)")


if __name__ == "__main__":
    main()
