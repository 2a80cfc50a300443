"""Today's verdicts, pinned: the ladder on every teaching set and Servicetrainee.

The reference file is written by ``tests/reference/make_ladder_pins.py``; a change
to the ladder that moves a number or a verdict must re-run it and say why.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

REF = Path(__file__).parent / "reference"
PINS = json.loads((REF / "ladder_pins.json").read_text(encoding="utf-8"))


def _maker():
    spec = importlib.util.spec_from_file_location("make_ladder_pins", REF / "make_ladder_pins.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


MAKER = _maker()
CASES = MAKER.cases()


def _close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return a == pytest.approx(b, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name", sorted(PINS))
def test_ladder_matches_pins(name):
    data, roles = CASES[name]
    got = MAKER.run_case(data, roles)
    want = PINS[name]
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        for key in ("comparison", "design", "estimate_design", "scale", "ratings",
                    "n_threats", "steps"):
            assert g[key] == w[key], (name, key)
        for key in ("estimate", "conf_low", "conf_high", "conf_level", "mdes"):
            assert _close(g[key], w[key]), (name, key, g[key], w[key])
        assert set(g["sensitivity"]) == set(w["sensitivity"]), name
        for design, vals in w["sensitivity"].items():
            for a, b in zip(g["sensitivity"][design], vals, strict=True):
                assert _close(a, b), (name, design, a, b)


def test_pins_cover_every_rung_as_chosen_or_tried():
    chosen = {ev["design"] for evs in PINS.values() for ev in evs}
    assert {"follow_up", "before_after", "benchmark", "comparison", "did", "matched_did",
            "randomized", "natural_experiment"} <= chosen
