"""Rosenbaum bounds against a published value (issue #17).

Rosenbaum (2011, Biometrics) prints, in his own R session supplement, the 21 matched pair
differences of the methotrexate example and the large-sample upper bound on the one-sided
P-value of his U statistic with rank scores (m, m1, m2) = (8, 6, 7) at Γ = 2: 0.02910648
(Table 2 of the paper). ``rosenbaum(..., scores=(8, 6, 7))`` must give it to the printed
digits. The Wilcoxon version (the default) is the same bound with Wilcoxon's ranks: at
Γ = 1 it is scipy's normal-approximation Wilcoxon test, and its bounds widen with Γ.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from impacteval.sensitivity import rosenbaum

REF = json.loads((Path(__file__).parent / "reference" / "rosenbaum" /
                  "methotrexate_2011.json").read_text(encoding="utf-8"))
DIF = np.array(REF["differences"])


def test_u_statistic_bound_equals_the_published_value():
    r = rosenbaum(DIF, gammas=[REF["gamma"]], scores=tuple(REF["scores"]))
    p = float(r.table["p_upper"].iloc[0])
    assert p == pytest.approx(REF["p_upper"], abs=0.5 * 10 ** -(REF["printed_digits"] + 1))


def test_u_statistic_scores_by_hand():
    """Rosenbaum's uscore: q = Σ_{l=m1}^{m2} C(a−1, l−1) C(I−a, m−l), zeros scored 0; the
    bound is 1 − Φ((T − E)/√V) with E = Σq·Γ/(1+Γ), V = Σq²·Γ/(1+Γ)²."""
    from math import factorial, prod

    def choose(x: float, k: int) -> float:  # R's choose() for a real x (tied ranks)
        return prod(x - j for j in range(k)) / factorial(k)

    a = stats.rankdata(np.abs(DIF))  # average ranks, as R's rank()
    n = len(DIF)
    q = np.array([sum(choose(ai - 1, k - 1) * choose(n - ai, 8 - k) for k in (6, 7))
                  for ai in a]) * (np.abs(DIF) > 0)
    g = 2.0
    t = q[DIF > 0].sum()
    z = (t - q.sum() * g / (1 + g)) / np.sqrt((q * q).sum() * g / (1 + g) ** 2)
    r = rosenbaum(DIF, gammas=[g], scores=(8, 6, 7))
    assert float(r.table["p_upper"].iloc[0]) == pytest.approx(stats.norm.sf(z), rel=1e-12)


def test_wilcoxon_bound_at_gamma_one_is_scipys_test_and_widens_with_gamma():
    r = rosenbaum(DIF, gammas=[1, 1.5, 2, 3])
    sp = stats.wilcoxon(DIF, zero_method="wilcox", correction=False, method="approx",
                        alternative="greater")
    assert float(r.table["p_upper"].iloc[0]) == pytest.approx(sp.pvalue, rel=1e-10)
    assert np.all(np.diff(r.table["p_upper"].to_numpy()) > 0)
    assert np.all(np.diff(r.table["p_lower"].to_numpy()) < 0)


def test_scores_are_checked():
    from impacteval.errors import ArgumentError

    with pytest.raises(ArgumentError, match="m1"):
        rosenbaum(DIF, scores=(2, 3, 1))
