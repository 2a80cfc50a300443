"""A small, seeded version of the worlds study (``benchmarks/worlds.py``).

The full study measures the ladder's verdicts over many known-truth worlds; this
test runs a few runs of the worlds that matter most for the pre-trend gate, so that
a regression in a gate or a cap fails CI:

* parallel trends: the ladder keeps a DiD-family design and its interval covers;
* diverging pre-trends (40 and 120 kr/month): every verdict is honest — the
  interval covers the truth or the security rating says the evidence is weak.
"""

from __future__ import annotations

import pytest
from _bench import load  # benchmarks/ by path (not on sys.path)

worlds = load("worlds")

RUNS = 5


def _summary(name: str, seed: int):
    world = next(w for w in worlds.WORLDS if w.name == name)
    raw = worlds.study([world], RUNS, seed=seed, n_boot=199)
    return worlds.summarise(raw, [world]).iloc[0], raw


def test_parallel_trends_keep_did_and_cover():
    s, raw = _summary("parallel", 101)
    assert s["did_family"] >= 0.8, raw[["design", "covers", "security"]]
    assert s["coverage"] >= 0.8, raw[["design", "estimate", "conf_low", "conf_high"]]
    assert s["security3"] >= 0.6, raw[["design", "security"]]


@pytest.mark.parametrize("name", ["diverging_40", "diverging_120"])
def test_diverging_pretrends_give_honest_verdicts(name):
    s, raw = _summary(name, 202)
    assert s["honest"] == 1.0, raw[["design", "estimate", "conf_low", "conf_high", "security"]]


def test_generator_truth_is_the_mean_effect():
    # the generator's effect is what a difference in means recovers in a randomised world
    import numpy as np

    rng = np.random.default_rng(7)
    df, roles = worlds.panel(rng, n_t=3000, n_c=3000, randomized=True)
    post = df[df["month"] >= 0].groupby("group")["payments"].mean()
    pre = df[df["month"] < 0].groupby("group")["payments"].mean()
    did = (post["participant"] - pre["participant"]) - (post["register"] - pre["register"])
    assert did == pytest.approx(worlds.EFFECT, abs=60)
