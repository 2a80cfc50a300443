"""The ladder's registry: rungs are modules, the core knows no design by name."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval.ladder import Check, Infeasible, Rung, registered
from impacteval.ladder import registry as reg
from impacteval.ladder.context import Context, post_roles

PKG = Path(ie.__file__).parent


def _cross_section(seed=3, n=40):
    rng = np.random.default_rng(seed)
    g = np.array(["p"] * n + ["c"] * n)
    y = rng.normal(0, 1, 2 * n) + 0.5 * (g == "p")
    return pd.DataFrame({"g": g, "y": y})


class Toy(Rung):
    """A toy rung above every other: the difference in means, rejected when told."""

    name = "toy"
    score = 9
    sms = 5
    eef_design = 5
    texts = {"en": {"name": "toy design", "rule": "A toy."},
             "sv": {"name": "leksaksdesign", "rule": "En leksak."}}

    def __init__(self, accept: bool = True):
        self.accept = accept

    def feasible(self, ctx: Context) -> Infeasible | None:
        return None if ctx.has_group else Infeasible("no_group", "no comparison group")

    def estimate(self, ctx: Context):
        return ctx.call(ie.difference, ctx.df, **post_roles(ctx), **ctx.base)

    def checks(self, ctx: Context, est) -> list[Check]:
        return [Check(design=self.name, diagnostic="toy check", value=1, threshold="-",
                      passed=self.accept, code="toy")]


def test_rungs_are_registered_strongest_first_with_todays_tie_order():
    names = [r.name for r in reg.ordered()]
    first_ten = ["randomized", "natural_experiment", "matched_did", "did", "matched",
                 "adjusted_comparison", "comparison", "benchmark", "before_after", "follow_up"]
    assert [n for n in names if n in first_ten] == first_ten  # today's order, ties included
    scores = [reg.get(n).score for n in names]
    assert scores == sorted(scores, reverse=True)
    assert set(ie.ladder.DESIGNS) == set(names)
    assert ie.ladder.DESIGNS["did"] == (4, 3, 4)


def test_every_rung_lives_in_its_own_module():
    for rung in reg.ordered():
        assert type(rung).__module__ == f"impacteval.ladder.rungs.{rung.name}"
        assert (PKG / "ladder" / "rungs" / f"{rung.name}.py").exists()


def test_core_names_no_design():
    src = (PKG / "ladder" / "core.py").read_text(encoding="utf-8")
    strings = {n.value for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Constant)
               and isinstance(n.value, str)}
    assert not strings & set(ie.ladder.DESIGNS)


def test_a_toy_rung_is_tried_first_and_can_be_chosen():
    df = _cross_section()
    with registered(Toy(accept=True)):
        ev = ie.evaluate(df, outcome="y", group="g", treated="p")
        assert ev.design == "toy" and ev.score == 9
        assert ev.steps.design.iloc[0] == "toy"
        assert "toy design" in ev.explain("en") and "leksaksdesign" in ev.explain("sv")
    assert "toy" not in ie.ladder.DESIGNS
    assert ie.evaluate(df, outcome="y", group="g", treated="p").design == "comparison"


def test_a_rejected_toy_rung_falls_through_with_its_reason():
    df = _cross_section()
    with registered(Toy(accept=False)):
        ev = ie.evaluate(df, outcome="y", group="g", treated="p")
    assert ev.design == "comparison"
    first = ev.steps.groupby("design", sort=False)["verdict"].first()
    assert first["toy"] == "rejected"
    assert any(v.startswith("toy rejected: toy check") for v in ev.verdict)


def test_register_refuses_duplicates_and_missing_texts():
    class NoTexts(Toy):
        name = "no_texts"
        texts = {"en": {"name": "x", "rule": "y"}}

    with pytest.raises(ie.errors.ArgumentError):
        reg.register(NoTexts())
    with pytest.raises(ie.errors.ArgumentError):
        reg.register(reg.get("did"))
