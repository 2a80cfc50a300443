"""Randomised trial: chance decided who took part (declared ``assignment="randomized"``).

Estimand: intention-to-treat. Must pass: differential attrition within the WWC
boundary; at least two clusters per arm when clusters were randomised. Threats:
chance baseline imbalance, few treated clusters.
"""

from __future__ import annotations

from ...results import Estimate
from ..checks import Check, Infeasible, Threat, attrition_check, cluster_checks, needs_comparison
from ..context import Context
from ..registry import Rung, register
from ._experimental import experimental_estimate


class Randomized(Rung):
    name = "randomized"
    score = 7
    sms = 5
    eef_design = 5
    mde_uses_pre = True
    mde_uses_model_r2 = True
    texts = {
        "en": {
            "name": "randomised trial",
            "rule": "Because chance decided who took part, the groups differ only by chance, "
                    "and the interval accounts for that.",
            "reasons": {"no_random_assignment": "a randomised trial needs random assignment "
                                                "(declared: {assignment})"},
        },
        "sv": {
            "name": "randomiserad studie",
            "rule": "Eftersom slumpen avgjorde vem som fick delta skiljer sig grupperna "
                    "bara av en slump, och intervallet tar hänsyn till det.",
            "reasons": {"no_random_assignment": "en randomiserad studie kräver slumpmässig "
                                                "fördelning (angivet: {assignment})"},
        },
    }

    def feasible(self, ctx: Context) -> Infeasible | None:
        gate = needs_comparison(ctx)
        if gate is not None:
            return gate
        if ctx.assignment != "randomized":
            return Infeasible("no_random_assignment",
                              f"no random assignment declared (assignment={ctx.assignment!r})",
                              {"assignment": ctx.assignment})
        return None

    def estimate(self, ctx: Context) -> Estimate:
        return experimental_estimate(ctx, self.name)

    def checks(self, ctx: Context, est: Estimate | None) -> list[Check]:
        return attrition_check(self.name, ctx) + cluster_checks(self.name, ctx,
                                                                per_arm_check=True)[0]

    def threats(self, ctx: Context, est: Estimate | None) -> list[Threat]:
        out = cluster_checks(self.name, ctx, per_arm_check=True)[1]
        g = ctx.did_diag.get("baseline_g")
        if g is not None and abs(g) > ctx.th.baseline_g_adjust:
            out.append(("chance_imbalance", {"value": float(abs(g))}))
        # crossover: comparison units that started the project before the follow-up ended
        n_c = ctx.did_diag.get("n_control_units")
        if n_c and ctx.did_diag.get("contaminated") is not None:
            share = ctx.did_diag["contaminated"] / n_c
            if share > ctx.th.crossover_share:
                out.append(("crossover", {"value": f"{share:.0%}",
                                          "limit": f"{ctx.th.crossover_share:.0%}"}))
        return out


register(Randomized())
