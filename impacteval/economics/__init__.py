"""From effect to money: present values, cost-effectiveness, repayment rules,
QALYs, benefit–cost with uncertainty, and pooling of repeated cohorts or sites.

A social investment fund grants money on the promise of savings, and often asks
for the savings to be paid back (*återföring*). This module turns an effect
:class:`~impacteval.results.Estimate` into money while keeping its uncertainty:

* :func:`present_value` discounts yearly flows (scalars, arrays, or one row of
  yearly flows per draw);
* :func:`cost_effectiveness` gives effect per krona and kronor per unit of
  effect, with an interval that is honestly unbounded on one side when the
  effect's interval includes zero;
* :class:`Unconditional`, :class:`Conditional` and :class:`Capped` are the
  repayment rules, and :func:`repayment` shows who carries the downside —
  the fund or the unit that received the grant;
* :func:`qaly_value` values a QALY gain at a range of values per QALY;
* :func:`benefit_cost` and :func:`probability_pays_back` give the net present
  value, the benefit–cost ratio and P(NPV > 0), using the effect's own
  bootstrap draws when the estimator kept them (``Estimate.draws``) and its
  normal/t sampling distribution otherwise;
* :func:`pool` combines several estimates by inverse-variance fixed-effect or
  DerSimonian–Laird random-effects weighting, with Q, I² and τ².

The package's modules, one per concept: :mod:`~impacteval.economics.discounting`
(present value), :mod:`~impacteval.economics.cost_benefit` (cost-effectiveness, benefit–cost,
P(pays back), cost per QALY and the acceptability curve), :mod:`~impacteval.economics.qaly`
(QALYs in money), :mod:`~impacteval.economics.repayment_rules` (repayment rules) and
:mod:`~impacteval.economics.pooling` (meta-analytic pooling). Every result follows one
protocol (:class:`EconomicsResult`): ``summary()``, ``tidy()``, ``to_dict()`` and
``_repr_html_()``.

Uncertainty is carried, not re-estimated: with bootstrap draws the intervals
are percentiles of the (transformed) draws; without them the effect is taken
as ``estimate + std_error · T`` with ``T`` Student-t on ``Estimate.df`` degrees
of freedom (standard normal when ``df`` is None), and because every money
quantity here is a monotone function of the effect, its quantiles are exact
transforms of the effect's quantiles — no simulation, no seed needed.

Written by hand, because no library we depend on has them: the discounting of
per-draw arrays, the repayment rules, the cost-effectiveness interval with an
unbounded side, and the benefit–cost summary. The pooling formulas are a dozen
lines and are also written here rather than delegated to
``statsmodels.stats.meta_analysis.combine_effects``: that function is marked
experimental, and its DerSimonian–Laird τ² and its I² are not truncated at zero
(they turn negative when Q < k − 1), whereas the DerSimonian–Laird estimator
and Higgins' I² are defined with truncation. The tests check :func:`pool`
against ``combine_effects`` to 1e-8 wherever the two definitions agree.

Bootstrap draws are used as the effect's distribution (the percentile reading
of the bootstrap). Draws recorded by a permutation test describe the null
hypothesis, not the effect; they are recognised by
``Estimate.inference["method"] == "permutation"`` (or
``inference["draws_kind"] == "permutation"``) and are then not used.
"""

from __future__ import annotations

from ._common import EconomicsResult
from .cost_benefit import (
    BenefitCost,
    CostEffectiveness,
    benefit_cost,
    cost_effectiveness,
    probability_pays_back,
)
from .discounting import MAX_HORIZON, present_value
from .pooling import pool
from .qaly import QALY_VALUES_SEK, CostPerQaly, QalyValue, cost_per_qaly, qaly_value
from .repayment_rules import (
    Capped,
    Conditional,
    RepaymentResult,
    RepaymentRule,
    Unconditional,
    compare_repayment,
    repayment,
)

__all__ = [
    "present_value",
    "MAX_HORIZON",
    "cost_effectiveness",
    "CostEffectiveness",
    "qaly_value",
    "QalyValue",
    "QALY_VALUES_SEK",
    "cost_per_qaly",
    "CostPerQaly",
    "RepaymentRule",
    "Unconditional",
    "Conditional",
    "Capped",
    "repayment",
    "compare_repayment",
    "RepaymentResult",
    "benefit_cost",
    "BenefitCost",
    "probability_pays_back",
    "pool",
    "EconomicsResult",
]
