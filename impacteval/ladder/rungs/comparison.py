"""Comparison group, after only, unadjusted: the difference in means.

Assumes the groups would have been equal without the project; no check can show
it, so the design padlocks are 1.
"""

from __future__ import annotations

from typing import Any

from ...estimators import difference
from ...results import Estimate
from .. import summary
from ..checks import Check, Infeasible, Threat, contamination_check, needs_comparison
from ..context import Context, post_roles
from ..pretrend import ignored_trend_threats
from ..registry import Rung, register


class Comparison(Rung):
    name = "comparison"
    score = 2
    sms = 1
    eef_design = 1
    texts = {
        "en": {
            "name": "comparison group, after only",
            "rule": "The groups were only compared after the project, so any difference "
                    "that was already there is counted as effect.",
        },
        "sv": {
            "name": "jämförelsegrupp, bara eftermätning",
            "rule": "Grupperna jämfördes bara efter projektet, så skillnader som fanns redan "
                    "innan räknas som effekt.",
        },
    }

    def feasible(self, ctx: Context) -> Infeasible | None:
        return needs_comparison(ctx)

    def estimate(self, ctx: Context) -> Estimate:
        if summary.runs_on_units(ctx):  # each unit's mean after the start
            return summary.on_units(difference, "post")(ctx)
        return ctx.call(difference, ctx.post_data, **post_roles(ctx), **ctx.base)

    def checks(self, ctx: Context, est: Estimate | None) -> list[Check]:
        return contamination_check(self.name, ctx)

    def sensitivity(self, ctx: Context, est: Estimate | None) -> Any:
        """E-value / robustness value / Rosenbaum / Rambachan–Roth, as fits the design."""
        from ...sensitivity import for_estimate

        return None if est is None else for_estimate(est, design=self.name)

    def threats(self, ctx: Context, est: Estimate | None) -> list[Threat]:
        return ignored_trend_threats(ctx) if est is not None else []


register(Comparison())
