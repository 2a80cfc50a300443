"""Statistical twins: participants matched on covariates including the
pre-period outcome, compared after the start.

Estimand: ATT within common support. Must pass: the twins' checks (pool size,
share matched, balance, variance ratios) and no waitlist contamination. Matching
on earlier levels does not remove a difference in trends: a placebo (the same
design with the last pre-periods as "after") that finds an effect caps security.
"""

from __future__ import annotations

from typing import Any

from ...results import Estimate
from ..checks import (
    Check,
    Infeasible,
    Threat,
    contamination_check,
    needs_comparison,
    needs_panel,
    needs_prepost,
)
from ..context import Context
from ..pretrend import ignored_trend_threats, placebo_checks, placebo_threats
from ..registry import Rung, register
from ._twins import twins_checks, twins_estimate, twins_threats


class Matched(Rung):
    name = "matched"
    score = 4
    sms = 3
    eef_design = 3
    mde_uses_pre = True
    texts = {
        "en": {
            "name": "matched twins",
            "rule": "Participants were compared with statistical twins who looked the same "
                    "before the start, including earlier {outcome}; differences the data do "
                    "not measure (such as motivation) can remain.",
        },
        "sv": {
            "name": "statistiska tvillingar",
            "rule": "Deltagarna jämfördes med statistiska tvillingar som såg likadana ut före "
                    "starten, även i tidigare {outcome}; skillnader som data inte mäter (till "
                    "exempel motivation) kan finnas kvar.",
        },
    }

    def feasible(self, ctx: Context) -> Infeasible | None:
        from .synthetic_control import needs_two_treated
        return needs_comparison(ctx) or needs_panel(ctx) or needs_prepost(ctx) or needs_two_treated(ctx)

    def estimate(self, ctx: Context) -> Estimate | None:
        return twins_estimate(ctx, self.name, kind="lagged")

    def checks(self, ctx: Context, est: Estimate | None) -> list[Check]:
        out = twins_checks(self.name, ctx, est)
        return out + (contamination_check(self.name, ctx)
                      + placebo_checks(self.name, ctx, self._placebo_run)
                      if est is not None else [])

    @staticmethod
    def _placebo_run(c: Context) -> Estimate | None:
        return twins_estimate(c, "matched", kind="lagged")

    def sensitivity(self, ctx: Context, est: Estimate | None) -> Any:
        """E-value / robustness value / Rosenbaum / Rambachan–Roth, as fits the design."""
        from ...sensitivity import for_estimate

        return None if est is None else for_estimate(est, design=self.name)

    def threats(self, ctx: Context, est: Estimate | None) -> list[Threat]:
        return twins_threats(ctx, est) + (
            ignored_trend_threats(ctx) + placebo_threats(self.name, ctx, self._placebo_run)
            if est is not None else [])


register(Matched())
