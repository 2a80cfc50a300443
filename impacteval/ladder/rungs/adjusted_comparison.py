"""Adjusted comparison: a comparison group measured after only, adjusted for
background covariates — by matching when the pool is large enough, else by
regression.

Estimand: ATT-type difference. Must pass: balance on the covariates (after
matching, or before the regression adjustment) and no waitlist contamination.
Always a threat: without a baseline outcome, equivalence before the start cannot
be shown. With pre-periods, a placebo (the same design with the last pre-periods
as "after") that finds an effect caps security.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...estimators import difference
from ...results import Estimate
from .. import summary
from ..checks import (
    Check,
    Infeasible,
    Threat,
    contamination_check,
    covariate_balance_check,
    needs_comparison,
)
from ..context import Context, baseline_covariates, post_roles
from ..pretrend import ignored_trend_threats, placebo_checks, placebo_threats
from ..registry import Rung, register
from ._twins import pool_ok, twins_checks, twins_estimate, twins_threats


class AdjustedComparison(Rung):
    name = "adjusted_comparison"
    score = 3
    sms = 2
    eef_design = 2
    mde_uses_pre = True
    mde_uses_model_r2 = True
    texts = {
        "en": {
            "name": "adjusted comparison group",
            "rule": "The groups were compared after the project, adjusted for "
                    "background factors; without a measurement before the start "
                    "we cannot show that the groups were alike, so differences "
                    "that were already there can look like an effect.",
            "reasons": {"no_covariates": "no background variables were given"},
        },
        "sv": {
            "name": "justerad jämförelsegrupp",
            "rule": "Grupperna jämfördes efter projektet, justerat för "
                    "bakgrundsfaktorer; utan en mätning före starten går det inte "
                    "att visa att grupperna var lika, så skillnader som fanns "
                    "redan innan kan se ut som en effekt.",
            "reasons": {"no_covariates": "inga bakgrundsvariabler angavs"},
        },
    }

    def feasible(self, ctx: Context) -> Infeasible | None:
        gate = needs_comparison(ctx)
        if gate is not None:
            return gate
        if not baseline_covariates(ctx):
            return Infeasible("no_covariates", "no pre-treatment covariates (covariates=[...])")
        return None

    def estimate(self, ctx: Context) -> Estimate | None:
        if pool_ok(ctx):
            # matching on background covariates, balance checked after matching
            return twins_estimate(ctx, self.name, kind="background")
        # a small comparison group: regression adjustment; WWC allows baseline
        # differences up to 0.25 SD with adjustment
        # the regression has an HC2 interval, or with clusters a wild cluster bootstrap
        r = ctx.roles
        ok = ctx.ci in ("auto", "analytic") or (r["cluster"] is not None
                                                 and ctx.ci != "permutation")
        ci = ctx.ci if ok else "analytic"
        units = summary.unit_post_table(ctx)
        if units is not None:  # each unit's mean after the start, from the unit summary
            e = ctx.call(difference, units, outcome="__post__", group=r["group"],
                         treated=r["treated"], control=r["control"], unit=r["unit"],
                         covariates=baseline_covariates(ctx), assignment="unknown",
                         cluster=r["cluster"], ci=ci)
            return replace(e, outcome=ctx.outcome)
        return ctx.call(difference, ctx.post_data, covariates=baseline_covariates(ctx),
                        **post_roles(ctx), **ctx.base, assignment="unknown",
                        cluster=r["cluster"], ci=ci)

    def checks(self, ctx: Context, est: Estimate | None) -> list[Check]:
        if pool_ok(ctx):
            out = twins_checks(self.name, ctx, est)
        else:
            out = covariate_balance_check(self.name, ctx, baseline_covariates(ctx))
        return out + (contamination_check(self.name, ctx)
                      + placebo_checks(self.name, ctx, self.estimate)
                      if est is not None else [])

    def sensitivity(self, ctx: Context, est: Estimate | None) -> Any:
        """E-value / robustness value / Rosenbaum / Rambachan–Roth, as fits the design."""
        from ...sensitivity import for_estimate

        return None if est is None else for_estimate(est, design=self.name)

    def threats(self, ctx: Context, est: Estimate | None) -> list[Threat]:
        out = twins_threats(ctx, est) if pool_ok(ctx) else []
        return out + ([("no_baseline", {})] + ignored_trend_threats(ctx)
                      + placebo_threats(self.name, ctx, self.estimate)
                      if est is not None else [])


register(AdjustedComparison())
