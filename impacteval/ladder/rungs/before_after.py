"""Before–after: the same participants measured before and after.

Estimand: the mean within-person change; it assumes nothing else changed. Must
pass: at least two paired units. Threats: a pre-programme dip, and participants
who started far from the norm (regression to the mean). Maryland level 2 as an interrupted time series
with enough points before and after.
"""

from __future__ import annotations

from collections.abc import Mapping

from ... import texts
from ...estimators import before_after
from ...results import Estimate
from ...roles import TREATED_COL, _as_list
from .. import summary
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
        if summary.runs_on_units(ctx):  # each unit's mean before and after the start
            return summary.on_units(before_after, "paired")(ctx)
        r = ctx.roles
        return ctx.call(before_after, ctx.df, outcome=ctx.outcome, unit=r["unit"],
                        period=r["period"], pre=r["pre"], post=r["post"], group=r["group"],
                        treated=r["treated"])

    def checks(self, ctx: Context, est: Estimate | None) -> list[Check]:
        n = texts.Count(est.n_treated)
        return [Check(design=self.name, value=n, threshold=">= 2", source="package default",
                      passed=n >= 2, code="paired", params={"value": n})]

    def threats(self, ctx: Context, est: Estimate | None) -> list[Threat]:
        out = dip_threat(ctx)
        z = _baseline_distance(ctx)
        if z is not None and abs(z) > ctx.th.rtm_sd:
            out.append(("rtm", {"value": float(z), "limit": float(ctx.th.rtm_sd)}))
        return out

    def sms_level(self, ctx: Context) -> int | None:
        if ctx.n_pre >= ctx.th.its_min_points and \
                len(_as_list(ctx.roles["post"])) >= ctx.th.its_min_points:
            return 2
        return self.sms


def _baseline_distance(ctx: Context) -> float | None:
    """How far participants started from the norm, in SD: from the reference
    (``reference=`` with a mean and SD) or else from the comparison group (Hedges' g
    before the start). Far from it, part of any change is regression to the mean."""
    ref = ctx.reference
    if isinstance(ref, Mapping) and ref.get("sd") and ref.get("mean") is not None:
        d = ctx.study.data
        pre = d[(d[ctx.roles["period"]].isin(ctx.study.pre)) & (d[TREATED_COL] == 1)]
        m = float(pre.groupby(ctx.roles["unit"])[ctx.outcome].mean().mean())
        return (m - float(ref["mean"])) / float(ref["sd"])
    return ctx.did_diag.get("baseline_g")


register(BeforeAfter())
