"""Natural experiment: a declared rule made assignment as good as random (a
lottery-like waiting list; a cutoff rule needs regression discontinuity, not yet
available).

Estimand: intention-to-treat, as for a trial. Must pass: differential attrition
within the WWC boundary, baseline equivalence |g| within the WWC adjustment
limit, and no waitlisters starting during the post window.
"""

from __future__ import annotations

from ...results import Estimate
from ..checks import Check, Infeasible, attrition_check, contamination_check, needs_comparison
from ..context import Context
from ..registry import Rung, register
from ._experimental import experimental_estimate


class NaturalExperiment(Rung):
    name = "natural_experiment"
    score = 6
    sms = 4
    eef_design = 4
    mde_uses_pre = True
    mde_uses_model_r2 = True
    texts = {
        "en": {
            "name": "natural experiment",
            "rule": "The order of the waiting list is taken to be as good as random, "
                    "as declared; if it was not, the groups may differ in other ways.",
            "reasons": {
                "no_natural_rule": "a natural experiment needs a declared lottery-like waiting "
                                   "list or cutoff rule (declared: {assignment})",
                "no_rd": "a cutoff rule needs a regression discontinuity design with at least "
                         "{n} units on each side of the cutoff, which is not available yet",
            },
        },
        "sv": {
            "name": "naturligt experiment",
            "rule": "Ordningen på väntelistan antas vara lika bra som slumpen, så "
                    "som ni har angett; om den inte var det kan grupperna skilja "
                    "sig på andra sätt.",
            "reasons": {
                "no_natural_rule": "ett naturligt experiment kräver en lottliknande väntelista "
                                   "eller en gränsregel (angivet: {assignment})",
                "no_rd": "en gränsregel kräver en regressionsdiskontinuitetsdesign med minst {n} "
                         "enheter på var sida om gränsen, som inte finns ännu",
            },
        },
    }

    def feasible(self, ctx: Context) -> Infeasible | None:
        gate = needs_comparison(ctx)
        if gate is not None:
            return gate
        if ctx.assignment not in ("lottery_waitlist", "rule_cutoff"):
            return Infeasible("no_natural_rule",
                              f"no as-if-random rule declared (assignment={ctx.assignment!r})",
                              {"assignment": ctx.assignment})
        if ctx.assignment == "rule_cutoff":
            n = ctx.th.cutoff_min_units
            return Infeasible("no_rd", "a cutoff rule needs regression discontinuity with at "
                              f"least {n} units on each side of the cutoff (not available in "
                              "this version)", {"n": n})
        return None

    def estimate(self, ctx: Context) -> Estimate:
        return experimental_estimate(ctx, self.name)

    def checks(self, ctx: Context, est: Estimate | None) -> list[Check]:
        th = ctx.th
        out = attrition_check(self.name, ctx)
        if "baseline_g" in ctx.did_diag:
            # WWC baseline equivalence: |g| <= baseline_g_ok passes as it is; up to
            # baseline_g_adjust only when the estimate adjusts for the baseline
            g = ctx.did_diag["baseline_g"]
            adjusted = est is not None and "r_squared" in est.diagnostics
            limit = th.baseline_g_adjust if adjusted else th.baseline_g_ok
            field_ = "baseline_g_adjust" if adjusted else "baseline_g_ok"
            out.append(Check(design=self.name, value=round(abs(g), 3), threshold=f"<= {limit}",
                             passed=abs(g) <= limit,
                             code="baseline_adjusted" if adjusted else "baseline",
                             threshold_field=field_, params={"value": float(g)}))
        return out + contamination_check(self.name, ctx)


register(NaturalExperiment())
