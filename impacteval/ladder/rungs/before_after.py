"""Before–after: the same participants measured before and after.

Estimand: the mean within-person change; it assumes nothing else changed. Must
pass: at least two paired units. Maryland level 2 as an interrupted time series
with enough points before and after.
"""

from __future__ import annotations

from ...estimators import before_after
from ...results import Estimate
from ...roles import _as_list
from ..checks import Check, Infeasible, Threat, dip_threat
from ..context import Context
from ..registry import Rung, register


class BeforeAfter(Rung):
    name = "before_after"
    score = 1
    sms = 1
    eef_design = 0
    two_group = False
    mde_kind = "paired"
    texts = {
        "en": {
            "name": "before–after comparison",
            "rule": "Only participants were measured, before and after. There was no "
                    "comparison group, so the change includes everything else that "
                    "happened in the same period — trends, the economy, people "
                    "recovering on their own — and cannot be credited to the project.",
        },
        "sv": {
            "name": "före–efter-jämförelse",
            "rule": "Bara deltagarna mättes, före och efter. Det fanns ingen "
                    "jämförelsegrupp, så förändringen rymmer allt annat som hände under "
                    "samma tid — trender, konjunkturen, att människor återhämtar sig av "
                    "sig själva — och kan inte tillskrivas projektet.",
        },
    }

    def feasible(self, ctx: Context) -> Infeasible | None:
        r = ctx.roles
        if not (r["unit"] and r["period"] and _as_list(r["pre"]) and _as_list(r["post"])):
            return Infeasible("no_pre", "needs participants before and after")
        return None

    def estimate(self, ctx: Context) -> Estimate:
        r = ctx.roles
        return ctx.call(before_after, ctx.df, outcome=ctx.outcome, unit=r["unit"],
                        period=r["period"], pre=r["pre"], post=r["post"], group=r["group"],
                        treated=r["treated"])

    def checks(self, ctx: Context, est: Estimate | None) -> list[Check]:
        return [Check(design=self.name, diagnostic="paired units", value=est.n_treated,
                      threshold=">= 2", source="LADDER.md", passed=est.n_treated >= 2,
                      code="paired")]

    def threats(self, ctx: Context, est: Estimate | None) -> list[Threat]:
        return dip_threat(ctx)

    def sms_level(self, ctx: Context) -> int | None:
        if ctx.n_pre >= ctx.th.its_min_points and \
                len(_as_list(ctx.roles["post"])) >= ctx.th.its_min_points:
            return 2
        return self.sms


register(BeforeAfter())
